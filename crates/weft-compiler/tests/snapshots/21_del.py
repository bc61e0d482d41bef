def f(obj, d):
    x = 1
    del x
    del obj.attr, d[0]
    del (obj.a, d[1])
