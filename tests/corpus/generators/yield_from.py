# yield from delegation and its return value.
def inner():
    yield 1
    yield 2
    return "inner result"


def outer():
    result = yield from inner()
    print("inner returned", repr(result))
    yield 3
    return "outer result"


print(list(outer()))
g = outer()
try:
    while True:
        print("got", next(g))
except StopIteration as e:
    print("StopIteration value", repr(e.value))


def flatten(obj):
    if isinstance(obj, list):
        for item in obj:
            yield from flatten(item)
    else:
        yield obj


print(list(flatten([1, [2, [3, [4, []]], 5], [[6]]])))


def chain(*iterables):
    for it in iterables:
        yield from it


print(list(chain("ab", [1, 2], range(3), {"k": 0})))


def echo():
    while True:
        x = yield
        if x is None:
            return "stopped"
        print("echo", x)


def delegate():
    r = yield from echo()
    yield r


d = delegate()
next(d)
d.send("a")
d.send("b")
print(d.send(None))
