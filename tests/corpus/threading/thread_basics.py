# Thread with target, args, kwargs, name, daemon; start, join, is_alive.
import threading

results = []


def worker(a, b, scale=1):
    results.append((threading.current_thread().name, (a + b) * scale))


t1 = threading.Thread(target=worker, args=(1, 2), name="adder")
t2 = threading.Thread(target=worker, args=(3, 4), kwargs={"scale": 10}, name="scaler", daemon=True)
print(t1.name, t2.name, t1.daemon, t2.daemon)
print(t1.is_alive(), t2.is_alive())
t1.start()
t2.start()
t1.join()
t2.join()
print(t1.is_alive(), t2.is_alive())
print(sorted(results))
t3 = threading.Thread(target=lambda: None)
print(t3.daemon, isinstance(t3.name, str))
t3.start()
t3.join()
try:
    t3.start()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    threading.Thread(target=worker).join()
except RuntimeError as e:
    print("RuntimeError:", e)
print(threading.active_count(), len(threading.enumerate()))
