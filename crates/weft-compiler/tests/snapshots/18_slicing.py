a = seq[1:2]
b = seq[::2]
c = seq[1:10:3]
d = seq[:-1]
seq[1:2] = other
del seq[::2]
e = m[1:2, 3]
