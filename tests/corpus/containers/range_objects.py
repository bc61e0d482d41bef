# range: negative steps, slicing, membership, len, indexing, equality.
print(list(range(5)), list(range(2, 8)), list(range(0, 20, 5)))
print(list(range(10, 0, -3)), list(range(0, -5, -1)), list(range(5, 5)), list(range(5, 0)))
r = range(3, 30, 4)
print(r, len(r), r[0], r[-1], r[2], r.start, r.stop, r.step)
print(r[1:4], r[::-1], r[::2], list(r[1:4]), list(r[::-1]))
print(7 in r, 8 in r, 27 in r, 31 in r, 7.0 in r)
print(r.index(11), r.count(11), r.count(12))
print(range(0) == range(5, 5), range(0, 3) == range(3), range(1, 10, 2) == range(1, 11, 2))
print(len(range(-10, 10, 3)), list(range(-10, 10, 3)))
big = range(10 ** 18)
print(len(big), big[-1], 10 ** 17 in big)
try:
    range(1, 2, 0)
except ValueError as e:
    print("ValueError:", e)
try:
    r[100]
except IndexError as e:
    print("IndexError:", e)
print(sum(range(101)), list(reversed(range(4))), bool(range(0)))
