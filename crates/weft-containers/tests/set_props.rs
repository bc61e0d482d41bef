//! State machine: random operations on a set against a `HashSet` model, checking contents
//! after every step (and that iteration yields each element exactly once); set algebra and
//! the subset relations against the model's.

use std::collections::HashSet;

use proptest::prelude::*;
use weft_containers::set::{self, Set};
use weft_object::{CompareOp, ObjRef, int_from_i64, str_obj};

fn key(n: u16) -> ObjRef {
    match n % 3 {
        0 => str_obj(format!("k{n}")),
        1 => int_from_i64(n as i64),
        _ => int_from_i64((1 << 40) + n as i64),
    }
}

fn unkey(o: &ObjRef) -> u16 {
    let r = o.repr().unwrap();
    if let Some(s) = r.strip_prefix("'k") {
        s.trim_end_matches('\'').parse().unwrap()
    } else {
        let v: i64 = r.parse().unwrap();
        (if v >= 1 << 40 { v - (1 << 40) } else { v }) as u16
    }
}

fn contents(s: Set<'_>) -> HashSet<u16> {
    let it = s.iter();
    let next = it.ty().slots.next.unwrap();
    let mut out = HashSet::new();
    while let Some(k) = next(&it).unwrap() {
        assert!(out.insert(unkey(&k)), "iteration repeated an element");
    }
    out
}

fn make(xs: &HashSet<u16>) -> ObjRef {
    let o = set::new_set();
    for &x in xs {
        Set::of(&o).unwrap().add(&key(x)).unwrap();
    }
    o
}

#[derive(Clone, Debug)]
enum Op {
    Add(u16),
    Discard(u16),
    Remove(u16),
    Pop,
    Clear,
    Bulk(u16, u16),
    Contains(u16),
    Algebra(HashSet<u16>, u8),
    InPlace(HashSet<u16>, u8),
    Relations(HashSet<u16>),
}

fn op() -> impl Strategy<Value = Op> {
    let k = 0u16..500;
    let other = prop::collection::hash_set(0u16..500, 0..60);
    prop_oneof![
        30 => k.clone().prop_map(Op::Add),
        10 => k.clone().prop_map(Op::Discard),
        6 => k.clone().prop_map(Op::Remove),
        5 => Just(Op::Pop),
        1 => Just(Op::Clear),
        3 => (k.clone(), 1u16..150).prop_map(|(a, n)| Op::Bulk(a, n)),
        10 => k.clone().prop_map(Op::Contains),
        4 => (other.clone(), 0u8..4).prop_map(|(o, w)| Op::Algebra(o, w)),
        4 => (other.clone(), 0u8..4).prop_map(|(o, w)| Op::InPlace(o, w)),
        3 => other.prop_map(Op::Relations),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn set_matches_model(ops in prop::collection::vec(op(), 1..250)) {
        let o = set::new_set();
        let s = Set::of(&o).unwrap();
        let mut m: HashSet<u16> = HashSet::new();
        for op in ops {
            match op {
                Op::Add(k) => {
                    s.add(&key(k)).unwrap();
                    m.insert(k);
                }
                Op::Discard(k) => assert_eq!(s.discard(&key(k)).unwrap(), m.remove(&k)),
                Op::Remove(k) => assert_eq!(s.remove(&key(k)).is_ok(), m.remove(&k)),
                Op::Pop => match s.pop() {
                    Ok(k) => assert!(m.remove(&unkey(&k))),
                    Err(_) => assert!(m.is_empty()),
                },
                Op::Clear => {
                    s.clear().unwrap();
                    m.clear();
                }
                Op::Bulk(a, n) => {
                    for k in a..a.saturating_add(n).min(2000) {
                        s.add(&key(k)).unwrap();
                        m.insert(k);
                    }
                }
                Op::Contains(k) => assert_eq!(s.contains(&key(k)).unwrap(), m.contains(&k)),
                Op::Algebra(other, which) => {
                    let ob = make(&other);
                    let (got, want): (ObjRef, HashSet<u16>) = match which {
                        0 => (s.union(&ob).unwrap(), m.union(&other).copied().collect()),
                        1 => (s.intersection(&ob).unwrap(), m.intersection(&other).copied().collect()),
                        2 => (s.difference(&ob).unwrap(), m.difference(&other).copied().collect()),
                        _ => (s.symmetric_difference(&ob).unwrap(), m.symmetric_difference(&other).copied().collect()),
                    };
                    let g = Set::of(&got).unwrap();
                    assert_eq!(g.len(), want.len());
                    assert_eq!(contents(g), want);
                }
                Op::InPlace(other, which) => {
                    let ob = make(&other);
                    match which {
                        0 => { s.update(&ob).unwrap(); m.extend(&other); }
                        1 => { s.intersection_update(&ob).unwrap(); m.retain(|x| other.contains(x)); }
                        2 => { s.difference_update(&ob).unwrap(); m.retain(|x| !other.contains(x)); }
                        _ => {
                            s.symmetric_difference_update(&ob).unwrap();
                            m = m.symmetric_difference(&other).copied().collect();
                        }
                    }
                }
                Op::Relations(other) => {
                    let ob = make(&other);
                    let os = Set::of(&ob).unwrap();
                    assert_eq!(s.issubset(&ob).unwrap(), m.is_subset(&other));
                    assert_eq!(s.issuperset(&ob).unwrap(), m.is_superset(&other));
                    assert_eq!(s.isdisjoint(&ob).unwrap(), m.is_disjoint(&other));
                    assert_eq!(s.compare(os, CompareOp::Eq).unwrap(), m == other);
                    assert_eq!(
                        s.compare(os, CompareOp::Lt).unwrap(),
                        m.is_subset(&other) && m.len() < other.len()
                    );
                    let f = set::frozenset_from_iter(&o).unwrap();
                    let g = set::frozenset_from_iter(&make(&m)).unwrap();
                    assert_eq!(f.hash().unwrap(), g.hash().unwrap());
                }
            }
            assert_eq!(s.len(), m.len());
            assert_eq!(contents(s), m);
        }
    }
}
