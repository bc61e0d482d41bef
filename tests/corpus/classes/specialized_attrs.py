# Attribute reads, writes and method loads that the eval loop specializes: every change to a
# class, a base class or an instance after the site specialized must be seen at once.


class P:
    def __init__(self, x):
        self.x = x

    def get(self):
        return self.x


def read_x(objs):
    return [o.x for o in objs]


def call_get(objs):
    return [o.get() for o in objs]


ps = [P(i) for i in range(5)]
print(read_x(ps), call_get(ps))

# A data descriptor added to the class later shadows the instance value.
P.x = property(lambda self: "prop")
print(read_x(ps))
del P.x
print(read_x(ps))

# The method replaced on the class, then shadowed by an instance attribute.
P.get = lambda self: -self.x
print(call_get(ps))
ps[2].get = lambda: "own"
print(call_get(ps))
del ps[2].get
print(call_get(ps))


# A method replaced on a base class is seen through a subclass.
class Base:
    def f(self):
        return "base"


class Sub(Base):
    pass


subs = [Sub() for _ in range(4)]


def call_f(objs):
    return [o.f() for o in objs]


print(call_f(subs))
Base.f = lambda self: "base2"
print(call_f(subs))
Sub.f = lambda self: "sub"
print(call_f(subs))
del Sub.f
print(call_f(subs))

# Mixed types at one site: instances of two classes and a non-instance.


class A:
    def __init__(self):
        self.v = "a"


class B:
    def __init__(self):
        self.w = 0
        self.v = "b"


mixed = [A(), B(), A(), B(), A()]
print([m.v for m in mixed] * 2)

# An instance whose __dict__ was taken (materialized) after the site specialized.
qs = [P(i) for i in range(3)]
print(read_x(qs))
d = qs[1].__dict__
d["x"] = "via dict"
print(read_x(qs))
qs[1].x = "set again"
print(read_x(qs), qs[1].__dict__)

# Stores: a site that stores into instance values keeps working as a property appears.
log = []


class S:
    pass


def store_all(objs, v):
    for o in objs:
        o.val = v


ss = [S() for _ in range(3)]
store_all(ss, 1)
store_all(ss, 2)
print([s.val for s in ss])
S.val = property(lambda self: "ro", lambda self, v: log.append(v))
store_all(ss, 3)
print([s.val for s in ss], log)
del S.val
store_all(ss, 4)
print([s.val for s in ss], [vars(s) for s in ss])

# __getattribute__ and __setattr__ added to the class later.
def ga(self, name):
    return "hooked " + name


P.__getattribute__ = ga
print(read_x(ps[:2]))
del P.__getattribute__
print(read_x(ps[:2]))


def sa(self, name, value):
    object.__setattr__(self, name, value * 10)


S.__setattr__ = sa
store_all(ss, 5)
print([s.val for s in ss])
del S.__setattr__
store_all(ss, 6)
print([s.val for s in ss])

# Deleting an attribute after the site specialized: AttributeError, then __getattr__.
r = P(1)
for i in range(3):
    print(read_x([r]))
del r.x
try:
    read_x([r])
except AttributeError as e:
    print("AttributeError:", e)
P.__getattr__ = lambda self, name: "fallback " + name
print(read_x([r]))
del P.__getattr__

# More than 30 attributes: the instance moves to a dict.
class Many:
    pass


m = Many()
for k in range(40):
    setattr(m, "a%d" % k, k)
    m.last = k
print(m.last, m.a0, m.a39, len(vars(m)))


# Slots.
class Sl:
    __slots__ = ("x",)

    def __init__(self):
        self.x = 1

    def get(self):
        return self.x


sl = [Sl() for _ in range(3)]
print(read_x(sl), call_get(sl))
