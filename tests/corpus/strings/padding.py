# center, ljust, rjust, zfill and expandtabs.
for w in ["a", "abc", "abcdef"]:
    print("[" + w.center(7) + "]", "[" + w.ljust(5, ".") + "]", "[" + w.rjust(5, "*") + "]")
print("[" + "ab".center(5, "-") + "]", "[" + "ab".center(6, "-") + "]", "[" + "abc".center(6) + "]")
print("42".zfill(5), "-42".zfill(5), "+7".zfill(4), "abc".zfill(2), "3.14".zfill(7))
print("a\tb\tc".expandtabs(4), "|", "ab\tc".expandtabs())
try:
    "x".center(5, "ab")
except TypeError as e:
    print("TypeError:", e)
