//! Iterators over tuples and lists: CPython's behaviour when the list changes during
//! iteration, sticky exhaustion, length hints, type names, reference counts.

mod seq_support;

use seq_support::{int, int_list, val};
use weft_containers::iter::{
    ListIter, ListRevIter, TupleIter, list_iter, list_reversed, next, tuple_iter,
};
use weft_containers::{List, new_tuple};
use weft_object::{ObjRef, Object};

fn rest(it: &Object) -> Vec<i64> {
    let mut v = Vec::new();
    while let Some(x) = next(it).unwrap() {
        v.push(val(&x));
    }
    v
}

#[test]
fn list_iteration_follows_mutation_like_cpython() {
    let o = int_list(&[1, 2, 3]);
    let l = List::of(&o).unwrap();
    let it = list_iter(&o);
    assert_eq!(val(&next(&it).unwrap().unwrap()), 1);
    l.append(int(4)).unwrap();
    assert_eq!(rest(&it), [2, 3, 4]);
    l.append(int(5)).unwrap();
    assert_eq!(rest(&it), Vec::<i64>::new(), "exhaustion is sticky");

    let o = int_list(&[1, 2, 3]);
    let it = list_iter(&o);
    next(&it).unwrap();
    List::of(&o).unwrap().pop(Some(0)).unwrap();
    assert_eq!(rest(&it), [3]);
}

#[test]
fn reversed_list_iteration_like_cpython() {
    let o = int_list(&[1, 2, 3, 4]);
    let l = List::of(&o).unwrap();
    let it = list_reversed(&o);
    assert_eq!(val(&next(&it).unwrap().unwrap()), 4);
    l.pop(None).unwrap();
    l.pop(None).unwrap();
    assert_eq!(rest(&it), Vec::<i64>::new());

    let o = int_list(&[1, 2, 3]);
    let it = list_reversed(&o);
    List::of(&o).unwrap().clear();
    assert_eq!(rest(&it), Vec::<i64>::new());
    List::of(&o)
        .unwrap()
        .extend_vec(vec![int(1), int(2), int(3), int(4)])
        .unwrap();
    assert_eq!(rest(&it), Vec::<i64>::new(), "exhaustion is sticky");

    let o = int_list(&[1, 2, 3]);
    assert_eq!(rest(&list_reversed(&o)), [3, 2, 1]);
}

#[test]
fn tuple_iteration_and_hints() {
    let t = new_tuple(vec![int(1), int(2), int(3)]);
    let it = tuple_iter(&t);
    assert_eq!(it.downcast::<TupleIter>().unwrap().length_hint(), 3);
    next(&it).unwrap();
    assert_eq!(it.downcast::<TupleIter>().unwrap().length_hint(), 2);
    assert_eq!(rest(&it), [2, 3]);
    assert_eq!(it.downcast::<TupleIter>().unwrap().length_hint(), 0);
    assert!(next(&it).unwrap().is_none());

    let o = int_list(&[1, 2, 3]);
    let it = list_iter(&o);
    assert_eq!(it.downcast::<ListIter>().unwrap().length_hint(), 3);
    next(&it).unwrap();
    assert_eq!(it.downcast::<ListIter>().unwrap().length_hint(), 2);
    let r = list_reversed(&o);
    assert_eq!(r.downcast::<ListRevIter>().unwrap().length_hint(), 3);
}

#[test]
fn type_names_and_iter_slots() {
    let o = int_list(&[]);
    let t = new_tuple(vec![]);
    assert_eq!(list_iter(&o).ty().name, "list_iterator");
    assert_eq!(tuple_iter(&t).ty().name, "tuple_iterator");
    assert_eq!(list_reversed(&o).ty().name, "list_reverseiterator");
    // iter(list) through the type's slot; iter(iterator) is the iterator itself.
    let it = (o.ty().slots.iter.unwrap())(&o).unwrap();
    assert_eq!(it.ty().name, "list_iterator");
    assert!((it.ty().slots.iter.unwrap())(&it).unwrap().is(&it));
    let it = (t.ty().slots.iter.unwrap())(&t).unwrap();
    assert_eq!(it.ty().name, "tuple_iterator");
}

#[test]
fn iterators_keep_their_sequence_alive() {
    let x = weft_object::int_from_i64(1 << 41);
    let base = x.count();
    let it: ObjRef = {
        let o = weft_containers::new_list(vec![x.clone()]);
        list_iter(&o)
    };
    assert_eq!(x.count(), base + 1, "the list lives on in the iterator");
    assert!(next(&it).unwrap().unwrap().is(&x));
    drop(it);
    seq_support::drain_until(|| x.count() <= base);
    assert_eq!(x.count(), base);
}
