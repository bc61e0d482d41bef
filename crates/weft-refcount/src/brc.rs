//! [`Brc<T>`]: a thread-safe reference-counted pointer over the biased protocol.

use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;

use crate::{RcVTable, RefCount, tls};

#[repr(C)]
struct Inner<T> {
    rc: RefCount,
    value: T,
}

impl<T> Inner<T> {
    const VTABLE: RcVTable = RcVTable {
        free: free::<T>,
        type_name: type_name::<T>,
    };
}

/// # Safety
/// `p` came from `Box::<Inner<T>>::into_raw` and no reference to it remains.
unsafe fn free<T>(p: NonNull<RefCount>) {
    // SAFETY: `rc` is the first field of the repr(C) `Inner<T>`, so the pointers coincide;
    // the box is freed exactly once (RcVTable's contract).
    drop(unsafe { Box::from_raw(p.cast::<Inner<T>>().as_ptr()) });
}

unsafe fn type_name<T>(_: NonNull<RefCount>) -> String {
    std::any::type_name::<T>().to_owned()
}

/// A shared pointer like [`std::sync::Arc`], counted with weft's protocol: in the nogil build
/// clones and drops by the creating (attached) thread are plain adds, other threads' are
/// atomic; in the gil build every count change happens under the GIL.
pub struct Brc<T> {
    ptr: NonNull<Inner<T>>,
    _owns: PhantomData<Inner<T>>,
}

// SAFETY: like Arc: sharing a Brc shares `&T` across threads (needs Sync) and the last drop
// may run on any thread (needs Send). The count itself is thread-safe by the protocol.
unsafe impl<T: Send + Sync> Send for Brc<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for Brc<T> {}

impl<T> Brc<T> {
    /// Allocates `value` with a count of one, owned by the calling thread when attached.
    pub fn new(value: T) -> Brc<T> {
        let b = Box::new(Inner {
            rc: RefCount::with_owner(tls::cur()),
            value,
        });
        Brc {
            // SAFETY: Box::into_raw never returns null.
            ptr: unsafe { NonNull::new_unchecked(Box::into_raw(b)) },
            _owns: PhantomData,
        }
    }

    fn rc(&self) -> &RefCount {
        // SAFETY: we hold a reference, so the allocation is alive.
        unsafe { &self.ptr.as_ref().rc }
    }

    /// The embedded count, e.g. to read its flags.
    pub fn refcount(this: &Self) -> &RefCount {
        this.rc()
    }

    /// The current count as seen from this thread (exact when this thread owns the object or
    /// nothing runs concurrently; `usize::MAX` when immortal).
    pub fn count(this: &Self) -> usize {
        this.rc().snapshot(tls::cur())
    }

    /// Whether two pointers point to the same allocation.
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.ptr == b.ptr
    }

    /// Makes the value immortal: it is never freed, and counting it costs nothing.
    pub fn into_immortal(this: Self) -> &'static T {
        this.rc().make_immortal();
        let p = this.ptr;
        std::mem::forget(this);
        // SAFETY: the allocation is never freed from now on.
        unsafe { &p.as_ref().value }
    }
}

impl<T> Clone for Brc<T> {
    #[inline]
    fn clone(&self) -> Self {
        self.rc().incref_as(tls::cur());
        Brc {
            ptr: self.ptr,
            _owns: PhantomData,
        }
    }
}

impl<T> Drop for Brc<T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `rc` is at offset 0 of the repr(C) Inner; VTABLE frees exactly this type;
        // we give up the reference this Brc held.
        unsafe { crate::variant_decref(self.ptr.cast(), &Inner::<T>::VTABLE, tls::cur()) }
    }
}

impl<T> Deref for Brc<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: we hold a reference, so the allocation is alive; `T` is only ever shared.
        unsafe { &self.ptr.as_ref().value }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Brc<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}
