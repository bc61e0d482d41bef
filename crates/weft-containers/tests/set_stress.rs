//! Multi-thread stress of `set` with exact invariants, in both variants (gil: workers hold
//! the GIL and pass check points; nogil: parallel).
//!
//! * 4 threads x 10 000 distinct adds into one set: exactly 40 000 elements.
//! * 8 threads draining one shared iterator: every element exactly once.
//! * `a |= b` against `b |= a` and `a -= c` in loops: no deadlock.
//! * Lock-free `in` while writers add, discard and force resizes: stable elements are always
//!   found.

mod hash_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use hash_support::{Watchdog, as_i64, drain_in_parallel, i, on_threads, worker, xorshift};
use weft_containers::set::{self, Set, SetIter};
use weft_object::ObjRef;

#[test]
fn four_adders_distinct_keys() {
    let _w = Watchdog::new("four_adders_distinct_keys", 120);
    let o = set::new_set();
    on_threads(4, |t| {
        let o = o.clone();
        move |g| {
            let s = Set::of(&o).unwrap();
            for n in 0..10_000 {
                s.add(&i(t as i64 * 10_000 + n)).unwrap();
                if n % 64 == 0 {
                    g.check_point();
                }
            }
        }
    });
    let s = Set::of(&o).unwrap();
    assert_eq!(s.len(), 40_000);
    let mut all: Vec<i64> = s.to_vec().iter().map(as_i64).collect();
    all.sort_unstable();
    assert_eq!(all, (0..40_000).collect::<Vec<_>>());
}

#[test]
fn eight_threads_drain_one_iterator() {
    let _w = Watchdog::new("set eight_threads_drain_one_iterator", 120);
    let o = set::new_set();
    let s = Set::of(&o).unwrap();
    const N: i64 = 20_000;
    for k in 0..N {
        s.add(&i(k)).unwrap();
    }
    let all = drain_in_parallel(&s.iter(), 8, |it| {
        let k = it.downcast::<SetIter>().unwrap().next_key().unwrap()?;
        Some(as_i64(&k))
    });
    assert_eq!(all, (0..N).collect::<Vec<_>>());
}

#[test]
fn crossed_updates_do_not_deadlock() {
    let _w = Watchdog::new("set crossed_updates_do_not_deadlock", 180);
    let a = set::new_set();
    let b = set::new_set();
    let c = set::new_set();
    for k in 0..100 {
        Set::of(&a).unwrap().add(&i(k)).unwrap();
        Set::of(&b).unwrap().add(&i(k + 50)).unwrap();
        Set::of(&c).unwrap().add(&i(1_000 + k)).unwrap();
    }
    let spawn = |x: ObjRef, y: ObjRef, z: ObjRef| {
        worker(move |g| {
            let sx = Set::of(&x).unwrap();
            for n in 0..1_500i64 {
                sx.update(&y).unwrap();
                sx.difference_update(&z).unwrap();
                sx.add(&i(1_000 + n % 100)).unwrap();
                let _ = sx.issubset(&y).unwrap();
                let _ = Set::of(&y).unwrap().intersection(&x).unwrap();
                g.check_point();
            }
        })
    };
    let h1 = spawn(a.clone(), b.clone(), c.clone());
    let h2 = spawn(b.clone(), a.clone(), c.clone());
    h1.join().unwrap();
    h2.join().unwrap();
    for o in [&a, &b] {
        let s = Set::of(o).unwrap();
        for k in 0..150 {
            assert!(s.contains(&i(k)).unwrap());
        }
    }
}

#[test]
fn readers_during_writes_and_resizes() {
    let _w = Watchdog::new("set readers_during_writes_and_resizes", 240);
    const STABLE: i64 = 500;
    let o = set::new_set();
    for k in 0..STABLE {
        Set::of(&o).unwrap().add(&i(k)).unwrap();
    }
    let stop = Arc::new(AtomicBool::new(false));
    on_threads(4, |t| {
        let (o, stop) = (o.clone(), stop.clone());
        move |g| {
            let s = Set::of(&o).unwrap();
            if t < 2 {
                // Writers: add and discard elements of their own (forcing new tables).
                let base = 1_000_000 * (t as i64 + 1);
                for _ in 0..12 {
                    for n in 0..2_000 {
                        s.add(&i(base + n)).unwrap();
                        if n % 64 == 0 {
                            g.check_point();
                        }
                    }
                    for n in 0..2_000 {
                        assert!(s.discard(&i(base + n)).unwrap());
                        if n % 64 == 0 {
                            g.check_point();
                        }
                    }
                }
                stop.store(true, Ordering::Relaxed);
                return;
            }
            // Readers: lock-free `in`; stable elements must always be found.
            let mut x = 0x2545_f491_4f6c_dd1du64 ^ (t as u64 - 2);
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) || n < 20_000 {
                let k = (xorshift(&mut x) % STABLE as u64) as i64;
                assert!(s.contains(&i(k)).unwrap(), "a stable element vanished");
                n += 1;
                if n.is_multiple_of(64) {
                    g.check_point();
                }
            }
        }
    });
    let s = Set::of(&o).unwrap();
    assert_eq!(s.len() as i64, STABLE);
}
