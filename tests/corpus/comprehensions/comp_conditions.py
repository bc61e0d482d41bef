# Multiple if clauses, conditional expressions and filtering with methods.
data = ["10", "abc", "7", "", "  42 ", "x1", "-3"]
print([int(s) for s in data if s.strip().lstrip("-").isdigit()])
print([s for s in data if s if s.isalpha()])
print([x for x in range(50) if x % 2 if x % 3 if x % 5])
print(["even" if x % 2 == 0 else "odd" for x in range(5)])
print([("fizz" if x % 3 == 0 else "") + ("buzz" if x % 5 == 0 else "") or x for x in range(1, 16)])
people = [("ann", 31), ("bob", 17), ("cy", 45), ("di", 12)]
print([name for name, age in people if age >= 18])
print({name: ("adult" if age >= 18 else "minor") for name, age in people})
print([(a, b, c) for a in range(1, 20) for b in range(a, 20) for c in range(b, 20) if a * a + b * b == c * c])
