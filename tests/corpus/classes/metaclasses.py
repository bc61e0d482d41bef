# Metaclasses: subclassing type, __new__ / __init__ / __call__ / __prepare__ on the metaclass,
# metaclass methods and properties seen from the class, inheritance of the metaclass, the
# most derived metaclass, conflicts, and type(name, bases, ns) with a metaclass base.


class Meta(type):
    def __new__(mcls, name, bases, ns, **kw):
        ns["tag"] = name.lower()
        cls = super().__new__(mcls, name, bases, ns)
        cls.kw = kw
        return cls

    def __init__(cls, name, bases, ns, **kw):
        super().__init__(name, bases, ns)
        cls.initialized = True

    def __call__(cls, *args, **kwargs):
        print("creating", cls.__name__, args)
        return super().__call__(*args, **kwargs)

    def hello(cls):
        return "hello from " + cls.__name__

    @property
    def upper(cls):
        return cls.__name__.upper()


class A(metaclass=Meta):
    def __init__(self, x):
        self.x = x


a = A(3)
print(a.x, A.tag, A.hello(), A.upper, A.initialized, A.kw)
print(type(A).__name__, type(A) is Meta, isinstance(A, Meta), isinstance(A, type))
print(A.__class__ is Meta, type(a) is A, repr(A).startswith("<class"))


class B(A, flavour="mint"):
    pass


b = B(4)
print(B.tag, type(B) is Meta, B.kw, b.x, isinstance(b, A))
print(Meta.__mro__ == (Meta, type, object))


class Counting(type):
    count = 0

    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        print("prepare", name)
        return {"prepared": True}

    def __new__(mcls, name, bases, ns):
        Counting.count += 1
        return super().__new__(mcls, name, bases, dict(ns))


class C(metaclass=Counting):
    x = 1


print(C.prepared, C.x, Counting.count, type(C).__name__)


class Other(type):
    pass


try:

    class D(A, metaclass=Other):
        pass

except TypeError as e:
    print("TypeError:", e)


class Sub(Meta):
    pass


class E(A, metaclass=Sub):
    pass


print(type(E).__name__, E.tag)

F = Meta("F", (), {"y": 2})
print(type(F).__name__, F.y, F.tag)
G = type("G", (A,), {})
print(type(G).__name__, G.tag)


def factory(name, bases, ns):
    return "made by a function: " + name


class H(metaclass=factory):
    pass


print(H)
