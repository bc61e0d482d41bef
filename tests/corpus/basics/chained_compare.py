# Chained comparisons evaluate each operand once and short-circuit.
calls = []


def val(x):
    calls.append(x)
    return x


print(1 < 2 < 3)
print(1 < 3 < 2)
print(3 > 2 > 1 > 0)
print(1 == 1 == 1, 1 == 1 == 2)
print(1 < 2 <= 2 < 3 != 4)
print(val(1) < val(0) < val(5))
print(calls)
calls.clear()
print(val(1) < val(2) < val(3))
print(calls)
x = 5
print(0 <= x < 10, 0 <= x < 5)
print("a" < "b" < "c", [1] < [1, 2] < [2])
v = 1
print(v is not None is not False)
print(2 in [1, 2] in [[1, 2]])
