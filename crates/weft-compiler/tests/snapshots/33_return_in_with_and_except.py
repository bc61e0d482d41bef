def f(m):
    with m as v:
        for item in v:
            return item
    try:
        risky()
    except Exception as e:
        return e
    finally:
        print("finally")
