//! The `gil` build's count: one plain `u32`, guarded by the global interpreter lock.
//!
//! Every access to a count happens while the calling thread holds the GIL: either the thread
//! is attached (it holds the GIL until it detaches or switches at a check point), or the
//! operation attaches for its own duration. `u32::MAX` is the immortal sentinel.

use std::cell::Cell;
use std::marker::PhantomData;
use std::ptr::NonNull;

use weft_sync::gil::Gil;
use weft_sync::shim::UnsafeCell;
use weft_sync::shim::atomic::{AtomicU32, AtomicUsize, Ordering};
use weft_sync::stats::{Event, count};

use crate::qsbr_hook;
use crate::{Freed, RcVTable};

const IMMORTAL: u32 = u32::MAX;
const MAX_COUNT: u32 = u32::MAX - 1;

/// An object's reference count. Embed it at offset 0 of a `#[repr(C)]` object.
///
/// In this (`gil`) build it is 8 bytes: the count and a flags word.
#[repr(C)]
pub struct RefCount {
    count: UnsafeCell<u32>,
    flags: AtomicU32,
}

// SAFETY: `count` is only read or written by a thread holding the GIL (see the module docs;
// every path goes through `with_gil`), which serialises all accesses; `flags` is atomic.
unsafe impl Sync for RefCount {}
// SAFETY: as above.
unsafe impl Send for RefCount {}

impl RefCount {
    /// A count of one held by the thread `ts`.
    pub fn new(_ts: &ThreadState) -> RefCount {
        RefCount::with_owner(0)
    }

    pub(crate) fn with_owner(_cur: u32) -> RefCount {
        RefCount {
            count: UnsafeCell::new(1),
            flags: AtomicU32::new(0),
        }
    }

    /// A count of one that no thread owns (the same as [`RefCount::new`] in this build).
    pub fn new_unowned() -> RefCount {
        RefCount::with_owner(0)
    }

    weft_sync::shim_const_fn! {
        /// The count of an immortal object: increments and decrements are no-ops. `const`
        /// except under loom (see [`weft_sync::shim_const_fn!`]).
        pub fn immortal() -> RefCount {
            RefCount {
                count: UnsafeCell::new(IMMORTAL),
                flags: AtomicU32::new(0),
            }
        }
    }

    fn load(&self) -> u32 {
        // SAFETY: only called under the GIL (`with_gil`).
        self.count.with(|p| unsafe { *p })
    }

    fn store(&self, v: u32) {
        // SAFETY: only called under the GIL (`with_gil`).
        self.count.with_mut(|p| unsafe { *p = v })
    }

    /// Whether the object is immortal.
    pub fn is_immortal(&self) -> bool {
        with_gil(|| self.load() == IMMORTAL)
    }

    /// The word holding the deferred and upper-layer flag bits.
    #[inline]
    pub(crate) fn flag_word(&self) -> &AtomicU32 {
        &self.flags
    }

    /// Makes the object immortal, consuming the caller's reference.
    pub fn make_immortal(&self) {
        with_gil(|| self.store(IMMORTAL));
    }

    /// Always `true`: the GIL build has no owners, and every thread that runs Python code
    /// holds the GIL, which is what ownership means for the callers of this (they may free at
    /// once what they unlink).
    #[inline]
    pub fn owned_by_current_thread(&self) -> bool {
        true
    }

    /// Always `None`: the GIL build has no owners.
    pub fn owner_tid(&self) -> Option<u32> {
        None
    }

    /// The count (`usize::MAX` for immortal objects).
    pub fn get(&self, _ts: &ThreadState) -> usize {
        self.snapshot(0)
    }

    pub(crate) fn snapshot(&self, _cur: u32) -> usize {
        with_gil(|| match self.load() {
            IMMORTAL => usize::MAX,
            n => n as usize,
        })
    }

    /// Adds a reference.
    #[inline]
    pub fn incref(&self, _ts: &ThreadState) {
        self.incref_as(0);
    }

    #[inline(always)]
    pub(crate) fn incref_as(&self, _cur: u32) {
        if crate::tls::attached() {
            self.incref_held();
        } else {
            self.incref_detached();
        }
    }

    /// # Precondition
    /// The calling thread holds the GIL.
    #[inline(always)]
    fn incref_held(&self) {
        let c = self.load();
        if c < MAX_COUNT {
            self.store(c + 1);
        } else if c != IMMORTAL {
            overflow_abort();
        }
    }

    #[cold]
    #[inline(never)]
    fn incref_detached(&self) {
        with_gil_slow(|| self.incref_held());
    }

    /// Takes a new reference unless the count already reached zero (the object is being
    /// freed). Under the GIL this is exact.
    pub fn try_incref(&self, _ts: &ThreadState) -> bool {
        with_gil(|| match self.load() {
            0 => false,
            IMMORTAL => true,
            c if c < MAX_COUNT => {
                self.store(c + 1);
                true
            }
            _ => overflow_abort(),
        })
    }
}

impl std::fmt::Debug for RefCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefCount")
            .field("count", &self.snapshot(0))
            .field("flags", &self.flags.load(Ordering::Relaxed))
            .finish()
    }
}

#[cold]
#[inline(never)]
fn overflow_abort() -> ! {
    eprintln!(
        "weft: reference count overflow; aborting\n{}",
        std::backtrace::Backtrace::capture()
    );
    std::process::abort()
}

/// Runs `f` holding the GIL: directly when this thread is attached, otherwise attaching for
/// the duration of `f`.
#[inline(always)]
fn with_gil<R>(f: impl FnOnce() -> R) -> R {
    if crate::tls::attached() {
        f()
    } else {
        with_gil_slow(f)
    }
}

#[cold]
#[inline(never)]
fn with_gil_slow<R>(f: impl FnOnce() -> R) -> R {
    let gil = Registry::global().gil();
    gil.acquire();
    crate::tls::set_attached(true);
    struct Release(&'static Gil);
    impl Drop for Release {
        fn drop(&mut self) {
            crate::tls::set_attached(false);
            self.0.release();
        }
    }
    let _release = Release(gil);
    f()
}

#[cold]
#[inline(never)]
fn below_zero(obj: NonNull<RefCount>, vt: &'static RcVTable) -> ! {
    // SAFETY: only called with a live object (the decref that found the bad count).
    let name = unsafe { (vt.type_name)(obj) };
    panic!("weft: reference count of a `{name}` object went below zero (a decref too many)");
}

/// Drops one reference, freeing through `vt` when it was the last one.
///
/// # Safety
/// `obj` points to a live object whose [`RefCount`] is at offset 0 and that `vt.free` can
/// free, and the caller owns the reference being dropped.
#[inline(always)]
pub(crate) unsafe fn decref_as(obj: NonNull<RefCount>, vt: &'static RcVTable, _cur: u32) {
    let last = if crate::tls::attached() {
        // SAFETY: forwarded; this thread holds the GIL.
        unsafe { decref_held(obj, vt) }
    } else {
        // SAFETY: forwarded.
        unsafe { decref_detached(obj, vt) }
    };
    if last {
        count(Event::FreedByOwner);
        // Freed holding the GIL when attached; a detached thread frees outside it, which is
        // sound because nobody else can reach the object any more.
        // SAFETY: that was the last reference.
        unsafe { (vt.free)(obj) };
    }
}

/// Decrements; returns whether that was the last reference.
///
/// # Safety
/// As for [`decref_as`], and the calling thread holds the GIL.
#[inline(always)]
unsafe fn decref_held(obj: NonNull<RefCount>, vt: &'static RcVTable) -> bool {
    // SAFETY: the caller holds a reference, so the object is alive.
    let rc = unsafe { obj.as_ref() };
    let c = rc.load();
    if c == IMMORTAL {
        return false;
    }
    if c == 0 {
        below_zero(obj, vt);
    }
    rc.store(c - 1);
    c == 1
}

/// [`decref_held`] for a thread that does not hold the GIL: takes it for the decrement.
///
/// # Safety
/// As for [`decref_as`].
#[cold]
#[inline(never)]
unsafe fn decref_detached(obj: NonNull<RefCount>, vt: &'static RcVTable) -> bool {
    // SAFETY: forwarded; with_gil_slow holds the GIL around the call.
    with_gil_slow(|| unsafe { decref_held(obj, vt) })
}

/// The process's GIL and thread count.
pub struct Registry {
    gil: GilRef,
    threads: AtomicUsize,
    next_tid: AtomicU32,
}

enum GilRef {
    #[cfg(not(weft_loom))]
    Static(&'static Gil),
    #[cfg(weft_loom)]
    Owned(Gil),
}

impl Registry {
    /// The process-wide registry (per model execution under loom). Its GIL is
    /// [`weft_sync::gil::global`].
    pub fn global() -> &'static Registry {
        #[cfg(not(weft_loom))]
        {
            static GLOBAL: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
            GLOBAL.get_or_init(|| Registry {
                gil: GilRef::Static(weft_sync::gil::global()),
                threads: AtomicUsize::new(0),
                next_tid: AtomicU32::new(1),
            })
        }
        #[cfg(weft_loom)]
        {
            loom::lazy_static! {
                static ref GLOBAL: Registry = Registry {
                    gil: GilRef::Owned(Gil::new()),
                    threads: AtomicUsize::new(0),
                    next_tid: AtomicU32::new(1),
                };
            }
            &GLOBAL
        }
    }

    /// The GIL.
    pub fn gil(&self) -> &Gil {
        match &self.gil {
            #[cfg(not(weft_loom))]
            GilRef::Static(g) => g,
            #[cfg(weft_loom)]
            GilRef::Owned(g) => g,
        }
    }

    /// Number of threads with a [`ThreadState`].
    pub fn thread_count(&self) -> usize {
        self.threads.load(Ordering::Relaxed)
    }
}

/// One thread's view of the runtime: whether it is attached (holds the GIL). Not `Send`.
pub struct ThreadState {
    registry: &'static Registry,
    tid: u32,
    depth: Cell<u32>,
    _not_send: PhantomData<*const ()>,
}

impl ThreadState {
    pub(crate) fn new() -> ThreadState {
        let registry = Registry::global();
        registry.threads.fetch_add(1, Ordering::Relaxed);
        ThreadState {
            registry,
            tid: registry.next_tid.fetch_add(1, Ordering::Relaxed),
            depth: Cell::new(0),
            _not_send: PhantomData,
        }
    }

    /// This thread's id (stable while the state lives).
    pub fn tid(&self) -> u32 {
        self.tid
    }

    /// Whether the thread is attached, i.e. holds the GIL.
    pub fn is_attached(&self) -> bool {
        self.depth.get() > 0
    }

    /// Attaches the thread (nestable): the outermost call acquires the GIL.
    pub fn attach(&self) {
        let d = self.depth.get();
        if d == 0 {
            self.registry.gil().acquire();
            crate::tls::set_attached(true);
            qsbr_hook::online();
        }
        self.depth.set(d + 1);
    }

    /// Undoes one [`attach`](Self::attach); the outermost one releases the GIL.
    pub fn detach(&self) -> Freed {
        let d = self.depth.get();
        assert!(d > 0, "ThreadState::detach without attach");
        self.depth.set(d - 1);
        if d == 1 {
            qsbr_hook::offline();
            crate::tls::set_attached(false);
            self.registry.gil().release();
        }
        Freed::default()
    }

    /// The eval breaker's check point: hands the GIL to a thread that asked for it.
    #[inline]
    pub fn check_point(&self) -> Freed {
        // A quiescent point for lock-free readers' memory reclamation (see weft_sync::qsbr).
        qsbr_hook::quiescent();
        if self.is_attached() && self.registry.gil().drop_requested() {
            self.registry.gil().yield_if_requested();
        }
        Freed::default()
    }

    /// Runs `f` with the GIL released (for a blocking call), re-taking it afterwards.
    pub fn blocking<R>(&self, f: impl FnOnce() -> R) -> R {
        let depth = self.depth.get();
        if depth == 0 {
            return f();
        }
        self.depth.set(1);
        self.detach();
        let r = f();
        self.attach();
        self.depth.set(depth);
        r
    }

    /// Drops one reference to `obj` held by this thread.
    ///
    /// # Safety
    /// `obj` points to a live object with its [`RefCount`] at offset 0 that `vt.free` frees;
    /// the caller owns the reference being dropped.
    #[inline]
    pub unsafe fn decref(&self, obj: NonNull<RefCount>, vt: &'static RcVTable) {
        // SAFETY: forwarded.
        unsafe { decref_as(obj, vt, 0) }
    }

    /// Always zero: the GIL build has no merge queues.
    pub fn queued(&self) -> usize {
        0
    }
}

impl Drop for ThreadState {
    fn drop(&mut self) {
        if self.depth.get() > 0 {
            self.depth.set(1);
            self.detach();
        }
        self.registry.threads.fetch_sub(1, Ordering::Relaxed);
    }
}
