# super() in cooperative multiple inheritance, and the two-argument form.
class Base:
    def __init__(self):
        print("Base.__init__")
        self.log = ["Base"]

    def hello(self):
        return ["Base"]


class Left(Base):
    def __init__(self):
        print("Left.__init__")
        super().__init__()
        self.log.append("Left")

    def hello(self):
        return ["Left"] + super().hello()


class Right(Base):
    def __init__(self):
        print("Right.__init__")
        super().__init__()
        self.log.append("Right")

    def hello(self):
        return ["Right"] + super().hello()


class Both(Left, Right):
    def __init__(self):
        print("Both.__init__")
        super().__init__()
        self.log.append("Both")

    def hello(self):
        return ["Both"] + super().hello()


b = Both()
print(b.log)
print(b.hello())
print(super(Left, b).hello())
print(super(Both, b).hello())


class Shape:
    @classmethod
    def create(cls):
        return cls()


class Square(Shape):
    @classmethod
    def create(cls):
        obj = super().create()
        obj.sides = 4
        return obj


s = Square.create()
print(type(s).__name__, s.sides)
