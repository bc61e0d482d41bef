# Helper module defining an exception type and a function that raises it.
class HelperError(Exception):
    pass


def explode(msg):
    raise HelperError(msg)
