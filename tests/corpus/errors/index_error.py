# Indexing past the end of a list (an off-by-one loop).
items = [1, 2, 3]
print(items[2], items[-3])
total = 0
i = 0
while i <= len(items):
    print("index", i)
    total += items[i]
    i += 1
print("never reached", total)
