# Generator expressions: laziness, one-shot iteration, scoping.
g = (x * 2 for x in range(5))
print(type(g).__name__)
print(list(g))
print(list(g))
calls = []


def noisy(x):
    calls.append(x)
    return x


lazy = (noisy(x) for x in range(3))
print(calls)
print(next(lazy), calls)
print(sum(x for x in range(101)))
print(max(len(w) for w in ["a", "abcd", "ab"]))
print(any(x > 3 for x in [1, 2, 5]), all(x > 0 for x in [1, -2, 3]))
print(sorted(c for c in "generator"))
print(tuple(x for x in range(10) if x % 3 == 0))
print(", ".join(str(n) for n in range(4)))
matrix = [[1, 2], [3, 4], [5, 6]]
print(list(v for row in matrix for v in row if v != 4))
print(dict((k, len(k)) for k in ["one", "three"]))
print(sum(1 for _ in (c for c in "hello" if c == "l")))
