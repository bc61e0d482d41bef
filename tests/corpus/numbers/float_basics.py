# Float arithmetic, special values, and comparisons.
print(0.1 + 0.2, 0.1 + 0.2 == 0.3, abs(0.1 + 0.2 - 0.3) < 1e-9)
print(1e16, 1e16 + 1, 1e-7, 1.5e300 * 1e10, 2.0 ** 0.5)
inf = float("inf")
nan = float("nan")
print(inf, -inf, nan, inf + 1, inf - inf, inf * 0, -inf < 0 < inf)
print(nan == nan, nan != nan, nan < 1, nan > 1, inf == inf)
print(float("Infinity"), float("-INF"), float("nan"), float("  3.5  "))
print(1 / inf, -1 / inf, 0.0 == -0.0)
print(3.0.is_integer(), 3.5.is_integer(), (0.5).as_integer_ratio(), (0.1).as_integer_ratio())
print((-2.5).as_integer_ratio(), 8.0.as_integer_ratio())
try:
    inf.as_integer_ratio()
except OverflowError as e:
    print("OverflowError:", e)
try:
    nan.as_integer_ratio()
except ValueError as e:
    print("ValueError:", e)
print(7.0 // 2, 7.0 % 2.5, -7.0 % 2.5, 2 ** -1, 10 ** -2, 4 ** 0.5)
print(sum([0.1] * 10), 0.1 * 3, 1.1 * 1.1)
print(max(1.5, 2), min(-0.5, -1), abs(-2.5), float(7), float(-0))
try:
    1.0 / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    1.0 % 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
