# Nested comprehensions and comprehension scoping rules.
rows = [[1, 2], [3, 4, 5], [], [6]]
print([x for row in rows for x in row])
print([[x * 10 for x in row] for row in rows])
print([(r, c) for r in range(3) for c in range(r)])
print({r: [c for c in range(r)] for r in range(4)})
flat_pairs = [(a, b) for a in "ab" for b in "ab" if a <= b]
print(flat_pairs)
n = 5
pascal = [[1]]
for _ in range(n - 1):
    prev = pascal[-1]
    pascal.append([1] + [prev[i] + prev[i + 1] for i in range(len(prev) - 1)] + [1])
for row in pascal:
    print(row)


class Holder:
    factor = 3
    values = [i * 3 for i in range(3)]
    try:
        broken = [factor * i for i in range(3)]
    except NameError as e:
        print("class scope is not visible inside the comprehension:", e)
    pairs = [(x, y) for x in [factor] for y in range(2)]


print(Holder.values, Holder.pairs)


def uses_closure():
    k = 10
    return [lambda: k + i for i in range(2)]


print([f() for f in uses_closure()])
print(sum([x for x in range(5)]), [y for y in []])
