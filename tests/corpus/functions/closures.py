# Closures capture variables, not values; cells are shared.
def make_counter():
    count = 0

    def inc():
        nonlocal count
        count += 1
        return count

    def get():
        return count

    return inc, get


inc, get = make_counter()
inc()
inc()
print(get())
inc2, get2 = make_counter()
inc2()
print(get(), get2())


def make_multipliers():
    return [lambda x, n=n: x * n for n in range(1, 4)]


print([m(10) for m in make_multipliers()])


def outer():
    value = "first"

    def show():
        return value

    value = "second"
    return show


print(outer()())


def level1(a):
    def level2(b):
        def level3(c):
            return a + b + c

        return level3

    return level2


print(level1(1)(20)(300))
print(inc.__closure__ is not None, len(inc.__closure__))
