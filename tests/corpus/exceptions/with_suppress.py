# with statements: suppression by returning True, and exceptions inside __exit__.
class Suppress:
    def __init__(self, *types):
        self.types = types

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, self.types):
            print("suppressing", exc_type.__name__, exc)
            self.caught = exc
            return True
        return False


with Suppress(KeyError, IndexError) as s:
    {}["missing"]
print("continued, caught:", repr(s.caught))
with Suppress(ZeroDivisionError):
    print("no exception here")
try:
    with Suppress(KeyError):
        raise ValueError("not suppressed")
except ValueError as e:
    print("escaped:", e)


class Falsy:
    def __enter__(self):
        pass

    def __exit__(self, *args):
        return 0


try:
    with Falsy():
        raise RuntimeError("falsy exit return keeps the exception")
except RuntimeError as e:
    print(e)


class Replacer:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        raise TypeError("from __exit__")


try:
    with Replacer():
        raise ValueError("original")
except TypeError as e:
    print(repr(e), "context:", repr(e.__context__))


def gen_results():
    for i in range(4):
        with Suppress(ZeroDivisionError):
            yield 12 // (i - 2)


print(list(gen_results()))
