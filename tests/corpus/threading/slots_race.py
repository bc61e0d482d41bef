# Threads read and write the __slots__ values of one shared object: every read is a value some
# thread stored (or the attribute is missing while another thread deleted it), never a torn or
# freed one.
import threading


class Point:
    __slots__ = ("x", "y")


p = Point()
p.x = 0
p.y = 0
N = 4000
bad = []


def writer(k):
    for i in range(N):
        p.x = i
        p.y = -i
        if k == 0 and i % 500 == 0:
            del p.y
            p.y = 0


def reader():
    for _ in range(N):
        v = p.x
        if not isinstance(v, int) or not 0 <= v < N:
            bad.append(v)
        try:
            w = p.y
        except AttributeError:
            continue
        if not isinstance(w, int) or not -N < w <= 0:
            bad.append(w)


threads = [threading.Thread(target=writer, args=(k,)) for k in range(2)]
threads += [threading.Thread(target=reader) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("bad:", bad[:5], "final x in range:", 0 <= p.x < N)
