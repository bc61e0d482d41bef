//! Per-thread free lists for the objects programs make and drop by the million: `int`s outside
//! the small-int cache and `float`s.
//!
//! An object of a pooled type is freed into its thread's list (after its payload is dropped)
//! instead of to the allocator, up to [`CAPACITY`] blocks; [`crate::ObjRef::new`] takes a block
//! from the list (through [`crate::Payload::reuse_block`]) before asking the allocator. A block is the memory of one
//! `PyObj<T>`, allocated with `Layout::new::<PyObj<T>>()` like any boxed object, so a block
//! from the list and one from the allocator are interchangeable: any `PyObj<T>` may be freed
//! into the list, and a block in the list is given back to the allocator with that layout
//! when the list is full or its thread exits.
//!
//! Lists are per thread and never shared: a block freed on one thread (in nogil, an object
//! may be freed by a thread other than the one that made it) joins the freeing thread's list.
//! Measured (cachegrind, gil): an allocation and a free through mimalloc cost about 130
//! instructions a pair here (the header set-up, mimalloc's thread heap lookup, the page
//! bookkeeping); through the list, about 40.

use std::alloc::Layout;
use std::cell::Cell;
use std::ptr::{self, NonNull};

use crate::object::{Payload, PyObj};

/// Blocks a list keeps at most; beyond it, frees go to the allocator.
pub const CAPACITY: u32 = 1024;

/// A free block: its first word links to the next.
struct Block {
    next: *mut Block,
}

/// One thread's list for one payload type.
pub struct FreeList {
    head: Cell<*mut Block>,
    len: Cell<u32>,
    layout: Layout,
}

impl FreeList {
    /// An empty list of blocks of `layout`, which must hold at least a pointer.
    #[cfg_attr(weft_loom, allow(dead_code))]
    pub(crate) const fn new(layout: Layout) -> FreeList {
        FreeList {
            head: Cell::new(ptr::null_mut()),
            len: Cell::new(0),
            layout,
        }
    }

    /// A block, if the list has one.
    #[inline(always)]
    fn pop(&self) -> Option<NonNull<u8>> {
        let b = NonNull::new(self.head.get())?;
        // SAFETY: blocks in the list are ours (pushed by `push`), live allocations of
        // `layout`, each holding a `Block` link written by `push`.
        self.head.set(unsafe { (*b.as_ptr()).next });
        self.len.set(self.len.get() - 1);
        Some(b.cast())
    }

    /// Keeps `p` for reuse; gives it back (`Err`) when the list is full.
    #[inline(always)]
    fn push(&self, p: NonNull<u8>) -> Result<(), NonNull<u8>> {
        if self.len.get() >= CAPACITY {
            return Err(p);
        }
        let b = p.cast::<Block>();
        // SAFETY: `p` is an allocation of `layout` (at least pointer-sized and -aligned: every
        // object starts with its header) that nothing references any more.
        unsafe {
            b.as_ptr().write(Block {
                next: self.head.get(),
            })
        };
        self.head.set(b.as_ptr());
        self.len.set(self.len.get() + 1);
        Ok(())
    }

    /// Blocks in the list.
    pub fn len(&self) -> usize {
        self.len.get() as usize
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len.get() == 0
    }
}

impl Drop for FreeList {
    fn drop(&mut self) {
        while let Some(p) = self.pop() {
            // SAFETY: each block is a live allocation of `layout` from the global allocator.
            unsafe { std::alloc::dealloc(p.as_ptr(), self.layout) };
        }
    }
}

/// A payload type whose objects are pooled.
pub trait Pooled: Payload + Sized {
    /// Runs `f` with this thread's list for `PyObj<Self>` blocks; `None` when the thread's
    /// lists are gone (thread teardown).
    fn with_list<R>(f: impl FnOnce(&FreeList) -> R) -> Option<R>;
}

macro_rules! pooled {
    ($t:ty, $key:ident) => {
        #[cfg(not(weft_loom))]
        std::thread_local! {
            static $key: FreeList = const { FreeList::new(Layout::new::<PyObj<$t>>()) };
        }

        impl Pooled for $t {
            #[inline(always)]
            fn with_list<R>(f: impl FnOnce(&FreeList) -> R) -> Option<R> {
                // Under loom, whose modelled threads share one OS thread's thread-locals,
                // objects are not pooled: every free goes to the (quarantining) allocator.
                #[cfg(weft_loom)]
                {
                    let _ = f;
                    None
                }
                #[cfg(not(weft_loom))]
                {
                    $key.try_with(f).ok()
                }
            }
        }
    };
}

pooled!(crate::scalar::int::Int, INTS);
pooled!(f64, FLOATS);

/// A block for a `PyObj<T>` from this thread's list, if it has one (the `Payload::reuse_block`
/// of pooled types).
#[inline(always)]
pub fn reuse<T: Pooled>() -> Option<NonNull<u8>> {
    T::with_list(FreeList::pop).flatten()
}

/// Frees an object of a pooled type: drops it in place, then keeps its block in this thread's
/// list or gives it to the allocator.
///
/// # Safety
/// `p` is a `PyObj<T>` in an allocation of `Layout::new::<PyObj<T>>()` (boxed, or from
/// [`reuse`]) that nothing references.
pub(crate) unsafe fn dealloc<T: Pooled>(p: NonNull<crate::Object>) {
    let p = p.cast::<PyObj<T>>();
    // SAFETY: the object is unreferenced (the contract); its fields are dropped once, here.
    unsafe { ptr::drop_in_place(p.as_ptr()) };
    let block = p.cast::<u8>();
    let kept = T::with_list(|l| l.push(block)).unwrap_or(Err(block));
    if let Err(block) = kept {
        // SAFETY: the allocation has this layout (the contract); `shim::dealloc` is the
        // allocator's outside loom.
        unsafe { weft_sync::shim::dealloc(block.as_ptr(), Layout::new::<PyObj<T>>()) };
    }
}

/// This thread's number of pooled `T` blocks (for tests).
pub fn pooled<T: Pooled>() -> usize {
    T::with_list(FreeList::len).unwrap_or(0)
}
