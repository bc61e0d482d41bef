# sort/sorted stability with key functions and reverse.
records = [("bob", 25), ("ann", 30), ("cy", 25), ("di", 30), ("ed", 20), ("flo", 25)]
print(sorted(records, key=lambda r: r[1]))
print(sorted(records, key=lambda r: r[1], reverse=True))
by_name = sorted(records)
print(sorted(by_name, key=lambda r: r[1]))
words = ["banana", "Apple", "cherry", "apple", "Banana", "date"]
print(sorted(words))
print(sorted(words, key=str.lower))
print(sorted(words, key=len))
print(sorted(words, key=lambda w: (len(w), w)))
nums = [5, -3, 2, -8, 0, 7, -1]
nums.sort(key=abs)
print(nums)
nums.sort(key=abs, reverse=True)
print(nums)
print(sorted("hello world"), sorted((3, 1, 2)), sorted({3: "c", 1: "a"}))
print(sorted([[2, "b"], [1, "z"], [2, "a"]]))
try:
    sorted([1, "a", 2])
except TypeError as e:
    print("TypeError:", e)
print(sorted([]), sorted([1]), sorted(range(5), reverse=True))
