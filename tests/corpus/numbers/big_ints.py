# Arbitrary-precision integers.
def fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


print(fact(25))
print(fact(50))
print(2 ** 200)
print(-(2 ** 100), 2 ** 64 - 1, 2 ** 63)
big = 3 ** 100
print(big, len(str(big)))
print(big // 7 ** 20, big % 1000007, divmod(big, 10 ** 30))
print(big * big - big ** 2, (big + 1) - big)
print(10 ** 30 == 10 ** 30, 10 ** 30 > 10 ** 29, 2 ** 100 < -(2 ** 100))
print(int("123456789012345678901234567890") + 1)
print(-(10 ** 20) // 3, -(10 ** 20) % 3, (10 ** 20) // -7, (10 ** 20) % -7)
print(abs(-(2 ** 70)), pow(2, 100, 10 ** 9 + 7), pow(3, 200))
print(sum(range(10 ** 6 + 1)))
print(str(2 ** 1000)[:20], str(2 ** 1000)[-20:])
print(2 ** 64 * 2 ** -64, 2 ** 100 / 2 ** 98, float(2 ** 80))
x = 1
for _ in range(100):
    x = x * 3 + 1
print(x, x.bit_length())
