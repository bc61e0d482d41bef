# __len__, __getitem__, __setitem__, __delitem__, __contains__ on a user class.
class Grid:
    def __init__(self, w, h):
        self.w, self.h = w, h
        self.cells = {}

    def __len__(self):
        return self.w * self.h

    def __getitem__(self, pos):
        x, y = pos
        if not (0 <= x < self.w and 0 <= y < self.h):
            raise IndexError("cell out of range")
        return self.cells.get(pos, ".")

    def __setitem__(self, pos, value):
        self.cells[pos] = value

    def __delitem__(self, pos):
        del self.cells[pos]

    def __contains__(self, value):
        return value in self.cells.values()


g = Grid(3, 2)
g[0, 0] = "a"
g[2, 1] = "b"
print(len(g), g[0, 0], g[1, 1], g[2, 1])
print("a" in g, "z" in g, "z" not in g)
del g[0, 0]
print(g[0, 0], "a" in g)
try:
    g[5, 5]
except IndexError as e:
    print("IndexError:", e)


class Squares:
    def __getitem__(self, i):
        if i >= 5:
            raise IndexError
        return i * i


print(list(Squares()), 9 in Squares(), 10 in Squares())
for v in Squares():
    print(v, end=" ")
print()


class Seq:
    def __len__(self):
        return 3

    def __getitem__(self, i):
        if isinstance(i, slice):
            return "slice(%r, %r, %r)" % (i.start, i.stop, i.step)
        return i


s = Seq()
print(s[1:2], s[::-1], s[7], len(s), bool(s))
