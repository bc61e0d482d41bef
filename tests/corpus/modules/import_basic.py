# import of a sibling .py module and use of its attributes.
print("before import")
import helper_shapes

print("after import")
print(helper_shapes.__name__, helper_shapes.PI_ISH, helper_shapes._private)
print(helper_shapes.area(2))
sq = helper_shapes.Square(3)
print(sq.area(), helper_shapes.created, type(sq).__name__)
print(type(helper_shapes).__name__)
helper_shapes.PI_ISH = 3
print(helper_shapes.area(2))
helper_shapes.new_attr = "added from outside"
print(helper_shapes.new_attr)
