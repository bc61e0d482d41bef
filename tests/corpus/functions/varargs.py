# *args and **kwargs collection and forwarding.
def collect(*args, **kwargs):
    print("args =", args, "kwargs =", kwargs)


collect()
collect(1, 2, 3)
collect(a=1, b=2)
collect(1, "two", three=3)


def total(first, *rest):
    return first + sum(rest)


print(total(1), total(1, 2, 3, 4))


def forward(*args, **kwargs):
    return collect(*args, **kwargs)


forward(9, 8, key="value")


def describe(**info):
    for key in sorted(info):
        print(" ", key, "->", info[key])


describe(name="weft", lang="rust", year=2024)
numbers = [3, 1, 2]
options = {"sep": " | ", "end": " <end>\n"}
print(*numbers, **options)


def mixed(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, kw)


print(mixed(1, c=3))
print(mixed(1, 5, 6, 7, c=8, e=9))
