//! Multi-thread stress tests of [`weft_sync::RawMutex`] and [`weft_sync::Mutex`] on real
//! threads: exact counts under contention, the `lock_api` wrapper, `try_lock`, and a fairness
//! check whose bound only a starvation bug can break.
#![cfg(not(weft_loom))]

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};
use weft_sync::stats::{self, Event};
use weft_sync::{Mutex, RawMutex};

/// A plain (non-atomic) counter guarded by a `RawMutex`.
struct Counter {
    m: RawMutex,
    n: UnsafeCell<u64>,
}

// SAFETY: `n` is only read or written while `m` is held.
unsafe impl Sync for Counter {}

impl Counter {
    fn new() -> Counter {
        Counter {
            m: RawMutex::new(),
            n: UnsafeCell::new(0),
        }
    }

    fn incr(&self) {
        self.m.lock();
        // SAFETY: `m` is held, so this is the only access to `n`. The read-modify-write is
        // split on purpose: without mutual exclusion increments get lost.
        unsafe {
            let v = std::ptr::read_volatile(self.n.get());
            std::ptr::write_volatile(self.n.get(), v + 1);
        }
        // SAFETY: locked above by this thread.
        unsafe { self.m.unlock() };
    }

    fn get(&self) -> u64 {
        self.m.lock();
        // SAFETY: `m` is held.
        let v = unsafe { *self.n.get() };
        // SAFETY: locked above by this thread.
        unsafe { self.m.unlock() };
        v
    }
}

#[test]
fn raw_mutex_is_one_u32() {
    assert_eq!(std::mem::size_of::<RawMutex>(), 4);
}

#[test]
fn eight_threads_exact_count() {
    const THREADS: u64 = 8;
    const ITERS: u64 = 50_000;
    let c = Arc::new(Counter::new());
    let start = Arc::new(Barrier::new(THREADS as usize));
    let hs: Vec<_> = (0..THREADS)
        .map(|_| {
            let c = c.clone();
            let start = start.clone();
            thread::spawn(move || {
                start.wait();
                for _ in 0..ITERS {
                    c.incr();
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    assert_eq!(c.get(), THREADS * ITERS);
    assert!(!c.m.is_locked());
}

#[test]
fn lock_api_mutex_exact_and_usable() {
    const THREADS: usize = 4;
    const ITERS: usize = 10_000;
    let m = Arc::new(Mutex::new((0u64, Vec::new())));
    let hs: Vec<_> = (0..THREADS)
        .map(|t| {
            let m = m.clone();
            thread::spawn(move || {
                for i in 0..ITERS {
                    let mut g = m.lock();
                    g.0 += 1;
                    if i % 1000 == 0 {
                        g.1.push(t);
                    }
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let g = m.lock();
    assert_eq!(g.0, (THREADS * ITERS) as u64);
    assert_eq!(g.1.len(), THREADS * ITERS / 1000);
    for t in 0..THREADS {
        assert_eq!(g.1.iter().filter(|&&x| x == t).count(), ITERS / 1000);
    }
    drop(g);
    let inner = Arc::try_unwrap(m).ok().unwrap().into_inner();
    assert_eq!(inner.0, (THREADS * ITERS) as u64);
}

#[test]
fn static_mutex_and_guard_forget() {
    static M: Mutex<u32> = Mutex::new(7);
    let g = M.lock();
    std::mem::forget(g);
    assert!(M.is_locked());
    assert!(M.try_lock().is_none());
    // SAFETY: the forgotten guard's acquisition is still held by this thread, and unlocking
    // the raw mutex directly is how it is released (no guard borrows the data any more).
    unsafe { M.raw().unlock() };
    assert_eq!(*M.lock(), 7);
}

#[test]
fn try_lock_fails_while_another_thread_holds() {
    let m = Arc::new(RawMutex::new());
    let held = Arc::new(Barrier::new(2));
    let release = Arc::new(Barrier::new(2));
    let h = {
        let (m, held, release) = (m.clone(), held.clone(), release.clone());
        thread::spawn(move || {
            m.lock();
            held.wait();
            release.wait();
            // SAFETY: locked above by this thread.
            unsafe { m.unlock() };
        })
    };
    held.wait();
    assert!(m.is_locked());
    assert!(!m.try_lock());
    assert!(!m.try_lock_spin(), "try_lock_spin must give up, never park");
    release.wait();
    h.join().unwrap();
    assert!(!m.is_locked());
    assert!(m.try_lock());
    assert!(m.is_locked());
    // SAFETY: taken by the successful try_lock.
    unsafe { m.unlock() };
}

#[test]
fn try_lock_excludes_under_contention() {
    let c = Arc::new(Counter::new());
    let stop = Arc::new(AtomicBool::new(false));
    let got = Arc::new(AtomicUsize::new(0));
    let hs: Vec<_> = (0..4)
        .map(|i| {
            let (c, stop, got) = (c.clone(), stop.clone(), got.clone());
            thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) || n == 0 {
                    let ok = if i % 2 == 0 {
                        c.m.try_lock()
                    } else {
                        c.m.try_lock_spin()
                    };
                    if ok {
                        // SAFETY: `m` is held.
                        unsafe { *c.n.get() += 1 };
                        // SAFETY: taken by the successful try above.
                        unsafe { c.m.unlock() };
                        n += 1;
                    } else {
                        thread::yield_now();
                    }
                }
                got.fetch_add(n, Ordering::Relaxed);
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::Relaxed);
    for h in hs {
        h.join().unwrap();
    }
    assert_eq!(c.get(), got.load(Ordering::Relaxed) as u64);
}

/// Threads re-lock right after unlocking and hold the lock briefly: the pattern where an unfair
/// lock lets the running threads barge forever past a sleeping one. Every acquisition's wait
/// must stay far below a bound that only starvation can reach (the threads keep contending for
/// longer than the bound, so a starved waiter would exceed it).
#[test]
fn no_starvation_under_constant_contention() {
    const THREADS: usize = 4;
    const RUN: Duration = Duration::from_millis(2500);
    const BOUND: Duration = Duration::from_secs(2);
    let c = Arc::new(Counter::new());
    let start = Arc::new(Barrier::new(THREADS));
    let before = stats::snapshot();
    let hs: Vec<_> = (0..THREADS)
        .map(|_| {
            let c = c.clone();
            let start = start.clone();
            thread::spawn(move || {
                start.wait();
                let t0 = Instant::now();
                let mut acquisitions = 0u64;
                let mut max_wait = Duration::ZERO;
                while t0.elapsed() < RUN {
                    let asked = Instant::now();
                    c.m.lock();
                    max_wait = max_wait.max(asked.elapsed());
                    // SAFETY: `m` is held.
                    unsafe { *c.n.get() += 1 };
                    // Hold it briefly.
                    for _ in 0..50 {
                        std::hint::spin_loop();
                    }
                    // SAFETY: locked above by this thread.
                    unsafe { c.m.unlock() };
                    acquisitions += 1;
                }
                (acquisitions, max_wait)
            })
        })
        .collect();
    let results: Vec<_> = hs.into_iter().map(|h| h.join().unwrap()).collect();
    let d = stats::snapshot().since(&before);
    eprintln!(
        "per-thread (acquisitions, max wait): {results:?}; contended {} parks {} handoffs {}",
        d.get(Event::LockContended),
        d.get(Event::LockPark),
        d.get(Event::LockHandoff)
    );
    let total: u64 = results.iter().map(|r| r.0).sum();
    assert_eq!(c.get(), total);
    for (i, (n, max_wait)) in results.iter().enumerate() {
        assert!(*n > 0, "thread {i} never got the lock");
        assert!(
            *max_wait < BOUND,
            "thread {i} waited {max_wait:?} for the lock (starvation)"
        );
    }
}

/// A thread that sleeps on the lock while another re-locks it in a tight loop must still get
/// it (the barging thread is running, the sleeper has to be woken and scheduled: without the
/// handoff it can lose every race).
#[test]
fn sleeper_gets_lock_from_a_barging_thread() {
    const BOUND: Duration = Duration::from_secs(2);
    let m = Arc::new(RawMutex::new());
    let got = Arc::new(AtomicBool::new(false));
    m.lock();
    let h = {
        let (m, got) = (m.clone(), got.clone());
        thread::spawn(move || {
            let asked = Instant::now();
            m.lock();
            let waited = asked.elapsed();
            got.store(true, Ordering::Relaxed);
            // SAFETY: locked above by this thread.
            unsafe { m.unlock() };
            waited
        })
    };
    // Let the waiter park and pass the starvation threshold.
    thread::sleep(Duration::from_millis(20));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !got.load(Ordering::Relaxed) && Instant::now() < deadline {
        // SAFETY: held by this thread (locked before the loop or at the end of the body).
        unsafe { m.unlock() };
        m.lock();
        for _ in 0..20 {
            std::hint::spin_loop();
        }
    }
    // SAFETY: held by this thread.
    unsafe { m.unlock() };
    let waited = h.join().unwrap();
    // 20 ms of deliberate holding, then at most a few wake-ups.
    assert!(
        waited < BOUND + Duration::from_millis(20),
        "waited {waited:?}"
    );
}
