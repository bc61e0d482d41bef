# divmod, pow with two and three arguments, and ** edge cases.
print(divmod(17, 5), divmod(-17, 5), divmod(17, -5), divmod(17.5, 5), divmod(0, 3))
print(pow(2, 10), pow(2, -2), pow(2.0, 3), pow(2, 0.5), pow(-2, 3))
print(pow(3, 4, 5), pow(7, 123456, 1000), pow(-3, 3, 7), pow(5, -1, 7), pow(2, 0, 1))
print(2 ** 10, 2 ** -1, (-2) ** 3, -2 ** 2, 2 ** 3 ** 2, 0 ** 0, 0.0 ** 0)
try:
    divmod(1, 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    pow(2, 3, 0)
except ValueError as e:
    print("ValueError:", e)
try:
    pow(2.0, 3, 5)
except TypeError as e:
    print("TypeError:", e)
try:
    0 ** -1
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    1 // 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    1 % 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
print(10 ** 18 * 10, 7 ** 0.5 == 7 ** 0.5)
