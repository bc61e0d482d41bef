def f():
    try:
        pass
    except Exception as err:
        def g():
            return err
        return g
    del f
