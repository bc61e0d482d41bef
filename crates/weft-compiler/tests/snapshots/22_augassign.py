def f(obj, d, n):
    n += 1
    obj.count -= 2
    d[n] *= 3
    n **= 2
    n //= 4
    n @= m
    return n
