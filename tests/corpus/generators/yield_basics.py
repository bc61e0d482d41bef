# Generator functions: lazy execution, state between yields, exhaustion.
def numbers(n):
    print("generator started")
    for i in range(n):
        print("yielding", i)
        yield i
    print("generator finished")


g = numbers(3)
print("created", type(g).__name__)
print(next(g))
print(next(g))
print(list(g))
print(list(g))
print(next(g, "exhausted"))


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


f = fib()
print([next(f) for _ in range(12)])


def pairs(items):
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            yield a, b


print(list(pairs("abcd")))
print(sum(x * x for x in numbers(0)))
