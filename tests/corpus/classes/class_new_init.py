# __new__ and __init__: construction order, singletons, and immutable subclasses.
class Traced:
    def __new__(cls, *args):
        print("__new__", cls.__name__, args)
        return super().__new__(cls)

    def __init__(self, value):
        print("__init__", value)
        self.value = value


t = Traced(5)
print(t.value)


class Singleton:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance


print(Singleton() is Singleton())


class Upper(str):
    def __new__(cls, s):
        return super().__new__(cls, s.upper())


u = Upper("hello")
print(u, len(u), isinstance(u, str), u + "!", type(u).__name__)


class Pos(int):
    def __new__(cls, n):
        return super().__new__(cls, abs(n))


print(Pos(-5), Pos(-5) + 1, type(Pos(3)).__name__)


class Skips:
    def __new__(cls):
        return 42

    def __init__(self):
        print("never called")


print(Skips())
