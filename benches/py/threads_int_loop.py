# The integer loop of int_loop.py run by 2 threads at once (each does the full loop).
# The size comes from PYBENCH_N (set by `cargo xtask pybench`), else the default below.
# pybench: quick=20000 instructions=200000
import os

N = int(os.environ.get("PYBENCH_N", 3_000_000))

import threading

def loop(n):
    total = 0
    i = 0
    while i < n:
        total += i * 2 % 7
        i += 1
    return total

results = [None, None]

def work(k):
    results[k] = loop(N)

ts = [threading.Thread(target=work, args=(k,)) for k in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(results)
