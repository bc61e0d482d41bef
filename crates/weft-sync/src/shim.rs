//! The one place that chooses between `std` and `loom` synchronisation primitives.
//!
//! Every concurrent algorithm in weft (the futex mutex, the refcount protocol, merge queues,
//! critical sections) imports its atomics, locks and cells from here, so that building with
//! `RUSTFLAGS="--cfg weft_loom"` model-checks the real code rather than a copy of it.
//!
//! Besides the primitives, three macros let the layers above declare what would otherwise
//! bypass loom: [`shim_thread_local!`](crate::shim_thread_local) (loom's per-modelled-thread
//! locals), [`shim_static!`](crate::shim_static) (statics holding shim atomics: plain statics
//! outside loom, per-execution lazy statics under it) and
//! [`shim_const_fn!`](crate::shim_const_fn) (their `const` constructors); and [`dealloc`] /
//! [`free_box`] quarantine freed memory for the rest of a loom execution.

#[cfg(weft_loom)]
pub use loom::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(weft_loom))]
pub use std::sync::{Condvar, Mutex, MutexGuard};

/// Atomic integer and pointer types, and fences.
pub mod atomic {
    #[cfg(weft_loom)]
    pub use loom::sync::atomic::{
        AtomicBool, AtomicI32, AtomicI64, AtomicPtr, AtomicU8, AtomicU32, AtomicU64, AtomicUsize,
        Ordering, fence,
    };
    #[cfg(not(weft_loom))]
    pub use std::sync::atomic::{
        AtomicBool, AtomicI32, AtomicI64, AtomicPtr, AtomicU8, AtomicU32, AtomicU64, AtomicUsize,
        Ordering, fence,
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
/// Outside loom it compiles to a plain [`std::cell::UnsafeCell`]. Under loom its methods are
/// `#[track_caller]`, so a reported race names the accesses' callers (with `LOOM_LOCATION=1`).
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
    #[cfg_attr(weft_loom, track_caller)]
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
    #[cfg_attr(weft_loom, track_caller)]
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
    #[cfg_attr(weft_loom, track_caller)]
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
///
/// Under loom, memory released through [`dealloc`] / [`free_box`] during an execution is
/// returned to the allocator when the next execution starts (and after the last one).
pub fn model<F: Fn() + Sync + Send + 'static>(f: F) {
    #[cfg(weft_loom)]
    {
        let mut builder = loom::model::Builder::new();
        if builder.preemption_bound.is_none() {
            builder.preemption_bound = Some(3);
        }
        builder.check(move || {
            quarantine::flush();
            f();
        });
        quarantine::flush();
    }
    #[cfg(not(weft_loom))]
    f();
}

/// [`model`] with at least `preemptions` as loom's preemption bound (instead of 3 when
/// `LOOM_MAX_PREEMPTIONS` is unset or lower), for a model whose known bugs need more
/// preemptions to show. Outside loom: runs `f` once.
pub fn model_with_preemptions<F: Fn() + Sync + Send + 'static>(preemptions: usize, f: F) {
    #[cfg(weft_loom)]
    {
        let mut builder = loom::model::Builder::new();
        let bound = builder.preemption_bound.unwrap_or(0).max(preemptions);
        builder.preemption_bound = Some(bound);
        builder.check(move || {
            quarantine::flush();
            f();
        });
        quarantine::flush();
    }
    #[cfg(not(weft_loom))]
    {
        let _ = preemptions;
        f();
    }
}

/// Returns memory obtained from [`std::alloc::alloc`] (or `alloc_zeroed`, `realloc`) with
/// `layout` to the allocator.
///
/// Outside loom this *is* [`std::alloc::dealloc`]. Under `--cfg weft_loom` the memory is
/// quarantined instead: it stays allocated (and untouched) until the model execution ends (see
/// [`model`]), so a lock-free reader that a broken protocol lets look at freed memory reads
/// stale but mapped bytes, and the model's own checks (loom's `UnsafeCell` race detection, a
/// payload's "dropped" flag) report the bug instead of the checker itself corrupting memory.
/// Code that frees memory lock-free readers may hold goes through here (weft-object's object
/// boxes, weft-containers' list buffers and dict tables).
///
/// # Safety
/// As for [`std::alloc::dealloc`]: `ptr` was allocated by the global allocator with `layout`
/// and is not used (nor freed again) after this call.
#[inline(always)]
pub unsafe fn dealloc(ptr: *mut u8, layout: std::alloc::Layout) {
    #[cfg(not(weft_loom))]
    {
        // SAFETY: forwarded.
        unsafe { std::alloc::dealloc(ptr, layout) }
    }
    #[cfg(weft_loom)]
    quarantine::push(ptr, layout);
}

/// Drops the boxed value at `ptr` and frees its memory: `drop(Box::from_raw(ptr))`, with the
/// memory going through [`dealloc`] (quarantined under loom).
///
/// # Safety
/// As for [`Box::from_raw`]: `ptr` came from [`Box::into_raw`] and is not used afterwards.
#[inline(always)]
pub unsafe fn free_box<T>(ptr: *mut T) {
    #[cfg(not(weft_loom))]
    {
        // SAFETY: forwarded.
        drop(unsafe { Box::from_raw(ptr) });
    }
    #[cfg(weft_loom)]
    {
        // SAFETY: forwarded: the value is valid and dropped once.
        unsafe { std::ptr::drop_in_place(ptr) };
        let layout = std::alloc::Layout::new::<T>();
        if layout.size() != 0 {
            // SAFETY: a `Box<T>` of a non-zero-sized `T` was allocated with `Layout::new::<T>()`.
            unsafe { dealloc(ptr.cast(), layout) };
        }
    }
}

/// Memory released during a loom execution, kept until the execution is over. Loom runs every
/// modelled thread of a test on the test's OS thread, so a `std` thread-local is one list per
/// model.
#[cfg(weft_loom)]
mod quarantine {
    use std::alloc::Layout;
    use std::cell::RefCell;

    std::thread_local! {
        static HELD: RefCell<Vec<(usize, Layout)>> = const { RefCell::new(Vec::new()) };
    }

    pub(super) fn push(ptr: *mut u8, layout: Layout) {
        let kept = HELD.try_with(|h| h.borrow_mut().push((ptr as usize, layout)));
        if kept.is_err() {
            // SAFETY: the OS thread is exiting; the caller gave the memory up (`dealloc`).
            unsafe { std::alloc::dealloc(ptr, layout) };
        }
    }

    pub(super) fn flush() {
        let held = HELD.with(|h| std::mem::take(&mut *h.borrow_mut()));
        for (p, layout) in held {
            // SAFETY: each entry was given up through `dealloc` with its layout, once; the
            // execution that could have looked at it is over.
            unsafe { std::alloc::dealloc(p as *mut u8, layout) };
        }
    }
}

/// Declares thread-locals: [`std::thread_local!`] outside loom, `loom::thread_local!` under
/// `--cfg weft_loom` (loom runs every modelled thread on one OS thread, so a `std` thread-local
/// would be one value shared by all of them). Accepts `std`'s syntax, including
/// `= const { init }` (the `const` is dropped under loom).
#[macro_export]
macro_rules! shim_thread_local {
    () => {};
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = const { $init:expr }; $($rest:tt)*) => {
        #[cfg(not(weft_loom))]
        ::std::thread_local!($(#[$attr])* $vis static $name: $t = const { $init });
        #[cfg(weft_loom)]
        $crate::__loom::thread_local!($(#[$attr])* $vis static $name: $t = $init);
        $crate::shim_thread_local!($($rest)*);
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = $init:expr; $($rest:tt)*) => {
        #[cfg(not(weft_loom))]
        ::std::thread_local!($(#[$attr])* $vis static $name: $t = $init);
        #[cfg(weft_loom)]
        $crate::__loom::thread_local!($(#[$attr])* $vis static $name: $t = $init);
        $crate::shim_thread_local!($($rest)*);
    };
}

/// Declares statics whose initialiser builds shim atomics (immortal objects, type objects,
/// static tables).
///
/// Outside loom this is exactly the `static` written (a constant initialiser, no lazy check on
/// access: the hot paths are unchanged). Under `--cfg weft_loom`, where loom's atomics can be
/// neither `const`-constructed nor shared between model executions, it is a
/// `loom::lazy_static!`: built on first use *in each execution*, dropped at its end, and
/// reached through `Deref` (so `&NAME` still coerces to `&T`, and `NAME.field` still works).
///
/// Visibility must be written as nothing, `pub` or `pub(crate)`.
#[macro_export]
macro_rules! shim_static {
    () => {};
    ($(#[$attr:meta])* pub static $name:ident: $t:ty = $init:expr; $($rest:tt)*) => {
        #[cfg(not(weft_loom))]
        $(#[$attr])* pub static $name: $t = $init;
        #[cfg(weft_loom)]
        $crate::__loom::lazy_static! { $(#[$attr])* pub static ref $name: $t = $init; }
        $crate::shim_static!($($rest)*);
    };
    ($(#[$attr:meta])* pub(crate) static $name:ident: $t:ty = $init:expr; $($rest:tt)*) => {
        #[cfg(not(weft_loom))]
        $(#[$attr])* pub(crate) static $name: $t = $init;
        #[cfg(weft_loom)]
        $crate::__loom::lazy_static! { $(#[$attr])* pub(crate) static ref $name: $t = $init; }
        $crate::shim_static!($($rest)*);
    };
    ($(#[$attr:meta])* static $name:ident: $t:ty = $init:expr; $($rest:tt)*) => {
        #[cfg(not(weft_loom))]
        $(#[$attr])* static $name: $t = $init;
        #[cfg(weft_loom)]
        $crate::__loom::lazy_static! { $(#[$attr])* static ref $name: $t = $init; }
        $crate::shim_static!($($rest)*);
    };
}

/// Declares a function that is `const` outside loom and a plain `fn` under `--cfg weft_loom`
/// (where the shim atomics it builds have no `const` constructor). For the constructors that
/// [`shim_static!`] initialisers call.
#[macro_export]
macro_rules! shim_const_fn {
    ($(#[$attr:meta])* $vis:vis fn $($rest:tt)*) => {
        #[cfg(not(weft_loom))]
        $(#[$attr])* $vis const fn $($rest)*
        #[cfg(weft_loom)]
        $(#[$attr])* $vis fn $($rest)*
    };
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
