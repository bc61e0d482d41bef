# type() of values, type identity, and type(name, bases, dict) to create classes.
for v in [1, 1.5, "s", b"b", None, True, [1], (1,), {1: 2}, {1}, frozenset(), range(1), object()]:
    print(type(v).__name__, end=" ")
print()
print(type(1) is int, type(True) is bool, type(True) is int, type(type) is type, type(object) is type)
print(type(1), type("x"), type(None), type([]))
Dyn = type("Dyn", (object,), {"x": 5, "double": lambda self: self.x * 2})
d = Dyn()
print(Dyn.__name__, d.x, d.double(), isinstance(d, Dyn), type(d) is Dyn)
Sub = type("Sub", (Dyn,), {"x": 21})
print(Sub().double(), [k.__name__ for k in Sub.__mro__])


class Meta:
    pass


print(type(Meta), type(Meta()).__name__, Meta().__class__ is Meta)
print(int.__name__, str.__name__, type(int.__name__).__name__)
