# frozenset: immutability, hashability, mixing with set.
f = frozenset([3, 1, 2, 3])
print(f, len(f), 2 in f)
print(f | {5}, type(f | {5}).__name__, type({5} | f).__name__)
print(f & frozenset([1, 5]), f - {1}, f ^ {1, 4})
d = {f: "frozen key"}
print(d[frozenset([1, 2, 3])])
nested = {frozenset({1}), frozenset({1}), frozenset({2})}
print(len(nested), frozenset({1}) in nested)
try:
    f.add(4)
except AttributeError as e:
    print("AttributeError:", e)
try:
    {{1}}
except TypeError as e:
    print("TypeError:", e)
print(frozenset() == set(), frozenset({1}) == {1}, hash(frozenset()) == hash(frozenset([])))
print(sorted(frozenset("abcabc")), frozenset())
