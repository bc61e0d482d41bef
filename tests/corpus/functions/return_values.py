# Return values: implicit None, multiple returns via tuples, early return.
def nothing():
    pass


def explicit_none():
    return


def pair():
    return 1, 2


def classify(n):
    if n < 0:
        return "negative"
    if n == 0:
        return "zero"
    return "positive"


print(nothing(), explicit_none())
print(pair(), type(pair()).__name__)
a, b = pair()
print(a + b)
print([classify(n) for n in (-5, 0, 5)])


def find_first(pred, items):
    for item in items:
        if pred(item):
            return item
    return None


print(find_first(lambda x: x > 3, [1, 2, 5, 7]))
print(find_first(lambda x: x > 30, [1, 2, 5, 7]))


def min_max(items):
    return min(items), max(items)


lo, hi = min_max([4, 8, 1, 9])
print(lo, hi)
