# printf-style % formatting.
print("%s is %d years" % ("ann", 30))
print("%5d|%-5d|%05d|%+d|% d" % (42, 42, 42, 42, 42))
print("%.2f|%8.3f|%-8.1f|%e|%.3E|%g|%G" % (3.14159, 2.71828, 1.5, 12345.678, 0.000123, 1e-10, 1e20))
print("%x %X %o %#x %#o %c %c" % (255, 255, 8, 255, 8, 65, "z"))
print("%r %s %a" % ("str", "str", "é"))
print("%%literal percent %d%%" % 50)
print("%(name)s has %(count)03d" % {"name": "box", "count": 7})
print("%*d|%-*d|%.*f" % (5, 1, 5, 2, 2, 3.14159))
print("%s" % [1, 2], "%s" % (("tuple",),), "%s %s" % (None, True))
print("%i %u" % (3.9, -2))
try:
    "%d" % "not a number"
except TypeError as e:
    print("TypeError:", e)
try:
    "%s %s" % ("only one",)
except TypeError as e:
    print("TypeError:", e)
try:
    "%s" % (1, 2)
except TypeError as e:
    print("TypeError:", e)
