# One thread flips an object's __class__ between two compatible classes while others call its
# methods and read its attributes: every call runs one class's method, every read a stored
# value.
import threading


class A:
    def tag(self):
        return "A"


class B:
    def tag(self):
        return "B"


o = A()
o.n = 0
N = 4000
bad = []
stop = False


def flipper():
    i = 0
    while not stop:
        o.__class__ = B if i % 2 else A
        o.n = i
        i += 1


def reader():
    for _ in range(N):
        t = o.tag()
        n = o.n
        if t not in ("A", "B") or not isinstance(n, int) or n < 0:
            bad.append((t, n))


f = threading.Thread(target=flipper)
f.start()
readers = [threading.Thread(target=reader) for _ in range(3)]
for t in readers:
    t.start()
for t in readers:
    t.join()
stop = True
f.join()
print("bad:", bad[:3], type(o).__name__ in ("A", "B"))
