# Barrier: threads proceed in phases together; wait() returns distinct indices.
import threading

N = 4
barrier = threading.Barrier(N)
log = []
log_lock = threading.Lock()
indices = []


def worker(i):
    for phase in range(3):
        with log_lock:
            log.append((phase, i))
        idx = barrier.wait()
        if phase == 0:
            with log_lock:
                indices.append(idx)


threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
phases = [p for p, _ in log]
print(phases == sorted(phases), len(log))
print(sorted(indices))
print(barrier.parties, barrier.n_waiting, barrier.broken)
actions = []
b2 = threading.Barrier(3, action=lambda: actions.append("action ran"))
ts = [threading.Thread(target=b2.wait) for _ in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(actions)
b3 = threading.Barrier(2)
try:
    b3.wait(timeout=0.01)
except threading.BrokenBarrierError:
    print("BrokenBarrierError after timeout", b3.broken)
b3.reset()
print(b3.broken)
