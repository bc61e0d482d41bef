# strip, lstrip, rstrip with and without arguments; removeprefix/removesuffix.
s = "  \t hello world \n "
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
print(repr("xxhixx".strip("x")), repr("xxhixx".lstrip("x")), repr("xxhixx".rstrip("x")))
print(repr("www.example.com".strip("cmow.")))
print(repr("123abc321".strip("0123456789")))
print(repr("".strip()), repr("   ".strip()))
print("prefix_name".removeprefix("prefix_"), "name.txt".removesuffix(".txt"))
print("unchanged".removeprefix("zz"), "unchanged".removesuffix("zz"))
lines = ["  key = value  ", "\tindented\t", "trailing;;;", ";;;leading"]
print([s.strip() for s in lines])
print([s.strip(" ;\t") for s in lines])
print("|".join(s.rstrip(";") for s in lines))
