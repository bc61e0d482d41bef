# Building strings incrementally and a simple word-wrap algorithm.
def wrap(text, width):
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = current + " " + word if current else word
    if current:
        lines.append(current)
    return lines


text = "the free threaded runtime runs python threads in parallel on every core without a global lock"
for line in wrap(text, 24):
    print("|" + line.ljust(24) + "|")
parts = []
for i in range(5):
    parts.append(str(i) * i)
print(",".join(parts))


def caesar(s, k):
    out = []
    for c in s:
        if c.isalpha():
            base = ord("a") if c.islower() else ord("A")
            out.append(chr((ord(c) - base + k) % 26 + base))
        else:
            out.append(c)
    return "".join(out)


enc = caesar("Hello, World!", 3)
print(enc, caesar(enc, -3))


def is_palindrome(s):
    cleaned = [c.lower() for c in s if c.isalnum()]
    return cleaned == cleaned[::-1]


print(is_palindrome("A man, a plan, a canal: Panama"), is_palindrome("weft"))
