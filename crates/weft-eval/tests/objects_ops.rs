//! Operators, subscripts, iteration, isinstance and format through `weft_eval::ops`.

mod support;
use support::{raises as error, str_r as result};

#[test]
fn user_dunders_with_reflection_and_inplace() {
    let src = "class N:\n    def __init__(self, v): self.v = v\n    def __add__(self, o): return N(self.v + (o.v if isinstance(o, N) else o))\n    def __radd__(self, o): return N(o + self.v)\n    def __iadd__(self, o):\n        self.v += 100\n        return self\nn = N(1)\nm = n\nm += 1\nr = ((n + 2).v, (3 + n).v, sum([N(1), N(2)]).v, m is n, n.v)\n";
    assert_eq!(result(src), "(103, 104, 3, True, 101)");
}

#[test]
fn unsupported_operand_messages() {
    assert_eq!(
        error("1 + 'a'\n"),
        "TypeError: unsupported operand type(s) for +: 'int' and 'str'"
    );
    assert_eq!(
        error("x = 1\nx += 'a'\n"),
        "TypeError: unsupported operand type(s) for +=: 'int' and 'str'"
    );
    assert_eq!(
        error("2 ** 'a'\n"),
        "TypeError: unsupported operand type(s) for ** or pow(): 'int' and 'str'"
    );
    assert_eq!(
        error("'a' + 1\n"),
        "TypeError: can only concatenate str (not \"int\") to str"
    );
    assert_eq!(
        error("'a' * 1.5\n"),
        "TypeError: can't multiply sequence by non-int of type 'float'"
    );
}

#[test]
fn sequences() {
    let src = "l = [1]\nk = l\nl += [2]\nl *= 2\nr = ('ab' * 2, 2 * 'ab', b'a' + b'b', k, (1, 2) + (3,), '%s=%d' % ('x', 1))\n";
    assert_eq!(
        result(src),
        "('abab', 'abab', b'ab', [1, 2, 1, 2], (1, 2, 3), 'x=1')"
    );
}

#[test]
fn subscripts() {
    let src = "r = ('héllo'[1], 'hello'[-1], 'hello'[::-1], [1, 2, 3][1:], (1, 2, 3)[::2], b'abc'[0], b'abc'[1:])\n";
    assert_eq!(
        result(src),
        "('é', 'o', 'olleh', [2, 3], (1, 3), 97, b'bc')"
    );
    assert_eq!(
        error("(1, 2)[0] = 3\n"),
        "TypeError: 'tuple' object does not support item assignment"
    );
    assert_eq!(
        error("1[0]\n"),
        "TypeError: 'int' object is not subscriptable"
    );
    assert_eq!(
        error("[1]['a']\n"),
        "TypeError: list indices must be integers or slices, not str"
    );
    assert_eq!(error("'abc'[5]\n"), "IndexError: string index out of range");
}

#[test]
fn iteration_errors() {
    assert_eq!(
        error("iter(5)\n"),
        "TypeError: 'int' object is not iterable"
    );
    assert_eq!(
        error("len(5)\n"),
        "TypeError: object of type 'int' has no len()"
    );
    assert_eq!(result("r = list('hé') + list(b'a')\n"), "['h', 'é', 97]");
}

#[test]
fn isinstance_with_tuples_and_mro() {
    let src = "class A: pass\nclass B: pass\nclass C(A, B): pass\nr = (isinstance(C(), B), isinstance(1, (str, (int,))), issubclass(C, (B,)), issubclass(bool, int))\n";
    assert_eq!(result(src), "(True, True, True, True)");
    assert_eq!(
        error("issubclass(1, int)\n"),
        "TypeError: issubclass() arg 1 must be a class"
    );
}

#[test]
fn format_builtin_and_user() {
    let src = "class P:\n    def __format__(self, spec): return 'P' + spec\nclass Q: pass\nr = (format(3.14159, '.2f'), format(42, '05d'), format('x', '>3'), format(P(), 'abc'), format(True), format(Q())[:3])\n";
    assert_eq!(
        result(src),
        "('3.14', '00042', '  x', 'Pabc', 'True', '<__')"
    );
    assert_eq!(
        error("class Q: pass\nformat(Q(), 'x')\n"),
        "TypeError: unsupported format string passed to Q.__format__"
    );
}

#[test]
fn bool_bitwise_keeps_bool() {
    let src = "t, f, one = True, False, 1\nr = (t & f, t | f, t ^ t, one & t)\n";
    assert_eq!(result(src), "(False, True, False, 1)");
}

#[test]
fn rich_comparison_dunders() {
    let src = "class V:\n    def __init__(self, v): self.v = v\n    def __lt__(self, o): return self.v < o.v\n    def __eq__(self, o): return self.v == o.v\nr = ([x.v for x in sorted([V(3), V(1), V(2)])], V(1) == V(1), V(1) != V(2), V(2) > V(1))\n";
    assert_eq!(result(src), "([1, 2, 3], True, True, True)");
    assert_eq!(
        error("class V: pass\nV() < V()\n"),
        "TypeError: '<' not supported between instances of 'V' and 'V'"
    );
}
