# startswith/endswith and the is* predicates.
s = "Hello, World"
print(s.startswith("Hello"), s.startswith("World", 7), s.startswith(("x", "He")))
print(s.endswith("World"), s.endswith("Hello", 0, 5), s.endswith(("!", "ld")))
samples = ["123", "12.5", "abc", "abc123", "   ", "", "ABC", "Abc", "\t\n", "A1!"]
for t in samples:
    print(repr(t), t.isdigit(), t.isalpha(), t.isalnum(), t.isspace(), t.isupper(), t.islower())
print("Title Case Here".istitle(), "not Title".istitle())
print("valid_name".isidentifier(), "2bad".isidentifier())
print("0123".isdecimal(), "0123".isnumeric())
