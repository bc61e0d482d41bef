# join(timeout) returns while the thread is still alive; is_alive reflects it.
import threading

release = threading.Event()


def slow():
    release.wait()


t = threading.Thread(target=slow)
t.start()
t.join(timeout=0.02)
print("alive after short join:", t.is_alive())
release.set()
t.join()
print("alive after full join:", t.is_alive())
order = []
done = [threading.Event() for _ in range(5)]


def step(i):
    if i > 0:
        done[i - 1].wait()
    order.append(i)
    done[i].set()


chain = [threading.Thread(target=step, args=(i,)) for i in range(5)]
for th in reversed(chain):
    th.start()
for th in chain:
    th.join()
print(order)
