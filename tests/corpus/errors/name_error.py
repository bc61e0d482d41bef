# Using an undefined name raises NameError.
def compute():
    base = 10
    return base * multiplier_never_defined


print("before the error")
total = 10
print(total + 1)
print(compute())
print("never reached")
