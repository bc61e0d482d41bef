# A bounded queue built with Condition: producers and consumers with wait/notify.
import threading


class BoundedQueue:
    def __init__(self, capacity):
        self.items = []
        self.capacity = capacity
        self.cond = threading.Condition()

    def put(self, item):
        with self.cond:
            while len(self.items) >= self.capacity:
                self.cond.wait()
            self.items.append(item)
            self.cond.notify_all()

    def get(self, sink):
        # The item is recorded while the condition's lock is held, so `sink` is in the
        # queue's order even with consumers running in parallel.
        with self.cond:
            while not self.items:
                self.cond.wait()
            item = self.items.pop(0)
            if item is not None:
                sink.append(item)
            self.cond.notify_all()
            return item


q = BoundedQueue(3)
consumed = []
PRODUCERS, PER_PRODUCER, CONSUMERS = 3, 50, 2


def producer(pid):
    for i in range(PER_PRODUCER):
        q.put((pid, i))


def consumer():
    while True:
        if q.get(consumed) is None:
            return


cons = [threading.Thread(target=consumer) for _ in range(CONSUMERS)]
prods = [threading.Thread(target=producer, args=(p,)) for p in range(PRODUCERS)]
for t in cons + prods:
    t.start()
for t in prods:
    t.join()
for _ in cons:
    q.put(None)
for t in cons:
    t.join()
print(len(consumed), len(set(consumed)))
print(sorted(consumed)[:3], sorted(consumed)[-3:])
for p in range(PRODUCERS):
    mine = [i for (pid, i) in consumed if pid == p]
    print(p, mine == sorted(mine), len(mine))
