# time: only types and monotonic properties are printed, never values.
import time

print(type(time.time()).__name__, type(time.perf_counter()).__name__, type(time.monotonic()).__name__)
print(type(time.time_ns()).__name__, type(time.perf_counter_ns()).__name__, type(time.monotonic_ns()).__name__)
t0 = time.monotonic()
p0 = time.perf_counter()
n0 = time.monotonic_ns()
time.sleep(0.02)
t1 = time.monotonic()
p1 = time.perf_counter()
n1 = time.monotonic_ns()
print(t1 >= t0, p1 >= p0, n1 >= n0)
print(t1 - t0 >= 0.015, p1 - p0 >= 0.015, n1 - n0 >= 15_000_000)
samples = [time.monotonic() for _ in range(100)]
print(all(a <= b for a, b in zip(samples, samples[1:])))
print(time.time() > 1.6e9, time.time_ns() > 1.6e18)
print(time.sleep(0) is None)
try:
    time.sleep(-1)
except ValueError as e:
    print("ValueError:", e)
