# set methods and operators; sets printed sorted or of small ints only.
s = {3, 1, 2}
print(s, len(s), 2 in s, 5 in s)
s.add(4)
s.add(1)
s.discard(10)
s.discard(3)
print(s)
s.remove(4)
try:
    s.remove(99)
except KeyError as e:
    print("KeyError:", e)
print(s)
one = {"only"}
print(one.pop(), one)
try:
    one.pop()
except KeyError as e:
    print("KeyError:", e)
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(a.union(b), a.intersection(b), a.difference(b), a.symmetric_difference(b))
print(a | b, a & b, a - b, a ^ b)
print({1, 2}.issubset(a), {1, 9}.issubset(a), a.issuperset({1}), a.isdisjoint({7, 8}))
print({1, 2} <= a, {1, 2} < {1, 2}, a >= {4}, a > a)
c = set(a)
c |= {10}
c &= {1, 10, 3}
c -= {3}
c ^= {1, 7}
print(sorted(c))
words = set("hello world".split() + ["hello", "again"])
print(sorted(words), len(words))
print(sorted(set("mississippi")), set(), set([]) == set())
c.update([20, 21], {22})
c.intersection_update(range(21))
print(sorted(c), sorted(a.union([9], (8,))), {1, 2}.copy())
c.clear()
print(c)
