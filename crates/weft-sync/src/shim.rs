//! The one place that chooses between `std` and `loom` synchronisation primitives.
//!
//! Every concurrent algorithm in weft (the futex mutex, the refcount protocol, merge queues,
//! critical sections) imports its atomics, locks and cells from here, so that building with
//! `RUSTFLAGS="--cfg weft_loom"` model-checks the real code rather than a copy of it.

#[cfg(weft_loom)]
pub use loom::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(weft_loom))]
pub use std::sync::{Condvar, Mutex, MutexGuard};

/// Atomic integer and pointer types, and fences.
pub mod atomic {
    #[cfg(weft_loom)]
    pub use loom::sync::atomic::{
        AtomicBool, AtomicI32, AtomicI64, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering,
        fence,
    };
    #[cfg(not(weft_loom))]
    pub use std::sync::atomic::{
        AtomicBool, AtomicI32, AtomicI64, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering,
        fence,
    };
}

#[cfg(weft_loom)]
pub use loom::sync::Arc;
/// Reference-counted shared pointer (`std::sync::Arc` or loom's tracked one).
#[cfg(not(weft_loom))]
pub use std::sync::Arc;

/// Thread spawning and yielding.
pub mod thread {
    #[cfg(weft_loom)]
    pub use loom::thread::{JoinHandle, spawn, yield_now};
    #[cfg(not(weft_loom))]
    pub use std::thread::{JoinHandle, spawn, yield_now};
}

/// Hint to the CPU (or to loom's scheduler) that this thread is spinning.
#[inline(always)]
pub fn spin_loop() {
    #[cfg(not(weft_loom))]
    std::hint::spin_loop();
    #[cfg(weft_loom)]
    loom::hint::spin_loop();
}

/// An `UnsafeCell` with loom's closure API, so that loom can check accesses for data races.
///
/// Outside loom it compiles to a plain [`std::cell::UnsafeCell`].
#[derive(Debug)]
pub struct UnsafeCell<T: ?Sized>(
    #[cfg(not(weft_loom))] std::cell::UnsafeCell<T>,
    #[cfg(weft_loom)] loom::cell::UnsafeCell<T>,
);

impl<T> UnsafeCell<T> {
    /// Wraps `value`.
    #[cfg(not(weft_loom))]
    pub const fn new(value: T) -> Self {
        UnsafeCell(std::cell::UnsafeCell::new(value))
    }

    /// Wraps `value`.
    #[cfg(weft_loom)]
    pub fn new(value: T) -> Self {
        UnsafeCell(loom::cell::UnsafeCell::new(value))
    }

    /// Consumes the cell and returns the value.
    pub fn into_inner(self) -> T {
        self.0.into_inner()
    }
}

impl<T: ?Sized> UnsafeCell<T> {
    /// Runs `f` with a shared raw pointer to the contents.
    ///
    /// Dereferencing the pointer is the caller's business (an `unsafe` block with its own
    /// `SAFETY:` argument); loom records the access as a read.
    #[inline(always)]
    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        #[cfg(not(weft_loom))]
        {
            f(self.0.get())
        }
        #[cfg(weft_loom)]
        {
            self.0.with(f)
        }
    }

    /// Runs `f` with a mutable raw pointer to the contents; loom records a write.
    #[inline(always)]
    pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        #[cfg(not(weft_loom))]
        {
            f(self.0.get())
        }
        #[cfg(weft_loom)]
        {
            self.0.with_mut(f)
        }
    }

    /// Mutable access through a unique borrow (no synchronisation needed).
    pub fn get_mut(&mut self) -> &mut T {
        #[cfg(not(weft_loom))]
        {
            self.0.get_mut()
        }
        #[cfg(weft_loom)]
        {
            // SAFETY: `&mut self` proves no other access to the cell exists.
            self.0.with_mut(|p| unsafe { &mut *p })
        }
    }
}

/// Runs `f` as a loom model when built with `--cfg weft_loom`, or once on plain threads
/// otherwise. Lets the same test body serve as a model and as a smoke test.
pub fn model<F: Fn() + Sync + Send + 'static>(f: F) {
    #[cfg(weft_loom)]
    {
        let mut builder = loom::model::Builder::new();
        if builder.preemption_bound.is_none() {
            builder.preemption_bound = Some(3);
        }
        builder.check(f);
    }
    #[cfg(not(weft_loom))]
    f();
}

/// Sleeps while `atomic` holds `expected`: a futex wait.
///
/// Returns once woken by [`futex_wake_one`] / [`futex_wake_all`] on the same atomic, at once if
/// the value is not `expected` when checked, and possibly spuriously; callers re-check their
/// condition in a loop. The check and the going to sleep are atomic with respect to the wake
/// functions, so a wake that follows a change of the value is never lost.
///
/// Outside loom this is [`atomic_wait::wait`] (the `futex` system call on Linux). Under
/// `--cfg weft_loom` it is a model with the same contract (see `futex_model` in this module's
/// source), so a lost wake-up in an algorithm built on it shows up as a loom deadlock.
#[inline]
pub fn futex_wait(atomic: &atomic::AtomicU32, expected: u32) {
    #[cfg(not(weft_loom))]
    atomic_wait::wait(atomic, expected);
    #[cfg(weft_loom)]
    futex_model::wait(atomic, expected);
}

/// Wakes one thread sleeping in [`futex_wait`] on `atomic`, if any.
#[inline]
pub fn futex_wake_one(atomic: &atomic::AtomicU32) {
    #[cfg(not(weft_loom))]
    atomic_wait::wake_one(atomic);
    #[cfg(weft_loom)]
    futex_model::wake(atomic, 1);
}

/// Wakes every thread sleeping in [`futex_wait`] on `atomic`.
#[inline]
pub fn futex_wake_all(atomic: &atomic::AtomicU32) {
    #[cfg(not(weft_loom))]
    atomic_wait::wake_all(atomic);
    #[cfg(weft_loom)]
    futex_model::wake(atomic, usize::MAX);
}

/// A model of the futex for loom: one wait queue per address, under one table lock.
///
/// `wait` takes the table lock, re-checks the value (the kernel does the same under its hash
/// bucket lock), enqueues itself and sleeps on a condition variable until a `wake` has removed
/// its entry from the queue. `wake` takes the table lock and dequeues up to `n` entries for the
/// address, oldest first. A wake that comes after a change of the value either finds the waiter
/// queued, or happens-before the waiter's check (through the table lock) so that the check sees
/// the new value. The check is a relaxed load. A waiter is only released by a wake aimed at its address, so a wake-up the
/// algorithm forgot (or aimed at the wrong thread) leaves the waiter blocked, and loom reports
/// the deadlock. Spurious wake-ups, which real futexes allow, are not modelled: the algorithms
/// re-check in a loop anyway, and leaving them out keeps the state space small.
#[cfg(weft_loom)]
mod futex_model {
    use super::atomic::{AtomicU32, Ordering};
    use loom::sync::{Condvar, Mutex};

    pub(super) struct Table {
        next_id: u64,
        /// `(address, waiter id)`, oldest first.
        queue: Vec<(usize, u64)>,
    }

    loom::lazy_static! {
        static ref FUTEX: (Mutex<Table>, Condvar) = (
            Mutex::new(Table { next_id: 0, queue: Vec::new() }),
            Condvar::new(),
        );
    }

    fn addr(atomic: &AtomicU32) -> usize {
        atomic as *const AtomicU32 as usize
    }

    pub(super) fn wait(atomic: &AtomicU32, expected: u32) {
        let (table, cond) = &*FUTEX;
        let mut t = table.lock().unwrap();
        // Relaxed: the table lock already orders this check after any wake that follows a
        // change of the value, and a stronger load would add synchronisation the real futex
        // does not promise, hiding missing orderings in the algorithm under test.
        if atomic.load(Ordering::Relaxed) != expected {
            return;
        }
        let id = t.next_id;
        t.next_id += 1;
        t.queue.push((addr(atomic), id));
        while t.queue.iter().any(|&(_, w)| w == id) {
            t = cond.wait(t).unwrap();
        }
    }

    pub(super) fn wake(atomic: &AtomicU32, n: usize) {
        let (table, cond) = &*FUTEX;
        let mut t = table.lock().unwrap();
        let a = addr(atomic);
        let mut woken = 0;
        t.queue.retain(|&(qa, _)| {
            if qa == a && woken < n {
                woken += 1;
                false
            } else {
                true
            }
        });
        if woken > 0 {
            cond.notify_all();
        }
    }
}
