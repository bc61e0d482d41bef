# try/finally inside generators: cleanup when exhausted, closed, or broken out of.
def managed(name, n):
    print("start", name)
    try:
        for i in range(n):
            yield i
    finally:
        print("cleanup", name)


print(list(managed("full", 3)))
early = managed("early", 10)
for x in early:
    if x == 1:
        break
print("after break, generator still suspended")
early.close()
print("after explicit close")
g = managed("closed", 5)
next(g)
g.close()
print("after close")


def with_inside():
    class CM:
        def __enter__(self):
            print("cm enter")

        def __exit__(self, *a):
            print("cm exit", a[0].__name__ if a[0] else None)

    with CM():
        yield "a"
        yield "b"


print(list(with_inside()))
w = with_inside()
next(w)
w.close()
