//! The set's table: one allocation of a header and `size` slots of `(hash, key)`, probed the
//! way CPython probes sets (a run of up to nine adjacent slots, then a perturbed jump), so that
//! iteration order — slot order — matches CPython's for the same operations.
//!
//! A slot is *unused* (key null), *dummy* (key = [`dummy`], hash -1: a deleted key was here;
//! probing continues and an insertion may reuse it) or *active*. Zeroed memory is all unused,
//! so tables come from `alloc_zeroed`. Both fields are atomics: lock-free readers probe while a
//! writer (holding the set's lock) fills slots (hash first, then the key with release) or
//! turns them into dummies. Like the dict's table, the shape never changes: growing or
//! purging dummies builds a new table and retires the old one through QSBR.

use std::alloc::{Layout, alloc_zeroed, handle_alloc_error};
use std::marker::PhantomData;
use std::mem::{offset_of, size_of};
use std::ptr::NonNull;

use weft_sync::shim::atomic::{AtomicI64, AtomicPtr, Ordering};

use crate::dict::support::Token;

/// CPython's `LINEAR_PROBES`.
const LINEAR_PROBES: usize = 9;
/// CPython's `PERTURB_SHIFT`.
const PERTURB_SHIFT: u32 = 5;
/// Smallest table (CPython's `PySet_MINSIZE`).
pub(crate) const MIN_SIZE: usize = 8;
/// Largest table we allocate.
const MAX_LOG2: u32 = 40;

static DUMMY_MARK: u8 = 0;

/// The dummy key: an address that is never an object's.
#[inline]
pub(crate) fn dummy() -> Token {
    &DUMMY_MARK as *const u8 as Token
}

/// One slot.
#[repr(C)]
pub(crate) struct Slot {
    /// The key's hash (-1 in dummy slots, 0 in unused ones).
    pub(crate) hash: AtomicI64,
    /// The key (an owned reference), [`dummy`] or null.
    pub(crate) key: AtomicPtr<()>,
}

/// The table header.
#[repr(C)]
pub(crate) struct Header {
    /// Unique per table of one set (see the dict's table).
    serial: u64,
    /// `size - 1`.
    mask: usize,
}

const SLOTS_OFF: usize = size_of::<Header>();

#[repr(C)]
struct EmptyTable {
    hdr: Header,
    slots: [Slot; MIN_SIZE],
}

const _: () = assert!(offset_of!(EmptyTable, slots) == SLOTS_OFF);

weft_sync::shim_static! {
    /// The shared table of every empty set (eight unused slots). Never written, never freed:
    /// writers move to an allocated table before their first insertion.
    static EMPTY_TABLE: EmptyTable = EmptyTable {
        hdr: Header {
            serial: 0,
            mask: MIN_SIZE - 1,
        },
        #[cfg(not(weft_loom))]
        slots: [const { Slot::unused() }; MIN_SIZE],
        #[cfg(weft_loom)]
        slots: std::array::from_fn(|_| Slot::unused()),
    };
}

impl Slot {
    weft_sync::shim_const_fn! {
        /// An unused slot.
        fn unused() -> Slot {
            Slot {
                hash: AtomicI64::new(0),
                key: AtomicPtr::new(std::ptr::null_mut()),
            }
        }
    }
}

/// The static empty table's address.
pub(crate) fn empty_ptr() -> *mut Header {
    let t: &EmptyTable = &EMPTY_TABLE;
    t as *const EmptyTable as *mut Header
}

fn layout(size: usize) -> Layout {
    Layout::from_size_align(
        SLOTS_OFF + size * size_of::<Slot>(),
        align_of::<Header>().max(align_of::<Slot>()),
    )
    .expect("set table layout")
}

/// The smallest table size (a power of two, at least [`MIN_SIZE`]) greater than `minused`
/// (CPython's rule in `set_table_resize`); `None` when absurdly large.
pub(crate) fn size_for(minused: usize) -> Option<usize> {
    let mut s = MIN_SIZE;
    while s <= minused {
        s <<= 1;
        if s.trailing_zeros() > MAX_LOG2 {
            return None;
        }
    }
    Some(s)
}

/// A set table alive for `'g` (lock, read section, or exclusive ownership).
#[derive(Clone, Copy)]
pub(crate) struct Table<'g> {
    p: NonNull<Header>,
    _life: PhantomData<&'g Header>,
}

impl<'g> Table<'g> {
    /// Views the table at `p`.
    ///
    /// # Safety
    /// `p` is [`empty_ptr`] or came from [`Table::alloc`] and is not freed during `'g`.
    #[inline]
    pub(crate) unsafe fn from_raw(p: *mut Header) -> Table<'g> {
        Table {
            // SAFETY: per the contract, a live table.
            p: unsafe { NonNull::new_unchecked(p) },
            _life: PhantomData,
        }
    }

    /// The raw pointer.
    #[inline]
    pub(crate) fn as_ptr(self) -> *mut Header {
        self.p.as_ptr()
    }

    #[inline]
    fn hdr(self) -> &'g Header {
        // SAFETY: alive for 'g (see `from_raw`).
        unsafe { self.p.as_ref() }
    }

    /// The generation.
    #[inline]
    pub(crate) fn serial(self) -> u64 {
        self.hdr().serial
    }

    /// `size - 1`.
    #[inline]
    pub(crate) fn mask(self) -> usize {
        self.hdr().mask
    }

    /// Whether this is the shared empty table.
    #[inline]
    pub(crate) fn is_static_empty(self) -> bool {
        self.as_ptr() == empty_ptr()
    }

    /// Slot `i` (`i <= mask`).
    #[inline]
    pub(crate) fn slot(self, i: usize) -> &'g Slot {
        debug_assert!(i <= self.mask());
        // SAFETY: the slots start at SLOTS_OFF and there are `mask + 1` of them; the pointer
        // derives from the allocation's pointer (EmptyTable has the same layout).
        unsafe {
            &*self
                .p
                .as_ptr()
                .cast::<u8>()
                .add(SLOTS_OFF)
                .cast::<Slot>()
                .add(i)
        }
    }

    /// Allocates an all-unused table of `size` slots (a power of two).
    pub(crate) fn alloc(size: usize, serial: u64) -> Table<'static> {
        debug_assert!(size.is_power_of_two() && size >= MIN_SIZE);
        let l = layout(size);
        // SAFETY: non-zero size.
        let p = unsafe { alloc_zeroed(l) } as *mut Header;
        if p.is_null() {
            handle_alloc_error(l);
        }
        // SAFETY: fresh allocation, suitably aligned; zeroed slots are unused (under loom,
        // whose atomics are not plain memory, they are built in place below).
        let t = unsafe {
            p.write(Header {
                serial,
                mask: size - 1,
            });
            Table::from_raw(p)
        };
        #[cfg(weft_loom)]
        for i in 0..size {
            // SAFETY: slot `i < size` is in bounds (see `slot`) and not yet a live atomic.
            unsafe {
                p.cast::<u8>()
                    .add(SLOTS_OFF)
                    .cast::<Slot>()
                    .add(i)
                    .write(Slot::unused())
            };
        }
        t
    }

    /// Frees the memory (not the references in the slots).
    ///
    /// # Safety
    /// From [`Table::alloc`], unused afterwards.
    pub(crate) unsafe fn free(self) {
        let l = layout(self.mask() + 1);
        // SAFETY: per the contract. (`shim::dealloc` is `std::alloc::dealloc` outside loom.)
        unsafe { weft_sync::shim::dealloc(self.p.as_ptr().cast(), l) };
    }

    /// Inserts a key known to be absent into a table without dummies (CPython's
    /// `set_insert_clean`); returns the slot.
    pub(crate) fn insert_clean(self, hash: i64, key: Token) -> usize {
        let mask = self.mask();
        let mut p = Probe::new(hash, mask);
        loop {
            let i = p.slot();
            p.advance(mask);
            let s = self.slot(i);
            if s.key.load(Ordering::Relaxed).is_null() {
                s.hash.store(hash, Ordering::Relaxed);
                s.key.store(key, Ordering::Release);
                return i;
            }
        }
    }
}

/// CPython's set probe: slots `base ..= base + 9` (when they fit below the mask, else just
/// `base`), then `perturb >>= 5; base = 5 * base + 1 + perturb`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Probe {
    base: usize,
    off: usize,
    perturb: u64,
    /// The last dummy slot seen (CPython reuses the last one on the path).
    pub(crate) free: Option<usize>,
}

impl Probe {
    /// Starts the probe for `hash`.
    #[inline]
    pub(crate) fn new(hash: i64, mask: usize) -> Probe {
        Probe {
            base: (hash as u64 as usize) & mask,
            off: 0,
            perturb: hash as u64,
            free: None,
        }
    }

    /// The slot to examine.
    #[inline]
    pub(crate) fn slot(&self) -> usize {
        self.base + self.off
    }

    /// Moves to the next slot.
    #[inline]
    pub(crate) fn advance(&mut self, mask: usize) {
        let run = if self.base + LINEAR_PROBES <= mask {
            LINEAR_PROBES
        } else {
            0
        };
        if self.off < run {
            self.off += 1;
        } else {
            self.perturb >>= PERTURB_SHIFT;
            self.base = (self
                .base
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(self.perturb as usize))
                & mask;
            self.off = 0;
        }
    }
}
