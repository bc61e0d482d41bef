# How floats print by default: shortest repr, str, and in containers.
values = [0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 1.0, 100.0, 1e16, 1e15, 1.5e-5, 1e-7, 0.0001, 123456789.123, 1e100, -0.0, 2.0 ** 0.5]
for v in values:
    print(repr(v), str(v))
print([0.1, 1.0, 1e16], (0.5,), {"k": 2.5})
print(f"{0.1 + 0.2}", "%s %r" % (0.1 + 0.2, 0.1 + 0.2), "{}".format(1e16))
print(1e-5, 1e-4, 1e21, 1e22, 12345678901234567890.0)
print(float("1.10"), float("  -2.5e3 "), float("1_000.5"))
print(5e-324, 1.7976931348623157e308, 2.2250738585072014e-308)
total = 0.0
for step in range(10):
    total += 0.1
print(total, total == 1.0, round(total, 10) == 1.0)
print(1 / 7, 22 / 7, 1e308 * 10, -1e308 * 10)
