//! Helpers shared by `dict` and `set`: owned references stored in atomics ("tokens"), hashing
//! and the equality fast paths that cannot run user code, the gil build's attachment guard,
//! the per-thread repr recursion guard, and generic iteration over any iterable object.

use std::cell::RefCell;

use weft_object::types::{BOOL_TYPE, BYTES_TYPE, FLOAT_TYPE, INT_TYPE, NONE_TYPE, STR_TYPE};
use weft_object::{ExcKind, ObjRef, Object, PyErr, PyResult, TypeObject};

// ---------------------------------------------------------------------------------------------
// Tokens: an owned reference as one pointer-sized word.
// ---------------------------------------------------------------------------------------------

/// An owned reference kept in an `AtomicPtr<()>` of a table: the object's address, as given
/// up by [`ObjRef::into_raw`]. Null means "no reference".
pub(crate) type Token = *mut ();

/// Gives up `r` as a token (the reference now belongs to whoever stores the token).
#[inline]
pub(crate) fn into_token(r: ObjRef) -> Token {
    r.into_raw().as_ptr().cast()
}

/// Takes back the reference a token owns.
///
/// # Safety
/// `t` came from [`into_token`] and the caller owns the reference it carries (it is removed
/// from wherever it was stored, or this is its last use).
#[inline]
pub(crate) unsafe fn from_token(t: Token) -> ObjRef {
    debug_assert!(!t.is_null());
    // SAFETY: a non-null token is a pointer from `ObjRef::into_raw`; ownership of its
    // reference passes to the returned value per the contract.
    unsafe { ObjRef::from_raw(std::ptr::NonNull::new_unchecked(t.cast())) }
}

/// Borrows the object behind a token.
///
/// # Safety
/// `t` is a live token, and the object stays alive for `'a` (the caller holds the lock of the
/// table it came from, is inside a read section that protects it, or holds a reference).
#[inline]
pub(crate) unsafe fn borrow_token<'a>(t: Token) -> &'a Object {
    // SAFETY: a token is the object's address (see `Token`); liveness per the contract.
    unsafe { &*(t as *const Object) }
}

/// A new owned reference to the object behind a token.
///
/// # Safety
/// As for [`borrow_token`].
#[inline]
pub(crate) unsafe fn clone_token(t: Token) -> ObjRef {
    // SAFETY: forwarded.
    unsafe { borrow_token(t) }.to_ref()
}

/// The token an object would have (its address), for identity comparisons.
#[inline]
pub(crate) fn token_of(o: &Object) -> Token {
    o as *const Object as Token
}

// ---------------------------------------------------------------------------------------------
// Hashing and equality.
// ---------------------------------------------------------------------------------------------

/// `hash(o)` for a container key. Python reserves -1 (the C-level error value); a slot that
/// returns it anyway is treated as -2, as CPython's slot wrappers do.
#[inline]
pub(crate) fn hash_key(o: &Object) -> PyResult<i64> {
    let h = o.hash()?;
    Ok(if h == -1 { -2 } else { h })
}

/// Whether `t` is one of the builtin types whose rich comparison never runs user code
/// (`int`, `bool`, `float`, `str`, `bytes`, `NoneType`), so that a table may compare two of
/// them without leaving its lock or read section.
#[inline]
fn pure_eq_type(t: &TypeObject) -> bool {
    t.is(&STR_TYPE)
        || t.is(&INT_TYPE)
        || t.is(&BOOL_TYPE)
        || t.is(&FLOAT_TYPE)
        || t.is(&BYTES_TYPE)
        || t.is(&NONE_TYPE)
}

/// `a == b` when it can be decided without running user code: `Some(result)`, else `None`
/// (the caller takes a reference, leaves its lock or read section, and calls
/// [`Object::eq`]).
#[inline]
pub(crate) fn eq_fast(a: &Object, b: &Object) -> Option<bool> {
    if a.is(b) {
        return Some(true);
    }
    let (ta, tb) = (a.ty(), b.ty());
    if ta.is(&STR_TYPE) && tb.is(&STR_TYPE) {
        let x = a.downcast::<weft_object::types::PyStr>()?;
        let y = b.downcast::<weft_object::types::PyStr>()?;
        return Some(x.as_str() == y.as_str());
    }
    if pure_eq_type(ta) && pure_eq_type(tb) {
        // The builtin slots compare values and return an immortal bool: no user code, no
        // allocation that could run a finaliser.
        return a.eq(b).ok();
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The gil build's attachment guard.
// ---------------------------------------------------------------------------------------------

/// Makes sure the calling thread may touch container internals for the guard's lifetime.
///
/// gil build: the GIL is what serialises container operations (object locks compile away), so
/// a thread that is not attached attaches (takes the GIL) for the duration of the operation.
/// This keeps the safe API sound when a Rust thread uses containers without `attach()`.
/// nogil build: nothing to do (locks and read sections do the work).
#[must_use]
pub(crate) struct Entered {
    #[cfg(not(feature = "nogil"))]
    _g: Option<weft_refcount::AttachGuard>,
}

/// See [`Entered`].
#[inline]
pub(crate) fn enter() -> Entered {
    #[cfg(not(feature = "nogil"))]
    {
        Entered {
            _g: if weft_refcount::is_attached() {
                None
            } else {
                Some(weft_refcount::attach())
            },
        }
    }
    #[cfg(feature = "nogil")]
    {
        Entered {}
    }
}

// ---------------------------------------------------------------------------------------------
// Repr recursion guard (CPython's Py_ReprEnter / Py_ReprLeave).
// ---------------------------------------------------------------------------------------------

weft_sync::shim_thread_local! {
    static REPR_STACK: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` unless a repr of `o` is already in progress on this thread, in which case it
/// returns `recursive` (e.g. `{...}`).
pub(crate) fn repr_guard(
    o: &Object,
    recursive: impl FnOnce() -> String,
    f: impl FnOnce() -> PyResult<String>,
) -> PyResult<String> {
    let id = o.id();
    let busy = REPR_STACK.with(|s| {
        let mut s = s.borrow_mut();
        if s.contains(&id) {
            true
        } else {
            s.push(id);
            false
        }
    });
    if busy {
        return Ok(recursive());
    }
    struct Leave(usize);
    impl Drop for Leave {
        fn drop(&mut self) {
            let _ = REPR_STACK.try_with(|s| {
                let mut s = s.borrow_mut();
                if let Some(p) = s.iter().rposition(|&x| x == self.0) {
                    s.remove(p);
                }
            });
        }
    }
    let _leave = Leave(id);
    f()
}

// ---------------------------------------------------------------------------------------------
// Generic iteration.
// ---------------------------------------------------------------------------------------------

/// `iter(o)` through the type's slot.
pub(crate) fn get_iter(o: &Object) -> PyResult<ObjRef> {
    match o.ty().slots.iter {
        Some(f) => f(o),
        None => Err(PyErr::type_error(format!(
            "'{}' object is not iterable",
            o.ty().name
        ))),
    }
}

/// `next(it)`: `None` when exhausted.
pub(crate) fn iter_next(it: &Object) -> PyResult<Option<ObjRef>> {
    match it.ty().slots.next {
        Some(f) => f(it),
        None => Err(PyErr::type_error(format!(
            "'{}' object is not an iterator",
            it.ty().name
        ))),
    }
}

/// Calls `f` on every item of the iterable `o`, stopping at the first error.
pub(crate) fn for_each(o: &Object, mut f: impl FnMut(ObjRef) -> PyResult<()>) -> PyResult<()> {
    let it = get_iter(o)?;
    while let Some(x) = iter_next(&it)? {
        f(x)?;
    }
    Ok(())
}

/// A `KeyError` whose message is the key's repr (CPython prints `KeyError: 'x'`).
pub(crate) fn key_error(key: &Object) -> PyErr {
    match key.repr() {
        Ok(r) => PyErr::with_arg(ExcKind::KeyError, r, key.to_ref()),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------------------------
// Sharing: whether writers must defer their garbage (see `reclaim`'s module docs).
// ---------------------------------------------------------------------------------------------

/// Whether a container may be read lock-free by a thread other than the writer.
///
/// nogil: set (under the container's lock, once) by the first thread other than the
/// container's owner that reads or writes it; from then on every write defers its garbage.
/// gil: nothing (garbage is never deferred in the gil build).
#[derive(Debug, Default)]
pub(crate) struct Sharing {
    #[cfg(feature = "nogil")]
    flag: weft_sync::shim::atomic::AtomicBool,
}

/// Whether the calling thread owns `o` (per its reference count).
///
/// The thread's tid is cached per OS thread. A thread that re-registers with the runtime gets
/// a new tid, but tids are never reused, so a stale cached tid can only match objects that no
/// live thread owns — no other thread believes it owns them either, which is all the sharing
/// protocol needs ("if I think I own it, nobody else does").
#[cfg(feature = "nogil")]
#[inline]
fn is_owner(o: &Object) -> bool {
    weft_sync::shim_thread_local! {
        static TID: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }
    let Some(owner) = o.refcount().owner_tid() else {
        return false;
    };
    let me = TID
        .try_with(|c| {
            if c.get() == 0 {
                c.set(weft_refcount::with_thread(|ts| ts.tid()));
            }
            c.get()
        })
        .unwrap_or(0);
    me != 0 && me == owner
}

impl Sharing {
    /// Not shared yet.
    pub(crate) fn new() -> Sharing {
        Sharing::default()
    }

    /// Call before a lock-free read of `obj` (the container this flag belongs to).
    #[inline]
    pub(crate) fn note_read(&self, obj: &Object) {
        #[cfg(feature = "nogil")]
        {
            use weft_sync::shim::atomic::Ordering;
            // Acquire pairs with the release store below: a reader that sees the flag set by
            // another thread also sees every unlink made before that thread took the lock.
            if !self.flag.load(Ordering::Acquire) && !is_owner(obj) {
                obj.with_lock(|| self.flag.store(true, Ordering::Release));
            }
        }
        #[cfg(not(feature = "nogil"))]
        let _ = obj;
    }

    /// Call under `obj`'s lock before a write whose garbage goes into `bag`.
    #[inline]
    pub(crate) fn note_write(&self, obj: &Object, bag: &mut super::reclaim::Bag) {
        #[cfg(feature = "nogil")]
        {
            use weft_sync::shim::atomic::Ordering;
            if self.flag.load(Ordering::Relaxed) || !is_owner(obj) {
                self.flag.store(true, Ordering::Release);
                bag.defer();
            }
        }
        #[cfg(not(feature = "nogil"))]
        let _ = (obj, bag);
    }

    /// Whether the flag is set (tests and diagnostics; always false in the gil build).
    pub(crate) fn is_shared(&self) -> bool {
        #[cfg(feature = "nogil")]
        {
            self.flag.load(weft_sync::shim::atomic::Ordering::Relaxed)
        }
        #[cfg(not(feature = "nogil"))]
        {
            false
        }
    }
}
