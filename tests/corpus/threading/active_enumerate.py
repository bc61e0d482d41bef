# active_count and enumerate while threads run and after they are joined.
import threading

started = threading.Barrier(4)
finish = threading.Event()


def blocker():
    started.wait()
    finish.wait()


threads = [threading.Thread(target=blocker, name="blocker-%d" % i) for i in range(3)]
print(threading.active_count(), [t.name for t in threading.enumerate()])
for t in threads:
    t.start()
started.wait()
print(threading.active_count())
print(sorted(t.name for t in threading.enumerate()))
print(all(t.is_alive() for t in threads))
finish.set()
for t in threads:
    t.join()
print(threading.active_count(), [t.name for t in threading.enumerate()])
print(any(t.is_alive() for t in threads))
