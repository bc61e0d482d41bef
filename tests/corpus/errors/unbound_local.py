# Reading a local before assignment raises UnboundLocalError.
count = 5


def f():
    print("inside f")
    count += 1
    return count


print("calling f")
f()
