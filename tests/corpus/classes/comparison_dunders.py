# Rich comparison methods, reflection, and sorting user objects.
class Version:
    def __init__(self, s):
        self.parts = tuple(int(p) for p in s.split("."))

    def __repr__(self):
        return "V" + ".".join(str(p) for p in self.parts)

    def __eq__(self, other):
        if not isinstance(other, Version):
            return NotImplemented
        return self.parts == other.parts

    def __lt__(self, other):
        return self.parts < other.parts

    def __le__(self, other):
        return self.parts <= other.parts

    def __gt__(self, other):
        return self.parts > other.parts

    def __ge__(self, other):
        return self.parts >= other.parts


a, b = Version("1.2.10"), Version("1.10")
print(a < b, a > b, a <= b, a >= b, a == b, a != b)
print(Version("2.0") == Version("2.0"), Version("2.0") == "2.0")
vs = [Version(s) for s in ["1.0", "0.9.9", "1.0.1", "0.10"]]
print(sorted(vs))
print(max(vs), min(vs))


class OnlyLt:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        print("lt", self.v, other.v)
        return self.v < other.v


x, y = OnlyLt(1), OnlyLt(2)
print(y > x)
try:
    x <= y
except TypeError as e:
    print("TypeError:", e)
print(x == x, x == OnlyLt(1))
