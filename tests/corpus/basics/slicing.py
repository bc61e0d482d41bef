# Slicing with positive and negative steps on list, str and tuple.
lst = list(range(10))
s = "abcdefghij"
t = tuple(range(10))
print(lst[2:5], s[2:5], t[2:5])
print(lst[:3], lst[7:], lst[:], lst[-3:])
print(lst[::2], s[::3], t[1::4])
print(lst[::-1], s[::-1])
print(t[::-2], s[8:2:-2])
print(lst[-1:-5:-1], s[-2::-3])
print(lst[100:], lst[-100:2], s[5:2])
print(lst[3:-3], s[1:-1])
sl = slice(1, 8, 3)
print(lst[sl], s[sl], sl)
print(sl.start, sl.stop, sl.step)
print(slice(None, 5))
print(slice(2, None, -1).indices(10))
print(s[slice(None, None, -1)])
try:
    lst[::0]
except ValueError as e:
    print("ValueError:", e)
