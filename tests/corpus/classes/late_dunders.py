# A dunder added, replaced or deleted after the class (or a base) was made takes effect at once.
class Base:
    pass


class C(Base):
    pass


c = C()
print(callable(c))
try:
    c()
except TypeError as e:
    print("TypeError:", e)

Base.__call__ = lambda self, x: ("base call", x)
print(callable(c), c(1))
C.__call__ = lambda self, x: ("own call", x)
print(c(2))
del C.__call__
print(c(3))
del Base.__call__
print(callable(c))

try:
    iter(c)
except TypeError as e:
    print("TypeError:", e)
Base.__iter__ = lambda self: iter([1, 2, 3])
print(list(c), [x * 2 for x in c])
C.__iter__ = lambda self: iter("ab")
print(list(c))
del C.__iter__, Base.__iter__
try:
    list(c)
except TypeError as e:
    print("TypeError:", e)

try:
    c.missing
except AttributeError as e:
    print("AttributeError:", e)
Base.__getattr__ = lambda self, name: "got " + name
print(c.missing, getattr(c, "other"))
del Base.__getattr__
print(hasattr(c, "missing"))

a, b = C(), C()
print(a == b, len({a, b}))
Base.__eq__ = lambda self, other: True
Base.__hash__ = lambda self: 7
print(a == b, hash(a), len({a, b}))
C.__eq__ = lambda self, other: False
print(a == b)
del C.__eq__
del Base.__eq__, Base.__hash__
print(a == b, len({a, b}))

try:
    len(c)
except TypeError as e:
    print("TypeError:", e)
Base.__len__ = lambda self: 5
print(len(c), bool(c))
Base.__len__ = lambda self: 0
print(len(c), bool(c))
del Base.__len__
print(bool(c))


class M:
    def method(self):
        return "old"


class N(M):
    pass


n = N()
results = []
for i in range(4):
    results.append(n.method())
    if i == 1:
        M.method = lambda self: "new"
print(results)
M.attr = 1
print(N.attr, n.attr)
M.attr = 2
print(N.attr, n.attr)
N.attr = 3
print(N.attr, n.attr, M.attr)
del N.attr
print(N.attr)
