x = 1
def f(x):
    def g():
        return x
    x = 2
    return g
def h():
    global x
    x = 3
    def k():
        return x
    return k
