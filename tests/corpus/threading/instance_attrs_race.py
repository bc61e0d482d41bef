# Threads write and read attributes of one shared instance while another takes its __dict__:
# every read returns a value some thread stored, and no write is lost once all are done.
import threading


class Shared:
    pass


obj = Shared()
obj.a = 0
bad = []
N = 4000


def writer(k):
    for i in range(N):
        setattr(obj, "w%d" % k, i)
        obj.a = i


def reader():
    for _ in range(N):
        v = obj.a
        if not isinstance(v, int) or not 0 <= v < N:
            bad.append(v)
        for k in range(2):
            w = getattr(obj, "w%d" % k, None)
            if w is not None and not 0 <= w < N:
                bad.append(w)


def materializer():
    for i in range(200):
        if i == 100:
            d = obj.__dict__
            d["from_dict"] = True


threads = [threading.Thread(target=writer, args=(k,)) for k in range(2)]
threads += [threading.Thread(target=reader) for _ in range(2)]
threads.append(threading.Thread(target=materializer))
for t in threads:
    t.start()
for t in threads:
    t.join()
print("bad reads:", len(bad))
print(obj.w0, obj.w1, obj.a, obj.from_dict)
print(sorted(vars(obj)))
