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
use weft_sync::shim::UnsafeCell;
use weft_sync::shim::atomic::{AtomicU32, Ordering};

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

// ---------------------------------------------------------------------------------------------
// Generator frames: moved bitwise between the generator and the data stack
// ---------------------------------------------------------------------------------------------

impl SlotBuf {
    /// Moves slots `i .. i + dst.len()` into `dst`, bitwise (no reference-count traffic),
    /// leaving them unbound.
    ///
    /// `dst`'s slots must be unbound: a bound one would be overwritten without being released
    /// (a leak, never unsound; asserted in debug builds).
    ///
    /// # Panics
    /// If the range is not inside the buffer.
    #[inline]
    pub(crate) fn move_out(&self, i: usize, dst: &mut [Slot]) {
        let n = dst.len();
        assert!(
            i <= self.len && n <= self.len - i,
            "slots {i}..{} out of a chunk of {}",
            i + n,
            self.len
        );
        debug_assert!(dst.iter().all(Option::is_none), "moving over bound slots");
        // SAFETY: `i + n <= len` (checked above), so `ptr + i .. ptr + i + n` are slots of the
        // buffer; `dst` is a unique borrow of other memory (a `&mut` cannot alias the buffer,
        // which is never reached through a reference to more than one slot). The values are
        // copied bitwise and the sources rewritten with `None` before anything else runs, so
        // every value has exactly one owner afterwards; `dst`'s old values are all `None`
        // (nothing to drop). The buffer is only accessed from its own thread (the stack is
        // `!Send`) and no reference into it is alive here.
        unsafe {
            let src = self.ptr.as_ptr().add(i);
            move_slots(src, dst.as_mut_ptr(), n);
        }
    }

    /// Moves `src` into slots `i .. i + src.len()`, bitwise, leaving `src` unbound.
    ///
    /// The destination slots must be unbound (a frame just pushed has only unbound slots): a
    /// bound one would be overwritten without being released (a leak, never unsound;
    /// asserted in debug builds).
    ///
    /// # Panics
    /// If the range is not inside the buffer.
    #[inline]
    pub(crate) fn move_in(&self, i: usize, src: &mut [Slot]) {
        let n = src.len();
        assert!(
            i <= self.len && n <= self.len - i,
            "slots {i}..{} out of a chunk of {}",
            i + n,
            self.len
        );
        #[cfg(debug_assertions)]
        for k in 0..n {
            assert!(!self.is_bound(i + k), "moving over a bound slot");
        }
        // SAFETY: as in `move_out`, with the roles exchanged: `i + n <= len`, `src` is a
        // unique borrow of other memory, values are copied bitwise and the sources rewritten
        // with `None`, so each value keeps exactly one owner.
        unsafe {
            let dst = self.ptr.as_ptr().add(i);
            move_slots(src.as_mut_ptr(), dst, n);
        }
    }
}

/// Moves `n` slots from `src` to `dst` bitwise, leaving `None` at `src`.
///
/// A generator frame moves a handful of slots (its locals and a short value stack), so this
/// is a plain loop, one slot at a time, rather than `memcpy` and `memset` calls.
///
/// # Safety
/// `src .. src + n` and `dst .. dst + n` are valid, non-overlapping runs of slots, nothing
/// else reads or writes them meanwhile, and the `dst` slots hold nothing that needs a drop
/// (they are `None`; a bound one would be leaked).
#[inline(always)]
unsafe fn move_slots(src: *mut Slot, dst: *mut Slot, n: usize) {
    for k in 0..n {
        // SAFETY: `k < n`: both slots are in their runs (the caller's contract). The value is
        // read out and `None` written in its place before it is written to `dst`, so it has
        // exactly one owner at every step.
        unsafe {
            let v = ptr::replace(src.add(k), None);
            ptr::write(dst.add(k), v);
        }
    }
}

/// The state of a generator's frame ([`GenFrame::state`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum GenState {
    /// Made, never run: the image holds the bound arguments.
    Created = 0,
    /// Stopped at a `yield`: the image holds the whole frame.
    Suspended = 1,
    /// A thread holds the frame (a [`GenClaim`]): its values are on that thread's data stack
    /// or being moved.
    Running = 2,
    /// Returned, raised or closed: the image holds nothing any more.
    Finished = 3,
}

impl GenState {
    fn from_u32(v: u32) -> GenState {
        match v {
            0 => GenState::Created,
            1 => GenState::Suspended,
            2 => GenState::Running,
            _ => GenState::Finished,
        }
    }
}

/// A generator's frame while it is not running: its fixed slots and value stack, instruction
/// pointer and handled exception, in one buffer allocated when the generator is made.
///
/// A resumption moves the slots bitwise onto a frame pushed on the resuming thread's data
/// stack ([`DataStack::push_image`]) and back when the frame yields
/// ([`DataStack::pop_into_image`]): no allocation, no reference-count traffic, `n_fixed + depth`
/// words copied each way.
#[derive(Debug)]
pub struct FrameImage {
    /// `[fixed | value stack]`, as the frame's slots; all `None` while the frame runs.
    slots: Box<[Slot]>,
    n_fixed: u32,
    /// Values on the value stack (slots `n_fixed .. n_fixed + sp`).
    sp: u32,
    /// Where to resume.
    ip: u32,
    /// The exception the frame was handling when it yielded.
    exc: Option<ObjRef>,
}

impl FrameImage {
    /// An image of a frame with `n_slots` slots of which `n_fixed` are fixed, its first fixed
    /// slots bound to `fixed` (the arguments), its value stack empty, at instruction 0.
    ///
    /// # Panics
    /// If `fixed` is longer than `n_fixed`, or `n_fixed > n_slots`.
    pub fn new(mut fixed: Vec<Slot>, n_fixed: usize, n_slots: usize) -> FrameImage {
        assert!(
            fixed.len() <= n_fixed && n_fixed <= n_slots,
            "bad frame image"
        );
        fixed.resize(n_slots, None);
        FrameImage {
            slots: fixed.into_boxed_slice(),
            n_fixed: n_fixed as u32,
            sp: 0,
            ip: 0,
            exc: None,
        }
    }

    /// The instruction to resume at.
    #[inline]
    pub fn ip(&self) -> u32 {
        self.ip
    }

    /// Sets the instruction to resume at.
    #[inline]
    pub fn set_ip(&mut self, ip: u32) {
        self.ip = ip;
    }

    /// The fixed slots (locals, cells, free variables; unbound while the frame runs).
    #[inline]
    pub fn fixed(&self) -> &[Slot] {
        &self.slots[..self.n_fixed as usize]
    }

    /// The value stack, bottom first (empty while the frame runs).
    #[inline]
    pub fn stack(&self) -> &[Slot] {
        let n = self.n_fixed as usize;
        &self.slots[n..n + self.sp as usize]
    }

    /// Pops the top value of the saved value stack.
    ///
    /// # Panics
    /// If the value stack is empty.
    #[inline]
    pub fn pop_value(&mut self) -> Slot {
        assert!(self.sp > 0, "value stack underflow");
        self.sp -= 1;
        self.slots[(self.n_fixed + self.sp) as usize].take()
    }

    /// Pushes `v` on the saved value stack.
    ///
    /// # Panics
    /// If the value stack is full.
    #[inline]
    pub fn push_value(&mut self, v: Slot) {
        let i = (self.n_fixed + self.sp) as usize;
        assert!(i < self.slots.len(), "value stack overflow");
        debug_assert!(self.slots[i].is_none());
        self.slots[i] = v;
        self.sp += 1;
    }

    /// Takes the saved handled exception.
    #[inline]
    pub fn take_exc(&mut self) -> Option<ObjRef> {
        self.exc.take()
    }

    /// Saves the handled exception, returning the one it replaces (for the caller to drop).
    #[must_use = "the old value is returned to be dropped by the caller"]
    #[inline]
    pub fn replace_exc(&mut self, exc: Option<ObjRef>) -> Option<ObjRef> {
        std::mem::replace(&mut self.exc, exc)
    }

    #[inline]
    pub(crate) fn layout(&self) -> (usize, usize) {
        (self.n_fixed as usize, self.slots.len())
    }

    /// Where [`DataStack::push_image`] and [`DataStack::pop_into_image`] move values: the fixed
    /// slots and the live value stack, as one run.
    #[inline]
    pub(crate) fn live_mut(&mut self) -> &mut [Slot] {
        let n = (self.n_fixed + self.sp) as usize;
        &mut self.slots[..n]
    }

    #[inline]
    pub(crate) fn set_depth(&mut self, sp: u32) {
        debug_assert!((self.n_fixed + sp) as usize <= self.slots.len());
        self.sp = sp;
    }

    #[inline]
    pub(crate) fn depth(&self) -> u32 {
        self.sp
    }
}

/// A generator's frame and the atomic word that says who owns it.
///
/// The `state` word *is* the frame's ownership: a thread that moves it from
/// [`Created`](GenState::Created) or [`Suspended`](GenState::Suspended) to
/// [`Running`](GenState::Running) (one compare-and-swap, `Acquire`) holds the only
/// [`GenClaim`], and through it the only access to the [`FrameImage`], until the claim is
/// released (one store, `Release`, of the next state). So the image needs no lock: it is
/// reached only through a claim, and a claim exists at most once at a time. A thread that
/// finds the state `Running` does not wait: the caller raises `ValueError: generator already
/// executing`, as CPython does (this also covers a generator resuming itself). `Finished`
/// can never be claimed again. Readers of the state (`gi_running`, `gi_suspended`) load it
/// with no claim.
#[derive(Debug)]
pub struct GenFrame {
    state: AtomicU32,
    image: UnsafeCell<FrameImage>,
}

// SAFETY: the image is reached only through a `GenClaim`, which `try_claim` hands to one thread
// at a time (the `Running` CAS; `Acquire` on taking, `Release` on giving back orders every
// access of one holder before the next), or through `&mut self`. Its contents (`ObjRef`s,
// integers) are `Send`.
unsafe impl Sync for GenFrame {}

impl GenFrame {
    /// A frame in state [`Created`](GenState::Created) with `image`.
    pub fn new(image: FrameImage) -> GenFrame {
        GenFrame {
            state: AtomicU32::new(GenState::Created as u32),
            image: UnsafeCell::new(image),
        }
    }

    /// The state now (a snapshot: another thread may change it at once).
    #[inline]
    pub fn state(&self) -> GenState {
        GenState::from_u32(self.state.load(Ordering::Acquire))
    }

    /// Takes the frame: `Err` with the state when it is `Running` (another holder, possibly
    /// this thread further up) or `Finished`.
    ///
    /// # Errors
    /// The state, when it cannot be claimed.
    #[inline]
    pub fn try_claim(&self) -> Result<GenClaim<'_>, GenState> {
        let mut cur = self.state.load(Ordering::Relaxed);
        loop {
            let prev = GenState::from_u32(cur);
            if !matches!(prev, GenState::Created | GenState::Suspended) {
                return Err(prev);
            }
            match self.state.compare_exchange_weak(
                cur,
                GenState::Running as u32,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    return Ok(GenClaim {
                        frame: self,
                        prev,
                        released: false,
                    });
                }
                Err(now) => cur = now,
            }
        }
    }
}

/// The one holder of a [`GenFrame`]'s image (see [`GenFrame::try_claim`]). Dropping it
/// without [`release`](Self::release) gives the frame back in the state it was claimed from
/// (an early return before anything moved), or `Finished` when the thread is unwinding from
/// a panic (the frame may be half moved then; it is never run again).
#[derive(Debug)]
pub struct GenClaim<'g> {
    frame: &'g GenFrame,
    prev: GenState,
    released: bool,
}

impl GenClaim<'_> {
    /// The state the frame was claimed from: `Created` or `Suspended`.
    #[inline]
    pub fn prev(&self) -> GenState {
        self.prev
    }

    /// Gives the frame back in state `to` (`Created`, `Suspended` or `Finished`).
    ///
    /// # Panics
    /// If `to` is `Running`.
    #[inline]
    pub fn release(mut self, to: GenState) {
        assert!(to != GenState::Running, "release to Running");
        self.released = true;
        self.frame.state.store(to as u32, Ordering::Release);
    }
}

impl std::ops::Deref for GenClaim<'_> {
    type Target = FrameImage;

    #[inline]
    fn deref(&self) -> &FrameImage {
        // SAFETY: this claim is the only one (the `Running` CAS in `try_claim`; it is released
        // only when the claim is consumed or dropped), so no other reference to the image
        // exists while this borrow of the claim lives.
        self.frame.image.with(|p| unsafe { &*p })
    }
}

impl std::ops::DerefMut for GenClaim<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut FrameImage {
        // SAFETY: as in `deref`; the unique borrow of the claim makes this the only reference.
        self.frame.image.with_mut(|p| unsafe { &mut *p })
    }
}

impl Drop for GenClaim<'_> {
    fn drop(&mut self) {
        if !self.released {
            let to = if std::thread::panicking() {
                GenState::Finished
            } else {
                self.prev
            };
            self.frame.state.store(to as u32, Ordering::Release);
        }
    }
}
