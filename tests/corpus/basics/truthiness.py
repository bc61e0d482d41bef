# Truth values and short-circuiting boolean operators.
values = [0, 1, -1, 0.0, 2.5, "", "a", [], [0], (), (None,), {}, {"k": 1}, None, True, False, set(), range(0), range(1)]
for v in values:
    print(repr(v), bool(v))
print(0 or "default")
print("x" or "default")
print(0 and 1 / 0)
print(1 and 2 and 3)
print(None or 0 or [] or "last")
print(not 0, not "a", not not [])


class Sized:
    def __len__(self):
        return 0


class Truthy:
    def __bool__(self):
        return True

    def __len__(self):
        return 0


print(bool(Sized()), bool(Truthy()), bool(object()))
x = 5
print("big" if x > 3 else "small", "big" if x > 10 else "small")
