# __iter__ and __next__: iterators, iterables, and StopIteration.
class Countdown:
    def __init__(self, start):
        self.current = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1


print(list(Countdown(5)))
c = Countdown(2)
print(next(c), next(c), next(c, "done"))
for x in c:
    print("never", x)


class Range2:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        i = 0
        while i < self.n:
            yield i
            i += 1


r = Range2(3)
print(list(r), list(r), sum(r), sorted(r, reverse=True))
it = iter(r)
print(iter(it) is it, next(it))
a, b, c = Range2(3)
print(a, b, c)
print(dict(zip(Range2(3), "xyz")))
print(max(Range2(4)), 2 in Range2(3), 5 in Range2(3))
