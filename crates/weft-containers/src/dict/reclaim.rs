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
//! * **nogil**: a read section publishes the thread's epoch (and unpublishes it at the end);
//!   a deferred bag is freed once every read section that was active when it was unlinked
//!   has ended — immediately when no thread is inside a read section at that moment. See
//!   `backend` for the mechanism and for the swap point to [`weft_sync::qsbr`].

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
    /// What the backend needs to leave the section.
    #[cfg(feature = "nogil")]
    cookie: usize,
    _not_send: std::marker::PhantomData<*const ()>,
}

impl ReadSection {
    /// Enters a read section; `None` when this thread cannot (its thread-locals are being
    /// destroyed) — the caller then takes its locked path.
    #[inline]
    pub(crate) fn enter() -> Option<ReadSection> {
        #[cfg(feature = "nogil")]
        {
            backend::enter().map(|cookie| ReadSection {
                cookie,
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
        backend::exit(self.cookie);
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

/// nogil: the grace-period mechanism.
///
/// **SWAP POINT.** The runtime's own QSBR is [`weft_sync::qsbr`], and `sync_qsbr` below is
/// this module written against it (read sections bracket `online()`/`offline()` unless the
/// thread is online already; deferred bags are `retire()`d and `poll()`ed). It is compiled
/// but not selected: as of this writing `Participant::collect` frees *orphans* (items handed
/// over by threads that went offline or exited) against a minimum computed before those
/// orphans were adopted, which frees an item a reader may still hold (reproduced with the
/// qsbr API alone; the fix is to read the sequence before the scan's fence and free orphans
/// only up to it). Until that lands, `local` — a small private QSBR with per-operation read
/// sections — is used; flip `USE_SYNC_QSBR` to switch.
#[cfg(feature = "nogil")]
mod backend {
    use super::Bag;

    /// Whether to use `weft_sync::qsbr` instead of the private stand-in (see above).
    const USE_SYNC_QSBR: bool = true;

    /// Enters a read section: `Some(cookie)` for `exit`, or `None` when the thread cannot.
    #[inline]
    pub(super) fn enter() -> Option<usize> {
        if USE_SYNC_QSBR {
            sync_qsbr::enter().map(usize::from)
        } else {
            local::enter()
        }
    }

    #[inline]
    pub(super) fn exit(cookie: usize) {
        if USE_SYNC_QSBR {
            sync_qsbr::exit(cookie != 0)
        } else {
            local::exit(cookie)
        }
    }

    pub(super) fn defer(b: Bag) {
        if USE_SYNC_QSBR {
            sync_qsbr::defer(b)
        } else {
            local::defer(b)
        }
    }

    pub(super) fn reclaim_now() -> usize {
        if USE_SYNC_QSBR {
            weft_sync::qsbr::reclaim_now();
            weft_sync::qsbr::pending()
        } else {
            local::reclaim_now()
        }
    }

    /// Over `weft_sync::qsbr`.
    mod sync_qsbr {
        use super::Bag;

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
            // SAFETY: everything in the bag was unlinked under the container's lock before
            // this call (bags are disposed after the lock is released); `free_bag` frees it
            // once, which is sound on any thread after the grace period.
            unsafe { weft_sync::qsbr::retire(p, free_bag) };
            weft_sync::qsbr::poll();
        }
    }

    /// The private stand-in: a small QSBR whose read sections are per operation.
    ///
    /// A global epoch `EPOCH` and one record per thread (`state`: 0 = offline, else the epoch
    /// the thread saw when it entered its read section), each alone on its cache line, in an
    /// append-only list (records are reused, never freed).
    /// * enter: `state = EPOCH; fence(SeqCst)`; exit: `state = 0` (release). Sections do not
    ///   nest (a debug assertion checks it), so the guard keeps the record and exit touches no
    ///   thread-local.
    /// * defer: `fence(SeqCst)`, read every record. If no thread is in a read section, free
    ///   now: a reader that enters later sees the unlinking stores (they precede our fence;
    ///   the two `SeqCst` fences order the store-load pairs), and a reader seen at 0 has left
    ///   (its release store orders its reads before our free). Otherwise bump `EPOCH` to `g`
    ///   (after the unlinks) and keep the bag with goal `g`.
    /// * reclaim: read `EPOCH` as the horizon `h`, `fence(SeqCst)`, read every record; free
    ///   the bags whose goal is at most both `h` and every active record's epoch. A thread
    ///   that entered at an epoch `>= g` acquired the bump, so it sees the unlinks. Bounding
    ///   by `h` matters for bags handed over by exited threads: their bump precedes our fence
    ///   only if we saw it before fencing (this is the hazard `weft_sync::qsbr` misses).
    /// * A thread that exits hands its bags to a global orphan list; any later reclaim frees
    ///   them.
    mod local {
        use std::cell::{Cell, RefCell};
        use std::ptr;

        use weft_sync::shim::Mutex;
        use weft_sync::shim::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering, fence};

        use super::Bag;

        #[repr(align(128))]
        struct Record {
            /// 0 = not in a read section; else the epoch seen on entry.
            state: AtomicU64,
            in_use: AtomicBool,
            next: *const Record,
        }

        // SAFETY: `next` is written once before the record is published and never changes;
        // the other fields are atomics. Records are leaked, so `&'static` is sound.
        unsafe impl Sync for Record {}
        // SAFETY: as above.
        unsafe impl Send for Record {}

        static EPOCH: AtomicU64 = AtomicU64::new(1);
        static RECORDS: AtomicPtr<Record> = AtomicPtr::new(ptr::null_mut());
        static ORPHANS: Mutex<Vec<(u64, Bag)>> = Mutex::new(Vec::new());
        static HAVE_ORPHANS: AtomicBool = AtomicBool::new(false);

        fn records() -> impl Iterator<Item = &'static Record> {
            let mut p = RECORDS.load(Ordering::Acquire) as *const Record;
            std::iter::from_fn(move || {
                if p.is_null() {
                    return None;
                }
                // SAFETY: records are leaked and published with release; `next` is fixed.
                let r = unsafe { &*p };
                p = r.next;
                Some(r)
            })
        }

        fn acquire_record() -> &'static Record {
            for r in records() {
                if !r.in_use.load(Ordering::Relaxed)
                    && r.in_use
                        .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
                        .is_ok()
                {
                    return r;
                }
            }
            let r: &'static mut Record = Box::leak(Box::new(Record {
                state: AtomicU64::new(0),
                in_use: AtomicBool::new(true),
                next: ptr::null(),
            }));
            let mut head = RECORDS.load(Ordering::Relaxed);
            loop {
                r.next = head;
                match RECORDS.compare_exchange_weak(
                    head,
                    r as *mut Record,
                    Ordering::Release,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => return r,
                    Err(h) => head = h,
                }
            }
        }

        struct Local {
            rec: Cell<Option<&'static Record>>,
            pending: RefCell<Vec<(u64, Bag)>>,
        }

        impl Local {
            fn rec(&self) -> &'static Record {
                match self.rec.get() {
                    Some(r) => r,
                    None => {
                        let r = acquire_record();
                        self.rec.set(Some(r));
                        r
                    }
                }
            }
        }

        impl Drop for Local {
            fn drop(&mut self) {
                let left = std::mem::take(self.pending.get_mut());
                if !left.is_empty() {
                    ORPHANS
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .extend(left);
                    HAVE_ORPHANS.store(true, Ordering::Release);
                }
                if let Some(r) = self.rec.get() {
                    r.state.store(0, Ordering::Release);
                    r.in_use.store(false, Ordering::Release);
                }
            }
        }

        std::thread_local! {
            static LOCAL: Local = const {
                Local {
                    rec: Cell::new(None),
                    pending: RefCell::new(Vec::new()),
                }
            };
        }

        /// Publishes the thread's epoch; returns its record's address as the cookie.
        #[inline]
        pub(super) fn enter() -> Option<usize> {
            LOCAL
                .try_with(|l| {
                    let r = l.rec();
                    debug_assert_eq!(r.state.load(Ordering::Relaxed), 0, "nested read section");
                    r.state
                        .store(EPOCH.load(Ordering::Acquire), Ordering::Relaxed);
                    fence(Ordering::SeqCst);
                    r as *const Record as usize
                })
                .ok()
        }

        #[inline]
        pub(super) fn exit(cookie: usize) {
            // SAFETY: the cookie is the address of this thread's record (records are leaked,
            // and a thread keeps its record until its thread-locals are destroyed, which
            // cannot happen while it is inside a read section).
            let r = unsafe { &*(cookie as *const Record) };
            r.state.store(0, Ordering::Release);
        }

        /// The smallest epoch among threads inside a read section (`u64::MAX`: none).
        /// Call after a `SeqCst` fence.
        fn min_active() -> u64 {
            records()
                .map(|r| r.state.load(Ordering::Acquire))
                .filter(|&s| s != 0)
                .min()
                .unwrap_or(u64::MAX)
        }

        pub(super) fn defer(mut b: Bag) {
            b.deferred = false;
            fence(Ordering::SeqCst);
            if min_active() == u64::MAX {
                b.run();
            } else {
                let goal = EPOCH.fetch_add(1, Ordering::AcqRel) + 1;
                let mut b = Some(b);
                let _ = LOCAL.try_with(|l| {
                    if let Some(b) = b.take() {
                        l.pending.borrow_mut().push((goal, b));
                    }
                });
                if let Some(b) = b {
                    ORPHANS
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((goal, b));
                    HAVE_ORPHANS.store(true, Ordering::Release);
                }
            }
            let pending = LOCAL
                .try_with(|l| !l.pending.borrow().is_empty())
                .unwrap_or(false);
            if pending || HAVE_ORPHANS.load(Ordering::Acquire) {
                reclaim_now();
            }
        }

        fn take_ready(list: &mut Vec<(u64, Bag)>, limit: u64, out: &mut Vec<Bag>) {
            let mut i = 0;
            while i < list.len() {
                if list[i].0 <= limit {
                    out.push(list.swap_remove(i).1);
                } else {
                    i += 1;
                }
            }
        }

        pub(super) fn reclaim_now() -> usize {
            let horizon = EPOCH.load(Ordering::Acquire);
            fence(Ordering::SeqCst);
            let limit = min_active().min(horizon);
            let mut ready = Vec::new();
            let left = LOCAL
                .try_with(|l| {
                    let mut p = l.pending.borrow_mut();
                    take_ready(&mut p, limit, &mut ready);
                    p.len()
                })
                .unwrap_or(0);
            if HAVE_ORPHANS.load(Ordering::Acquire) {
                let mut o = ORPHANS.lock().unwrap_or_else(|e| e.into_inner());
                take_ready(&mut o, limit, &mut ready);
                if o.is_empty() {
                    HAVE_ORPHANS.store(false, Ordering::Release);
                }
            }
            // Outside every borrow and lock: decrefs may run arbitrary code.
            for mut b in ready {
                b.run();
            }
            left
        }
    }
}
