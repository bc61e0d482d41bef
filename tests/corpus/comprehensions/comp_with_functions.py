# Comprehensions calling functions and methods, building lookup tables.
def slugify(title):
    return "-".join(part.lower() for part in title.split() if part.isalnum())


titles = ["Hello World", "Rust and Python", "A  B  C", "Free Threading Now"]
print([slugify(t) for t in titles])
index = {slugify(t): i for i, t in enumerate(titles)}
print(index)
inventory = {"apples": 3, "pears": 0, "plums": 12, "kiwis": 0}
print([k for k, v in sorted(inventory.items()) if v])
print({k: v * 2 for k, v in inventory.items() if v})
print(sorted({v for v in inventory.values()}))
text = "the cat and the hat and the bat"
freq = {}
for w in text.split():
    freq[w] = freq.get(w, 0) + 1
print(sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])))
print([list(range(n)) for n in range(4)])
print(list(map(len, [w for w in text.split() if len(w) == 3])))
