# repr, str, bool, int, float constructors on assorted values.
for v in [0, -3, 2.5, "text", "", None, True, [1, "a"], (1,), {"k": [None]}]:
    print(repr(v), str(v), bool(v))
print(repr(repr("x")), str(str(5)), repr(str(1.5)))
print(bool(), bool(None), bool("False"), bool([[]]), bool(1))
print(int(), float(), str(), int("12") + int(3.9) + int(True))
print(float("1e3"), float(3), float("-0"), float(True))
print(str(b"bytes"), repr(b"bytes\x00"), str(1e100), str(123456789012345678))


class Flag:
    def __init__(self, on):
        self.on = bool(on)

    def __bool__(self):
        return self.on


print(bool(Flag(True)), bool(Flag(False)), [f.on for f in (Flag(1), Flag(0)) if f])
