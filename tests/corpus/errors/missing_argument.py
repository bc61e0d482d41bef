# Calling a function without a required positional argument.
def f(a, b):
    return a + b


print(f(1, 2))
print(f(b=1, a=2))
parts = [1]
print("calling with", len(parts), "argument")
print(f(*parts))
