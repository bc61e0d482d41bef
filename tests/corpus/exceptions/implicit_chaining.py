# Implicit exception chaining via __context__.
try:
    try:
        1 / 0
    except ZeroDivisionError:
        [][0]
except IndexError as e:
    print(repr(e))
    print(repr(e.__context__))
    print(e.__cause__)
try:
    try:
        raise ValueError("first")
    finally:
        raise KeyError("second")
except KeyError as e:
    print(repr(e), "context:", repr(e.__context__))


def handler():
    try:
        raise OSError("disk")
    except OSError:
        raise LookupError("lookup")


try:
    handler()
except LookupError as e:
    chain = []
    cur = e
    while cur is not None:
        chain.append(type(cur).__name__)
        cur = cur.__context__
    print(chain)
try:
    try:
        raise ValueError("a")
    except ValueError as inner:
        raise inner
except ValueError as e:
    print("re-raised same object has context:", e.__context__)
