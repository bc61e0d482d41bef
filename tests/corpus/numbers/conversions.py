# int/float/str conversions and their errors.
print(int("42"), int(" -7 "), float("3.25"), float("-1e3"), float(" inf "), float(2 ** 53))
print(int(3.7), int(-3.7), float(5), str(5.0), str(-0.0), int(float("1e3")))
print(int(2 ** 53 + 1.0), float(2 ** 53 + 1), float(10 ** 20), int(1e300) == 10 ** 300)
print(bool(0.0), bool(-0.0), bool(0.1), int(True) + float(False))
bad_ints = ["3.5", "", "one", "1e5", "0x10", " ", "--1"]
for s in bad_ints:
    try:
        int(s)
    except ValueError as e:
        print("ValueError:", e)
for s in ["abc", "", "1.2.3", "1e", "infinit"]:
    try:
        float(s)
    except ValueError as e:
        print("ValueError:", e)
for v in [float("inf"), float("nan")]:
    try:
        int(v)
    except (OverflowError, ValueError) as e:
        print(type(e).__name__ + ":", e)
try:
    float(10 ** 400)
except OverflowError as e:
    print("OverflowError:", e)
try:
    int([1])
except TypeError as e:
    print("TypeError:", e)
try:
    float(None)
except TypeError as e:
    print("TypeError:", e)
print(1 + 2.0, type(1 + 2.0).__name__, 3 * True, 10 / 4, 10 // 4.0)
