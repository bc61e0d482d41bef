def f(x):
    if x < 0:
        raise ValueError("negative") from None
    try:
        return int(x)
    except TypeError as exc:
        raise RuntimeError("bad") from exc
