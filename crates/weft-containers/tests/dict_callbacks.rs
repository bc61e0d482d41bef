//! Keys whose `__hash__` / `__eq__` fail (the error propagates and the dict is unchanged) or
//! whose `__eq__` mutates the very dict being probed (no crash, a consistent result, the probe
//! restarts when the table changed). The key type is a test-only static type with its own
//! hash and rich-comparison slots.

mod hash_support;

use hash_support::{Action, eq_calls, fresh_int, i, key, key_with, tkey};
use weft_containers::dict::{self, Dict};
use weft_object::{ExcKind, ObjRef, PyResult, int_from_i64};

/// Performs a key's `__eq__` action on the target dict.
fn run(target: &ObjRef, action: Action) -> PyResult<()> {
    let d = Dict::of(target).unwrap();
    match action {
        Action::Nothing => {}
        Action::ClearAndRefill(n) => {
            d.clear();
            for i in 0..n {
                d.set_item(int_from_i64(i), int_from_i64(i))?;
            }
        }
        Action::RemoveId(id) => {
            let victim = d
                .keys_vec()
                .into_iter()
                .find(|k| tkey(k).is_some_and(|k| k.id == id))
                .expect("victim present");
            d.del_item(&victim)?;
        }
        Action::InsertOne | Action::InsertAlways => {
            d.set_item(fresh_int(), int_from_i64(0))?;
        }
    }
    Ok(())
}

fn with_target<R>(o: &ObjRef, f: impl FnOnce() -> R) -> R {
    hash_support::with_target(o, run, f)
}

fn snapshot(d: Dict<'_>) -> Vec<(String, String)> {
    d.items_vec()
        .iter()
        .map(|(k, v)| (k.repr().unwrap(), v.repr().unwrap()))
        .collect()
}

#[test]
fn failing_hash_propagates_and_leaves_dict_unchanged() {
    let o = dict::new();
    let d = Dict::of(&o).unwrap();
    d.set_item(key(1, 5), i(1)).unwrap();
    let before = snapshot(d);
    let bad = key_with(2, 5, true, false, Action::Nothing);
    let msg = "ValueError: hash failed";
    assert_eq!(d.set_item(bad.clone(), i(2)).unwrap_err().to_string(), msg);
    assert_eq!(d.get(&bad).unwrap_err().to_string(), msg);
    assert_eq!(d.contains(&bad).unwrap_err().to_string(), msg);
    assert_eq!(d.del_item(&bad).unwrap_err().to_string(), msg);
    assert_eq!(d.pop(&bad, Some(&i(0))).unwrap_err().to_string(), msg);
    assert_eq!(d.setdefault(&bad, &i(0)).unwrap_err().to_string(), msg);
    assert_eq!(snapshot(d), before);
}

#[test]
fn failing_eq_propagates_and_leaves_dict_unchanged() {
    let o = dict::new();
    let d = Dict::of(&o).unwrap();
    d.set_item(key(1, 5), i(1)).unwrap();
    d.set_item(i(5), i(55)).unwrap(); // same hash, a builtin: compared inline
    let before = snapshot(d);
    let bad = key_with(2, 5, false, true, Action::Nothing);
    let msg = "ValueError: eq failed";
    assert_eq!(d.set_item(bad.clone(), i(2)).unwrap_err().to_string(), msg);
    assert_eq!(d.get(&bad).unwrap_err().to_string(), msg);
    assert_eq!(d.del_item(&bad).unwrap_err().to_string(), msg);
    assert_eq!(d.pop(&bad, None).unwrap_err().to_string(), msg);
    assert_eq!(snapshot(d), before);
    // The same object is found by identity without calling __eq__.
    d.set_item(bad.clone(), i(3)).unwrap_err();
    let other = dict::new();
    let od = Dict::of(&other).unwrap();
    od.set_item(bad.clone(), i(3)).unwrap();
    assert_eq!(od.getitem(&bad).unwrap().repr().unwrap(), "3");
    // update() propagates the error too, leaving what was merged so far.
    let e = d.update(&other).unwrap_err();
    assert_eq!(e.kind, ExcKind::ValueError);
    assert_eq!(snapshot(d), before);
}

#[test]
fn eq_that_replaces_the_table_restarts_the_lookup() {
    let o = dict::new();
    let d = Dict::of(&o).unwrap();
    d.set_item(key(1, 5), i(1)).unwrap();
    let probe = key_with(1, 5, false, false, Action::ClearAndRefill(100));
    let r = with_target(&o, || d.get(&probe).unwrap());
    // The equal key was cleared away by __eq__ before the answer could be used.
    assert!(r.is_none());
    assert_eq!(d.len(), 100);
    assert!(eq_calls() >= 1 && eq_calls() < 10);
}

#[test]
fn eq_that_replaces_the_table_during_insert() {
    let o = dict::new();
    let d = Dict::of(&o).unwrap();
    d.set_item(key(1, 5), i(1)).unwrap();
    let k = key_with(1, 5, false, false, Action::ClearAndRefill(50));
    with_target(&o, || d.set_item(k.clone(), i(7)).unwrap());
    assert_eq!(d.len(), 51);
    assert_eq!(d.getitem(&k).unwrap().repr().unwrap(), "7");
    // Order: the refill first, then the key inserted after the restart.
    assert_eq!(snapshot(d).last().unwrap().0, "TKey(1)");
}

#[test]
fn eq_that_deletes_the_candidate_restarts() {
    let o = dict::new();
    let d = Dict::of(&o).unwrap();
    d.set_item(key(1, 5), i(1)).unwrap();
    d.set_item(key(2, 9), i(2)).unwrap();
    let probe = key_with(1, 5, false, false, Action::RemoveId(1));
    let r = with_target(&o, || d.get(&probe).unwrap());
    assert!(r.is_none());
    assert_eq!(snapshot(d), [("TKey(2)".to_owned(), "2".to_owned())]);
    // Deleting through a key whose __eq__ deletes the candidate: KeyError, not a crash.
    d.set_item(key(3, 5), i(3)).unwrap();
    let probe = key_with(3, 5, false, false, Action::RemoveId(3));
    let e = with_target(&o, || d.del_item(&probe).unwrap_err());
    assert_eq!(e.kind, ExcKind::KeyError);
    assert_eq!(d.len(), 1);
}

#[test]
fn eq_that_mutates_elsewhere_keeps_the_answer() {
    let o = dict::new();
    let d = Dict::of(&o).unwrap();
    for k in 0..3 {
        d.set_item(i(k), i(k)).unwrap();
    }
    d.set_item(key(1, 5), i(42)).unwrap();
    let probe = key_with(1, 5, false, false, Action::InsertOne);
    let r = with_target(&o, || d.get(&probe).unwrap());
    assert_eq!(r.unwrap().repr().unwrap(), "42");
    assert_eq!(d.len(), 5);
}

#[test]
fn eq_that_always_mutates_terminates() {
    let o = dict::new();
    let d = Dict::of(&o).unwrap();
    d.set_item(key(1, 5), i(1)).unwrap();
    let probe = key_with(2, 5, false, false, Action::InsertAlways);
    let r = with_target(&o, || d.get(&probe).unwrap());
    assert!(r.is_none());
    assert!(eq_calls() < 64, "{} calls", eq_calls());
    let r = with_target(&o, || d.set_item(probe.clone(), i(9)));
    r.unwrap();
    assert_eq!(d.getitem(&probe).unwrap().repr().unwrap(), "9");
}

#[test]
fn long_collision_chains_with_tombstones() {
    let o = dict::new();
    let d = Dict::of(&o).unwrap();
    let keys: Vec<ObjRef> = (0..200).map(|id| key(id, 7)).collect();
    for (n, k) in keys.iter().enumerate() {
        d.set_item(k.clone(), i(n as i64)).unwrap();
    }
    for k in keys.iter().step_by(2) {
        d.del_item(k).unwrap();
    }
    for (n, k) in keys.iter().enumerate() {
        // A fresh but equal key goes through __eq__ for every candidate on the chain.
        let probe = key(n as i64, 7);
        let got = d.get(&probe).unwrap().map(|v| v.repr().unwrap());
        assert_eq!(got, (n % 2 == 1).then(|| n.to_string()));
        assert_eq!(d.get(k).unwrap().is_some(), n % 2 == 1);
    }
    assert_eq!(d.len(), 100);
}
