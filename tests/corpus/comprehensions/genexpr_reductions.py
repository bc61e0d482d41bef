# Generator expressions inside sum/any/all/min/max and short-circuiting.
nums = [3, 8, -2, 7, 0, 5]
print(sum(x for x in nums))
print(sum(x * x for x in nums if x > 0))
print(sum((x for x in nums), 100))
print(any(x < 0 for x in nums), all(x >= 0 for x in nums))
print(any(x > 100 for x in nums), all(x < 100 for x in nums))
print(any(()), all(()))
print(min(x for x in nums if x), max(abs(x) for x in nums))
checked = []


def check(x):
    checked.append(x)
    return x > 5


print(any(check(x) for x in nums), checked)
checked.clear()
print(all(check(x) for x in [9, 10, 1, 20]), checked)
print(sum(1 for c in "banana" if c == "a"))
print(sum(len(w) for w in "the quick brown fox".split()))
print(sorted((x % 4, x) for x in range(10)))
total = sum(x / 10 for x in range(5))
print(total)
