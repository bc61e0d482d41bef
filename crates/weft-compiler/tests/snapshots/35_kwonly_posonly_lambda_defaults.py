def f(a, b, /, c, *, d, e=5):
    return lambda x=a, *, y=d: x + y
