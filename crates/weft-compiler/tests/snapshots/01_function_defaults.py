def f(a, b=2, *args, c, d=4, **kwargs):
    return a + b + c + d

def g(x, y, /, z=None):
    return x, y, z
