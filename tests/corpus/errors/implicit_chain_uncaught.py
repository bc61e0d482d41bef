# An exception raised while handling another one, uncaught.
data = {"present": 1}


def lookup(key):
    try:
        return data[key]
    except KeyError:
        print("handling KeyError for", key)
        raise RuntimeError("failed while handling")


print(lookup("present"))
lookup("missing")
