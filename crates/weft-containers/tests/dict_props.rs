//! State machine: random operations on a dict against a model (a `HashMap` plus an
//! insertion-order `Vec`), checking contents *and order* after every step. Keys are small
//! ints, heap ints and strings (three kinds that never compare equal), enough of them to force
//! many resizes, compactions and tombstones.

use std::collections::HashMap;

use proptest::prelude::*;
use weft_containers::dict::{self, Dict, IterKind};
use weft_object::{ObjRef, int_from_i64, str_obj};

/// Model key `n` as an object: a str, a small int or a heap int.
fn key(n: u16) -> ObjRef {
    match n % 3 {
        0 => str_obj(format!("k{n}")),
        1 => int_from_i64(n as i64),
        _ => int_from_i64((1 << 40) + n as i64),
    }
}

fn val(v: i64) -> ObjRef {
    int_from_i64(v)
}

fn as_i64(o: &ObjRef) -> i64 {
    o.repr().unwrap().parse().unwrap()
}

#[derive(Clone, Debug)]
enum Op {
    Set(u16, i64),
    Del(u16),
    Pop(u16, bool),
    PopItem,
    SetDefault(u16, i64),
    Get(u16),
    Bulk(u16, u16),
    Clear,
    CopyCheck,
    UpdateFromCopy(u16),
}

fn op() -> impl Strategy<Value = Op> {
    let k = 0u16..600;
    prop_oneof![
        30 => (k.clone(), any::<i64>()).prop_map(|(k, v)| Op::Set(k, v)),
        12 => k.clone().prop_map(Op::Del),
        6 => (k.clone(), any::<bool>()).prop_map(|(k, d)| Op::Pop(k, d)),
        5 => Just(Op::PopItem),
        5 => (k.clone(), any::<i64>()).prop_map(|(k, v)| Op::SetDefault(k, v)),
        10 => k.clone().prop_map(Op::Get),
        3 => (k.clone(), 1u16..200).prop_map(|(a, n)| Op::Bulk(a, n)),
        1 => Just(Op::Clear),
        2 => Just(Op::CopyCheck),
        2 => (1u16..40).prop_map(Op::UpdateFromCopy),
    ]
}

#[derive(Default)]
struct Model {
    map: HashMap<u16, i64>,
    order: Vec<u16>,
}

impl Model {
    fn set(&mut self, k: u16, v: i64) {
        if self.map.insert(k, v).is_none() {
            self.order.push(k);
        }
    }

    fn remove(&mut self, k: u16) -> Option<i64> {
        let v = self.map.remove(&k)?;
        self.order.retain(|&x| x != k);
        Some(v)
    }
}

fn check(d: Dict<'_>, m: &Model) {
    assert_eq!(d.len(), m.map.len());
    let items = d.items_vec();
    assert_eq!(items.len(), m.order.len());
    for ((k, v), mk) in items.iter().zip(&m.order) {
        assert!(k.eq(&key(*mk)).unwrap(), "order differs at key {mk}");
        assert_eq!(as_i64(v), m.map[mk]);
    }
    // The lock-free iterator agrees with the locked snapshot.
    let it = d.iter(IterKind::Keys);
    let next = it.ty().slots.next.unwrap();
    let mut n = 0;
    while let Some(k) = next(&it).unwrap() {
        assert!(k.eq(&key(m.order[n])).unwrap());
        n += 1;
    }
    assert_eq!(n, m.order.len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn dict_matches_model(ops in prop::collection::vec(op(), 1..300)) {
        let o = dict::new();
        let d = Dict::of(&o).unwrap();
        let mut m = Model::default();
        for op in ops {
            match op {
                Op::Set(k, v) => {
                    d.set_item(key(k), val(v)).unwrap();
                    m.set(k, v);
                }
                Op::Del(k) => {
                    let r = d.del_item(&key(k));
                    assert_eq!(r.is_ok(), m.remove(k).is_some());
                }
                Op::Pop(k, with_default) => {
                    let dflt = val(-7);
                    let r = d.pop(&key(k), with_default.then_some(&*dflt));
                    match (m.remove(k), r) {
                        (Some(v), Ok(got)) => assert_eq!(as_i64(&got), v),
                        (None, Ok(got)) => {
                            assert!(with_default);
                            assert_eq!(as_i64(&got), -7);
                        }
                        (None, Err(e)) => assert!(!with_default, "{e}"),
                        (Some(_), Err(e)) => panic!("pop failed: {e}"),
                    }
                }
                Op::PopItem => match (m.order.last().copied(), d.popitem()) {
                    (Some(k), Ok((gk, gv))) => {
                        assert!(gk.eq(&key(k)).unwrap());
                        assert_eq!(as_i64(&gv), m.remove(k).unwrap());
                    }
                    (None, Err(_)) => {}
                    (a, b) => panic!("popitem: model {a:?}, dict ok={}", b.is_ok()),
                },
                Op::SetDefault(k, v) => {
                    let got = d.setdefault(&key(k), &val(v)).unwrap();
                    let want = *m.map.get(&k).unwrap_or(&v);
                    m.set(k, want);
                    assert_eq!(as_i64(&got), want);
                }
                Op::Get(k) => {
                    let got = d.get(&key(k)).unwrap().map(|v| as_i64(&v));
                    assert_eq!(got, m.map.get(&k).copied());
                    assert_eq!(d.contains(&key(k)).unwrap(), m.map.contains_key(&k));
                }
                Op::Bulk(a, n) => {
                    for k in a..a.saturating_add(n).min(2000) {
                        d.set_item(key(k), val(k as i64)).unwrap();
                        m.set(k, k as i64);
                    }
                }
                Op::Clear => {
                    d.clear();
                    m.map.clear();
                    m.order.clear();
                }
                Op::CopyCheck => {
                    let c = d.copy();
                    assert!(Dict::of(&c).unwrap().eq(d).unwrap());
                    check(Dict::of(&c).unwrap(), &m);
                }
                Op::UpdateFromCopy(n) => {
                    // A second dict overlapping ours, merged in with update().
                    let other = dict::new();
                    let od = Dict::of(&other).unwrap();
                    for k in m.order.iter().take(n as usize).copied().collect::<Vec<_>>() {
                        od.set_item(key(k), val(1000 + k as i64)).unwrap();
                        m.set(k, 1000 + k as i64);
                    }
                    for k in 1000..1000 + n {
                        od.set_item(key(k), val(k as i64)).unwrap();
                        m.set(k, k as i64);
                    }
                    d.update(&other).unwrap();
                }
            }
            check(d, &m);
        }
    }
}
