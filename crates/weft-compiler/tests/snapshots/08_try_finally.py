def f(lock):
    lock.acquire()
    try:
        return lock.work()
    finally:
        lock.release()
