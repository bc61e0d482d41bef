# @property with getter, setter and deleter, plus property() built directly.
class Temperature:
    def __init__(self, celsius):
        self._c = celsius

    @property
    def celsius(self):
        print("get celsius")
        return self._c

    @celsius.setter
    def celsius(self, value):
        print("set celsius", value)
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._c = value

    @celsius.deleter
    def celsius(self):
        print("delete celsius")
        del self._c

    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32


t = Temperature(25)
print(t.celsius, t.fahrenheit)
t.celsius = 100
print(t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError:", e)
try:
    t.fahrenheit = 5
except AttributeError:
    print("fahrenheit is read-only")
del t.celsius
print(hasattr(t, "_c"))


class Old:
    def __init__(self):
        self._x = 1

    def getx(self):
        return self._x

    def setx(self, v):
        self._x = v * 10

    x = property(getx, setx, None, "the x property")


o = Old()
o.x = 4
print(o.x, Old.x.__doc__, type(Old.x).__name__)
print(isinstance(Temperature.celsius, property))
