//! Helpers shared by the hash-table tests (`dict_*`, `set_*`): the multi-thread stress harness
//! (attached workers, a deadlock watchdog, int helpers) and `TKey`, a test-only key type with
//! its own hash and rich-comparison slots whose `__hash__` / `__eq__` can fail or mutate the
//! container being probed.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use weft_object::types::OBJECT_TYPE;
use weft_object::{
    CompareOp, ObjRef, Object, Payload, PyErr, PyResult, Slots, TypeObject, bool_obj, int_from_i64,
    not_implemented,
};
use weft_refcount::AttachGuard;

// ---------------------------------------------------------------------------------------
// Stress harness
// ---------------------------------------------------------------------------------------

/// Runs `f` on a new thread attached to the runtime (holding the GIL in the gil build).
pub fn worker<T: Send + 'static>(
    f: impl FnOnce(&AttachGuard) -> T + Send + 'static,
) -> thread::JoinHandle<T> {
    thread::spawn(move || {
        let g = weft_refcount::attach();
        let r = f(&g);
        drop(g);
        weft_refcount::thread_exit();
        r
    })
}

/// Spawns `n` [`worker`]s that start together (each waits on one barrier, detached, then runs
/// the closure `make(t)` built for it on this thread, `t` in `0..n`), joins them in order and
/// returns their results.
pub fn on_threads<T, F>(n: usize, mut make: impl FnMut(usize) -> F) -> Vec<T>
where
    T: Send + 'static,
    F: FnOnce(&AttachGuard) -> T + Send + 'static,
{
    let barrier = Arc::new(Barrier::new(n));
    let hs: Vec<_> = (0..n)
        .map(|t| {
            let (f, barrier) = (make(t), barrier.clone());
            worker(move |g| {
                g.blocking(|| barrier.wait());
                f(g)
            })
        })
        .collect();
    hs.into_iter().map(|h| h.join().unwrap()).collect()
}

/// Drains the shared iterator `it` from `threads` workers at once (started together, a check
/// point every 32 items each); `next` claims one item, an int, per call. Returns every item
/// claimed, sorted.
pub fn drain_in_parallel(
    it: &ObjRef,
    threads: usize,
    next: fn(&ObjRef) -> Option<i64>,
) -> Vec<i64> {
    let mut all = on_threads(threads, |_| {
        let it = it.clone();
        move |g| {
            let mut mine = Vec::new();
            while let Some(k) = next(&it) {
                mine.push(k);
                if mine.len().is_multiple_of(32) {
                    g.check_point();
                }
            }
            mine
        }
    })
    .concat();
    all.sort_unstable();
    all
}

/// One xorshift64 step on `x`; returns the new value.
pub fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// Aborts the process if the test takes longer than `secs` (a deadlock would hang forever).
pub struct Watchdog(Arc<AtomicBool>);

impl Watchdog {
    pub fn new(name: &'static str, secs: u64) -> Watchdog {
        let done = Arc::new(AtomicBool::new(false));
        let d = done.clone();
        thread::spawn(move || {
            for _ in 0..secs * 10 {
                if d.load(Ordering::Relaxed) {
                    return;
                }
                thread::sleep(Duration::from_millis(100));
            }
            eprintln!("{name}: no progress after {secs}s (deadlock?)");
            std::process::abort();
        });
        Watchdog(done)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// An int object.
pub fn i(v: i64) -> ObjRef {
    int_from_i64(v)
}

/// The value of an object whose repr is an int (an int, or a test value type).
pub fn as_i64(o: &ObjRef) -> i64 {
    o.repr().unwrap().parse().unwrap()
}

// ---------------------------------------------------------------------------------------
// TKey: keys with failing or mutating __hash__ / __eq__
// ---------------------------------------------------------------------------------------

/// What a key's `__eq__` does to the target container before answering (once per key, except
/// [`Action::InsertAlways`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    Nothing,
    /// Clear the target and insert `n` int keys (forces a new table).
    ClearAndRefill(i64),
    /// Remove the `TKey` with this id from the target.
    RemoveId(i64),
    /// Insert one fresh int key (no new table unless it happens to fill up).
    InsertOne,
    /// Insert a fresh int key on *every* call.
    InsertAlways,
}

/// Performs an [`Action`] on the target container (a dict or a set).
pub type Runner = fn(&ObjRef, Action) -> PyResult<()>;

pub struct TKey {
    pub id: i64,
    hash: i64,
    fail_hash: bool,
    fail_eq: bool,
    action: Action,
    fired: AtomicBool,
}

weft_sync::shim_static! {
    static TKEY_TYPE: TypeObject = TypeObject::new_static::<TKey>(
        "TKey",
        Some(&OBJECT_TYPE),
        Slots {
            hash: Some(tkey_hash),
            richcompare: Some(tkey_cmp),
            repr: Some(|o| Ok(format!("TKey({})", tkey(o).unwrap().id))),
            ..Slots::EMPTY
        },
    );
}

impl Payload for TKey {
    fn type_object() -> &'static TypeObject {
        &TKEY_TYPE
    }
}

thread_local! {
    static TARGET: RefCell<Option<(ObjRef, Runner)>> = const { RefCell::new(None) };
    static EQ_CALLS: Cell<usize> = const { Cell::new(0) };
    static FRESH: Cell<i64> = const { Cell::new(1_000_000) };
}

/// `o` as a `TKey`, if it is one.
pub fn tkey(o: &Object) -> Option<&TKey> {
    o.downcast::<TKey>()
}

fn tkey_hash(o: &Object) -> PyResult<i64> {
    let k = tkey(o).unwrap();
    if k.fail_hash {
        Err(PyErr::value_error("hash failed"))
    } else {
        Ok(k.hash)
    }
}

/// A fresh int object (a new value on every call on this thread).
pub fn fresh_int() -> ObjRef {
    FRESH.with(|f| {
        f.set(f.get() + 1);
        int_from_i64(f.get())
    })
}

fn run(action: Action) -> PyResult<()> {
    let Some((target, runner)) = TARGET.with(|t| t.borrow().clone()) else {
        return Ok(());
    };
    runner(&target, action)
}

fn tkey_cmp(a: &Object, b: &Object, op: CompareOp) -> PyResult<ObjRef> {
    let (Some(x), Some(y)) = (tkey(a), tkey(b)) else {
        return Ok(not_implemented().to_ref());
    };
    EQ_CALLS.with(|c| c.set(c.get() + 1));
    if x.fail_eq || y.fail_eq {
        return Err(PyErr::value_error("eq failed"));
    }
    for k in [x, y] {
        let once = k.action != Action::InsertAlways;
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

/// A plain `TKey`.
pub fn key(id: i64, hash: i64) -> ObjRef {
    key_with(id, hash, false, false, Action::Nothing)
}

/// A `TKey` whose `__hash__` / `__eq__` fail as asked and whose `__eq__` performs `action`.
pub fn key_with(id: i64, hash: i64, fail_hash: bool, fail_eq: bool, action: Action) -> ObjRef {
    ObjRef::new(TKey {
        id,
        hash,
        fail_hash,
        fail_eq,
        action,
        fired: AtomicBool::new(false),
    })
}

/// Runs `f` with `o` as the target of the keys' actions (performed by `runner`), counting
/// `__eq__` calls from zero.
pub fn with_target<R>(o: &ObjRef, runner: Runner, f: impl FnOnce() -> R) -> R {
    TARGET.with(|t| *t.borrow_mut() = Some((o.clone(), runner)));
    EQ_CALLS.with(|c| c.set(0));
    let r = f();
    TARGET.with(|t| *t.borrow_mut() = None);
    r
}

/// `__eq__` calls since the last [`with_target`] began.
pub fn eq_calls() -> usize {
    EQ_CALLS.with(|c| c.get())
}
