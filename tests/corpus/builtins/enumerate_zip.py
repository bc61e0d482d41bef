# enumerate with start, zip with several and uneven iterables, zip(*...) to unzip.
for i, c in enumerate("abc"):
    print(i, c)
print(list(enumerate(["x", "y"], start=1)), list(enumerate([], 5)), list(enumerate("ab", -1)))
e = enumerate("xyz")
print(next(e), next(e), list(e))
print(list(zip([1, 2, 3], "abc")))
print(list(zip([1, 2, 3, 4], "ab")), list(zip()), list(zip([1])))
print(list(zip(range(3), range(10, 13), range(20, 23))))
pairs = [("a", 1), ("b", 2), ("c", 3)]
letters, numbers = zip(*pairs)
print(letters, numbers)
print(dict(zip(letters, numbers)))
for (i, (a, b)) in enumerate(zip("xy", [10, 20])):
    print(i, a, b)
try:
    list(zip([1, 2], [1], strict=True))
except ValueError as e:
    print("ValueError:", e)
