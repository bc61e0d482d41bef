# Concatenation, repetition, indexing, iteration, comparison, immutability.
a, b = "foo", "bar"
print(a + b, a * 3, 2 * b, "-" * 10, "x" * 0, "x" * -1)
s = "python"
print(s[0], s[-1], s[1:4], len(s), s[::-1])
for ch in "hi!":
    print(ch, ord(ch))
print("apple" < "banana", "Zebra" < "apple", "abc" < "abd", "ab" < "abc")
print(min("hello"), max("hello"), sorted("hello"))
try:
    s[0] = "P"
except TypeError as e:
    print("TypeError:", e)
try:
    s[10]
except IndexError as e:
    print("IndexError:", e)
print(str(123), str(1.5), str(None), str(True), str([1, "a"]))
print("multi" "part" " literal", 'single', "dou\"ble", 'sin\'gle', """tri
ple""")
print(r"raw \n string", "tab\there", "new\\nline")
print(repr("quote's"), repr('dq"'), repr("both'\""), repr("\n\t\\"), repr("é"), repr("\x00\x7f"))
