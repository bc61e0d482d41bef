# __slots__ restricts instance attributes and removes __dict__.
class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


p = Point(1, 2)
print(p.x, p.y)
p.x = 10
print(p.x)
try:
    p.z = 3
except AttributeError as e:
    print("AttributeError:", e)
print(hasattr(p, "__dict__"))
print(Point.__slots__)


class Point3(Point):
    __slots__ = ("z",)

    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z


q = Point3(1, 2, 3)
print(q.x, q.y, q.z)


class Partial:
    __slots__ = ("a",)


obj = Partial()
try:
    obj.a
except AttributeError:
    print("slot a not set yet")
obj.a = 5
del obj.a
print(hasattr(obj, "a"))


class WithDict(Point):
    pass


w = WithDict(0, 0)
w.extra = "ok"
print(w.extra, hasattr(w, "__dict__"))
