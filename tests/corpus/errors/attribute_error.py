# Accessing a missing attribute on a user instance.
class Foo:
    def __init__(self):
        self.quux = 1

    def show(self):
        return "quux=%d" % self.quux


obj = Foo()
print(obj.quux, obj.show())
print(getattr(obj, "bar", "no bar yet"))
print(obj.bar)
