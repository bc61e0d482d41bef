# Bitwise operators, shifts, and bit_length on positive, negative and big ints.
a, b = 0b1100, 0b1010
print(a & b, a | b, a ^ b, ~a, a << 3, a >> 2)
print(bin(a & b), bin(a | b), bin(a ^ b))
print(-1 & 0xFF, -256 >> 4, -1 >> 100, 1 << 100, (1 << 100) >> 99)
print(~0, ~-1, ~255, -5 & 3, -5 | 3, -5 ^ 3)
big = (1 << 130) | 0xABCDEF
print(big & 0xFFFF, big >> 128, big ^ big, hex(big | (1 << 140)))
for n in [0, 1, 2, 255, 256, -1, -256, 2 ** 100, -(2 ** 100)]:
    print(n, n.bit_length())
try:
    1 << -1
except ValueError as e:
    print("ValueError:", e)
print(True & False, True | False, True ^ True, type(True & True).__name__, type(True & 1).__name__)
flags = 0
for bit in (0, 3, 5):
    flags |= 1 << bit
print(flags, [bit for bit in range(8) if flags >> bit & 1])
print(bin(42).count("1"))
