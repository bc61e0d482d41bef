# list operations: indexing, nested lists, aliasing, equality and containment.
grid = [[0] * 3 for _ in range(3)]
grid[1][1] = 5
print(grid)
shared = [[0] * 3] * 3
shared[1][1] = 5
print(shared)
a = [1, 2, 3]
b = a
b.append(4)
print(a, a is b)
c = a[:]
c.append(5)
print(a, c)
print([1, [2, 3]] == [1, [2, 3]], [1, 2] in [[1, 2], [3]], [] == [], [0] * 0)
print(list(range(5)), list("abc"), list((1, 2)), list({"k": 1}), list())
stack = []
for ch in "([]{()})":
    if ch in "([{":
        stack.append(ch)
    else:
        opener = stack.pop()
        print(opener + ch, end=" ")
print("balanced" if not stack else "unbalanced")
matrix = [[1, 2, 3], [4, 5, 6]]
print([list(col) for col in zip(*matrix)])
print(a[-1], a[-len(a)], len(a), a * 2, min(a), max(a), sum(a))
try:
    a[10] = 1
except IndexError as e:
    print("IndexError:", e)
