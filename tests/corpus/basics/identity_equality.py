# `is` versus `==`, and id() comparisons (ids are never printed).
a = [1, 2]
b = [1, 2]
c = a
print(a == b, a is b, a is c)
print(id(a) == id(c), id(a) == id(b))
print(None is None, type(None) is type(None))
x = None
print(x is None, x is not None)
print(True is True, (1 == 1) is True)
t1 = ()
t2 = ()
print(t1 == t2)


class P:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return isinstance(other, P) and self.v == other.v


p1, p2 = P(1), P(1)
print(p1 == p2, p1 is p2, p1 != p2, p1 == 1)
nan = float("nan")
print(nan == nan, nan is nan, [nan] == [nan])
print(1 == 1.0, 1 == True, 0 == False, "1" == 1)
