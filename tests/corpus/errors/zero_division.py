# Division by zero is uncaught.
def ratio(a, b):
    return a / b


print(ratio(1, 4))
print(ratio(-3, 2))
for b in [5, 2, 0]:
    print("dividing by", b)
    print(ratio(10, b))
print("never reached")
