# Exception args, str and repr for zero, one and several arguments.
for exc in [Exception(), Exception("one"), Exception("a", 2), ValueError(3), KeyError("key"), KeyError("a", "b"), IndexError()]:
    print(repr(exc), "|", str(exc), "|", exc.args)
e = RuntimeError("msg")
e.args = ("changed", 1)
print(e, e.args)
try:
    raise ValueError
except ValueError as e:
    print(repr(e), e.args)
try:
    raise TypeError("bad type", 42)
except TypeError as e:
    print(str(e), e.args[1])


class WithData(Exception):
    def __init__(self, code):
        super().__init__("code %d" % code)
        self.code = code


w = WithData(404)
print(repr(w), str(w), w.code, w.args)
print(str(KeyError("x")), str(KeyError(1)), repr(KeyError()))
print(isinstance(Exception("x"), BaseException))
