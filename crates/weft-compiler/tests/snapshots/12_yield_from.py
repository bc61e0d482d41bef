def outer():
    result = yield from inner()
    yield result
