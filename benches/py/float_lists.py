# A float-heavy loop over lists.
# The size comes from PYBENCH_N (set by `cargo xtask pybench`), else the default below.
# pybench: quick=1000 instructions=10000
import os

N = int(os.environ.get("PYBENCH_N", 50_000))

def run(n):
    xs = [i * 0.5 for i in range(n)]
    ys = [1.0 / (i + 1.0) for i in range(n)]
    acc = 0.0
    for _ in range(20):
        for j in range(n):
            acc += xs[j] * ys[j] - 0.25
    return acc

print(round(run(N), 3))
