# Slice assignment and deletion on lists.
lst = list(range(8))
lst[1:3] = ["a", "b", "c"]
print(lst)
lst[:0] = [-2, -1]
print(lst)
lst[len(lst):] = [100]
print(lst)
lst[2:5] = []
print(lst)
print(len(lst), len(lst[::2]))
lst[::2] = "VWXYZ"
print(lst)
try:
    lst[::2] = [1, 2]
except ValueError as e:
    print("ValueError:", e)
lst[::-3] = [7, 8, 9]
print(lst)
del lst[1::2]
print(lst)
lst[:] = range(3)
print(lst)
lst[1:2] = lst
print(lst)
lst[5:100] = (9,)
print(lst)
