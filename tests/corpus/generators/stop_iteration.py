# StopIteration semantics: return value, and StopIteration raised inside a generator.
def gen():
    yield 1
    return 42


g = gen()
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("value:", e.value, "args:", e.args)


def plain_return():
    return
    yield


try:
    next(plain_return())
except StopIteration as e:
    print("value:", e.value, "args:", e.args)


def leaks_stop():
    yield 1
    raise StopIteration("inside")


try:
    list(leaks_stop())
except RuntimeError as e:
    print("RuntimeError:", e)
    print("cause:", repr(e.__cause__))


def uses_next(it):
    for x in it:
        yield x
    yield next(iter([]), "default used")


print(list(uses_next([7, 8])))
it = iter([1, 2])
print(next(it), next(it), next(it, None))
try:
    next(it)
except StopIteration as e:
    print("plain iterator StopIteration args:", e.args)
