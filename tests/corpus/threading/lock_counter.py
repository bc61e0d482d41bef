# N threads increment a shared counter under a Lock; the total is exact.
import threading

counter = 0
lock = threading.Lock()
N_THREADS = 8
PER_THREAD = 2000


def work():
    global counter
    for _ in range(PER_THREAD):
        with lock:
            counter += 1


threads = [threading.Thread(target=work) for _ in range(N_THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter, counter == N_THREADS * PER_THREAD)
print(lock.locked())
