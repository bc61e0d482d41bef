//! Deferred reclamation for the lock-free readers of `dict` and `set`, over
//! [`weft_sync::qsbr`].
//!
//! Two things are handed out here:
//!
//! * [`ReadSection`]: a lock-free reader holds one while it touches a table: it loads the
//!   table pointer, probes, loads key and value tokens and takes references to them. A read
//!   section never contains a call into user code (no `__eq__`, no `__hash__`, no decref), so
//!   it is short and bounded, and it never spans a QSBR quiescent point.
//! * [`Bag`]: a writer collects what it unlinked under the lock — replaced tables (freed
//!   without touching counts: the new table owns the references now) and removed keys and
//!   values (one decref each) — and the bag is disposed after the lock is released.
//!
//! **The rule:** nothing a reader may have loaded inside a read section is freed, and no
//! reference a table held is released, until every read section that was active when it was
//! unlinked has ended. While a key or value is in a table, the table's own reference keeps
//! it alive; once unlinked, the bag keeps that reference until the grace period is over. So a
//! reader that loaded a token inside its section can take a *plain* `incref` on it (the count
//! cannot be zero; `try_incref` is not needed), and a table it loaded stays readable. This is
//! what lets weft use the system allocator: CPython instead relies on mimalloc keeping freed
//! object memory readable so that its readers' `try_incref` can fail safely.
//!
//! ## When garbage is deferred
//! A bag is only deferred when the container is *shared*: some thread other than the
//! container's owner (the thread that created it, per its reference count) has read or
//! written it. The flag is set under the container's lock before that thread's first
//! lock-free read, and writers read it under the lock, so a writer that sees "not shared"
//! knows that no other thread can be inside a read section of this container: it frees at
//! once, keeping CPython's prompt destruction for the (common) thread-private containers.
//! The owner's own reads never overlap its own writes (a read section contains no calls).
//!
//! ## Variants
//! * **gil**: threads run container code one at a time under the GIL, and a thread gives the
//!   GIL up only inside a call into user code (never inside a read section or a locked
//!   mutation). So no reader can be in the middle of a table when a bag is disposed: sections
//!   are no-ops and bags free immediately.
//! * **nogil**: a read section keeps the thread online in [`weft_sync::qsbr`] (bringing it
//!   online for the section's duration if it was offline); a deferred bag is retired there
//!   and freed once every thread that was online when it was retired has passed a quiescent
//!   point or gone offline. See `backend`.

use weft_object::ObjRef;

/// A raw allocation to free after the grace period.
struct Raw {
    ptr: *mut (),
    free: unsafe fn(*mut ()),
}

// SAFETY: a `Raw` is garbage that no thread uses any more except lock-free readers, which only
// read it; `Bag::raw`'s contract makes freeing it from any thread sound.
unsafe impl Send for Raw {}

/// Garbage produced by a locked mutation. Dropping the bag disposes of it (immediately, or
/// after the grace period when [`Bag::defer`] was called), so declare the bag *before* taking
/// the lock: it then drops after the lock is released, and the decrefs it runs (which may run
/// arbitrary code) see a consistent container.
#[derive(Default)]
pub(crate) struct Bag {
    objs: [Option<ObjRef>; 2],
    more: Vec<ObjRef>,
    raws: Vec<Raw>,
    deferred: bool,
}

impl Bag {
    /// An empty bag (allocates nothing until it holds more than two references or a table).
    pub(crate) fn new() -> Bag {
        Bag::default()
    }

    /// Marks the garbage as possibly visible to lock-free readers of other threads: it is then
    /// released only after the grace period. Call under the container's lock when the
    /// container is shared.
    #[cfg_attr(not(feature = "nogil"), allow(dead_code))]
    #[inline]
    pub(crate) fn defer(&mut self) {
        self.deferred = true;
    }

    /// Adds a reference that a table gave up.
    #[inline]
    pub(crate) fn obj(&mut self, o: ObjRef) {
        for slot in &mut self.objs {
            if slot.is_none() {
                *slot = Some(o);
                return;
            }
        }
        self.more.push(o);
    }

    /// Adds an allocation to free.
    ///
    /// # Safety
    /// `free(ptr)` must be sound once no read section that began before this call is active
    /// (on any thread), and nothing but lock-free readers may use `ptr` after this call.
    pub(crate) unsafe fn raw(&mut self, ptr: *mut (), free: unsafe fn(*mut ())) {
        self.raws.push(Raw { ptr, free });
    }

    fn is_empty(&self) -> bool {
        self.objs.iter().all(Option::is_none) && self.more.is_empty() && self.raws.is_empty()
    }

    /// Frees everything now: tables first (they own no counts), then the references (whose
    /// decrefs may run arbitrary code).
    fn run(&mut self) {
        for r in self.raws.drain(..) {
            // SAFETY: `Bag::raw`'s contract; we are past the grace period (or no reader can
            // see the allocation: see the module docs).
            unsafe { (r.free)(r.ptr) };
        }
        for slot in &mut self.objs {
            drop(slot.take());
        }
        drop(std::mem::take(&mut self.more));
    }
}

impl Drop for Bag {
    fn drop(&mut self) {
        if self.is_empty() {
            return;
        }
        if self.deferred {
            backend::defer(std::mem::take(self));
        } else {
            self.run();
        }
    }
}

/// Proof that the calling thread is inside a read section (see the module docs). Not `Send`.
/// Read sections never nest (they contain no calls).
pub(crate) struct ReadSection {
    /// Whether entering brought the thread online (it goes offline again on exit).
    #[cfg(feature = "nogil")]
    bracketed: bool,
    _not_send: std::marker::PhantomData<*const ()>,
}

impl ReadSection {
    /// Enters a read section; `None` when this thread cannot (its thread-locals are being
    /// destroyed) — the caller then takes its locked path.
    #[inline]
    pub(crate) fn enter() -> Option<ReadSection> {
        #[cfg(feature = "nogil")]
        {
            backend::enter().map(|bracketed| ReadSection {
                bracketed,
                _not_send: std::marker::PhantomData,
            })
        }
        #[cfg(not(feature = "nogil"))]
        {
            Some(ReadSection {
                _not_send: std::marker::PhantomData,
            })
        }
    }
}

impl Drop for ReadSection {
    #[inline]
    fn drop(&mut self) {
        #[cfg(feature = "nogil")]
        backend::exit(self.bracketed);
    }
}

/// Frees deferred garbage whose grace period is over (this thread's, and what exited threads
/// left behind); returns how many bags this thread still has waiting. Always 0 in the gil
/// build. Tests call it before counting frees.
pub fn reclaim_now() -> usize {
    #[cfg(feature = "nogil")]
    {
        backend::reclaim_now()
    }
    #[cfg(not(feature = "nogil"))]
    {
        0
    }
}

#[cfg(not(feature = "nogil"))]
mod backend {
    use super::Bag;

    /// gil build: no thread can be inside a read section (see the module docs).
    pub(super) fn defer(mut b: Bag) {
        b.deferred = false;
        b.run();
    }
}

/// nogil: the grace-period mechanism, over [`weft_sync::qsbr`].
///
/// A read section brackets `online()`/`offline()` unless the thread is online already (then
/// it stays online: its next quiescent point is outside the section, which contains no
/// calls). A deferred bag is boxed and `retire()`d, then `poll()` runs, which once this
/// thread's backlog reaches a threshold frees what is past its grace period (its own items
/// and those handed over by threads that went offline or exited) and, if the thread is
/// offline, hands the rest over. `weft_sync::qsbr` frees handed-over items only up to the
/// sequence it read before scanning the records, so an item handed over during a scan is not
/// freed under a reader that came online after the scan read its record (regression test:
/// `weft-sync/tests/qsbr_orphans.rs`).
#[cfg(feature = "nogil")]
mod backend {
    use super::Bag;

    /// Enters a read section: `Some(bracketed)` for `exit` (whether this call brought the
    /// thread online), or `None` when the thread cannot (its thread-locals are gone).
    #[inline]
    pub(super) fn enter() -> Option<bool> {
        let bracketed = !weft_sync::qsbr::is_online();
        if bracketed {
            weft_sync::qsbr::online();
            if !weft_sync::qsbr::is_online() {
                return None;
            }
        }
        Some(bracketed)
    }

    #[inline]
    pub(super) fn exit(bracketed: bool) {
        if bracketed {
            weft_sync::qsbr::offline();
        }
    }

    /// # Safety
    /// `p` is a `Box<Bag>` from `defer`, freed once.
    unsafe fn free_bag(p: *mut ()) {
        // SAFETY: per the contract.
        let mut b = unsafe { Box::from_raw(p as *mut Bag) };
        b.deferred = false;
        b.run();
    }

    pub(super) fn defer(mut b: Bag) {
        b.deferred = false;
        let p = Box::into_raw(Box::new(b)) as *mut ();
        // SAFETY: everything in the bag was unlinked under the container's lock before this
        // call (bags are disposed after the lock is released); `free_bag` frees it once, which
        // is sound on any thread after the grace period.
        unsafe { weft_sync::qsbr::retire(p, free_bag) };
        weft_sync::qsbr::poll();
    }

    pub(super) fn reclaim_now() -> usize {
        weft_sync::qsbr::reclaim_now();
        weft_sync::qsbr::pending()
    }
}
