# An integer loop in a function.
# The size comes from PYBENCH_N (set by `cargo xtask pybench`), else the default below.
# pybench: quick=20000 instructions=400000
import os

N = int(os.environ.get("PYBENCH_N", 3_000_000))

def loop(n):
    total = 0
    i = 0
    while i < n:
        total += i * 2 % 7
        i += 1
    return total

print(loop(N))
