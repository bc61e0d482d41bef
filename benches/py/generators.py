# Generators: generator functions, generator expressions, `yield from`, sums over generators.
# The size comes from PYBENCH_N (set by `cargo xtask pybench`), else the default below.
# pybench: quick=2000 instructions=60000
import os

N = int(os.environ.get("PYBENCH_N", 300_000))


def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1


def evens(n):
    for i in count_up(n):
        if i % 2 == 0:
            yield i


def chained(n):
    yield from count_up(n)
    yield from evens(n)
    yield -1


def pairs(n):
    for i in range(n):
        yield i, i * i


def window_sums(n, k):
    window = []
    total = 0
    for x in count_up(n):
        window.append(x)
        total += x
        if len(window) > k:
            total -= window.pop(0)
        yield total


def run(n):
    a = sum(count_up(n))
    b = sum(x * 3 for x in evens(n))
    c = sum(chained(n))
    d = sum(sq - i for i, sq in pairs(n))
    e = max(window_sums(n // 4, 8))
    f = sum(1 for x in (y + 1 for y in range(n)) if x % 3 == 0)
    g = list(x for x in count_up(20) if x % 5 == 1)
    gen = count_up(10)
    first = next(gen)
    second = next(gen)
    rest = sum(gen)
    return a, b, c, d, e, f, g, first, second, rest


print(run(N))
