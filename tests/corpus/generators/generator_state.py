# Generator objects: gi_running/gi_frame style state via behavior, generators in classes.
class Tree:
    def __init__(self, value, children=()):
        self.value = value
        self.children = list(children)

    def __iter__(self):
        yield self.value
        for child in self.children:
            yield from child

    def depth_first(self, depth=0):
        yield depth, self.value
        for child in self.children:
            yield from child.depth_first(depth + 1)


t = Tree(1, [Tree(2, [Tree(4), Tree(5)]), Tree(3, [Tree(6)])])
print(list(t))
for depth, value in t.depth_first():
    print("  " * depth + str(value))


def counter():
    i = 0
    while True:
        i += 1
        yield i


a, b = counter(), counter()
print(next(a), next(a), next(b), next(a), next(b))


def window(items, size):
    buf = []
    for item in items:
        buf.append(item)
        if len(buf) > size:
            buf.pop(0)
        if len(buf) == size:
            yield tuple(buf)


print(list(window(range(6), 3)))
gen = counter()
print(iter(gen) is gen, hasattr(gen, "send"), hasattr(gen, "throw"))
