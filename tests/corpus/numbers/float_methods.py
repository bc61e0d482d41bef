# float.is_integer, as_integer_ratio, and float behaviour in containers.
for f in [1.0, 1.5, -2.0, 0.0, 1e20, 0.1, 0.75, -0.125]:
    print(f, f.is_integer(), f.as_integer_ratio())
n, d = (0.1).as_integer_ratio()
print(n / d == 0.1, d == 2 ** 55)
print(sorted([3.5, -1.25, 2.0, 1e-3, -7.0]))
print(max([0.1, 0.2, 0.3]), sum([0.5, 0.25, 0.125]))
print(2.5 in [1, 2.5, 3], 1 in [1.0], {1.0: "float key"}[1])
print(int(7.9999), (-7.5).__abs__(), 1.5.__add__(1), float.__name__)
x = 0.0
while not (x + 0.25).is_integer():
    x += 0.25
print("reached", x + 0.25)
