//! dict behaviour against CPython: order, errors and messages, views, iterators, repr.

use weft_containers::dict::{self, Dict, IterKind};
use weft_containers::set;
use weft_object::{ExcKind, ObjRef, Object, int_from_i64, str_obj};

fn i(v: i64) -> ObjRef {
    int_from_i64(v)
}

fn s(v: &str) -> ObjRef {
    str_obj(v)
}

fn d(o: &ObjRef) -> Dict<'_> {
    Dict::of(o).expect("a dict")
}

fn repr(o: &Object) -> String {
    o.repr().expect("repr")
}

#[test]
fn insertion_order_and_overwrite() {
    let o = dict::new();
    let x = d(&o);
    for k in ["b", "a", "c"] {
        x.set_item(s(k), i(k.len() as i64)).unwrap();
    }
    x.set_item(s("a"), i(10)).unwrap();
    assert_eq!(repr(&o), "{'b': 1, 'a': 10, 'c': 1}");
    assert_eq!(x.len(), 3);
    x.del_item(&s("b")).unwrap();
    x.set_item(s("b"), i(2)).unwrap();
    assert_eq!(repr(&o), "{'a': 10, 'c': 1, 'b': 2}");
}

#[test]
fn empty_repr_and_missing_key_error() {
    let o = dict::new();
    let x = d(&o);
    assert_eq!(repr(&o), "{}");
    let e = x.getitem(&s("x")).unwrap_err();
    assert_eq!(e.kind, ExcKind::KeyError);
    assert_eq!(e.to_string(), "KeyError: 'x'");
    let e = x.del_item(&i(5)).unwrap_err();
    assert_eq!(e.to_string(), "KeyError: 5");
    let e = x.popitem().unwrap_err();
    assert_eq!(e.to_string(), "KeyError: 'popitem(): dictionary is empty'");
    assert!(x.get(&s("nope")).unwrap().is_none());
}

#[test]
fn int_and_bool_and_float_keys_unify() {
    let o = dict::new();
    let x = d(&o);
    x.set_item(i(1), s("one")).unwrap();
    x.set_item(weft_object::bool_obj(true), s("true")).unwrap();
    x.set_item(ObjRef::new(1.0f64), s("float")).unwrap();
    assert_eq!(x.len(), 1);
    assert_eq!(repr(&o), "{1: 'float'}");
    // Big ints (heap objects) compare by value.
    x.set_item(i(1 << 40), s("big")).unwrap();
    assert_eq!(repr(&x.getitem(&i(1 << 40)).unwrap()), "'big'");
}

#[test]
fn unhashable_key() {
    let o = dict::new();
    let x = d(&o);
    let k = dict::new();
    let e = x.set_item(k.clone(), i(1)).unwrap_err();
    assert_eq!(e.to_string(), "TypeError: unhashable type: 'dict'");
    assert!(x.get(&k).is_err());
}

#[test]
fn pop_popitem_setdefault() {
    let o = dict::new();
    let x = d(&o);
    for k in 0..10 {
        x.set_item(i(k), i(k * k)).unwrap();
    }
    assert_eq!(repr(&x.pop(&i(3), None).unwrap()), "9");
    assert_eq!(repr(&x.pop(&i(3), Some(&s("dflt"))).unwrap()), "'dflt'");
    assert_eq!(x.pop(&i(3), None).unwrap_err().to_string(), "KeyError: 3");
    let (k, v) = x.popitem().unwrap();
    assert_eq!((repr(&k), repr(&v)), ("9".into(), "81".into()));
    x.del_item(&i(8)).unwrap();
    let (k, _) = x.popitem().unwrap();
    assert_eq!(repr(&k), "7");
    assert_eq!(repr(&x.setdefault(&i(0), &i(100)).unwrap()), "0");
    assert_eq!(repr(&x.setdefault(&i(50), &i(100)).unwrap()), "100");
    assert_eq!(repr(&o), "{0: 0, 1: 1, 2: 4, 4: 16, 5: 25, 6: 36, 50: 100}");
    // LIFO all the way down.
    let mut popped = Vec::new();
    while let Ok((k, _)) = x.popitem() {
        popped.push(repr(&k));
    }
    assert_eq!(popped, ["50", "6", "5", "4", "2", "1", "0"]);
    assert!(x.is_empty());
}

#[test]
fn many_keys_resize_and_compact() {
    let o = dict::new();
    let x = d(&o);
    for k in 0..10_000 {
        x.set_item(i(k), i(-k)).unwrap();
    }
    for k in (0..10_000).filter(|k| k % 3 != 0) {
        x.del_item(&i(k)).unwrap();
    }
    for k in 10_000..12_000 {
        x.set_item(i(k), i(-k)).unwrap();
    }
    let keys: Vec<i64> = x
        .keys_vec()
        .iter()
        .map(|k| repr(k).parse().unwrap())
        .collect();
    let want: Vec<i64> = (0..10_000)
        .filter(|k| k % 3 == 0)
        .chain(10_000..12_000)
        .collect();
    assert_eq!(keys, want);
    for k in &want {
        assert_eq!(repr(&x.getitem(&i(*k)).unwrap()), (-k).to_string());
    }
}

#[test]
fn copy_update_eq_clear() {
    let a = dict::new();
    let x = d(&a);
    x.set_item(s("x"), i(1)).unwrap();
    x.set_item(s("y"), i(2)).unwrap();
    let b = x.copy();
    assert!(x.eq(d(&b)).unwrap());
    d(&b).set_item(s("z"), i(3)).unwrap();
    assert!(!x.eq(d(&b)).unwrap());
    x.update(&b).unwrap();
    assert_eq!(repr(&a), "{'x': 1, 'y': 2, 'z': 3}");
    assert!(x.eq(d(&b)).unwrap());
    d(&b).set_item(s("z"), i(4)).unwrap();
    assert!(!x.eq(d(&b)).unwrap());
    x.clear();
    assert_eq!(repr(&a), "{}");
    assert_eq!(x.len(), 0);
    x.update(&b).unwrap();
    assert_eq!(repr(&a), "{'x': 1, 'y': 2, 'z': 4}");
    // update from an iterable of pairs (dict items of another dict).
    let c = dict::new();
    d(&c).update(&d(&b).items()).unwrap();
    assert_eq!(repr(&c), "{'x': 1, 'y': 2, 'z': 4}");
    // A bad element.
    let bad = set::new_set();
    set::Set::of(&bad).unwrap().add(&i(1)).unwrap();
    let e = d(&c).update(&bad).unwrap_err();
    assert_eq!(
        e.to_string(),
        "TypeError: cannot convert dictionary update sequence element #0 to a sequence"
    );
    let bad = set::new_set();
    let three = set::new_frozenset();
    for k in 1..=3 {
        set::Set::of(&three).unwrap().update(&i(k)).unwrap_err();
    }
    let three = set::frozenset_from_iter(&d(&b).keys()).unwrap();
    set::Set::of(&bad).unwrap().add(&three).unwrap();
    let e = d(&c).update(&bad).unwrap_err();
    assert_eq!(
        e.to_string(),
        "ValueError: dictionary update sequence element #0 has length 3; 2 is required"
    );
}

#[test]
fn recursive_repr() {
    let a = dict::new();
    d(&a).set_item(s("self"), a.clone()).unwrap();
    assert_eq!(repr(&a), "{'self': {...}}");
    d(&a).clear(); // break the cycle
}

#[test]
fn views_and_iterators() {
    let a = dict::new();
    let x = d(&a);
    x.set_item(s("a"), i(1)).unwrap();
    x.set_item(s("b"), i(2)).unwrap();
    assert_eq!(repr(&x.keys()), "dict_keys(['a', 'b'])");
    assert_eq!(repr(&x.values()), "dict_values([1, 2])");
    assert_eq!(repr(&x.items()), "dict_items([('a', 1), ('b', 2)])");
    let it = x.iter(IterKind::Items);
    let next = it.ty().slots.next.unwrap();
    assert_eq!(repr(&next(&it).unwrap().unwrap()), "('a', 1)");
    assert_eq!(repr(&next(&it).unwrap().unwrap()), "('b', 2)");
    assert!(next(&it).unwrap().is_none());
    assert!(next(&it).unwrap().is_none());
    // Contains on views.
    let keys = x.keys();
    let contains = keys.ty().slots.contains.unwrap();
    assert!(contains(&keys, &s("a")).unwrap());
    assert!(!contains(&keys, &s("z")).unwrap());
    let vals = x.values();
    assert!((vals.ty().slots.contains.unwrap())(&vals, &i(2)).unwrap());
    let items = x.items();
    let in_items = items.ty().slots.contains.unwrap();
    let pair = |k: &str, v: i64| weft_containers::new_tuple(vec![s(k), i(v)]);
    assert!(in_items(&items, &pair("a", 1)).unwrap());
    assert!(!in_items(&items, &pair("a", 2)).unwrap());
    assert!(!in_items(&items, &s("a")).unwrap());
    // keys view == set
    let st = set::new_set();
    set::Set::of(&st).unwrap().add(&s("b")).unwrap();
    set::Set::of(&st).unwrap().add(&s("a")).unwrap();
    let r = keys.compare(&st, weft_object::CompareOp::Eq).unwrap();
    assert_eq!(repr(&r), "True");
}

#[test]
fn mutation_during_iteration_raises() {
    let a = dict::new();
    let x = d(&a);
    for k in 0..5 {
        x.set_item(i(k), i(k)).unwrap();
    }
    let it = x.iter(IterKind::Keys);
    let next = it.ty().slots.next.unwrap();
    next(&it).unwrap();
    x.set_item(i(99), i(0)).unwrap();
    let e = next(&it).unwrap_err();
    assert_eq!(
        e.to_string(),
        "RuntimeError: dictionary changed size during iteration"
    );
    // Sticky, like CPython.
    x.del_item(&i(99)).unwrap();
    assert!(next(&it).is_err());
    // Same size, keys replaced: CPython's other message once the count runs out.
    let it = x.iter(IterKind::Keys);
    for k in 0..5 {
        x.del_item(&i(k)).unwrap();
        x.set_item(i(k + 100), i(0)).unwrap();
    }
    let mut n = 0;
    let r = loop {
        match next(&it) {
            Ok(Some(_)) => n += 1,
            other => break other,
        }
    };
    assert!(n <= 5);
    if let Err(e) = r {
        assert_eq!(
            e.to_string(),
            "RuntimeError: dictionary keys changed during iteration"
        );
    }
}

#[test]
fn dict_slots() {
    let a = dict::new();
    let slots = &a.ty().slots;
    (slots.setitem.unwrap())(&a, &s("k"), Some(&i(1))).unwrap();
    assert_eq!(repr(&(slots.getitem.unwrap())(&a, &s("k")).unwrap()), "1");
    assert_eq!((slots.len.unwrap())(&a).unwrap(), 1);
    assert!(a.is_true().unwrap());
    (slots.setitem.unwrap())(&a, &s("k"), None).unwrap();
    assert!(!a.is_true().unwrap());
    assert_eq!(
        a.hash().unwrap_err().to_string(),
        "TypeError: unhashable type: 'dict'"
    );
    let b = dict::new();
    assert_eq!(
        repr(&a.compare(&b, weft_object::CompareOp::Eq).unwrap()),
        "True"
    );
    assert!(
        a.compare(&b, weft_object::CompareOp::Lt)
            .unwrap_err()
            .to_string()
            .starts_with("TypeError: '<' not supported")
    );
    assert_eq!(weft_containers::dict::DICT_TYPE.name, "dict");
    let c = dict::from_pairs(&dict::with_capacity(100).unwrap()).unwrap();
    assert_eq!(repr(&c), "{}");
}

#[test]
fn version_tags_change_with_every_write_and_only_then() {
    let a = dict::new();
    let b = dict::new();
    let (ta, tb) = (d(&a).version_tag(), d(&b).version_tag());
    assert!(ta != 0 && tb != 0 && ta != tb, "unique across dicts");
    assert_eq!(d(&a).version_tag(), ta, "stable while nothing is written");
    let mut seen = vec![ta, tb];
    let mut check = |what: &str, o: &ObjRef| {
        let t = d(o).version_tag();
        assert!(!seen.contains(&t), "{what}: tag {t} reused");
        seen.push(t);
        // Reads do not change it.
        let _ = d(o).get(&s("k")).unwrap();
        let _ = d(o).len();
        assert_eq!(d(o).version_tag(), t, "{what}: a read changed the tag");
    };
    d(&a).set_item(s("k"), i(1)).unwrap();
    check("insert", &a);
    d(&a).set_item(s("k"), i(2)).unwrap();
    check("replace", &a);
    d(&a).setdefault(&s("k2"), &i(3)).unwrap();
    check("setdefault", &a);
    d(&a).del_item(&s("k2")).unwrap();
    check("delete", &a);
    d(&a).pop(&s("k"), None).unwrap();
    check("pop", &a);
    d(&a).set_item(s("z"), i(9)).unwrap();
    d(&a).popitem().unwrap();
    check("popitem", &a);
    d(&a).set_item(s("z"), i(9)).unwrap();
    d(&a).clear();
    check("clear", &a);
    d(&b).update(&a).unwrap();
    d(&a).set_item(s("q"), i(1)).unwrap();
    d(&b).update(&a).unwrap();
    check("update", &b);
    for n in 0..100 {
        d(&b).set_item(i(n), i(n)).unwrap();
    }
    check("growth", &b);
}

#[test]
fn entry_positions_are_read_back_by_identity_only() {
    let a = dict::new();
    let k = weft_object::intern("dict_basic_entry_key");
    d(&a).set_item(s("other"), i(0)).unwrap();
    d(&a).set_item(k.to_ref(), i(1)).unwrap();
    let ix = d(&a).entry_index(k).unwrap().expect("present");
    assert_eq!(ix, 1);
    assert!(d(&a).get_at(ix, k).unwrap().is(&i(1)));
    // A replaced value is read at the same position.
    d(&a).set_item(k.to_ref(), i(2)).unwrap();
    assert!(d(&a).get_at(ix, k).unwrap().is(&i(2)));
    // An equal but different key object does not match; nor does another position.
    assert!(d(&a).get_at(ix, &s("dict_basic_entry_key")).is_none());
    assert!(d(&a).get_at(0, k).is_none());
    assert!(d(&a).get_at(99, k).is_none());
    // Deleted, then re-inserted at another position: the old position misses.
    d(&a).del_item(k).unwrap();
    assert!(d(&a).get_at(ix, k).is_none());
    d(&a).set_item(k.to_ref(), i(3)).unwrap();
    assert!(d(&a).get_at(ix, k).is_none());
    let ix2 = d(&a).entry_index(k).unwrap().expect("present again");
    assert!(d(&a).get_at(ix2, k).unwrap().is(&i(3)));
    assert!(d(&a).entry_index(&s("missing")).unwrap().is_none());
}
