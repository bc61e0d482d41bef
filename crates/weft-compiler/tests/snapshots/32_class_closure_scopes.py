def outer():
    x = 1
    class Inner:
        y = x
        def method(self):
            return x
        z = [y for _ in range(3)]
    return Inner
