//! Loom models of [`weft_sync::gil::Gil`]: mutual exclusion with forced switches, and no
//! lost wake-up between a yielding holder and a waiter. Under loom a waiter sets the drop
//! request at once (there are no timed waits), so every model exercises the forced switch.
#![cfg(weft_loom)]

use loom::model::Builder;
use std::sync::atomic::{AtomicUsize, Ordering};
use weft_sync::gil::Gil;
use weft_sync::shim::{Arc, UnsafeCell, thread};

struct Shared {
    gil: Gil,
    n: UnsafeCell<u32>,
}

// SAFETY: `n` is only accessed by the thread holding `gil` (loom checks every access).
unsafe impl Sync for Shared {}

impl Shared {
    fn bump(&self) {
        // SAFETY: the caller holds the GIL.
        self.n.with_mut(|p| unsafe { *p += 1 });
    }

    /// Acquire, bump, offer a switch, bump, release: returns whether it switched.
    fn run(&self) -> bool {
        self.gil.acquire();
        self.bump();
        let switched = self.gil.yield_if_requested();
        self.bump();
        self.gil.release();
        switched
    }
}

/// A model builder: `None` explores every interleaving, `Some(n)` those with at most `n`
/// preemptions.
fn builder(bound: Option<usize>) -> Builder {
    let mut b = Builder::new();
    b.preemption_bound = bound;
    b
}

#[test]
fn gil_excludes_and_switches() {
    // Executions (over the whole model) in which a thread's yield_if_requested switched.
    static SWITCHED: AtomicUsize = AtomicUsize::new(0);
    builder(None).check(|| {
        let s = Arc::new(Shared {
            gil: Gil::new(),
            n: UnsafeCell::new(0),
        });
        let s2 = s.clone();
        let t = thread::spawn(move || s2.run());
        let a = s.run();
        let b = t.join().unwrap();
        if a || b {
            SWITCHED.fetch_add(1, Ordering::Relaxed);
        }
        s.gil.acquire();
        // SAFETY: the GIL is held.
        let n = s.n.with(|p| unsafe { *p });
        s.gil.release();
        assert_eq!(n, 4);
        assert!(!s.gil.is_locked());
    });
    assert!(
        SWITCHED.load(Ordering::Relaxed) > 0,
        "no execution forced a switch"
    );
}

#[test]
fn yielding_holder_lets_the_waiter_in() {
    builder(None).check(|| {
        let s = Arc::new(Shared {
            gil: Gil::new(),
            n: UnsafeCell::new(0),
        });
        s.gil.acquire();
        let s2 = s.clone();
        let t = thread::spawn(move || {
            s2.gil.acquire();
            s2.bump();
            s2.gil.release();
        });
        // The holder polls until the waiter has asked; then the switch is forced.
        while !s.gil.drop_requested() {
            thread::yield_now();
        }
        assert!(s.gil.yield_if_requested());
        // The waiter ran its critical section before the holder got the GIL back.
        // SAFETY: the GIL is held again.
        assert_eq!(s.n.with(|p| unsafe { *p }), 1);
        s.gil.release();
        t.join().unwrap();
    });
}
