# Subclassing Thread and overriding run(); results stored on the thread object.
import threading


class SquareSum(threading.Thread):
    def __init__(self, start_n, stop_n):
        super().__init__(name="sq-%d-%d" % (start_n, stop_n))
        self.start_n, self.stop_n = start_n, stop_n
        self.result = None

    def run(self):
        self.result = sum(i * i for i in range(self.start_n, self.stop_n))


threads = [SquareSum(i * 250, (i + 1) * 250) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for t in threads:
    print(t.name, t.result)
print(sum(t.result for t in threads), sum(i * i for i in range(1000)))


class Greeter(threading.Thread):
    def run(self):
        print("hello from", self.name)


g = Greeter(name="greeter")
g.start()
g.join()
print("isinstance Thread:", isinstance(g, threading.Thread))
