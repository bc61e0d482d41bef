# daemon flag: inherited default, set before start, and setting after start fails.
import threading

t = threading.Thread(target=lambda: None)
print(t.daemon)
t.daemon = True
print(t.daemon)
t.start()
t.join()
try:
    t.daemon = False
except RuntimeError as e:
    print("RuntimeError:", e)
inherited = []


def spawn_child():
    child = threading.Thread(target=lambda: None)
    inherited.append(child.daemon)


d = threading.Thread(target=spawn_child, daemon=True)
d.start()
d.join()
n = threading.Thread(target=spawn_child, daemon=False)
n.start()
n.join()
print(inherited)
print(threading.main_thread().daemon)
