//! `tuple`: construction, hashing (CPython's values), comparison, repr, indexing, slicing,
//! concatenation and repetition, with CPython 3.11's error messages.

mod seq_support;

use seq_support::{int, val};
use weft_containers::tuple::{
    PyTuple, Slice, TUPLE_TYPE, as_tuple, empty_tuple, new_tuple, tuple_concat, tuple_contains,
    tuple_count, tuple_getitem, tuple_index, tuple_repeat, tuple_slice,
};
use weft_containers::{List, new_list};
use weft_object::{CompareOp, ExcKind, ObjRef, int_from_i64};

fn tup(vs: &[i64]) -> ObjRef {
    new_tuple(vs.iter().map(|&v| int(v)).collect())
}

fn vals(t: &ObjRef) -> Vec<i64> {
    as_tuple(t)
        .unwrap()
        .as_slice()
        .iter()
        .map(|o| val(o))
        .collect()
}

fn big(v: i128) -> ObjRef {
    use weft_object::scalar::int::Int;
    weft_object::int_obj(Int::from_bigint(v.into()))
}

#[test]
fn hashes_match_cpython() {
    assert_eq!(empty_tuple().hash().unwrap(), 5740354900026072187);
    assert_eq!(tup(&[1, 2]).hash().unwrap(), -3550055125485641917);
    assert_eq!(tup(&[1]).hash().unwrap(), -6644214454873602895);
    assert_eq!(tup(&[-1]).hash().unwrap(), 8078679518589016365);
    assert_eq!(tup(&[-2]).hash().unwrap(), 8078679518589016365);
    assert_eq!(
        new_tuple(vec![empty_tuple()]).hash().unwrap(),
        -5486347211504344842
    );
    assert_eq!(tup(&[0; 10]).hash().unwrap(), -7222447081605638768);
    let nested = new_tuple(vec![tup(&[1, 2]), tup(&[3])]);
    assert_eq!(nested.hash().unwrap(), -8303551883679707139);
    let mixed = new_tuple(vec![ObjRef::new(1.5f64), int(2)]);
    assert_eq!(mixed.hash().unwrap(), 8274728468405361693);
    let bigs = new_tuple(vec![big(1 << 62), big(-(1 << 63)), big(1 << 64)]);
    assert_eq!(bigs.hash().unwrap(), -5750356672075660178);
    let bools = new_tuple(vec![
        weft_object::bool_obj(true),
        weft_object::bool_obj(false),
    ]);
    assert_eq!(bools.hash().unwrap(), -5164621852614943976);
    // Cached: the same value again.
    assert_eq!(tup(&[1, 2]).hash().unwrap(), tup(&[1, 2]).hash().unwrap());
}

#[test]
fn unhashable_item_raises_type_error() {
    let t = new_tuple(vec![int(1), new_list(vec![])]);
    let e = t.hash().unwrap_err();
    assert_eq!(e.kind, ExcKind::TypeError);
    assert_eq!(e.msg, "unhashable type: 'list'");
    // Not cached: raises again.
    assert_eq!(t.hash().unwrap_err().msg, "unhashable type: 'list'");
}

#[test]
fn empty_tuple_is_a_singleton() {
    let a = empty_tuple();
    let b = new_tuple(Vec::new());
    assert!(a.is(&b));
    assert_eq!(a.count(), usize::MAX, "immortal");
    assert!(!a.is_true().unwrap());
    assert!(tup(&[0]).is_true().unwrap());
}

#[test]
fn repr_forms() {
    assert_eq!(empty_tuple().repr().unwrap(), "()");
    assert_eq!(tup(&[1]).repr().unwrap(), "(1,)");
    assert_eq!(tup(&[1, 2]).repr().unwrap(), "(1, 2)");
    assert_eq!(new_tuple(vec![empty_tuple()]).repr().unwrap(), "((),)");
    // A tuple inside a list inside the tuple: CPython prints `([(...)],)`.
    let l = new_list(vec![]);
    let t = new_tuple(vec![l.clone()]);
    List::of(&l).unwrap().append(t.clone()).unwrap();
    assert_eq!(t.repr().unwrap(), "([(...)],)");
    assert_eq!(l.repr().unwrap(), "[([...],)]");
    List::of(&l).unwrap().clear(); // break the cycle
}

#[test]
fn indexing() {
    let t = tup(&[10, 20, 30]);
    assert_eq!(val(&tuple_getitem(&t, 0).unwrap()), 10);
    assert_eq!(val(&tuple_getitem(&t, -1).unwrap()), 30);
    assert_eq!(val(&tuple_getitem(&t, -3).unwrap()), 10);
    for bad in [3, -4, i64::MAX, i64::MIN] {
        let e = tuple_getitem(&t, bad).unwrap_err();
        assert_eq!(
            (e.kind, e.msg.as_str()),
            (ExcKind::IndexError, "tuple index out of range")
        );
    }
    // Through the getitem slot.
    let get = TUPLE_TYPE.slots.getitem.unwrap();
    assert_eq!(val(&get(&t, &int(1)).unwrap()), 20);
    let e = get(&t, &weft_object::str_obj("a")).unwrap_err();
    assert_eq!(e.msg, "tuple indices must be integers or slices, not str");
    let e = get(&t, &big(1 << 70)).unwrap_err();
    assert_eq!(
        (e.kind, e.msg.as_str()),
        (
            ExcKind::IndexError,
            "cannot fit 'int' into an index-sized integer"
        )
    );
    assert_eq!((TUPLE_TYPE.slots.len.unwrap())(&t).unwrap(), 3);
}

#[test]
fn slicing() {
    let t = tup(&[0, 1, 2, 3, 4, 5]);
    let s = |a, b, c| vals(&tuple_slice(&t, &Slice::new(a, b, c)).unwrap());
    assert_eq!(s(Some(1), Some(4), None), [1, 2, 3]);
    assert_eq!(s(None, None, Some(2)), [0, 2, 4]);
    assert_eq!(s(None, None, Some(-1)), [5, 4, 3, 2, 1, 0]);
    assert_eq!(s(Some(-2), None, None), [4, 5]);
    assert_eq!(s(Some(4), Some(1), Some(-2)), [4, 2]);
    assert_eq!(s(Some(10), Some(20), None), Vec::<i64>::new());
    assert_eq!(s(Some(-100), Some(100), Some(3)), [0, 3]);
    // A full slice of an exact tuple is the tuple itself.
    assert!(tuple_slice(&t, &Slice::default()).unwrap().is(&t));
    let e = tuple_slice(&t, &Slice::new(None, None, Some(0))).unwrap_err();
    assert_eq!(
        (e.kind, e.msg.as_str()),
        (ExcKind::ValueError, "slice step cannot be zero")
    );
}

#[test]
fn comparisons() {
    let cmp = |a: &[i64], b: &[i64], op| {
        let r = tup(a).compare(&tup(b), op).unwrap();
        r.is_true().unwrap()
    };
    assert!(cmp(&[1, 2], &[1, 2], CompareOp::Eq));
    assert!(!cmp(&[1, 2], &[1, 2, 3], CompareOp::Eq));
    assert!(cmp(&[1, 2], &[1, 2, 3], CompareOp::Lt));
    assert!(cmp(&[1, 3], &[1, 2, 5], CompareOp::Gt));
    assert!(cmp(&[], &[0], CompareOp::Lt));
    assert!(cmp(&[2], &[1, 9], CompareOp::Ge));
    assert!(cmp(&[1, 2], &[1, 3], CompareOp::Ne));
    // NaN: identity makes an item equal to itself, as in CPython.
    let nan = ObjRef::new(f64::NAN);
    let a = new_tuple(vec![nan.clone()]);
    let b = new_tuple(vec![nan.clone()]);
    assert!(a.eq(&b).unwrap());
    let c = new_tuple(vec![ObjRef::new(f64::NAN)]);
    assert!(!a.eq(&c).unwrap());
    // Ordering of incomparable items raises.
    let x = new_tuple(vec![int(1)]);
    let y = new_tuple(vec![weft_object::str_obj("a")]);
    let e = x.compare(&y, CompareOp::Lt).unwrap_err();
    assert_eq!(
        e.msg,
        "'<' not supported between instances of 'int' and 'str'"
    );
    // A tuple compared with a list: NotImplemented both ways, so == is identity (False).
    assert!(!x.eq(&new_list(vec![int(1)])).unwrap());
}

#[test]
fn contains_index_count() {
    let t = tup(&[1, 2, 3, 2]);
    assert!(tuple_contains(&t, &int(3)).unwrap());
    assert!(!tuple_contains(&t, &int(7)).unwrap());
    assert!((TUPLE_TYPE.slots.contains.unwrap())(&t, &ObjRef::new(2.0f64)).unwrap());
    assert_eq!(tuple_count(&t, &int(2)).unwrap(), 2);
    assert_eq!(tuple_index(&t, &int(2), None, None).unwrap(), 1);
    assert_eq!(tuple_index(&t, &int(2), Some(2), None).unwrap(), 3);
    assert_eq!(tuple_index(&t, &int(2), Some(-1), None).unwrap(), 3);
    let e = tuple_index(&t, &int(3), Some(0), Some(2)).unwrap_err();
    assert_eq!(
        (e.kind, e.msg.as_str()),
        (ExcKind::ValueError, "tuple.index(x): x not in tuple")
    );
}

#[test]
fn concat_and_repeat() {
    let a = tup(&[1, 2]);
    let b = tup(&[3]);
    assert_eq!(vals(&tuple_concat(&a, &b).unwrap()), [1, 2, 3]);
    assert!(tuple_concat(&a, &empty_tuple()).unwrap().is(&a));
    let e = tuple_concat(&a, &new_list(vec![])).unwrap_err();
    assert_eq!(e.msg, "can only concatenate tuple (not \"list\") to tuple");
    assert_eq!(vals(&tuple_repeat(&a, 3).unwrap()), [1, 2, 1, 2, 1, 2]);
    assert!(tuple_repeat(&a, 0).unwrap().is(&empty_tuple()));
    assert!(tuple_repeat(&a, -5).unwrap().is(&empty_tuple()));
    assert!(tuple_repeat(&a, 1).unwrap().is(&a));
    let e = tuple_repeat(&a, i64::MAX).unwrap_err();
    assert_eq!(e.kind, ExcKind::MemoryError);
    // Through the number slots, both operand orders.
    let add = TUPLE_TYPE.slots.number.add.unwrap();
    let mul = TUPLE_TYPE.slots.number.mul.unwrap();
    assert_eq!(vals(&add(&a, &b).unwrap()), [1, 2, 3]);
    assert!(add(&a, &int(1)).unwrap().is(weft_object::not_implemented()));
    assert_eq!(vals(&mul(&a, &int(2)).unwrap()), [1, 2, 1, 2]);
    assert_eq!(vals(&mul(&int(2), &a).unwrap()), [1, 2, 1, 2]);
    assert!(
        mul(&a, &ObjRef::new(2.0f64))
            .unwrap()
            .is(weft_object::not_implemented())
    );
    let e = mul(&a, &big(1 << 80)).unwrap_err();
    assert_eq!(
        (e.kind, e.msg.as_str()),
        (
            ExcKind::OverflowError,
            "cannot fit 'int' into an index-sized integer"
        )
    );
    assert!(mul(&a, &big(-(1 << 80))).unwrap().is(&empty_tuple()));
}

#[test]
fn payload_accessors_and_refcounts() {
    let x = int_from_i64(1 << 40);
    let before = x.count();
    {
        let t = new_tuple(vec![x.clone(), x.clone()]);
        let p: &PyTuple = as_tuple(&t).unwrap();
        assert_eq!(p.len(), 2);
        assert!(p.get(0).unwrap().is(&x));
        assert!(p.get(2).is_none());
        assert_eq!(x.count(), before + 2);
    }
    assert_eq!(x.count(), before);
}
