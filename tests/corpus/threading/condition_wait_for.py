# Condition.wait_for, notify and a timeout on wait.
import threading

cond = threading.Condition()
state = {"stage": 0}
seen = []


def advance_to(stage):
    with cond:
        cond.wait_for(lambda: state["stage"] == stage - 1)
        state["stage"] = stage
        seen.append(stage)
        cond.notify_all()


threads = [threading.Thread(target=advance_to, args=(s,)) for s in (4, 2, 5, 1, 3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(seen, state)
with cond:
    print("wait with timeout returns", cond.wait(0.01))
    print("wait_for with timeout returns", cond.wait_for(lambda: False, timeout=0.01))
    print("wait_for already true returns", cond.wait_for(lambda: "value"))
try:
    cond.notify()
except RuntimeError as e:
    print("RuntimeError:", e)
lock = threading.Lock()
c2 = threading.Condition(lock)
with c2:
    print("condition shares the lock:", lock.locked())
print(lock.locked())
