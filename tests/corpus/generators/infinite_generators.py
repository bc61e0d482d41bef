# Infinite generators consumed with break, next() and zip().
def naturals(start=0):
    n = start
    while True:
        yield n
        n += 1


def primes():
    found = []
    for n in naturals(2):
        if all(n % p for p in found if p * p <= n):
            found.append(n)
            yield n


for p in primes():
    if p > 50:
        break
    print(p, end=" ")
print()
squares = (n * n for n in naturals(1))
print([next(squares) for _ in range(8)])
print(list(zip("abc", naturals(10))))


def cycle(items):
    while True:
        for item in items:
            yield item


c = cycle(["red", "green", "blue"])
print([next(c) for _ in range(7)])


def take(n, it):
    out = []
    for x in it:
        if len(out) >= n:
            break
        out.append(x)
    return out


print(take(5, (x for x in naturals() if x % 7 == 3)))
