# Event: set/wait/is_set/clear coordinating threads.
import threading

ready = threading.Event()
go = threading.Event()
log = []
log_lock = threading.Lock()


def waiter(i):
    ready.wait()
    with log_lock:
        log.append("waiter %d saw ready" % i)


print(ready.is_set())
threads = [threading.Thread(target=waiter, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
print("waiters started, log empty:", log == [])
ready.set()
for t in threads:
    t.join()
print(sorted(log))
print(ready.is_set(), ready.wait(), ready.wait(0))
ready.clear()
print(ready.is_set(), ready.wait(0.01))


def setter():
    go.set()


t = threading.Thread(target=setter)
t.start()
print("wait returned", go.wait(5))
t.join()
