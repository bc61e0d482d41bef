# f-strings: expressions, conversions !r !s !a, and the = specifier.
name = "weft"
n = 42
pi = 3.14159265
items = ["a", "b"]
print(f"{name} has {n} items")
print(f"{n + 1} {n * 2} {len(items)} {items[0]} {items!r}")
print(f"{name!r} {name!s} {name!a} {'café'!a}")
print(f"{n=}")
print(f"{n + 1 = }")
print(f"{name=!s} {name = }")
print(f"{pi=:.2f}")
print(f"{{literal braces}} {{{n}}}")
d = {"key": "value"}
print(f"{d['key']} {d}")
print(f"{'nested quotes'} {3 if n > 40 else 4}")
print(f"{(lambda x: x * 2)(21)}")
print(f"""triple {name}
second line {n}""")
print(f"{n:>{6}}|{n:<6}|{n:^6}|")
print(F"capital F {n}", rf"raw {name}\n", fr"also raw {n}\t")


class P:
    def __repr__(self):
        return "P()"

    def __str__(self):
        return "p-str"

    def __format__(self, spec):
        return "formatted(" + spec + ")"


p = P()
print(f"{p} {p!r} {p!s} {p:xyz}")
