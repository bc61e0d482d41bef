//! Methods of the builtin types, `str.format` and `%` formatting: Python snippets run
//! through `eval::run_code`; each test asserts on the `repr` of a global the snippet computed,
//! or on the exception it raised.

mod support;
use support::{raises, repr_r as r};

#[test]
fn str_methods() {
    assert_eq!(
        r(
            "r = ('a,b,,c'.split(','), ' x  y '.split(), 'a b c'.rsplit(None, 1), 'a,b,c'.split(',', 1))"
        ),
        "(['a', 'b', '', 'c'], ['x', 'y'], ['a b', 'c'], ['a', 'b,c'])"
    );
    assert_eq!(
        r(
            "r = ('-'.join(['a', 'b']), '  hi '.strip(), 'xxhixx'.strip('x'), 'ab  '.rstrip(), '..a'.lstrip('.'))"
        ),
        "('a-b', 'hi', 'hi', 'ab', 'a')"
    );
    assert_eq!(
        r(
            "r = ('hello'.replace('l', 'L', 1), 'hello'.find('l'), 'hello'.rfind('l'), 'hello'.count('l'), 'abcabc'.find('c', -2))"
        ),
        "('heLlo', 2, 3, 2, 5)"
    );
    assert_eq!(
        r(
            "r = ('hello'.startswith(('x', 'he')), 'hello'.endswith('lo', 0, 5), 'Hello World'.swapcase(), 'hello world'.title())"
        ),
        "(True, True, 'hELLO wORLD', 'Hello World')"
    );
    assert_eq!(
        r(
            "r = ('abc'.center(9, '*'), 'abc'.ljust(5) + '|', '-42'.zfill(6), 'a=b=c'.partition('='), 'a=b=c'.rpartition('='))"
        ),
        "('***abc***', 'abc  |', '-00042', ('a', '=', 'b=c'), ('a=b', '=', 'c'))"
    );
    assert_eq!(
        r(
            "r = ('a\\nb\\r\\nc'.splitlines(), 'a\\nb'.splitlines(True), 'a\\tb'.expandtabs(4), 'ß'.upper(), 'x1'.isidentifier())"
        ),
        "(['a', 'b', 'c'], ['a\\n', 'b'], 'a   b', 'SS', True)"
    );
    assert_eq!(
        r(
            "r = ('pre_x'.removeprefix('pre_'), 'x.py'.removesuffix('.py'), 'hello'.translate(str.maketrans('el', 'ip')), 'é'.encode(), '12'.isdigit())"
        ),
        "('x', 'x', 'hippo', b'\\xc3\\xa9', True)"
    );
    assert_eq!(raises("'ab'.index('z')"), "ValueError: substring not found");
    assert_eq!(
        raises("','.join([1])"),
        "TypeError: sequence item 0: expected str instance, int found"
    );
    assert_eq!(
        raises("'abc'.startswith(5)"),
        "TypeError: startswith first arg must be str or a tuple of str, not int"
    );
    assert_eq!(
        raises("'abc'.center(6, 'ab')"),
        "TypeError: The fill character must be exactly one character long"
    );
    assert_eq!(raises("'a'.split('')"), "ValueError: empty separator");
    assert_eq!(
        raises("str.upper(5)"),
        "TypeError: descriptor 'upper' for 'str' objects doesn't apply to a 'int' object"
    );
}

#[test]
fn str_format() {
    assert_eq!(r("r = '{0}{1}{0}'.format('a', 'b')"), "'aba'");
    assert_eq!(
        r("r = '{:{w}.{p}f}|{}'.format(3.14159, 'x', w=7, p=2)"),
        "'   3.14|x'"
    );
    assert_eq!(
        raises("'{}{1}'.format(3.14159, 'x')"),
        "ValueError: cannot switch from automatic field numbering to manual field specification"
    );
}

#[test]
fn str_format_fields() {
    assert_eq!(
        r("r = '{0[1]}{0[a]}{1.real}'.format({1: 'x', 'a': 'y'}, 5)"),
        "'xy5'"
    );
    assert_eq!(
        r("r = '{!r:>8}|{x!a}|{{}}|{:,}|{:%}'.format('hi', 1234567, 0.5, x='é')"),
        "\"    'hi'|'\\\\xe9'|{}|1,234,567|50.000000%\""
    );
    assert_eq!(
        r(
            "r = '{name}-{0}'.format_map({'name': 'n', 0: 'z'}) if False else '{name}'.format_map({'name': 'n'})"
        ),
        "'n'"
    );
    assert_eq!(
        raises("'{'.format(1)"),
        "ValueError: Single '{' encountered in format string"
    );
    assert_eq!(
        raises("'}'.format(1)"),
        "ValueError: Single '}' encountered in format string"
    );
    assert_eq!(
        raises("'{}{1}'.format(1, 2)"),
        "ValueError: cannot switch from automatic field numbering to manual field specification"
    );
    assert_eq!(
        raises("'{5}'.format(1)"),
        "IndexError: Replacement index 5 out of range for positional args tuple"
    );
    assert_eq!(raises("'{x}'.format(1)"), "KeyError: 'x'");
    assert_eq!(
        raises("'{!z}'.format(1)"),
        "ValueError: Unknown conversion specifier z"
    );
}

#[test]
fn percent_formatting() {
    assert_eq!(
        r("r = '%s=%d (%.2f) %r %5s|%-4d|%x' % ('a', 42, 3.14159, 'q', 'ab', 7, 255)"),
        "\"a=42 (3.14) 'q'    ab|7   |ff\""
    );
    assert_eq!(
        r(
            "r = ('%(a)s %(b)r' % {'a': 1, 'b': 'x'}, '%s' % [1, 2], 'abc' % [], '%c%c' % (65, 'b'))"
        ),
        "(\"1 'x'\", '[1, 2]', 'abc', 'Ab')"
    );
    assert_eq!(
        r(
            "class P:\n    def __str__(self): return 'S'\n    def __repr__(self): return 'R'\n    def __int__(self): return 3\nr = '%s %r %d' % (P(), P(), P())"
        ),
        "'S R 3'"
    );
    assert_eq!(
        raises("'%s %s' % (1,)"),
        "TypeError: not enough arguments for format string"
    );
    assert_eq!(
        raises("'%s' % (1, 2)"),
        "TypeError: not all arguments converted during string formatting"
    );
    assert_eq!(
        raises("'%d' % 'a'"),
        "TypeError: %d format: a real number is required, not str"
    );
    assert_eq!(raises("'%(x)s' % {}"), "KeyError: 'x'");
    assert_eq!(
        raises("class B:\n    def __str__(self): raise ValueError('boom')\n'%s' % B()"),
        "ValueError: boom"
    );
}

#[test]
fn list_and_tuple_methods() {
    assert_eq!(
        r(
            "l = [3, 1, 2]\nl.append(4); l.extend((5,)); l.insert(0, 0)\nr = (l.pop(), l.pop(0), l.index(2), l.count(1), l)"
        ),
        "(5, 0, 2, 1, [3, 1, 2, 4])"
    );
    assert_eq!(
        r(
            "l = ['bb', 'a', 'ccc']\nl.sort(key=len, reverse=True)\nm = l.copy(); m.reverse(); m.remove('a')\nr = (l, m)"
        ),
        "(['ccc', 'bb', 'a'], ['bb', 'ccc'])"
    );
    assert_eq!(
        r("l = [1]; l.clear(); r = (l, (1, 2, 1).count(1), (1, 2).index(2))"),
        "([], 2, 1)"
    );
    assert_eq!(
        raises("[1, 2].remove(3)"),
        "ValueError: list.remove(x): x not in list"
    );
    assert_eq!(raises("[].pop()"), "IndexError: pop from empty list");
    assert_eq!(raises("[1].index(5)"), "ValueError: 5 is not in list");
    assert_eq!(
        raises("(1,).index(5)"),
        "ValueError: tuple.index(x): x not in tuple"
    );
    assert_eq!(
        raises("[].sort(1)"),
        "TypeError: sort() takes no positional arguments"
    );
}

#[test]
fn dict_methods() {
    assert_eq!(
        r(
            "d = {'a': 1}\nr = (d.get('a'), d.get('b', 0), d.setdefault('c', 3), d.pop('a'), d.pop('z', 9), d)"
        ),
        "(1, 0, 3, 1, 9, {'c': 3})"
    );
    assert_eq!(
        r(
            "d = {'a': 1}\nd.update({'b': 2}, c=3); d.update([('e', 5)])\nr = (list(d.keys()), list(d.values()), list(d.items())[0], d.popitem(), dict.fromkeys('ab', 0))"
        ),
        "(['a', 'b', 'c', 'e'], [1, 2, 3, 5], ('a', 1), ('e', 5), {'a': 0, 'b': 0})"
    );
    assert_eq!(
        r("d = {1: 2}; e = d.copy(); d.clear(); r = (d, e)"),
        "({}, {1: 2})"
    );
    assert_eq!(raises("{}.pop('k')"), "KeyError: 'k'");
    assert_eq!(
        raises("{}.popitem()"),
        "KeyError: 'popitem(): dictionary is empty'"
    );
}

#[test]
fn set_methods() {
    assert_eq!(
        r(
            "s = {1, 2}; s.add(3); s.discard(1); s.discard(7)\nr = (sorted(s), sorted(s.union([4], (5,))), s.intersection({2, 3}, [3]), sorted({1, 2, 3}.difference([1], [2])))"
        ),
        "([2, 3], [2, 3, 4, 5], {3}, [3])"
    );
    assert_eq!(
        r(
            "s = {1, 2}\nr = ({1}.issubset([1, 2]), s.issuperset({1}), s.isdisjoint('ab'), sorted(s.symmetric_difference([2, 3])))"
        ),
        "(True, True, True, [1, 3])"
    );
    assert_eq!(
        r(
            "s = {1, 2, 3}; s.intersection_update([1, 2]); s.difference_update({1}); s.update('a')\nr = (sorted(s, key=str), frozenset([1]).union([2]))"
        ),
        "([2, 'a'], frozenset({1, 2}))"
    );
    assert_eq!(raises("set().pop()"), "KeyError: 'pop from an empty set'");
    assert_eq!(raises("set().remove(1)"), "KeyError: 1");
}

#[test]
fn number_and_bytes_methods() {
    assert_eq!(
        r(
            "r = ((255).bit_length(), (7).bit_count(), (5).to_bytes(2, 'big'), (-1).to_bytes(2, 'big', signed=True), int.from_bytes(b'\\xff\\xff', 'little', signed=True))"
        ),
        "(8, 3, b'\\x00\\x05', b'\\xff\\xff', -1)"
    );
    assert_eq!(
        raises("(300).to_bytes(1, 'big')"),
        "OverflowError: int too big to convert"
    );
    assert_eq!(
        r(
            "r = ((7.5).as_integer_ratio(), (3.0).is_integer(), (0.1).hex(), (10).numerator, (2.5).real)"
        ),
        "((15, 2), True, '0x1.999999999999ap-4', 10, 2.5)"
    );
    assert_eq!(
        r(
            "r = (b'a,b'.split(b','), b'-'.join([b'a', b'b']), b'  x '.strip(), b'abc'.find(b'c'), b'\\x01\\xff'.hex(), bytes.fromhex('0aff'))"
        ),
        "([b'a', b'b'], b'a-b', b'x', 2, '01ff', b'\\n\\xff')"
    );
    assert_eq!(
        r(
            "r = (b'\\xffa'.decode('utf-8', 'replace'), b'abc'.decode('ascii'), b'aXa'.replace(b'a', b'bb'))"
        ),
        "('\u{fffd}a', 'abc', b'bbXbb')"
    );
    assert_eq!(
        raises("b'\\xff'.decode()"),
        "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"
    );
    assert_eq!(
        raises("'x'.encode('bogus')"),
        "LookupError: unknown encoding: bogus"
    );
}

#[test]
fn dunder_methods() {
    assert_eq!(
        r(
            "r = ((1).__add__(2), (1).__add__(1.5), (1).__radd__(2), (1.5).__radd__(1), (3).__eq__('a'), [1].__len__(), (-7.5).__abs__())"
        ),
        "(3, NotImplemented, 3, 2.5, NotImplemented, 1, 7.5)"
    );
    assert_eq!(
        r(
            "class L(list):\n    def __getitem__(self, i):\n        return ('L', super().__getitem__(i))\nr = (L([1, 2])[0], L([1, 2, 3])[1:])"
        ),
        "(('L', 1), ('L', [2, 3]))"
    );
    assert_eq!(
        r(
            "class I(int):\n    def __add__(self, o):\n        return int.__add__(self, o) * 10\nr = I(2) + 3"
        ),
        "50"
    );
    assert_eq!(
        r(
            "class S(str):\n    def __getitem__(self, i):\n        return '[' + super().__getitem__(i) + ']'\ns = S('abc')\nr = (s[1], s[:2], hasattr('', '__iter__'), 'ab'.__mul__(2), '%s!'.__mod__(3), b'ab'.__add__(b'c'))"
        ),
        "('[b]', '[ab]', True, 'abab', '3!', b'abc')"
    );
    assert_eq!(
        raises("'ab'.__add__(1)"),
        "TypeError: can only concatenate str (not \"int\") to str"
    );
    assert_eq!(
        raises("[].append()"),
        "TypeError: list.append() takes exactly one argument (0 given)"
    );
    assert_eq!(
        raises("'a'.upper(1)"),
        "TypeError: str.upper() takes no arguments (1 given)"
    );
    assert_eq!(
        raises("[].insert(1)"),
        "TypeError: insert expected 2 arguments, got 1"
    );
}

#[test]
fn set_and_list_methods_take_any_iterable() {
    // str, generators and `__getitem__`-only sequences go through the containers' own
    // (slot-based) iteration, without being collected first.
    assert_eq!(
        r(
            "class Seq:\n    def __getitem__(self, i):\n        if i < 2: return i\n        raise IndexError\n\
           s = {9}\ns.update('a', (x for x in [3]), Seq())\n\
           l = [1]\nl.extend('xy')\nl.extend(l)\nl.extend(Seq())\n\
           r = (sorted(s, key=str), sorted(set('aab')), frozenset(Seq()), {'a'}.issuperset(iter('a')), l)"
        ),
        "([0, 1, 3, 9, 'a'], ['a', 'b'], frozenset({0, 1}), True, [1, 'x', 'y', 1, 'x', 'y', 0, 1])"
    );
    assert_eq!(
        raises("l = [3, 1, 2]\ndef k(x):\n    l.append(0)\n    return x\nl.sort(key=k)"),
        "ValueError: list modified during sort"
    );
}

#[test]
fn lower_layer_iterators_have_dunder_next() {
    assert_eq!(
        r(
            "r = [next(iter(o)) == iter(o).__next__() for o in ('ab', b'ab', [1], (1,), {1}, {1: 2}, {1: 2}.items())]"
        ),
        "[True, True, True, True, True, True, True]"
    );
    assert_eq!(r("it = iter('ab')\nr = it.__iter__() is it"), "True");
}
