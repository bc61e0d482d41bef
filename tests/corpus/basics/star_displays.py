# * and ** inside list/tuple/set/dict displays and calls.
a = [1, 2]
b = (3, 4)
print([*a, *b, 5])
print((*a, *b))
print(sorted({*a, *b, 1}))
print([*range(3), *"ab"])
d1 = {"x": 1, "y": 2}
d2 = {"y": 20, "z": 30}
print({**d1, **d2})
print({**d2, **d1, "w": 0})
print({"x": 0, **d1})


def f(*args, **kwargs):
    return args, kwargs


print(f(*a, *b))
print(f(0, *a, 9, **d1))
print(f(**d1, **{"k": "v"}))
print(f(*[], **{}))
try:
    f(**d1, **{"x": 5})
except TypeError:
    print("TypeError: duplicate keyword argument")
print(*a, *b, sep="-")
