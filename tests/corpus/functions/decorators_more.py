# Decorators used for registration and a class-based decorator with state.
registry = []


def register(fn):
    registry.append(fn.__name__)
    return fn


@register
def one():
    pass


@register
def two():
    pass


print(registry)


class CountCalls:
    def __init__(self, fn):
        self.fn = fn
        self.calls = 0

    def __call__(self, *args):
        self.calls += 1
        return self.fn(*args)


@CountCalls
def double(x):
    return 2 * x


print(double(4), double(5), double.calls)
