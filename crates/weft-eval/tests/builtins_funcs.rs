//! The builtin functions and types (`builtins`): Python snippets run through
//! `eval::run_code`; each test asserts on the `repr` of a global the snippet computed, or on
//! the exception it raised.

mod support;
use support::{raises, repr_r as r};

#[test]
fn range_basics() {
    assert_eq!(r("r = list(range(5))"), "[0, 1, 2, 3, 4]");
    assert_eq!(r("r = list(range(10, 0, -3))"), "[10, 7, 4, 1]");
    assert_eq!(r("r = range(0, 20, 3)"), "range(0, 20, 3)");
    assert_eq!(
        r("r = (len(range(0, 20, 3)), range(0, 20, 3)[-1], range(10)[2:8:2])"),
        "(7, 18, range(2, 8, 2))"
    );
    assert_eq!(
        r("r = (9 in range(0, 20, 3), 10 in range(0, 20, 3), 3.0 in range(5))"),
        "(True, False, True)"
    );
    assert_eq!(r("r = list(reversed(range(1, 10, 4)))"), "[9, 5, 1]");
    assert_eq!(
        r(
            "r = (range(0) == range(5, 2), range(1, 2) == range(1, 3, 5), range(3).index(2), range(3).count(7))"
        ),
        "(True, True, 2, 0)"
    );
    assert_eq!(
        r("r = (range(1, 5, 2).start, range(1, 5, 2).stop, range(1, 5, 2).step)"),
        "(1, 5, 2)"
    );
    assert_eq!(
        r("r = sum(range(10**20, 10**20 + 3))"),
        "300000000000000000003"
    );
    assert_eq!(
        raises("range(1, 2, 0)"),
        "ValueError: range() arg 3 must not be zero"
    );
    assert_eq!(
        raises("range(3)[3]"),
        "IndexError: range object index out of range"
    );
    assert_eq!(
        raises("range(1.5)"),
        "TypeError: 'float' object cannot be interpreted as an integer"
    );
}

#[test]
fn iterator_builtins() {
    assert_eq!(r("r = list(enumerate('ab', 1))"), "[(1, 'a'), (2, 'b')]");
    assert_eq!(r("r = list(zip([1, 2, 3], 'ab'))"), "[(1, 'a'), (2, 'b')]");
    assert_eq!(
        raises("list(zip([1], [1, 2], strict=True))"),
        "ValueError: zip() argument 2 is longer than argument 1"
    );
    assert_eq!(
        raises("list(zip([1, 2], [1, 2], [3], strict=True))"),
        "ValueError: zip() argument 3 is shorter than arguments 1-2"
    );
    assert_eq!(
        r("r = list(map(lambda a, b: a * b, [1, 2], [3, 4, 5]))"),
        "[3, 8]"
    );
    assert_eq!(r("r = list(filter(None, [0, 1, '', 'a']))"), "[1, 'a']");
    assert_eq!(
        r("r = list(reversed('abc')), list(reversed({1: 2, 3: 4}))"),
        "(['c', 'b', 'a'], [3, 1])"
    );
    assert_eq!(
        r("it = iter([1]); r = (next(it), next(it, 'end'))"),
        "(1, 'end')"
    );
    assert_eq!(
        r("n = [0]\ndef f():\n    n[0] += 1\n    return n[0]\nr = list(iter(f, 4))"),
        "[1, 2, 3]"
    );
    assert_eq!(raises("next(iter([]))"), "StopIteration: ");
    assert_eq!(
        raises("next([])"),
        "TypeError: 'list' object is not an iterator"
    );
    assert_eq!(
        raises("iter(5, 1)"),
        "TypeError: iter(v, w): v must be callable"
    );
}

#[test]
fn sorting_min_max_sum() {
    assert_eq!(r("r = sorted([3, 1, 2], reverse=True)"), "[3, 2, 1]");
    assert_eq!(
        r("r = sorted(['bb', 'a', 'cc', 'd'], key=len)"),
        "['a', 'd', 'bb', 'cc']"
    );
    assert_eq!(
        r("r = sorted([(1, 'b'), (0, 'z'), (1, 'a')], key=lambda t: t[0], reverse=True)"),
        "[(1, 'b'), (1, 'a'), (0, 'z')]"
    );
    assert_eq!(
        r("r = (min(3, 1, 2), max([1, 5, 2]), min([], default=7), max('abc', key=ord))"),
        "(1, 5, 7, 'c')"
    );
    assert_eq!(
        raises("max([])"),
        "ValueError: max() arg is an empty sequence"
    );
    assert_eq!(
        raises("min(1, 2, default=0)"),
        "TypeError: Cannot specify a default for min() with multiple positional arguments"
    );
    assert_eq!(
        r("r = (sum([1, 2, 3]), sum([0.1] * 3), sum([[1], [2]], []), sum([], 5))"),
        "(6, 0.30000000000000004, [1, 2], 5)"
    );
    assert_eq!(
        raises("sum(['a'], '')"),
        "TypeError: sum() can't sum strings [use ''.join(seq) instead]"
    );
    assert_eq!(
        raises("sorted([1, 'a'])"),
        "TypeError: '<' not supported between instances of 'str' and 'int'"
    );
}

#[test]
fn numeric_builtins() {
    assert_eq!(
        r("r = (abs(-5), abs(-2.5), round(2.5), round(3.5), round(-0.5))"),
        "(5, 2.5, 2, 4, 0)"
    );
    assert_eq!(
        r("r = (round(2.675, 2), round(1234, -2), round(1250, -2), round(1350, -2), round(5, 3))"),
        "(2.67, 1200, 1200, 1400, 5)"
    );
    assert_eq!(
        r("r = (divmod(7, -2), divmod(7.5, 2), pow(2, 10), pow(3, 4, 5), pow(2, -1, 5))"),
        "((-4, -1), (3.0, 1.5), 1024, 1, 3)"
    );
    assert_eq!(
        r("r = (hex(255), bin(-5), oct(8), chr(0x263a), ord('é'))"),
        "('0xff', '-0b101', '0o10', '☺', 233)"
    );
    assert_eq!(
        raises("abs('x')"),
        "TypeError: bad operand type for abs(): 'str'"
    );
    assert_eq!(
        raises("round('x')"),
        "TypeError: type str doesn't define __round__ method"
    );
    assert_eq!(
        raises("divmod('x', 1)"),
        "TypeError: unsupported operand type(s) for divmod(): 'str' and 'int'"
    );
    assert_eq!(
        raises("pow(2.0, 3, 5)"),
        "TypeError: pow() 3rd argument not allowed unless all arguments are integers"
    );
    assert_eq!(
        raises("chr(0x110000)"),
        "ValueError: chr() arg not in range(0x110000)"
    );
    assert_eq!(
        raises("ord('ab')"),
        "TypeError: ord() expected a character, but string of length 2 found"
    );
    assert_eq!(
        raises("round(float('inf'))"),
        "OverflowError: cannot convert float infinity to integer"
    );
}

#[test]
fn constructors() {
    assert_eq!(
        r("r = (int('  -1_000 '), int('ff', 16), int('0x1f', 0), int(3.9), int(-3.9), int(True))"),
        "(-1000, 255, 31, 3, -3, 1)"
    );
    assert_eq!(
        raises("int('abc')"),
        "ValueError: invalid literal for int() with base 10: 'abc'"
    );
    assert_eq!(
        raises("int([])"),
        "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'list'"
    );
    assert_eq!(
        r(
            "class I:\n    def __index__(self): return 7\nr = (int(I()), hex(I()), [0, 1, 2, 3, 4, 5, 6, 7][I()])"
        ),
        "(7, '0x7', 7)"
    );
    assert_eq!(
        r("r = (float('1e3'), float(' -inf '), float(2), str(float('nan')))"),
        "(1000.0, -inf, 2.0, 'nan')"
    );
    assert_eq!(
        raises("float('x')"),
        "ValueError: could not convert string to float: 'x'"
    );
    assert_eq!(
        r(
            "r = (str(12), str(b'ab', 'ascii'), bool([]), bool(3), bytes(3), bytes([65, 66]), bytes('é', 'utf-8'))"
        ),
        "('12', 'ab', False, True, b'\\x00\\x00\\x00', b'AB', b'\\xc3\\xa9')"
    );
    assert_eq!(
        r(
            "r = (list('ab'), tuple([1]), dict(a=1), dict([(1, 2)], b=3), sorted(set('abca')), frozenset())"
        ),
        "(['a', 'b'], (1,), {'a': 1}, {1: 2, 'b': 3}, ['a', 'b', 'c'], frozenset())"
    );
    assert_eq!(
        raises("dict([(1, 2, 3)])"),
        "ValueError: dictionary update sequence element #0 has length 3; 2 is required"
    );
    assert_eq!(
        raises("bytes('x')"),
        "TypeError: string argument without an encoding"
    );
    assert_eq!(
        raises("bytes([300])"),
        "ValueError: bytes must be in range(0, 256)"
    );
}

#[test]
fn slices_and_singletons() {
    assert_eq!(
        r("r = (slice(1, 2), slice(3), slice(1, 10, 2).indices(5))"),
        "(slice(1, 2, None), slice(None, 3, None), (1, 5, 2))"
    );
    assert_eq!(
        r("r = (Ellipsis, ..., slice(1, 2).stop, slice(1, 2) == slice(1, 2))"),
        "(Ellipsis, Ellipsis, 2, True)"
    );
    assert_eq!(
        r("class I:\n    def __index__(self): return 2\nr = [0, 1, 2, 3][I():]"),
        "[2, 3]"
    );
    assert_eq!(
        raises("[1, 2]['a':]"),
        "TypeError: slice indices must be integers or None or have an __index__ method"
    );
}

#[test]
fn reflection_builtins() {
    assert_eq!(
        r(
            "r = (isinstance(1, int), isinstance(True, (str, int)), issubclass(bool, int), callable(len), callable(3))"
        ),
        "(True, True, True, True, False)"
    );
    assert_eq!(
        r(
            "class A: pass\na = A()\nsetattr(a, 'x', 1)\nr = (getattr(a, 'x'), getattr(a, 'y', 2), hasattr(a, 'x'), vars(a))"
        ),
        "(1, 2, True, {'x': 1})"
    );
    assert_eq!(
        raises("getattr(1, 5)"),
        "TypeError: attribute name must be string, not 'int'"
    );
    assert_eq!(
        r(
            "r = (repr('a\\'b'), ascii('é'), format(3.14159, '.2f'), format(5, 'x'), hash(1), hash('a') == hash('a'))"
        ),
        "('\"a\\'b\"', \"'\\\\xe9'\", '3.14', '5', 1, True)"
    );
    assert_eq!(
        r("x = 3\nr = (eval('x + 1'), eval('y * 2', {'y': 4}))"),
        "(4, 8)"
    );
    assert_eq!(r("exec('z = 5')\nr = z"), "5");
    assert_eq!(
        raises("eval('1 +')"),
        "SyntaxError: invalid syntax (<string>, line 1)"
    );
}
