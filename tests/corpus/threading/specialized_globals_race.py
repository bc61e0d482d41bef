# Threads read a global through one LOAD_GLOBAL site while another thread keeps rebinding it
# (and shadowing and un-shadowing a builtin): every read is a value that was stored.
import threading

value = 0
N = 5000
stop = False
bad = []


def reader():
    for _ in range(N):
        v = value
        if not isinstance(v, int) or v < 0:
            bad.append(v)
        if abs(-3) not in (3, "shadow"):
            bad.append("abs")


def writer():
    global value, abs
    i = 0
    while not stop:
        i += 1
        value = i
        if i % 2:
            abs = lambda x: "shadow"
        else:
            del abs


readers = [threading.Thread(target=reader) for _ in range(3)]
w = threading.Thread(target=writer)
w.start()
for t in readers:
    t.start()
for t in readers:
    t.join()
stop = True
w.join()
print("bad reads:", bad[:5], len(bad))
