# C3 method resolution order for diamond and more complex hierarchies.
class A:
    def who(self):
        return "A"


class B(A):
    def who(self):
        return "B" + super().who()


class C(A):
    def who(self):
        return "C" + super().who()


class D(B, C):
    def who(self):
        return "D" + super().who()


print(D.__mro__)
print([k.__name__ for k in D.__mro__])
print(D().who())


class X:
    pass


class Y:
    pass


class Z:
    pass


class K1(X, Y):
    pass


class K2(Y, Z):
    pass


class K3(X, Z):
    pass


class M(K1, K2, K3):
    pass


print([k.__name__ for k in M.__mro__])
print(D.__bases__, object.__bases__)
print(M.mro() == list(M.__mro__))
try:
    class Bad(A, B):
        pass
except TypeError as e:
    print("TypeError, no consistent MRO:", "consistent method resolution" in str(e))
