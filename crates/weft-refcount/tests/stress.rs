//! Multi-thread stress with exact invariants (both variants): every object created is freed
//! exactly once, none is leaked, none is freed while referenced.

use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};

use weft_refcount::{Brc, attach};

static LIVE: AtomicIsize = AtomicIsize::new(0);
static CREATED: AtomicUsize = AtomicUsize::new(0);
static DROPPED: AtomicUsize = AtomicUsize::new(0);

/// A tracked object; `check` is a canary that a use-after-free would likely clobber.
struct Obj {
    id: usize,
    check: usize,
}

impl Obj {
    fn new(id: usize) -> Obj {
        LIVE.fetch_add(1, Ordering::Relaxed);
        CREATED.fetch_add(1, Ordering::Relaxed);
        Obj {
            id,
            check: id ^ 0x5a5a_5a5a,
        }
    }
    fn verify(&self) {
        assert_eq!(self.check, self.id ^ 0x5a5a_5a5a, "object used after free");
    }
}

impl Drop for Obj {
    fn drop(&mut self) {
        self.verify();
        self.check = 0;
        LIVE.fetch_sub(1, Ordering::Relaxed);
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// xorshift, so the test is reproducible per thread.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn eight_threads_mixed_operations_free_everything_exactly_once() {
    const THREADS: usize = 8;
    const OPS: usize = if cfg!(debug_assertions) {
        150_000
    } else {
        1_000_000
    };
    const SLOTS: usize = 64;
    let slots: Arc<Vec<Mutex<Option<Brc<Obj>>>>> =
        Arc::new((0..SLOTS).map(|_| Mutex::new(None)).collect());
    let start = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let slots = slots.clone();
            let start = start.clone();
            std::thread::spawn(move || {
                let g = attach();
                g.blocking(|| start.wait());
                let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (t as u64 + 1));
                let mut mine: Vec<Brc<Obj>> = Vec::new();
                for i in 0..OPS {
                    match rng.below(10) {
                        // Create a private object.
                        0 | 1 => mine.push(Brc::new(Obj::new(t * OPS + i))),
                        // Clone a held object (owner clone, or non-owner if it came from a slot).
                        2 | 3 if !mine.is_empty() => {
                            let k = rng.below(mine.len());
                            let c = mine[k].clone();
                            c.verify();
                            mine.push(c);
                        }
                        // Drop a held object.
                        4 | 5 if !mine.is_empty() => {
                            let k = rng.below(mine.len());
                            mine.swap_remove(k).verify();
                        }
                        // Swap a held object into a shared slot (no count changes under the lock).
                        6 | 7 => {
                            let s = rng.below(SLOTS);
                            let mut incoming = mine.pop();
                            std::mem::swap(&mut *slots[s].lock().unwrap(), &mut incoming);
                            if let Some(o) = incoming {
                                mine.push(o);
                            }
                        }
                        // Clone out of a shared slot, holding the slot lock only for the clone
                        // (attached: in the gil build a clone needs the GIL, so taking the
                        // slot lock detached could deadlock against a GIL holder).
                        8 => {
                            let s = rng.below(SLOTS);
                            let got = slots[s].lock().unwrap().clone();
                            if let Some(o) = got {
                                o.verify();
                                mine.push(o);
                            }
                        }
                        _ => {
                            g.check_point();
                        }
                    }
                    if mine.len() > 256 {
                        mine.truncate(128);
                    }
                    if i % 512 == 0 {
                        g.check_point();
                    }
                }
                drop(mine);
                drop(g);
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    {
        let _g = attach();
        for s in slots.iter() {
            s.lock().unwrap().take();
        }
    }
    // The main thread may own nothing but may have been queued to: its state drains at exit;
    // do it now so the count is exact.
    weft_refcount::thread_exit();
    assert!(CREATED.load(Ordering::Relaxed) > THREADS * OPS / 10);
    assert_eq!(
        LIVE.load(Ordering::Relaxed),
        0,
        "objects leaked or freed twice"
    );
    assert_eq!(
        CREATED.load(Ordering::Relaxed),
        DROPPED.load(Ordering::Relaxed)
    );
}
