# Calling None.
handlers = {"a": print}


def get_handler(name):
    return handlers.get(name)


get_handler("a")("handler a works")
print("handler for b:", get_handler("b"))
get_handler("b")("this fails")
