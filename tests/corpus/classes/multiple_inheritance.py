# Multiple inheritance with mixins; attribute lookup follows the MRO.
class JsonMixin:
    def to_json(self):
        items = ", ".join('"%s": %r' % (k, v) for k, v in sorted(vars(self).items()))
        return "{" + items + "}"


class ReprMixin:
    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, self.describe())


class Entity:
    kind = "entity"

    def __init__(self, name):
        self.name = name

    def describe(self):
        return "entity " + self.name


class User(JsonMixin, ReprMixin, Entity):
    kind = "user"

    def __init__(self, name, age):
        super().__init__(name)
        self.age = age

    def describe(self):
        return "user " + self.name


u = User("ann", 33)
print(u.to_json())
print(repr(u))
print(u.kind, Entity.kind)
print([k.__name__ for k in User.__mro__])
print(User.__mro__)
print(isinstance(u, JsonMixin), isinstance(u, Entity))


class A:
    x = "A"


class B(A):
    pass


class C(A):
    x = "C"


class D(B, C):
    pass


print(D.x, [k.__name__ for k in D.__mro__])
