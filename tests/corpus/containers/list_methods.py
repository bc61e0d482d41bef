# list methods: append, extend, insert, pop, remove, index, count, sort, reverse, copy, clear.
lst = [3, 1, 4]
lst.append(1)
print(lst)
lst.extend([5, 9])
lst.extend(range(2))
lst.extend("ab")
print(lst)
lst.insert(0, "first")
lst.insert(100, "end")
lst.insert(-1, "before end")
print(lst)
print(lst.pop(), lst.pop(0), lst.pop(-2), lst)
lst.remove(1)
print(lst, lst.index(1), lst.index(4), lst.count(1), lst.count("zz"))
try:
    lst.remove("missing")
except ValueError as e:
    print("ValueError:", e)
try:
    lst.index(42)
except ValueError as e:
    print("ValueError:", e)
nums = [n for n in lst if isinstance(n, int)]
nums.sort()
print(nums)
nums.sort(reverse=True)
print(nums)
nums.reverse()
print(nums)
c = nums.copy()
c.append(100)
print(nums, c, c is nums)
c.clear()
print(c, len(c))
try:
    [].pop()
except IndexError as e:
    print("IndexError:", e)
print([1, 2, 3].index(3, 1), [0, 1, 0, 1].index(0, 1))
print([1, 2] + [3], [0] * 3, [[]] * 2, 2 in [1, 2], [1, 2] == [1, 2], [1, 2] < [1, 3])
