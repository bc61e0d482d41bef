# Object-heavy work: instantiate a class with a 3-attribute __init__, read and write
# attributes, call methods, isinstance.
# The size comes from PYBENCH_N (set by `cargo xtask pybench`), else the default below.
# pybench: quick=2000 instructions=50000
import os

N = int(os.environ.get("PYBENCH_N", 200_000))

class Vec:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def dot(self, other):
        return self.x * other.x + self.y * other.y + self.z * other.z

    def scale(self, k):
        self.x = self.x * k
        self.y = self.y * k
        self.z = self.z * k


class Vec4(Vec):
    def __init__(self, x, y, z, w):
        Vec.__init__(self, x, y, z)
        self.w = w


def run(n):
    total = 0
    acc = Vec(0, 0, 0)
    for i in range(n):
        v = Vec(i, i + 1, i + 2)
        v.scale(2)
        total += v.dot(v)
        acc.x = acc.x + v.y
        if isinstance(v, Vec) and not isinstance(v, Vec4):
            total += 1
        if i % 8 == 0:
            w = Vec4(1, 2, 3, 4)
            total += w.w + w.x
    return total + acc.x


print(run(N))
