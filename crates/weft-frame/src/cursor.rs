//! The slot memory of a chunk and the eval loop's cursor on the top frame.
//!
//! This is the crate's only unsafe code. Two things live here:
//!
//! * [`SlotBuf`], the slots of one chunk: a heap buffer of [`Slot`]s that never moves and is
//!   never reached through a `&mut` to the whole of it. Every access is a raw read or write of
//!   one slot, so a raw pointer into the buffer that the cursor holds stays valid while other
//!   frames on the same chunk are pushed and popped, and no Rust reference to a slot outlives
//!   the one operation that made it.
//! * [`FrameCursor`], which the eval loop keeps in registers while a frame runs: a pointer to
//!   the frame's first slot, one to its next free value-stack slot, and one to its record (for
//!   the instruction pointer and the value-stack depth, both `Cell`s). Push, pop and local
//!   access are then a load and a store each, with no `RefCell` borrow and no bounds check in
//!   release builds (debug builds check every access against the frame's layout).
//!
//! ## The contract
//! The record keeps the value-stack depth (`sp`) that the rest of the [`DataStack`] API uses;
//! the cursor keeps its own copy and the two agree only at [`FrameCursor::store`] /
//! [`FrameCursor::load`]. The eval loop stores before it calls anything that may read or
//! change the frame's value stack through the `DataStack` (a call that moves arguments into a
//! callee, a generator saving its frame, error unwinding) and loads after. Code that only
//! pushes *other* frames (a callee) never touches this frame's slots above its locals, so most
//! instructions need neither. Every slot at and above the cursor's stack pointer is `None`
//! (the stack's invariant): a push writes without dropping, a pop leaves `None` behind.

use std::cell::Cell;
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

use weft_object::ObjRef;

use crate::stack::{DataStack, Slot};

/// The slots of one chunk. Owned by the chunk; freed (with any values still in it) on drop.
pub(crate) struct SlotBuf {
    ptr: NonNull<Slot>,
    len: usize,
}

impl SlotBuf {
    /// `len` unbound slots.
    pub(crate) fn new(len: usize) -> SlotBuf {
        let b: Box<[Slot]> = vec![None; len].into_boxed_slice();
        let ptr = NonNull::new(Box::into_raw(b).cast::<Slot>()).expect("Box is non-null");
        SlotBuf { ptr, len }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// A pointer to slot `i` (panics when out of bounds).
    #[inline]
    pub(crate) fn at(&self, i: usize) -> *mut Slot {
        assert!(i < self.len, "slot {i} out of a chunk of {}", self.len);
        // SAFETY: `i < len`, so the offset stays inside the allocation.
        unsafe { self.ptr.as_ptr().add(i) }
    }

    /// Replaces slot `i`, returning the old value (for the caller to drop after any borrow of
    /// the stack ends).
    #[inline]
    pub(crate) fn replace(&self, i: usize, v: Slot) -> Slot {
        // SAFETY: `at` checked the index; the buffer is only ever accessed one slot at a time
        // by raw reads and writes on its own thread (the stack is `!Send`), and no reference
        // into it is alive here.
        unsafe { ptr::replace(self.at(i), v) }
    }

    /// Takes slot `i`, leaving it unbound.
    #[inline]
    pub(crate) fn take(&self, i: usize) -> Slot {
        self.replace(i, None)
    }

    /// A new reference to slot `i`'s value.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Slot {
        // SAFETY: as in `replace`; the shared reference lives only for the clone, which runs no
        // foreign code (a reference-count increment).
        unsafe { (*self.at(i)).clone() }
    }

    /// Whether slot `i` is bound.
    #[inline]
    pub(crate) fn is_bound(&self, i: usize) -> bool {
        // SAFETY: as in `get`.
        unsafe { (*self.at(i)).is_some() }
    }
}

impl Drop for SlotBuf {
    fn drop(&mut self) {
        let raw = ptr::slice_from_raw_parts_mut(self.ptr.as_ptr(), self.len);
        // SAFETY: `ptr`/`len` came from `Box::into_raw` of a `Box<[Slot]>` in `new` and are
        // given back exactly once, here.
        drop(unsafe { Box::from_raw(raw) });
    }
}

/// Releases the `n` slots from `first` on: each bound one is left unbound and its value
/// dropped, one at a time, with no reference into the buffer alive during a drop.
///
/// # Safety
/// `first .. first + n` are slots of one chunk's buffer, which stays allocated while this
/// runs, and nothing else reads or writes them meanwhile (code that a drop runs may use the
/// buffer's other slots).
pub(crate) unsafe fn release_slots(first: *mut Slot, n: usize) {
    for i in 0..n {
        // SAFETY: `first + i` is one of the `n` slots (the caller's contract).
        let p = unsafe { first.add(i) };
        // SAFETY: as above; a plain read of one slot, no reference kept.
        if unsafe { (*p).is_some() } {
            // SAFETY: as above; the value moves out and `None` takes its place before the
            // drop runs, so a drop that runs code sees the slot unbound.
            drop(unsafe { ptr::replace(p, None) });
        }
    }
}

/// The two words of a frame's record that its running eval loop writes through the cursor.
#[derive(Default)]
pub(crate) struct FrameState {
    /// Values on the value stack, as last stored.
    pub(crate) sp: Cell<u32>,
    /// The instruction pointer, as last stored.
    pub(crate) ip: Cell<u32>,
}

/// The eval loop's view of the frame it runs: slot and stack pointers held in registers.
///
/// Made by [`DataStack::cursor`] for the top frame, whose `# Safety` section is the contract
/// with the rest of the stack's API: the cursor's stack depth and the frame record's agree
/// only at [`store`](Self::store) / [`load`](Self::load), and every slot at and above the
/// cursor's stack pointer is `None` (a push writes without dropping, a pop leaves `None`).
pub struct FrameCursor<'s> {
    /// Slot 0 of the frame.
    fixed: *mut Slot,
    /// The next free value-stack slot.
    sp: *mut Slot,
    /// The first value-stack slot.
    stack_base: *mut Slot,
    state: NonNull<FrameState>,
    #[cfg(debug_assertions)]
    n_fixed: usize,
    #[cfg(debug_assertions)]
    end: *mut Slot,
    _stack: PhantomData<&'s DataStack>,
}

impl<'s> FrameCursor<'s> {
    /// A cursor over a frame whose slots are `[fixed, fixed + n_slots)` with `n_fixed` fixed
    /// ones and whose record's state is `state`.
    ///
    /// # Safety
    /// The slots and the state must stay allocated and unmoved while the cursor is used, and
    /// `n_fixed <= n_slots` must describe the frame.
    pub(crate) unsafe fn new(
        fixed: *mut Slot,
        n_fixed: usize,
        n_slots: usize,
        state: &FrameState,
    ) -> FrameCursor<'s> {
        debug_assert!(n_fixed <= n_slots);
        let _ = n_slots;
        // SAFETY: `n_fixed <= n_slots` slots follow `fixed` (the caller's contract).
        let stack_base = unsafe { fixed.add(n_fixed) };
        let mut c = FrameCursor {
            fixed,
            sp: stack_base,
            stack_base,
            state: NonNull::from(state),
            #[cfg(debug_assertions)]
            n_fixed,
            // SAFETY: as above, one past the frame's last slot.
            #[cfg(debug_assertions)]
            end: unsafe { fixed.add(n_slots) },
            _stack: PhantomData,
        };
        c.load();
        c
    }

    #[inline(always)]
    fn state(&self) -> &FrameState {
        // SAFETY: the record outlives the cursor (contract of `DataStack::cursor`); only `Cell`
        // fields are read or written through this shared reference.
        unsafe { self.state.as_ref() }
    }

    /// Number of values on the value stack.
    #[inline(always)]
    pub fn depth(&self) -> usize {
        // SAFETY: both pointers are into the frame's slots, `sp >= stack_base`.
        unsafe { self.sp.offset_from(self.stack_base) as usize }
    }

    /// Writes the stack depth and `ip` to the frame's record, so that the `DataStack` API and
    /// anything that looks at the frame (tracebacks, snapshots, frame objects) see them.
    #[inline(always)]
    pub fn store(&self, ip: u32) {
        let s = self.state();
        s.ip.set(ip);
        s.sp.set(self.depth() as u32);
    }

    /// The instruction pointer as last stored (the eval loop reads it back when it returns
    /// to a caller whose frame it left at a call).
    #[inline(always)]
    pub fn ip(&self) -> u32 {
        self.state().ip.get()
    }

    /// Writes `ip` only (the value stack is not touched from outside by what follows).
    #[inline(always)]
    pub fn store_ip(&self, ip: u32) {
        self.state().ip.set(ip);
    }

    /// Re-reads the stack depth from the record, after code that changed the value stack
    /// through the `DataStack` API.
    #[inline(always)]
    pub fn load(&mut self) {
        let sp = self.state().sp.get() as usize;
        #[cfg(debug_assertions)]
        assert!(
            self.stack_base.addr() + sp * std::mem::size_of::<Slot>() <= self.end.addr(),
            "stored depth {sp} beyond the frame"
        );
        // SAFETY: the record's depth is within the frame's value stack (the `DataStack` API
        // keeps it so; checked in debug builds).
        self.sp = unsafe { self.stack_base.add(sp) };
    }

    /// Pushes `v` (a NULL for `None`).
    #[inline(always)]
    pub fn push_slot(&mut self, v: Slot) {
        #[cfg(debug_assertions)]
        assert!(self.sp < self.end, "value stack overflow");
        // SAFETY: `sp` is inside the frame's value stack (the code's verified stack size bounds
        // the pushes, contract of `DataStack::cursor`), and the slot is `None` by the stack's
        // invariant, so writing without dropping loses nothing.
        unsafe {
            debug_assert!((*self.sp).is_none());
            ptr::write(self.sp, v);
            self.sp = self.sp.add(1);
        }
    }

    /// Pushes `v`.
    #[inline(always)]
    pub fn push(&mut self, v: ObjRef) {
        self.push_slot(Some(v));
    }

    /// Pops the top value (`None` for a NULL).
    #[inline(always)]
    pub fn pop_slot(&mut self) -> Slot {
        #[cfg(debug_assertions)]
        assert!(self.sp > self.stack_base, "value stack underflow");
        // SAFETY: the value stack is not empty (verified stack depths; checked in debug), so
        // `sp - 1` is a slot of the frame; `None` is left behind, keeping the invariant.
        unsafe {
            self.sp = self.sp.sub(1);
            ptr::replace(self.sp, None)
        }
    }

    /// Pops the top value, which must not be a NULL.
    #[inline(always)]
    pub fn pop(&mut self) -> ObjRef {
        self.pop_slot().expect("NULL where a value was expected")
    }

    /// A new reference to the value `n` entries below the top (0 = the top).
    #[inline(always)]
    pub fn peek_slot(&self, n: usize) -> Slot {
        #[cfg(debug_assertions)]
        assert!(n < self.depth(), "value stack underflow");
        // SAFETY: `n < depth` (verified stack depths; checked in debug), so the slot is in the
        // frame's value stack; the reference lives only for the clone.
        unsafe { (*self.sp.sub(n + 1)).clone() }
    }

    /// A new reference to the value `n` entries below the top, which must not be a NULL.
    #[inline(always)]
    pub fn peek(&self, n: usize) -> ObjRef {
        self.peek_slot(n).expect("NULL where a value was expected")
    }

    /// The top `n` values, bottom first, as a slice (the arguments of a call, passed to the
    /// callee in place). They must all be bound: a NULL among them panics.
    #[inline(always)]
    pub fn top_values(&self, n: usize) -> &[ObjRef] {
        #[cfg(debug_assertions)]
        assert!(n <= self.depth(), "value stack underflow");
        // SAFETY: `n <= depth` (verified stack depths; checked in debug), so the `n` slots
        // below `sp` are slots of this frame's value stack. They stay unchanged while the
        // slice lives: it borrows the cursor, so the loop cannot pop them, and the stack API
        // changes only the *top* frame's value stack, which is this frame only when no callee
        // runs, and then only between `store` and `load`. The slot memory is valid for reads.
        let slots = unsafe { std::slice::from_raw_parts(self.sp.sub(n), n) };
        assert!(
            slots.iter().all(Option::is_some),
            "NULL among call arguments"
        );
        // SAFETY: every slot is `Some` (checked above), and `Option<ObjRef>` has the layout of
        // `ObjRef` with `Some(x)` stored as the bits of `x` (`ObjRef` is a `repr(transparent)`
        // `NonNull`: the guaranteed null-pointer optimisation).
        unsafe { std::slice::from_raw_parts(slots.as_ptr().cast::<ObjRef>(), n) }
    }

    /// Pops and releases the top `n` values.
    #[inline(always)]
    pub fn drop_top(&mut self, n: usize) {
        for _ in 0..n {
            drop(self.pop_slot());
        }
    }

    /// Moves the top `n` values to `dst..dst + n` (bottom first), leaving `None` behind.
    ///
    /// # Safety
    /// `n <= self.depth()`, and `dst` points to `n` unbound slots that do not overlap this
    /// frame's value stack.
    pub(crate) unsafe fn move_top_to(&mut self, dst: *mut Slot, n: usize) {
        debug_assert!(n <= self.depth());
        // SAFETY: the caller's contract: `n` values below `sp`, `n` unbound slots at `dst`,
        // no overlap; the moved-from slots are rewritten with `None` (no double ownership).
        unsafe {
            let src = self.sp.sub(n);
            std::ptr::copy_nonoverlapping(src, dst, n);
            for k in 0..n {
                std::ptr::write(src.add(k), None);
            }
            self.sp = src;
        }
    }

    /// Exchanges the top value with the one `n - 1` entries below it (`SWAP n`, `n >= 2`).
    #[inline(always)]
    pub fn swap(&mut self, n: usize) {
        #[cfg(debug_assertions)]
        assert!(n >= 1 && n <= self.depth(), "value stack underflow");
        // SAFETY: both slots are in the value stack (as in `peek_slot`) and may be the same.
        unsafe { ptr::swap(self.sp.sub(1), self.sp.sub(n)) }
    }

    /// A new reference to fixed slot `i` (a local, cell or free variable).
    #[inline(always)]
    pub fn local(&self, i: usize) -> Slot {
        #[cfg(debug_assertions)]
        assert!(i < self.n_fixed, "no fixed slot {i}");
        // SAFETY: `i` is a fixed slot (the compiler numbers them; checked in debug); the
        // reference lives only for the clone.
        unsafe { (*self.fixed.add(i)).clone() }
    }

    /// Stores `v` in fixed slot `i`, returning the old value for the caller to drop.
    #[inline(always)]
    #[must_use = "the old value is returned to be dropped by the caller"]
    pub fn replace_local(&mut self, i: usize, v: Slot) -> Slot {
        #[cfg(debug_assertions)]
        assert!(i < self.n_fixed, "no fixed slot {i}");
        // SAFETY: as in `local`.
        unsafe { ptr::replace(self.fixed.add(i), v) }
    }
}

impl std::fmt::Debug for FrameCursor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FrameCursor")
            .field("depth", &self.depth())
            .field("ip", &self.state().ip.get())
            .finish()
    }
}
