//! Stress: threads take random nested one- and two-object sections over a few mutexes in
//! random orders (a recipe for lock-order deadlocks with plain mutexes); every guarded counter
//! ends exact. Both variants: in the gil build the threads hold the GIL and switch at check
//! points, as Python threads do.

use std::cell::UnsafeCell;
use std::sync::Arc;

use weft_object::critical_section::{with_mutex, with_mutex2};
use weft_sync::RawMutex;

const LOCKS: usize = 6;

struct Shared {
    locks: Vec<RawMutex>,
    counts: Vec<UnsafeCell<u64>>,
}

// SAFETY: counts[i] is only touched inside a section whose innermost entry holds locks[i]
// (nogil), or while holding the GIL (gil).
unsafe impl Sync for Shared {}

impl Shared {
    fn bump(&self, i: usize) {
        // SAFETY: see the Sync impl; callers hold the innermost section on locks[i].
        unsafe { *self.counts[i].get() += 1 };
    }
}

fn work(s: &Shared, seed: u64, ops: usize) -> Vec<u64> {
    let mut mine = vec![0u64; LOCKS];
    let mut x = seed;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..ops {
        let r = next();
        let (i, j) = (
            (r % LOCKS as u64) as usize,
            ((r >> 8) % LOCKS as u64) as usize,
        );
        match (r >> 16) % 3 {
            0 => with_mutex(&s.locks[i], || {
                s.bump(i);
                mine[i] += 1;
            }),
            1 => with_mutex2(&s.locks[i], &s.locks[j], || {
                s.bump(i);
                mine[i] += 1;
                if j != i {
                    s.bump(j);
                    mine[j] += 1;
                }
            }),
            _ => with_mutex(&s.locks[i], || {
                with_mutex(&s.locks[j], || {
                    s.bump(j);
                    mine[j] += 1;
                });
                // The inner section may have suspended ours; on return it is held again.
                s.bump(i);
                mine[i] += 1;
            }),
        }
    }
    mine
}

#[test]
fn random_nested_sections_never_deadlock_and_exclude() {
    let s = Arc::new(Shared {
        locks: (0..LOCKS).map(|_| RawMutex::new()).collect(),
        counts: (0..LOCKS).map(|_| UnsafeCell::new(0)).collect(),
    });
    let ops = if cfg!(debug_assertions) {
        40_000
    } else {
        400_000
    };
    let hs: Vec<_> = (0..4u64)
        .map(|t| {
            let s = s.clone();
            std::thread::spawn(move || {
                let g = weft_refcount::attach();
                let mut total = vec![0u64; LOCKS];
                for chunk in 0..ops / 1000 {
                    let m = work(&s, (t + 1) * 7919 + chunk as u64, 1000);
                    for k in 0..LOCKS {
                        total[k] += m[k];
                    }
                    g.check_point();
                }
                assert_eq!(weft_object::critical_section_depth(), 0);
                total
            })
        })
        .collect();
    let mut expect = [0u64; LOCKS];
    for h in hs {
        for (k, v) in h.join().unwrap().into_iter().enumerate() {
            expect[k] += v;
        }
    }
    for (k, want) in expect.iter().enumerate() {
        // SAFETY: every thread was joined; nothing else touches the counters.
        let got = unsafe { *s.counts[k].get() };
        assert_eq!(got, *want, "lost update on lock {k}");
        assert!(!s.locks[k].is_locked());
    }
}
