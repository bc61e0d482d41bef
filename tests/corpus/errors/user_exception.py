# An uncaught user-defined exception.
class InventoryError(Exception):
    pass


def take(stock, n):
    if n > stock:
        raise InventoryError("cannot take %d from %d" % (n, stock))
    return stock - n


print(take(10, 3))
print(take(2, 3))
