def f(data):
    if (n := len(data)) > 10:
        return n
    total = [last := x for x in data]
    return last, total
