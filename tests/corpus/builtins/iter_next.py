# iter() and next(), including the two-argument sentinel form of iter().
it = iter([10, 20, 30])
print(next(it), next(it), next(it), next(it, "default"), next(it, None))
try:
    next(it)
except StopIteration:
    print("StopIteration raised")
print(list(iter("abc")), list(iter({"k": 1})), list(iter(range(2))))
values = [5, 4, 3, 0, 2, 1]
pos = -1


def read():
    global pos
    pos += 1
    return values[pos]


print(list(iter(read, 0)))
print(next(iter(read, 0)), pos)
counter = [0]


def tick():
    counter[0] += 1
    return counter[0]


print([x for x in iter(tick, 5)])
try:
    iter(5)
except TypeError as e:
    print("TypeError:", e)
try:
    next([1, 2])
except TypeError as e:
    print("TypeError:", e)
try:
    iter(5, 0)
except TypeError as e:
    print("TypeError:", e)
d_it = iter({"a": 1, "b": 2}.items())
print(next(d_it), list(d_it))
