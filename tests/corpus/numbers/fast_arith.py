# The inline arithmetic fast paths (weft_eval::fast) against the generic int/float paths:
# every operator on machine-word edges (overflow, zero divisors, floor semantics, shifts past
# the word, mixed float/int), including the in-place forms.
vals = [0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 2**31, -2**31, 2**53, -2**53, 2**53+1, 2**62, -2**62, 2**63-1, -2**63, 63, 64, 65, -64]
fvals = [0.0, -0.0, 1.5, -2.25, 1e300, -1e-300, float('inf'), float('nan')]
out = []
def attempt(f):
    try:
        r = f()
        return repr(r) + ":" + type(r).__name__
    except Exception as e:
        return type(e).__name__
for x, y in [(p, q) for p in vals for q in vals]:
    row = [attempt(lambda: x + y), attempt(lambda: x - y), attempt(lambda: x * y), attempt(lambda: x // y), attempt(lambda: x % y), attempt(lambda: x / y), attempt(lambda: x & y), attempt(lambda: x | y), attempt(lambda: x ^ y), attempt(lambda: x << y if y < 200 else 0), attempt(lambda: x >> y)]
    a = x; a += y; a2 = x; a2 //= y if y else 1; a3 = x; a3 %= y if y else 1
    row += [repr(a), repr(a2), repr(a3)]
    out.append(" ".join(row))
for x in fvals + [1, -3, 2**62, 0]:
    for y in fvals + [2, -5, 0, 2**63-1]:
        out.append(" ".join([attempt(lambda: x + y), attempt(lambda: x - y), attempt(lambda: x * y), attempt(lambda: x / y)]))
print(len(out))
print('\n'.join(out))
