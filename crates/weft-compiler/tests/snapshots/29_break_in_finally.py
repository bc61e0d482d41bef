def f(items):
    for x in items:
        try:
            if x:
                continue
            break
        finally:
            cleanup(x)
    while True:
        with ctx() as c:
            if c:
                break
            return c
