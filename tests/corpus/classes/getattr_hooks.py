# __getattr__ is called only for missing attributes; __setattr__/__delattr__ hooks.
class Dynamic:
    existing = "class attr"

    def __init__(self):
        self.real = "instance attr"

    def __getattr__(self, name):
        if name.startswith("auto_"):
            return name[5:].upper()
        raise AttributeError("no attribute %r here" % name)


d = Dynamic()
print(d.real, d.existing, d.auto_hello)
print(getattr(d, "auto_x"), getattr(d, "missing", "default"))
print(hasattr(d, "auto_y"), hasattr(d, "other"))
try:
    d.other
except AttributeError as e:
    print("AttributeError:", e)


class Recorder:
    def __init__(self):
        object.__setattr__(self, "log", [])

    def __setattr__(self, name, value):
        self.log.append(("set", name, value))
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        self.log.append(("del", name))
        object.__delattr__(self, name)


r = Recorder()
r.a = 1
r.b = 2
del r.a
print(r.log, r.b, hasattr(r, "a"))


class Proxy:
    def __init__(self, target):
        self._target = target

    def __getattr__(self, name):
        print("proxy lookup", name)
        return getattr(self._target, name)


p = Proxy([3, 1, 2])
p.append(0)
p.sort()
print(p._target, p.count(1))
