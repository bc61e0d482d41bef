# int methods and attributes; bool as int.
for n in [0, 1, 7, 8, -8, 1023, 1024, 2 ** 64]:
    print(n, n.bit_length(), bin(n))
print((10).numerator, (10).denominator, int.__name__, (255).bit_length())
print(True + True, True * 10, False - 1, sum([True, True, False, True]))
print(abs(-7), abs(7), -(-7), +7, 5 .__add__(3), (7).__mod__(3))
print(isinstance(True, int), bool(7), bool(0), int("7") is not None)
print(max(3, 9, 1), min([4, -2, 8]), sorted([10, -3, 7, 0]))
print(17 // 5 * 5 + 17 % 5, 2 ** 10 - 1, 0xFF + 0o17 + 0b11, 1_000_000 + 1)
n = 1
while n.bit_length() < 10:
    n = n * 3
print(n, n.bit_length(), (n - 1).bit_length(), (-n).bit_length())
