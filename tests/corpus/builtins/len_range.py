# len on builtin containers and user classes; range in loops.
print(len("hello"), len([1, 2]), len((1,)), len({"a": 1}), len({1, 2, 3}), len(range(10)), len(""), len(b"ab"))


class Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


print(len(Sized(7)))
try:
    len(5)
except TypeError as e:
    print("TypeError:", e)
try:
    len(Sized(-1))
except ValueError as e:
    print("ValueError:", e)
for i in range(3, -4, -2):
    print(i, end=" ")
print()
print(list(range(0, 10, 3))[::-1], range(10)[2:8:2], 5 in range(0, 10, 5), 4 in range(0, 10, 5))
print(range(10)[-3:], len(range(0, -10, -3)))
