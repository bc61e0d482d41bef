//! The one place that chooses between `std` and `loom` synchronisation primitives.
//!
//! Every concurrent algorithm in weft (the futex mutex, the refcount protocol, merge queues,
//! critical sections) imports its atomics, locks and cells from here, so that building with
//! `RUSTFLAGS="--cfg weft_loom"` model-checks the real code rather than a copy of it.

#[cfg(not(weft_loom))]
pub use std::sync::{Condvar, Mutex, MutexGuard};
#[cfg(weft_loom)]
pub use loom::sync::{Condvar, Mutex, MutexGuard};

/// Atomic integer and pointer types, and fences.
pub mod atomic {
    #[cfg(not(weft_loom))]
    pub use std::sync::atomic::{
        AtomicBool, AtomicI32, AtomicI64, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering,
        fence,
    };
    #[cfg(weft_loom)]
    pub use loom::sync::atomic::{
        AtomicBool, AtomicI32, AtomicI64, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering,
        fence,
    };
}

/// Reference-counted shared pointer (`std::sync::Arc` or loom's tracked one).
#[cfg(not(weft_loom))]
pub use std::sync::Arc;
#[cfg(weft_loom)]
pub use loom::sync::Arc;

/// Thread spawning and yielding.
pub mod thread {
    #[cfg(not(weft_loom))]
    pub use std::thread::{JoinHandle, spawn, yield_now};
    #[cfg(weft_loom)]
    pub use loom::thread::{JoinHandle, spawn, yield_now};
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
