# math: constants, rounding, number theory, logs, trig (rounded), sums and products.
import math

print(math.pi, math.e, math.inf, -math.inf, math.nan)
print(math.sqrt(16), math.sqrt(2), math.floor(2.7), math.floor(-2.1), math.ceil(2.1), math.ceil(-2.7))
print(type(math.floor(2.5)).__name__, math.trunc(-3.9), math.trunc(3.9))
print(math.gcd(48, 36), math.gcd(0, 5), math.gcd(2 ** 100, 6 ** 50), math.gcd())
print(math.factorial(0), math.factorial(20), math.factorial(30))
print(math.isclose(0.1 + 0.2, 0.3), math.isclose(1.0, 1.1), math.isclose(1.0, 1.05, rel_tol=0.1))
print(math.isnan(math.nan), math.isnan(1.0), math.isnan(math.inf), math.inf > 1e308)
print(math.log(math.e), math.log(1), math.log2(1024), math.log10(1000), math.log(8, 2))
print(round(math.exp(1), 12), math.exp(0), round(math.log(10), 10))
print(round(math.sin(math.pi / 6), 10), round(math.cos(math.pi / 3), 10), round(math.sin(math.pi / 2), 10))
print(math.sin(0), math.cos(0), round(math.sin(math.pi), 10), round(math.cos(math.pi), 10))
print(math.hypot(3, 4), math.hypot(5, 12), math.fsum([0.1] * 10), sum([0.1] * 10))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod(range(1, 6), start=2))
print(math.comb(5, 2), math.comb(52, 5), math.perm(5, 2), math.perm(5))
print(math.floor(-0.5), math.ceil(-0.5), math.floor(10 ** 20 + 0.5) == 10 ** 20, math.trunc(2 ** 70 + 0.0) == 2 ** 70)
try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError:", e)
try:
    math.log(0)
except ValueError as e:
    print("ValueError:", e)
try:
    math.factorial(-1)
except ValueError as e:
    print("ValueError:", e)
