def f(items, factor):
    return sum(x * factor for x in items if x)
