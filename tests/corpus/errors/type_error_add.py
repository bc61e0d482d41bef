# Adding an int and a str.
def describe(count, unit):
    print("count:", count, "unit:", unit)
    return count + unit


print(describe(2, 3))
print("%d%s" % (5, "five"))
n = 5
s = "five"
print(describe(n, s))
