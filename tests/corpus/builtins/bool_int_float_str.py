# Numeric tower interactions between bool, int and float; str conversions.
print(True + 1, True * 2.5, False / 1, True // True, -True, ~True)
print(1 + 1.0, 2 * 3.0, 7 / 7, 2 ** 0.5 * 2 ** 0.5, 3 // 2.0)
print(int(" 12 "), int("-0"), float("1."), float(".5"), float("1e-3"), str(0.1 + 0.7))
print(isinstance(1 + 1.0, float), type(True + True).__name__, type(3 / 1).__name__)
print(max(True, 0), min(False, -1), abs(-True), round(True))
print(str(12).zfill(4), int(str(99) + "1"), float(str(1.25) + "5"))
print([bool(x) for x in (0, 0.0, "", "0", " ", [], [[]])])
for text in ["0", "7", "-3", "2.5", "1e2"]:
    try:
        print(repr(text), "int", int(text))
    except ValueError:
        print(repr(text), "float", float(text))
