# Passing functions and results around: higher-order helpers written by hand.
def compose(*fns):
    def run(x):
        for fn in reversed(fns):
            x = fn(x)
        return x

    return run


inc = lambda x: x + 1
dbl = lambda x: x * 2
print(compose(inc, dbl)(5), compose(dbl, inc)(5), compose()(5))


def partial(fn, *bound, **bound_kw):
    def call(*args, **kw):
        merged = dict(bound_kw)
        merged.update(kw)
        return fn(*bound, *args, **merged)

    return call


def volume(l, w, h=1):
    return l * w * h


area = partial(volume, 3)
print(area(4), area(4, h=2), partial(volume, h=10)(1, 2))


def memoize(fn):
    cache = {}

    def wrapper(n):
        if n not in cache:
            cache[n] = fn(n)
        return cache[n]

    wrapper.cache = cache
    return wrapper


@memoize
def slow_square(n):
    print("computing", n)
    return n * n


print(slow_square(4), slow_square(4), slow_square(5))
print(sorted(slow_square.cache.items()))
