# __class__ assignment: methods and class attributes follow the new class, instance
# attributes stay, and CPython's errors for non-classes, builtin types, layouts and deletion.


class A:
    kind = "a"

    def __init__(self):
        self.x = 1

    def who(self):
        return "A", self.x


class B:
    kind = "b"

    def who(self):
        return "B", self.x


o = A()
for _ in range(3):
    print(o.who(), o.kind)
o.__class__ = B
print(o.who(), o.kind, type(o).__name__, isinstance(o, B), isinstance(o, A), vars(o))
o.y = 2
print(sorted(vars(o).items()))
o.__class__ = A
print(o.who(), o.kind)


class S:
    __slots__ = ("x",)


class T:
    __slots__ = ("x",)


class U:
    __slots__ = ("y",)


s = S()
s.x = 5
s.__class__ = T
print(type(s).__name__, s.x)
for bad in (5, int, U, A):
    try:
        s.__class__ = bad
    except TypeError as e:
        print("TypeError:", e)
try:
    del o.__class__
except TypeError as e:
    print("TypeError:", e)


class E1(Exception):
    pass


class E2(Exception):
    pass


e = E1("boom")
e.__class__ = E2
print(type(e).__name__, e.args)
try:
    e.__class__ = A
except TypeError as err:
    print("TypeError:", err)
