//! `list`: every operation against CPython 3.11's results and error messages, including the
//! awkward cases (comparisons that mutate the list, raising comparisons during sort,
//! self-referencing reprs, `l.extend(l)`).

mod seq_support;

use std::cell::RefCell;

use seq_support::{int, int_list, val, vals};
use weft_containers::list::{LIST_TYPE, List, collect_iterable, list_richcompare};
use weft_containers::{Slice, empty_list, list_from_iterable, new_list, new_tuple};
use weft_object::types::OBJECT_TYPE;
use weft_object::{
    CompareOp, ExcKind, ObjRef, Object, Payload, PyErr, PyResult, Slots, TypeObject, bool_obj,
    not_implemented, str_obj,
};

fn l(o: &ObjRef) -> List<'_> {
    List::of(o).unwrap()
}

fn err(r: PyResult<impl std::fmt::Debug>) -> (ExcKind, String) {
    let e = r.unwrap_err();
    (e.kind, e.msg)
}

#[test]
fn append_get_set_len() {
    let o = empty_list();
    let x = l(&o);
    assert!(x.is_empty());
    for i in 0..100 {
        x.append(int(i)).unwrap();
    }
    assert_eq!(x.len(), 100);
    assert_eq!(val(&x.get(0).unwrap()), 0);
    assert_eq!(val(&x.get(-1).unwrap()), 99);
    assert_eq!(val(&x.get(-100).unwrap()), 0);
    assert_eq!(
        err(x.get(100)),
        (ExcKind::IndexError, "list index out of range".into())
    );
    assert_eq!(
        err(x.get(-101)),
        (ExcKind::IndexError, "list index out of range".into())
    );
    x.set(5, int(-5)).unwrap();
    x.set(-1, int(-99)).unwrap();
    assert_eq!(val(&x.get(5).unwrap()), -5);
    assert_eq!(val(&x.get(99).unwrap()), -99);
    assert_eq!(
        err(x.set(100, int(0))),
        (
            ExcKind::IndexError,
            "list assignment index out of range".into()
        )
    );
    assert_eq!(
        err(x.del(100)),
        (
            ExcKind::IndexError,
            "list assignment index out of range".into()
        )
    );
    x.del(0).unwrap();
    x.del(-1).unwrap();
    assert_eq!(x.len(), 98);
    assert_eq!(val(&x.get(0).unwrap()), 1);
    // Slots.
    let get = LIST_TYPE.slots.getitem.unwrap();
    assert_eq!(val(&get(&o, &int(1)).unwrap()), 2);
    assert_eq!(
        err(get(&o, &str_obj("a"))),
        (
            ExcKind::TypeError,
            "list indices must be integers or slices, not str".into()
        )
    );
    let set = LIST_TYPE.slots.setitem.unwrap();
    set(&o, &int(0), Some(&int(42))).unwrap();
    assert_eq!(val(&x.get(0).unwrap()), 42);
    set(&o, &int(0), None).unwrap();
    assert_eq!(x.len(), 97);
    assert_eq!((LIST_TYPE.slots.len.unwrap())(&o).unwrap(), 97);
    assert!(o.is_true().unwrap());
    assert!(!empty_list().is_true().unwrap());
    assert_eq!(o.hash().unwrap_err().msg, "unhashable type: 'list'");
}

#[test]
fn insert_pop_clamps_and_messages() {
    let o = int_list(&[0, 1, 2, 3]);
    let x = l(&o);
    x.insert(-10, int(7)).unwrap();
    x.insert(100, int(8)).unwrap();
    x.insert(-1, int(9)).unwrap();
    assert_eq!(vals(&o), [7, 0, 1, 2, 3, 9, 8]);
    assert_eq!(val(&x.pop(None).unwrap()), 8);
    assert_eq!(val(&x.pop(Some(0)).unwrap()), 7);
    assert_eq!(val(&x.pop(Some(-2)).unwrap()), 3);
    assert_eq!(vals(&o), [0, 1, 2, 9]);
    assert_eq!(
        err(x.pop(Some(4))),
        (ExcKind::IndexError, "pop index out of range".into())
    );
    x.clear();
    assert_eq!(
        err(x.pop(None)),
        (ExcKind::IndexError, "pop from empty list".into())
    );
    x.clear(); // clearing an empty list is fine
}

#[test]
fn remove_index_count_contains() {
    let o = int_list(&[3, 1, 2, 1]);
    let x = l(&o);
    assert_eq!(x.index(&int(1), None, None).unwrap(), 1);
    assert_eq!(x.index(&int(1), Some(2), None).unwrap(), 3);
    assert_eq!(x.index(&int(2), Some(-2), None).unwrap(), 2);
    assert_eq!(x.count(&int(1)).unwrap(), 2);
    assert!(x.contains(&int(2)).unwrap());
    assert!((LIST_TYPE.slots.contains.unwrap())(&o, &ObjRef::new(3.0f64)).unwrap());
    assert!(!x.contains(&int(5)).unwrap());
    assert_eq!(
        err(x.index(&int(5), None, None)),
        (ExcKind::ValueError, "5 is not in list".into())
    );
    assert_eq!(
        err(x.index(&str_obj("a"), None, None)),
        (ExcKind::ValueError, "'a' is not in list".into())
    );
    assert_eq!(
        err(x.index(&int(3), Some(1), Some(3))),
        (ExcKind::ValueError, "3 is not in list".into())
    );
    x.remove(&int(1)).unwrap();
    assert_eq!(vals(&o), [3, 2, 1]);
    assert_eq!(
        err(x.remove(&int(9))),
        (ExcKind::ValueError, "list.remove(x): x not in list".into())
    );
}

#[test]
fn slices_get_set_del() {
    let ten = || int_list(&(0..10).collect::<Vec<_>>());
    let s = Slice::new;
    let o = ten();
    assert_eq!(
        vals(&l(&o).get_slice(&s(Some(2), Some(5), None)).unwrap()),
        [2, 3, 4]
    );
    assert_eq!(
        vals(&l(&o).get_slice(&s(None, None, Some(-3))).unwrap()),
        [9, 6, 3, 0]
    );
    assert_eq!(
        vals(&l(&o).get_slice(&s(Some(-1), None, None)).unwrap()),
        [9]
    );

    let o = ten();
    l(&o)
        .set_slice(&s(Some(2), Some(5), None), vec![int(20)])
        .unwrap();
    assert_eq!(vals(&o), [0, 1, 20, 5, 6, 7, 8, 9]);
    let o = ten();
    let items = (20..25).map(int).collect();
    l(&o).set_slice(&s(Some(2), Some(5), None), items).unwrap();
    assert_eq!(vals(&o), [0, 1, 20, 21, 22, 23, 24, 5, 6, 7, 8, 9]);
    let o = ten();
    let items = [-1, -2, -3, -4].map(int).to_vec();
    l(&o).set_slice(&s(None, None, Some(3)), items).unwrap();
    assert_eq!(vals(&o), [-1, 1, 2, -2, 4, 5, -3, 7, 8, -4]);
    let o = int_list(&[0, 1, 2, 3]);
    l(&o)
        .set_slice(&s(Some(5), Some(8), None), vec![int(9)])
        .unwrap();
    assert_eq!(vals(&o), [0, 1, 2, 3, 9]);
    let o = int_list(&[0, 1, 2, 3]);
    l(&o)
        .set_slice(&s(Some(3), Some(1), None), vec![int(9)])
        .unwrap();
    assert_eq!(vals(&o), [0, 1, 2, 9, 3]);
    let o = int_list(&[1, 2, 3]);
    assert_eq!(
        err(l(&o).set_slice(&s(None, None, Some(2)), vec![int(1)])),
        (
            ExcKind::ValueError,
            "attempt to assign sequence of size 1 to extended slice of size 2".into()
        )
    );
    // l[:] = l
    let o = int_list(&[1, 2, 3]);
    l(&o).set_slice_from(&Slice::default(), &o).unwrap();
    assert_eq!(vals(&o), [1, 2, 3]);
    l(&o)
        .set_slice_from(&s(Some(1), Some(1), None), &new_tuple(vec![int(7), int(8)]))
        .unwrap();
    assert_eq!(vals(&o), [1, 7, 8, 2, 3]);

    let o = ten();
    l(&o).del_slice(&s(None, None, Some(3))).unwrap();
    assert_eq!(vals(&o), [1, 2, 4, 5, 7, 8]);
    let o = ten();
    l(&o).del_slice(&s(None, None, Some(-2))).unwrap();
    assert_eq!(vals(&o), [0, 2, 4, 6, 8]);
    let o = ten();
    l(&o).del_slice(&s(Some(7), Some(2), Some(-1))).unwrap();
    assert_eq!(vals(&o), [0, 1, 2, 8, 9]);
    let o = ten();
    l(&o).del_slice(&s(Some(2), Some(8), None)).unwrap();
    assert_eq!(vals(&o), [0, 1, 8, 9]);
    l(&o).del_slice(&Slice::default()).unwrap();
    assert!(l(&o).is_empty());
    assert_eq!(
        err(l(&o).del_slice(&s(None, None, Some(0)))),
        (ExcKind::ValueError, "slice step cannot be zero".into())
    );
}

#[test]
fn extend_from_everything() {
    let o = int_list(&[1, 2]);
    let x = l(&o);
    x.extend(&o).unwrap(); // l.extend(l) doubles
    assert_eq!(vals(&o), [1, 2, 1, 2]);
    x.extend(&new_tuple(vec![int(3)])).unwrap();
    x.extend(&int_list(&[4, 5])).unwrap();
    x.extend(&weft_containers::iter::list_iter(&int_list(&[6])))
        .unwrap();
    assert_eq!(vals(&o), [1, 2, 1, 2, 3, 4, 5, 6]);
    assert_eq!(
        err(x.extend(&int(3))),
        (ExcKind::TypeError, "'int' object is not iterable".into())
    );
    assert_eq!(
        vals(&list_from_iterable(&new_tuple(vec![int(9)])).unwrap()),
        [9]
    );
    assert_eq!(collect_iterable(&o).unwrap().len(), 8);
}

#[test]
fn reverse_sort_copy() {
    let o = int_list(&[3, 1, 2]);
    l(&o).reverse();
    assert_eq!(vals(&o), [2, 1, 3]);
    l(&o).sort(false).unwrap();
    assert_eq!(vals(&o), [1, 2, 3]);
    l(&o).sort(true).unwrap();
    assert_eq!(vals(&o), [3, 2, 1]);
    let c = l(&o).copy();
    assert!(!c.is(&o));
    assert_eq!(vals(&c), [3, 2, 1]);
    // Big lists: the merge passes.
    let v: Vec<i64> = (0..1000).map(|i| (i * 7919) % 1009).collect();
    let o = int_list(&v);
    l(&o).sort(false).unwrap();
    let mut w = v.clone();
    w.sort();
    assert_eq!(vals(&o), w);
}

#[test]
fn sort_is_stable_with_keys_and_reverse() {
    // Sort (key, serial) pairs by key only: equal keys keep their order, also reversed.
    let pairs: Vec<(i64, i64)> = (0..200).map(|i| ((i * 37) % 7, i)).collect();
    let o = new_list(
        pairs
            .iter()
            .map(|&(k, s)| new_tuple(vec![int(k), int(s)]))
            .collect(),
    );
    let key = |x: &Object| -> PyResult<ObjRef> {
        Ok(weft_containers::tuple::as_tuple(x).unwrap().as_slice()[0].clone())
    };
    let got = |o: &ObjRef| -> Vec<(i64, i64)> {
        l(o).to_vec()
            .iter()
            .map(|t| {
                let s = weft_containers::tuple::as_tuple(t).unwrap().as_slice();
                (val(&s[0]), val(&s[1]))
            })
            .collect()
    };
    l(&o).sort_by_key(&mut { key }, false).unwrap();
    let mut want = pairs.clone();
    want.sort_by_key(|p| p.0);
    assert_eq!(got(&o), want);
    l(&o).sort_by_key(&mut { key }, true).unwrap();
    let mut want = pairs.clone();
    want.sort_by_key(|p| std::cmp::Reverse(p.0));
    assert_eq!(got(&o), want);
}

#[test]
fn sort_errors_restore_the_list() {
    let v: Vec<i64> = (0..100).rev().collect();
    let o = int_list(&v);
    let mut n = 0;
    let r = l(&o).sort_by(
        &mut |a, b| {
            n += 1;
            if n == 150 {
                return Err(PyErr::type_error("boom"));
            }
            Ok(val(a) < val(b))
        },
        false,
    );
    assert_eq!(err(r), (ExcKind::TypeError, "boom".into()));
    assert_eq!(vals(&o), v, "original order restored");
    // A key function that raises.
    let r = l(&o).sort_by_key(
        &mut |x| {
            if val(x) == 50 {
                Err(PyErr::value_error("bad key"))
            } else {
                Ok(x.to_ref())
            }
        },
        false,
    );
    assert_eq!(err(r), (ExcKind::ValueError, "bad key".into()));
    assert_eq!(vals(&o), v);
    // Incomparable items: Python's error, list unchanged.
    let m = new_list(vec![int(1), str_obj("a"), int(0)]);
    assert_eq!(
        err(l(&m).sort(false)),
        (
            ExcKind::TypeError,
            "'<' not supported between instances of 'str' and 'int'".into()
        )
    );
    assert_eq!(l(&m).len(), 3);
    // An inconsistent comparator never panics.
    let o = int_list(&(0..300).collect::<Vec<_>>());
    let mut k = 0u64;
    l(&o)
        .sort_by(
            &mut |_, _| {
                k = k
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                Ok(k >> 63 == 1)
            },
            false,
        )
        .unwrap();
    let mut got = vals(&o);
    got.sort();
    assert_eq!(got, (0..300).collect::<Vec<_>>(), "a permutation");
}

#[test]
fn sort_detects_modification() {
    let o = int_list(&[3, 1, 2]);
    let target = o.clone();
    let mut first = true;
    let r = l(&o).sort_by(
        &mut |a, b| {
            // The list looks empty while it is being sorted.
            assert_eq!(l(&target).len(), if first { 0 } else { 1 });
            if first {
                l(&target).append(int(99)).unwrap();
                first = false;
            }
            Ok(val(a) < val(b))
        },
        false,
    );
    assert_eq!(
        err(r),
        (ExcKind::ValueError, "list modified during sort".into())
    );
    assert_eq!(
        vals(&o),
        [1, 2, 3],
        "sorted items restored, the append discarded"
    );
}

#[test]
fn reprs_including_recursion() {
    assert_eq!(empty_list().repr().unwrap(), "[]");
    assert_eq!(int_list(&[1, 2]).repr().unwrap(), "[1, 2]");
    let o = int_list(&[1]);
    l(&o).append(o.clone()).unwrap();
    assert_eq!(o.repr().unwrap(), "[1, [...]]");
    let outer = new_list(vec![o.clone(), str_obj("x")]);
    assert_eq!(outer.repr().unwrap(), "[[1, [...]], 'x']");
    l(&o).clear(); // break the cycle
}

#[test]
fn comparisons() {
    let t = |a: &[i64], b: &[i64], op| {
        list_richcompare(&int_list(a), &int_list(b), op)
            .unwrap()
            .is_true()
            .unwrap()
    };
    assert!(t(&[1, 2], &[1, 2, 0], CompareOp::Lt));
    assert!(t(&[1, 3], &[1, 2, 9], CompareOp::Gt));
    assert!(t(&[], &[], CompareOp::Eq));
    assert!(t(&[1], &[2], CompareOp::Ne));
    assert!(t(&[2], &[2], CompareOp::Le));
    assert!(!t(&[1, 2], &[1, 2, 0], CompareOp::Eq));
    assert!(
        int_list(&[1])
            .eq(&new_list(vec![ObjRef::new(1.0f64)]))
            .unwrap()
    );
    assert!(
        list_richcompare(&int_list(&[1]), &new_tuple(vec![int(1)]), CompareOp::Eq)
            .unwrap()
            .is(not_implemented())
    );
}

#[test]
fn concat_repeat_inplace() {
    let a = int_list(&[1, 2]);
    let b = int_list(&[3]);
    assert_eq!(vals(&l(&a).concat(&b).unwrap()), [1, 2, 3]);
    assert_eq!(vals(&l(&a).concat(&a).unwrap()), [1, 2, 1, 2]);
    assert_eq!(
        err(l(&a).concat(&new_tuple(vec![]))),
        (
            ExcKind::TypeError,
            "can only concatenate list (not \"tuple\") to list".into()
        )
    );
    assert_eq!(vals(&l(&a).repeat(3).unwrap()), [1, 2, 1, 2, 1, 2]);
    assert!(l(&l(&a).repeat(-1).unwrap()).is_empty());
    assert_eq!(
        l(&a).repeat(i64::MAX).unwrap_err().kind,
        ExcKind::MemoryError
    );
    let add = LIST_TYPE.slots.number.add.unwrap();
    let mul = LIST_TYPE.slots.number.mul.unwrap();
    assert_eq!(vals(&add(&a, &b).unwrap()), [1, 2, 3]);
    assert!(add(&a, &int(1)).unwrap().is(not_implemented()));
    assert_eq!(vals(&mul(&int(2), &b).unwrap()), [3, 3]);
    let c = int_list(&[1, 2]);
    l(&c).inplace_repeat(3).unwrap();
    assert_eq!(vals(&c), [1, 2, 1, 2, 1, 2]);
    l(&c).inplace_repeat(0).unwrap();
    assert!(l(&c).is_empty());
}

#[test]
fn references_are_exact() {
    let x = weft_object::int_from_i64(1 << 40);
    let base = x.count();
    let o = empty_list();
    for _ in 0..10 {
        l(&o).append(x.clone()).unwrap();
    }
    assert_eq!(x.count(), base + 10);
    let popped = l(&o).pop(None).unwrap();
    drop(popped);
    l(&o).del(0).unwrap();
    l(&o).set(0, int(1)).unwrap();
    l(&o)
        .del_slice(&Slice::new(Some(0), Some(2), None))
        .unwrap();
    l(&o).remove(&x).unwrap();
    // 10 appended; pop, del, set and remove drop one each, the slice one more (and the 1).
    seq_support::drain_until(|| x.count() <= base + 5);
    assert_eq!(x.count(), base + 5);
    drop(o);
    seq_support::drain_until(|| x.count() <= base);
    assert_eq!(x.count(), base);
}

// ----- A type whose `==` runs a hook (Python code that mutates the list). -----

struct Evil(i64);

thread_local! {
    static HOOK: RefCell<Option<Box<dyn FnMut()>>> = const { RefCell::new(None) };
}

fn evil_cmp(a: &Object, b: &Object, op: CompareOp) -> PyResult<ObjRef> {
    let (Some(x), Some(y)) = (a.downcast::<Evil>(), b.downcast::<Evil>()) else {
        return Ok(not_implemented().to_ref());
    };
    if let Some(mut h) = HOOK.with(|h| h.borrow_mut().take()) {
        h();
    }
    Ok(bool_obj(op.test(x.0.cmp(&y.0))))
}

weft_sync::shim_static! {
    static EVIL_TYPE: TypeObject = TypeObject::new_static::<Evil>(
        "Evil",
        Some(&OBJECT_TYPE),
        Slots {
            richcompare: Some(evil_cmp),
            repr: Some(|o| Ok(format!("Evil({})", o.downcast::<Evil>().unwrap().0))),
            ..Slots::EMPTY
        },
    );
}

impl Payload for Evil {
    fn type_object() -> &'static TypeObject {
        &EVIL_TYPE
    }
}

fn evils(o: &ObjRef) -> Vec<i64> {
    l(o).to_vec()
        .iter()
        .map(|e| e.downcast::<Evil>().unwrap().0)
        .collect()
}

#[test]
fn remove_with_eq_that_mutates_the_list() {
    // `__eq__` inserts at the front during the first comparison: the compared position no
    // longer holds the compared item, so remove searches again and removes the right one.
    let o = new_list((0..5).map(|i| ObjRef::new(Evil(i))).collect());
    let t = o.clone();
    HOOK.with(|h| {
        *h.borrow_mut() = Some(Box::new(move || {
            l(&t).insert(0, ObjRef::new(Evil(100))).unwrap();
        }))
    });
    l(&o).remove(&ObjRef::new(Evil(0))).unwrap();
    assert_eq!(evils(&o), [100, 1, 2, 3, 4]);
    // `__eq__` clears the list: not found, no crash.
    let t = o.clone();
    HOOK.with(|h| *h.borrow_mut() = Some(Box::new(move || l(&t).clear())));
    let e = l(&o).remove(&ObjRef::new(Evil(3))).unwrap_err();
    assert_eq!(e.msg, "list.remove(x): x not in list");
    // count/contains/index/repr/== with a list that shrinks under them.
    let o = new_list((0..5).map(|i| ObjRef::new(Evil(i))).collect());
    let t = o.clone();
    HOOK.with(|h| *h.borrow_mut() = Some(Box::new(move || l(&t).clear())));
    assert!(!l(&o).contains(&ObjRef::new(Evil(4))).unwrap());
    let o2 = new_list((0..5).map(|i| ObjRef::new(Evil(i))).collect());
    let o3 = new_list((0..5).map(|i| ObjRef::new(Evil(i))).collect());
    let t = o3.clone();
    HOOK.with(|h| *h.borrow_mut() = Some(Box::new(move || l(&t).clear())));
    assert!(!o2.eq(&o3).unwrap());
}
