# Semaphore limits concurrency; BoundedSemaphore rejects over-release.
import threading

sem = threading.Semaphore(2)
active = 0
peak = 0
state_lock = threading.Lock()
gate = threading.Barrier(4)


def task():
    global active, peak
    gate.wait()
    for _ in range(20):
        with sem:
            with state_lock:
                active += 1
                peak = max(peak, active)
            with state_lock:
                active -= 1


threads = [threading.Thread(target=task) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("peak concurrency <= 2:", peak <= 2, "active now:", active)
s = threading.Semaphore(1)
print(s.acquire(), s.acquire(blocking=False), s.acquire(timeout=0.01))
s.release()
s.release()
print(s.acquire(blocking=False), s.acquire(blocking=False), s.acquire(blocking=False))
b = threading.BoundedSemaphore(2)
b.acquire()
b.release()
try:
    b.release()
except ValueError as e:
    print("ValueError:", e)
try:
    threading.Semaphore(-1)
except ValueError as e:
    print("ValueError:", e)
