# Dict and set comprehensions.
squares = {n: n * n for n in range(6)}
print(squares)
inverted = {v: k for k, v in squares.items()}
print(inverted)
words = ["ant", "bee", "cat", "ant", "dog", "bee", "ant"]
counts = {w: words.count(w) for w in words}
print(counts)
print({w: len(w) for w in words if w.startswith(("a", "d"))})
lengths = {len(w) for w in ["a", "bb", "cc", "ddd"]}
print(sorted(lengths), lengths)
print(sorted({c.upper() for c in "mississippi"}))
print({i % 3 for i in range(10)})
grid = {(x, y): x * y for x in range(3) for y in range(3) if x <= y}
print(grid)
by_initial = {w[0]: [v for v in words if v[0] == w[0]] for w in words}
print(by_initial)
print({k: v for k, v in zip("abc", range(3))})
print({x: {y for y in range(x)} for x in range(4)})
