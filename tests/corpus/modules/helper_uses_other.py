# Helper module that itself imports another helper.
import helper_shapes
from helper_counter import bump

print("helper_uses_other imported; helper_shapes.PI_ISH =", helper_shapes.PI_ISH)


def combined(r):
    return helper_shapes.area(r) + bump()
