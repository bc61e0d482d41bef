@decorator
@other(1, 2)
def f(x):
    return x

@register
class C:
    pass
