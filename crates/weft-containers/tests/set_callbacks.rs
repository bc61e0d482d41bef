//! Set elements whose `__hash__` / `__eq__` fail (the error propagates, the set is unchanged)
//! or whose `__eq__` mutates the set being probed (no crash, consistent result, restart).

mod hash_support;

use hash_support::{Action, eq_calls, fresh_int, key, key_with, tkey};
use weft_containers::set::{self, Set};
use weft_object::{ObjRef, PyResult, int_from_i64};

/// Performs a key's `__eq__` action on the target set.
fn run(target: &ObjRef, action: Action) -> PyResult<()> {
    let s = Set::of(target).unwrap();
    match action {
        Action::Nothing => {}
        Action::ClearAndRefill(n) => {
            s.clear()?;
            for i in 0..n {
                s.add(&int_from_i64(i))?;
            }
        }
        Action::RemoveId(id) => {
            let victim = s
                .to_vec()
                .into_iter()
                .find(|k| tkey(k).is_some_and(|k| k.id == id))
                .expect("victim present");
            s.discard(&victim)?;
        }
        Action::InsertOne | Action::InsertAlways => {
            s.add(&fresh_int())?;
        }
    }
    Ok(())
}

fn with_target<R>(o: &ObjRef, f: impl FnOnce() -> R) -> R {
    hash_support::with_target(o, run, f)
}

fn reprs(s: Set<'_>) -> Vec<String> {
    s.to_vec().iter().map(|k| k.repr().unwrap()).collect()
}

#[test]
fn failing_hash_and_eq_propagate() {
    let o = set::new_set();
    let s = Set::of(&o).unwrap();
    s.add(&key(1, 5)).unwrap();
    s.add(&int_from_i64(5)).unwrap();
    let before = reprs(s);
    let bad_hash = key_with(2, 5, true, false, Action::Nothing);
    for r in [
        s.add(&bad_hash).map(|_| ()),
        s.contains(&bad_hash).map(|_| ()),
        s.discard(&bad_hash).map(|_| ()),
        s.remove(&bad_hash),
    ] {
        assert_eq!(r.unwrap_err().to_string(), "ValueError: hash failed");
    }
    let bad_eq = key_with(2, 5, false, true, Action::Nothing);
    for r in [
        s.add(&bad_eq).map(|_| ()),
        s.contains(&bad_eq).map(|_| ()),
        s.discard(&bad_eq).map(|_| ()),
    ] {
        assert_eq!(r.unwrap_err().to_string(), "ValueError: eq failed");
    }
    assert_eq!(reprs(s), before);
    // Set algebra propagates too.
    let other = set::new_set();
    Set::of(&other).unwrap().add(&key(3, 7)).unwrap();
    Set::of(&other).unwrap().add(&bad_eq).unwrap();
    for r in [
        s.intersection(&other).map(|_| ()),
        s.difference(&other).map(|_| ()),
        s.symmetric_difference(&other).map(|_| ()),
        s.union(&other).map(|_| ()),
    ] {
        assert_eq!(r.unwrap_err().to_string(), "ValueError: eq failed");
    }
    assert_eq!(reprs(s), before);
}

#[test]
fn eq_that_replaces_the_table_restarts() {
    let o = set::new_set();
    let s = Set::of(&o).unwrap();
    s.add(&key(1, 5)).unwrap();
    let probe = key_with(1, 5, false, false, Action::ClearAndRefill(100));
    assert!(!with_target(&o, || s.contains(&probe).unwrap()));
    assert_eq!(s.len(), 100);
    let k = key_with(9, 3, false, false, Action::Nothing);
    s.add(&k).unwrap();
    let probe = key_with(9, 3, false, false, Action::ClearAndRefill(10));
    with_target(&o, || s.add(&probe).unwrap());
    assert_eq!(s.len(), 11);
    assert!(s.contains(&probe).unwrap());
}

#[test]
fn eq_that_discards_the_candidate() {
    let o = set::new_set();
    let s = Set::of(&o).unwrap();
    s.add(&key(1, 5)).unwrap();
    s.add(&key(2, 6)).unwrap();
    let probe = key_with(1, 5, false, false, Action::RemoveId(1));
    assert!(!with_target(&o, || s.contains(&probe).unwrap()));
    assert_eq!(reprs(s), ["TKey(2)"]);
}

#[test]
fn eq_that_always_mutates_terminates() {
    let o = set::new_set();
    let s = Set::of(&o).unwrap();
    s.add(&key(1, 5)).unwrap();
    let probe = key_with(2, 5, false, false, Action::InsertAlways);
    assert!(!with_target(&o, || s.contains(&probe).unwrap()));
    assert!(eq_calls() < 64);
    with_target(&o, || s.add(&probe).unwrap());
    assert!(s.contains(&probe).unwrap());
}

#[test]
fn collision_chains() {
    let o = set::new_set();
    let s = Set::of(&o).unwrap();
    for id in 0..150 {
        s.add(&key(id, 11)).unwrap();
    }
    for id in (0..150).step_by(3) {
        assert!(s.discard(&key(id, 11)).unwrap());
    }
    for id in 0..150 {
        assert_eq!(s.contains(&key(id, 11)).unwrap(), id % 3 != 0);
    }
    assert_eq!(s.len(), 100);
}
