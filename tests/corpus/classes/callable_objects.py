# __call__ makes instances callable.
class Adder:
    def __init__(self, n):
        self.n = n

    def __call__(self, x, times=1):
        return x + self.n * times


add5 = Adder(5)
print(add5(10), add5(10, times=3), callable(add5), callable(Adder))
print(list(map(add5, [1, 2, 3])))


class Accumulator:
    def __init__(self):
        self.total = 0

    def __call__(self, *values):
        self.total += sum(values)
        return self


acc = Accumulator()
acc(1)(2, 3)(4)
print(acc.total)


class NotCallable:
    pass


print(callable(NotCallable()))
try:
    NotCallable()()
except TypeError as e:
    print("TypeError:", e)


class Factory:
    def __init__(self, cls):
        self.cls = cls
        self.made = 0

    def __call__(self, *args):
        self.made += 1
        return self.cls(*args)


make_list = Factory(list)
print(make_list("abc"), make_list(), make_list.made)
