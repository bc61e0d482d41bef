# generator.close() raises GeneratorExit inside; generator.throw() injects exceptions.
def resource():
    print("open")
    try:
        while True:
            yield "data"
    except GeneratorExit:
        print("GeneratorExit received, cleaning up")
        raise
    finally:
        print("finally in generator")


r = resource()
print(next(r), next(r))
r.close()
print("closed")
r.close()
print(next(r, "nothing after close"))
never_started = resource()
never_started.close()
print("closing an unstarted generator runs nothing")


def resilient():
    count = 0
    while True:
        try:
            yield count
        except ValueError as e:
            print("handled in generator:", e)
            count += 100
        count += 1


g = resilient()
print(next(g), next(g))
print(g.throw(ValueError("bad value")))
print(next(g))
try:
    g.throw(KeyError("unhandled"))
except KeyError as e:
    print("propagated out:", repr(e))
print(next(g, "generator is finished"))


def refuses():
    try:
        yield 1
    except GeneratorExit:
        yield 2


bad = refuses()
next(bad)
try:
    bad.close()
except RuntimeError as e:
    print("RuntimeError:", e)
