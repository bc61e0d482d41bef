# Unicode strings: lengths, indexing by code point, ord/chr round trips.
s = "naïve café ☃ 日本"
print(s, len(s))
print(s[2], s[-1], s[11], s.upper())
print([ord(c) for c in "é☃日"])
print(chr(233), chr(9731), chr(26085), chr(0x1F600) == "\U0001F600")
print(len("\U0001F600"), len("\U0001F600".encode("utf-8")))
print(s.split(" "), s.find("☃"), "日本" in s)
print("ÀÉÎ".lower(), "àéî".upper())
print(sorted("cbaé"), "é" > "z")
print(repr("☃"), ascii("☃"))
