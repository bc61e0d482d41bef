//! Set elements whose `__hash__` / `__eq__` fail (the error propagates, the set is unchanged)
//! or whose `__eq__` mutates the set being probed (no crash, consistent result, restart).

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};

use weft_containers::set::{self, Set};
use weft_object::types::OBJECT_TYPE;
use weft_object::{
    CompareOp, ObjRef, Object, Payload, PyErr, PyResult, Slots, TypeObject, bool_obj, int_from_i64,
    not_implemented,
};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Action {
    Nothing,
    ClearAndRefill(i64),
    DiscardId(i64),
    AddAlways,
}

struct TKey {
    id: i64,
    hash: i64,
    fail_hash: bool,
    fail_eq: bool,
    action: Action,
    fired: AtomicBool,
}

static TKEY_TYPE: TypeObject = TypeObject::new_static::<TKey>(
    "TKey",
    Some(&OBJECT_TYPE),
    Slots {
        hash: Some(|o| {
            let k = o.downcast::<TKey>().unwrap();
            if k.fail_hash {
                Err(PyErr::value_error("hash failed"))
            } else {
                Ok(k.hash)
            }
        }),
        richcompare: Some(tkey_cmp),
        repr: Some(|o| Ok(format!("TKey({})", o.downcast::<TKey>().unwrap().id))),
        ..Slots::EMPTY
    },
);

impl Payload for TKey {
    fn type_object() -> &'static TypeObject {
        &TKEY_TYPE
    }
}

thread_local! {
    static TARGET: RefCell<Option<ObjRef>> = const { RefCell::new(None) };
    static EQ_CALLS: Cell<usize> = const { Cell::new(0) };
    static FRESH: Cell<i64> = const { Cell::new(1_000_000) };
}

fn run(action: Action) -> PyResult<()> {
    let Some(target) = TARGET.with(|t| t.borrow().clone()) else {
        return Ok(());
    };
    let s = Set::of(&target).unwrap();
    match action {
        Action::Nothing => {}
        Action::ClearAndRefill(n) => {
            s.clear()?;
            for i in 0..n {
                s.add(&int_from_i64(i))?;
            }
        }
        Action::DiscardId(id) => {
            let victim = s
                .to_vec()
                .into_iter()
                .find(|k| k.downcast::<TKey>().is_some_and(|k| k.id == id))
                .expect("victim present");
            s.discard(&victim)?;
        }
        Action::AddAlways => {
            let v = FRESH.with(|f| {
                f.set(f.get() + 1);
                f.get()
            });
            s.add(&int_from_i64(v))?;
        }
    }
    Ok(())
}

fn tkey_cmp(a: &Object, b: &Object, op: CompareOp) -> PyResult<ObjRef> {
    let (Some(x), Some(y)) = (a.downcast::<TKey>(), b.downcast::<TKey>()) else {
        return Ok(not_implemented().to_ref());
    };
    EQ_CALLS.with(|c| c.set(c.get() + 1));
    if x.fail_eq || y.fail_eq {
        return Err(PyErr::value_error("eq failed"));
    }
    for k in [x, y] {
        let once = k.action != Action::AddAlways;
        if k.action != Action::Nothing && !(once && k.fired.swap(true, Ordering::Relaxed)) {
            run(k.action)?;
        }
    }
    let eq = x.id == y.id;
    match op {
        CompareOp::Eq => Ok(bool_obj(eq)),
        CompareOp::Ne => Ok(bool_obj(!eq)),
        _ => Ok(not_implemented().to_ref()),
    }
}

fn key_with(id: i64, hash: i64, fail_hash: bool, fail_eq: bool, action: Action) -> ObjRef {
    ObjRef::new(TKey {
        id,
        hash,
        fail_hash,
        fail_eq,
        action,
        fired: AtomicBool::new(false),
    })
}

fn key(id: i64, hash: i64) -> ObjRef {
    key_with(id, hash, false, false, Action::Nothing)
}

fn reprs(s: Set<'_>) -> Vec<String> {
    s.to_vec().iter().map(|k| k.repr().unwrap()).collect()
}

fn with_target<R>(o: &ObjRef, f: impl FnOnce() -> R) -> R {
    TARGET.with(|t| *t.borrow_mut() = Some(o.clone()));
    EQ_CALLS.with(|c| c.set(0));
    let r = f();
    TARGET.with(|t| *t.borrow_mut() = None);
    r
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
    let probe = key_with(1, 5, false, false, Action::DiscardId(1));
    assert!(!with_target(&o, || s.contains(&probe).unwrap()));
    assert_eq!(reprs(s), ["TKey(2)"]);
}

#[test]
fn eq_that_always_mutates_terminates() {
    let o = set::new_set();
    let s = Set::of(&o).unwrap();
    s.add(&key(1, 5)).unwrap();
    let probe = key_with(2, 5, false, false, Action::AddAlways);
    assert!(!with_target(&o, || s.contains(&probe).unwrap()));
    assert!(EQ_CALLS.with(|c| c.get()) < 64);
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
