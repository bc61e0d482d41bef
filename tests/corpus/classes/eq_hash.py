# __eq__ and __hash__: user objects as dict keys and set members.
class Key:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __eq__(self, other):
        return isinstance(other, Key) and (self.a, self.b) == (other.a, other.b)

    def __hash__(self):
        return hash((self.a, self.b))

    def __repr__(self):
        return "Key(%r, %r)" % (self.a, self.b)


d = {Key(1, 2): "first"}
d[Key(1, 2)] = "replaced"
d[Key(2, 1)] = "second"
print(len(d), d[Key(1, 2)], d)
s = {Key(0, 0), Key(0, 0), Key(0, 1)}
print(len(s), Key(0, 1) in s, Key(5, 5) in s)


class NoHash:
    def __eq__(self, other):
        return True


print(NoHash.__hash__)
try:
    {NoHash()}
except TypeError as e:
    print("TypeError:", e)


class Identity:
    pass


i1, i2 = Identity(), Identity()
print(i1 == i2, i1 == i1, len({i1, i2, i1}))
print(hash(i1) == hash(i1))


class Inherits(Key):
    pass


print(Inherits(1, 2) == Key(1, 2), {Inherits(1, 2): 1}.get(Key(1, 2)))
print(hash(7), hash(-1), hash(0), hash(True), hash(2 ** 61), hash(1.0) == hash(1))
