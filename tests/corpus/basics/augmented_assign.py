# Augmented assignment operators on ints, strings, lists, and attributes.
x = 10
x += 5
print(x)
x -= 3
print(x)
x *= 2
print(x)
x //= 5
print(x)
x **= 3
print(x)
x %= 7
print(x)
x <<= 4
print(x)
x >>= 2
print(x)
x |= 0b1010
print(x)
x &= 0b0110
print(x)
x ^= 0xFF
print(x)
y = 7
y /= 2
print(y)
s = "ab"
s += "cd"
s *= 2
print(s)
lst = [1]
alias = lst
lst += [2, 3]
print(lst, alias, lst is alias)
t = (1,)
alias_t = t
t += (2,)
print(t, alias_t, t is alias_t)


class C:
    n = 0


c = C()
c.n += 1
c.n += 1
print(c.n, C.n)
d = {"k": 1}
d["k"] += 41
print(d)
