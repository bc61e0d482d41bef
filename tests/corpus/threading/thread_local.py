# threading.local: every thread sees its own attribute values.
import threading

local = threading.local()
local.value = "main"
seen = []
seen_lock = threading.Lock()


def worker(n):
    had = hasattr(local, "value")
    local.value = n
    local.items = [n] * n
    total = 0
    for _ in range(100):
        total += local.value
    with seen_lock:
        seen.append((n, had, total, local.items))


threads = [threading.Thread(target=worker, args=(i,)) for i in range(1, 6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for entry in sorted(seen):
    print(entry)
print(local.value, hasattr(local, "items"))


class Ctx(threading.local):
    def __init__(self):
        self.depth = 0


ctx = Ctx()
ctx.depth = 9
out = []
t = threading.Thread(target=lambda: out.append(ctx.depth))
t.start()
t.join()
print(ctx.depth, out)
