# str.split, rsplit, join and splitlines.
s = "a,b,,c"
print(s.split(","), s.split(",", 1), s.rsplit(",", 1), s.rsplit(","))
print("  many   spaces here ".split())
print("  many   spaces here ".split(" "))
print("one two three four".split(None, 2), "one two three four".rsplit(None, 2))
print("".split(), "".split(","), "abc".split("abc"))
print("a--b--c".split("--"), "x".split("x"))
print("-".join(["a", "b", "c"]), "".join("xyz"), ", ".join([]))
print(" | ".join(str(n) for n in range(4)))
try:
    ",".join([1, 2])
except TypeError as e:
    print("TypeError:", e)
text = "line one\nline two\r\nline three\rlast"
print(text.splitlines())
print(text.splitlines(True))
print("trailing\n".splitlines(), "\n\n".splitlines(), "".splitlines())
try:
    "abc".split("")
except ValueError as e:
    print("ValueError:", e)
