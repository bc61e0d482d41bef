# Calling a function with an unexpected keyword argument.
def connect(host, port=80):
    return "%s:%d" % (host, port)


print(connect("example", port=8080))
options = {"port": 9000}
print(connect("example", **options))
options["timeout"] = 5
print(connect("example", **options))
