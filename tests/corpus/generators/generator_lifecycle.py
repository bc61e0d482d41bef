# Generator lifecycle: finalization of suspended generators (finally blocks run, locals are
# released exactly once), throw/close through deep `yield from` chains, gi_frame of a
# suspended generator, exception state saved across yields, tracebacks through `yield from`.
import sys


class Token:
    pass


token = Token()
BASE = sys.getrefcount(token)


def refs():
    """References to `token` held by generators (0 when every one was released once)."""
    return sys.getrefcount(token) - BASE


def holder(tag, obj):
    local = [obj]
    try:
        yield 1
        yield 2
    finally:
        print("finally", tag, refs())


# Dropped while suspended: the finally block runs (with the argument and the local still
# alive) and both are released once.
g = holder("a", token)
print(next(g), refs())
del g
print("after del", refs())

# Never started: the argument is released, no finally runs (the body never began).
g = holder("b", token)
print("unstarted", refs())
del g
print("after del", refs())

# Exhausted: released once, at the end.
g = holder("c", token)
print(list(g), refs())
del g
print("after del", refs())

# close() runs finally and releases; a second close() is a no-op.
g = holder("d", token)
next(g)
g.close()
g.close()
print("closed", g.gi_suspended, g.gi_running, g.gi_frame, refs())

# close() of a generator that never ran finishes it without running it (CPython 3.11
# releases its arguments then, 3.13 when it is dropped).
g = holder("e", token)
g.close()
print("closed unstarted", list(g), g.gi_suspended, g.gi_frame)
del g
print("after del", refs())

# A value sent in and kept on the frame is released with it.
def keeper():
    kept = []
    while True:
        kept.append((yield len(kept)))


g = keeper()
next(g)
for _ in range(5):
    g.send(token)
print("kept", refs())
del g
print("after del", refs())


# Deep yield from chains.
def leaf(n):
    yield n
    yield n + 1
    return n * 10


def chain(depth, n):
    if depth == 0:
        r = yield from leaf(n)
    else:
        r = yield from chain(depth - 1, n)
    return r + 1


g = chain(200, 5)
print(next(g), next(g))
try:
    next(g)
except StopIteration as e:
    print("chain returned", e.value)

print(sum(chain(100, 1)))


# throw() and close() delegated through a chain.
def catcher():
    try:
        yield "ready"
    except KeyError as e:
        yield "caught " + repr(e)
    finally:
        print("catcher finally")


def outer(depth):
    if depth == 0:
        r = yield from catcher()
    else:
        r = yield from outer(depth - 1)
    return r


g = outer(50)
print(next(g))
print(g.throw(KeyError("k")))
g.close()
print("after close", g.gi_frame)

g = outer(20)
next(g)
try:
    g.throw(ValueError("v"))
except ValueError as e:
    print("propagated", e)


# gi_frame of a suspended generator.
def framed(a):
    b = a * 2
    yield b
    c = b + 1
    yield c


g = framed(3)
f = g.gi_frame
print(f.f_lineno, sorted(f.f_locals.items()))
next(g)
print(g.gi_frame.f_lineno, sorted(g.gi_frame.f_locals.items()), g.gi_frame is f)
next(g)
print(g.gi_frame.f_lineno, sorted(g.gi_frame.f_locals.items()))
print(list(g), g.gi_frame)


# The exception being handled is saved with the generator across yields.
def handler():
    try:
        raise KeyError("inside")
    except KeyError:
        yield sys.exc_info()[1]
        yield sys.exc_info()[1]
    yield sys.exc_info()[1]


g = handler()
print(repr(next(g)))
try:
    raise ValueError("outside")
except ValueError:
    print(repr(next(g)), repr(sys.exc_info()[1]))
print(repr(next(g)), sys.exc_info()[1])


# A traceback through yield from has an entry for every frame.
def bottom():
    yield 1
    raise RuntimeError("deep")


def middle():
    yield from bottom()


def top():
    yield from middle()


try:
    for _ in top():
        pass
except RuntimeError as e:
    lines = []
    tb = e.__traceback__
    while tb is not None:
        lines.append(tb.tb_lineno)
        tb = tb.tb_next
    print("traceback lines", lines)


# A generator that resumes itself.
def selfish():
    yield me.send(None)


me = selfish()
try:
    next(me)
except ValueError as e:
    print("ValueError", e)
print(me.gi_suspended, me.gi_running, me.gi_frame)

# StopIteration raised inside a generator becomes RuntimeError.
def bad():
    yield 1
    raise StopIteration(5)


try:
    list(bad())
except RuntimeError as e:
    print("RuntimeError", e, type(e.__cause__).__name__)
