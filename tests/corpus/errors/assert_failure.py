# A failing assert with a message.
def check_positive(n):
    assert n > 0, "expected a positive number, got %d" % n
    return n


values = [3, 1, -4, 2]
for v in values:
    print("checking", v)
    print(check_positive(v))
print("never reached")
