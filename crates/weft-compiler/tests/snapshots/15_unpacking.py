a, b = b, a
x, *rest = items
first, *middle, last = items
(p, q), [r, s] = pairs
*init, tail = items
