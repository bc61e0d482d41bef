def f(data):
    a = [x * 2 for x in data if x > 0]
    b = {x for x in data}
    c = {k: v for k, v in data.items() if k}
    d = (x for x in data)
    return a, b, c, d
