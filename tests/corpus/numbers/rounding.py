# round() with banker's rounding, ndigits, negative ndigits; int() truncation.
for v in [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, 2.4999, 2.5001]:
    print(v, round(v), type(round(v)).__name__)
print(round(2.675, 2), round(1.005, 2), round(3.14159, 3), round(-3.14159, 1))
print(round(1234.5678, -2), round(1250, -2), round(1350, -2), round(-1250, -2), round(15, -1), round(25, -1))
print(round(7), round(7, 2), type(round(7, 2)).__name__, round(2.5, 0), type(round(2.5, 0)).__name__)
print(round(1e20), round(0.0), round(-0.0, 1))
print(int(2.9), int(-2.9), int(0.99999))
try:
    round(float("inf"))
except OverflowError as e:
    print("OverflowError:", e)
try:
    round(float("nan"))
except ValueError as e:
    print("ValueError:", e)
print(round(float("inf"), 2), round(123.456, 10))
