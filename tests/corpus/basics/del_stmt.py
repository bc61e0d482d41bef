# del on names, items, attributes and slices.
x = 10
del x
try:
    print(x)
except NameError as e:
    print("NameError:", e)

items = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
del items[0]
print(items)
del items[-1]
print(items)
del items[2:4]
print(items)
del items[::2]
print(items)
del items[:]
print(items)

d = {"a": 1, "b": 2, "c": 3}
del d["b"]
print(d)
try:
    del d["zzz"]
except KeyError as e:
    print("KeyError:", e)


class Box:
    pass


b = Box()
b.value = 1
b.other = 2
del b.value
print(hasattr(b, "value"), hasattr(b, "other"))
try:
    del b.value
except AttributeError as e:
    print("AttributeError:", e)

a, c = 1, 2
del a, c
try:
    print(a)
except NameError as e:
    print("deleted:", e)
try:
    print(c)
except NameError as e:
    print("deleted:", e)
