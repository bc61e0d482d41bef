# Module attributes: __name__, __file__ basename, __doc__, dir() filtered, getattr.
"""Module docstring of module_attrs."""
import os
import helper_shapes

print(__name__, __doc__)
print(os.path.basename(__file__))
print(os.path.basename(helper_shapes.__file__), helper_shapes.__doc__)
public = sorted(n for n in dir(helper_shapes) if not n.startswith("_"))
print(public)
print(getattr(helper_shapes, "PI_ISH"), hasattr(helper_shapes, "nope"))
setattr(helper_shapes, "dynamic", 1)
print(helper_shapes.dynamic, "dynamic" in vars(helper_shapes))
try:
    helper_shapes.missing_attribute
except AttributeError as e:
    print("AttributeError:", e)
