# Threads run the same specialized attribute and method sites while the operand types flip
# between two classes every few hundred iterations and another thread keeps replacing a
# method with an equivalent one: every result is exact, nothing crashes.
import threading


class A:
    def __init__(self, v):
        self.v = v

    def m(self):
        return self.v


class B:
    def __init__(self, v):
        self.w = 0
        self.v = v * 2

    def m(self):
        return self.v + 1


def m_again(self):
    return self.v


N = 6000
FLIP = 300
WORKERS = 4
results = {}
stop = False


def work(k):
    objs = [A(k), B(k)]
    total = 0
    for i in range(N):
        o = objs[(i // FLIP) % 2]
        total += o.v
        o.v = o.v
        total += o.m()
    results[k] = total


def expected(k):
    total = 0
    for i in range(N):
        if (i // FLIP) % 2 == 0:
            total += k + k
        else:
            total += 2 * k + 2 * k + 1
    return total


def mutate():
    flip = False
    while not stop:
        A.m = m_again if flip else original_m
        flip = not flip


original_m = A.m
mutator = threading.Thread(target=mutate)
mutator.start()
workers = [threading.Thread(target=work, args=(k,)) for k in range(WORKERS)]
for t in workers:
    t.start()
for t in workers:
    t.join()
stop = True
mutator.join()
A.m = original_m
bad = [k for k in range(WORKERS) if results.get(k) != expected(k)]
print("workers:", len(results), "wrong:", bad)
