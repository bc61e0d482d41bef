# Method calls and attribute access.
# The size comes from PYBENCH_N (set by `cargo xtask pybench`), else the default below.
# pybench: quick=10000 instructions=200000
import os

N = int(os.environ.get("PYBENCH_N", 1_000_000))

class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def moved(self, dx):
        self.x += dx
        return self

    def norm1(self):
        return abs(self.x) + abs(self.y)


def run(n):
    p = Point(0, 1)
    total = 0
    for i in range(n):
        p.moved(1)
        total += p.norm1()
    return total

print(run(N))
