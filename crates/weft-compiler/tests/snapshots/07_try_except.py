def f(x):
    try:
        y = 1 / x
    except ZeroDivisionError as e:
        y = 0
    except (TypeError, ValueError):
        y = -1
    except:
        raise
    else:
        y += 1
    return y
