# Unbounded recursion raises RecursionError.
def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)


print("bounded recursion:", depth(50))


def down(n):
    return down(n + 1) + 1


print("recursing without a base case")
down(0)
