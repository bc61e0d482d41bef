# Exception objects: __traceback__ presence, with_traceback, add args, type checks.
try:
    raise ValueError("tb")
except ValueError as e:
    print(e.__traceback__ is not None, type(e.__traceback__).__name__)
    caught = e
print(isinstance(caught, ValueError), caught.args)
fresh = KeyError("fresh")
print(fresh.__traceback__)
again = fresh.with_traceback(None)
print(again is fresh)
try:
    raise StopIteration(5)
except StopIteration as e:
    print("StopIteration value", e.value)
try:
    raise SystemExit(2)
except SystemExit as e:
    print("SystemExit code", e.code)
try:
    raise OSError(2, "No such file")
except OSError as e:
    print(e.errno, e.strerror, str(e))
try:
    {}["k"]
except LookupError as e:
    print(type(e).__name__, type(e).__mro__[1].__name__)
print(repr(ArithmeticError("x")), repr(BaseException()))
