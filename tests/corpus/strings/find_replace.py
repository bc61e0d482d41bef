# find, rfind, index, rindex, count, replace, in.
s = "the quick brown fox jumps over the lazy dog"
print(s.find("the"), s.rfind("the"), s.find("cat"), s.rfind("cat"))
print(s.find("o"), s.find("o", 13), s.find("o", 13, 15), s.rfind("o", 0, 20))
print(s.index("fox"), s.rindex("o"))
try:
    s.index("cat")
except ValueError as e:
    print("ValueError:", e)
print(s.count("o"), s.count("the"), s.count(""), "aaaa".count("aa"))
print(s.replace("the", "THE"), "|", s.replace("the", "a", 1))
print("aaa".replace("a", "bb"), "abc".replace("", "-"), "abc".replace("x", "y"))
print("fox" in s, "cat" in s, "" in s, "Fox" not in s)
print("banana".find("na", 3), "banana".rfind("na", 0, 4), "".find(""))
