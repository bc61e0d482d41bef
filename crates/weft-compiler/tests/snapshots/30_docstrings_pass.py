"""Module docstring."""

def f():
    """Function docstring."""
    pass

class C:
    """Class docstring."""

    def m(self):
        "method doc"
