# try/except/else/finally: which clauses run in each case.
def attempt(x):
    try:
        print("  try", x)
        result = 10 // x
    except ZeroDivisionError:
        print("  except ZeroDivisionError")
        result = None
    except TypeError as e:
        print("  except TypeError:", e)
        result = "bad"
    else:
        print("  else")
    finally:
        print("  finally")
    return result


for arg in (2, 0, "s"):
    print("attempt", repr(arg))
    print("->", attempt(arg))
try:
    pass
finally:
    print("finally without except")
try:
    raise ValueError("multi")
except (TypeError, ValueError) as e:
    print("tuple handler caught", type(e).__name__, e)
try:
    try:
        raise KeyError("inner")
    finally:
        print("inner finally runs during propagation")
except KeyError as e:
    print("outer caught", repr(e))
e = "before"
try:
    raise RuntimeError
except RuntimeError as e:
    pass
try:
    print(e)
except NameError:
    print("the `as` name is deleted after the handler")
