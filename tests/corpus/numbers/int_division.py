# Floor division and modulo with negative operands (ints and floats).
pairs = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (5, 7), (-5, 7), (6, 3), (-6, 3)]
for a, b in pairs:
    print("%3d %3d -> // %3d  %% %3d  divmod %s" % (a, b, a // b, a % b, divmod(a, b)))
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7.5 % -2)
print(divmod(7.5, 2), divmod(-7.5, 2), divmod(-1, 3.0))
print(7 / 2, -7 / 2, 6 / 3, type(6 / 3).__name__, 1 / 3)
print(10 ** 20 // 3, -(10 ** 20) // 3, 10 ** 20 % -3)
for a, b in pairs:
    q, r = divmod(a, b)
    assert q * b + r == a
print("divmod identity holds")
print(-0.0 // 1, 0.0 % -1, -1 % 1.0)
