# Catching exceptions through their builtin base classes.
cases = [
    ("KeyError", lambda: {}["k"], LookupError),
    ("IndexError", lambda: [][1], LookupError),
    ("ZeroDivisionError", lambda: 1 / 0, ArithmeticError),
    ("OverflowError", lambda: 2.0 ** 5000, ArithmeticError),
    ("ValueError", lambda: int("q"), Exception),
    ("TypeError", lambda: len(5), Exception),
    ("AttributeError", lambda: (1).nope, Exception),
    ("NameError", lambda: undefined_name_xyz, Exception),
    ("UnboundLocalError", None, NameError),
    ("FileNotFoundError", lambda: open("/nonexistent/dir/file.txt"), OSError),
    ("StopIteration", lambda: next(iter([])), Exception),
    ("RecursionError", None, RuntimeError),
    ("NotImplementedError", None, RuntimeError),
]


def unbound():
    print(v)
    v = 1


def recurse():
    raise RecursionError("synthetic")


def not_impl():
    raise NotImplementedError("todo")


extra = {"UnboundLocalError": unbound, "RecursionError": recurse, "NotImplementedError": not_impl}
for name, fn, base in cases:
    fn = fn or extra[name]
    try:
        fn()
    except base as e:
        print("%-20s caught by %-16s -> %s" % (name, base.__name__, type(e).__name__))
print(issubclass(KeyboardInterrupt, Exception), issubclass(KeyboardInterrupt, BaseException))
print(issubclass(SystemExit, Exception), issubclass(GeneratorExit, BaseException))
print(issubclass(FileNotFoundError, OSError), issubclass(UnicodeDecodeError, ValueError))
print(ZeroDivisionError.__mro__)
