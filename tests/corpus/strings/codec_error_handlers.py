# Codec error handlers: strict, ignore, replace, backslashreplace, xmlcharrefreplace, and
# unknown handler names (looked up only when an error occurs).
def show(f):
    try:
        print(repr(f()))
    except (UnicodeError, LookupError, TypeError) as e:
        print(type(e).__name__ + ":", e)

text = "aé€😀z"
for errors in ("strict", "ignore", "replace", "backslashreplace", "xmlcharrefreplace", "nosuch"):
    show(lambda: text.encode("ascii", errors))
    show(lambda: text.encode("latin-1", errors))
show(lambda: "plain".encode("ascii", "nosuch"))
show(lambda: text.encode("utf-8", "backslashreplace"))

data = b"a\xffb\xe2\x82c\xed\xa0\x80d\xf0\x9f\x98"
for errors in ("strict", "ignore", "replace", "backslashreplace", "nosuch", "xmlcharrefreplace"):
    show(lambda: data.decode("utf-8", errors))
    show(lambda: b"a\x80\xffb".decode("ascii", errors))
show(lambda: b"plain".decode("ascii", "nosuch"))
show(lambda: str(b"\xc3\x28", "utf-8", "backslashreplace"))
show(lambda: bytes("\u0394x", "ascii", "backslashreplace"))
show(lambda: b"\xe9t\xe9".decode("latin-1", "backslashreplace"))
