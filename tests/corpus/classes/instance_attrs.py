# Instance attributes: stored inline under keys shared by a class's instances, and a real
# __dict__ when asked for; every way of naming an attribute reaches the same storage.
class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y


a, b = P(1, 2), P(3, 4)
b.z = 5
print(a.x, a.y, b.x, b.y, b.z, hasattr(a, "z"))
print(sorted(vars(b).items()), "z" in dir(b), "z" in dir(a))

# Names made at run time, not interned constants.
name = "".join(["x"])
print(getattr(a, name), getattr(a, chr(121)))
setattr(a, "w" + "1", "run-time name")
print(a.w1, getattr(a, "w1"))

# Deleting, then setting again.
del a.x
print(hasattr(a, "x"), a.__dict__)
try:
    del a.x
except AttributeError as e:
    print("AttributeError:", e)
a.x = 10
print(a.x, a.__dict__)

# After __dict__ is taken, the dict is the storage, both ways.
d = b.__dict__
d["q"] = "via dict"
b.r = "via attribute"
print(b.q, d["r"], d is b.__dict__)
del d["x"]
print(hasattr(b, "x"))
del b.q
print("q" in d, sorted(d))

# More attributes than a class's shared keys hold.
class Many:
    pass


m = Many()
for i in range(40):
    setattr(m, "a%d" % i, i)
print(sum(getattr(m, "a%d" % i) for i in range(40)), len(vars(m)), m.a39)
m2 = Many()
m2.a0 = "second"
m2.other = 1
print(m2.a0, m2.other, sorted(vars(m2)))

# Instances of one class with attributes set in different orders.
class Q:
    pass


q1, q2 = Q(), Q()
q1.a, q1.b = 1, 2
q2.b, q2.a = 3, 4
print(q1.a, q1.b, q2.a, q2.b, vars(q1), vars(q2))

# Subclass instances keep their own attributes; class attributes are shadowed and revealed.
class R(P):
    k = "class"


r = R(7, 8)
print(r.k, r.x)
r.k = "instance"
print(r.k, R.k)
del r.k
print(r.k)

# An attribute that shadows a method.
class S:
    def m(self):
        return "method"


s = S()
print(s.m())
s.m = lambda: "instance attribute"
print(s.m())
del s.m
print(s.m())
try:
    P(1, 2).missing
except AttributeError as e:
    print("AttributeError:", e)
