"""weft's main job: a multi-threaded Python program.

Four threads count primes in disjoint ranges and share their results through a dict guarded by
a Lock, a list they all append to without a lock (weft's containers are thread-safe by
construction), and a Barrier. The output is deterministic; under the nogil build the threads
run in parallel. Run it with:  cargo run --release -p weft --features nogil -- examples/threads.py
"""
import sys
import threading
import time

N_THREADS = 4
LIMIT = 200_000


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


counts = {}
counts_lock = threading.Lock()
found = []                      # appended to by every thread, no lock
barrier = threading.Barrier(N_THREADS)
local = threading.local()


def worker(index):
    local.index = index
    lo = index * LIMIT // N_THREADS
    hi = (index + 1) * LIMIT // N_THREADS
    n = 0
    for k in range(lo, hi):
        if is_prime(k):
            n += 1
            found.append(k)
    barrier.wait()              # everyone has finished counting
    with counts_lock:
        counts[threading.current_thread().name] = n
    assert local.index == index


start = time.perf_counter()
threads = [threading.Thread(target=worker, args=(i,), name=f"counter-{i}") for i in range(N_THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start

for name in sorted(counts):
    print(f"{name}: {counts[name]} primes")
total = sum(counts.values())
print(f"total: {total} primes below {LIMIT}")
print(f"shared list: {len(found)} items, {len(set(found))} distinct, sorted ok: {sorted(found)[:5]}")
assert total == len(found) == len(set(found)) == 17984
print("ok")
gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
print(f"# {N_THREADS} threads, GIL {'on' if gil else 'off'}, {elapsed:.2f} s", file=sys.stderr)
