# __repr__ and __str__: which one print, str(), repr(), containers and f-strings use.
class Both:
    def __repr__(self):
        return "Both(repr)"

    def __str__(self):
        return "Both(str)"


class ReprOnly:
    def __repr__(self):
        return "ReprOnly()"


class StrOnly:
    def __str__(self):
        return "StrOnly-str"


b = Both()
print(b)
print(str(b), repr(b))
print([b, b])
print((b,), {"k": b})
print(f"{b} {b!r} {b!s}")
print("%s %r" % (b, b))
r = ReprOnly()
print(r, str(r), [r])
s = StrOnly()
print(s, str(s))
print(repr(s).startswith("<__main__.StrOnly object at "))


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __repr__(self):
        return "Money(%d)" % self.cents

    def __str__(self):
        return "$%d.%02d" % divmod(self.cents, 100)


m = Money(12345)
print(m, repr(m), [m], str([m]))
print("{} {!r}".format(m, m))
