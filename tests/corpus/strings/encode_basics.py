# str.encode and bytes.decode basics.
s = "héllo wörld"
b = s.encode("utf-8")
print(b, len(s), len(b), type(b).__name__)
print(b.decode("utf-8") == s)
print("abc".encode(), "abc".encode("ascii"), list("AZ".encode()))
print("€".encode("utf-8"), len("€"), len("€".encode()))
try:
    "é".encode("ascii")
except UnicodeEncodeError as e:
    print("UnicodeEncodeError:", e)
print("é".encode("ascii", "replace"), "é".encode("ascii", "ignore"))
print(b"caf\xc3\xa9".decode(), bytes([104, 105]).decode())
try:
    b"\xff".decode("utf-8")
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e)
print("snowman: \u2603", "\N{GREEK SMALL LETTER ALPHA}", len("\u2603"))
