//! Event counters: one relaxed per-thread counter per event, summed on demand.
//!
//! Counting an event is a thread-local add (no shared cache line is written), so the counters
//! can stay on in every build. When a thread exits its counts are folded into process-wide
//! totals; [`snapshot`] adds the live threads' counts to those totals.
//!
//! The counters are what predicts scaling on a 2-core machine (DESIGN.md §5): a workload whose
//! per-operation count of contended events is zero does not write shared cache lines.

use std::cell::Cell;
use std::sync::Mutex as StdMutex;
use std::sync::atomic::{AtomicU64, Ordering};

macro_rules! events {
    ($($(#[$doc:meta])* $name:ident = $label:literal,)*) => {
        /// A runtime event that is counted.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(usize)]
        pub enum Event { $($(#[$doc])* $name,)* }

        impl Event {
            /// Every event, in declaration order.
            pub const ALL: &'static [Event] = &[$(Event::$name,)*];
            /// A short snake_case label, used in `WEFT_STATS` output.
            pub fn label(self) -> &'static str {
                match self { $(Event::$name => $label,)* }
            }
        }
    };
}

events! {
    /// A reference-count operation by a thread that does not own the object (an atomic RMW).
    SharedRcOp = "shared_rc_ops",
    /// The owner's local count reached zero and was merged into the shared count.
    Merge = "merges",
    /// A non-owner queued an object to its owner for merging.
    Queue = "queued_decrefs",
    /// A queued object was merged by a thread other than its owner (owner parked or gone).
    HelpedMerge = "helped_merges",
    /// An object was freed by its owner's decrement (no atomic operation).
    FreedByOwner = "freed_by_owner",
    /// An object was freed by the decrement that completed a merge.
    FreedByMerge = "freed_by_merge",
    /// An object was freed while its owner (or a helper) drained a merge queue.
    FreedByQueue = "freed_by_queue",
    /// A lock acquisition that did not succeed on the first compare-and-swap.
    LockContended = "lock_contended",
    /// A thread went to sleep on a futex word.
    LockPark = "lock_parks",
    /// A lock was handed directly to a starving waiter.
    LockHandoff = "lock_handoffs",
    /// Critical sections were suspended because the thread was about to block.
    CsSuspend = "cs_suspensions",
    /// The GIL changed hands.
    GilSwitch = "gil_switches",
    /// A type attribute cache lookup missed and walked the MRO (`weft_object::type_cache`).
    TypeCacheMiss = "type_cache_misses",
}

const N: usize = Event::ALL.len();

static TOTALS: [AtomicU64; N] = [const { AtomicU64::new(0) }; N];
static LIVE: StdMutex<Vec<&'static Local>> = StdMutex::new(Vec::new());

struct Local {
    counts: [AtomicU64; N],
}

struct Slot {
    local: &'static Local,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        for (i, c) in self.local.counts.iter().enumerate() {
            TOTALS[i].fetch_add(c.swap(0, Ordering::Relaxed), Ordering::Relaxed);
        }
        live.retain(|l| !std::ptr::eq(*l, self.local));
        // Events counted after this point (other thread-local destructors) go to the totals.
        let _ = FAST.try_with(|f| f.set(None));
        // The `Local` was leaked on purpose (a few hundred bytes per thread ever started) so
        // that `snapshot` never reads freed memory; recycle it for the next thread.
        FREE.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(self.local);
    }
}

static FREE: StdMutex<Vec<&'static Local>> = StdMutex::new(Vec::new());

thread_local! {
    static FAST: Cell<Option<&'static Local>> = const { Cell::new(None) };
    static SLOT: std::cell::OnceCell<Slot> = const { std::cell::OnceCell::new() };
}

#[cold]
fn register() -> Option<&'static Local> {
    // Registration fails only while the thread is being torn down (or after its slot was
    // dropped); such late events go straight to the totals.
    let local = SLOT
        .try_with(|s| {
            if s.get().is_some() {
                return None;
            }
            let local = FREE
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pop()
                .unwrap_or_else(|| {
                    Box::leak(Box::new(Local {
                        counts: [const { AtomicU64::new(0) }; N],
                    }))
                });
            LIVE.lock().unwrap_or_else(|e| e.into_inner()).push(local);
            let _ = s.set(Slot { local });
            Some(local)
        })
        .ok()??;
    FAST.with(|f| f.set(Some(local)));
    Some(local)
}

/// Counts one occurrence of `event` on the current thread.
#[inline]
pub fn count(event: Event) {
    add(event, 1);
}

/// Counts `n` occurrences of `event` on the current thread.
#[inline]
pub fn add(event: Event, n: u64) {
    let local = FAST.try_with(|f| f.get()).ok().flatten().or_else(register);
    match local {
        // Only this thread writes its own counters, so a relaxed load+store is an exact add
        // and compiles to a plain increment: no locked instruction on the hot path.
        Some(l) => {
            let c = &l.counts[event as usize];
            c.store(c.load(Ordering::Relaxed).wrapping_add(n), Ordering::Relaxed);
        }
        None => {
            TOTALS[event as usize].fetch_add(n, Ordering::Relaxed);
        }
    }
}

/// The process-wide counts so far: exited threads' totals plus every live thread's counts.
///
/// Exact for events that happened-before the call (for example on threads that were joined).
pub fn snapshot() -> Stats {
    let live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let mut out = [0u64; N];
    for (i, t) in TOTALS.iter().enumerate() {
        out[i] = t.load(Ordering::Relaxed);
    }
    for l in live.iter() {
        for (i, c) in l.counts.iter().enumerate() {
            out[i] += c.load(Ordering::Relaxed);
        }
    }
    Stats(out)
}

/// A copy of every counter, from [`snapshot`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats([u64; N]);

impl Stats {
    /// The count of `event`.
    pub fn get(&self, event: Event) -> u64 {
        self.0[event as usize]
    }

    /// Counts that happened between `earlier` and `self`.
    pub fn since(&self, earlier: &Stats) -> Stats {
        let mut out = [0u64; N];
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.0[i].wrapping_sub(earlier.0[i]);
        }
        Stats(out)
    }
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for e in Event::ALL {
            writeln!(f, "{:>16} {}", e.label(), self.get(*e))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_from_joined_threads_are_exact() {
        let before = snapshot();
        let hs: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(|| {
                    for _ in 0..1000 {
                        count(Event::GilSwitch);
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        add(Event::GilSwitch, 5);
        let d = snapshot().since(&before);
        // Other tests in this binary do not count GilSwitch.
        assert_eq!(d.get(Event::GilSwitch), 4005);
    }
}
