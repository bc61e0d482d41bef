def f(seq):
    key = lambda item, *, rev=False: (item, rev)
    gen = (key(x) for x in seq)
    def g():
        yield from gen
        yield seq
    return g
