# getattr, setattr, hasattr, delattr, vars and filtered dir.
class Thing:
    kind = "thing"

    def __init__(self):
        self.a = 1
        self.b = 2

    def method(self):
        return "m"


t = Thing()
print(getattr(t, "a"), getattr(t, "kind"), getattr(t, "nope", "default"), getattr(t, "method")())
setattr(t, "c", 3)
setattr(t, "a", 100)
print(t.c, t.a, hasattr(t, "c"), hasattr(t, "zzz"), hasattr(t, "method"))
delattr(t, "b")
print(hasattr(t, "b"), vars(t))
print([n for n in dir(t) if not n.startswith("__")])
try:
    getattr(t, "missing")
except AttributeError as e:
    print("AttributeError:", e)
try:
    delattr(t, "missing")
except AttributeError as e:
    print("AttributeError:", e)
try:
    getattr(t, 5)
except TypeError as e:
    print("TypeError:", e)
print(sorted(k for k in vars(Thing) if not k.startswith("__")))
for name in ["a", "c", "kind"]:
    print(name, getattr(t, name))
print(getattr(5, "bit_length")(), hasattr("s", "upper"), hasattr([], "nope"))
