def f(a):
    def g():
        def h():
            return a
        return h
    return g
