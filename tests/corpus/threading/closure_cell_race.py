# Threads read a closure cell while others rebind it with `nonlocal` (and one deletes and
# restores it): every read is a pair some thread stored, never a freed or torn one, and
# counters kept in closure cells lose no update (a shared one under a lock, private ones not).
import threading

N = 4000


def make():
    value = (0, 0)
    count = 0
    lock = threading.Lock()

    def writer(k):
        nonlocal value
        for i in range(N):
            value = (k, i)

    def deleter():
        nonlocal value
        for i in range(100):
            del value
            value = (2, i)

    def bump():
        nonlocal count
        for _ in range(N // 4):
            with lock:
                count += 1

    def reader(bad):
        unbound = 0
        for _ in range(N):
            try:
                v = value
            except NameError:
                unbound += 1
                continue
            if type(v) is not tuple or len(v) != 2 or v[0] not in (0, 1, 2):
                bad.append(v)
            elif not 0 <= v[1] < N:
                bad.append(v)
        return unbound

    def result():
        return value, count

    return writer, deleter, bump, reader, result


def private_counter():
    n = 0

    def tick():
        nonlocal n
        n += 1
        return n

    return tick


writer, deleter, bump, reader, result = make()
bad = []
privates = []


def run_private():
    tick = private_counter()
    for _ in range(N // 4):
        tick()
    privates.append(tick())


threads = [threading.Thread(target=writer, args=(k,)) for k in range(2)]
threads += [threading.Thread(target=reader, args=(bad,)) for _ in range(2)]
threads += [threading.Thread(target=bump) for _ in range(2)]
threads += [threading.Thread(target=deleter), threading.Thread(target=run_private)]
for t in threads:
    t.start()
for t in threads:
    t.join()
value, count = result()
print("bad reads:", bad[:5])
print("final value is a stored pair:", value[0] in (0, 1, 2) and 0 <= value[1] < N)
print("shared count:", count)
print("private counts:", privates)
print("cell contents:", [type(c.cell_contents).__name__ for c in result.__closure__])
