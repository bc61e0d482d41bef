# Nested try statements and exceptions raised inside handlers.
def level(n):
    try:
        if n == 0:
            raise ValueError("bottom")
        level(n - 1)
    except KeyError:
        print("never: wrong type at level", n)
    finally:
        print("unwinding level", n)


try:
    level(3)
except ValueError as e:
    print("caught at top:", e)
try:
    try:
        raise TypeError("first")
    except TypeError:
        print("handling TypeError")
        try:
            raise KeyError("inside handler")
        except KeyError as inner:
            print("inner handled", repr(inner))
        print("still in outer handler")
except Exception:
    print("never")
try:
    try:
        raise ValueError("v")
    except ValueError:
        raise IndexError("from handler")
    finally:
        print("finally of the inner try")
except IndexError as e:
    print("outer got", repr(e), "context", repr(e.__context__))
results = []
for x in [1, 0, "a", None]:
    try:
        try:
            results.append(10 / x)
        except ZeroDivisionError:
            results.append("zero")
    except TypeError:
        results.append("type")
print(results)
