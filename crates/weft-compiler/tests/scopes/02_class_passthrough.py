def outer(a, b):
    class C:
        a = 1
        def m(self):
            return a, b
        def n(self):
            return __class__
    return C
