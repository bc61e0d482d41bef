# from m import x, from m import x as y, and names bound by value.
from helper_shapes import area, Square, PI_ISH
from helper_shapes import created as made

print(area(1), PI_ISH)
Square(2)
Square(5)
print(made)
import helper_shapes

print(made is helper_shapes.created)
helper_shapes.PI_ISH = 100
print(PI_ISH, helper_shapes.PI_ISH, area(1))
try:
    from helper_shapes import does_not_exist
except ImportError as e:
    print("ImportError:", str(e).split(" (")[0])
