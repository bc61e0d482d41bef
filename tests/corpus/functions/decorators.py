# Function decorators: plain, with arguments, stacked, and class-based.
def trace(fn):
    def wrapper(*args, **kwargs):
        print("calling", fn.__name__, args, kwargs)
        result = fn(*args, **kwargs)
        print("returned", result)
        return result

    wrapper.__name__ = fn.__name__
    return wrapper


@trace
def add(a, b):
    return a + b


add(2, 3)
print(add.__name__)


def repeat(times):
    def decorate(fn):
        def wrapper(*args):
            return [fn(*args) for _ in range(times)]

        return wrapper

    return decorate


@repeat(3)
def hello(name):
    return "hi " + name


print(hello("bob"))


def bold(fn):
    return lambda: "<b>" + fn() + "</b>"


def italic(fn):
    return lambda: "<i>" + fn() + "</i>"


@bold
@italic
def text():
    return "t"


print(text())
