def f(a, b, c):
    x = a if b else c
    y = a and b or c
    if a and not b or c:
        return x
    if not a:
        return y
    return a or b
