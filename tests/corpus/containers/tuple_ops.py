# tuple: count/index, comparison, concatenation, hashing, single-element syntax.
t = (1, 2, 3, 2, 1, 2)
print(t.count(2), t.count(9), t.index(3), t.index(2, 2))
try:
    t.index(9)
except ValueError as e:
    print("ValueError:", e)
print((1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 99), (1, 2) == (1, 2), () < (0,))
print((1, "a") < (1, "b"), (1, 2) != (2, 1))
print(t + (4,), (0,) * 3, (1,), (), tuple("ab"), tuple([1, [2]]))
single = (5,)
not_tuple = (5)
print(type(single).__name__, type(not_tuple).__name__, len(single))
try:
    t[0] = 9
except TypeError as e:
    print("TypeError:", e)
inner = ([1], 2)
inner[0].append(99)
print(inner)
try:
    hash(inner)
except TypeError as e:
    print("TypeError:", e)
print(hash((1, 2)) == hash((1, 2)), {(1, 2): "pair"}[(1, 2)])
print(max((1, 5), (1, 7), (0, 9)), sorted([(2, "b"), (1, "z"), (2, "a")]))
a, b, *c = (1, 2, 3, 4)
print(a, b, c, t[::2], t[-1], len(t), 3 in t)
