//! The type attribute cache: `(type version tag, name) -> class attribute or absent`, so a
//! repeated lookup of a name along a type's MRO (CPython's `_PyType_Lookup`) costs one probe of
//! a global table instead of one dict probe per class on the MRO.
//!
//! # Design
//!
//! A global, direct-mapped table of [`SIZE`] entries, indexed by a hash of the version tag and
//! the name's address. Only immortal names are cached (interned strings: their address names
//! their text for the life of the process). An entry is `{seq, version, name, value}`, where
//! `value` is a *strong* reference to the attribute found (or null for "absent").
//!
//! - **Readers** (lock-free, both builds): begin a read of the entry's seqlock
//!   ([`weft_sync::seqlock::SeqLock`], model-checked with loom; an odd sequence = a writer is
//!   inside), load the key and the value, take a reference to the value, and keep the result
//!   only when the read validates.
//! - **Writers** claim the entry (a writer that loses the race skips caching), store key and
//!   value, and publish.
//! - **The value a writer replaces** is released through QSBR in the nogil build
//!   ([`weft_sync::qsbr::retire`]): a reader that loaded the old pointer before the swap is
//!   between two quiescent points, so the object is still alive when it takes its reference,
//!   and the seqlock check then discards it. In the gil build readers and writers run under the
//!   GIL, so the old value is released at once.
//! - **Staleness** is the version tag's business (see [`TypeObject::version_tag`]): a change to
//!   a class dict resets the tags of the class and its subclasses *after* the change, and tags
//!   are never reused, so an entry filled from an old state can never match again.

use weft_sync::shim::atomic::{AtomicPtr, AtomicU32, Ordering};

use weft_sync::seqlock::SeqLock;

use crate::object::{ObjRef, Object, TypeObject};

/// Number of entries (a power of two).
#[cfg(not(weft_loom))]
pub const SIZE: usize = 4096;
/// Number of entries (a power of two; small under loom, where every entry's atomics are
/// loom objects built in each model execution that uses the cache).
#[cfg(weft_loom)]
pub const SIZE: usize = 8;

struct Entry {
    lock: SeqLock,
    version: AtomicU32,
    name: AtomicPtr<Object>,
    value: AtomicPtr<Object>,
}

impl Entry {
    weft_sync::shim_const_fn! {
        fn empty() -> Entry {
            Entry {
                lock: SeqLock::new(),
                version: AtomicU32::new(0),
                name: AtomicPtr::new(std::ptr::null_mut()),
                value: AtomicPtr::new(std::ptr::null_mut()),
            }
        }
    }
}

#[cfg(not(weft_loom))]
#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Entry = Entry::empty();

weft_sync::shim_static! {
    static TABLE: [Entry; SIZE] = {
        #[cfg(not(weft_loom))]
        {
            [EMPTY; SIZE]
        }
        #[cfg(weft_loom)]
        {
            std::array::from_fn(|_| Entry::empty())
        }
    };
}

#[inline]
fn slot(version: u32, name: *const Object) -> &'static Entry {
    let h = (version as usize).wrapping_mul(0x9E37_79B9) ^ ((name as usize) >> 4);
    &TABLE[h & (SIZE - 1)]
}

/// What a lookup found: the attribute, or `None` when no class on the MRO defines the name.
pub type Found = Option<ObjRef>;

/// The class attribute `name` of `ty` (along its MRO), from the cache when possible; `walk`
/// computes it on a miss (it must read the class dicts only *after* this function read the
/// type's version tag, which it does before calling `walk`).
#[inline]
pub fn lookup<E>(
    ty: &TypeObject,
    name: &Object,
    walk: impl FnOnce() -> Result<Found, E>,
) -> Result<Found, E> {
    if !name.refcount().is_immortal() {
        return walk();
    }
    let version = ty.version_tag();
    if version == 0 {
        return walk();
    }
    let name_ptr = name as *const Object as *mut Object;
    let e = slot(version, name_ptr);
    let s1 = e.lock.begin();
    if let Some(s1) = s1
        && e.version.load(Ordering::Relaxed) == version
        && e.name.load(Ordering::Relaxed) == name_ptr
    {
        let p = e.value.load(Ordering::Relaxed);
        // SAFETY: `p` was a live strong reference held by the entry when loaded; a writer that
        // replaced it since released it through QSBR (nogil) and this thread has passed no
        // quiescent point since, or could not run at all (gil: readers and writers hold the
        // GIL). So the object is alive and taking a reference is sound.
        let found = (!p.is_null()).then(|| unsafe { &*p }.to_ref());
        if e.lock.validate(s1) {
            return Ok(found);
        }
    }
    let found = walk()?;
    fill(e, version, name_ptr, &found);
    Ok(found)
}

#[cold]
fn fill(e: &Entry, version: u32, name: *mut Object, found: &Found) {
    weft_sync::stats::count(weft_sync::stats::Event::TypeCacheMiss);
    let Some(seq) = e.lock.try_claim() else {
        return;
    };
    let new = match found {
        Some(v) => v.clone().into_raw().as_ptr(),
        None => std::ptr::null_mut(),
    };
    e.version.store(version, Ordering::Relaxed);
    e.name.store(name, Ordering::Relaxed);
    let old = e.value.swap(new, Ordering::Relaxed);
    e.lock.publish(seq);
    if let Some(old) = std::ptr::NonNull::new(old) {
        variant::release(old);
    }
}

#[cfg(feature = "nogil")]
pub(crate) mod variant {
    use std::ptr::NonNull;

    use crate::object::{ObjRef, Object};

    /// Releases a reference a cache entry gave up, after the QSBR grace period.
    pub(crate) fn release(p: NonNull<Object>) {
        // SAFETY: the entry no longer points to `p` (unlinked before this call); the reference
        // is the entry's own and is dropped exactly once, after every thread that could have
        // loaded it passed a quiescent point.
        unsafe { weft_sync::qsbr::retire(p.as_ptr() as *mut (), release_deferred) };
        weft_sync::qsbr::poll();
    }

    unsafe fn release_deferred(p: *mut ()) {
        // SAFETY: the grace period is over and the reference is ours (see `release`).
        drop(unsafe { ObjRef::from_raw(NonNull::new_unchecked(p as *mut Object)) });
    }
}

#[cfg(not(feature = "nogil"))]
pub(crate) mod variant {
    use std::ptr::NonNull;

    use crate::object::{ObjRef, Object};

    /// Releases a reference a cache entry gave up, at once: every reader runs under the GIL,
    /// so none is between its load and its reference right now.
    pub(crate) fn release(p: NonNull<Object>) {
        // SAFETY: the reference is the entry's own, unlinked before this call.
        drop(unsafe { ObjRef::from_raw(p) });
    }
}
