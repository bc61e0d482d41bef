# Subclasses of dict, set and frozenset (and of property, classmethod and staticmethod):
# construction, __init__, __missing__, methods, operators, isinstance, and overridden methods.


class Counter(dict):
    def __missing__(self, key):
        return 0

    def add(self, key):
        self[key] = self[key] + 1


c = Counter(a=1)
for w in "abcab":
    c.add(w)
print(sorted(c.items()), c["zz"], "zz" in c, c.get("zz"), len(c))
print(isinstance(c, dict), type(c).__name__, type(c) is Counter)


class Upper(dict):
    def __setitem__(self, k, v):
        super().__setitem__(k.upper(), v)

    def __getitem__(self, k):
        return super().__getitem__(k.upper())


u = Upper()
u["x"] = 1
print(u["X"], u["x"], list(u))


class Pairs(dict):
    def __init__(self, *pairs):
        super().__init__()
        for k, v in pairs:
            self[k] = v


p = Pairs(("a", 1), ("b", 2))
print(sorted(p.items()), p == {"a": 1, "b": 2}, dict(p) == p)
print(Counter([("q", 5)]), Counter({"r": 6}))


class Tags(set):
    def add_all(self, *xs):
        for x in xs:
            self.add(x)


t = Tags([3, 1])
t.add_all(2, 3)
print(sorted(t), isinstance(t, set), type(t).__name__, len(t), 2 in t)
print(sorted(t | {9}), sorted(t & {1, 2}))


class P(property):
    pass


class Q:
    @P
    def v(self):
        return 5


print(Q().v)


class CM(classmethod):
    pass


class SM(staticmethod):
    pass


class R:
    @CM
    def f(cls):
        return cls.__name__

    @SM
    def g():
        return "g"


print(R.f(), R.g(), R().f())


class F(frozenset):
    def total(self):
        return sum(self)


f = F([3, 1, 2])
print(sorted(f), f.total(), type(f).__name__, isinstance(f, frozenset), len(F()))
print(hash(f) == hash(frozenset([1, 2, 3])), f == frozenset([1, 2, 3]), 2 in f)
try:
    f.add(4)
except AttributeError as e:
    print("AttributeError:", e)
