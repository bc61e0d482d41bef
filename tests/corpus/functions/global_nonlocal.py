# global and nonlocal interplay across several levels.
x = 0


def a():
    x = 1

    def b():
        nonlocal x
        x += 10

        def c():
            global x
            x += 100

        c()
        return x

    r = b()
    return x, r


print(a(), x)


def counter_factory():
    n = 0

    def step(by=1):
        nonlocal n
        n += by
        return n

    def reset():
        nonlocal n
        n = 0

    return step, reset


step, reset = counter_factory()
print(step(), step(5), step())
reset()
print(step())


def set_many():
    global g1, g2
    g1, g2 = "one", "two"


set_many()
print(g1, g2)
