total = 0

def add(n):
    global total
    total = total + n
    return total

def read():
    return total
