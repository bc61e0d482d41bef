# partition and rpartition.
for s in ["key=value", "key=value=more", "novalue", "=leading", "trailing="]:
    print(repr(s), s.partition("="), s.rpartition("="))
path = "/usr/local/lib/python3.11/site.py"
head, sep, tail = path.rpartition("/")
print(head, tail)
scheme, _, rest = "https://example.org/page".partition("://")
print(scheme, rest)
try:
    "abc".partition("")
except ValueError as e:
    print("ValueError:", e)
