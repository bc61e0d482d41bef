# Threads compute pieces of work; results are gathered into a list and printed sorted.
import threading

results = []
results_lock = threading.Lock()


def collatz_len(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def worker(numbers):
    local = [(n, collatz_len(n)) for n in numbers]
    with results_lock:
        results.extend(local)


chunks = [range(i, 60, 6) for i in range(1, 7)]
threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
for t in threads:
    t.start()
for t in threads:
    t.join()
results.sort()
print(len(results))
print(results[:10])
print(max(results, key=lambda r: r[1]))
squares = [None] * 8


def fill(i):
    squares[i] = i * i


ts = [threading.Thread(target=fill, args=(i,)) for i in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(squares)
