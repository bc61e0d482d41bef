//! Loom models of [`weft_sync::RawMutex`]: mutual exclusion, no lost wake-up, and the handoff
//! to a starving waiter. Run with
//! `RUSTFLAGS="--cfg weft_loom" cargo test -p weft-sync --release --test loom_mutex`.
//!
//! Under loom a waiter counts as starving once it has been woken without getting the lock (time
//! does not pass in a model), and the futex is modelled so that a lost wake-up is a deadlock
//! (see `weft_sync::shim::futex_wait`).
#![cfg(weft_loom)]

use loom::model::Builder;
use std::sync::atomic::{AtomicUsize, Ordering};
use weft_sync::RawMutex;
use weft_sync::shim::{Arc, UnsafeCell, thread};
use weft_sync::stats::{self, Event, Stats};

/// A counter that is only touched under `m`; loom's `UnsafeCell` checks that claim.
struct Shared {
    m: RawMutex,
    n: UnsafeCell<u32>,
}

// SAFETY: `n` is only accessed while `m` is held (and loom checks every access for races).
unsafe impl Sync for Shared {}

impl Shared {
    fn new() -> Arc<Shared> {
        Arc::new(Shared {
            m: RawMutex::new(),
            n: UnsafeCell::new(0),
        })
    }

    /// Adds one to the counter; the caller holds `m`.
    fn bump_locked(&self) {
        // SAFETY: the caller holds `m`, so no other access to `n` is concurrent.
        self.n.with_mut(|p| unsafe { *p += 1 });
    }

    fn incr(&self) {
        self.m.lock();
        self.bump_locked();
        // SAFETY: locked just above by this thread.
        unsafe { self.m.unlock() };
    }

    fn get(&self) -> u32 {
        self.m.lock();
        // SAFETY: `m` is held.
        let n = self.n.with(|p| unsafe { *p });
        // SAFETY: locked just above by this thread.
        unsafe { self.m.unlock() };
        n
    }
}

/// The tests run one at a time, so that the event counts a test reads are its own.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Checks `f` as a loom model: `None` explores every interleaving (the two-thread models are
/// small enough), `Some(n)` those with at most `n` preemptions. Prints how many executions were
/// explored, fails if the model was trivial, and returns the events counted over all of them
/// (so a test can check that the path it is about was taken in some execution).
fn check<F: Fn() + Sync + Send + 'static>(name: &str, bound: Option<usize>, f: F) -> Stats {
    static EXECUTIONS: AtomicUsize = AtomicUsize::new(0);
    EXECUTIONS.store(0, Ordering::Relaxed);
    let before = stats::snapshot();
    let mut b = Builder::new();
    b.preemption_bound = bound;
    b.check(move || {
        EXECUTIONS.fetch_add(1, Ordering::Relaxed);
        f()
    });
    let n = EXECUTIONS.load(Ordering::Relaxed);
    let events = stats::snapshot().since(&before);
    eprintln!(
        "{name}: {n} executions explored (preemption bound {bound:?}); parks {}, handoffs {}",
        events.get(Event::LockPark),
        events.get(Event::LockHandoff)
    );
    assert!(n > 1);
    events
}

#[test]
fn mutual_exclusion_two_threads() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    check("mutual_exclusion_two_threads", None, || {
        let s = Shared::new();
        let s2 = s.clone();
        let t = thread::spawn(move || s2.incr());
        s.incr();
        t.join().unwrap();
        assert_eq!(s.get(), 2);
        assert!(!s.m.is_locked());
    });
}

#[test]
fn mutual_exclusion_three_threads() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    check("mutual_exclusion_three_threads", Some(4), || {
        let s = Shared::new();
        let ts: Vec<_> = (0..2)
            .map(|_| {
                let s = s.clone();
                thread::spawn(move || s.incr())
            })
            .collect();
        s.incr();
        for t in ts {
            t.join().unwrap();
        }
        assert_eq!(s.get(), 3);
    });
}

#[test]
fn try_lock_excludes_and_lock_waits() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    check("try_lock_excludes_and_lock_waits", None, || {
        let s = Shared::new();
        let s2 = s.clone();
        let t = thread::spawn(move || {
            if s2.m.try_lock() {
                s2.bump_locked();
                // SAFETY: taken by the successful try_lock.
                unsafe { s2.m.unlock() };
            }
        });
        s.m.lock();
        s.bump_locked();
        // SAFETY: locked just above by this thread.
        unsafe { s.m.unlock() };
        t.join().unwrap();
        let n = s.get();
        assert!(n == 1 || n == 2);
    });
}

#[test]
fn no_lost_wakeup() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // The main thread holds the lock while the other one arrives; whatever the interleaving
    // (the waiter spinning, about to park, or asleep), the unlock must let it in.
    let events = check("no_lost_wakeup", None, || {
        let s = Shared::new();
        s.m.lock();
        let s2 = s.clone();
        let t = thread::spawn(move || s2.incr());
        s.bump_locked();
        // SAFETY: locked above by this thread.
        unsafe { s.m.unlock() };
        t.join().unwrap();
        assert_eq!(s.get(), 2);
    });
    assert!(
        events.get(Event::LockPark) > 0,
        "the waiter never parked in any execution"
    );
}

#[test]
fn no_lost_wakeup_two_waiters() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Two sleepers: the unlock wakes one; the woken one must pass the duty on to the other.
    let events = check("no_lost_wakeup_two_waiters", Some(4), || {
        let s = Shared::new();
        s.m.lock();
        let ts: Vec<_> = (0..2)
            .map(|_| {
                let s = s.clone();
                thread::spawn(move || s.incr())
            })
            .collect();
        // SAFETY: locked above by this thread.
        unsafe { s.m.unlock() };
        for t in ts {
            t.join().unwrap();
        }
        assert_eq!(s.get(), 2);
    });
    assert!(
        events.get(Event::LockPark) > 0,
        "the waiter never parked in any execution"
    );
}

#[test]
fn handoff_to_a_starving_waiter() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // The main thread re-takes the lock right after releasing it. When it barges past a woken
    // waiter, that waiter is starving (under loom: woken once), registers, and the next unlock
    // hands the lock to it.
    let events = check("handoff_to_a_starving_waiter", Some(4), || {
        let s = Shared::new();
        s.m.lock();
        let s2 = s.clone();
        let t = thread::spawn(move || s2.incr());
        // The yields let the waiter run (park, wake, register) without spending preemptions,
        // so the bound is left for the interleavings around the handoff itself.
        thread::yield_now();
        for _ in 0..2 {
            // SAFETY: held by this thread (locked before the loop or at the end of the body).
            unsafe { s.m.unlock() };
            s.m.lock();
            s.bump_locked();
            thread::yield_now();
        }
        // SAFETY: locked in the last iteration.
        unsafe { s.m.unlock() };
        t.join().unwrap();
        assert_eq!(s.get(), 3);
        assert!(!s.m.is_locked());
    });
    assert!(
        events.get(Event::LockHandoff) > 0,
        "no explored execution took the handoff path"
    );
}

#[test]
fn handoff_without_forced_yields() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // The same, with every interleaving up to the bound (the waiter may also arrive late, or
    // win without starving).
    let events = check("handoff_without_forced_yields", Some(6), || {
        let s = Shared::new();
        s.m.lock();
        let s2 = s.clone();
        let t = thread::spawn(move || s2.incr());
        for _ in 0..2 {
            // SAFETY: held by this thread (locked before the loop or at the end of the body).
            unsafe { s.m.unlock() };
            s.m.lock();
            s.bump_locked();
        }
        // SAFETY: locked in the last iteration.
        unsafe { s.m.unlock() };
        t.join().unwrap();
        assert_eq!(s.get(), 3);
        assert!(!s.m.is_locked());
    });
    assert!(
        events.get(Event::LockHandoff) > 0,
        "no explored execution took the handoff path"
    );
}

#[test]
fn handoff_with_a_second_waiter() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // A starver and a plain waiter: the handoff's wake-all must not strand either of them.
    let events = check("handoff_with_a_second_waiter", Some(3), || {
        let s = Shared::new();
        s.m.lock();
        let ts: Vec<_> = (0..2)
            .map(|_| {
                let s = s.clone();
                thread::spawn(move || s.incr())
            })
            .collect();
        // SAFETY: held by this thread.
        unsafe { s.m.unlock() };
        s.m.lock();
        // SAFETY: locked just above.
        unsafe { s.m.unlock() };
        for t in ts {
            t.join().unwrap();
        }
        assert_eq!(s.get(), 2);
    });
    assert!(events.get(Event::LockHandoff) > 0);
}

#[test]
fn try_lock_spin_never_parks() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    check("try_lock_spin_never_parks", None, || {
        let s = Shared::new();
        s.m.lock();
        let s2 = s.clone();
        let t = thread::spawn(move || {
            if s2.m.try_lock_spin() {
                s2.bump_locked();
                // SAFETY: taken by the successful try_lock_spin.
                unsafe { s2.m.unlock() };
            }
        });
        s.bump_locked();
        // SAFETY: locked above by this thread.
        unsafe { s.m.unlock() };
        t.join().unwrap();
        let n = s.get();
        assert!(n == 1 || n == 2);
    });
}

#[test]
fn lock_api_mutex_under_loom() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // `Mutex::new` needs the const `INIT`, which loom's atomics can not provide; `from_raw` works.
    check("lock_api_mutex_under_loom", None, || {
        let m = Arc::new(weft_sync::Mutex::from_raw(RawMutex::new(), 0u32));
        let m2 = m.clone();
        let t = thread::spawn(move || *m2.lock() += 1);
        *m.lock() += 1;
        t.join().unwrap();
        assert_eq!(*m.lock(), 2);
    });
}
