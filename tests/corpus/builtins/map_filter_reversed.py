# map, filter (with None), reversed; their lazy iterators.
print(list(map(str.upper, ["a", "b"])), list(map(pow, [2, 3], [3, 2])))
print(list(map(lambda a, b, c: a + b + c, [1, 2], [10, 20], [100, 200, 300])))
m = map(int, "123")
print(next(m), list(m), list(m))
print(list(filter(None, [0, 1, "", "a", None, [], [0]])))
print(list(filter(str.isdigit, ["1", "a", "22"])), list(filter(lambda x: x > 2, range(6))))
print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed(range(5))), list(reversed((1, 2))))
print("".join(reversed("stressed")))


class Backwards:
    def __reversed__(self):
        return iter(["custom", "reversed"])


class Seq:
    def __len__(self):
        return 3

    def __getitem__(self, i):
        return i * 10


print(list(reversed(Backwards())), list(reversed(Seq())))
try:
    reversed({1, 2})
except TypeError as e:
    print("TypeError:", e)
r = reversed([1, 2])
print(next(r), next(r), next(r, "end"))
print(list(reversed({"a": 1, "b": 2})))
