# Keyword-only parameters after * or *args.
def connect(host, *, port=80, secure=False):
    return "%s:%d secure=%s" % (host, port, secure)


print(connect("example"))
print(connect("example", port=443, secure=True))
try:
    connect("example", 443)
except TypeError as e:
    print("TypeError:", e)


def required_kw(*, a, b):
    return a - b


print(required_kw(b=1, a=10))
try:
    required_kw(a=1)
except TypeError as e:
    print("TypeError:", e)


def after_args(*items, sep):
    return sep.join(items)


print(after_args("x", "y", "z", sep="+"))
print(connect.__kwdefaults__)
