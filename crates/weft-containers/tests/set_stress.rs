//! Multi-thread stress of `set` with exact invariants, in both variants (gil: workers hold
//! the GIL and pass check points; nogil: parallel).
//!
//! * 4 threads x 10 000 distinct adds into one set: exactly 40 000 elements.
//! * 8 threads draining one shared iterator: every element exactly once.
//! * `a |= b` against `b |= a` and `a -= c` in loops: no deadlock.
//! * Lock-free `in` while writers add, discard and force resizes: stable elements are always
//!   found.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use weft_containers::set::{self, Set, SetIter};
use weft_object::{ObjRef, int_from_i64};
use weft_refcount::AttachGuard;

fn worker(f: impl FnOnce(&AttachGuard) + Send + 'static) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let g = weft_refcount::attach();
        f(&g);
        drop(g);
        weft_refcount::thread_exit();
    })
}

struct Watchdog(Arc<AtomicBool>);

impl Watchdog {
    fn new(name: &'static str, secs: u64) -> Watchdog {
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

fn i(v: i64) -> ObjRef {
    int_from_i64(v)
}

fn as_i64(o: &ObjRef) -> i64 {
    o.repr().unwrap().parse().unwrap()
}

#[test]
fn four_adders_distinct_keys() {
    let _w = Watchdog::new("four_adders_distinct_keys", 120);
    let o = set::new_set();
    let barrier = Arc::new(Barrier::new(4));
    let hs: Vec<_> = (0..4i64)
        .map(|t| {
            let (o, barrier) = (o.clone(), barrier.clone());
            worker(move |g| {
                g.blocking(|| barrier.wait());
                let s = Set::of(&o).unwrap();
                for n in 0..10_000 {
                    s.add(&i(t * 10_000 + n)).unwrap();
                    if n % 64 == 0 {
                        g.check_point();
                    }
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
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
    let it = s.iter();
    let barrier = Arc::new(Barrier::new(8));
    let hs: Vec<_> = (0..8)
        .map(|_| {
            let (it, barrier) = (it.clone(), barrier.clone());
            let (tx, rx) = std::sync::mpsc::channel();
            let h = worker(move |g| {
                g.blocking(|| barrier.wait());
                let si = it.downcast::<SetIter>().unwrap();
                let mut mine = Vec::new();
                while let Some(k) = si.next_key().unwrap() {
                    mine.push(as_i64(&k));
                    if mine.len() % 32 == 0 {
                        g.check_point();
                    }
                }
                tx.send(mine).unwrap();
            });
            (h, rx)
        })
        .collect();
    let mut all = Vec::new();
    for (h, rx) in hs {
        h.join().unwrap();
        all.extend(rx.recv().unwrap());
    }
    all.sort_unstable();
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
    let barrier = Arc::new(Barrier::new(4));
    let mut hs = Vec::new();
    for w in 0..2i64 {
        let (o, stop, barrier) = (o.clone(), stop.clone(), barrier.clone());
        hs.push(worker(move |g| {
            g.blocking(|| barrier.wait());
            let s = Set::of(&o).unwrap();
            let base = 1_000_000 * (w + 1);
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
        }));
    }
    for r in 0..2u64 {
        let (o, stop, barrier) = (o.clone(), stop.clone(), barrier.clone());
        hs.push(worker(move |g| {
            g.blocking(|| barrier.wait());
            let s = Set::of(&o).unwrap();
            let mut x = 0x2545_f491_4f6c_dd1du64 ^ r;
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) || n < 20_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let k = (x % STABLE as u64) as i64;
                assert!(s.contains(&i(k)).unwrap(), "a stable element vanished");
                n += 1;
                if n.is_multiple_of(64) {
                    g.check_point();
                }
            }
        }));
    }
    for h in hs {
        h.join().unwrap();
    }
    let s = Set::of(&o).unwrap();
    assert_eq!(s.len() as i64, STABLE);
}
