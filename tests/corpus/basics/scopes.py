# global and nonlocal declarations and name resolution order.
counter = 0


def increment():
    global counter
    counter += 1
    return counter


increment()
increment()
print("counter", counter)


def make_accumulator():
    total = 0

    def add(n):
        nonlocal total
        total += n
        return total

    return add


acc = make_accumulator()
print(acc(5), acc(10), acc(-3))
x = "global"


def outer():
    x = "enclosing"

    def inner():
        return x

    return inner()


print(outer(), x)


def shadow():
    x = "local"
    return x


print(shadow(), x)


def define_global():
    global created_later
    created_later = "made inside a function"


define_global()
print(created_later)
len = lambda s: "shadowed len"
print(len([1, 2]))
del len
print(len([1, 2]))
