//! Object references in atomic slots: lock-free reads, writes by one atomic swap, replaced
//! references released through QSBR. The vocabulary for a mutable field of a Python object
//! that holds one reference and is read far more often than written (closure cells, a
//! function's `__defaults__`, an exception's `__context__`), in place of a lock.
//!
//! # Design
//!
//! - A slot is one `AtomicPtr<Object>` owning a strong reference (null = empty).
//! - **Reads** load the pointer and take a reference. That is sound because the reference a
//!   writer swaps out is not dropped while a reader may still be between its load and its
//!   increment: in the nogil build it is retired through [`weft_sync::qsbr`], so it stays
//!   alive until every thread has passed a quiescent point (a reader passes none between the
//!   two steps); in the gil build readers and writers hold the GIL, and it is dropped at once.
//! - **Writes** are one swap; no lock, so no critical section and nothing to compile out.
//!   Concurrent writers each get a distinct old value and release it.
//! - [`AtomicRef`] always retires what it replaces (nogil): for rarely written fields.
//! - [`BiasedRef`] is private to the thread that made it until another thread touches it
//!   (the containers' and the inline values' protocol), for hot fields written in loops (a
//!   closure's `nonlocal` counter): while it is private, only its maker can have loaded the
//!   old value, and it is not reading while it writes, so the value is dropped at once and
//!   QSBR sees no traffic. A reader on another thread sets the `shared` flag before it loads
//!   the pointer; a writer on the maker thread swaps, then reads the flag. Both sides are
//!   `SeqCst`, so (Dekker) either the writer sees the flag and retires, or the reader's load
//!   comes after the swap and cannot see the old value. A writer on another thread always
//!   retires (the maker may be reading) and sets the flag.
//!
//! Dropping a reference may run `__del__`, that is, any Python code: every release happens
//! after the swap, with no lock held, so that code finds the slot in its new state.

use std::ptr::{NonNull, null_mut};
use std::sync::atomic::{AtomicPtr, Ordering};

use crate::object::{ObjRef, Object};

fn into_ptr(v: Option<ObjRef>) -> *mut Object {
    v.map_or(null_mut(), |v| v.into_raw().as_ptr())
}

/// A new reference to the object at `p` (null: `None`).
///
/// # Safety
/// `p` is null or was loaded from a slot of this module before the caller's next quiescent
/// point (nogil) / while holding the GIL (gil): see the module docs.
#[inline]
unsafe fn new_ref(p: *mut Object) -> Option<ObjRef> {
    // SAFETY: forwarded: the object is alive (its slot's reference is released only after
    // the grace period, or under the GIL).
    (!p.is_null()).then(|| unsafe { &*p }.to_ref())
}

/// A reference swapped out of a slot, which another thread may have loaded: dropped after the
/// QSBR grace period (nogil), at once under the GIL (gil).
fn release_shared(p: NonNull<Object>) {
    #[cfg(feature = "nogil")]
    {
        // SAFETY: unlinked from its slot by the swap that gave it to us; the slot's reference
        // is dropped once, by `drop_ref`, after every thread that could have loaded it passed
        // a quiescent point.
        unsafe { weft_sync::qsbr::retire(p.as_ptr() as *mut (), drop_ref) };
        weft_sync::qsbr::poll();
    }
    #[cfg(not(feature = "nogil"))]
    {
        // SAFETY: the slot's own reference, unlinked by the swap; readers hold the GIL, as
        // this thread does, so none is between its load and its increment.
        drop(unsafe { ObjRef::from_raw(p) });
    }
}

#[cfg(feature = "nogil")]
unsafe fn drop_ref(p: *mut ()) {
    // SAFETY: the grace period is over and the reference is the retired slot's own (see
    // `release_shared`).
    drop(unsafe { ObjRef::from_raw(NonNull::new_unchecked(p as *mut Object)) });
}

/// A new reference to `p` (for the caller), and the slot's reference released as in
/// [`release_shared`]: what `take` returns when another thread may be loading `p`.
fn detach_shared(p: NonNull<Object>) -> ObjRef {
    // SAFETY: the slot's reference (which we now hold) keeps the object alive.
    let r = unsafe { p.as_ref() }.to_ref();
    release_shared(p);
    r
}

/// A slot holding an optional strong reference: lock-free reads, writes by swap, replaced
/// references released through QSBR (nogil). See the module docs.
pub struct AtomicRef {
    p: AtomicPtr<Object>,
}

impl AtomicRef {
    /// A slot holding `v`.
    pub fn new(v: Option<ObjRef>) -> AtomicRef {
        AtomicRef {
            p: AtomicPtr::new(into_ptr(v)),
        }
    }

    /// The value (a new reference), `None` when empty. Lock-free.
    #[inline]
    pub fn get(&self) -> Option<ObjRef> {
        let p = self.p.load(Ordering::Acquire);
        // SAFETY: loaded just now; writers release through `release_shared`.
        unsafe { new_ref(p) }
    }

    /// Whether the slot is empty (a snapshot).
    pub fn is_none(&self) -> bool {
        self.p.load(Ordering::Relaxed).is_null()
    }

    /// Replaces the value; the old one is released (after the grace period in nogil).
    pub fn set(&self, v: Option<ObjRef>) {
        let old = self.p.swap(into_ptr(v), Ordering::AcqRel);
        if let Some(old) = NonNull::new(old) {
            release_shared(old);
        }
    }

    /// Empties the slot and returns what it held.
    pub fn take(&self) -> Option<ObjRef> {
        let old = self.p.swap(null_mut(), Ordering::AcqRel);
        NonNull::new(old).map(detach_shared)
    }

    /// The value, made with `make` and stored when the slot is empty (the first of racing
    /// makers wins; the others' values are dropped).
    pub fn get_or_init(&self, make: impl FnOnce() -> ObjRef) -> ObjRef {
        if let Some(v) = self.get() {
            return v;
        }
        let new = make();
        let p = new.as_ptr() as *mut Object;
        match self
            .p
            .compare_exchange(null_mut(), p, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => {
                // The slot now owns the reference `new` counted; hand the caller another.
                let r = new.clone();
                let _ = new.into_raw();
                r
            }
            // SAFETY: loaded by the failed exchange just now; see `get`.
            Err(cur) => unsafe { new_ref(cur) }.expect("non-null after a failed exchange"),
        }
    }
}

impl Drop for AtomicRef {
    fn drop(&mut self) {
        if let Some(p) = NonNull::new(*self.p.get_mut()) {
            // SAFETY: the owner is being freed, so nobody can reach the slot (a reader needs
            // a reference to the owner); the reference is the slot's own.
            drop(unsafe { ObjRef::from_raw(p) });
        }
    }
}

/// A slot like [`AtomicRef`] that is private to the thread that made it until another thread
/// reads or writes it: until then a replaced reference is dropped at once, with no QSBR
/// traffic (nogil). See the module docs. In the gil build it is an [`AtomicRef`].
pub struct BiasedRef {
    p: AtomicPtr<Object>,
    /// The maker's thread id (0: none, when it was made by a detached thread).
    #[cfg(feature = "nogil")]
    maker: u32,
    /// Another thread than the maker has read or written the slot.
    #[cfg(feature = "nogil")]
    shared: std::sync::atomic::AtomicBool,
}

impl BiasedRef {
    /// A slot holding `v`, private to the calling thread.
    pub fn new(v: Option<ObjRef>) -> BiasedRef {
        BiasedRef {
            p: AtomicPtr::new(into_ptr(v)),
            #[cfg(feature = "nogil")]
            maker: weft_refcount::current_tid(),
            #[cfg(feature = "nogil")]
            shared: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Whether the calling thread may treat the slot as private: it is the maker and no other
    /// thread has touched the slot yet. Otherwise marks the slot shared (for a thread other
    /// than the maker) and returns `false`.
    #[cfg(feature = "nogil")]
    #[inline]
    fn private_or_share(&self) -> bool {
        if weft_refcount::is_current_thread(self.maker) {
            !self.shared.load(Ordering::SeqCst)
        } else {
            if !self.shared.load(Ordering::SeqCst) {
                self.shared.store(true, Ordering::SeqCst);
            }
            false
        }
    }

    /// The value (a new reference), `None` when empty. Lock-free: on the maker thread one
    /// load and an increment; another thread marks the slot shared the first time.
    #[inline]
    pub fn get(&self) -> Option<ObjRef> {
        #[cfg(feature = "nogil")]
        if !weft_refcount::is_current_thread(self.maker) && !self.shared.load(Ordering::SeqCst) {
            // Flag first, pointer second (SeqCst both): see the module docs.
            self.shared.store(true, Ordering::SeqCst);
        }
        let p = self.p.load(Ordering::SeqCst);
        // SAFETY: loaded just now, after marking the slot shared unless this is the maker;
        // a writer drops a replaced value at once only when it is the maker and (SeqCst,
        // after its swap) saw no flag, so this load then returns the new value.
        unsafe { new_ref(p) }
    }

    /// Whether the slot is empty (a snapshot).
    pub fn is_none(&self) -> bool {
        self.p.load(Ordering::Relaxed).is_null()
    }

    /// Replaces the value; the old one is dropped at once while the slot is private, else
    /// released after the grace period (nogil).
    #[inline]
    pub fn set(&self, v: Option<ObjRef>) {
        let old = self.p.swap(into_ptr(v), Ordering::SeqCst);
        let Some(old) = NonNull::new(old) else {
            return;
        };
        #[cfg(feature = "nogil")]
        if !self.private_or_share() {
            release_shared(old);
            return;
        }
        // SAFETY: the slot's own reference, unlinked by the swap. Private (nogil): only the
        // maker, this thread, can have loaded it, and it is not reading now; gil: readers
        // hold the GIL, as this thread does.
        drop(unsafe { ObjRef::from_raw(old) });
    }

    /// Empties the slot and returns what it held.
    pub fn take(&self) -> Option<ObjRef> {
        let old = NonNull::new(self.p.swap(null_mut(), Ordering::SeqCst))?;
        #[cfg(feature = "nogil")]
        if !self.private_or_share() {
            return Some(detach_shared(old));
        }
        // SAFETY: as in `set`: nobody else can be loading it, so the slot's reference
        // becomes the caller's.
        Some(unsafe { ObjRef::from_raw(old) })
    }

    /// Whether another thread than the maker has touched the slot (always `false` in the gil
    /// build).
    pub fn is_shared(&self) -> bool {
        #[cfg(feature = "nogil")]
        {
            self.shared.load(Ordering::Relaxed)
        }
        #[cfg(not(feature = "nogil"))]
        {
            false
        }
    }
}

impl Drop for BiasedRef {
    fn drop(&mut self) {
        if let Some(p) = NonNull::new(*self.p.get_mut()) {
            // SAFETY: as for `AtomicRef`: the owner is being freed, the reference is ours.
            drop(unsafe { ObjRef::from_raw(p) });
        }
    }
}
