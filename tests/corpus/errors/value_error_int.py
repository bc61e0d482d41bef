# int() of a non-numeric string.
fields = ["123", "-7", "abc", "9"]
total = 0
for field in fields:
    print("parsing", repr(field))
    value = int(field)
    total += value
    print("running total", total)
print("never reached")
print(total)
