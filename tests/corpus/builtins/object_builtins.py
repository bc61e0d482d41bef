# object(), super, property, staticmethod, classmethod used as plain builtins.
o = object()
print(type(o).__name__, o == o, o != object(), isinstance(o, object))
try:
    o.attr = 1
except AttributeError as e:
    print("AttributeError:", e)


class Base:
    def greet(self):
        return "base"


class Child(Base):
    def greet(self):
        return "child+" + super(Child, self).greet()

    def get_v(self):
        return self._v * 2

    def set_v(self, v):
        self._v = v

    v = property(get_v, set_v)
    make = classmethod(lambda cls: cls.__name__)
    util = staticmethod(lambda a, b: a * b)


c = Child()
c.v = 21
print(c.greet(), c.v, Child.make(), c.make(), Child.util(6, 7), c.util(2, 3))
print(type(Child.__dict__["v"]).__name__, type(Child.__dict__["make"]).__name__, type(Child.__dict__["util"]).__name__)
print(isinstance(super(Child, c), super), [n for n in dir(c) if not n.startswith("_")])
print(object.__name__, Base.__bases__, issubclass(Child, object))
