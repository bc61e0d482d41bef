# The signal module: handlers run on the main thread, default_int_handler raises
# KeyboardInterrupt, blocking waits wake up for signals and go on when the handler returns.
import signal
import threading
import time

got = []


def record(signum, frame):
    got.append((signum, frame is not None))


print(signal.SIGINT, signal.SIGTERM, signal.SIGALRM, signal.SIGUSR1, signal.SIGUSR2)
print(signal.SIG_DFL, signal.SIG_IGN, signal.NSIG)
print(signal.getsignal(signal.SIGINT) in (signal.default_int_handler, signal.SIG_IGN))
print(signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGPIPE))
print(signal.strsignal(signal.SIGINT), signal.strsignal(signal.SIGTERM), signal.strsignal(32))
print(len(signal.valid_signals()), 32 in signal.valid_signals(), 64 in signal.valid_signals())

# A Python handler runs when the signal is raised, with the number and the frame.
old = signal.signal(signal.SIGUSR1, record)
print(old == signal.SIG_DFL, signal.getsignal(signal.SIGUSR1) is record)
signal.raise_signal(signal.SIGUSR1)
print(got)

# An exception a handler raises comes out where the program was.
def boom(signum, frame):
    raise ValueError("handler for %d" % signum)

signal.signal(signal.SIGUSR2, boom)
try:
    signal.raise_signal(signal.SIGUSR2)
except ValueError as e:
    print("raised:", e)
try:
    signal.pthread_kill(threading.get_ident(), signal.SIGUSR2)
except ValueError as e:
    print("pthread_kill:", e)

# The default SIGINT handler raises KeyboardInterrupt; finally blocks run.
try:
    try:
        signal.raise_signal(signal.SIGINT)
    finally:
        print("finally ran")
except KeyboardInterrupt as e:
    print("KeyboardInterrupt", repr(e))
try:
    signal.default_int_handler()
except TypeError as e:
    print(e)

# A sleep and a lock wait wake up for SIGALRM, run the handler and go on.
got.clear()
signal.signal(signal.SIGALRM, record)
signal.alarm(1)
t0 = time.monotonic()
time.sleep(1.5)
print("slept whole:", time.monotonic() - t0 >= 1.4, got)
got.clear()
lock = threading.Lock()
lock.acquire()
signal.alarm(1)
print("acquired:", lock.acquire(timeout=1.5), got)
print(signal.alarm(0))

# Errors.
for args in [(0, signal.SIG_DFL), (65, signal.SIG_DFL), (signal.SIGKILL, signal.SIG_IGN),
             (signal.SIGINT, 5), (signal.SIGINT, "x")]:
    try:
        signal.signal(*args)
    except (ValueError, OSError, TypeError) as e:
        print(type(e).__name__, e)
for f in (signal.getsignal, signal.strsignal):
    try:
        f(99)
    except ValueError as e:
        print(type(e).__name__, e)

def in_thread():
    try:
        signal.signal(signal.SIGUSR1, signal.SIG_DFL)
    except ValueError as e:
        print(e)

t = threading.Thread(target=in_thread)
t.start()
t.join()
print(signal.signal(signal.SIGUSR1, signal.SIG_IGN) is record, signal.getsignal(signal.SIGUSR1))
signal.raise_signal(signal.SIGUSR1)
print("ignored")
