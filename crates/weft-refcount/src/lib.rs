//! # weft-refcount — layer 1 of the weft runtime: the reference-count protocol
//!
//! One API, two variants chosen by cargo features:
//!
//! * **`nogil`** — *biased reference counting* (PEP 703). Each object records an owner thread;
//!   the owner counts with plain loads and stores, every other thread with atomics on a
//!   separate shared word, and the two merge when the owner's count reaches zero. A non-owner
//!   whose decrement would take the shared count below zero queues the object to its owner,
//!   which merges it at its next [`ThreadState::check_point`]. Owners that block or exit do not
//!   hold garbage hostage: see the rule in the [`nogil`](RefCount) module docs and in
//!   ARCHITECTURE.md.
//! * **`gil`** (default) — one plain count per object, touched only under the global
//!   interpreter lock ([`weft_sync::gil`]).
//!
//! Both variants have immortal objects (counts never change, never freed) and a deferred flag
//! for the eval loop, and free every object exactly once, exactly when its last reference goes,
//! whichever thread drops it.
//!
//! ## Using it
//! * [`Brc<T>`]: a safe `Arc`-like smart pointer over the protocol, for Rust code.
//! * Embedding: put a [`RefCount`] at offset 0 of a `#[repr(C)]` object, describe how to free
//!   it with an [`RcVTable`], and drop references with [`ThreadState::decref`]
//!   (`weft-object` does this for Python objects).
//! * Threads: [`attach`] before working with objects (in the gil build this takes the GIL),
//!   call [`AttachGuard::check_point`] regularly (the eval breaker), and block through
//!   [`AttachGuard::blocking`]. Attaching also puts the thread online for
//!   [`weft_sync::qsbr`] (lock-free readers' memory reclamation), each check point is a
//!   quiescent point, and detaching takes it offline. A thread that is not attached may still use objects: in the
//!   nogil build its operations are all atomic (shared), in the gil build each takes the GIL
//!   for its duration.
//!
//! ```
//! let _t = weft_refcount::attach();
//! let a = weft_refcount::Brc::new(vec![1, 2, 3]);
//! let b = a.clone();
//! let h = std::thread::spawn(move || b.len());
//! let n = _t.blocking(|| h.join().unwrap());
//! assert_eq!(n, a.len());
//! ```

use std::ptr::NonNull;

mod brc;
#[cfg(feature = "nogil")]
mod events;
mod flags;
#[cfg(not(feature = "nogil"))]
mod gil;
#[cfg(feature = "nogil")]
mod nogil;
mod tls;

/// The thread states' calls into [`weft_sync::qsbr`]. Compiled out under loom: QSBR has its own
/// models (`weft-sync/tests/loom_qsbr.rs`), and keeping the refcount models free of it keeps
/// their state space small and deterministic.
mod qsbr_hook {
    #[inline(always)]
    pub(crate) fn online() {
        #[cfg(not(weft_loom))]
        weft_sync::qsbr::online();
    }
    #[inline(always)]
    pub(crate) fn offline() {
        #[cfg(not(weft_loom))]
        weft_sync::qsbr::offline();
    }
    #[inline(always)]
    pub(crate) fn quiescent() {
        #[cfg(not(weft_loom))]
        weft_sync::qsbr::quiescent();
    }
}

pub use brc::Brc;
#[cfg(not(feature = "nogil"))]
pub use gil::{RefCount, Registry, ThreadState};
#[cfg(feature = "nogil")]
pub use nogil::{RefCount, Registry, ThreadState};
pub use tls::{thread_exit, with_thread};

/// The calling thread's id while it is attached (nogil build), 0 otherwise; 0 is no thread's
/// id, and ids are never reused by another thread. Always 0 in the gil build. For structures
/// that are private to the thread that made them until another thread touches them (see
/// [`is_current_thread`]).
#[inline(always)]
pub fn current_tid() -> u32 {
    #[cfg(feature = "nogil")]
    {
        match tls::cur() {
            nogil::DETACHED => 0,
            c => c,
        }
    }
    #[cfg(not(feature = "nogil"))]
    {
        0
    }
}

/// Whether `tid` (a [`current_tid`] taken earlier, on some thread) is the calling thread's
/// id, the calling thread being attached. Never true for 0, nor in the gil build. One
/// thread-local read and a compare.
#[inline(always)]
pub fn is_current_thread(tid: u32) -> bool {
    #[cfg(feature = "nogil")]
    {
        tid != 0 && tls::cur() == tid
    }
    #[cfg(not(feature = "nogil"))]
    {
        let _ = tid;
        false
    }
}

/// The compiled variant: `"gil"` or `"nogil"`.
pub const VARIANT: &str = weft_sync::VARIANT;

/// How to free an object whose [`RefCount`] sits at offset 0, and how to name its type in
/// diagnostics. One static instance per object type.
#[derive(Debug)]
pub struct RcVTable {
    /// Frees the object. Called exactly once, by whichever thread dropped the last reference
    /// (or merged it away), possibly not the thread that created it.
    ///
    /// Implementations may run arbitrary code (drop other references) but must not touch the
    /// object's count.
    pub free: unsafe fn(NonNull<RefCount>),
    /// The object's type name, for panic messages (the count going below zero).
    pub type_name: unsafe fn(NonNull<RefCount>) -> String,
}

/// What a check point, a detach or a thread exit did with queued objects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Freed {
    /// Queued objects merged.
    pub merged: usize,
    /// Of those, objects freed because their merged count was zero.
    pub freed: usize,
}

/// Attaches the calling thread (see [`ThreadState::attach`]) until the guard drops.
///
/// In the gil build this acquires the GIL: call [`AttachGuard::check_point`] regularly so
/// other threads get a turn, and wrap blocking calls in [`AttachGuard::blocking`].
pub fn attach() -> AttachGuard {
    with_thread(|ts| ts.attach());
    AttachGuard {
        _not_send: std::marker::PhantomData,
    }
}

/// Proof that the calling thread is attached; detaches on drop. Not `Send`.
#[must_use = "the thread detaches when the guard drops"]
pub struct AttachGuard {
    _not_send: std::marker::PhantomData<*const ()>,
}

impl AttachGuard {
    /// Number of objects waiting in this thread's merge queue (always 0 in the gil build).
    pub fn queued(&self) -> usize {
        with_thread(|ts| ts.queued())
    }

    /// The eval breaker's check point: nogil merges queued objects; gil hands the GIL to a
    /// waiting thread. Cheap (one relaxed load) when there is nothing to do.
    #[inline]
    pub fn check_point(&self) -> Freed {
        with_thread(|ts| ts.check_point())
    }

    /// Runs a blocking `f` detached, so that this thread neither holds the GIL nor holds
    /// queued garbage while it waits.
    pub fn blocking<R>(&self, f: impl FnOnce() -> R) -> R {
        blocking(f)
    }
}

/// Runs a blocking `f` with the calling thread fully detached (whatever its attach depth),
/// then restores its attachment. See [`AttachGuard::blocking`].
pub fn blocking<R>(f: impl FnOnce() -> R) -> R {
    let d = with_thread(detach_all);
    let r = f();
    with_thread(|ts| reattach(ts, d));
    r
}

fn detach_all(ts: &ThreadState) -> u32 {
    let mut d = 0;
    while ts.is_attached() {
        ts.detach();
        d += 1;
    }
    d
}

fn reattach(ts: &ThreadState, d: u32) {
    for _ in 0..d {
        ts.attach();
    }
}

impl Drop for AttachGuard {
    fn drop(&mut self) {
        // Tolerates a `thread_exit` that already ended the thread's state.
        with_thread(|ts| {
            if ts.is_attached() {
                ts.detach();
            }
        });
    }
}

#[cfg(not(feature = "nogil"))]
use gil::decref_as as variant_decref;
#[cfg(feature = "nogil")]
use nogil::decref_as as variant_decref;

/// Whether the calling thread is attached (gil build: holds the GIL). One thread-local read.
#[inline]
pub fn is_attached() -> bool {
    tls::is_attached()
}

/// Adds a reference on behalf of the calling thread (the thread-local fast path: one
/// thread-local read plus, for the owner, a plain add).
#[inline]
pub fn incref(rc: &RefCount) {
    rc.incref_as(tls::cur());
}

/// Drops a reference held by the calling thread, freeing through `vt` when it was the last.
///
/// # Safety
/// `obj` points to a live object with its [`RefCount`] at offset 0 that `vt.free` frees, and
/// the caller owns the reference being dropped.
#[inline]
pub unsafe fn decref(obj: NonNull<RefCount>, vt: &'static RcVTable) {
    // SAFETY: forwarded.
    unsafe { variant_decref(obj, vt, tls::cur()) }
}

/// A new count of one for an object created by the calling thread (owned by it when
/// attached, in the nogil build).
pub fn new_count() -> RefCount {
    RefCount::with_owner(tls::cur())
}

/// The count of `rc` as seen from the calling thread (see [`RefCount::get`]).
pub fn count_of(rc: &RefCount) -> usize {
    rc.snapshot(tls::cur())
}
