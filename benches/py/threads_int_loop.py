# The integer loop of int_loop.py run by 2 threads at once (each does the full loop).
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
    results[k] = loop(3_000_000)

ts = [threading.Thread(target=work, args=(k,)) for k in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(results)
