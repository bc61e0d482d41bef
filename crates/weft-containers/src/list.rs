//! `list`: a mutable sequence whose reads take no lock.
//!
//! # Layout
//! The payload ([`PyList`]) holds an atomic pointer to an *items buffer* (a capacity followed
//! by `capacity` atomic object pointers, or null for "no storage"), an atomic length, a
//! mutation counter and (nogil) a "shared" flag. Each non-null slot below the length owns one
//! reference to its object; every slot at or past the length is null once a mutation is over.
//!
//! # Writers
//! Every mutation runs inside the list object's critical section ([`Object::with_lock`];
//! two-object sections for `a.extend(b)`, `a + b`), publishes slots, the buffer and the length
//! with release stores, and bumps the mutation counter. No code that could run Python (a
//! decref, `__eq__`, a key function) runs inside a section: references a mutation gives up and
//! buffers it replaces go into a `Garbage` bag that is disposed of after the section ends,
//! so destructors always see a consistent list (and may even mutate it).
//!
//! # Readers (the crux)
//! `get`, `len`, iteration and everything built on them read without the lock: load the
//! length, load the buffer, bounds-check against the buffer's capacity, load the slot, and
//! take a reference with a *plain* incref. Falling back to the locked path whenever a step
//! fails (null buffer, index past capacity, null slot) keeps the fast path branch-light.
//!
//! Why a plain incref of a pointer loaded without the lock is sound (nogil build):
//!
//! * **The buffer stays readable.** A buffer replaced while a reader may hold it (growth,
//!   shrinking, `clear`, `sort`) is retired through [`weft_sync::qsbr`]: it is freed only after
//!   every online thread passed a quiescent point, and a lock-free reader is online and passes
//!   no quiescent point inside a read.
//! * **The object stays alive.** A reader that loaded a pointer from a slot may lose the race
//!   with a writer that removes the item and drops the list's reference, which might be the
//!   last one — the object would be freed between the reader's load and its incref. So a
//!   removed item's reference is *not* dropped at once: it goes to QSBR too, and is released
//!   only after every online thread passed a quiescent point. Until then the object's count
//!   is at least one (the deferred reference), so the reader's incref is an ordinary incref of
//!   a live object — no `try_incref` needed (which, for a non-owner, would also fail whenever
//!   all references sit in the owner's local count, forcing the locked path on most reads of
//!   objects created by another thread). Since the object's count never reaches zero while a
//!   reader can reach it, no re-validation of the slot is needed either: whatever the reader
//!   loaded was in the list at some moment during the read.
//! * **Only when someone could be looking.** Deferring every removal would delay destructors
//!   (observable: `__del__` runs late) and cost a retire per removal. A list starts *private*
//!   to the thread that created it: its `owner` word holds that thread's id (a per-thread
//!   number from a never-reused counter, one thread-local read to get). The first lock-free
//!   read or write from any other thread sets the word to `SHARED`, once and under the
//!   list's lock. While the list is private, the only lock-free reader is its owner, and a
//!   thread's reads never overlap its own writes (a read contains no calls), so writers free
//!   immediately, as CPython does. Once shared, every mutation defers its garbage. A reader
//!   that marks the list shared does so under the lock, so either its section precedes a
//!   writer's (which then sees the mark) or follows it (and every unlink of that writer is
//!   visible to the reader's later loads).
//! * **Only online threads read lock-free.** A thread that is not online in QSBR (detached,
//!   or never attached) takes the locked path: under the list's lock the buffer is current and
//!   every slot below the length owns a reference.
//!
//! In the gil build the same code runs with critical sections compiled out: every operation
//! holds the GIL (it attaches for its duration if the calling thread is not attached), a
//! thread gives the GIL up only at check points, never inside a read or a mutation, so
//! garbage is always released at once (after the mutation, outside it).
//!
//! # Python semantics
//! Error messages are CPython 3.11's. A list mutated during iteration behaves as in CPython:
//! iterators index into the current contents. `sort` empties the list while it runs and
//! raises `ValueError: list modified during sort` if it was changed meanwhile; a raising
//! comparison or key function leaves the list in its original order.

use std::alloc::{self, Layout};
use std::ptr::{self, NonNull};

use weft_object::types::OBJECT_TYPE;
use weft_object::{
    CompareOp, ExcKind, NumberSlots, ObjRef, Object, Payload, PyErr, PyResult, Slots, TypeObject,
    bool_obj, not_implemented,
};
use weft_sync::shim::atomic::{AtomicPtr, AtomicUsize, Ordering};

use crate::tuple::{
    Slice, SliceIndices, as_tuple, index_value, normalize_index, repeat_count, repeat_len,
    repr_enter,
};

// ---------------------------------------------------------------------------------------------
// Owned references as raw pointers.

const _: () = assert!(std::mem::size_of::<ObjRef>() == std::mem::size_of::<NonNull<Object>>());

/// Gives up `r` as a raw pointer that owns the reference.
#[inline]
fn into_raw(r: ObjRef) -> *mut Object {
    let p = r.as_ptr() as *mut Object;
    std::mem::forget(r);
    p
}

/// Takes back the reference that [`into_raw`] gave up.
///
/// # Safety
/// `p` came from [`into_raw`] (or is otherwise an owned reference) and the caller owns that
/// reference (it has been removed from wherever it was stored).
#[inline]
unsafe fn from_raw(p: *mut Object) -> ObjRef {
    debug_assert!(!p.is_null());
    // SAFETY: `ObjRef` is a single `NonNull<Object>` field (same size, asserted above, so that
    // field covers all its bytes): its bit pattern is the object's address. Ownership of the
    // reference passes to the returned value per the contract.
    unsafe { std::mem::transmute::<NonNull<Object>, ObjRef>(NonNull::new_unchecked(p)) }
}

// ---------------------------------------------------------------------------------------------
// Items buffers.

/// The header of an items buffer; `cap` atomic slots follow it in the same allocation.
#[repr(C)]
struct Header {
    cap: usize,
    /// For a buffer given up together with its items (`clear`): how many leading slots own
    /// references that freeing the buffer must release.
    owned: usize,
    /// Loom only: `true` until the buffer is freed. Lock-free readers read it after their last
    /// look at the buffer and `free` writes it, so loom reports a free that is not ordered
    /// after a reader's look as a data race, and a reader that looks after the free fails.
    #[cfg(weft_loom)]
    live: weft_sync::shim::UnsafeCell<bool>,
}

/// A pointer to an items buffer. Copy: ownership is tracked by the list (current buffer) or
/// by whoever retired it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Buf(NonNull<Header>);

impl Buf {
    fn layout(cap: usize) -> Option<(Layout, usize)> {
        let (l, off) = Layout::new::<Header>()
            .extend(Layout::array::<AtomicPtr<Object>>(cap).ok()?)
            .ok()?;
        Some((l.pad_to_align(), off))
    }

    /// A new buffer of `cap > 0` null slots; `MemoryError` when it cannot be allocated.
    fn alloc(cap: usize) -> PyResult<Buf> {
        debug_assert!(cap > 0);
        let (layout, _) = Buf::layout(cap).ok_or_else(no_memory)?;
        // SAFETY: the layout has a non-zero size (it holds the header). Zeroed memory is a
        // valid array of null `AtomicPtr`s (same representation as `*mut Object`; under loom
        // the slots are built below instead).
        let p = unsafe { alloc::alloc_zeroed(layout) };
        let Some(h) = NonNull::new(p as *mut Header) else {
            return Err(no_memory());
        };
        // SAFETY: a fresh allocation of `layout`, whose first field is the header.
        unsafe {
            h.as_ptr().write(Header {
                cap,
                owned: 0,
                #[cfg(weft_loom)]
                live: weft_sync::shim::UnsafeCell::new(true),
            })
        };
        let b = Buf(h);
        #[cfg(weft_loom)]
        b.init_slots();
        Ok(b)
    }

    /// Loom: builds the null slots in place (loom's atomics are not plain memory).
    #[cfg(weft_loom)]
    fn init_slots(self) {
        for i in 0..self.cap() {
            // SAFETY: `slot_ptr(i)` is in bounds (`i < cap`) and not yet a live atomic.
            unsafe { self.slot_ptr(i).write(AtomicPtr::new(ptr::null_mut())) };
        }
    }

    /// Resizes the buffer in place or by moving it (`realloc`), keeping the first
    /// `min(cap, new_cap)` slots and nulling new ones. On failure the old buffer is intact.
    ///
    /// # Safety
    /// Nobody else uses the buffer (no lock-free reader can hold it: the list is private, or
    /// this is the gil build), and slots at `new_cap` or past it own nothing.
    #[cfg(not(weft_loom))]
    unsafe fn realloc(self, new_cap: usize) -> PyResult<Buf> {
        debug_assert!(new_cap > 0);
        let cap = self.cap();
        let (old_layout, off) = Buf::layout(cap).expect("layout was valid at allocation");
        let (new_layout, _) = Buf::layout(new_cap).ok_or_else(no_memory)?;
        // SAFETY: allocated with `old_layout` (same alignment as `new_layout`); the new size is
        // non-zero; per the contract nobody else touches the buffer.
        let p = unsafe { alloc::realloc(self.as_ptr() as *mut u8, old_layout, new_layout.size()) };
        let Some(h) = NonNull::new(p as *mut Header) else {
            return Err(no_memory());
        };
        // SAFETY: `p` holds `new_layout`: the header, then `new_cap` slots at `off`, of which
        // the first `min(cap, new_cap)` were copied by realloc; the rest are zeroed (null).
        unsafe {
            (*h.as_ptr()).cap = new_cap;
            #[cfg(not(weft_loom))]
            if new_cap > cap {
                ptr::write_bytes(
                    p.add(off).cast::<AtomicPtr<Object>>().add(cap),
                    0,
                    new_cap - cap,
                );
            }
        }
        Ok(Buf(h))
    }

    /// [`realloc`](Self::realloc) under loom: a new buffer, the slots moved over, the old one
    /// freed through [`free`](Self::free), so that its liveness flag records the free (a
    /// reader that the contract wrongly assumes away is then caught; an in-place `realloc`
    /// would hide it).
    ///
    /// # Safety
    /// As for the normal build's `realloc`.
    #[cfg(weft_loom)]
    unsafe fn realloc(self, new_cap: usize) -> PyResult<Buf> {
        debug_assert!(new_cap > 0);
        let new = Buf::alloc(new_cap)?;
        for i in 0..self.cap().min(new_cap) {
            new.slot(i)
                .store(self.slot(i).load(Ordering::Relaxed), Ordering::Relaxed);
        }
        // SAFETY: per the contract nobody else uses the old buffer; it owns nothing (`owned`
        // is 0: its references moved to `new`).
        unsafe { self.free() };
        Ok(new)
    }

    #[inline]
    fn from_ptr(p: *mut Header) -> Option<Buf> {
        NonNull::new(p).map(Buf)
    }

    #[inline]
    fn as_ptr(self) -> *mut Header {
        self.0.as_ptr()
    }

    #[inline]
    fn cap(self) -> usize {
        // SAFETY: a `Buf` points to a live buffer (the caller's reason to hold it: the list's
        // lock, a QSBR read, or ownership); the header is immutable after allocation.
        unsafe { (*self.0.as_ptr()).cap }
    }

    /// The address of the slot at `i < cap`.
    #[inline]
    fn slot_ptr(self, i: usize) -> *mut AtomicPtr<Object> {
        debug_assert!(i < self.cap());
        // SAFETY: slots start right after the header (offset `size_of::<Header>()`, which is a
        // multiple of the slot alignment, asserted below) and `i < cap`; the pointer derives
        // from the allocation's own pointer, so it may address the whole allocation.
        unsafe {
            ((self.0.as_ptr() as *mut u8).add(std::mem::size_of::<Header>())
                as *mut AtomicPtr<Object>)
                .add(i)
        }
    }

    /// The slot at `i < cap`.
    #[inline]
    fn slot<'a>(self, i: usize) -> &'a AtomicPtr<Object> {
        // SAFETY: an in-bounds slot, a valid atomic since `alloc`; the buffer outlives `'a` by
        // the caller's reason to hold the `Buf` (see `cap`).
        unsafe { &*self.slot_ptr(i) }
    }

    /// Loom: asserts that the buffer has not been freed, as a read loom checks against the
    /// free's write (see [`Header::live`]). A lock-free reader calls it after its last access.
    #[cfg(weft_loom)]
    fn check_live(self) {
        // SAFETY: the header is quarantined, not reused, even after a (buggy) early free
        // (`weft_sync::shim::dealloc`); loom checks this read against `free`'s write.
        let live = unsafe { (*self.as_ptr()).live.with(|l| *l) };
        assert!(live, "lock-free list reader used a freed items buffer");
    }

    /// Frees the buffer, first releasing the references of its first `owned` slots.
    ///
    /// # Safety
    /// Nobody uses the buffer any more (lock-free readers included) and this is its only free.
    unsafe fn free(self) {
        // SAFETY: per the contract the buffer is ours alone.
        let (cap, owned) = unsafe { ((*self.as_ptr()).cap, (*self.as_ptr()).owned) };
        for i in 0..owned {
            let p = self.slot(i).swap(ptr::null_mut(), Ordering::Relaxed);
            if !p.is_null() {
                // SAFETY: those slots own their references (the buffer was given up with them).
                drop(unsafe { from_raw(p) });
            }
        }
        #[cfg(weft_loom)]
        {
            // SAFETY: the buffer is ours (contract); loom checks this write against every
            // lock-free reader's `check_live`.
            let live = unsafe { &(*self.as_ptr()).live };
            live.with_mut(|l| {
                // SAFETY: as above.
                unsafe {
                    assert!(*l, "list items buffer freed twice");
                    *l = false;
                }
            });
        }
        let (layout, _) = Buf::layout(cap).expect("layout was valid at allocation");
        // SAFETY: allocated by `alloc` with this layout; freed once. (`shim::dealloc` is
        // `std::alloc::dealloc` outside loom.)
        unsafe { weft_sync::shim::dealloc(self.as_ptr() as *mut u8, layout) };
    }
}

// Keep the slot offset computation in `Buf::slot` honest.
const _: () = assert!(
    std::mem::size_of::<Header>().is_multiple_of(std::mem::align_of::<AtomicPtr<Object>>())
        && std::mem::align_of::<Header>() >= std::mem::align_of::<AtomicPtr<Object>>()
);

fn no_memory() -> PyErr {
    PyErr::new(ExcKind::MemoryError, "")
}

/// # Safety
/// `p` is a `Buf` given up by a list and retired (see `Garbage::finish`).
unsafe fn free_buf_deferred(p: *mut ()) {
    // SAFETY: the grace period is over: no reader can hold the buffer.
    unsafe { Buf(NonNull::new_unchecked(p as *mut Header)).free() }
}

/// # Safety
/// `p` is an owned reference given up by a list and retired (see `Garbage::finish`).
unsafe fn release_ref_deferred(p: *mut ()) {
    // SAFETY: the grace period is over; we own the reference.
    drop(unsafe { from_raw(p as *mut Object) });
}

// ---------------------------------------------------------------------------------------------
// Variant-specific pieces: holding the GIL, lock-free read eligibility, sharing.

#[cfg(not(feature = "nogil"))]
mod variant {
    /// Runs `f` holding the GIL: at once when the thread is attached, otherwise attaching
    /// (taking the GIL) for the duration of `f`.
    #[inline]
    pub(super) fn hold<R>(f: impl FnOnce() -> R) -> R {
        if weft_refcount::is_attached() {
            f()
        } else {
            let _g = weft_refcount::attach();
            f()
        }
    }

    /// Under the GIL no mutation is in progress while a read runs.
    #[inline]
    pub(super) fn can_read_lock_free() -> bool {
        true
    }
}

#[cfg(feature = "nogil")]
mod variant {
    /// Critical sections do the work in the nogil build.
    #[inline(always)]
    pub(super) fn hold<R>(f: impl FnOnce() -> R) -> R {
        f()
    }

    /// Only online threads read lock-free (QSBR protects nobody else).
    #[inline]
    pub(super) fn can_read_lock_free() -> bool {
        weft_sync::qsbr::is_online()
    }

    weft_sync::shim_thread_local! {
        static THREAD_ID: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }

    /// The calling thread's id for list ownership: unique among all threads ever (a 64-bit
    /// counter, never [`super::SHARED`]), or `SHARED` while the thread is being torn down.
    #[inline]
    pub(super) fn thread_id() -> u64 {
        THREAD_ID
            .try_with(|c| match c.get() {
                0 => {
                    // A `std` atomic even under loom: ids need only be unique (across model
                    // executions too), and the counter is no part of any protocol.
                    static NEXT: std::sync::atomic::AtomicU64 =
                        std::sync::atomic::AtomicU64::new(1);
                    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    c.set(id);
                    id
                }
                id => id,
            })
            // During thread teardown: no id. `SHARED` never matches an owner, so such a
            // thread treats every list as shared (and the lists it makes start shared).
            .unwrap_or(super::SHARED)
    }
}

/// The `owner` word of a list that other threads have touched.
#[cfg(feature = "nogil")]
const SHARED: u64 = 0;

/// What a mutation gave up: references (one each) and buffers, released after its critical
/// section — at once, or through QSBR when lock-free readers of other threads may hold them.
struct Garbage {
    first: Option<NonNull<Object>>,
    objs: Vec<NonNull<Object>>,
    bufs: Vec<Buf>,
    deferred: bool,
}

impl Garbage {
    #[inline]
    fn new() -> Garbage {
        Garbage {
            first: None,
            objs: Vec::new(),
            bufs: Vec::new(),
            deferred: false,
        }
    }

    /// A reference the list gave up (a raw pointer that owns it).
    #[inline]
    fn obj(&mut self, p: *mut Object) {
        let Some(p) = NonNull::new(p) else { return };
        if self.first.is_none() {
            self.first = Some(p);
        } else {
            self.objs.push(p);
        }
    }

    /// A buffer the list gave up; its first `owned` slots own references to release.
    #[inline]
    fn buf(&mut self, b: Buf, owned: usize) {
        // SAFETY: the buffer was just unlinked under the lock; only we write its header now
        // (readers only read `cap`, a different field).
        unsafe { (*b.as_ptr()).owned = owned };
        self.bufs.push(b);
    }

    /// Releases everything: at once, or after the QSBR grace period when deferred. Call after
    /// the critical section ended (releasing references may run arbitrary code).
    #[inline]
    fn finish(self) {
        if self.first.is_some() || !self.bufs.is_empty() {
            self.finish_slow();
        }
    }

    #[inline(never)]
    fn finish_slow(mut self) {
        // The common case (`l[i] = x` on a list no other thread reads): one replaced value,
        // released at once.
        if !self.deferred && self.bufs.is_empty() && self.objs.is_empty() {
            if let Some(p) = self.first.take() {
                // SAFETY: not deferred: no other thread reads this list lock-free (see the
                // module docs); the list owned this reference and gave it up.
                drop(unsafe { from_raw(p.as_ptr()) });
            }
            return;
        }
        let objs = self.first.take().into_iter().chain(self.objs.drain(..));
        if self.deferred {
            for b in self.bufs.drain(..) {
                // SAFETY: unlinked under the list's lock before this call; freed once, on any
                // thread, after the grace period.
                unsafe { weft_sync::qsbr::retire(b.as_ptr() as *mut (), free_buf_deferred) };
            }
            for p in objs {
                // SAFETY: as above; the list owned this reference and gave it up.
                unsafe { weft_sync::qsbr::retire(p.as_ptr() as *mut (), release_ref_deferred) };
            }
            weft_sync::qsbr::poll();
        } else {
            for b in self.bufs.drain(..) {
                // SAFETY: not deferred: no other thread reads this list lock-free (see the
                // module docs), and this thread's own reads are over.
                unsafe { b.free() };
            }
            for p in objs {
                // SAFETY: as above; the list owned this reference.
                drop(unsafe { from_raw(p.as_ptr()) });
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The payload.

/// The payload of a `list`. Use it through [`List`], which pairs it with its object (the
/// object carries the lock).
pub struct PyList {
    buf: AtomicPtr<Header>,
    len: AtomicUsize,
    /// Bumped by every mutation (under the lock); `remove` and `sort` use it to detect
    /// concurrent or re-entrant changes.
    version: AtomicUsize,
    /// The id of the thread that created the list while only it has touched it, [`SHARED`]
    /// once another thread read or wrote it (see the module docs).
    #[cfg(feature = "nogil")]
    owner: weft_sync::shim::atomic::AtomicU64,
}

impl std::fmt::Debug for PyList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PyList")
            .field("len", &self.len.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl PyList {
    /// An empty list payload (no storage allocated).
    pub fn new() -> PyList {
        PyList {
            buf: AtomicPtr::new(ptr::null_mut()),
            len: AtomicUsize::new(0),
            version: AtomicUsize::new(0),
            #[cfg(feature = "nogil")]
            owner: weft_sync::shim::atomic::AtomicU64::new(variant::thread_id()),
        }
    }

    /// A list payload holding `items`.
    pub fn from_vec(items: Vec<ObjRef>) -> PyList {
        let l = PyList::new();
        if !items.is_empty() {
            let n = items.len();
            let b = Buf::alloc(n).expect("out of memory allocating a list");
            for (i, it) in items.into_iter().enumerate() {
                b.slot(i).store(into_raw(it), Ordering::Relaxed);
            }
            l.buf.store(b.as_ptr(), Ordering::Relaxed);
            l.len.store(n, Ordering::Relaxed);
        }
        l
    }

    /// The current length (a snapshot).
    #[inline]
    pub fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    /// Whether the list is empty (a snapshot).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The lock-free read of item `i`: `Err(())` when the locked path must decide.
    ///
    /// # Safety
    /// The calling thread is online in QSBR (nogil) or holds the GIL (gil), and passes no
    /// quiescent point during the call.
    #[inline]
    unsafe fn read_lock_free(&self, i: usize) -> Result<Option<ObjRef>, ()> {
        let n = self.len.load(Ordering::Acquire);
        if i >= n {
            return Ok(None);
        }
        let b = Buf::from_ptr(self.buf.load(Ordering::Acquire)).ok_or(())?;
        if i >= b.cap() {
            return Err(());
        }
        let p = b.slot(i).load(Ordering::Acquire);
        #[cfg(weft_loom)]
        b.check_live();
        if p.is_null() {
            return Err(());
        }
        // SAFETY: see the module docs: the object's count stays above zero until this thread's
        // next quiescent point (the list's reference, or its deferred release), so a plain
        // incref is sound.
        Ok(Some(unsafe { &*p }.to_ref()))
    }

    // ----- Locked helpers: the caller holds the list's critical section (or the GIL). -----

    #[inline]
    fn cur(&self) -> Option<Buf> {
        Buf::from_ptr(self.buf.load(Ordering::Relaxed))
    }

    #[inline]
    fn cap_locked(&self) -> usize {
        self.cur().map_or(0, Buf::cap)
    }

    #[inline]
    fn len_locked(&self) -> usize {
        self.len.load(Ordering::Relaxed)
    }

    #[inline]
    fn bump(&self) {
        self.version.store(
            self.version.load(Ordering::Relaxed).wrapping_add(1),
            Ordering::Release,
        );
    }

    #[inline]
    fn slot_locked(&self, i: usize) -> &AtomicPtr<Object> {
        self.cur()
            .expect("index below length implies a buffer")
            .slot(i)
    }

    /// Makes room for `newlen` items (CPython's `list_resize` policy: grow by about 1/8,
    /// shrink when less than half is used), carrying over the first `keep` slots. The length
    /// is not changed; slots past `keep` in the new buffer are null.
    fn resize_locked(&self, newlen: usize, keep: usize, g: &mut Garbage) -> PyResult<()> {
        let cap = self.cap_locked();
        if cap >= newlen && newlen >= cap >> 1 {
            return Ok(());
        }
        let mut new_cap = (newlen + (newlen >> 3) + 6) & !3;
        if newlen.saturating_sub(self.len_locked()) > new_cap.saturating_sub(newlen) {
            new_cap = (newlen + 3) & !3;
        }
        if newlen == 0 {
            new_cap = 0;
        }
        if new_cap == cap {
            return Ok(());
        }
        let old = self.cur();
        if !g.deferred
            && new_cap > 0
            && let Some(old) = old
        {
            // No lock-free reader of another thread can hold the buffer: resize in place.
            // SAFETY: see above; slots past `keep` (≥ the length) are null.
            let new = unsafe { old.realloc(new_cap) }?;
            self.buf.store(new.as_ptr(), Ordering::Release);
            return Ok(());
        }
        let new = if new_cap == 0 {
            None
        } else {
            Some(Buf::alloc(new_cap)?)
        };
        if let (Some(old), Some(new)) = (old, new) {
            for i in 0..keep.min(new_cap).min(old.cap()) {
                new.slot(i)
                    .store(old.slot(i).load(Ordering::Relaxed), Ordering::Relaxed);
            }
        }
        // Release: the copied slots are visible to whoever loads the new buffer.
        self.buf
            .store(new.map_or(ptr::null_mut(), Buf::as_ptr), Ordering::Release);
        if let Some(old) = old {
            g.buf(old, 0);
        }
        Ok(())
    }

    fn append_locked(&self, x: ObjRef, g: &mut Garbage) -> PyResult<()> {
        let n = self.len_locked();
        if n >= self.cap_locked() {
            self.resize_locked(n + 1, n, g)?;
        }
        self.slot_locked(n).store(into_raw(x), Ordering::Release);
        self.len.store(n + 1, Ordering::Release);
        self.bump();
        Ok(())
    }

    fn extend_locked(&self, items: Vec<ObjRef>, g: &mut Garbage) -> PyResult<()> {
        if items.is_empty() {
            return Ok(());
        }
        let n = self.len_locked();
        let m = n.checked_add(items.len()).ok_or_else(no_memory)?;
        if m > self.cap_locked()
            && let Err(e) = self.resize_locked(m, n, g)
        {
            // Release the items after the section, not here (a decref may run anything).
            for it in items {
                g.obj(into_raw(it));
            }
            return Err(e);
        }
        let b = self.cur().expect("buffer after resize");
        for (k, it) in items.into_iter().enumerate() {
            b.slot(n + k).store(into_raw(it), Ordering::Release);
        }
        self.len.store(m, Ordering::Release);
        self.bump();
        Ok(())
    }

    fn insert_locked(&self, i: i64, x: ObjRef, g: &mut Garbage) -> PyResult<()> {
        let n = self.len_locked();
        let i = if i < 0 {
            (i + n as i64).max(0) as usize
        } else {
            (i as u64).min(n as u64) as usize
        };
        if n >= self.cap_locked() {
            self.resize_locked(n + 1, n, g)?;
        }
        let b = self.cur().expect("buffer after resize");
        for j in (i..n).rev() {
            b.slot(j + 1)
                .store(b.slot(j).load(Ordering::Relaxed), Ordering::Release);
        }
        b.slot(i).store(into_raw(x), Ordering::Release);
        self.len.store(n + 1, Ordering::Release);
        self.bump();
        Ok(())
    }

    /// Removes the item at `i < len`, returning the raw owned reference.
    fn remove_at_locked(&self, i: usize, g: &mut Garbage) -> *mut Object {
        let n = self.len_locked();
        debug_assert!(i < n);
        let b = self.cur().expect("non-empty list has a buffer");
        let x = b.slot(i).load(Ordering::Relaxed);
        for j in i..n - 1 {
            b.slot(j)
                .store(b.slot(j + 1).load(Ordering::Relaxed), Ordering::Release);
        }
        self.len.store(n - 1, Ordering::Release);
        b.slot(n - 1).store(ptr::null_mut(), Ordering::Release);
        self.bump();
        // Shrinking never fails to keep the old buffer: on allocation failure keep it.
        let _ = self.resize_locked(n - 1, n - 1, g);
        x
    }

    fn clear_locked(&self, g: &mut Garbage) {
        let n = self.len_locked();
        let old = self.cur();
        if n == 0 && old.is_none() {
            return;
        }
        self.len.store(0, Ordering::Release);
        self.buf.store(ptr::null_mut(), Ordering::Release);
        self.bump();
        if let Some(b) = old {
            g.buf(b, n);
        }
    }

    /// Takes every item out (the list is left empty), for `sort`.
    fn take_all_locked(&self, g: &mut Garbage) -> Vec<ObjRef> {
        let n = self.len_locked();
        let old = self.cur();
        self.len.store(0, Ordering::Release);
        self.buf.store(ptr::null_mut(), Ordering::Release);
        self.bump();
        let mut v = Vec::with_capacity(n);
        if let Some(b) = old {
            for i in 0..n {
                // The slots keep their pointers for readers of the old buffer; the references
                // move to `v` (the buffer is freed without releasing them).
                // SAFETY: slot `i < len` owns its reference, which moves to `v`.
                v.push(unsafe { from_raw(b.slot(i).load(Ordering::Relaxed)) });
            }
            g.buf(b, 0);
        }
        v
    }

    /// Replaces the (empty or discarded) contents with `items`.
    fn install_locked(&self, items: Vec<ObjRef>, g: &mut Garbage) -> PyResult<()> {
        self.clear_locked(g);
        self.extend_locked(items, g)
    }

    /// Replaces positions `lo..hi` (step 1) with `items`.
    fn splice_locked(
        &self,
        lo: usize,
        hi: usize,
        items: Vec<ObjRef>,
        g: &mut Garbage,
    ) -> PyResult<()> {
        let n = self.len_locked();
        debug_assert!(lo <= hi && hi <= n);
        let k = items.len();
        let removed = hi - lo;
        if removed == 0 && k == 0 {
            return Ok(());
        }
        let m = n - removed + k;
        if let Some(b) = self.cur() {
            for i in lo..hi {
                g.obj(b.slot(i).load(Ordering::Relaxed));
            }
        }
        if k > removed {
            if m > self.cap_locked() {
                self.resize_locked(m, n, g)?;
            }
            let b = self.cur().expect("buffer after resize");
            let d = k - removed;
            for j in (hi..n).rev() {
                b.slot(j + d)
                    .store(b.slot(j).load(Ordering::Relaxed), Ordering::Release);
            }
            for (t, it) in items.into_iter().enumerate() {
                b.slot(lo + t).store(into_raw(it), Ordering::Release);
            }
            self.len.store(m, Ordering::Release);
        } else {
            let b = self.cur().expect("non-empty range has a buffer");
            for (t, it) in items.into_iter().enumerate() {
                b.slot(lo + t).store(into_raw(it), Ordering::Release);
            }
            let d = removed - k;
            for j in hi..n {
                b.slot(j - d)
                    .store(b.slot(j).load(Ordering::Relaxed), Ordering::Release);
            }
            self.len.store(m, Ordering::Release);
            for j in m..n {
                b.slot(j).store(ptr::null_mut(), Ordering::Release);
            }
            let _ = self.resize_locked(m, m, g);
        }
        self.bump();
        Ok(())
    }

    /// Deletes the positions of an extended slice (any step, `len > 0`).
    fn delete_positions_locked(&self, ix: &SliceIndices, g: &mut Garbage) {
        let n = self.len_locked();
        let Some(b) = self.cur() else { return };
        let mut doomed = vec![false; n];
        for i in ix.iter() {
            doomed[i] = true;
        }
        let mut w = 0;
        for (r, &gone) in doomed.iter().enumerate() {
            let p = b.slot(r).load(Ordering::Relaxed);
            if gone {
                g.obj(p);
            } else {
                if w != r {
                    b.slot(w).store(p, Ordering::Release);
                }
                w += 1;
            }
        }
        self.len.store(w, Ordering::Release);
        for j in w..n {
            b.slot(j).store(ptr::null_mut(), Ordering::Release);
        }
        self.bump();
        let _ = self.resize_locked(w, w, g);
    }

    fn snapshot_locked(&self) -> Vec<ObjRef> {
        let n = self.len_locked();
        let Some(b) = self.cur() else {
            return Vec::new();
        };
        (0..n)
            .map(|i| {
                let p = b.slot(i).load(Ordering::Relaxed);
                // SAFETY: under the lock, slot `i < len` owns a reference: the object is alive.
                unsafe { &*p }.to_ref()
            })
            .collect()
    }
}

impl Default for PyList {
    fn default() -> Self {
        PyList::new()
    }
}

impl Drop for PyList {
    fn drop(&mut self) {
        // Nobody can be reading: a reader holds (or borrows from a holder of) a reference to
        // the list. Retired older buffers are QSBR's business.
        // `&mut self`: relaxed loads read the last stores (loom has no `get_mut`).
        let n = self.len.load(Ordering::Relaxed);
        if let Some(b) = Buf::from_ptr(self.buf.load(Ordering::Relaxed)) {
            // SAFETY: the current buffer is ours alone now; its first `n` slots own
            // references.
            unsafe {
                (*b.as_ptr()).owned = n;
                b.free();
            }
        }
    }
}

impl Payload for PyList {
    fn type_object() -> &'static TypeObject {
        &LIST_TYPE
    }
}

// ---------------------------------------------------------------------------------------------
// The type object.

weft_sync::shim_static! {
    /// `list`
    pub static LIST_TYPE: TypeObject = TypeObject::new_static::<PyList>(
        "list",
        Some(&OBJECT_TYPE),
        Slots {
            repr: Some(|o| list_of(o).repr()),
            richcompare: Some(list_richcompare),
            len: Some(|o| Ok(list_of(o).len())),
            getitem: Some(|o, key| list_of(o).get(index_value(key, "list")?)),
            setitem: Some(|o, key, value| {
                let i = index_value(key, "list")?;
                match value {
                    Some(v) => list_of(o).set(i, v.to_ref()),
                    None => list_of(o).del(i),
                }
            }),
            contains: Some(|o, x| list_of(o).contains(x)),
            iter: Some(|o| Ok(crate::iter::list_iter(o))),
            number: NumberSlots {
                add: Some(|a, b| match (List::of(a), List::of(b)) {
                    (Some(x), Some(_)) => x.concat(b),
                    _ => Ok(not_implemented().to_ref()),
                }),
                mul: Some(list_mul_slot),
                ..NumberSlots::EMPTY
            },
            ..Slots::EMPTY
        },
    );
}

fn list_of(o: &Object) -> List<'_> {
    List::of(o).expect("list slot on a non-list")
}

fn list_mul_slot(a: &Object, b: &Object) -> PyResult<ObjRef> {
    let (l, n) = match (List::of(a), List::of(b)) {
        (Some(l), _) => (l, b),
        (None, Some(l)) => (l, a),
        _ => return Ok(not_implemented().to_ref()),
    };
    match repeat_count(n)? {
        Some(k) => l.repeat(k),
        None => Ok(not_implemented().to_ref()),
    }
}

/// A new, empty list object.
pub fn empty_list() -> ObjRef {
    ObjRef::new(PyList::new())
}

/// A new list object holding `items`.
pub fn new_list(items: Vec<ObjRef>) -> ObjRef {
    ObjRef::new(PyList::from_vec(items))
}

/// `list(iterable)`: a new list of the items of any iterable object.
pub fn list_from_iterable(iterable: &Object) -> PyResult<ObjRef> {
    Ok(new_list(collect_iterable(iterable)?))
}

/// The items of an iterable object, collected outside any lock: a snapshot for lists, the
/// items for tuples, otherwise the `iter`/`next` slots (`TypeError: 'int' object is not
/// iterable` when there are none).
pub fn collect_iterable(iterable: &Object) -> PyResult<Vec<ObjRef>> {
    if let Some(l) = List::of(iterable) {
        return Ok(l.to_vec());
    }
    if let Some(t) = as_tuple(iterable) {
        return Ok(t.as_slice().to_vec());
    }
    let Some(iter) = iterable.ty().slots.iter else {
        return Err(PyErr::type_error(format!(
            "'{}' object is not iterable",
            iterable.ty().name
        )));
    };
    let it = iter(iterable)?;
    let Some(next) = it.ty().slots.next else {
        return Err(PyErr::type_error(format!(
            "iter() returned non-iterator of type '{}'",
            it.ty().name
        )));
    };
    let mut v = Vec::new();
    while let Some(x) = next(&it)? {
        v.push(x);
    }
    Ok(v)
}

// ---------------------------------------------------------------------------------------------
// The public handle.

/// A list object together with its payload: the handle every list operation goes through.
#[derive(Clone, Copy)]
pub struct List<'a> {
    obj: &'a Object,
    list: &'a PyList,
}

impl std::fmt::Debug for List<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "List({:?})", self.obj)
    }
}

impl<'a> List<'a> {
    /// The list behind `obj`, if it is a list (or an instance of a subtype).
    #[inline]
    pub fn of(obj: &'a Object) -> Option<List<'a>> {
        obj.downcast::<PyList>().map(|list| List { obj, list })
    }

    /// The list object.
    #[inline]
    pub fn object(self) -> &'a Object {
        self.obj
    }

    /// The payload.
    #[inline]
    pub fn payload(self) -> &'a PyList {
        self.list
    }

    /// Runs a mutation inside the list's critical section (holding the GIL in the gil build),
    /// then releases its garbage outside the section.
    #[inline]
    fn mutate<R>(self, f: impl FnOnce(&PyList, &mut Garbage) -> R) -> R {
        let mut g = Garbage::new();
        let r = variant::hold(|| {
            self.obj.with_lock(|| {
                self.note_write(&mut g);
                f(self.list, &mut g)
            })
        });
        g.finish();
        r
    }

    /// Like [`mutate`](Self::mutate) over two lists (locked in address order; the same list
    /// twice is locked once). Garbage comes from `self` only.
    #[inline]
    fn mutate2<R>(self, other: List<'_>, f: impl FnOnce(&PyList, &PyList, &mut Garbage) -> R) -> R {
        let mut g = Garbage::new();
        let r = variant::hold(|| {
            self.obj.with_lock2(other.obj, || {
                self.note_write(&mut g);
                f(self.list, other.list, &mut g)
            })
        });
        g.finish();
        r
    }

    /// Runs a read inside the list's critical section (the locked path).
    #[inline]
    fn locked<R>(self, f: impl FnOnce(&PyList) -> R) -> R {
        variant::hold(|| self.obj.with_lock(|| f(self.list)))
    }

    /// Called inside the section before a mutation: decides whether its garbage must wait for
    /// lock-free readers of other threads (nogil; see the module docs).
    #[inline]
    fn note_write(self, g: &mut Garbage) {
        #[cfg(feature = "nogil")]
        {
            let owner = self.list.owner.load(Ordering::Relaxed);
            if owner == SHARED {
                g.deferred = true;
            } else if owner != variant::thread_id() {
                self.list.owner.store(SHARED, Ordering::Relaxed);
                g.deferred = true;
            }
        }
        #[cfg(not(feature = "nogil"))]
        let _ = g;
    }

    /// Called before a lock-free read (nogil): a thread other than the owner marks the list
    /// shared, under the lock, before its first lock-free read.
    #[inline]
    fn note_read(self) {
        #[cfg(feature = "nogil")]
        {
            let owner = self.list.owner.load(Ordering::Acquire);
            if owner != SHARED && owner != variant::thread_id() {
                self.obj
                    .with_lock(|| self.list.owner.store(SHARED, Ordering::Release));
            }
        }
    }

    /// Whether the list has been marked shared (always `false` in the gil build).
    pub fn is_shared(self) -> bool {
        #[cfg(feature = "nogil")]
        {
            self.list.owner.load(Ordering::Relaxed) == SHARED
        }
        #[cfg(not(feature = "nogil"))]
        {
            false
        }
    }

    /// `len(l)` (a snapshot).
    #[inline]
    pub fn len(self) -> usize {
        self.list.len()
    }

    /// Whether the list is empty (a snapshot).
    #[inline]
    pub fn is_empty(self) -> bool {
        self.list.is_empty()
    }

    /// The item at position `i`, or `None` past the end. Lock-free on an online thread.
    #[inline]
    pub fn get_index(self, i: usize) -> Option<ObjRef> {
        variant::hold(|| {
            if variant::can_read_lock_free() {
                self.note_read();
                // SAFETY: online (nogil) or holding the GIL (gil); no quiescent point inside.
                if let Ok(r) = unsafe { self.list.read_lock_free(i) } {
                    return r;
                }
            }
            self.obj.with_lock(|| {
                let l = self.list;
                if i < l.len_locked() {
                    let p = l.slot_locked(i).load(Ordering::Relaxed);
                    // SAFETY: under the lock slot `i < len` owns a reference.
                    Some(unsafe { &*p }.to_ref())
                } else {
                    None
                }
            })
        })
    }

    /// `l[i]` (negative counts from the end); `IndexError: list index out of range`.
    #[inline]
    pub fn get(self, i: i64) -> PyResult<ObjRef> {
        let r = if i >= 0 {
            self.get_index(i as usize)
        } else {
            // Resolve against a snapshot of the length; if the list shrank before the read,
            // resolve and read again under one lock, so the two agree.
            normalize_index(i, self.len())
                .and_then(|j| self.get_index(j))
                .or_else(|| {
                    self.locked(|l| {
                        normalize_index(i, l.len_locked()).map(|j| {
                            let p = l.slot_locked(j).load(Ordering::Relaxed);
                            // SAFETY: under the lock slot `j < len` owns a reference.
                            unsafe { &*p }.to_ref()
                        })
                    })
                })
        };
        r.ok_or_else(|| PyErr::new(ExcKind::IndexError, "list index out of range"))
    }

    /// A snapshot of the items (new references).
    pub fn to_vec(self) -> Vec<ObjRef> {
        self.locked(|l| l.snapshot_locked())
    }

    /// `l[i] = x`; `IndexError: list assignment index out of range`.
    pub fn set(self, i: i64, x: ObjRef) -> PyResult<()> {
        self.mutate(|l, g| {
            let Some(j) = normalize_index(i, l.len_locked()) else {
                return Err(PyErr::new(
                    ExcKind::IndexError,
                    "list assignment index out of range",
                ));
            };
            let old = l.slot_locked(j).swap(into_raw(x), Ordering::AcqRel);
            g.obj(old);
            l.bump();
            Ok(())
        })
    }

    /// `del l[i]`; `IndexError: list assignment index out of range`.
    pub fn del(self, i: i64) -> PyResult<()> {
        self.mutate(|l, g| {
            let Some(j) = normalize_index(i, l.len_locked()) else {
                return Err(PyErr::new(
                    ExcKind::IndexError,
                    "list assignment index out of range",
                ));
            };
            let p = l.remove_at_locked(j, g);
            g.obj(p);
            Ok(())
        })
    }

    /// `l.append(x)`.
    pub fn append(self, x: ObjRef) -> PyResult<()> {
        self.mutate(|l, g| l.append_locked(x, g))
    }

    /// `l.extend(items)` from Rust values.
    pub fn extend_vec(self, items: Vec<ObjRef>) -> PyResult<()> {
        self.mutate(|l, g| l.extend_locked(items, g))
    }

    /// `l.extend(iterable)`: from another list (a consistent snapshot of it, taken in a
    /// two-object critical section; `l.extend(l)` doubles `l`), a tuple, or any iterable
    /// (collected outside the lock first).
    pub fn extend(self, iterable: &Object) -> PyResult<()> {
        if let Some(other) = List::of(iterable) {
            return self.mutate2(other, |l, o, g| {
                let items = o.snapshot_locked();
                l.extend_locked(items, g)
            });
        }
        let items = collect_iterable(iterable)?;
        self.extend_vec(items)
    }

    /// `l.insert(i, x)`: `i` is clamped to the list (negative counts from the end).
    pub fn insert(self, i: i64, x: ObjRef) -> PyResult<()> {
        self.mutate(|l, g| l.insert_locked(i, x, g))
    }

    /// `l.pop(i)` (`None`: the last item). `IndexError: pop from empty list` /
    /// `pop index out of range`.
    pub fn pop(self, i: Option<i64>) -> PyResult<ObjRef> {
        self.mutate(|l, g| {
            let n = l.len_locked();
            if n == 0 {
                return Err(PyErr::new(ExcKind::IndexError, "pop from empty list"));
            }
            let Some(j) = normalize_index(i.unwrap_or(-1), n) else {
                return Err(PyErr::new(ExcKind::IndexError, "pop index out of range"));
            };
            let p = l.remove_at_locked(j, g);
            if g.deferred {
                // A reader may hold `p`: hand the caller a new reference and let the list's
                // own go through the grace period.
                // SAFETY: the list's reference (now in `g`) keeps the object alive.
                let r = unsafe { &*p }.to_ref();
                g.obj(p);
                Ok(r)
            } else {
                // SAFETY: the list's reference moves to the caller.
                Ok(unsafe { from_raw(p) })
            }
        })
    }

    /// `l.remove(x)`: deletes the first item equal to `x`; `ValueError: list.remove(x): x not
    /// in list`. Comparisons run outside the lock; if the list changed under a comparison and
    /// the matched position no longer holds the compared item, the search starts over.
    pub fn remove(self, x: &Object) -> PyResult<()> {
        'search: loop {
            let mut i = 0;
            loop {
                let version = self.list.version.load(Ordering::Acquire);
                let Some(item) = self.get_index(i) else {
                    return Err(PyErr::value_error("list.remove(x): x not in list"));
                };
                if item.eq(x)? {
                    let removed = self.mutate(|l, g| {
                        let same = i < l.len_locked()
                            && (l.version.load(Ordering::Relaxed) == version
                                || std::ptr::eq(
                                    l.slot_locked(i).load(Ordering::Relaxed),
                                    item.as_ptr(),
                                ));
                        if same {
                            let p = l.remove_at_locked(i, g);
                            g.obj(p);
                        }
                        same
                    });
                    if removed {
                        return Ok(());
                    }
                    continue 'search;
                }
                i += 1;
            }
        }
    }

    /// `l.index(x, start, stop)`; `ValueError: <repr> is not in list`.
    pub fn index(self, x: &Object, start: Option<i64>, stop: Option<i64>) -> PyResult<usize> {
        // As CPython: negative bounds count from the length at the start; the end is checked
        // against the current length at every step.
        let n = self.len() as i64;
        let resolve = |v: i64| {
            if v < 0 {
                (v + n).max(0) as usize
            } else {
                v as usize
            }
        };
        let mut i = resolve(start.unwrap_or(0));
        let hi = stop.map_or(usize::MAX, resolve);
        while i < hi {
            let Some(item) = self.get_index(i) else { break };
            if item.eq(x)? {
                return Ok(i);
            }
            i += 1;
        }
        Err(PyErr::value_error(format!("{} is not in list", x.repr()?)))
    }

    /// `l.count(x)`.
    pub fn count(self, x: &Object) -> PyResult<usize> {
        let mut n = 0;
        let mut i = 0;
        while let Some(item) = self.get_index(i) {
            if item.eq(x)? {
                n += 1;
            }
            i += 1;
        }
        Ok(n)
    }

    /// `x in l`.
    pub fn contains(self, x: &Object) -> PyResult<bool> {
        let mut i = 0;
        while let Some(item) = self.get_index(i) {
            if item.eq(x)? {
                return Ok(true);
            }
            i += 1;
        }
        Ok(false)
    }

    /// `l.clear()`.
    pub fn clear(self) {
        self.mutate(|l, g| l.clear_locked(g));
    }

    /// `l.reverse()`.
    pub fn reverse(self) {
        self.mutate(|l, _| {
            let n = l.len_locked();
            if n < 2 {
                return;
            }
            let b = l.cur().expect("non-empty list has a buffer");
            let (mut i, mut j) = (0, n - 1);
            while i < j {
                let (a, c) = (
                    b.slot(i).load(Ordering::Relaxed),
                    b.slot(j).load(Ordering::Relaxed),
                );
                b.slot(i).store(c, Ordering::Release);
                b.slot(j).store(a, Ordering::Release);
                i += 1;
                j -= 1;
            }
            l.bump();
        })
    }

    /// `l.copy()` / `l[:]`: a new list with the same items.
    pub fn copy(self) -> ObjRef {
        new_list(self.to_vec())
    }

    /// `l[slice]`: a new list.
    pub fn get_slice(self, slice: &Slice) -> PyResult<ObjRef> {
        let items = self.locked(|l| -> PyResult<Vec<ObjRef>> {
            let ix = slice.indices(l.len_locked())?;
            let Some(b) = l.cur() else {
                return Ok(Vec::new());
            };
            Ok(ix
                .iter()
                .map(|i| {
                    // SAFETY: under the lock slot `i < len` owns a reference.
                    unsafe { &*b.slot(i).load(Ordering::Relaxed) }.to_ref()
                })
                .collect())
        })?;
        Ok(new_list(items))
    }

    /// `l[slice] = items`. For step 1 any number of items replaces the range; for other steps
    /// the counts must match (`ValueError: attempt to assign sequence of size 2 to extended
    /// slice of size 3`).
    pub fn set_slice(self, slice: &Slice, items: Vec<ObjRef>) -> PyResult<()> {
        self.mutate(|l, g| {
            let n = l.len_locked();
            let ix = slice.indices(n)?;
            if ix.step == 1 {
                let lo = ix.start as usize;
                let hi = (ix.stop.max(ix.start)) as usize;
                return l.splice_locked(lo, hi, items, g);
            }
            if items.len() != ix.len {
                return Err(PyErr::value_error(format!(
                    "attempt to assign sequence of size {} to extended slice of size {}",
                    items.len(),
                    ix.len
                )));
            }
            if ix.len == 0 {
                return Ok(());
            }
            let b = l.cur().expect("non-empty slice has a buffer");
            for (i, it) in ix.iter().zip(items) {
                g.obj(b.slot(i).swap(into_raw(it), Ordering::AcqRel));
            }
            l.bump();
            Ok(())
        })
    }

    /// `l[slice] = iterable` for any iterable object (collected first; `l[:] = l` works on a
    /// snapshot).
    pub fn set_slice_from(self, slice: &Slice, iterable: &Object) -> PyResult<()> {
        let items = collect_iterable(iterable)?;
        self.set_slice(slice, items)
    }

    /// `del l[slice]`.
    pub fn del_slice(self, slice: &Slice) -> PyResult<()> {
        self.mutate(|l, g| {
            let ix = slice.indices(l.len_locked())?;
            if ix.len == 0 {
                return Ok(());
            }
            if ix.step == 1 {
                let lo = ix.start as usize;
                return l.splice_locked(lo, lo + ix.len, Vec::new(), g);
            }
            l.delete_positions_locked(&ix, g);
            Ok(())
        })
    }

    /// `l.sort(reverse=...)` with Python's `<` (a stable sort).
    pub fn sort(self, reverse: bool) -> PyResult<()> {
        self.sort_by(&mut |a, b| a.compare(b, CompareOp::Lt)?.is_true(), reverse)
    }

    /// `l.sort(key=key, reverse=...)`: keys computed once per item, compared with `<`.
    pub fn sort_by_key(
        self,
        key: &mut dyn FnMut(&Object) -> PyResult<ObjRef>,
        reverse: bool,
    ) -> PyResult<()> {
        self.sort_impl(
            Some(key),
            &mut |a, b| a.compare(b, CompareOp::Lt)?.is_true(),
            reverse,
        )
    }

    /// A stable sort with a fallible "less than" comparator. While it runs the list is empty
    /// (readers see `[]`); a comparator error leaves the items in their original order and is
    /// returned; `ValueError: list modified during sort` if the list was changed meanwhile
    /// (the changes are discarded).
    pub fn sort_by(
        self,
        less: &mut dyn FnMut(&Object, &Object) -> PyResult<bool>,
        reverse: bool,
    ) -> PyResult<()> {
        self.sort_impl(None, less, reverse)
    }

    fn sort_impl(
        self,
        key: Option<KeyFn<'_>>,
        less: &mut dyn FnMut(&Object, &Object) -> PyResult<bool>,
        reverse: bool,
    ) -> PyResult<()> {
        let (items, v0) = self.mutate(|l, g| {
            let items = l.take_all_locked(g);
            (items, l.version.load(Ordering::Relaxed))
        });
        let order = sort_order(&items, key, less, reverse);
        let items = match &order {
            Ok(idx) => permute(items, idx),
            Err(_) => items,
        };
        let modified = self.mutate(|l, g| {
            let modified = l.version.load(Ordering::Relaxed) != v0;
            // Discard whatever was added meanwhile and put the items back.
            let r = l.install_locked(items, g);
            r.map(|()| modified)
        })?;
        order?;
        if modified {
            return Err(PyErr::value_error("list modified during sort"));
        }
        Ok(())
    }

    /// `a + b` for two lists: `TypeError: can only concatenate list (not "tuple") to list`
    /// when `other` is not a list.
    pub fn concat(self, other: &Object) -> PyResult<ObjRef> {
        let Some(o) = List::of(other) else {
            return Err(PyErr::type_error(format!(
                "can only concatenate list (not \"{}\") to list",
                other.ty().name
            )));
        };
        let items = variant::hold(|| {
            self.obj.with_lock2(o.obj, || {
                let mut v = self.list.snapshot_locked();
                v.extend(o.list.snapshot_locked());
                v
            })
        });
        Ok(new_list(items))
    }

    /// `l * n`: a new list (`MemoryError` when too large).
    pub fn repeat(self, n: i64) -> PyResult<ObjRef> {
        let items = self.to_vec();
        if n <= 0 || items.is_empty() {
            return Ok(empty_list());
        }
        let total = repeat_len(items.len(), n)?;
        let mut v = Vec::with_capacity(total);
        for _ in 0..n {
            v.extend_from_slice(&items);
        }
        Ok(new_list(v))
    }

    /// `l *= n` (in place).
    pub fn inplace_repeat(self, n: i64) -> PyResult<()> {
        if n <= 0 {
            self.clear();
            return Ok(());
        }
        if n == 1 {
            return Ok(());
        }
        self.mutate(|l, g| {
            let items = l.snapshot_locked();
            if items.is_empty() {
                return Ok(());
            }
            let total = repeat_len(items.len(), n)?;
            let mut more = Vec::with_capacity(total - items.len());
            for _ in 1..n {
                more.extend_from_slice(&items);
            }
            // The snapshot's references are dropped after the section (they are extra).
            for it in items {
                g.obj(into_raw(it));
            }
            l.extend_locked(more, g)
        })
    }

    /// `repr(l)`: `[1, 2]`, and `[...]` for the list inside its own repr.
    pub fn repr(self) -> PyResult<String> {
        if self.is_empty() {
            return Ok("[]".into());
        }
        let Some(_guard) = repr_enter(self.obj) else {
            return Ok("[...]".into());
        };
        let mut s = String::from("[");
        let mut i = 0;
        while let Some(item) = self.get_index(i) {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&item.repr()?);
            i += 1;
        }
        s.push(']');
        Ok(s)
    }

    /// The list's mutation counter (changes with every mutation; for diagnostics and tests).
    pub fn version(self) -> usize {
        self.list.version.load(Ordering::Acquire)
    }
}

/// Rich comparison of two lists (CPython's `list_richcompare`): lengths first for `==`/`!=`,
/// then the first index at which the items differ decides, else the lengths do. Items are
/// read one at a time (each a consistent read) and compared outside any lock.
pub fn list_richcompare(a: &Object, b: &Object, op: CompareOp) -> PyResult<ObjRef> {
    let (Some(x), Some(y)) = (List::of(a), List::of(b)) else {
        return Ok(not_implemented().to_ref());
    };
    if matches!(op, CompareOp::Eq | CompareOp::Ne) && x.len() != y.len() {
        return Ok(bool_obj(op == CompareOp::Ne));
    }
    let mut i = 0;
    let differing = loop {
        let (Some(p), Some(q)) = (x.get_index(i), y.get_index(i)) else {
            break None;
        };
        if !p.eq(&q)? {
            break Some((p, q));
        }
        i += 1;
    };
    match differing {
        None => Ok(bool_obj(op.test(x.len().cmp(&y.len())))),
        Some(_) if op == CompareOp::Eq => Ok(bool_obj(false)),
        Some(_) if op == CompareOp::Ne => Ok(bool_obj(true)),
        Some((p, q)) => p.compare(&q, op),
    }
}

// ---------------------------------------------------------------------------------------------
// Sorting.

/// A key function for [`List::sort_by_key`].
pub type KeyFn<'a> = &'a mut dyn FnMut(&Object) -> PyResult<ObjRef>;

/// The sorted order of `items` (a permutation of indices), stable; `reverse` sorts
/// descending while keeping equal items in their original order (as CPython does: reverse,
/// sort, reverse).
fn sort_order(
    items: &[ObjRef],
    key: Option<KeyFn<'_>>,
    less: &mut dyn FnMut(&Object, &Object) -> PyResult<bool>,
    reverse: bool,
) -> PyResult<Vec<usize>> {
    let keys: Option<Vec<ObjRef>> = match key {
        Some(k) => Some(items.iter().map(|o| k(o)).collect::<PyResult<_>>()?),
        None => None,
    };
    let base: &[ObjRef] = keys.as_deref().unwrap_or(items);
    let mut idx: Vec<usize> = (0..items.len()).collect();
    if reverse {
        idx.reverse();
    }
    merge_sort(&mut idx, &mut |a, b| less(&base[a], &base[b]))?;
    if reverse {
        idx.reverse();
    }
    Ok(idx)
}

fn permute(items: Vec<ObjRef>, order: &[usize]) -> Vec<ObjRef> {
    let mut slots: Vec<Option<ObjRef>> = items.into_iter().map(Some).collect();
    order
        .iter()
        .map(|&i| slots[i].take().expect("a permutation"))
        .collect()
}

/// Runs shorter than this are sorted by binary insertion.
const MIN_RUN: usize = 32;

/// A stable merge sort of `v` by a fallible strict "less than"; stops at the first error.
/// Never panics, whatever the comparator answers (an inconsistent order just gives some
/// permutation).
fn merge_sort(
    v: &mut [usize],
    less: &mut dyn FnMut(usize, usize) -> PyResult<bool>,
) -> PyResult<()> {
    let n = v.len();
    let mut start = 0;
    while start < n {
        let end = (start + MIN_RUN).min(n);
        insertion_sort(&mut v[start..end], less)?;
        start = end;
    }
    let mut width = MIN_RUN;
    let mut tmp: Vec<usize> = Vec::with_capacity(n);
    while width < n {
        let mut lo = 0;
        while lo + width < n {
            let mid = lo + width;
            let hi = (lo + 2 * width).min(n);
            merge(&mut v[lo..hi], mid - lo, &mut tmp, less)?;
            lo = hi;
        }
        width *= 2;
    }
    Ok(())
}

fn insertion_sort(
    v: &mut [usize],
    less: &mut dyn FnMut(usize, usize) -> PyResult<bool>,
) -> PyResult<()> {
    for i in 1..v.len() {
        let pivot = v[i];
        // The first position whose item is greater than the pivot (after equal ones: stable).
        let (mut lo, mut hi) = (0, i);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if less(pivot, v[mid])? {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        v.copy_within(lo..i, lo + 1);
        v[lo] = pivot;
    }
    Ok(())
}

/// Merges the sorted halves `v[..mid]` and `v[mid..]`. On error `v` still holds a
/// permutation of its input.
fn merge(
    v: &mut [usize],
    mid: usize,
    tmp: &mut Vec<usize>,
    less: &mut dyn FnMut(usize, usize) -> PyResult<bool>,
) -> PyResult<()> {
    tmp.clear();
    let (mut i, mut j) = (0, mid);
    let mut err = None;
    while i < mid && j < v.len() {
        match less(v[j], v[i]) {
            Ok(true) => {
                tmp.push(v[j]);
                j += 1;
            }
            Ok(false) => {
                tmp.push(v[i]);
                i += 1;
            }
            Err(e) => {
                err = Some(e);
                break;
            }
        }
    }
    tmp.extend_from_slice(&v[i..mid]);
    tmp.extend_from_slice(&v[j..]);
    v.copy_from_slice(tmp);
    match err {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
