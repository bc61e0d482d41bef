# assert passes silently when true and raises AssertionError otherwise.
assert True
assert 1 + 1 == 2, "math works"
print("passed simple asserts")

try:
    assert 1 > 2, "one is not greater than two"
except AssertionError as e:
    print("caught:", e)
    print("args:", e.args)

try:
    assert []
except AssertionError as e:
    print("no message:", repr(e), e.args)

n = 0


def bump():
    global n
    n += 1
    return "message %d" % n


assert n == 0, bump()
print("message not evaluated when true:", n)
try:
    assert n == 1, bump()
except AssertionError as e:
    print("message evaluated on failure:", e, n)
