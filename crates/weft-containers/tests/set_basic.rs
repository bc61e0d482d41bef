//! set / frozenset behaviour against CPython 3.11: iteration order (the expected lists were
//! produced by `python3` on the same operations), algebra, errors, repr, frozenset hashes.

use weft_containers::dict::{self, Dict};
use weft_containers::set::{self, Set};
use weft_object::{CompareOp, ExcKind, ObjRef, Object, int_from_i64, str_obj};

fn i(v: i64) -> ObjRef {
    int_from_i64(v)
}

fn big(v: i128) -> ObjRef {
    let n = weft_object::scalar::int::Int::from(v);
    weft_object::int_obj(n)
}

fn st(o: &ObjRef) -> Set<'_> {
    Set::of(o).expect("a set")
}

fn from(xs: impl IntoIterator<Item = i64>) -> ObjRef {
    let o = set::new_set();
    for x in xs {
        st(&o).add(&i(x)).unwrap();
    }
    o
}

fn list(o: &ObjRef) -> Vec<i64> {
    st(o)
        .to_vec()
        .iter()
        .map(|k| k.repr().unwrap().parse().unwrap())
        .collect()
}

fn repr(o: &Object) -> String {
    o.repr().unwrap()
}

/// CPython's `sum(i * x for i, x in enumerate(s))`: an order-sensitive checksum.
fn checksum(o: &ObjRef) -> (usize, i64) {
    let l = list(o);
    (
        l.len(),
        l.iter().enumerate().map(|(i, x)| i as i64 * x).sum(),
    )
}

#[test]
fn iteration_order_matches_cpython() {
    assert_eq!(list(&from([3, 1, 2])), [1, 2, 3]);
    assert_eq!(
        list(&from([100, 5, 37, 8, 16, 1000, -1, 24])),
        [100, 37, 5, 8, 1000, 16, 24, -1]
    );
    // Dummy reuse: the last dummy on the probe path takes the new key.
    let s = from([1, 9, 17, 25]);
    st(&s).remove(&i(1)).unwrap();
    st(&s).remove(&i(17)).unwrap();
    st(&s).add(&i(33)).unwrap();
    assert_eq!(list(&s), [25, 9, 33]);
    let s = from(0..20);
    for k in (0..20).step_by(2) {
        st(&s).discard(&i(k)).unwrap();
    }
    for k in 100..106 {
        st(&s).add(&i(k)).unwrap();
    }
    assert_eq!(
        list(&s),
        [
            1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 100, 101, 102, 103, 104, 105
        ]
    );
}

#[test]
fn hash_collisions_and_big_ints() {
    let s = set::new_set();
    for v in [1i128 << 61, 1, -1, -2, 1 << 62, 7] {
        st(&s).add(&big(v)).unwrap();
    }
    assert_eq!(
        st(&s).to_vec().iter().map(|k| repr(k)).collect::<Vec<_>>(),
        [
            "2305843009213693952",
            "4611686018427387904",
            "1",
            "7",
            "-1",
            "-2"
        ]
    );
}

#[test]
fn pop_uses_the_finger() {
    let s = from(0..50);
    let mut out: Vec<i64> = (0..10)
        .map(|_| repr(&st(&s).pop().unwrap()).parse().unwrap())
        .collect();
    st(&s).add(&i(3)).unwrap();
    st(&s).add(&i(1000)).unwrap();
    out.push(repr(&st(&s).pop().unwrap()).parse().unwrap());
    assert_eq!(out, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert_eq!(list(&s)[..5], [3, 11, 12, 13, 14]);
    let e = st(&set::new_set()).pop().unwrap_err();
    assert_eq!(e.to_string(), "KeyError: 'pop from an empty set'");
}

#[test]
fn algebra_matches_cpython() {
    let a = from((0..2000).step_by(7));
    let b = from((0..2000).step_by(11));
    assert_eq!(checksum(&st(&a).union(&b).unwrap()), (442, 112487824));
    assert_eq!(
        list(&st(&a).intersection(&b).unwrap()),
        [
            0, 385, 770, 1155, 1540, 1925, 154, 539, 924, 1309, 1694, 308, 693, 1078, 1463, 1848,
            77, 462, 847, 1232, 1617, 231, 616, 1001, 1386, 1771
        ]
    );
    assert_eq!(checksum(&st(&a).difference(&b).unwrap()), (260, 35923545));
    assert_eq!(
        checksum(&st(&a).symmetric_difference(&b).unwrap()),
        (416, 115272690)
    );
    assert_eq!(
        list(
            &st(&from([5, 3, 8, 1, 100, 37]))
                .intersection(&from([37, 8, 200]))
                .unwrap()
        ),
        [8, 37]
    );
    assert_eq!(
        list(&st(&from(1..=10)).difference(&from([3, 4])).unwrap()),
        [1, 2, 5, 6, 7, 8, 9, 10]
    );
    assert_eq!(
        list(
            &st(&from([1, 2, 3]))
                .symmetric_difference(&from([3, 4, 5]))
                .unwrap()
        ),
        [1, 2, 4, 5]
    );
    assert_eq!(list(&st(&from([7, 15, 23])).copy().unwrap()), [15, 23, 7]);
    // In place.
    let s = from(0..40);
    st(&s).difference_update(&from((0..40).step_by(2))).unwrap();
    assert_eq!(list(&s), (0..40).filter(|x| x % 2 == 1).collect::<Vec<_>>());
    st(&s).add(&i(64)).unwrap();
    st(&s).add(&i(2)).unwrap();
    assert_eq!(
        list(&s),
        [
            1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 2, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39, 64
        ]
    );
    let s = from(0..40);
    st(&s).intersection_update(&from([5, 3, 100])).unwrap();
    assert_eq!(list(&s), [3, 5]);
    // (Built with explicit adds: CPython's compiler builds the constant frozenset of a
    // literal `{2, 10, 18}` in another order.)
    let s = from([1, 2, 3]);
    let o = from([2, 10, 18]);
    assert_eq!(list(&o), [18, 2, 10]);
    st(&s).symmetric_difference_update(&o).unwrap();
    assert_eq!(list(&s), [18, 1, 10, 3]);
    // From a dict: its keys, in the dict's order.
    let d = dict::new();
    for (k, v) in [(10, 1), (2, 2), (18, 3)] {
        Dict::of(&d).unwrap().set_item(i(k), i(v)).unwrap();
    }
    assert_eq!(list(&set::set_from_iter(&d).unwrap()), [18, 10, 2]);
    // Frozenset results keep the left operand's type.
    let f = set::frozenset_from_iter(&from((1..=10).rev())).unwrap();
    let u = st(&f).union(&from([55])).unwrap();
    assert_eq!(repr(&u), "frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 55})");
    let u = st(&from([1, 2])).union(&set::frozenset_from_iter(&from([3])).unwrap());
    assert_eq!(repr(&u.unwrap()), "{1, 2, 3}");
}

#[test]
fn subset_superset_disjoint_and_compare() {
    let a = from([1, 2]);
    let b = from([1, 2, 3]);
    let sa = st(&a);
    assert!(sa.issubset(&b).unwrap());
    assert!(!sa.issuperset(&b).unwrap());
    assert!(st(&b).issuperset(&a).unwrap());
    assert!(!sa.isdisjoint(&b).unwrap());
    assert!(sa.isdisjoint(&from([7, 8])).unwrap());
    assert!(sa.compare(st(&b), CompareOp::Lt).unwrap());
    assert!(sa.compare(st(&b), CompareOp::Le).unwrap());
    assert!(!sa.compare(st(&b), CompareOp::Gt).unwrap());
    assert!(!sa.compare(st(&a), CompareOp::Lt).unwrap());
    assert!(sa.eq(st(&from([2, 1]))).unwrap());
    let f = set::frozenset_from_iter(&a).unwrap();
    assert!(sa.eq(st(&f)).unwrap());
    assert_eq!(repr(&a.compare(&f, CompareOp::Eq).unwrap()), "True");
    assert_eq!(repr(&a.compare(&b, CompareOp::Ne).unwrap()), "True");
    // Iterables that are not sets.
    assert!(sa.issubset(&dict::new()).is_ok());
}

#[test]
fn frozenset_hash_matches_cpython() {
    let h = |xs: Vec<i64>| {
        let f = set::frozenset_from_iter(&from(xs)).unwrap();
        f.hash().unwrap()
    };
    assert_eq!(h(vec![1, 2]), -1826646154956904602);
    assert_eq!(h(vec![]), 133146708735736);
    assert_eq!(h(vec![1, 2, 3]), -272375401224217160);
    assert_eq!(h((0..100).collect()), 4411996150312757951);
    // Order-independent, and a set is unhashable.
    assert_eq!(h(vec![3, 2, 1]), -272375401224217160);
    assert_eq!(
        from([1]).hash().unwrap_err().to_string(),
        "TypeError: unhashable type: 'set'"
    );
    // frozensets as set elements and dict keys; a set key finds its frozenset.
    let outer = set::new_set();
    let f = set::frozenset_from_iter(&from([1, 2])).unwrap();
    st(&outer).add(&f).unwrap();
    assert!(st(&outer).contains(&from([2, 1])).unwrap());
    assert!(st(&outer).discard(&from([1, 2])).unwrap());
    assert!(st(&outer).is_empty());
}

#[test]
fn repr_and_errors() {
    assert_eq!(repr(&set::new_set()), "set()");
    assert_eq!(repr(&set::new_frozenset()), "frozenset()");
    let s = from([1]);
    assert_eq!(repr(&s), "{1}");
    let f = set::frozenset_from_iter(&s).unwrap();
    assert_eq!(repr(&f), "frozenset({1})");
    assert_eq!(st(&s).remove(&i(5)).unwrap_err().to_string(), "KeyError: 5");
    let e = st(&f).add(&i(2)).unwrap_err();
    assert_eq!(e.kind, ExcKind::AttributeError);
    assert_eq!(
        st(&s).add(&dict::new()).unwrap_err().to_string(),
        "TypeError: unhashable type: 'dict'"
    );
    st(&s).add(&str_obj("x")).unwrap();
    st(&s).clear().unwrap();
    assert_eq!(repr(&s), "set()");
    // frozenset(frozenset) is the same object.
    let g = set::frozenset_from_iter(&f).unwrap();
    assert!(g.is(&f));
}

#[test]
fn iterator_size_change_raises() {
    let s = from(0..5);
    let it = st(&s).iter();
    let next = it.ty().slots.next.unwrap();
    next(&it).unwrap().unwrap();
    st(&s).add(&i(10)).unwrap();
    assert_eq!(
        next(&it).unwrap_err().to_string(),
        "RuntimeError: Set changed size during iteration"
    );
    let it = st(&s).iter();
    let mut got = Vec::new();
    while let Some(k) = next(&it).unwrap() {
        got.push(repr(&k).parse::<i64>().unwrap());
    }
    assert_eq!(got, list(&s));
}

#[test]
fn number_slots() {
    let a = from([1, 2, 3]);
    let b = from([3, 4]);
    let n = &a.ty().slots.number;
    assert_eq!(list(&(n.or.unwrap())(&a, &b).unwrap()), [1, 2, 3, 4]);
    assert_eq!(list(&(n.and.unwrap())(&a, &b).unwrap()), [3]);
    assert_eq!(list(&(n.sub.unwrap())(&a, &b).unwrap()), [1, 2]);
    assert_eq!(list(&(n.xor.unwrap())(&a, &b).unwrap()), [1, 2, 4]);
    let r = (n.or.unwrap())(&a, &i(1)).unwrap();
    assert!(r.is(weft_object::not_implemented()));
}
