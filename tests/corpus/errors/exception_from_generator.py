# An exception escaping a generator while a for loop consumes it.
def readings():
    yield 10
    yield 20
    raise OSError("sensor disconnected")


for r in readings():
    print("reading", r)
print("not reached")
