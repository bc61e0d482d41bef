# isinstance and issubclass with builtin and user types, and tuples of types.
class A:
    pass


class B(A):
    pass


class C:
    pass


b = B()
print(isinstance(b, B), isinstance(b, A), isinstance(b, C), isinstance(b, object))
print(isinstance(b, (C, A)), isinstance(b, ()))
print(issubclass(B, A), issubclass(A, B), issubclass(B, (C, A)), issubclass(C, object))
print(isinstance(True, int), isinstance(1, bool), issubclass(bool, int))
print(isinstance(1, float), isinstance(1.0, float), isinstance("s", str))
print(isinstance([], list), isinstance((), tuple), isinstance({}, dict))
print(isinstance(None, type(None)), isinstance(int, type), isinstance(A, type))
print(type(b) is B, type(b) is A, type(type(b)) is type)
print(issubclass(KeyError, LookupError), issubclass(KeyError, Exception))
print(issubclass(ZeroDivisionError, ArithmeticError), issubclass(StopIteration, Exception))
try:
    isinstance(b, "A")
except TypeError:
    print("TypeError: isinstance() arg 2 is a str")
try:
    issubclass(b, A)
except TypeError as e:
    print("TypeError:", e)
