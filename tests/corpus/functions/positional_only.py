# Positional-only parameters before /.
def pos_only(a, b, /, c, *, d):
    return (a, b, c, d)


print(pos_only(1, 2, 3, d=4))
print(pos_only(1, 2, c=3, d=4))
try:
    pos_only(1, b=2, c=3, d=4)
except TypeError as e:
    print("TypeError:", e)


def kwargs_named_like_param(x, /, **kwargs):
    return x, kwargs


print(kwargs_named_like_param(1, x=2))


def power(base, exp=2, /):
    return base ** exp


print(power(3), power(2, 10))
try:
    power(base=2)
except TypeError as e:
    print("TypeError:", e)
