# A thread fails (reported, not fatal), then the main thread fails too.
import threading


def bad():
    raise KeyError("thread key")


t = threading.Thread(target=bad)
t.start()
t.join()
print("main thread still runs")
raise LookupError("main thread failure")
