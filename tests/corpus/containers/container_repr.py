# repr of containers, including recursive ones and mixed contents.
print([1, "two", 3.0, None, True, [], {}, ()])
print((1,), (1, 2), ((),), {"a": [1, (2,)]}, {1: {2: {3: {}}}})
lst = [1, 2]
lst.append(lst)
print(lst)
d = {"self": None}
d["self"] = d
print(d)
print(repr("it's"), repr(['a"b', "c'd"]), str(["x"]))
print(set(), {1}, frozenset({2}), [set()], {"k": frozenset()})
print(range(3), [range(1, 2)], repr(range(0, 10, 2)))
print({"z": 1, "a": 2}, list({"z": 1, "a": 2}.items()))
print(dict(), list(), tuple(), str(), repr(""))
