# Exceptions: try/except/else/finally in a loop, raising and catching custom exception
# classes (with a hierarchy and arguments), re-raising, and `with` on a user context manager.
# The size comes from PYBENCH_N (set by `cargo xtask pybench`), else the default below.
# pybench: quick=2000 instructions=40000
import os

N = int(os.environ.get("PYBENCH_N", 200_000))


class AppError(Exception):
    pass


class NotFound(AppError):
    def __init__(self, key):
        super().__init__(key)
        self.key = key


class TooBig(AppError):
    def __init__(self, value, limit):
        super().__init__(value, limit)
        self.value = value
        self.limit = limit


class Tracker:
    """A context manager that counts entries and exits and swallows NotFound."""

    def __init__(self):
        self.entered = 0
        self.exited = 0
        self.swallowed = 0

    def __enter__(self):
        self.entered += 1
        return self

    def __exit__(self, kind, value, tb):
        self.exited += 1
        if kind is not None and issubclass(kind, NotFound):
            self.swallowed += 1
            return True
        return False


def lookup(table, key):
    if key not in table:
        raise NotFound(key)
    value = table[key]
    if value > 90:
        raise TooBig(value, 90)
    return value


def checked(table, key):
    try:
        return lookup(table, key)
    except TooBig as e:
        return e.limit - e.value
    finally:
        table["calls"] = table.get("calls", 0) + 1


def run(n):
    table = {k: (k * 7) % 100 for k in range(0, 50, 2)}
    tracker = Tracker()
    total = 0
    missing = 0
    elses = 0
    errors = 0
    for i in range(n):
        key = i % 50
        try:
            total += checked(table, key)
        except NotFound as e:
            missing += 1
            total -= e.key
        else:
            elses += 1
        with tracker:
            if i % 3 == 0:
                lookup(table, 1)
            total += 1
        try:
            try:
                if i % 7 == 0:
                    raise ValueError(i)
                int("x" if i % 11 == 0 else "5")
            except ValueError:
                errors += 1
                raise
        except Exception:
            total += 2
    return total, missing, elses, errors, tracker.entered, tracker.exited, tracker.swallowed, table["calls"]


print(run(N))
