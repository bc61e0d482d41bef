# An uncaught exception in a thread is reported on stderr; the main program continues.
import threading


def fails():
    raise ValueError("thread failure")


t = threading.Thread(target=fails, name="failing-thread")
t.start()
t.join()
print("thread finished, alive:", t.is_alive())
print("main continues")
results = []


def ok():
    results.append("ok thread ran")


t2 = threading.Thread(target=ok)
t2.start()
t2.join()
print(results)
