# Instantiation uses a plan cached per class version: replacing or deleting __init__ or
# __new__ on the class or a base after instances were made takes effect at once.


class Base:
    def __init__(self, x):
        self.x = x


class C(Base):
    pass


def make(n):
    return [C(i).x for i in range(n)]


print(make(3))
Base.__init__ = lambda self, x: setattr(self, "x", x * 10)
print(make(3))
C.__init__ = lambda self, x: setattr(self, "x", -x)
print(make(3))
del C.__init__
print(make(3))
del Base.__init__
try:
    make(1)
except TypeError as e:
    print("TypeError:", e)
print(type(C()).__name__, vars(C()))


def new(cls, *args):
    o = object.__new__(cls)
    o.made_by_new = True
    return o


C.__new__ = new
c = C()
print(vars(c))
del C.__new__
print(vars(C()))


class R:
    def __init__(self):
        return 5


for _ in range(3):
    try:
        R()
    except TypeError as e:
        print("TypeError:", e)
