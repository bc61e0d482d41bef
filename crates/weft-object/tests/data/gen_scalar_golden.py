#!/usr/bin/env python3
"""Golden data for weft's scalar semantics, computed by CPython (the reference).

Run from this directory with the reference interpreter (CPython 3.11):

    python3 gen_scalar_golden.py

It rewrites the scalar_*.txt files next to it. Every line is one case:
tab-separated fields `op, inputs..., expected...`. Fields are escaped so the
files are plain ASCII: `\\\\`, `\\t`, `\\n`, `\\r`, and `\\u{HEX}` for every other
character outside printable ASCII (and for `!` and `~`). An expected value that
is an exception is written `!Kind: message`; `~` stands for None. Floats are
written as their 16 hex digit IEEE bit pattern; ints in decimal; bytes in hex.
The seed is fixed, so the output is reproducible.
"""
import math
import random
import struct
import sys

R = random.Random(20240611)
sys.set_int_max_str_digits(4300)


def esc(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch in "!~" or o < 0x20 or o > 0x7E:
            out.append("\\u{%x}" % o)
        else:
            out.append(ch)
    return "".join(out)


def fbits(x):
    return struct.pack(">d", x).hex()


def bitsf(h):
    return struct.unpack(">d", bytes.fromhex(h))[0]


def err(e):
    return "!%s: %s" % (type(e).__name__, esc(str(e)))


class Writer:
    def __init__(self, name):
        self.name = name
        self.lines = []

    def add(self, *fields):
        self.lines.append("\t".join(fields))

    def case(self, op, inputs, fn, enc):
        """Adds `op inputs... result`, where result = enc(fn()) or the error."""
        try:
            res = fn()
        except (ArithmeticError, ValueError, TypeError, MemoryError) as e:
            self.add(op, *inputs, err(e))
            return
        r = enc(res)
        if isinstance(r, (list, tuple)):
            self.add(op, *inputs, *r)
        else:
            self.add(op, *inputs, r)

    def save(self):
        text = "\n".join(self.lines) + "\n"
        with open(self.name, "w", encoding="ascii") as f:
            f.write(text)
        print("%s: %d cases, %d bytes" % (self.name, len(self.lines), len(text)))


# ----------------------------------------------------------------------------- values

SPECIAL_FLOATS = [
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.1, 0.2, 0.3, 1e16, 1e15,
    9999999999999998.0, 1e-4, 1e-5, 0.0001234, 123456789.0, 1e22, 1e23, 1e300,
    -1e300, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
    1.7976931348623157e308, -1.7976931348623157e308, float("inf"), float("-inf"),
    float("nan"), 2.0 ** 53, 2.0 ** 53 + 2, 2.0 ** 63, -2.0 ** 63, 2.0 ** 64, 2.675,
    0.125, 0.375, 1 / 3, 2 / 3, math.pi, math.e, 100.0, 1234.5, 123.456, 1e100,
    4.35, 0.045, 1.005, 2.0 ** -1074 * 3, 1e-310, 7.0, -7.5, 3.0, 4.5, 1e-7,
    12345678901234567890.0, 0.1 + 0.2,
]


def rand_bits_float():
    while True:
        x = struct.unpack(">d", R.getrandbits(64).to_bytes(8, "big"))[0]
        if not math.isnan(x):
            return x


def rand_nice_float():
    k = R.random()
    if k < 0.25:
        return float(R.randint(-1000, 1000))
    if k < 0.45:
        return R.randint(-100000, 100000) / (10 ** R.randint(1, 6))
    if k < 0.6:
        return R.randint(-64, 64) / 8
    if k < 0.8:
        return (R.random() - 0.5) * 10 ** R.randint(-12, 25)
    return rand_bits_float()


def rand_float():
    k = R.random()
    if k < 0.1:
        return R.choice(SPECIAL_FLOATS)
    if k < 0.6:
        return rand_nice_float()
    return rand_bits_float()


SPECIAL_INTS = [
    0, 1, -1, 2, -2, 3, 10, -10, 255, 2 ** 31, 2 ** 53, 2 ** 53 + 1, 2 ** 62,
    2 ** 63 - 1, -2 ** 63, 2 ** 63, -2 ** 63 - 1, 2 ** 64, -2 ** 64, 2 ** 64 - 1,
    2 ** 61 - 1, 2 ** 61, 2 ** 61 - 2, -(2 ** 61 - 1), 2 ** 122 - 1, 10 ** 18,
    10 ** 19, 10 ** 30, -(10 ** 30), 2 ** 1023, 2 ** 1024, 2 ** 1024 - 2 ** 970,
    2 ** 1024 - 2 ** 971, (2 ** 53 + 1) << 100, ((2 ** 53 + 1) << 100) + 1,
    (2 ** 53 + 3) << 100,
]


def rand_int(max_bits=1000):
    k = R.random()
    if k < 0.1:
        return R.choice(SPECIAL_INTS)
    if k < 0.4:
        bits = R.randint(0, 62)
    elif k < 0.55:
        bits = R.randint(60, 68)
    elif k < 0.9:
        bits = R.randint(64, 300)
    else:
        bits = R.randint(300, max(300, max_bits))
    bits = min(bits, max_bits)
    v = R.getrandbits(bits) if bits else 0
    return -v if R.random() < 0.5 else v


def I(v):
    sys.set_int_max_str_digits(0)
    try:
        return str(v)
    finally:
        sys.set_int_max_str_digits(4300)


def F(v):
    return fbits(v)


# ----------------------------------------------------------------------------- float repr

def gen_float_repr():
    R.seed("gen_float_repr")
    w = Writer("scalar_float_repr.txt")
    xs = list(SPECIAL_FLOATS)
    for e in range(-30, 31):
        for m in (1.0, 9.999999999999999, 1.5, 5.0):
            xs.append(m * 10.0 ** e)
    for _ in range(5000):
        xs.append(rand_bits_float())
    for _ in range(1500):
        xs.append(rand_nice_float())
    for _ in range(300):
        # Subnormals and tiny normals.
        xs.append(struct.unpack(">d", R.getrandbits(53).to_bytes(8, "big"))[0])
    for _ in range(300):
        xs.append(float(R.getrandbits(R.randint(1, 80))))
    for _ in range(400):
        # Exact ties between two 17-digit candidates (Gay's dtoa picks the even one).
        x = float(R.randint(10 ** 13, 10 ** 16)) + R.choice([0.125, 0.375, 0.625, 0.875, 0.25, 0.75, 0.5])
        xs.append(R.choice([x, -x, x * 2.0 ** R.randint(-60, 60)]))
    for x in xs:
        w.add("repr", F(x), esc(repr(x)))
    w.save()


# ----------------------------------------------------------------------------- int ops

def gen_int_ops():
    R.seed("gen_int_ops")
    w = Writer("scalar_int_ops.txt")
    ident = lambda r: I(r)
    for _ in range(300):
        a, b = rand_int(300), rand_int(300)
        if R.random() < 0.1:
            b = R.choice([0, 1, -1])
        w.case("add", [I(a), I(b)], lambda: a + b, ident)
        w.case("sub", [I(a), I(b)], lambda: a - b, ident)
        w.case("mul", [I(a), I(b)], lambda: a * b, ident)
        w.case("floordiv", [I(a), I(b)], lambda: a // b, ident)
        w.case("mod", [I(a), I(b)], lambda: a % b, ident)
        w.case("divmod", [I(a), I(b)], lambda: divmod(a, b), lambda r: [I(r[0]), I(r[1])])
        w.case("truediv", [I(a), I(b)], lambda: a / b, F)
        w.case("and", [I(a), I(b)], lambda: a & b, ident)
        w.case("or", [I(a), I(b)], lambda: a | b, ident)
        w.case("xor", [I(a), I(b)], lambda: a ^ b, ident)
        w.case("cmp", [I(a), I(b)], lambda: (a > b) - (a < b), ident)
    # Small operands exercise the inline fast paths and their overflow edges.
    for _ in range(300):
        a, b = rand_int(64), rand_int(64)
        w.case("add", [I(a), I(b)], lambda: a + b, ident)
        w.case("mul", [I(a), I(b)], lambda: a * b, ident)
        w.case("floordiv", [I(a), I(b)], lambda: a // b, ident)
        w.case("mod", [I(a), I(b)], lambda: a % b, ident)
        w.case("truediv", [I(a), I(b)], lambda: a / b, F)
    # True division: ties, subnormals, overflow.
    for _ in range(120):
        m = R.getrandbits(54) | 1 | (1 << 53)
        k = R.randint(0, 200)
        cases = [
            (m << k, 2 << k),
            ((m << k) + R.choice([1, -1]), 2 << k),
            (R.getrandbits(R.randint(1, 200)) + 1, 1 << R.randint(1000, 1200)),
            (1 << R.randint(1000, 1100), R.getrandbits(R.randint(1, 120)) + 1),
            (rand_int(800), rand_int(800) or 1),
        ]
        for a, b in cases:
            w.case("truediv", [I(a), I(b)], lambda: a / b, F)
    w.save()
    w = Writer("scalar_int_misc.txt")
    ident = lambda r: I(r)
    # Powers.
    for _ in range(250):
        a = rand_int(150) if R.random() < 0.5 else R.randint(-20, 20)
        b = R.randint(-5, 40)
        if a.bit_length() * b > 3000:
            b = R.randint(-5, 5)
        w.case("pow", [I(a), I(b)], lambda: a ** b, lambda r: F(r) if isinstance(r, float) else I(r))
    for _ in range(250):
        a = rand_int(300)
        b = rand_int(200) if R.random() < 0.7 else R.randint(-10, 10)
        m = rand_int(200) if R.random() < 0.7 else R.randint(-30, 30)
        w.case("powmod", [I(a), I(b), I(m)], lambda: pow(a, b, m), ident)
    # Shifts.
    for _ in range(300):
        a = rand_int(300)
        n = R.choice([R.randint(0, 70), R.randint(0, 400), R.randint(-3, 3)])
        w.case("lshift", [I(a), I(n)], lambda: a << n, ident)
        w.case("rshift", [I(a), I(n)], lambda: a >> n, ident)
    for a, n in [(1, 2 ** 63), (0, 2 ** 100), (-1, 2 ** 100), (5, 2 ** 70)]:
        w.case("rshift", [I(a), I(n)], lambda: a >> n, ident)
    w.case("lshift", [I(1), I(-1)], lambda: 1 << -1, ident)
    w.case("lshift", [I(0), I(2 ** 100)], lambda: 0 << 2 ** 100, ident)
    w.add("lshift", I(1), I(2 ** 63), "!MemoryError: ")
    w.add("lshift", I(-1), I(2 ** 62), "!MemoryError: ")
    w.case("lshift", [I(1), I(2 ** 70)], lambda: 1 << 2 ** 70, ident)
    w.add("pow", I(2), I(2 ** 40), "!MemoryError: ")
    # Unary operations.
    for _ in range(400):
        a = rand_int(400)
        w.case("neg", [I(a)], lambda: -a, ident)
        w.case("invert", [I(a)], lambda: ~a, ident)
        w.case("abs", [I(a)], lambda: abs(a), ident)
        w.case("bitlen", [I(a)], lambda: a.bit_length(), ident)
        w.case("hash", [I(a)], lambda: hash(a), ident)
        w.case("tof64", [I(a)], lambda: float(a), F)
        w.case("hex", [I(a)], lambda: hex(a), esc)
        w.case("oct", [I(a)], lambda: oct(a), esc)
        w.case("bin", [I(a)], lambda: bin(a), esc)
    for a in SPECIAL_INTS:
        for op, fn, enc in [("hash", hash, I), ("tof64", float, F), ("neg", lambda v: -v, I)]:
            w.case(op, [I(a)], lambda: fn(a), enc)
    for k in range(0, 200, 7):
        for d in (-1, 0, 1):
            a = (2 ** 61 - 1) * k + d
            w.case("hash", [I(a)], lambda: hash(a), I)
            w.case("hash", [I(-a)], lambda: hash(-a), I)
    # int <-> float comparison.
    for _ in range(700):
        k = R.random()
        if k < 0.5:
            a = rand_int(1100)
            try:
                x = float(a)
            except OverflowError:
                x = float("inf")
            x = R.choice([x, math.nextafter(x, math.inf), math.nextafter(x, -math.inf), x + 0.5, -x])
        else:
            x = rand_float()
            a = rand_int(1100) if R.random() < 0.5 else (int(x) if math.isfinite(x) else 0)
        w.case("cmpf", [I(a), F(x)], lambda: "nan" if x != x else "<=>"[(a > x) - (a < x) + 1], str)
    # int(float)
    for _ in range(300):
        x = rand_float()
        w.case("fromf64", [F(x)], lambda: int(x), ident)
    w.save()


# ----------------------------------------------------------------------------- float ops

def gen_float_ops():
    R.seed("gen_float_ops")
    w = Writer("scalar_float_ops.txt")
    f2 = lambda r: [F(r[0]), F(r[1])]
    for _ in range(900):
        a, b = rand_float(), rand_float()
        if R.random() < 0.05:
            b = R.choice([0.0, -0.0])
        if R.random() < 0.2:
            b = float(R.randint(-7, 7)) or 2.0
        w.case("floordiv", [F(a), F(b)], lambda: a // b, F)
        w.case("mod", [F(a), F(b)], lambda: a % b, F)
        w.case("divmod", [F(a), F(b)], lambda: divmod(a, b), f2)
        w.case("truediv", [F(a), F(b)], lambda: a / b, F)
    pows = [(a, b) for a in SPECIAL_FLOATS[:12] + [float("inf"), float("-inf"), float("nan"), -8.0, -2.0, 2.0, 10.0, -1.0]
            for b in [0.0, -0.0, 1.0, -1.0, 2.0, 3.0, -3.0, 0.5, -0.5, 1.5, 1025.0, -1075.0, float("inf"), float("-inf"), float("nan")]]
    for _ in range(500):
        pows.append((rand_nice_float(), R.choice([float(R.randint(-30, 30)), R.random() * 10 - 5, rand_nice_float()])))
    for a, b in pows:
        def p():
            # Python computes a complex result here (which may itself overflow);
            # weft's scalar layer reports that as its "complex result" signal.
            if math.isfinite(a) and a < 0 and math.isfinite(b) and b != math.floor(b):
                raise ValueError("negative number cannot be raised to a fractional power")
            return a ** b
        w.case("pow", [F(a), F(b)], p, F)
    rounds = []
    for _ in range(900):
        x = rand_float()
        if R.random() < 0.4:
            x = R.randint(-10 ** 6, 10 ** 6) / 10 ** R.randint(0, 5) + R.choice([0, 0.5, 0.05, 0.005, 0.0005])
        n = R.choice([R.randint(-5, 12), R.randint(-25, 25), R.choice([-400, -309, -308, -307, 300, 322, 323, 324, 400])])
        rounds.append((x, n))
    for x in SPECIAL_FLOATS:
        for n in (0, 1, 2, -1, -2, 15, 17):
            rounds.append((x, n))
    for x, n in rounds:
        w.case("round", [F(x), I(n)], lambda: round(x, n), F)
    for _ in range(300):
        x = rand_float()
        if R.random() < 0.5:
            x = R.randint(-1000, 1000) + R.choice([0.5, 0.25, 0.0, 0.75])
        w.case("round0", [F(x)], lambda: round(x), I)
    big_floats = [float(R.getrandbits(R.randint(1, 1000))) for _ in range(100)]
    for x in [rand_float() for _ in range(700)] + SPECIAL_FLOATS + big_floats:
        w.case("hash", [F(x)], lambda: "nan" if x != x else hash(x), str)
        w.case("ratio", [F(x)], lambda: x.as_integer_ratio(), lambda r: [I(r[0]), I(r[1])])
        w.case("isint", [F(x)], lambda: x.is_integer(), lambda r: str(int(r)))
    w.save()


# ----------------------------------------------------------------------------- parsing

INT_STRINGS = [
    "0", "-0", "+0", "00", "000", "0_0", "0_7", "07", "10", "-10", " 12 ", "\t-12\n", "1_000",
    "1__000", "_1", "1_", "0x1f", "0X1F", "0x_1f", "0x__1f", "0x", "0o17", "0b101", "0b2",
    "0b", "-0x1f", "- 1", "+-1", "1 2", "", " ", "x", "12a", "1e5", "1.0", "٣٤", "١٢٣",
    "\u3000 42 \u3000", "4\u00a02", "\u0664\u0662", "²", "9" * 30, "-" + "9" * 40,
    "0x" + "f" * 40, "zz", "ZZ", "Zz_z", "1" * 4300, "1" * 4301, "1_" * 4300 + "1",
    "1" * 4400 + "x", "0" * 4301, "0b" + "1" * 5000, "x" * 250, "\x00", "1\x00",
    "𝟙𝟚", "0_x1", "0x1_", "1\u2028",
]


def rand_token_string():
    toks = ["0", "1", "7", "9", "a", "f", "z", "_", "__", " ", "-", "+", "0x", "0o", "0b", ".", "e", "E",
            "inf", "nan", "\t", "٣", "\u2007", "5", "8", "x"]
    return "".join(R.choice(toks) for _ in range(R.randint(0, 6)))


def gen_parse():
    R.seed("gen_parse")
    w = Writer("scalar_parse.txt")
    bases = [0, 2, 8, 10, 16, 36]
    strings = list(INT_STRINGS)
    for _ in range(900):
        strings.append(rand_token_string())
    for s in strings:
        for base in bases if len(s) < 100 else [0, 10, 16]:
            w.case("int", [I(base), esc(s)], lambda: int(s, base), I)
    for base in (1, 37, -1):
        w.case("int", [I(base), esc("1")], lambda: int("1", base), I)
    for _ in range(200):
        v = rand_int(1000)
        base = R.choice([2, 3, 7, 10, 16, 36])
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"
        n, out = abs(v), []
        while n:
            n, d = divmod(n, base)
            out.append(digits[d])
        s = ("-" if v < 0 else "") + ("".join(reversed(out)) or "0")
        w.case("int", [I(base), esc(s)], lambda: int(s, base), I)
    float_strings = [
        "0", "-0", "1.5", " 1.5 ", "1_000.5", "1__0", "_1", "1_", "1_.5", "1._5", "1e1_0", "1e_10",
        "inf", "-inf", "+inf", "INF", "Infinity", "-iNfInItY", "infinit", "nan", "-nan", "+NaN", "nan1",
        "1e", "1e+", "e5", ".5", "5.", ".", "-.5e-3", "1E400", "-1e400", "1e-400", "0x10", "1,5", "",
        " ", "١.٥", "\u3000 2.5", "1.5\u2028", "2.5e", "--1", "1.2.3", "0.1000000000000000055511151231257827021181583404541015625",
        "9007199254740993", "9007199254740993.0000000000000000001", "1.00000000000000011102230246251565404236316680908203125",
        "2.2250738585072011e-308", "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
        "1.7976931348623158e308", "1.7976931348623159e308", "x" * 300, "in f", "1 000", "+", "-",
    ]
    for _ in range(500):
        float_strings.append(rand_token_string())
    for _ in range(800):
        x = rand_float()
        float_strings.append(R.choice([repr(x), "%.17g" % x, "%.25e" % x, "%.3f" % x if abs(x) < 1e30 else repr(x)]))
    for _ in range(300):
        digits = "".join(R.choice("0123456789") for _ in range(R.randint(1, 40)))
        p = R.randint(0, len(digits))
        float_strings.append(digits[:p] + "." + digits[p:] + R.choice(["", "e%d" % R.randint(-330, 330)]))
    for s in float_strings:
        w.case("float", [esc(s)], lambda: float(s), F)
    w.save()


# ----------------------------------------------------------------------------- formatting

INT_SPECS = [
    "", "d", ">10,d", "<10", "^10", "=+10", "010", "08,", "09,", "010,", "0=10,", "+", " ", "-", "_",
    ",", "x", "X", "#x", "#X", "#010x", "#_b", "_x", "_o", "#o", "b", "#b", "c", ">3c", "+c", "#c",
    "n", ",n", "e", ".2e", "f", ".3%", "g", "G", ",.2f", "z", ".2", ",x", ",_", "_,", "q", "s",
    "*^12,", "0<8", "x<+05", "^05", "#08_x", "  5", "\u00e9>6", "99999999999999999999", "10.", ".",
    ",c", "_c", "z.2f", "%", "E", "F",
]

FLOAT_SPECS = [
    "", "e", "E", "f", "F", "g", "G", "%", "n", ".0", ".1", ".3", ".17", "#", "#.0", "#.0e", "#.0f",
    "#g", "#.3g", ".0%", ",", "_", "012,.2f", "030,.2e", "+08,", "z", "z.1f", "+z.1f", "ze", "z.3g",
    "010", "+010", "=+15,", "*=15,", "0<10", "*=10", "^12.4e", ">20.10g", ".20e", ".50f", "q", "c",
    "d", "x", ".", "10.3", "-", " .2f", "+.1%", "_e", ",g", "#.3", ".2n", "=12", "<12", "015_",
    ",.0f", ".12g", ".16g", ".1e", "#%",
]

STR_SPECS = [
    "", "s", "10", "<10", ">10", "^10", "^9", "*^9", "05", "<05", "0=5", ".2", "10.2", ".0", "+",
    " ", "-", "#", "=", ",", "z", "s,", "d", "x<7", "\u00e9^7", "^4", ".100",
]


def rand_spec(types):
    parts = []
    if R.random() < 0.3:
        parts.append(R.choice(["", "*", "0", "x", " ", "\u00e9"]) + R.choice("<>^="))
    if R.random() < 0.3:
        parts.append(R.choice("+- "))
    if R.random() < 0.1:
        parts.append("z")
    if R.random() < 0.2:
        parts.append("#")
    if R.random() < 0.2:
        parts.append("0")
    if R.random() < 0.5:
        parts.append(str(R.randint(0, 25)))
    if R.random() < 0.25:
        parts.append(R.choice(",_"))
    if R.random() < 0.4:
        parts.append("." + str(R.randint(0, 20)))
    if R.random() < 0.8:
        parts.append(R.choice(types))
    return "".join(parts)


SAMPLE_STRS = ["", "x", "abc", "héllo", "a\u0300b", "\U0001f600", "tab\tx", "ΣΑΣ", "12345678901"]


def gen_format():
    R.seed("gen_format")
    w = Writer("scalar_format.txt")
    ints = [0, 1, -1, 5, -5, 65, 255, -255, 1234, 1234567, -1234567, 10 ** 20, -(10 ** 20), 2 ** 70, 0x110000, -0x1f, 2 ** 1030]
    for v in ints:
        for s in INT_SPECS:
            w.case("fmtint", [I(v), esc(s)], lambda: format(v, s), esc)
    for _ in range(900):
        v = rand_int(200) if R.random() < 0.7 else R.choice(ints)
        s = rand_spec("bcdoxXn" * 3 + "eEfFgG%" + "s")
        w.case("fmtint", [I(v), esc(s)], lambda: format(v, s), esc)
    w.case("fmtint", [I(10 ** 4400), esc(",")], lambda: format(10 ** 4400, ","), esc)
    w.case("fmtint", [I(10 ** 4400), esc("")], lambda: format(10 ** 4400, ""), esc)
    floats = [0.0, -0.0, 1.0, -1.5, 0.5, 123.0, 12.0, 12.5, 99.99, 1234.5, 1234567.0, 1e16, 1e15, 1e-5, 1e-4,
              1e22, 0.1, 2 / 3, -1e-10, 1e-10, 123456.789, 1.5, 2.5, 1e300, 5e-324, float("inf"), float("-inf"),
              float("nan"), -float("nan"), 1e20, 0.0001234]
    for v in floats:
        for s in FLOAT_SPECS:
            w.case("fmtfloat", [F(v), esc(s)], lambda: format(v, s), esc)
    for _ in range(1500):
        v = rand_float() if R.random() < 0.6 else R.choice(floats)
        s = rand_spec("eEfFgGn%" * 3 + "d")
        w.case("fmtfloat", [F(v), esc(s)], lambda: format(v, s), esc)
    for v in SAMPLE_STRS:
        for s in STR_SPECS:
            w.case("fmtstr", [esc(v), esc(s)], lambda: format(v, s), esc)
    for _ in range(300):
        v = R.choice(SAMPLE_STRS)
        s = rand_spec("s" * 6 + "d")
        w.case("fmtstr", [esc(v), esc(s)], lambda: format(v, s), esc)
    w.save()


# ----------------------------------------------------------------------------- % formatting

def arg_enc(a):
    if a is None:
        return "n:"
    if isinstance(a, bool):
        return "b:%d" % a
    if isinstance(a, int):
        return "i:%d" % a
    if isinstance(a, float):
        return "f:" + fbits(a)
    return "s:" + esc(a)


PERCENT_CASES = [
    ("%05f", (float("inf"),)), ("%-05d", (3,)), ("%5%", ()), ("%5%", (1,)), ("%.*f", (-3, 1.5)), ("%*d", (-4, 1)),
    ("%#o", (8,)), ("%#X", (255,)), ("%.3d", (-5,)), ("%+.3x", (255,)), ("%c", ("ab",)), ("%c", (1.0,)),
    ("%d", ("a",)), ("%x", (1.0,)), ("%f", ("a",)), ("%(a)s", (1,)), ("%y", (1,)), ("%", ()), ("%s %s", (1,)),
    ("%s", (1, 2)), ("%ld", (5,)), ("%.2s", ("abc",)), ("%r", ("a",)), ("%a", ("é",)), ("%5c", (65,)),
    ("%#.3g", (1.0,)), ("%#x", (0,)), ("%e", (1e301,)), ("%010.3f", (float("nan"),)), ("% d", (5,)),
    ("%-+5d|", (5,)), ("%i", (3.9,)), ("%u", (-3,)), ("%.0e", (12345,)), ("%#.0f", (1.5,)), ("%g", (1e-5,)),
    ("%g", (123456789,)), ("%*.*f", (10, 2, 3.14159)), ("%.*d", (-2, 5)), ("%*s", (2.0, "a")), ("%.3c", (65,)),
    ("%c", (0x110000,)), ("%c", (-1,)), ("%c", (2 ** 70,)), ("%5", (1,)), ("%.", (1,)), ("%d", (True,)),
    ("%s", (True,)), ("%x", (-255,)), ("%#5x", (-255,)), ("%05x", (-255,)), ("%#05x", (255,)), ("%+5s", ("a",)),
    ("%05s", ("a",)), ("%.2r", ("abc",)), ("%#s", ("a",)), ("% .2f", (1.0,)), ("%+ d", (1,)), ("%0-5d|", (1,)),
    ("%.100f", (1.0,)), ("%o", (-8,)), ("%#o", (-8,)), ("%.0g", (1234.5,)), ("%G", (1e-10,)), ("%F", (float("inf"),)),
    ("%.1f", (0.25,)), ("%.20e", (0.1,)), ("%10.4s|", ("abcdef",)), ("%05.3d", (5,)), ("%u", ("a",)), ("%i", ("a",)),
    ("%X", ("a",)), ("%o", (1.5,)), ("%é", (1,)), ("%\x01", (1,)), ("%.3s", (5,)), ("%5.1s|", ("abc",)),
    ("%-05.1f|", (2.25,)), ("%+05.1f", (2.25,)), ("%+05.1f", (float("nan"),)), ("%hd", (5,)), ("%lld", (5,)),
    ("%*.*s", (-5, 2, "abc")), ("%d", (float("nan"),)), ("%d", (float("inf"),)), ("%d", (1e20,)),
    ("%s and %r", ("x", "y")), ("100%% %s", ("sure",)), ("%s", (None,)), ("%r", (None,)), ("%d", (None,)),
    ("%f", (None,)), ("%s", (1.0,)), ("%r", (1e16,)), ("%s", (-0.0,)), ("%d", (-0.0,)), ("%f", (2 ** 1030,)),
    ("%x", (2 ** 70,)), ("%d", (-(2 ** 70),)), ("%s|%-6s|%6s", ("a", "b", "c")), ("%.3s", ("ΣΑΣΑ",)),
    ("%5s|", ("é",)), ("%c", ("é",)), ("%a", ("a\U0001f600",)), ("%-3c|", (0x1F600,)), ("%.0f", (0.5,)),
    ("%.0f", (2.5,)), ("%#.0e", (1.0,)), ("%#g", (0.0,)), ("%g", (0.0,)), ("%e", (0.0,)), ("%+g", (-0.0,)),
    ("%E", (float("-inf"),)), ("%08.2f", (-1.5,)), ("%-8.2f|", (-1.5,)), ("%+08d", (42,)), ("% 08d", (42,)),
    ("%*d", (5, 42)), ("%-*d|", (5, 42)), ("%*d", ("a", 1)), ("%.*f", (2.0, 1.0)), ("%s %(a)s", (1,)),
    ("%*", (1,)), ("%.1", (1,)), ("%%s", ()), ("%%", (1,)), ("abc", ()), ("abc", (1,)),
]


def gen_percent():
    R.seed("gen_percent")
    w = Writer("scalar_percent.txt")
    for fmt, args in PERCENT_CASES:
        w.case("percent", [esc(fmt), *[arg_enc(a) for a in args]], lambda: fmt % args, esc)
    # A single non-tuple argument.
    for fmt, arg in [("%s", 5), ("%d", 5), ("", 5), ("%s %s", 5), ("%.2f", 1), ("%r", "x"), ("%c", 97), ("x", "y")]:
        w.case("percent1", [esc(fmt), arg_enc(arg)], lambda: fmt % arg, esc)
    convs = "sdiouxXeEfFgGcr"
    for _ in range(1200):
        conv = R.choice(convs)
        flags = "".join(R.choice("-+ #0") for _ in range(R.randint(0, 2)))
        width = str(R.randint(0, 15)) if R.random() < 0.5 else ""
        prec = "." + str(R.randint(0, 12)) if R.random() < 0.4 else ""
        fmt = "%" + flags + width + prec + conv
        k = R.random()
        if conv == "c":
            arg = R.choice([R.randint(32, 0x2000), R.choice(SAMPLE_STRS[1:3] + ["é"])])
        elif k < 0.4:
            arg = rand_int(120)
        elif k < 0.85:
            arg = rand_float()
        else:
            arg = R.choice(SAMPLE_STRS + [None, True])
        fmt = R.choice(["", "<", "a "]) + fmt + R.choice(["", ">", " z"])
        w.case("percent", [esc(fmt), arg_enc(arg)], lambda: fmt % (arg,), esc)
    w.save()


# ----------------------------------------------------------------------------- str

STR_POOL = (
    "abcxyzABCXYZ019 _-.,'\"\\\t\n\r\x00\x07\x1b\x7f\x80\x85\xa0\xad\xe9\xdf\u0130\u0131"
    "\u01c4\u01c5\u01c6\u03a3\u03c3\u03c2\u0391\u0345\u0300\u0301\u0378\u0660\u0663\u06f5\u0966\u00b2\u00bd"
    "\u2160\u2028\u2029\u200b\u200d\u2007\u3000\u1680\ufb01\ufb00\u1e9e\u1f80\u1f88\u0149\u01f0\u03d0"
    "\ufeff\ue000\U0001f600\U0001d7d9\U000e0001\U0010ffff\u4e00\uac00\u0587\u1c80\u2c65\ua7ae\U00010400"
    "\u00b5\u1fbe\u0390\u1e96\u2126\u212a\u212b\u0041\u0342\u24b6\u24d0\u1d2c\u02b0\u3005\u0e3f"
)


def rand_str(maxlen=8):
    return "".join(R.choice(STR_POOL) for _ in range(R.randint(0, maxlen)))


def opt(v):
    return "~" if v is None else I(v)


def gen_str():
    R.seed("gen_str")
    w = Writer("scalar_str.txt")
    strings = ["", "a", "'", '"', "'\"", "it's", 'say "hi"', "\\", "ΣΑΣ ΑΣ", "aΣ", "ǅa", "ß", "İ", "a's", "hello world",
               "Hello World", "HELLO", "ﬁ", "ǆ", "1a", "_é1", "\u0345", "Σ\u0345", "A\u0345Σ", "AΣ\u0345", "AΣ'a",
               "A.Σ", "ǅ", "\u1f88\u1f80"]
    strings += ["".join(chr(c) for c in range(i, i + 64)) for i in range(0, 0x300, 64)]
    for _ in range(300):
        strings.append(rand_str())
    unary = [
        ("repr", repr), ("ascii", ascii), ("upper", str.upper), ("lower", str.lower), ("casefold", str.casefold),
        ("title", str.title), ("capitalize", str.capitalize), ("swapcase", str.swapcase),
    ]
    preds = [
        ("isalpha", str.isalpha), ("isalnum", str.isalnum), ("isdigit", str.isdigit), ("isdecimal", str.isdecimal),
        ("isnumeric", str.isnumeric), ("isspace", str.isspace), ("isupper", str.isupper), ("islower", str.islower),
        ("istitle", str.istitle), ("isidentifier", str.isidentifier), ("isprintable", str.isprintable),
    ]
    for s in strings:
        for name, fn in unary:
            w.case(name, [esc(s)], lambda: fn(s), esc)
        w.add("preds", esc(s), "".join(str(int(fn(s))) for _, fn in preds))
        w.add("len", esc(s), I(len(s)))
    # Single characters over the whole pool, for the classification tables.
    for ch in STR_POOL:
        w.add("preds", esc(ch), "".join(str(int(fn(ch))) for _, fn in preds))
    for _ in range(500):
        cp = R.choice([R.randint(0, 0x3000), R.randint(0, 0x2FFFF), R.randint(0xE0000, 0x10FFFF)])
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        w.add("preds", esc(ch), "".join(str(int(fn(ch))) for _, fn in preds))
        for name, fn in unary[2:]:
            w.case(name, [esc(ch)], lambda: fn(ch), esc)
    lst = lambda r: [I(len(r))] + [esc(x) for x in r]
    seps = [None, " ", ",", "ab", "", "\u03a3", "\n"]
    for _ in range(300):
        s = R.choice(["a,b,,c", "  a b  c  ", " ", "", "abab", "a\u3000b\u2028c\x1cd"]) if R.random() < 0.3 else rand_str(10)
        if R.random() < 0.5:
            s = s.replace(R.choice(STR_POOL), R.choice([" ", ",", "ab"]))
        sep = R.choice(seps)
        n = R.choice([-1, 0, 1, 2, 5])
        w.case("split", [esc(s), "~" if sep is None else esc(sep), I(n)], lambda: s.split(sep, n), lst)
        w.case("rsplit", [esc(s), "~" if sep is None else esc(sep), I(n)], lambda: s.rsplit(sep, n), lst)
        chars = R.choice([None, "a", " ", "ab\u03a3", ""])
        cenc = "~" if chars is None else esc(chars)
        w.case("strip", [esc(s), cenc], lambda: s.strip(chars), esc)
        w.case("lstrip", [esc(s), cenc], lambda: s.lstrip(chars), esc)
        w.case("rstrip", [esc(s), cenc], lambda: s.rstrip(chars), esc)
        sub = R.choice(["", "a", "ab", " ", s[1:3], "\u03a3", "zz"])
        st = R.choice([None, 0, 1, 2, -1, -3, 10, -20])
        en = R.choice([None, 0, 2, 5, -1, -2, 20, -20])
        for name in ("find", "rfind", "count", "index", "rindex", "startswith", "endswith"):
            fn = getattr(s, name)
            w.case(name, [esc(s), esc(sub), opt(st), opt(en)], lambda: fn(sub, st, en), lambda r: str(int(r)))
        new = R.choice(["", "-", "XYZ", "\u00e9"])
        cnt = R.choice([-1, 0, 1, 2])
        w.case("replace", [esc(s), esc(sub), esc(new), I(cnt)], lambda: s.replace(sub, new, cnt), esc)
        psep = R.choice(["", "a", " ", ",", "\u03a3"])
        w.case("partition", [esc(s), esc(psep)], lambda: s.partition(psep), lambda r: [esc(x) for x in r])
        w.case("rpartition", [esc(s), esc(psep)], lambda: s.rpartition(psep), lambda r: [esc(x) for x in r])
        width = R.randint(0, 14)
        fill = R.choice([" ", "*", "\u00e9"])
        w.case("center", [esc(s), I(width), esc(fill)], lambda: s.center(width, fill), esc)
        w.case("ljust", [esc(s), I(width), esc(fill)], lambda: s.ljust(width, fill), esc)
        w.case("rjust", [esc(s), I(width), esc(fill)], lambda: s.rjust(width, fill), esc)
        z = R.choice([s, "-" + s, "+" + s, "-", "+"])
        w.case("zfill", [esc(z), I(width)], lambda: z.zfill(width), esc)
        t = R.choice(["a\tb\tc", "ab\r\tc", "\t", "x\n\ty", s.replace(" ", "\t")])
        tab = R.choice([-1, 0, 1, 4, 8])
        w.case("expandtabs", [esc(t), I(tab)], lambda: t.expandtabs(tab), esc)
        l = R.choice(["a\nb\r\nc\rd\x0be\x0cf\x1cg\x1dh\x1ei\x85j\u2028k\u2029l", "a\n", "\n\n", "", "a\r", s])
        ke = R.choice([False, True])
        w.case("splitlines", [esc(l), I(int(ke))], lambda: l.splitlines(ke), lst)
    w.save()


# ----------------------------------------------------------------------------- bytes

def gen_bytes():
    R.seed("gen_bytes")
    w = Writer("scalar_bytes.txt")
    samples = [b"", b"a", b"'", b'"', b"'\"", b"it's", b"\\", bytes(range(256)), b"\xe2\x82", b"\xe2\x82x",
               b"\xed\xa0\x80", b"\xf0\x80", b"a\xff", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\xf0\x9f\x98",
               b"\x80abc", "héllo €😀".encode(), b"\xf0\x9f\x98\x80", b"\xe0\x80\x80", b"\xef\xbf\xbf", b"\xf4\x8f\xbf\xbf"]
    for _ in range(600):
        n = R.randint(0, 8)
        if R.random() < 0.5:
            b = bytes(R.randint(0, 255) for _ in range(n))
        else:
            b = rand_str(4).encode()
            if b and R.random() < 0.5:
                i = R.randrange(len(b))
                b = b[:i] + bytes([R.randint(0x80, 0xFF)]) + b[i + 1:]
            if b and R.random() < 0.3:
                b = b[:-1]
        samples.append(b)
    for b in samples:
        h = b.hex()
        w.case("repr", [h], lambda: repr(b), esc)
        for enc in ("utf-8", "ascii", "latin-1"):
            w.case("decode", [h, enc], lambda: b.decode(enc), esc)
        sep, n = R.choice([(None, 1), (":", 1), ("-", 2), ("-", -2), (" ", 3), ("é", 1)])
        w.case("hex", [h, "~" if sep is None else esc(sep), I(n)], lambda: b.hex() if sep is None else b.hex(sep, n), esc)
    for _ in range(400):
        s = rand_str(6)
        for enc in ("utf-8", "ascii", "latin-1"):
            w.case("encode", [esc(s), enc], lambda: s.encode(enc), lambda r: r.hex())
    for _ in range(250):
        b = R.choice(samples)[:6] + R.choice([b"", b" a b ", b",", b"ab", b"\x1c a\t"])
        h = b.hex()
        sub = R.choice([b"", b"a", b"ab", b" ", b","])
        st = R.choice([None, 0, 1, 2, -1, -3, 10, -20])
        en = R.choice([None, 0, 2, 5, -1, -2, 20, -20])
        for name in ("find", "rfind", "count", "startswith", "endswith"):
            fn = getattr(b, name)
            w.case("b" + name, [h, sub.hex(), opt(st), opt(en)], lambda: fn(sub, st, en), lambda r: str(int(r)))
        sep = R.choice([None, b",", b" ", b"ab", b""])
        n = R.choice([-1, 0, 1, 2])
        w.case("bsplit", [h, "~" if sep is None else sep.hex(), I(n)], lambda: b.split(sep, n),
               lambda r: [I(len(r))] + [x.hex() for x in r])
        chars = R.choice([None, b"a", b" ,", b""])
        w.case("bstrip", [h, "~" if chars is None else chars.hex()], lambda: b.strip(chars), lambda r: r.hex())
    for s in ["", "ab", " ab  cd\n", "ab cx", "abc", "a", "0g", "é0", "AB\tcd", "ab c"]:
        w.case("fromhex", [esc(s)], lambda: bytes.fromhex(s), lambda r: r.hex())
    w.save()


def main():
    gen_float_repr()
    gen_int_ops()
    gen_float_ops()
    gen_parse()
    gen_format()
    gen_percent()
    gen_str()
    gen_bytes()


main()
