# list, tuple, dict, set, frozenset constructors from assorted iterables.
print(list("abc"), list((1, 2)), list({"a": 1, "b": 2}), list(range(3)), list(x for x in "xy"))
print(tuple([1, 2]), tuple("ab"), tuple({"k": 0}), tuple())
print(dict([(1, "a"), (2, "b")]), dict(x=1), dict([("a", 1)], b=2), dict(zip("ab", "cd")))
print(sorted(set("banana")), set([1, 1, 2]), set(range(4)), set())
print(frozenset([3, 3, 4]), sorted(frozenset("hello")))
try:
    dict([1, 2])
except TypeError as e:
    print("TypeError:", e)
try:
    dict([("a", 1, 2)])
except ValueError as e:
    print("ValueError:", e)
try:
    list(5)
except TypeError as e:
    print("TypeError:", e)
try:
    set([[1]])
except TypeError as e:
    print("TypeError:", e)
original = [1, 2]
copied = list(original)
copied.append(3)
print(original, copied, tuple(original) == (1, 2))
