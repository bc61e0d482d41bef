//! Loom models of critical sections (run by `cargo xtask loom`).
//!
//! nogil only: in the gil build sections compile to a plain call and exclusion comes from the
//! GIL, which `weft-sync`'s `loom_gil` models check.
#![cfg(all(weft_loom, feature = "nogil"))]

use loom::sync::Arc;
use loom::thread;
use weft_object::critical_section::{with_mutex, with_mutex2};
use weft_sync::RawMutex;
use weft_sync::shim::{UnsafeCell, model};

/// Two mutexes, each guarding a counter that only the innermost section touches.
struct Pair {
    a: RawMutex,
    b: RawMutex,
    ca: UnsafeCell<u32>,
    cb: UnsafeCell<u32>,
}

// SAFETY: `ca` is only accessed inside a critical section whose innermost entry holds `a`
// (and `cb` likewise with `b`); loom checks that claim.
unsafe impl Sync for Pair {}
// SAFETY: as above.
unsafe impl Send for Pair {}

fn bump(c: &UnsafeCell<u32>) {
    // SAFETY: called only inside a section holding the matching mutex (see Pair).
    c.with_mut(|p| unsafe { *p += 1 });
}

fn read(c: &UnsafeCell<u32>) -> u32 {
    // SAFETY: called after every thread was joined.
    c.with(|p| unsafe { *p })
}

fn pair() -> Arc<Pair> {
    Arc::new(Pair {
        a: RawMutex::new(),
        b: RawMutex::new(),
        ca: UnsafeCell::new(0),
        cb: UnsafeCell::new(0),
    })
}

/// Two-object sections taken as (a, b) and (b, a) never deadlock, and exclude each other.
#[test]
fn two_object_sections_in_opposite_orders() {
    model(|| {
        let p = pair();
        let q = p.clone();
        let t = thread::spawn(move || {
            with_mutex2(&q.b, &q.a, || {
                bump(&q.ca);
                bump(&q.cb);
            })
        });
        with_mutex2(&p.a, &p.b, || {
            bump(&p.ca);
            bump(&p.cb);
        });
        t.join().unwrap();
        assert_eq!((read(&p.ca), read(&p.cb)), (2, 2));
    });
}

/// Nested one-object sections in opposite orders (a then b, b then a): a classic deadlock with
/// plain mutexes; here the contended inner acquisition suspends the outer section.
#[test]
fn nested_sections_in_opposite_orders() {
    model(|| {
        let p = pair();
        let q = p.clone();
        let t = thread::spawn(move || {
            with_mutex(&q.b, || {
                bump(&q.cb);
                with_mutex(&q.a, || bump(&q.ca));
                bump(&q.cb); // resumed: b is held again
            })
        });
        with_mutex(&p.a, || {
            bump(&p.ca);
            with_mutex(&p.b, || bump(&p.cb));
            bump(&p.ca);
        });
        t.join().unwrap();
        assert_eq!((read(&p.ca), read(&p.cb)), (3, 3));
    });
}

/// Re-entering a section on a mutex the thread already holds does not deadlock, and the
/// mutex stays held until the outer section ends.
#[test]
fn reentry_does_not_deadlock() {
    model(|| {
        let p = pair();
        let q = p.clone();
        let t = thread::spawn(move || with_mutex(&q.a, || bump(&q.ca)));
        with_mutex(&p.a, || {
            with_mutex(&p.a, || bump(&p.ca));
            with_mutex2(&p.a, &p.a, || bump(&p.ca));
            bump(&p.ca);
        });
        t.join().unwrap();
        assert_eq!(read(&p.ca), 4);
        assert!(!p.a.is_locked());
    });
}
