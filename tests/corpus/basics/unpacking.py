# Tuple/list unpacking including starred and nested targets.
a, b = 1, 2
print(a, b)
a, b = b, a
print(a, b)
first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = "hello"
print(init, last)
head, *middle, tail = range(6)
print(head, middle, tail)
x, *empty, y = (1, 2)
print(x, empty, y)
(p, q), r = (1, 2), 3
print(p, q, r)
[m, (n, *o)], s = [[1, [2, 3, 4]], 5]
print(m, n, o, s)
for i, (k, v) in enumerate({"x": 1, "y": 2}.items()):
    print(i, k, v)
try:
    a, b = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)
try:
    a, b, c = [1, 2]
except ValueError as e:
    print("ValueError:", e)
try:
    a, *b, c = [1]
except ValueError as e:
    print("ValueError:", e)
one, = [42]
print(one)
