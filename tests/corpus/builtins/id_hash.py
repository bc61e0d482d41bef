# id() and hash(): only comparisons and hashes of ints/tuples of ints are printed.
a = [1]
b = a
c = [1]
print(id(a) == id(b), id(a) == id(c), isinstance(id(a), int))
objs = [object() for _ in range(3)]
print(len({id(o) for o in objs}))
print(hash(0), hash(1), hash(-1), hash(-2), hash(12345), hash(True), hash(False))
print(hash(2 ** 61 - 1), hash(2 ** 61), hash(-(2 ** 61)), hash(10 ** 30) == hash(10 ** 30))
print(hash(1.0) == hash(1), hash(0.0) == hash(-0.0) == 0, hash(2.5) == hash(2.5))
print(hash((1, 2)) == hash((1, 2)), hash((1, 2)) == hash((2, 1)), hash(()) == hash(()))
print(hash("abc") == hash("abc"), hash(frozenset([1, 2])) == hash(frozenset([2, 1])))
try:
    hash([1, 2])
except TypeError as e:
    print("TypeError:", e)
try:
    hash({})
except TypeError as e:
    print("TypeError:", e)


class H:
    def __hash__(self):
        return 42


print(hash(H()))
