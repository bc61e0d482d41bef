# RLock can be acquired repeatedly by its owner; a plain Lock cannot.
import threading

rlock = threading.RLock()


def recursive(n):
    with rlock:
        if n == 0:
            return 0
        return n + recursive(n - 1)


print(recursive(10))
print(rlock.acquire(), rlock.acquire(), rlock.acquire(blocking=False))
rlock.release()
rlock.release()
rlock.release()
try:
    rlock.release()
except RuntimeError as e:
    print("RuntimeError:", e)
result = []


def try_from_other():
    result.append(rlock.acquire(blocking=False))


with rlock:
    with rlock:
        t = threading.Thread(target=try_from_other)
        t.start()
        t.join()
print("other thread could acquire while held:", result)
t = threading.Thread(target=try_from_other)
t.start()
t.join()
print("other thread acquires after release:", result)


class Account:
    def __init__(self):
        self.lock = threading.RLock()
        self.balance = 0

    def deposit(self, n):
        with self.lock:
            self.balance += n

    def deposit_twice(self, n):
        with self.lock:
            self.deposit(n)
            self.deposit(n)


acc = Account()
workers = [threading.Thread(target=lambda: [acc.deposit_twice(1) for _ in range(500)]) for _ in range(4)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print(acc.balance)
