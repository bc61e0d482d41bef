# raise ... from ... sets __cause__; from None suppresses the context.
class ConfigError(Exception):
    pass


def load(key):
    data = {"a": 1}
    try:
        return data[key]
    except KeyError as e:
        raise ConfigError("missing key " + key) from e


try:
    load("zz")
except ConfigError as e:
    print("caught", repr(e))
    print("cause", repr(e.__cause__))
    print("context", repr(e.__context__))
    print("suppress", e.__suppress_context__)
try:
    try:
        int("x")
    except ValueError:
        raise RuntimeError("clean") from None
except RuntimeError as e:
    print(repr(e), e.__cause__, repr(e.__context__), e.__suppress_context__)
try:
    raise TypeError("outer") from ValueError("explicit cause")
except TypeError as e:
    print(repr(e.__cause__), e.__context__)
err = ValueError("v")
print(err.__cause__, err.__context__, err.__suppress_context__)
