# @staticmethod and @classmethod, called on classes, instances and subclasses.
class Date:
    count = 0

    def __init__(self, y, m, d):
        self.y, self.m, self.d = y, m, d
        Date.count += 1

    @classmethod
    def from_string(cls, s):
        y, m, d = (int(part) for part in s.split("-"))
        return cls(y, m, d)

    @staticmethod
    def is_leap(year):
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)

    def __repr__(self):
        return "%s(%d, %d, %d)" % (type(self).__name__, self.y, self.m, self.d)


class MyDate(Date):
    pass


print(Date.from_string("2024-02-29"))
print(MyDate.from_string("1999-12-31"))
print(Date.is_leap(2000), Date.is_leap(1900), Date(2020, 1, 1).is_leap(2024))
print(Date.count)
d = MyDate(1, 2, 3)
print(d.from_string("5-6-7"))
sm = Date.__dict__["is_leap"]
cm = Date.__dict__["from_string"]
print(type(sm).__name__, type(cm).__name__)
print(callable(Date.is_leap), Date.is_leap.__name__)


class Counter:
    instances = 0

    @classmethod
    def make(cls):
        cls.instances += 1
        return cls()


Counter.make()
Counter.make()
print(Counter.instances)
