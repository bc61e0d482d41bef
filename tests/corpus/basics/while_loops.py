# Numeric algorithms with while loops: gcd, primes, digit sums.
def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


print(gcd(48, 18), gcd(17, 5), gcd(0, 9))
primes = []
candidate = 2
while len(primes) < 15:
    is_prime = True
    d = 2
    while d * d <= candidate:
        if candidate % d == 0:
            is_prime = False
            break
        d += 1
    if is_prime:
        primes.append(candidate)
    candidate += 1
print(primes)
n = 987654321
digits = 0
while n:
    digits += n % 10
    n //= 10
print("digit sum", digits)
fib = [0, 1]
while fib[-1] < 500:
    fib.append(fib[-1] + fib[-2])
print(fib)
