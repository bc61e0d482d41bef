# An integer loop in a function.
def loop(n):
    total = 0
    i = 0
    while i < n:
        total += i * 2 % 7
        i += 1
    return total

print(loop(3_000_000))
