//! State of a Python object guarded by that object's own critical section: the vocabulary for
//! a mutable field that is more than one reference (an iterator's big-integer position, a
//! traceback list), in place of a `std::sync::Mutex` per field.
//!
//! [`Guarded::with`] runs a closure with `&mut` access inside the owner's critical section
//! ([`Object::with_lock`]). In the gil build the section compiles to a plain call: the GIL,
//! which every thread touching objects holds, already gives the exclusion. So the guard
//! costs nothing under the GIL and one uncontended CAS pair in nogil, and it takes part in the
//! critical-section protocol (suspension on blocking, no lock-order deadlocks) where a
//! private lock would not.
//!
//! The closure must stay inside the section's guarantee (the same rule as CPython's): it must
//! not begin another critical section, block, release the GIL, run Python code, or drop a
//! reference whose drop could (`__del__`): it returns such values, and the caller drops them
//! after the section. [`Guarded::with`] is `unsafe` because Rust cannot check that, nor that
//! the caller names the right owner; the value-style helpers [`get`](Guarded::get) (for
//! [`Inert`] types) and [`replace`](Guarded::replace) keep the first promise themselves and
//! leave only the owner to the caller.

use std::cell::UnsafeCell;

use crate::object::Object;

/// A value guarded by its owner object's critical section. See the module docs.
pub struct Guarded<T> {
    v: UnsafeCell<T>,
}

// SAFETY: every access to the value goes through `with` (or `&mut self`), which the owner's
// critical section (nogil) or the GIL (gil) serializes; `T: Send` lets the value be used from
// whichever thread holds the section.
unsafe impl<T: Send> Sync for Guarded<T> {}

/// Types whose `clone` runs no Python code, begins no critical section and never blocks, so a
/// [`Guarded`] can clone them inside its section.
///
/// # Safety
/// `Clone::clone` of the type must keep those promises.
pub unsafe trait Inert: Clone {}

// SAFETY: integer and boolean clones are copies.
unsafe impl Inert for bool {}
// SAFETY: as above.
unsafe impl Inert for i64 {}
// SAFETY: as above.
unsafe impl Inert for u64 {}
// SAFETY: as above.
unsafe impl Inert for usize {}
// SAFETY: a big integer clone copies digits.
unsafe impl Inert for crate::scalar::int::Int {}
// SAFETY: an `ObjRef` clone is a reference-count increment.
unsafe impl Inert for crate::object::ObjRef {}
// SAFETY: cloning an `Option` clones its content, if any.
unsafe impl<T: Inert> Inert for Option<T> {}
// SAFETY: cloning a tuple clones its fields.
unsafe impl<A: Inert, B: Inert> Inert for (A, B) {}

impl<T> Guarded<T> {
    /// Guards `v`.
    pub const fn new(v: T) -> Guarded<T> {
        Guarded {
            v: UnsafeCell::new(v),
        }
    }

    /// Runs `f` on the value inside `owner`'s critical section.
    ///
    /// # Safety
    /// * `owner` is the object that holds this `Guarded` (the same object on every call), and
    ///   the calling thread is attached (holds the GIL in the gil build);
    /// * `f` does not begin a critical section, block, release the GIL, run Python code, or
    ///   drop anything whose drop could do one of those (return it instead).
    #[inline]
    pub unsafe fn with<R>(&self, owner: &Object, f: impl FnOnce(&mut T) -> R) -> R {
        owner.with_lock(|| {
            // SAFETY: the owner's section (nogil) or the GIL (gil) excludes every other
            // access through `with` for as long as `f` runs, and `f` keeps the section (the
            // caller's contract), so this is the only reference to the value.
            f(unsafe { &mut *self.v.get() })
        })
    }

    /// Replaces the value inside `owner`'s section and returns the old one (for the caller to
    /// drop after the section).
    ///
    /// # Safety
    /// `owner` is the object that holds this `Guarded`, and the calling thread is attached.
    pub unsafe fn replace(&self, owner: &Object, v: T) -> T {
        // SAFETY: the owner is the caller's promise; the closure only moves values (no Python
        // code, no section, no drop).
        unsafe { self.with(owner, |s| std::mem::replace(s, v)) }
    }

    /// The value itself, through a unique borrow (no section needed).
    pub fn get_mut(&mut self) -> &mut T {
        self.v.get_mut()
    }
}

impl<T: Inert> Guarded<T> {
    /// A clone of the value, taken inside `owner`'s section.
    ///
    /// # Safety
    /// As for [`replace`](Self::replace).
    pub unsafe fn get(&self, owner: &Object) -> T {
        // SAFETY: the owner is the caller's promise; `T: Inert`: the clone keeps the section
        // and drops nothing.
        unsafe { self.with(owner, |s| s.clone()) }
    }
}
