def f(items):
    for x in items:
        try:
            work(x)
        except ValueError:
            continue
        except KeyError as k:
            break
        finally:
            log(x)
    return x
