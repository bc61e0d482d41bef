# Class attributes versus instance attributes, shadowing and shared mutables.
class Config:
    debug = False
    shared = []

    def __init__(self, name):
        self.name = name


a, b = Config("a"), Config("b")
print(a.debug, b.debug)
a.debug = True
print(a.debug, b.debug, Config.debug)
Config.debug = "changed"
print(a.debug, b.debug)
del a.debug
print(a.debug)
a.shared.append(1)
print(b.shared, Config.shared)
print(sorted(vars(a)), "debug" in vars(Config), "name" in vars(Config))
Config.new_attr = 42
print(a.new_attr, b.new_attr)
print(type(a) is Config, a.__class__.__name__, Config.__name__)


class Counter:
    total = 0

    def __init__(self):
        Counter.total += 1
        self.id = Counter.total


objs = [Counter() for _ in range(3)]
print([o.id for o in objs], Counter.total)
print(a.__dict__)
