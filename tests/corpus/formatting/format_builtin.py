# format() builtin and __format__ on user classes.
print(format(3.14159, ".2f"), format(42, "08b"), format("s", "^5"), format(1234.5, ","))
print(repr(format(12)), repr(format(1.0)), repr(format([1])))


class Temp:
    def __init__(self, c):
        self.c = c

    def __format__(self, spec):
        if spec.endswith("F"):
            return format(self.c * 9 / 5 + 32, spec[:-1] or "") + "F"
        if spec.endswith("C"):
            return format(self.c, spec[:-1] or "") + "C"
        return str(self.c)


t = Temp(21.5)
print(format(t, "C"), format(t, ".1fF"), format(t, ""), f"{t:.0fC}", "{:F}".format(t))


class Plain:
    pass


try:
    format(Plain(), "x")
except TypeError as e:
    print("TypeError:", e)
plain = Plain()
print(format(plain, "") == str(plain))
print(f"{10:{'>'}5}", f"{'abc'!r:>8}")
