# generator.send() feeds values into yield expressions.
def running_average():
    total = 0.0
    count = 0
    avg = None
    while True:
        value = yield avg
        total += value
        count += 1
        avg = total / count


avg = running_average()
print(next(avg))
for v in [10, 20, 60, 10]:
    print(avg.send(v))


def accumulator():
    total = 0
    while True:
        received = yield total
        if received is not None:
            total += received


acc = accumulator()
print(acc.send(None))
print(acc.send(5), acc.send(7), next(acc), acc.send(1))
g = running_average()
try:
    g.send(3)
except TypeError as e:
    print("TypeError:", e)


def tagged():
    tag = yield "ready"
    while True:
        tag = yield "got " + tag


t = tagged()
print(next(t), t.send("x"), t.send("y"))
