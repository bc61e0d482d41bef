"""Regenerates errors.txt: the SyntaxErrors CPython reports for each case.

Run with CPython 3.11 from this directory: python3 gen_errors.py > errors.txt
Each output line: escaped source, exception class, message, line, offset, end line, end
offset (tab-separated; offsets are CPython's 1-based character columns; -1 = none).
"""
import sys

CASES = [
    "return 1",
    "class C:\n    return 1",
    "if x:\n    return",
    "yield 2",
    "x = (yield)",
    "class C:\n    yield",
    "def f():\n    pass\nyield from g",
    "break",
    "if x:\n    break",
    "while x:\n    def f():\n        break",
    "continue",
    "if x:\n    continue",
    "for x in y:\n    class C:\n        continue",
    "nonlocal x",
    "def f():\n    nonlocal x",
    "def f():\n    global x\n    def g():\n        nonlocal x",
    "def f():\n    x = 1\n    global x",
    "def f():\n    print(x)\n    global x",
    "x = 1\nglobal x",
    "def f(x):\n    global x",
    "def f(x):\n    nonlocal x",
    "def f():\n    global x\n    nonlocal x",
    "def f():\n    x = 1\n    def g():\n        x\n        nonlocal x",
    "def f():\n    x = 1\n    def g():\n        x = 2\n        nonlocal x",
    "def f():\n    x: int\n    global x",
    "def f(a, a): pass",
    "def f(a, *, a): pass",
    "def f(a, *a): pass",
    "def f(a, **a): pass",
    "lambda a, a: 1",
    "await x",
    "def f():\n    await x",
    "1 = x",
    "x = 1 = y",
    "f() = 1",
    "del f()",
    "del 1",
    "(a, 1) = x",
    "[a, b()] = x",
    "x + 1 += 2",
    "f() += 1",
    "(x := 1) = 2",
    "for 1 in x: pass",
    "with a as 1: pass",
    "*a = 1",
    "a, *b, *c = d",
    "[*a, *b] = d",
    "for *x in y: pass",
    "x = *a",
    "print(*a)\ny = *b",
    "return_ = *a, *b\nz = *c",
    "def f():\n    from m import *",
    "class C:\n    from m import *",
    "f(a=1, a=2)",
    "f(x, a=1, b=2, a=3)",
    "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass",
    "[x for x in y if (yield)]",
    "{x for x in (yield)}",
    "def f():\n    return [(yield x) for x in y]",
    "def f():\n    return ((yield x) for x in y)",
    "def f():\n    return {k: (yield) for k in y}",
    "[(y := 1) for y in z]",
    "[[(x := 1) for a in b] for x in c]",
    "class C:\n    [(y := 1) for x in z]",
    "[x for x in (y := [1])]",
    "__debug__ = 1",
    "del __debug__",
    "def f(__debug__): pass",
    "def f(:\n  pass",
    "x = 1\nif x:\n  y = 2\n    z = 3",
    "s = 'abc",
    "def f():\n    x: int = 1\n    global x",
    "def f():\n    global x\n    x: int = 1",
    "a = 1\na, b += 1",
    "True = 1",
    "None = 1",
    "lambda: (yield)\nreturn",
    "def f():\n    break",
    "while 1:\n    pass\nelse:\n    break",
    "for x in y:\n    pass\nelse:\n    continue",
    "try:\n    pass\nfinally:\n    return",
    "def f():\n    try:\n        pass\n    except Exception as e:\n        nonlocal e",
    "import a.b as c\nnonlocal c",
    "if x:\npass",
    "def f():\nreturn 1",
    "class C:\n\nx = 1",
    "for x in y:\n# comment\nz",
    "if x:\n  pass\nelse:\npass",
    "try:\npass",
    "while x:\nbreak",
    "if x:\n\tif y:\n        pass",
    "if x:\n        a\n\tb",
    "f(**a, *b)",
    "f(x for x in y, 1)",
    "(a, b): int = 1",
    "[x for x in (lambda a, a: 1)]",
    "[a, b]: int",
]


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


for src in CASES:
    try:
        compile(src, "x.py", "exec")
    except SyntaxError as e:
        fields = [
            esc(src),
            type(e).__name__,
            esc(e.msg),
            str(e.lineno),
            str(e.offset if e.offset is not None else -1),
            str(e.end_lineno if e.end_lineno is not None else -1),
            str(e.end_offset if e.end_offset is not None else -1),
        ]
        print("\t".join(fields))
    else:
        sys.exit(f"case compiles without error: {src!r}")
