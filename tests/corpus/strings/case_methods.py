# upper, lower, title, capitalize, swapcase, casefold.
words = ["hello world", "HELLO", "mIxEd CaSe", "it's a dog's life", "123abc", ""]
for w in words:
    print(repr(w), "|", w.upper(), "|", w.lower(), "|", w.title(), "|", w.capitalize(), "|", w.swapcase())
print("Straße".upper(), "ÉCOLE".lower(), "éa".title())
print("ABC".casefold(), "hello" == "HELLO".lower())
names = ["aLiCe", "BOB", "carol ann"]
print([n.capitalize() for n in names], [n.title() for n in names])
print(sorted(names, key=str.lower), [n.swapcase() for n in names])
print("hello"[0].upper() + "hello"[1:], "Hello".lower() == "hello", "".upper() == "")
print("MiXeD".upper().lower().upper(), "x".upper().isupper(), "X".lower().islower())
