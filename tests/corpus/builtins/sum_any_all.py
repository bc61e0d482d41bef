# sum with start, any and all on various iterables.
print(sum([1, 2, 3]), sum([1, 2, 3], 10), sum([]), sum([], 5), sum(range(1, 101)))
print(sum([0.5, 0.25]), sum([[1], [2, 3]], []), sum(((1,), (2,)), ()))
print(sum([1, 2.5, True]), sum(x * x for x in range(4)), sum([10], start=-10))
try:
    sum(["a", "b"], "")
except TypeError as e:
    print("TypeError:", e)
print(any([]), all([]), any([0, 0, 1]), all([1, 1, 0]), any("abc"), all(["", "x"]))
print(any(x is None for x in [1, None]), all(isinstance(x, int) for x in [1, 2, True]))
print(any({0: "a"}), all({1: 0}), any(iter([False, False])))
