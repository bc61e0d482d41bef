# Helper module (imported by other programs, never run directly).
print("helper_shapes is being imported, __name__ =", __name__)

PI_ISH = 3.14
_private = "hidden"
created = []


def area(r):
    return PI_ISH * r * r


class Square:
    def __init__(self, side):
        self.side = side
        created.append(side)

    def area(self):
        return self.side * self.side


if __name__ == "__main__":
    print("this never prints on import")
