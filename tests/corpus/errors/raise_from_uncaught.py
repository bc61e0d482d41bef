# An uncaught exception raised with `raise ... from ...`.
class ParseError(Exception):
    pass


def parse(text):
    try:
        return int(text)
    except ValueError as e:
        raise ParseError("bad number: " + text) from e


print(parse("7"))
parse("seven")
