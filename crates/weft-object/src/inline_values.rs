//! Instance attributes stored inline, under keys shared by the instances of a class (CPython
//! 3.11+'s "inline values"): `self.x` is a scan of a few name pointers and one load, with no
//! dict per instance. A real dict is made only when it is asked for (`__dict__`) or when the
//! shared keys cannot describe the instance any more; from then on the dict is the storage.
//!
//! # Design
//!
//! - [`SharedKeys`] (one per class): an append-only array of at most [`MAX_KEYS`] immortal
//!   (interned) names. A name's index never changes once published (slot written, then `len`
//!   stored with Release), so readers scan it without a lock; appends take a small mutex.
//! - [`InlineValues`] (one per instance): a pointer to a buffer of value slots (`AtomicPtr`,
//!   null = unset) indexed like the keys, and a `OnceLock` for the materialized dict.
//! - **Writes** (set, delete, growth, materialization) run in the instance's critical section
//!   ([`Object::with_lock`]), so they are serialized per instance in both builds.
//! - **Reads** are lock-free: load the buffer (Acquire), load the slot, take a reference. A
//!   value a writer replaces or clears, and a buffer a writer outgrows, are released through
//!   QSBR in the nogil build ([`weft_sync::qsbr::retire`]) once the instance is *shared*, so
//!   whatever a reader loaded stays alive until it passes a quiescent point. A read racing
//!   with a write returns the old or the new value.
//! - **Sharing** (nogil; the containers' protocol): an instance starts private to the thread
//!   that owns it (per its reference count). The first lock-free read by another thread sets
//!   the instance's `shared` flag, inside the instance's critical section; so does a write by
//!   another thread. While the flag is clear, a replaced value can only have been loaded by
//!   the owner itself, which is not reading while it writes, so [`InlineValues::set`] hands it
//!   back to be dropped at once (after the critical section: a drop can run `__del__`). A
//!   reader that sets the flag takes the lock to do so, which orders it after every write
//!   that freed at once. In the gil build readers and writers hold the GIL and every release
//!   is immediate.
//! - **Materialization** (in the critical section): the dict is built from the set slots and
//!   published in the `OnceLock`, then the slots are cleared. Readers and writers check the
//!   `OnceLock` first; a reader that saw no dict and then reads a slot being cleared reads the
//!   value it had just before (still alive, by QSBR).

use std::ptr::{NonNull, null_mut};
use std::sync::OnceLock;
use weft_sync::shim::atomic::{AtomicBool, AtomicPtr, AtomicU8, AtomicUsize, Ordering};

use crate::object::{ObjRef, Object};

/// The most names a class's shared keys hold (CPython: 30); an instance that needs more gets
/// a dict.
pub const MAX_KEYS: usize = 30;

/// The attribute names shared by the instances of one class. See the module docs.
pub struct SharedKeys {
    len: AtomicUsize,
    names: [AtomicPtr<Object>; MAX_KEYS],
    append: weft_sync::Mutex<()>,
}

impl Default for SharedKeys {
    fn default() -> Self {
        SharedKeys::new()
    }
}

impl SharedKeys {
    /// No names yet.
    pub fn new() -> SharedKeys {
        SharedKeys {
            len: AtomicUsize::new(0),
            names: std::array::from_fn(|_| AtomicPtr::new(null_mut())),
            append: weft_sync::Mutex::from_raw(weft_sync::RawMutex::new(), ()),
        }
    }

    /// Number of names.
    #[inline]
    pub fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    /// Whether there are no names yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index of `name` (compared by identity: names are interned), if it has one.
    #[inline]
    pub fn index(&self, name: &Object) -> Option<usize> {
        let p = name as *const Object as *mut Object;
        let n = self.len();
        self.names[..n]
            .iter()
            .position(|s| s.load(Ordering::Relaxed) == p)
    }

    /// The index of `name`, adding it when missing; `None` when `name` is not immortal (its
    /// address could be reused for another name) or the keys are full.
    pub fn index_or_add(&self, name: &Object) -> Option<usize> {
        if let Some(i) = self.index(name) {
            return Some(i);
        }
        if !name.refcount().is_immortal() {
            return None;
        }
        let _g = self.append.lock();
        if let Some(i) = self.index(name) {
            return Some(i);
        }
        let n = self.len.load(Ordering::Relaxed);
        if n == MAX_KEYS {
            return None;
        }
        self.names[n].store(name as *const Object as *mut Object, Ordering::Relaxed);
        self.len.store(n + 1, Ordering::Release);
        Some(n)
    }

    /// The name at `index` (< [`len`](Self::len)).
    pub fn name(&self, index: usize) -> &'static Object {
        let p = self.names[index].load(Ordering::Relaxed);
        assert!(
            index < self.len() && !p.is_null(),
            "shared key index out of range"
        );
        // SAFETY: published names are immortal objects (checked in `index_or_add`), never
        // freed, so a `'static` borrow is sound.
        unsafe { &*p }
    }
}

/// A buffer of value slots, indexed like the class's [`SharedKeys`], and the instance's own
/// insertion order of its attributes (a `__dict__` lists them in that order, whatever order
/// the class's keys are in). `order` and `set` are touched by writers only, which are
/// serialized by the instance's critical section.
struct Buf {
    slots: Box<[AtomicPtr<Object>]>,
    order: Box<[AtomicU8]>,
    set: AtomicUsize,
}

impl Buf {
    fn new(cap: usize) -> NonNull<Buf> {
        let b = Box::new(Buf {
            slots: (0..cap).map(|_| AtomicPtr::new(null_mut())).collect(),
            order: (0..cap).map(|_| AtomicU8::new(0)).collect(),
            set: AtomicUsize::new(0),
        });
        NonNull::from(Box::leak(b))
    }

    /// The slot indexes that are set, in insertion order.
    fn order(&self) -> Vec<usize> {
        let n = self.set.load(Ordering::Relaxed);
        self.order[..n]
            .iter()
            .map(|o| usize::from(o.load(Ordering::Relaxed)))
            .collect()
    }

    /// Records that slot `index` became set (appended) or unset (removed). No allocation.
    fn note(&self, index: usize, now_set: bool) {
        let n = self.set.load(Ordering::Relaxed);
        if now_set {
            self.order[n].store(index as u8, Ordering::Relaxed);
            self.set.store(n + 1, Ordering::Relaxed);
            return;
        }
        let Some(at) = self.order[..n]
            .iter()
            .position(|o| usize::from(o.load(Ordering::Relaxed)) == index)
        else {
            return;
        };
        for j in at..n - 1 {
            let next = self.order[j + 1].load(Ordering::Relaxed);
            self.order[j].store(next, Ordering::Relaxed);
        }
        self.set.store(n - 1, Ordering::Relaxed);
    }
}

/// The buffer behind `b`, if any.
///
/// # Safety
/// As for [`slots`].
unsafe fn buf<'a>(b: *mut Buf) -> Option<&'a Buf> {
    // SAFETY: forwarded from the caller.
    unsafe { b.as_ref() }
}

/// The slots of the buffer `b` (empty for null).
///
/// # Safety
/// `b` is null or a buffer made by [`Buf::new`] that stays allocated for `'a`: the current
/// buffer of an instance the caller holds a reference to, read before the caller's next
/// quiescent point (nogil) or while holding the GIL (gil), or a buffer only the caller can
/// reach.
unsafe fn slots<'a>(b: *mut Buf) -> &'a [AtomicPtr<Object>] {
    if b.is_null() {
        &[]
    } else {
        // SAFETY: forwarded from the caller.
        unsafe { &(*b).slots }
    }
}

/// An instance's attribute storage. See the module docs.
pub struct InlineValues {
    buf: AtomicPtr<Buf>,
    dict: OnceLock<ObjRef>,
    /// Another thread than the owner has read or written these values (nogil; see the
    /// module docs). Never set in the gil build.
    shared: AtomicBool,
}

/// What [`InlineValues::set`] replaced: whether a value was set, and the old reference when
/// the caller is to drop it (after leaving the critical section).
#[must_use = "drop the replaced value after leaving the critical section"]
pub struct Replaced {
    /// A value was set at the index before.
    pub was_set: bool,
    /// The old value, to drop at once (`None` when there was none or QSBR releases it).
    pub garbage: Option<ObjRef>,
}

impl InlineValues {
    /// Empty storage with room for `cap` values before it grows.
    pub fn new(cap: usize) -> InlineValues {
        let buf = if cap == 0 {
            null_mut()
        } else {
            Buf::new(cap).as_ptr()
        };
        InlineValues {
            buf: AtomicPtr::new(buf),
            dict: OnceLock::new(),
            shared: AtomicBool::new(false),
        }
    }

    /// Storage that is a dict from the start (exceptions, whose attributes the runtime keeps
    /// in a dict).
    pub fn with_dict(dict: ObjRef) -> InlineValues {
        let v = InlineValues::new(0);
        let _ = v.dict.set(dict);
        v
    }

    /// The materialized dict, once there is one: then it is the storage.
    #[inline]
    pub fn dict(&self) -> Option<&ObjRef> {
        self.dict.get()
    }

    /// Call before reading `owner`'s values without its critical section (done by
    /// [`get`](Self::get)): a thread other than the owner marks them shared first (see the
    /// module docs).
    #[inline]
    pub fn note_read(&self, owner: &Object) {
        #[cfg(feature = "nogil")]
        if !self.shared.load(Ordering::Acquire) && !owner.refcount().owned_by_current_thread() {
            owner.with_lock(|| self.shared.store(true, Ordering::Release));
        }
        #[cfg(not(feature = "nogil"))]
        let _ = owner;
    }

    /// Whether another thread than the owner has read or written the values (always `false`
    /// in the gil build).
    pub fn is_shared(&self) -> bool {
        self.shared.load(Ordering::Relaxed)
    }

    /// The value at `index` of `owner` (the instance these values belong to), if set
    /// (lock-free; see the module docs).
    #[inline]
    pub fn get(&self, owner: &Object, index: usize) -> Option<ObjRef> {
        self.note_read(owner);
        self.get_noted(index)
    }

    /// [`get`](Self::get) for a caller that called [`note_read`](Self::note_read) already or
    /// holds the owner's critical section.
    #[inline]
    fn get_noted(&self, index: usize) -> Option<ObjRef> {
        // SAFETY: the current buffer, read here before any quiescent point: writers release
        // outgrown buffers through QSBR (nogil) or under the GIL (gil). Slots are only
        // written with Release stores of live strong references.
        let slots = unsafe { slots(self.buf.load(Ordering::Acquire)) };
        let p = slots.get(index)?.load(Ordering::Acquire);
        // SAFETY: `p` was a strong reference held by the slot when loaded; a writer that
        // replaced it since released it through QSBR (nogil) or cannot run concurrently
        // (gil), so the object is alive.
        (!p.is_null()).then(|| unsafe { &*p }.to_ref())
    }

    /// Sets (`Some`) or clears (`None`) the value at `index` of `owner` (the instance these
    /// values belong to); returns whether a value was set before, and the old value when the
    /// caller must drop it (after leaving the critical section). Call inside `owner`'s
    /// critical section, with no dict materialized.
    pub fn set(&self, owner: &Object, index: usize, value: Option<ObjRef>) -> Replaced {
        // A write by another thread than the owner makes the values shared, as a read does.
        let private =
            !self.shared.load(Ordering::Relaxed) && owner.refcount().owned_by_current_thread();
        if !private && cfg!(feature = "nogil") {
            self.shared.store(true, Ordering::Release);
        }
        debug_assert!(
            self.dict.get().is_none(),
            "inline set after materialization"
        );
        let b = self.buf.load(Ordering::Acquire);
        // SAFETY: only writers replace the buffer, writers are serialized by the owner's
        // critical section (which the caller holds), so `b` stays allocated meanwhile.
        let old_slots = unsafe { slots(b) };
        let target = if index < old_slots.len() {
            old_slots
        } else {
            if value.is_none() {
                return Replaced {
                    was_set: false,
                    garbage: None,
                };
            }
            let grown = Buf::new((index + 1).max(old_slots.len() * 2).max(4));
            // SAFETY: just made; published below, so nobody else can reach it yet.
            let new_slots = unsafe { slots(grown.as_ptr()) };
            for (o, n) in old_slots.iter().zip(new_slots) {
                n.store(o.load(Ordering::Relaxed), Ordering::Relaxed);
            }
            // SAFETY: as above (`b`: the caller's critical section; `grown`: unpublished).
            if let (Some(old), Some(new)) = (unsafe { buf(b) }, unsafe { buf(grown.as_ptr()) }) {
                for (o, n) in old.order.iter().zip(new.order.iter()) {
                    n.store(o.load(Ordering::Relaxed), Ordering::Relaxed);
                }
                new.set
                    .store(old.set.load(Ordering::Relaxed), Ordering::Relaxed);
            }
            self.buf.store(grown.as_ptr(), Ordering::Release);
            if let Some(old) = NonNull::new(b) {
                variant::release_buf(old);
            }
            new_slots
        };
        let new = value.map_or(null_mut(), |v| v.into_raw().as_ptr());
        let old = target[index].swap(new, Ordering::AcqRel);
        if old.is_null() != new.is_null() {
            // SAFETY: the current buffer, under the caller's critical section.
            let current = unsafe { buf(self.buf.load(Ordering::Relaxed)) };
            if let Some(current) = current {
                current.note(index, !new.is_null());
            }
        }
        match NonNull::new(old) {
            Some(old) if private => Replaced {
                was_set: true,
                // SAFETY: the slot's own reference, unlinked above; only the owner (this
                // thread) can have loaded it, and it is not reading now.
                garbage: Some(unsafe { ObjRef::from_raw(old) }),
            },
            Some(old) => {
                variant::release_ref(old);
                Replaced {
                    was_set: true,
                    garbage: None,
                }
            }
            None => Replaced {
                was_set: false,
                garbage: None,
            },
        }
    }

    /// The set values of `owner` with their indexes, in the order they were first set (a
    /// snapshot; the order is exact inside the owner's critical section).
    pub fn items(&self, owner: &Object) -> Vec<(usize, ObjRef)> {
        self.note_read(owner);
        self.items_noted()
    }

    fn items_noted(&self) -> Vec<(usize, ObjRef)> {
        // SAFETY: as in `get`.
        let order = match unsafe { buf(self.buf.load(Ordering::Acquire)) } {
            Some(b) => b.order(),
            None => return Vec::new(),
        };
        order
            .into_iter()
            .filter_map(|i| self.get_noted(i).map(|v| (i, v)))
            .collect()
    }

    /// The dict, making it with `make` from the set values when there is none yet; the
    /// inline values are then cleared. Call inside the owner's critical section.
    pub fn materialize(&self, make: impl FnOnce(Vec<(usize, ObjRef)>) -> ObjRef) -> &ObjRef {
        if let Some(d) = self.dict.get() {
            return d;
        }
        let d = make(self.items_noted());
        let d = self.dict.get_or_init(|| d);
        let b = self.buf.swap(null_mut(), Ordering::AcqRel);
        if let Some(b) = NonNull::new(b) {
            // SAFETY: unlinked just now; writers are serialized by the caller's critical
            // section, so no other writer holds it, and it is released only below.
            for s in unsafe { slots(b.as_ptr()) } {
                if let Some(v) = NonNull::new(s.load(Ordering::Relaxed)) {
                    variant::release_ref(v);
                }
            }
            variant::release_buf(b);
        }
        d
    }
}

impl Drop for InlineValues {
    fn drop(&mut self) {
        // `&mut self`: a relaxed load reads the last store (loom has no `get_mut`).
        let b = self.buf.load(Ordering::Relaxed);
        if let Some(b) = NonNull::new(b) {
            // SAFETY: the instance is being freed, so nobody else can reach its storage (a
            // reader needs a reference to the instance); the buffer and its references are
            // ours.
            let buf = unsafe { Box::from_raw(b.as_ptr()) };
            for s in buf.slots.iter() {
                if let Some(v) = NonNull::new(s.load(Ordering::Relaxed)) {
                    // SAFETY: the slot's strong reference, dropped once.
                    drop(unsafe { ObjRef::from_raw(v) });
                }
            }
        }
    }
}

#[cfg(feature = "nogil")]
mod variant {
    use std::ptr::NonNull;

    use super::Buf;
    use crate::object::{ObjRef, Object};

    /// Drops a reference a slot gave up, after the QSBR grace period.
    pub(super) fn release_ref(p: NonNull<Object>) {
        // SAFETY: unlinked from the slot before this call; the reference is the slot's own
        // and is dropped once, after every thread that could have loaded it passed a
        // quiescent point.
        unsafe { weft_sync::qsbr::retire(p.as_ptr() as *mut (), drop_ref) };
        weft_sync::qsbr::poll();
    }

    /// Frees an outgrown buffer (its references moved on) after the grace period.
    pub(super) fn release_buf(b: NonNull<Buf>) {
        // SAFETY: unlinked before this call; freed once after the grace period.
        unsafe { weft_sync::qsbr::retire(b.as_ptr() as *mut (), free_buf) };
    }

    unsafe fn drop_ref(p: *mut ()) {
        // SAFETY: the grace period is over and the reference is ours (see `release_ref`).
        drop(unsafe { ObjRef::from_raw(NonNull::new_unchecked(p as *mut Object)) });
    }

    unsafe fn free_buf(p: *mut ()) {
        // SAFETY: allocated by `Buf::new` (a leaked Box), unlinked, grace period over.
        drop(unsafe { Box::from_raw(p as *mut Buf) });
    }
}

#[cfg(not(feature = "nogil"))]
mod variant {
    use std::ptr::NonNull;

    use super::Buf;
    use crate::object::{ObjRef, Object};

    /// Drops a reference a slot gave up, at once: every reader runs under the GIL.
    pub(super) fn release_ref(p: NonNull<Object>) {
        // SAFETY: the slot's own reference, unlinked before this call.
        drop(unsafe { ObjRef::from_raw(p) });
    }

    /// Frees an outgrown buffer at once (its references moved to the new one).
    pub(super) fn release_buf(b: NonNull<Buf>) {
        // SAFETY: allocated by `Buf::new`, unlinked before this call, no reader under the GIL.
        drop(unsafe { Box::from_raw(b.as_ptr()) });
    }
}
