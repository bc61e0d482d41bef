# Attribute hooks added to (and removed from) a class after its instances were used, also on a
# base class: lookups must see the change at once.
class Base:
    pass


class P(Base):
    def __init__(self):
        self.x = 1


p = P()
print(p.x)


def loud_getattribute(self, name):
    return "hooked " + name


Base.__getattribute__ = loud_getattribute
print(p.x, p.anything)
del Base.__getattribute__
print(p.x)

log = []


def logging_setattr(self, name, value):
    log.append(name)
    object.__setattr__(self, name, value * 10)


P.__setattr__ = logging_setattr
p.y = 2
print(p.y, log)
del P.__setattr__
p.z = 3
print(p.z, log)
