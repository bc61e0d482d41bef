# Version tags under threads: 2 threads read a method and a class attribute through cached
# lookups while a third replaces them in a loop. Every read returns the old or the new value,
# never a third one; after the writer stops, every reader sees the last value.
import threading


class Base:
    value = "old"

    def method(self):
        return "old"


class Leaf(Base):
    pass


def old_method(self):
    return "old"


def new_method(self):
    return "new"


stop = threading.Event()
bad = []
seen = [set(), set()]


def reader(k):
    obj = Leaf()
    s = seen[k]
    while not stop.is_set():
        for _ in range(200):
            m = obj.method()
            v = obj.value
            if m not in ("old", "new") or v not in ("old", "new"):
                bad.append((m, v))
            s.add(m)
            s.add(v)


def writer():
    for i in range(3000):
        if i % 2:
            Base.method = new_method
            Base.value = "new"
        else:
            Base.method = old_method
            Base.value = "old"
    Base.method = new_method
    Base.value = "new"
    stop.set()


readers = [threading.Thread(target=reader, args=(k,)) for k in range(2)]
w = threading.Thread(target=writer)
for t in readers:
    t.start()
w.start()
w.join()
for t in readers:
    t.join()
print("bad reads:", len(bad))
print("values seen are old/new only:", all(s <= {"old", "new"} for s in seen))
print("final:", Leaf().method(), Leaf().value)
