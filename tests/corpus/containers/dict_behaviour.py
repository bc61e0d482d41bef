# dict iteration order, dict(zip(...)), | merge, |= update, comprehension and equality.
d = {}
for k in ["zeta", "alpha", "mid", "beta"]:
    d[k] = len(k)
print(d, list(d))
d["alpha"] = 0
print(list(d))
del d["zeta"]
d["zeta"] = 9
print(list(d))
print(dict(zip("abc", [1, 2, 3])), dict(zip(["x"], range(10))))
print(dict([("k", "v"), ("k2", "v2")]), dict(a=1, b=2), dict({"m": 1}, n=2))
a = {"x": 1, "y": 2}
b = {"y": 20, "z": 30}
print(a | b, b | a)
a |= b
print(a)
print({"a": 1, "b": 2} == {"b": 2, "a": 1}, {"a": 1} != {"a": 2})
for key, value in {"one": 1, "two": 2}.items():
    print(key, value)
nested = {"outer": {"inner": [1, 2]}}
nested["outer"]["inner"].append(3)
print(nested, len(nested), "outer" in nested, "inner" in nested)
try:
    for k in d:
        d[k + "!"] = 1
except RuntimeError as e:
    print("RuntimeError:", e)
print({1: "int", 1.0: "float", True: "bool"})
print(dict.fromkeys(range(3), []), {(1, 2): "tuple key"}[(1, 2)])
