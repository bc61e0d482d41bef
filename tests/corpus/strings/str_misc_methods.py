# Miscellaneous str methods: count occurrences, translate tables, format_map, ascii.
s = "hello world"
table = str.maketrans("lo", "01")
print(s.translate(table))
print(s.translate(str.maketrans("", "", "lo")))
print(s.translate({ord("h"): "J", ord("d"): None}))
print("{name} is {age}".format_map({"name": "ann", "age": 5}))
print(ascii("héllo"), ascii("plain"), ascii("\u2603"))
print("ab" * 3 == "ababab", "abc".index("c"))
vowels = sum(s.count(v) for v in "aeiou")
print("vowels:", vowels)
print("".join(reversed(s)), "".join(sorted(set(s))).strip())
print(" ".join(w[::-1] for w in s.split()))
print(chr(ord("a") + 1), [ord(c) - ord("a") for c in "abz"])
