# str.format with positional, keyword, index and attribute fields.
print("{} and {}".format("a", "b"))
print("{1} before {0}, then {1} again".format("x", "y"))
print("{name} is {age}".format(name="ann", age=3))
print("{0[0]} {0[1]} {1[key]}".format(["first", "second"], {"key": "val"}))


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y


p = Point(3, 4)
print("x={0.x} y={0.y}".format(p), "{p.x}/{p.y}".format(p=p))
print("{:>8}|{:<8}|{:^8}|".format("r", "l", "c"))
print("{0:.2f} {0:10.4f} {0:e}".format(2.5))
print("{:,} {:08.3f} {:+} {:x}".format(10 ** 9, -3.14159, 5, 3054))
print("{!r} {!s} {!a}".format("q", "q", "ñ"))
print("{0:{1}{2}}".format("nest", ">", 10))
print("{:{fill}^{w}}".format("mid", fill="*", w=11))
print("{{}} {{{}}}".format("inside"))
data = {"a": 1, "b": [10, 20]}
print("{d[a]} {d[b][1]}".format(d=data))
try:
    "{} {}".format("one")
except IndexError as e:
    print("IndexError:", e)
try:
    "{missing}".format(present=1)
except KeyError as e:
    print("KeyError:", e)
try:
    "{0} {}".format(1, 2)
except ValueError as e:
    print("ValueError:", e)
