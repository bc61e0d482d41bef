//! Multi-thread stress with exact invariants, in both variants: in the gil build the workers
//! hold the GIL (`attach`) and pass check points like Python threads, in the nogil build the
//! same code runs in parallel.
//!
//! * 4 threads x 10 000 distinct keys into one dict: exactly 40 000 entries, all correct.
//! * 8 threads draining one shared iterator: together they see every key exactly once.
//! * `a.update(b)` against `b.update(a)` in a loop: no deadlock (two-object sections).
//! * Lock-free readers while writers insert, delete, overwrite and force resizes: no crash,
//!   a never-deleted key is always found with its value, and every value object ever created
//!   is freed exactly once by the end (deferred frees included).

mod hash_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use hash_support::{Watchdog, as_i64, drain_in_parallel, i, on_threads, worker, xorshift};
use weft_containers::dict::{self, Dict, IterKind};
use weft_object::types::OBJECT_TYPE;
use weft_object::{ObjRef, Payload, Slots, TypeObject};

#[test]
fn four_writers_distinct_keys() {
    let _w = Watchdog::new("four_writers_distinct_keys", 120);
    let o = dict::new();
    on_threads(4, |t| {
        let o = o.clone();
        move |g| {
            let d = Dict::of(&o).unwrap();
            for n in 0..10_000 {
                let k = t as i64 * 10_000 + n;
                d.set_item(i(k), i(-k)).unwrap();
                if n % 64 == 0 {
                    g.check_point();
                }
            }
        }
    });
    let d = Dict::of(&o).unwrap();
    assert_eq!(d.len(), 40_000);
    assert_eq!(d.items_vec().len(), 40_000);
    for k in 0..40_000 {
        assert_eq!(as_i64(&d.getitem(&i(k)).unwrap()), -k);
    }
}

#[test]
fn eight_threads_drain_one_iterator() {
    let _w = Watchdog::new("eight_threads_drain_one_iterator", 120);
    let o = dict::new();
    let d = Dict::of(&o).unwrap();
    const N: i64 = 20_000;
    for k in 0..N {
        d.set_item(i(k), i(k)).unwrap();
    }
    // Tombstones in the middle: the claims must skip them.
    for k in (0..N).step_by(5) {
        d.del_item(&i(k)).unwrap();
    }
    for k in (0..N).step_by(5) {
        d.set_item(i(k), i(k)).unwrap();
    }
    let all = drain_in_parallel(&d.iter(IterKind::Items), 8, |it| {
        let di = it.downcast::<dict::DictIter>().unwrap();
        let (k, v) = di.next_item().unwrap()?;
        assert_eq!(as_i64(&k), as_i64(&v));
        Some(as_i64(&k))
    });
    assert_eq!(all, (0..N).collect::<Vec<_>>());
}

#[test]
fn crossed_updates_do_not_deadlock() {
    let _w = Watchdog::new("crossed_updates_do_not_deadlock", 180);
    let a = dict::new();
    let b = dict::new();
    for k in 0..100 {
        Dict::of(&a).unwrap().set_item(i(k), i(k)).unwrap();
        Dict::of(&b)
            .unwrap()
            .set_item(i(k + 50), i(k + 50))
            .unwrap();
    }
    let spawn = |x: ObjRef, y: ObjRef, extra: i64| {
        worker(move |g| {
            let dx = Dict::of(&x).unwrap();
            for n in 0..1_500i64 {
                dx.update(&y).unwrap();
                dx.set_item(i(1_000 + extra * 10_000 + n % 50), i(n))
                    .unwrap();
                g.check_point();
            }
        })
    };
    let h1 = spawn(a.clone(), b.clone(), 0);
    let h2 = spawn(b.clone(), a.clone(), 1);
    h1.join().unwrap();
    h2.join().unwrap();
    let (da, db) = (Dict::of(&a).unwrap(), Dict::of(&b).unwrap());
    for k in 0..150 {
        assert!(da.contains(&i(k)).unwrap());
        assert!(db.contains(&i(k)).unwrap());
    }
}

/// A value type that counts its frees.
struct Counted(i64);

static CREATED: AtomicUsize = AtomicUsize::new(0);
static FREED: AtomicUsize = AtomicUsize::new(0);

impl Drop for Counted {
    fn drop(&mut self) {
        FREED.fetch_add(1, Ordering::Relaxed);
    }
}

weft_sync::shim_static! {
    static COUNTED_TYPE: TypeObject = TypeObject::new_static::<Counted>(
        "Counted",
        Some(&OBJECT_TYPE),
        Slots {
            repr: Some(|o| Ok(o.downcast::<Counted>().unwrap().0.to_string())),
            ..Slots::EMPTY
        },
    );
}

impl Payload for Counted {
    fn type_object() -> &'static TypeObject {
        &COUNTED_TYPE
    }
}

fn counted(v: i64) -> ObjRef {
    CREATED.fetch_add(1, Ordering::Relaxed);
    ObjRef::new(Counted(v))
}

#[test]
fn readers_during_writes_and_resizes() {
    let _w = Watchdog::new("readers_during_writes_and_resizes", 240);
    const STABLE: i64 = 500;
    let o = dict::new();
    {
        let d = Dict::of(&o).unwrap();
        for k in 0..STABLE {
            d.set_item(i(k), counted(k)).unwrap();
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    on_threads(4, |t| {
        let (o, stop) = (o.clone(), stop.clone());
        move |g| {
            let d = Dict::of(&o).unwrap();
            if t < 2 {
                // Writers: churn keys of their own (forcing new tables), overwrite stable
                // values.
                let base = 1_000_000 * (t as i64 + 1);
                for round in 0..12 {
                    for n in 0..2_000 {
                        d.set_item(i(base + n), counted(n)).unwrap();
                        if n % 7 == 0 {
                            let k = (n * 13 + round) % STABLE;
                            d.set_item(i(k), counted(k)).unwrap();
                        }
                        if n % 64 == 0 {
                            g.check_point();
                        }
                    }
                    for n in 0..2_000 {
                        d.del_item(&i(base + n)).unwrap();
                        if n % 64 == 0 {
                            g.check_point();
                        }
                    }
                }
                stop.store(true, Ordering::Relaxed);
                return;
            }
            // Readers: lock-free lookups and iteration; stable keys must always be there.
            let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ (t as u64 - 2);
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) || n < 20_000 {
                let k = (xorshift(&mut x) % STABLE as u64) as i64;
                let v = d.get(&i(k)).unwrap().expect("a stable key vanished");
                assert_eq!(as_i64(&v), k);
                if n.is_multiple_of(4096) {
                    // A weakly consistent lock-free walk must not crash either.
                    let it = d.iter(IterKind::Values);
                    let di = it.downcast::<dict::DictIter>().unwrap();
                    while let Ok(Some(_)) = di.next_item() {}
                }
                n += 1;
                if n.is_multiple_of(64) {
                    g.check_point();
                }
            }
        }
    });
    let d = Dict::of(&o).unwrap();
    assert_eq!(d.len() as i64, STABLE);
    for k in 0..STABLE {
        assert_eq!(as_i64(&d.getitem(&i(k)).unwrap()), k);
    }
    d.clear();
    drop(o);
    // Everything deferred is freed once no thread can be reading.
    for _ in 0..10 {
        dict::reclaim_now();
        if FREED.load(Ordering::Relaxed) == CREATED.load(Ordering::Relaxed) {
            break;
        }
        thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        FREED.load(Ordering::Relaxed),
        CREATED.load(Ordering::Relaxed)
    );
}
