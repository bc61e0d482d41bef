# Functions are objects: attributes, first-class use, docstrings.
def documented(a, b=1):
    """Adds two numbers."""
    return a + b


print(documented.__name__)
print(documented.__doc__)
print(documented.__defaults__)
documented.tag = "custom"
print(documented.tag)


def no_doc():
    pass


print(no_doc.__doc__, no_doc())


def apply(fn, *args):
    return fn(*args)


print(apply(documented, 5), apply(max, 3, 9, 4))
table = {"double": lambda x: 2 * x, "neg": lambda x: -x}
print({k: f(21) for k, f in table.items()})
print(callable(documented), callable(3))


class K:
    def method(self):
        return "m"


print(K.method.__name__, K().method())
print(K.method.__qualname__, documented.__qualname__)
