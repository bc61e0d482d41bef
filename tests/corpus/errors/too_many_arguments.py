# Calling a function with too many positional arguments.
def f(a, b):
    return a * b


args = [3, 4]
print(f(*args))
args.append(5)
print("calling with", len(args), "arguments")
f(*args)
print("never reached")
