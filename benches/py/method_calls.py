# Method calls and attribute access.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def moved(self, dx):
        self.x += dx
        return self

    def norm1(self):
        return abs(self.x) + abs(self.y)


def run(n):
    p = Point(0, 1)
    total = 0
    for i in range(n):
        p.moved(1)
        total += p.norm1()
    return total

print(run(1_000_000))
