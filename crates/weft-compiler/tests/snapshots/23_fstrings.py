def f(name, value, width, items):
    a = f"hello {name}"
    b = f"{value!r} and {value!s} and {value!a}"
    c = f"{value:>{width}.2f}"
    d = f"{name=}"
    e = f"{f'{items[0]}'}"
    g = "plain" f"{name}" "tail"
    return a, b, c, d, e, g
