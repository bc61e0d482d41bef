//! A proptest state machine for `list` against a `Vec<i64>` model with Python's semantics
//! (written independently of the list's own index arithmetic): append, insert (negative and
//! out-of-range positions), pop, remove, clear, extend (also from itself), item and slice
//! assignment and deletion with any step, sort, reverse, index, count. The contents are
//! compared after every step, and reference counts are checked at the end.
//!
//! The machine runs on a list private to the test thread (garbage is freed at once) and on a
//! list created by another thread (in the nogil build the list is then *shared*: reads are
//! lock-free on the online test thread and every removal is deferred through QSBR), attached
//! and not.

mod seq_support;

use proptest::prelude::*;
use seq_support::{int, val, vals};
use weft_containers::{List, Slice, empty_list, new_tuple};
use weft_object::ExcKind;

#[derive(Clone, Debug)]
enum Op {
    Append(i64),
    Insert(i64, i64),
    Pop(Option<i64>),
    Remove(i64),
    Clear,
    Extend(Vec<i64>),
    ExtendSelf,
    ExtendTuple(Vec<i64>),
    SetItem(i64, i64),
    DelItem(i64),
    SetSlice(Option<i64>, Option<i64>, Option<i64>, Vec<i64>),
    DelSlice(Option<i64>, Option<i64>, Option<i64>),
    Sort(bool),
    Reverse,
    Index(i64),
    Count(i64),
    Get(i64),
}

fn value() -> impl Strategy<Value = i64> {
    // Small (immortal) ints and big (allocated) ones.
    prop_oneof![0i64..8, (0i64..4).prop_map(|k| (1 << 40) + k)]
}

fn idx() -> impl Strategy<Value = i64> {
    -12i64..12
}

fn bound() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![Just(None), (-12i64..12).prop_map(Some)]
}

fn step() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![
        Just(None),
        Just(Some(1)),
        Just(Some(-1)),
        (-3i64..4).prop_map(Some)
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => value().prop_map(Op::Append),
        2 => (idx(), value()).prop_map(|(i, v)| Op::Insert(i, v)),
        2 => prop_oneof![Just(None), idx().prop_map(Some)].prop_map(Op::Pop),
        1 => value().prop_map(Op::Remove),
        1 => Just(Op::Clear),
        1 => prop::collection::vec(value(), 0..6).prop_map(Op::Extend),
        1 => Just(Op::ExtendSelf),
        1 => prop::collection::vec(value(), 0..3).prop_map(Op::ExtendTuple),
        1 => (idx(), value()).prop_map(|(i, v)| Op::SetItem(i, v)),
        1 => idx().prop_map(Op::DelItem),
        2 => (bound(), bound(), step(), prop::collection::vec(value(), 0..5))
            .prop_map(|(a, b, c, v)| Op::SetSlice(a, b, c, v)),
        1 => (bound(), bound(), step()).prop_map(|(a, b, c)| Op::DelSlice(a, b, c)),
        1 => any::<bool>().prop_map(Op::Sort),
        1 => Just(Op::Reverse),
        1 => value().prop_map(Op::Index),
        1 => value().prop_map(Op::Count),
        1 => idx().prop_map(Op::Get),
    ]
}

/// The positions `range(*slice(a, b, c).indices(len))` selects, computed the plain way.
fn model_positions(
    len: usize,
    a: Option<i64>,
    b: Option<i64>,
    c: Option<i64>,
) -> Option<Vec<usize>> {
    let step = c.unwrap_or(1);
    if step == 0 {
        return None;
    }
    let n = len as i64;
    let norm = |v: i64| if v < 0 { v + n } else { v };
    let mut out = Vec::new();
    if step > 0 {
        let start = a.map_or(0, norm).clamp(0, n);
        let stop = b.map_or(n, norm).clamp(0, n);
        let mut i = start;
        while i < stop {
            out.push(i as usize);
            i += step;
        }
    } else {
        let start = a.map_or(n - 1, norm).clamp(-1, n - 1);
        let stop = b.map_or(-1, norm).clamp(-1, n - 1);
        let mut i = start;
        while i > stop {
            out.push(i as usize);
            i += step;
        }
    }
    Some(out)
}

fn norm_index(i: i64, len: usize) -> Option<usize> {
    let j = if i < 0 { i + len as i64 } else { i };
    (0..len as i64).contains(&j).then_some(j as usize)
}

fn ints(v: &[i64]) -> Vec<weft_object::ObjRef> {
    v.iter().map(|&x| int(x)).collect()
}

/// A new empty list, made by another thread when `foreign` (so this thread is not its owner).
fn make_list(foreign: bool) -> weft_object::ObjRef {
    if foreign {
        std::thread::spawn(empty_list).join().unwrap()
    } else {
        empty_list()
    }
}

fn run(ops: Vec<Op>, foreign: bool) -> Result<(), TestCaseError> {
    let o = make_list(foreign);
    let l = List::of(&o).unwrap();
    let mut m: Vec<i64> = Vec::new();
    for op in ops {
        match op.clone() {
            Op::Append(v) => {
                l.append(int(v)).unwrap();
                m.push(v);
            }
            Op::Insert(i, v) => {
                l.insert(i, int(v)).unwrap();
                let n = m.len() as i64;
                let p = if i < 0 { (i + n).max(0) } else { i.min(n) };
                m.insert(p as usize, v);
            }
            Op::Pop(i) => {
                let r = l.pop(i);
                if m.is_empty() {
                    prop_assert_eq!(r.unwrap_err().msg, "pop from empty list");
                } else {
                    match norm_index(i.unwrap_or(-1), m.len()) {
                        Some(j) => prop_assert_eq!(val(&r.unwrap()), m.remove(j)),
                        None => prop_assert_eq!(r.unwrap_err().msg, "pop index out of range"),
                    }
                }
            }
            Op::Remove(v) => {
                let r = l.remove(&int(v));
                match m.iter().position(|&x| x == v) {
                    Some(p) => {
                        r.unwrap();
                        m.remove(p);
                    }
                    None => prop_assert_eq!(r.unwrap_err().kind, ExcKind::ValueError),
                }
            }
            Op::Clear => {
                l.clear();
                m.clear();
            }
            Op::Extend(vs) => {
                l.extend(&weft_containers::new_list(ints(&vs))).unwrap();
                m.extend(vs);
            }
            Op::ExtendSelf => {
                l.extend(&o).unwrap();
                m.extend(m.clone());
            }
            Op::ExtendTuple(vs) => {
                l.extend(&new_tuple(ints(&vs))).unwrap();
                m.extend(vs);
            }
            Op::SetItem(i, v) => {
                let r = l.set(i, int(v));
                match norm_index(i, m.len()) {
                    Some(j) => {
                        r.unwrap();
                        m[j] = v;
                    }
                    None => prop_assert_eq!(r.unwrap_err().kind, ExcKind::IndexError),
                }
            }
            Op::DelItem(i) => {
                let r = l.del(i);
                match norm_index(i, m.len()) {
                    Some(j) => {
                        r.unwrap();
                        m.remove(j);
                    }
                    None => prop_assert_eq!(r.unwrap_err().kind, ExcKind::IndexError),
                }
            }
            Op::SetSlice(a, b, c, vs) => {
                let r = l.set_slice(&Slice::new(a, b, c), ints(&vs));
                match model_positions(m.len(), a, b, c) {
                    None => prop_assert_eq!(r.unwrap_err().msg, "slice step cannot be zero"),
                    Some(pos) if c.unwrap_or(1) == 1 => {
                        r.unwrap();
                        // Step 1: replace start..max(start, stop) (start resolved as above).
                        let n = m.len() as i64;
                        let norm = |v: i64| if v < 0 { v + n } else { v };
                        let lo = a.map_or(0, norm).clamp(0, n) as usize;
                        let hi = (b.map_or(n, norm).clamp(0, n) as usize).max(lo);
                        debug_assert_eq!(pos.len(), hi - lo);
                        m.splice(lo..hi, vs);
                    }
                    Some(pos) => {
                        if pos.len() != vs.len() {
                            prop_assert_eq!(r.unwrap_err().kind, ExcKind::ValueError);
                        } else {
                            r.unwrap();
                            for (p, v) in pos.into_iter().zip(vs) {
                                m[p] = v;
                            }
                        }
                    }
                }
            }
            Op::DelSlice(a, b, c) => {
                let r = l.del_slice(&Slice::new(a, b, c));
                match model_positions(m.len(), a, b, c) {
                    None => prop_assert_eq!(r.unwrap_err().kind, ExcKind::ValueError),
                    Some(pos) => {
                        r.unwrap();
                        let keep: Vec<i64> = m
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| !pos.contains(i))
                            .map(|(_, &v)| v)
                            .collect();
                        m = keep;
                    }
                }
            }
            Op::Sort(rev) => {
                l.sort(rev).unwrap();
                m.sort();
                if rev {
                    m.reverse();
                }
            }
            Op::Reverse => {
                l.reverse();
                m.reverse();
            }
            Op::Index(v) => {
                let r = l.index(&int(v), None, None);
                match m.iter().position(|&x| x == v) {
                    Some(p) => prop_assert_eq!(r.unwrap(), p),
                    None => prop_assert_eq!(r.unwrap_err().kind, ExcKind::ValueError),
                }
            }
            Op::Count(v) => {
                prop_assert_eq!(
                    l.count(&int(v)).unwrap(),
                    m.iter().filter(|&&x| x == v).count()
                );
            }
            Op::Get(i) => {
                let r = l.get(i);
                match norm_index(i, m.len()) {
                    Some(j) => prop_assert_eq!(val(&r.unwrap()), m[j]),
                    None => prop_assert_eq!(r.unwrap_err().msg, "list index out of range"),
                }
            }
        }
        prop_assert_eq!(&vals(&o), &m, "after {:?}", op);
        // The eval loop's check point (a quiescent point for an online thread).
        weft_sync::qsbr::quiescent();
        prop_assert_eq!(l.len(), m.len());
    }
    if !foreign {
        prop_assert!(
            !l.is_shared(),
            "a list only its creator touched stays private"
        );
    }
    Ok(())
}

/// Reference counts are exact once the list is gone (and deferred releases have run).
fn check_counts(ops: Vec<Op>, foreign: bool) -> Result<(), TestCaseError> {
    let probe = weft_object::int_from_i64((1 << 40) + 1);
    let base = probe.count();
    {
        let o = make_list(foreign);
        let l = List::of(&o).unwrap();
        for op in ops {
            if let Op::Append(_) | Op::Insert(..) | Op::Extend(_) = op {
                l.append(probe.clone()).unwrap();
            }
            match op {
                Op::Pop(i) => drop(l.pop(i)),
                Op::Clear => l.clear(),
                Op::ExtendSelf => l.extend(&o).unwrap(),
                Op::DelSlice(a, b, c) => drop(l.del_slice(&Slice::new(a, b, c))),
                Op::Sort(r) => l.sort(r).unwrap(),
                Op::Remove(_) => drop(l.remove(&probe)),
                _ => {}
            }
        }
    }
    seq_support::drain_until(|| probe.count() <= base);
    prop_assert_eq!(probe.count(), base);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn list_matches_model_private_attached(ops in prop::collection::vec(op(), 1..40)) {
        let _t = seq_support::PyThread::attach();
        run(ops, false)?;
    }

    #[test]
    fn list_matches_model_shared_attached(ops in prop::collection::vec(op(), 1..40)) {
        let _t = seq_support::PyThread::attach();
        run(ops, true)?;
    }

    #[test]
    fn list_matches_model_shared_unattached(ops in prop::collection::vec(op(), 1..40)) {
        run(ops, true)?;
    }

    #[test]
    fn counts_exact(ops in prop::collection::vec(op(), 1..40), foreign in any::<bool>()) {
        check_counts(ops, foreign)?;
    }
}
