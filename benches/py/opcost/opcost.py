# Per-operation cost: `opcost.py OP N` runs N iterations of one operation, so that
# (instructions(OP, N) - instructions("pass", N)) / N is the cost of OP alone.
# Run by benches/py/opcost/run.sh under cachegrind.
import sys


class C:
    def __init__(self, a, b, c):
        self.a = a
        self.b = b
        self.c = c

    def m(self):
        return None


def loop_pass(o, n):
    for _ in range(n):
        pass


def loop_get(o, n):
    for _ in range(n):
        o.a


def loop_set(o, n):
    for _ in range(n):
        o.a = 1


def loop_method(o, n):
    for _ in range(n):
        o.m()


def loop_new(o, n):
    for _ in range(n):
        C(1, 2, 3)


def loop_isinstance(o, n):
    for _ in range(n):
        isinstance(o, C)


LOOPS = {
    "pass": loop_pass,
    "get": loop_get,
    "set": loop_set,
    "method": loop_method,
    "new": loop_new,
    "isinstance": loop_isinstance,
}

LOOPS[sys.argv[1]](C(1, 2, 3), int(sys.argv[2]))
