# sorted (stable, key, reverse), min and max with key and default.
data = [("x", 3), ("y", 1), ("z", 3), ("w", 2), ("v", 1)]
print(sorted(data, key=lambda p: p[1]))
print(sorted(data, key=lambda p: p[1], reverse=True))
print(sorted([3, 1, 2], reverse=True), sorted("bca"), sorted({"b": 1, "a": 2}.items()))
print(min(4, 2, 8), max(4, 2, 8), min([4, 2, 8]), max("hello"), min("b", "a", "c"))
print(min(["apple", "fig", "banana"], key=len), max(["apple", "fig", "banana"], key=len))
print(max([("a", 2), ("b", 2)], key=lambda p: p[1]), min([("a", 2), ("b", 2)], key=lambda p: p[1]))
print(min([], default="empty"), max([], default=None), max([5], default=0))
print(max(range(10), key=lambda n: (n % 3, -n)), min({3: "c", 1: "a"}))
try:
    min([])
except ValueError as e:
    print("ValueError:", e)
try:
    max(1)
except TypeError as e:
    print("TypeError:", e)
words = ["pear", "Fig", "apple", "fig", "Pear"]
print(sorted(words, key=str.lower), sorted(words, key=len, reverse=True))
