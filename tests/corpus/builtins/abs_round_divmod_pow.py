# abs, round, divmod, pow including the 3-argument form.
print(abs(-5), abs(5), abs(-2.5), abs(0), abs(-0.0), abs(-(10 ** 30)), abs(True))


class Neg:
    def __abs__(self):
        return "absolute!"


print(abs(Neg()))
print(round(3.14159), round(3.14159, 2), round(-2.5), round(0.125, 2), round(12345, -3))
print(divmod(9, 4), divmod(-9, 4), divmod(9.5, 2), divmod(2 ** 70, 3))
print(pow(3, 3), pow(3, -1), pow(4, 0.5), pow(3, 3, 5), pow(12345, 6789, 1000), pow(3, -1, 11))
try:
    abs("x")
except TypeError as e:
    print("TypeError:", e)
try:
    pow(3, -1, 6)
except ValueError as e:
    print("ValueError:", e)
