# Reflected operators: a right operand whose type is a subclass (along the MRO, multiple
# inheritance included) that overrides the reflected method is asked first.
class A:
    def __lt__(self, other):
        return "A.__lt__"

    def __gt__(self, other):
        return "A.__gt__"


class B:
    def __lt__(self, other):
        return "B.__lt__"

    def __gt__(self, other):
        return "B.__gt__"


class C(A, B):
    def __lt__(self, other):
        return "C.__lt__"

    def __gt__(self, other):
        return "C.__gt__"


print(B() < C())
print(B() > C())
print(A() < C())
print(C() < B())


class Num:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        return "Num.__add__"

    def __radd__(self, other):
        return "Num.__radd__"

    def __sub__(self, other):
        return "Num.__sub__"

    def __rsub__(self, other):
        return "Num.__rsub__"

    def __mul__(self, other):
        return "Num.__mul__"


class Other:
    def __radd__(self, other):
        return "Other.__radd__"

    def __rsub__(self, other):
        return "Other.__rsub__"


class Sub(Other, Num):
    def __radd__(self, other):
        return "Sub.__radd__"


print(Num(1) + Sub(2))
print(Num(1) - Sub(2))
print(Num(1) * Sub(2))
print(Sub(1) + Num(2))


class MyInt(int):
    def __radd__(self, other):
        return "MyInt.__radd__"

    def __rmul__(self, other):
        return NotImplemented


print(1 + MyInt(2))
print(3 * MyInt(2))
print(MyInt(2) + 1)
print(issubclass(C, B), isinstance(C(), B), C.__mro__ == (C, A, B, object))
