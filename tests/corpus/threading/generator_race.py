# Two threads and one generator: while one thread runs it, another thread's next() raises
# ValueError("generator already executing") and nothing crashes; under contention every
# value is produced exactly once, and gi_running / gi_suspended stay consistent.
import threading

started = threading.Event()
release = threading.Event()


def blocking_gen():
    started.set()
    release.wait()
    yield "first"
    yield "second"


g = blocking_gen()
results = []
t = threading.Thread(target=lambda: results.append(next(g)))
t.start()
started.wait()
print("running", g.gi_running, g.gi_suspended)
for call in (lambda: next(g), lambda: g.send(None), lambda: g.throw(KeyError("x")), g.close):
    try:
        call()
        print("no error")
    except ValueError as e:
        print("ValueError:", e)
release.set()
t.join()
print(results, g.gi_running, g.gi_suspended, next(g))

# Contention: 4 threads pull from one generator; every value comes out exactly once.
N = 20000


def counter():
    for i in range(N):
        yield i


shared = counter()
got = [[] for _ in range(4)]
busy = [0] * 4


def pull(k):
    mine = got[k]
    while True:
        try:
            v = next(shared)
        except ValueError:
            busy[k] += 1
            continue
        except StopIteration:
            return
        mine.append(v)


threads = [threading.Thread(target=pull, args=(k,)) for k in range(4)]
for th in threads:
    th.start()
for th in threads:
    th.join()
allv = sorted(v for lst in got for v in lst)
print(len(allv), allv == list(range(N)), shared.gi_running, shared.gi_suspended)


# A generator abandoned by one thread and finished by another, with live locals: the
# finally block runs once, the local is released once.
import sys


class Token:
    pass


token = Token()
BASE = sys.getrefcount(token)


def handoff(obj):
    keep = [obj]
    try:
        yield 1
        yield 2
    finally:
        print("finally ran", sys.getrefcount(token) - BASE)


h = handoff(token)
print(next(h))
t = threading.Thread(target=lambda: print("other thread got", next(h)))
t.start()
t.join()
print(list(h), sys.getrefcount(token) - BASE)
del h
print("done", sys.getrefcount(token) - BASE)
