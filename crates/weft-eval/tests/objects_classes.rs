//! Classes: `__build_class__`, MRO, instances, descriptors, `super`, `__slots__`,
//! heap-type slots dispatching to dunders.

mod support;
use support::{raises as error, str_r as result};

#[test]
fn instance_attributes_and_methods() {
    let r = result(
        "class P:\n    k = 10\n    def __init__(self, x):\n        self.x = x\n    def get(self):\n        return self.x + self.k\nr = P(5).get()\n",
    );
    assert_eq!(r, "15");
}

#[test]
fn default_repr_uses_module_and_qualname() {
    let r = result("class P: pass\nr = repr(P())[:20]\n");
    assert_eq!(r, "<__main__.P object a");
    assert_eq!(result("class P: pass\nr = P\n"), "<class '__main__.P'>");
}

#[test]
fn c3_mro_and_super_chain() {
    let src = "class A:\n    def f(self): return 'A'\nclass B(A):\n    def f(self): return 'B' + super().f()\nclass C(A):\n    def f(self): return 'C' + super().f()\nclass D(B, C):\n    def f(self): return 'D' + super().f()\nr = D().f() + ' ' + ','.join(k.__name__ for k in D.__mro__)\n";
    assert_eq!(result(src), "DBCA D,B,C,A,object");
}

#[test]
fn inconsistent_mro_is_a_type_error() {
    let e = error("class A: pass\nclass B(A): pass\nclass C(A, B): pass\n");
    assert!(
        e.starts_with("TypeError: Cannot create a consistent method resolution"),
        "{e}"
    );
}

#[test]
fn eq_without_hash_is_unhashable() {
    let e = error("class P:\n    def __eq__(self, o): return True\nhash(P())\n");
    assert_eq!(e, "TypeError: unhashable type: 'P'");
}

#[test]
fn takes_no_arguments() {
    assert_eq!(
        error("class P: pass\nP(1)\n"),
        "TypeError: P() takes no arguments"
    );
    assert_eq!(
        error("class P:\n    def __init__(self): return 1\nP()\n"),
        "TypeError: __init__() should return None, not 'int'"
    );
}

#[test]
fn property_get_set_and_missing_setter() {
    let src = "class P:\n    def __init__(self): self._v = 1\n    @property\n    def v(self): return self._v\n    @v.setter\n    def v(self, x): self._v = x * 2\np = P()\np.v = 4\nr = p.v\n";
    assert_eq!(result(src), "8");
    let e = error("class P:\n    @property\n    def v(self): return 1\nP().v = 2\n");
    assert_eq!(
        e,
        "AttributeError: property 'v' of 'P' object has no setter"
    );
}

#[test]
fn static_and_class_methods() {
    let src = "class P:\n    @staticmethod\n    def s(x): return x * 2\n    @classmethod\n    def c(cls): return cls.__name__\nclass Q(P): pass\nr = (P.s(2), P().s(3), Q.c(), Q().c())\n";
    assert_eq!(result(src), "(4, 6, 'Q', 'Q')");
}

#[test]
fn slots_refuse_undeclared_attributes() {
    let src =
        "class P:\n    __slots__ = ('a',)\np = P()\np.a = 1\nr = (p.a, hasattr(p, '__dict__'))\n";
    assert_eq!(result(src), "(1, False)");
    assert_eq!(
        error("class P:\n    __slots__ = ('a',)\nP().z = 1\n"),
        "AttributeError: 'P' object has no attribute 'z'"
    );
}

#[test]
fn getattr_fallback_and_setattr_hook() {
    let src = "class P:\n    def __getattr__(self, n): return n.upper()\n    def __setattr__(self, n, v): object.__setattr__(self, n, v * 10)\np = P()\np.x = 2\nr = (p.x, p.hello)\n";
    assert_eq!(result(src), "(20, 'HELLO')");
}

#[test]
fn user_new_and_builtin_subclass() {
    let src = "class U(str):\n    def __new__(cls, s):\n        return super().__new__(cls, s.upper())\n    def bang(self): return self + '!'\nu = U('hi')\nr = (u, u.bang(), len(u), isinstance(u, str), type(u).__name__)\n";
    assert_eq!(result(src), "('HI', 'HI!', 2, True, 'U')");
    let src = "class I(int): pass\nr = (I(5) + 1, repr(I(3)), type(I(2)).__name__)\n";
    assert_eq!(result(src), "(6, '3', 'I')");
}

#[test]
fn three_argument_type() {
    let src = "T = type('T', (), {'x': 3, 'f': lambda self: self.x + 1})\nr = (T().f(), T.__name__, T.__bases__)\n";
    assert_eq!(result(src), "(4, 'T', (<class 'object'>,))");
}

#[test]
fn iteration_and_container_dunders() {
    let src = "class Seq:\n    def __getitem__(self, i):\n        if i >= 3: raise IndexError\n        return i * 2\nclass It:\n    def __init__(self): self.n = 0\n    def __iter__(self): return self\n    def __next__(self):\n        self.n += 1\n        if self.n > 2: raise StopIteration\n        return self.n\nr = (list(Seq()), 4 in Seq(), list(It()))\n";
    assert_eq!(result(src), "([0, 2, 4], True, [1, 2])");
}

#[test]
fn callable_only_with_call() {
    let src = "class A:\n    def __call__(self, x): return x + 1\nclass B: pass\nr = (A()(1), callable(A()), callable(B()), callable(B))\n";
    assert_eq!(result(src), "(2, True, False, True)");
}

#[test]
fn dict_and_frozenset_subclasses() {
    let src = "class D(dict):\n    def __missing__(self, k): return k * 2\nd = D(a=1)\nr = (d['a'], d['b'], type(d).__name__, isinstance(d, dict))\n";
    assert_eq!(result(src), "(1, 'bb', 'D', True)");
    let src = "class F(frozenset): pass\nf = F([2, 1])\nr = (sorted(f), type(f).__name__, f == frozenset([1, 2]))\n";
    assert_eq!(result(src), "([1, 2], 'F', True)");
}
