//! Multi-thread tests of the GIL: mutual exclusion with an exact count while threads yield on
//! request, and a waiter getting the GIL from a holder that polls for requests.
#![cfg(not(weft_loom))]

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};
use weft_sync::gil::Gil;

/// State only touched by the GIL holder.
struct Shared {
    gil: Gil,
    n: UnsafeCell<u64>,
}

// SAFETY: `n` is only accessed by the thread holding `gil`.
unsafe impl Sync for Shared {}

#[test]
fn four_threads_exact_count_with_yields() {
    const THREADS: usize = 4;
    const ROUNDS: usize = 20;
    const ITERS: u64 = 20_000;
    let s = Arc::new(Shared {
        gil: Gil::new(),
        n: UnsafeCell::new(0),
    });
    // Short interval: many drop requests and forced switches.
    s.gil.set_switch_interval(Duration::from_micros(50));
    let start = Arc::new(Barrier::new(THREADS));
    let hs: Vec<_> = (0..THREADS)
        .map(|_| {
            let (s, start) = (s.clone(), start.clone());
            thread::spawn(move || {
                start.wait();
                let mut switches = 0;
                for _ in 0..ROUNDS {
                    s.gil.acquire();
                    for i in 0..ITERS {
                        // SAFETY: this thread holds the GIL (and yield_if_requested returns
                        // with it held again). Split read and write, so overlap would lose
                        // increments.
                        unsafe {
                            let v = std::ptr::read_volatile(s.n.get());
                            std::ptr::write_volatile(s.n.get(), v + 1);
                        }
                        if i % 64 == 0 && s.gil.yield_if_requested() {
                            switches += 1;
                        }
                    }
                    s.gil.release();
                }
                switches
            })
        })
        .collect();
    let switches: usize = hs.into_iter().map(|h| h.join().unwrap()).sum();
    eprintln!("forced switches: {switches}");
    s.gil.acquire();
    // SAFETY: the GIL is held.
    let n = unsafe { *s.n.get() };
    s.gil.release();
    assert_eq!(n, THREADS as u64 * ROUNDS as u64 * ITERS);
    assert!(!s.gil.is_locked());
}

#[test]
fn waiter_gets_gil_from_a_polling_holder() {
    const BOUND: Duration = Duration::from_secs(2);
    let gil = Arc::new(Gil::new());
    assert_eq!(gil.switch_interval(), Duration::from_millis(5));
    let held = Arc::new(Barrier::new(2));
    let done = Arc::new(AtomicBool::new(false));
    let holder = {
        let (gil, held, done) = (gil.clone(), held.clone(), done.clone());
        thread::spawn(move || {
            gil.acquire();
            held.wait();
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut switched = 0;
            // The "eval loop": work, and poll the drop request at each check point.
            while !done.load(Ordering::Relaxed) && Instant::now() < deadline {
                for _ in 0..100 {
                    std::hint::spin_loop();
                }
                if gil.yield_if_requested() {
                    switched += 1;
                }
            }
            gil.release();
            switched
        })
    };
    held.wait();
    assert!(gil.is_locked());
    let asked = Instant::now();
    gil.acquire();
    let waited = asked.elapsed();
    done.store(true, Ordering::Relaxed);
    gil.release();
    let switched = holder.join().unwrap();
    assert!(waited < BOUND, "waited {waited:?} for the GIL");
    assert_eq!(
        switched, 1,
        "the holder yields exactly once, to this waiter"
    );
}

#[test]
fn yield_without_request_keeps_the_gil() {
    let gil = Gil::new();
    gil.acquire();
    for _ in 0..1000 {
        assert!(!gil.yield_if_requested());
    }
    assert!(gil.is_locked());
    gil.release();
}
