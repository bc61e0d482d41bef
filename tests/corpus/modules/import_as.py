# import m as n, and aliases refer to the same module object.
import helper_shapes as shapes
import helper_shapes
import math as m
import os.path as osp

print(shapes is helper_shapes, shapes.__name__)
print(shapes.area(10))
print(m.sqrt(16), m.pi == m.pi, osp.join("a", "b"))
import sys

print("helper_shapes" in sys.modules, "shapes" in sys.modules)
print(sys.modules["helper_shapes"] is shapes)
