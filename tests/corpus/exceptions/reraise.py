# Bare raise re-raises the current exception; raise e keeps the same object.
def risky():
    raise ValueError("original")


def wrapper():
    try:
        risky()
    except ValueError:
        print("logging and re-raising")
        raise


try:
    wrapper()
except ValueError as e:
    print("got", repr(e))
saved = None
try:
    try:
        risky()
    except ValueError as e:
        saved = e
        raise e
except ValueError as e2:
    print(e2 is saved)
try:
    raise
except RuntimeError as e:
    print("bare raise with nothing active:", e)


def conditional(swallow):
    try:
        raise KeyError("k")
    except KeyError:
        if swallow:
            return "swallowed"
        raise


print(conditional(True))
try:
    conditional(False)
except KeyError as e:
    print("re-raised", repr(e))
try:
    try:
        1 / 0
    except ZeroDivisionError:
        try:
            raise ValueError("nested")
        except ValueError:
            pass
        raise
except ZeroDivisionError as e:
    print("bare raise after nested handler re-raises", type(e).__name__)
