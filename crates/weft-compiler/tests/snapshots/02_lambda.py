square = lambda x: x * x
adder = lambda a, b=1: a + b
noargs = lambda: 42
