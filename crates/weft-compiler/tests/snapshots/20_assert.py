def f(x):
    assert x
    assert x > 0, "must be positive"
    return x
