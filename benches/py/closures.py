# Closures: counters with `nonlocal`, lambdas, nested functions, functions returning
# functions, and list/dict/set comprehensions (which are closures of their own).
# The size comes from PYBENCH_N (set by `cargo xtask pybench`), else the default below.
# pybench: quick=500 instructions=15000
import os

N = int(os.environ.get("PYBENCH_N", 60_000))


def make_counter(step):
    count = 0

    def tick():
        nonlocal count
        count += step
        return count

    return tick


def make_adder(k):
    return lambda x: x + k


def compose(f, g):
    def h(x):
        return f(g(x))

    return h


def apply_all(funcs, x):
    for f in funcs:
        x = f(x)
    return x


def outer(a):
    def middle(b):
        def inner(c):
            return a * 100 + b * 10 + c

        return inner

    return middle


def run(n):
    tick = make_counter(3)
    adders = [make_adder(k) for k in range(5)]
    double_then_inc = compose(lambda x: x + 1, lambda x: x * 2)
    key = lambda p: (p[1], -p[0])
    total = 0
    sizes = 0
    for i in range(n):
        tick()
        total += apply_all(adders, i) + double_then_inc(i) + outer(i % 10)(3)(4)
        squares = [j * j for j in range(i % 20)]
        evens = {j: j // 2 for j in squares if j % 2 == 0}
        residues = {j % 7 for j in squares}
        sizes += len(squares) + len(evens) + len(residues)
        if i % 100 == 0:
            pts = [(j, (j * 37 + i) % 11) for j in range(12)]
            pts.sort(key=key)
            total += pts[0][0] + pts[-1][0]
    filtered = list(filter(lambda v: v % 3 == 0, map(lambda v: v * 7, range(50))))
    return total, sizes, tick(), sum(filtered), sorted({x % 5 for x in filtered})


print(run(N))
