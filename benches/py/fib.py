# Recursive fib: calls and small-int arithmetic.
# The size comes from PYBENCH_N (set by `cargo xtask pybench`), else the default below.
# pybench: quick=18 instructions=25
import os

N = int(os.environ.get("PYBENCH_N", 27))

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

print(fib(N))
