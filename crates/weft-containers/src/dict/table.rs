//! The dict's table ("keys object"): one allocation holding a header, an index array and an
//! entries array, whose shape never changes after allocation.
//!
//! ```text
//! [ Header | indices: AtomicU32 x size | entries: Entry x usable ]
//! ```
//! * `indices` is an open-addressing hash index (size a power of two, CPython's perturbation
//!   probe): 0 = empty, 1 = dummy (a deleted key was here; probing continues past it), n ≥ 2 =
//!   entry `n - 2`. Zeroed memory is an empty index, so new tables come from `alloc_zeroed`.
//! * `entries` holds `(hash, key, value)` in insertion order; all three are atomics so that
//!   lock-free readers may read them while a writer (holding the dict's lock) mutates. Entries
//!   are append-only within a table: an entry's key, once written, only ever changes to null
//!   (deleted); a slot is never reused for another key. Iteration order is entry order.
//! * `usable` = 2/3 of `size`, so an index always has empty slots and probes terminate.
//!   When the entries are used up the dict moves to a new table sized for its live entries
//!   (compacting away deleted ones) and retires the old one.
//!
//! A writer publishes an entry by filling it, then storing `nentries` and the index slot with
//! release; readers load the index slot (or `nentries`) with acquire. The table's `serial` is
//! unique among the tables one dict ever has, so a reader that re-loads the dict's table
//! pointer after a call into user code can tell "same table" from "a new table that happens to
//! sit at the same address".

use std::alloc::{Layout, alloc_zeroed, handle_alloc_error};
use std::marker::PhantomData;
use std::mem::{offset_of, size_of};
use std::ptr::NonNull;

use weft_sync::shim::atomic::{AtomicI64, AtomicPtr, AtomicU32, AtomicUsize, Ordering};

use super::support::Token;

/// Index slot: never used.
pub(crate) const IX_EMPTY: u32 = 0;
/// Index slot: a deleted key was here.
pub(crate) const IX_DUMMY: u32 = 1;
/// Index slot `n >= IX_BASE` points to entry `n - IX_BASE`.
pub(crate) const IX_BASE: u32 = 2;
/// Smallest index: 8 slots, 5 usable entries.
pub(crate) const MIN_LOG2: u32 = 3;
/// Largest index (the entry number must fit the index word).
pub(crate) const MAX_LOG2: u32 = 30;
/// CPython's perturbation shift.
pub(crate) const PERTURB_SHIFT: u32 = 5;

/// One `(hash, key, value)` entry. Keys and values are [`Token`]s (null: deleted).
#[repr(C)]
pub(crate) struct Entry {
    /// The key's hash.
    pub(crate) hash: AtomicI64,
    /// The key (an owned reference), null once deleted.
    pub(crate) key: AtomicPtr<()>,
    /// The value (an owned reference), null once deleted.
    pub(crate) value: AtomicPtr<()>,
}

/// The table header.
#[repr(C)]
pub(crate) struct Header {
    /// Unique per table of one dict (never reused while the dict lives).
    serial: u64,
    /// `size = 1 << log2`.
    log2: u32,
    /// Entry capacity.
    usable: usize,
    /// Byte offset of the entries array.
    entries_off: usize,
    /// Entries appended so far (live or deleted).
    nentries: AtomicUsize,
    /// Writer-only hint for `popitem`: every entry in `tail..nentries` is deleted.
    tail: AtomicUsize,
    /// Loom only: `true` until the table is freed. Lock-free readers read it after their
    /// probe and `free` writes it, so loom reports a free not ordered after a reader's probe
    /// as a data race, and a reader that probes a freed table fails.
    #[cfg(weft_loom)]
    live: weft_sync::shim::UnsafeCell<bool>,
}

const IDX_OFF: usize = size_of::<Header>();

/// The shared table of every empty dict: eight empty index slots, no entries. Never freed.
#[repr(C)]
struct EmptyTable {
    hdr: Header,
    idx: [AtomicU32; 8],
}

const _: () = assert!(offset_of!(EmptyTable, idx) == IDX_OFF);

weft_sync::shim_static! {
    static EMPTY_TABLE: EmptyTable = EmptyTable {
        hdr: Header {
            serial: 0,
            log2: MIN_LOG2,
            usable: 0,
            entries_off: 0,
            nentries: AtomicUsize::new(0),
            tail: AtomicUsize::new(0),
            #[cfg(weft_loom)]
            live: weft_sync::shim::UnsafeCell::new(true),
        },
        #[cfg(not(weft_loom))]
        idx: [const { AtomicU32::new(IX_EMPTY) }; 8],
        #[cfg(weft_loom)]
        idx: std::array::from_fn(|_| AtomicU32::new(IX_EMPTY)),
    };
}

/// The static empty table's address.
pub(crate) fn empty_ptr() -> *mut Header {
    let t: &EmptyTable = &EMPTY_TABLE;
    t as *const EmptyTable as *mut Header
}

/// A table that is alive for `'g` (the caller holds the dict's lock, a read section, or owns
/// the table outright).
#[derive(Clone, Copy)]
pub(crate) struct Table<'g> {
    p: NonNull<Header>,
    _life: PhantomData<&'g Header>,
}

fn layout(log2: u32) -> (Layout, usize) {
    let size = 1usize << log2;
    let usable = usable_for(log2);
    let entries_off = (IDX_OFF + size * size_of::<AtomicU32>()).next_multiple_of(8);
    let bytes = entries_off + usable * size_of::<Entry>();
    let l = Layout::from_size_align(bytes, align_of::<Header>().max(align_of::<Entry>()))
        .expect("dict table layout");
    (l, entries_off)
}

/// Entry capacity of a table with `1 << log2` index slots (CPython's usable fraction).
pub(crate) fn usable_for(log2: u32) -> usize {
    ((1usize << log2) << 1) / 3
}

/// The index size for a table that must hold `n` entries.
pub(crate) fn log2_for_items(n: usize) -> Option<u32> {
    let mut l = MIN_LOG2;
    while usable_for(l) < n {
        l += 1;
        if l > MAX_LOG2 {
            return None;
        }
    }
    Some(l)
}

/// The index size after growth for a dict with `used` live entries (CPython's growth rate:
/// the smallest power of two at least `3 * used`, so there is room to double).
pub(crate) fn log2_for_growth(used: usize) -> Option<u32> {
    let want = used.saturating_mul(3).max(1);
    let mut l = MIN_LOG2;
    while (1usize << l) < want {
        l += 1;
        if l > MAX_LOG2 {
            return None;
        }
    }
    Some(l)
}

impl<'g> Table<'g> {
    /// Views the table at `p`.
    ///
    /// # Safety
    /// `p` is [`empty_ptr`] or came from [`Table::alloc`] and is not freed during `'g`.
    #[inline]
    pub(crate) unsafe fn from_raw(p: *mut Header) -> Table<'g> {
        Table {
            // SAFETY: per the contract, `p` is a live table, so not null.
            p: unsafe { NonNull::new_unchecked(p) },
            _life: PhantomData,
        }
    }

    /// The raw pointer (for storing in a dict and comparing).
    #[inline]
    pub(crate) fn as_ptr(self) -> *mut Header {
        self.p.as_ptr()
    }

    #[inline]
    fn hdr(self) -> &'g Header {
        // SAFETY: the table is alive for 'g (see `from_raw`).
        unsafe { self.p.as_ref() }
    }

    /// The table's generation (see the module docs).
    #[inline]
    pub(crate) fn serial(self) -> u64 {
        self.hdr().serial
    }

    /// Whether this is the shared empty table.
    #[inline]
    pub(crate) fn is_static_empty(self) -> bool {
        self.as_ptr() == empty_ptr()
    }

    /// `log2(size)`.
    #[inline]
    pub(crate) fn log2(self) -> u32 {
        self.hdr().log2
    }

    /// Index mask (`size - 1`).
    #[inline]
    pub(crate) fn mask(self) -> usize {
        (1usize << self.hdr().log2) - 1
    }

    /// Entry capacity.
    #[inline]
    pub(crate) fn usable(self) -> usize {
        self.hdr().usable
    }

    /// Entries appended so far (acquire: the entries below are fully written).
    #[inline]
    pub(crate) fn nentries(self) -> usize {
        self.hdr().nentries.load(Ordering::Acquire)
    }

    /// The popitem hint (writer only).
    #[inline]
    pub(crate) fn tail(self) -> usize {
        self.hdr().tail.load(Ordering::Relaxed)
    }

    /// Sets the popitem hint (writer only).
    #[inline]
    pub(crate) fn set_tail(self, t: usize) {
        self.hdr().tail.store(t, Ordering::Relaxed);
    }

    /// Index slot `i` (`i <= mask`).
    #[inline]
    pub(crate) fn index(self, i: usize) -> &'g AtomicU32 {
        debug_assert!(i <= self.mask());
        // SAFETY: the index array starts at IDX_OFF and has `size` slots (see `layout`;
        // EmptyTable has the same layout); `i` is in bounds; the pointer derives from the
        // allocation's own pointer, so it may address the whole allocation.
        unsafe {
            &*self
                .p
                .as_ptr()
                .cast::<u8>()
                .add(IDX_OFF)
                .cast::<AtomicU32>()
                .add(i)
        }
    }

    /// Entry `i` (`i < usable`).
    #[inline]
    pub(crate) fn entry(self, i: usize) -> &'g Entry {
        debug_assert!(i < self.usable());
        let off = self.hdr().entries_off;
        // SAFETY: the entries array starts at `off` and has `usable` entries; `i` is in
        // bounds (the static empty table has no entries and `usable == 0`, so this is never
        // called on it).
        unsafe { &*self.p.as_ptr().cast::<u8>().add(off).cast::<Entry>().add(i) }
    }

    /// Allocates an empty table with `1 << log2` index slots.
    pub(crate) fn alloc(log2: u32, serial: u64) -> Table<'static> {
        let (l, entries_off) = layout(log2);
        // SAFETY: the layout has a non-zero size (the header alone is non-empty).
        let p = unsafe { alloc_zeroed(l) } as *mut Header;
        if p.is_null() {
            handle_alloc_error(l);
        }
        // SAFETY: `p` is a fresh allocation of at least a Header, suitably aligned. Zeroed
        // memory is a valid empty index and null entries (all-zero atomics; under loom they
        // are built in place below).
        let t = unsafe {
            p.write(Header {
                serial,
                log2,
                usable: usable_for(log2),
                entries_off,
                nentries: AtomicUsize::new(0),
                tail: AtomicUsize::new(0),
                #[cfg(weft_loom)]
                live: weft_sync::shim::UnsafeCell::new(true),
            });
            Table::from_raw(p)
        };
        #[cfg(weft_loom)]
        t.init_atomics();
        t
    }

    /// Loom: builds the index slots and entries in place (loom's atomics are not plain
    /// memory, so zeroed bytes are not valid ones).
    #[cfg(weft_loom)]
    fn init_atomics(self) {
        let base = self.p.as_ptr().cast::<u8>();
        for i in 0..=self.mask() {
            // SAFETY: index slot `i` is in bounds (see `index`) and not yet a live atomic.
            unsafe {
                base.add(IDX_OFF)
                    .cast::<AtomicU32>()
                    .add(i)
                    .write(AtomicU32::new(IX_EMPTY))
            };
        }
        for i in 0..self.usable() {
            // SAFETY: entry `i` is in bounds (see `entry`) and not yet live.
            unsafe {
                base.add(self.hdr().entries_off)
                    .cast::<Entry>()
                    .add(i)
                    .write(Entry {
                        hash: AtomicI64::new(0),
                        key: AtomicPtr::new(std::ptr::null_mut()),
                        value: AtomicPtr::new(std::ptr::null_mut()),
                    })
            };
        }
    }

    /// Loom: asserts that the table has not been freed, as a read loom checks against the
    /// free's write (see `Header::live`). Lock-free readers call it after their probe.
    #[cfg(weft_loom)]
    pub(crate) fn check_live(self) {
        // SAFETY: the header is quarantined, not reused, even after a (buggy) early free
        // (`weft_sync::shim::dealloc`); loom checks this read against `free`'s write.
        let live = self.hdr().live.with(|l| unsafe { *l });
        assert!(live, "lock-free dict reader used a freed table");
    }

    /// Frees the table's memory (not the references its entries hold).
    ///
    /// # Safety
    /// The table came from [`Table::alloc`], and nobody uses it afterwards.
    pub(crate) unsafe fn free(self) {
        #[cfg(weft_loom)]
        self.hdr().live.with_mut(|l| {
            // SAFETY: the table is ours (contract); loom checks this write against every
            // lock-free reader's `check_live`.
            unsafe {
                assert!(*l, "dict table freed twice");
                *l = false;
            }
        });
        let l = layout(self.log2()).0;
        // SAFETY: allocated by `alloc` with this layout; per the contract, unused afterwards.
        // (`shim::dealloc` is `std::alloc::dealloc` outside loom.)
        unsafe { weft_sync::shim::dealloc(self.p.as_ptr().cast(), l) };
    }

    /// Appends an entry known to be absent from a table with no dummies and a free entry
    /// (used when building a table); returns the entry number.
    pub(crate) fn push_clean(self, hash: i64, key: Token, value: Token) -> usize {
        let mask = self.mask();
        let mut p = Probe::new(hash, mask);
        loop {
            let slot = p.slot;
            p.advance(mask);
            if self.index(slot).load(Ordering::Relaxed) == IX_EMPTY {
                let n = self.hdr().nentries.load(Ordering::Relaxed);
                self.append_at(slot, n, hash, key, value);
                return n;
            }
        }
    }

    /// Writes entry `n` (== nentries) and points index `slot` to it, publishing both.
    pub(crate) fn append_at(self, slot: usize, n: usize, hash: i64, key: Token, value: Token) {
        debug_assert!(n < self.usable());
        let e = self.entry(n);
        e.hash.store(hash, Ordering::Relaxed);
        e.key.store(key, Ordering::Relaxed);
        e.value.store(value, Ordering::Relaxed);
        self.hdr().nentries.store(n + 1, Ordering::Release);
        self.set_tail(n + 1);
        self.index(slot)
            .store(n as u32 + IX_BASE, Ordering::Release);
    }

    /// The index slot that points to entry `ix` (whose hash is `hash`).
    pub(crate) fn slot_of(self, hash: i64, ix: usize) -> usize {
        let mask = self.mask();
        let want = ix as u32 + IX_BASE;
        let mut p = Probe::new(hash, mask);
        loop {
            let slot = p.slot;
            p.advance(mask);
            let v = self.index(slot).load(Ordering::Relaxed);
            if v == want {
                return slot;
            }
            debug_assert!(v != IX_EMPTY, "dict entry missing from its index");
        }
    }
}

/// Loom: calls [`Table::check_live`] when dropped, i.e. after the last use of the table in
/// the reader's scope.
#[cfg(weft_loom)]
pub(crate) struct LiveCheck<'g>(pub(crate) Table<'g>);

#[cfg(weft_loom)]
impl Drop for LiveCheck<'_> {
    fn drop(&mut self) {
        self.0.check_live();
    }
}

/// CPython's probe sequence: `i = hash & mask`, then `perturb >>= 5; i = 5*i + perturb + 1`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Probe {
    /// The next slot to examine.
    pub(crate) slot: usize,
    perturb: u64,
    /// The first dummy slot seen (where an insertion may go).
    pub(crate) free: Option<usize>,
}

impl Probe {
    /// Starts the sequence for `hash`.
    #[inline]
    pub(crate) fn new(hash: i64, mask: usize) -> Probe {
        Probe {
            slot: (hash as u64 as usize) & mask,
            perturb: hash as u64,
            free: None,
        }
    }

    /// Moves to the next slot.
    #[inline]
    pub(crate) fn advance(&mut self, mask: usize) {
        self.perturb >>= PERTURB_SHIFT;
        self.slot = (self
            .slot
            .wrapping_mul(5)
            .wrapping_add(self.perturb as usize)
            .wrapping_add(1))
            & mask;
    }
}
