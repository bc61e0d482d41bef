# vars() and dir() on instances, classes and modules, filtered to stable names.
import math


class Rec:
    category = "c"

    def __init__(self, **fields):
        for k, v in fields.items():
            setattr(self, k, v)

    def show(self):
        return vars(self)


r = Rec(x=1, y="two")
print(vars(r), r.show() is r.__dict__)
vars(r)["z"] = 3
print(r.z)
print([n for n in dir(r) if not n.startswith("__")])
print([n for n in dir(Rec) if not n.startswith("__")])
print("sqrt" in dir(math), "pi" in vars(math))
try:
    vars(5)
except TypeError as e:
    print("TypeError:", e)


class Slotted:
    __slots__ = ("a",)


s = Slotted()
s.a = 1
print([n for n in dir(s) if not n.startswith("__")])
