# List comprehensions with conditions, nesting and expressions.
print([x * x for x in range(10)])
print([x for x in range(20) if x % 3 == 0])
print([x if x % 2 else -x for x in range(8)])
print([(x, y) for x in range(3) for y in range(3) if x != y])
words = ["apple", "Bob", "cat", "Dover"]
print([w.lower() for w in words if w[0].isupper()])
matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print([row[i] for i, row in enumerate(matrix)])
print([[row[i] for row in matrix] for i in range(3)])
print([v for row in matrix for v in row if v % 2 == 0])
print([c * 2 for c in "abc"])
print([len(w) for w in words])
x = "outer"
print([x for x in range(3)], x)
print([[i * j for j in range(1, 4)] for i in range(1, 4)])
print([n for n in range(2, 30) if all(n % d for d in range(2, n))])
print([(i, s) for i, s in enumerate("xy", start=1)])
