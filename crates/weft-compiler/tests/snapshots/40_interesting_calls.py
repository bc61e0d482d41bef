print("a", "b", sep="-", end="\n")
x = obj.attr.method(1)(2)
y = (lambda: 1)()
z = super
