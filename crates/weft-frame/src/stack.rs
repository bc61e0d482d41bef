//! The per-thread data stack and the interpreter frames on it.
//!
//! See the crate docs for the design; this module holds the mechanics:
//!
//! * A [`DataStack`] is a list of *chunks*. A chunk is one boxed slice of [`Slot`]s
//!   ([`CHUNK_SLOTS`] of them, 16 KiB, or the next power of two above a frame too big for
//!   that) plus the records (headers) of the frames whose slots it holds. Frames are strictly
//!   LIFO, so a chunk is a bump region: a push takes the next free slots of the top chunk, a
//!   pop gives them back.
//! * A frame that does not fit in the top chunk goes to a fresh chunk: the cached *spare*
//!   chunk if it is big enough, else a new allocation. A pop that empties a chunk (other than
//!   the bottom one) releases it: it becomes the spare if there is none (and it is not huge),
//!   otherwise it is freed. So a call that crosses a chunk boundary in a loop reuses the spare
//!   and allocates nothing, and a deep recursion gives its chunks back as it unwinds.
//! * Every slot not in use is `None` (pop clears a frame's slots), so a push never has to
//!   initialise them.
//! * All methods take `&self`: the stack is reached through [`with_stack`] from anywhere on its
//!   thread (the eval loop, a builtin such as `locals()`, the frame object's accessors), and
//!   re-entering it is always allowed. Internally each method borrows the stack's state for a
//!   few instructions and never runs foreign code while borrowed: objects that a method
//!   releases (a popped frame's values, an overwritten local) are dropped *after* the borrow
//!   ends, because dropping an object can run arbitrary code (a `__del__`) that may push and
//!   pop frames on this same stack.

use std::cell::{Cell, OnceCell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::Arc;

use weft_object::{ExcKind, ObjRef, Object, PyErr, PyResult};

use crate::code::CodeInfo;
use crate::cursor::{FrameCursor, FrameImage, FrameState, SlotBuf};
use crate::object::{FrameCopy, FrameObject};
use crate::snapshot::{self, FrameSummary, ThreadRecord};

/// One slot of a frame: a local, cell or free variable, or a value-stack entry. `None` is an
/// unbound local (or a NULL on the value stack). Eight bytes.
pub type Slot = Option<ObjRef>;

/// Slots in a standard chunk: 16 KiB worth.
pub const CHUNK_SLOTS: usize = 16 * 1024 / std::mem::size_of::<Slot>();

/// Chunks bigger than this (made for huge frames) are freed rather than cached as the spare.
const MAX_CACHED_SLOTS: usize = 4 * CHUNK_SLOTS;

/// Frames one chunk holds at most. A chunk's records are allocated once, at this capacity,
/// and never move (a [`FrameCursor`] points into them); a frame that would be one too many
/// goes to a fresh chunk, as one that does not fit in the slots does. 256 records are 16 KiB,
/// the size of the slots: eight slots a frame on average before a chunk runs out of records.
pub const MAX_FRAMES_PER_CHUNK: usize = 256;

const NO_FRAME: &str = "no frame on the data stack";

/// Why a push was refused.
enum Refused {
    /// The recursion limit.
    Limit,
    /// A caller bug (the frame or the arguments do not fit the code's layout).
    Bug(String),
}

/// The default recursion limit (CPython's `sys.getrecursionlimit()`).
pub const DEFAULT_RECURSION_LIMIT: usize = 1000;

/// Reads a function object's code, globals and builtins, in that order, for the frames that
/// run it (see [`FrameInit::of_function`]). The function must keep all three alive and never
/// change them.
pub type FunctionParts = for<'a> fn(&'a Object) -> (&'a Arc<CodeInfo>, &'a ObjRef, &'a ObjRef);

/// Where a frame's code and namespaces come from.
#[derive(Clone)]
enum Source {
    /// Held by the frame.
    Owned {
        code: Arc<CodeInfo>,
        globals: ObjRef,
        builtins: ObjRef,
    },
    /// Read from the frame's function, which the frame holds: a call takes one reference
    /// (the function's) instead of four.
    Function(FunctionParts),
}

/// What a new frame runs: the code and the namespaces it runs in, and the function called.
#[derive(Clone)]
pub struct FrameInit {
    function: Option<ObjRef>,
    source: Source,
    n_fixed: u32,
    n_slots: u32,
}

impl std::fmt::Debug for FrameInit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FrameInit")
            .field("code", &self.parts().0.name())
            .field("function", &self.function.is_some())
            .finish()
    }
}

impl FrameInit {
    /// A frame of `code` with `globals` and `builtins` and no function.
    pub fn new(code: Arc<CodeInfo>, globals: ObjRef, builtins: ObjRef) -> FrameInit {
        FrameInit {
            function: None,
            n_fixed: code.n_fixed() as u32,
            n_slots: code.n_slots() as u32,
            source: Source::Owned {
                code,
                globals,
                builtins,
            },
        }
    }

    /// A frame of a call of `function`, whose code and namespaces `parts` reads (the call's
    /// fast path: the frame holds the function only).
    ///
    /// # Panics
    /// Never itself; `parts` is called with `function` and may panic if it is not the kind of
    /// object it reads.
    #[inline]
    pub fn of_function(function: ObjRef, parts: FunctionParts) -> FrameInit {
        let code = parts(&function).0;
        // Fit in u32: `CodeInfo` guarantees it.
        let (n_fixed, n_slots) = (code.n_fixed() as u32, code.n_slots() as u32);
        FrameInit {
            function: Some(function),
            source: Source::Function(parts),
            n_fixed,
            n_slots,
        }
    }

    /// Sets the function being called.
    pub fn with_function(mut self, function: ObjRef) -> FrameInit {
        self.function = Some(function);
        self
    }

    /// The code, globals and builtins.
    fn parts(&self) -> (&Arc<CodeInfo>, &ObjRef, &ObjRef) {
        source_parts(&self.source, self.function.as_ref())
    }

    /// The code the frame runs.
    pub fn code(&self) -> &Arc<CodeInfo> {
        self.parts().0
    }

    /// The global namespace.
    pub fn globals(&self) -> &ObjRef {
        self.parts().1
    }

    /// The builtins namespace.
    pub fn builtins(&self) -> &ObjRef {
        self.parts().2
    }

    /// The function being called, if any.
    pub fn function(&self) -> Option<&ObjRef> {
        self.function.as_ref()
    }
}

#[inline]
fn source_parts<'a>(
    source: &'a Source,
    function: Option<&'a ObjRef>,
) -> (&'a Arc<CodeInfo>, &'a ObjRef, &'a ObjRef) {
    match source {
        Source::Owned {
            code,
            globals,
            builtins,
        } => (code, globals, builtins),
        Source::Function(parts) => parts(function.expect("a function frame holds its function")),
    }
}

/// Counts of a stack's chunks, for tests and statistics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChunkStats {
    /// Chunks allocated since the stack was made.
    pub allocated: u64,
    /// Chunks freed since the stack was made.
    pub freed: u64,
    /// Chunks held now (in use, plus the spare): always `allocated - freed`.
    pub live: usize,
    /// Whether a spare chunk is cached.
    pub spare: bool,
}

/// A frame's header. Its slots are `chunk.slots[base .. base + n_slots]`.
struct Record {
    function: Option<ObjRef>,
    source: Source,
    /// The frame object, once made.
    object: OnceCell<ObjRef>,
    base: u32,
    n_fixed: u32,
    n_slots: u32,
    /// Value-stack depth and instruction pointer (`Cell`s: a running frame's cursor writes
    /// them through a shared pointer; records are never reached through `&mut`).
    state: FrameState,
}

impl Record {
    /// The record of a frame of `init` whose slots start at `base` of its chunk.
    #[inline(always)]
    fn new(init: FrameInit, base: usize) -> Record {
        Record {
            function: init.function,
            source: init.source,
            object: OnceCell::new(),
            base: base as u32,
            n_fixed: init.n_fixed,
            n_slots: init.n_slots,
            state: FrameState::default(),
        }
    }

    fn summary(&self) -> FrameSummary {
        let code = self.code();
        FrameSummary::new(code.clone(), code.line_for(self.ip()))
    }

    #[inline]
    fn code(&self) -> &Arc<CodeInfo> {
        source_parts(&self.source, self.function.as_ref()).0
    }

    fn globals(&self) -> &ObjRef {
        source_parts(&self.source, self.function.as_ref()).1
    }

    fn builtins(&self) -> &ObjRef {
        source_parts(&self.source, self.function.as_ref()).2
    }

    #[inline]
    fn sp(&self) -> u32 {
        self.state.sp.get()
    }

    #[inline]
    fn ip(&self) -> u32 {
        self.state.ip.get()
    }
}

struct Chunk {
    slots: SlotBuf,
    /// Slots taken by the frames in this chunk (a frame takes at least one, so the number of
    /// frames per chunk is bounded by its size).
    used: usize,
    frames: Vec<Record>,
    /// Stack index of `frames[0]`.
    first_index: usize,
}

impl Chunk {
    fn new(n_slots: usize) -> Chunk {
        Chunk {
            slots: SlotBuf::new(n_slots),
            used: 0,
            frames: Vec::with_capacity(MAX_FRAMES_PER_CHUNK),
            first_index: 0,
        }
    }
}

struct Inner {
    /// Chunks in use, bottom first. All but the first hold at least one frame, and the top
    /// frame (if any) is in the last one.
    chunks: Vec<Chunk>,
    spare: Option<Chunk>,
    depth: usize,
    limit: usize,
    allocated: u64,
    freed: u64,
    /// The bottom `published_valid` entries of this thread's published stack are still
    /// exact (the frames below the top cannot change until they are the top again).
    published_valid: usize,
    /// Reused buffer for the values a pop releases (dropped after the borrow ends).
    scratch: Vec<ObjRef>,
}

impl Inner {
    fn locate(&self, index: usize) -> Option<(usize, usize)> {
        if index >= self.depth {
            return None;
        }
        self.chunks.iter().enumerate().rev().find_map(|(ci, c)| {
            let fi = index.checked_sub(c.first_index)?;
            (fi < c.frames.len()).then_some((ci, fi))
        })
    }

    fn record(&self, index: usize) -> Option<&Record> {
        let (ci, fi) = self.locate(index)?;
        Some(&self.chunks[ci].frames[fi])
    }

    /// Records from stack index `from` to the top, bottom first.
    fn records_from(&self, from: usize) -> impl Iterator<Item = &Record> {
        let (ci, fi) = self.locate(from).unwrap_or((self.chunks.len(), 0));
        self.chunks
            .iter()
            .skip(ci)
            .flat_map(|c| c.frames.iter())
            .skip(fi)
    }

    /// The top frame and its chunk's slots.
    #[inline]
    fn top(&self) -> Option<(&Record, &SlotBuf)> {
        let chunk = self.chunks.last()?;
        let rec = chunk.frames.last()?;
        Some((rec, &chunk.slots))
    }

    /// The top frame and its chunk's slots; panics when there is none (nothing is dropped
    /// then).
    #[inline]
    fn expect_top(&self) -> (&Record, &SlotBuf) {
        self.top().expect(NO_FRAME)
    }

    /// Makes room for a frame of `charge` slots on top of a fresh chunk.
    fn grow(&mut self, charge: usize) {
        let chunk = match self.spare.take() {
            Some(s) if s.slots.len() >= charge => s,
            other => {
                self.spare = other;
                let n = charge.next_power_of_two().max(CHUNK_SLOTS);
                self.allocated += 1;
                tracing::trace!(target: "weft::frame", slots = n, "data stack chunk allocated");
                Chunk::new(n)
            }
        };
        self.chunks.push(chunk);
    }

    /// Releases the (empty) top chunk: cache it as the spare or free it.
    fn release_top_chunk(&mut self) {
        let mut c = self.chunks.pop().expect("a chunk to release");
        debug_assert!(c.frames.is_empty());
        c.used = 0;
        if self.spare.is_none() && c.slots.len() <= MAX_CACHED_SLOTS {
            self.spare = Some(c);
        } else {
            self.free_chunk(c);
        }
        let cap = self.chunks.capacity();
        if cap > 16 && self.chunks.len() * 4 < cap {
            self.chunks.shrink_to(cap / 2);
        }
    }

    fn free_chunk(&mut self, c: Chunk) {
        self.freed += 1;
        tracing::trace!(target: "weft::frame", slots = c.slots.len(), "data stack chunk freed");
        drop(c);
    }

    /// The frame object of the frame at `(ci, fi)` (stack index `index`), made on first use.
    fn object_for(&self, ci: usize, fi: usize, index: usize, owner: u64) -> ObjRef {
        let rec = &self.chunks[ci].frames[fi];
        rec.object
            .get_or_init(|| {
                ObjRef::new(FrameObject::new(
                    owner,
                    index,
                    rec.code().clone(),
                    rec.globals().clone(),
                    rec.builtins().clone(),
                ))
            })
            .clone()
    }
}

/// A thread's data stack: the interpreter frames of the Python calls running on it.
///
/// There is one per thread, made on first use and reached through [`with_stack`]; it cannot
/// be sent or shared with another thread (`!Send`, `!Sync`), so nothing but its own thread
/// ever reads its frames. Other threads learn about them only through [frame
/// objects](crate::FrameObject) (which refuse to read a live frame from another thread) and
/// [snapshots](crate::snapshot_all_threads) (which the owner publishes at its safe points).
///
/// ```compile_fail
/// fn assert_send<T: Send>() {}
/// assert_send::<weft_frame::DataStack>();
/// ```
///
/// Operations on "the frame" (locals, value stack, instruction pointer) act on the top frame
/// and panic when the stack is empty or an index is out of the frame's layout: those are bugs
/// in the caller (the compiler sizes every frame), not conditions a Python program can cause.
pub struct DataStack {
    id: u64,
    inner: RefCell<Inner>,
    record: Arc<ThreadRecord>,
    /// Nesting of [`crate::blocking`] on this thread.
    blocked: Cell<u32>,
    _not_send: PhantomData<*const ()>,
}

std::thread_local! {
    static STACK: RefCell<Option<Rc<DataStack>>> = const { RefCell::new(None) };
    static STACK_ID: Cell<u64> = const { Cell::new(0) };
}

/// Runs `f` with the calling thread's data stack, making it on first use.
///
/// Calls nest freely (all of the stack's methods take `&self`).
///
/// # Panics
/// If called from a thread-local destructor after the thread's stack was destroyed.
pub fn with_stack<R>(f: impl FnOnce(&DataStack) -> R) -> R {
    let ds = STACK.with(|s| {
        s.borrow_mut()
            .get_or_insert_with(|| Rc::new(DataStack::new()))
            .clone()
    });
    f(&ds)
}

/// The calling thread's data stack, if it has one (never makes one).
pub(crate) fn existing_stack() -> Option<Rc<DataStack>> {
    STACK
        .try_with(|s| s.try_borrow().ok().and_then(|s| s.clone()))
        .ok()
        .flatten()
}

/// The id of the calling thread's data stack, if it has one.
pub fn current_stack_id() -> Option<u64> {
    STACK_ID.try_with(Cell::get).ok().filter(|&id| id != 0)
}

/// Ends the calling thread's data stack now rather than at thread exit: pops every frame
/// (frame objects keep copies), frees its chunks and leaves the snapshot registry. A later
/// [`with_stack`] makes a fresh stack with a new id. Thread runners call this as the last
/// step of a thread, outside any [`with_stack`] (a stack still in use by an enclosing
/// `with_stack` call ends when that call returns).
pub fn thread_exit() {
    let ds = STACK.try_with(|s| s.borrow_mut().take()).ok().flatten();
    drop(ds);
}

impl DataStack {
    fn new() -> DataStack {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let _ = STACK_ID.try_with(|c| c.set(id));
        DataStack {
            id,
            inner: RefCell::new(Inner {
                chunks: Vec::new(),
                spare: None,
                depth: 0,
                limit: DEFAULT_RECURSION_LIMIT,
                allocated: 0,
                freed: 0,
                published_valid: 0,
                scratch: Vec::new(),
            }),
            record: snapshot::register(id),
            blocked: Cell::new(0),
            _not_send: PhantomData,
        }
    }

    /// This stack's id: unique in the process, never reused. Frame objects record it as
    /// their owner.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Number of frames on the stack.
    pub fn depth(&self) -> usize {
        self.inner.borrow().depth
    }

    /// The most frames the stack holds; a push beyond it raises `RecursionError`.
    pub fn recursion_limit(&self) -> usize {
        self.inner.borrow().limit
    }

    /// Sets the recursion limit (`sys.setrecursionlimit`).
    pub fn set_recursion_limit(&self, limit: usize) {
        self.inner.borrow_mut().limit = limit;
    }

    /// The chunk counters.
    pub fn chunk_stats(&self) -> ChunkStats {
        let g = self.inner.borrow();
        ChunkStats {
            allocated: g.allocated,
            freed: g.freed,
            live: g.chunks.len() + usize::from(g.spare.is_some()),
            spare: g.spare.is_some(),
        }
    }

    /// Frees the memory the stack keeps for reuse: the spare chunk, and the bottom chunk when
    /// the stack is empty.
    pub fn release_memory(&self) {
        let mut g = self.inner.borrow_mut();
        if let Some(c) = g.spare.take() {
            g.free_chunk(c);
        }
        if g.depth == 0 {
            while let Some(c) = g.chunks.pop() {
                g.free_chunk(c);
            }
            g.chunks = Vec::new();
        }
    }

    /// Pushes a frame running `init.code`. Its slots start unbound (`None`) and its
    /// instruction pointer at 0. Allocates nothing unless the frame needs a new chunk and no
    /// spare one fits.
    ///
    /// # Errors
    /// `RecursionError` when the stack already holds [`recursion_limit`](Self::recursion_limit)
    /// frames.
    #[inline]
    pub fn push(&self, init: FrameInit) -> PyResult<()> {
        self.push_args(init, 0)
    }

    /// Pushes a frame for a call: like [`push`](Self::push), then moves the top `n_args`
    /// values of the caller's (the current top frame's) value stack into the new frame's first
    /// `n_args` locals, in order (the deepest value becomes local 0).
    ///
    /// # Errors
    /// As [`push`](Self::push); on error the caller's value stack is unchanged.
    ///
    /// # Panics
    /// If `n_args` exceeds the new frame's fixed slots or the caller's value stack.
    #[inline]
    pub fn push_args(&self, init: FrameInit, n_args: usize) -> PyResult<()> {
        self.push_from(init, n_args, None).map(drop)
    }

    /// Pushes a frame for a call whose `n_args` arguments are the top values of `caller`, the
    /// cursor of the frame on top now (the eval loop's fast path: the values move straight
    /// from the caller's value stack into the new frame's first locals, and the caller's
    /// depth, which the cursor owns, need not be stored first). Returns the new depth.
    ///
    /// # Errors
    /// As [`push`](Self::push); on error the caller's value stack is unchanged.
    ///
    /// # Panics
    /// If `n_args` exceeds the new frame's fixed slots or the caller's value stack.
    #[inline]
    pub fn push_call(
        &self,
        init: FrameInit,
        caller: &mut FrameCursor<'_>,
        n_args: usize,
    ) -> PyResult<usize> {
        // The common case in one short borrow: the caller is the top frame, so the top chunk
        // holds it (it is not empty and needs no `first_index`), and the callee fits there.
        {
            let mut g = self.inner.borrow_mut();
            let g = &mut *g;
            let (n_fixed, n_slots) = (init.n_fixed as usize, init.n_slots as usize);
            let charge = n_slots.max(1);
            if g.depth < g.limit
                && n_args <= n_fixed
                && n_args <= caller.depth()
                && let Some(chunk) = g.chunks.last_mut()
                && chunk.slots.len() - chunk.used >= charge
                && chunk.frames.len() < MAX_FRAMES_PER_CHUNK
            {
                debug_assert!(!chunk.frames.is_empty(), "the caller is in the top chunk");
                let base = chunk.used;
                chunk.used += charge;
                chunk.frames.push(Record::new(init, base));
                let dst = chunk.slots.at(base);
                g.depth += 1;
                // SAFETY: as in `push_in`: `dst` starts the new frame's `n_slots >= n_args`
                // unbound slots (every free slot is `None`), which no other frame uses; the
                // caller's top `n_args` values are in its own slots (checked above).
                unsafe { caller.move_top_to(dst, n_args) };
                return Ok(g.depth);
            }
        }
        self.push_from(init, n_args, Some(caller))
    }

    #[inline]
    fn push_from(
        &self,
        init: FrameInit,
        n_args: usize,
        cursor: Option<&mut FrameCursor<'_>>,
    ) -> PyResult<usize> {
        let pushed = {
            let mut g = self.inner.borrow_mut();
            let from_zero = g.depth == 0;
            Self::push_in(&mut g, init, n_args, cursor).map(|()| (from_zero, g.depth))
        };
        self.pushed(pushed)
    }

    /// After a push's borrow ended: marks the thread running when the stack was empty, or
    /// drops the refused `init` (a drop can run code that uses this stack) and raises.
    #[inline(always)]
    fn pushed(&self, pushed: Result<(bool, usize), (FrameInit, Refused)>) -> PyResult<usize> {
        match pushed {
            Ok((from_zero, depth)) => {
                if from_zero {
                    self.record.set_idle(false);
                }
                Ok(depth)
            }
            // Dropped only now, outside the borrow: a drop can run code that uses this stack.
            Err((init, Refused::Limit)) => {
                drop(init);
                Err(PyErr::new(
                    ExcKind::RecursionError,
                    "maximum recursion depth exceeded",
                ))
            }
            Err((init, Refused::Bug(msg))) => {
                drop(init);
                panic!("{msg}")
            }
        }
    }

    /// Pushes the frame, or hands `init` back (to be dropped outside the borrow).
    #[inline]
    fn push_in(
        g: &mut Inner,
        init: FrameInit,
        n_args: usize,
        cursor: Option<&mut FrameCursor<'_>>,
    ) -> Result<(), (FrameInit, Refused)> {
        if g.depth >= g.limit {
            return Err((init, Refused::Limit));
        }
        // Fits in u32: `CodeInfo` guarantees it.
        let n_fixed = init.n_fixed as usize;
        let n_slots = init.n_slots as usize;
        if let Some(c) = &cursor
            && (n_args > n_fixed || n_args > c.depth())
        {
            let msg = format!(
                "{n_args} arguments for a frame with {n_fixed} fixed slots and a caller with {} \
                 values",
                c.depth()
            );
            return Err((init, Refused::Bug(msg)));
        }
        let caller = if n_args > 0 && cursor.is_none() {
            match Self::caller_args(g, n_fixed, n_args) {
                Ok(c) => Some(c),
                Err(msg) => return Err((init, Refused::Bug(msg))),
            }
        } else {
            None
        };
        let charge = n_slots.max(1);
        let fits = g.chunks.last().is_some_and(|c| {
            c.slots.len() - c.used >= charge && c.frames.len() < c.frames.capacity()
        });
        if !fits {
            g.grow(charge);
        }
        let depth = g.depth;
        let ci = g.chunks.len() - 1;
        let chunk = &mut g.chunks[ci];
        let base = chunk.used;
        chunk.used += charge;
        if chunk.frames.is_empty() {
            chunk.first_index = depth;
        }
        debug_assert!(
            chunk.frames.len() < chunk.frames.capacity(),
            "records never move"
        );
        chunk.frames.push(Record::new(init, base));
        g.depth += 1;
        if let Some(c) = cursor {
            // `base + n_args <= base + n_slots`, inside the chunk (checked by `at` and above).
            let dst = g.chunks[ci].slots.at(base);
            // SAFETY: `dst` starts `n_slots >= n_args` slots of the new frame, unbound (every
            // free slot is `None`), in a chunk other frames do not use; the caller's top
            // `n_args` values are in its own slots (checked against its depth above).
            unsafe { c.move_top_to(dst, n_args) };
        } else if let Some((cci, cfi, first)) = caller {
            for k in 0..n_args {
                let v = g.chunks[cci].slots.take(first + k);
                // The new frame's slots are unbound (every free slot is None): nothing dropped.
                let old = g.chunks[ci].slots.replace(base + k, v);
                debug_assert!(old.is_none());
            }
            let st = &g.chunks[cci].frames[cfi].state.sp;
            st.set(st.get() - n_args as u32);
        }
        Ok(())
    }

    /// Where the caller's top `n_args` values are: `(chunk, frame, first slot)`.
    #[cold]
    fn caller_args(
        g: &Inner,
        n_fixed: usize,
        n_args: usize,
    ) -> Result<(usize, usize, usize), String> {
        if n_args > n_fixed {
            return Err(format!(
                "{n_args} arguments for a frame with {n_fixed} fixed slots"
            ));
        }
        let Some((ci, fi)) = g.depth.checked_sub(1).and_then(|i| g.locate(i)) else {
            return Err("arguments but no caller".into());
        };
        let rec = &g.chunks[ci].frames[fi];
        let sp = rec.sp() as usize;
        if n_args > sp {
            return Err(format!(
                "{n_args} arguments but {sp} values on the caller's stack"
            ));
        }
        Ok((
            ci,
            fi,
            rec.base as usize + rec.n_fixed as usize + sp - n_args,
        ))
    }

    /// Pops the top frame, releasing its values. If a frame object was made for it, the frame
    /// object keeps a copy of its line, locals and caller from now on.
    ///
    /// # Panics
    /// If the stack is empty.
    #[inline]
    pub fn pop(&self) {
        // The common case, a frame without a frame object: release its values in place, with
        // the frame still on the stack and no borrow held (a drop may run code that pushes and
        // pops frames above it), then pop its record.
        let release = {
            let g = self.inner.borrow();
            let (rec, slots) = g.expect_top();
            if rec.object.get().is_some() {
                None
            } else {
                let live = (rec.n_fixed + rec.sp()) as usize;
                // `base + live <= base + n_slots`, inside the chunk: push sized it.
                Some((slots.at(rec.base as usize), live))
            }
        };
        let Some((first, live)) = release else {
            return self.pop_with_object();
        };
        // SAFETY: `first` starts the top frame's `live` bound-or-unbound slots, in a chunk that
        // stays allocated and unmoved while the frame is on the stack; the frame stays there
        // until the pop below, and nothing but this call touches its slots meanwhile (code a
        // drop runs pushes its own frames above it, and frame objects only read).
        unsafe { crate::cursor::release_slots(first, live) };
        let (record, to_zero) = {
            let mut g = self.inner.borrow_mut();
            let record = Self::pop_released(&mut g, self.id);
            (record, g.depth == 0)
        };
        // Dropped outside the borrow, as the values were (the frame object too, if a drop
        // made one).
        drop(record);
        if to_zero {
            self.record.set_idle(true);
            snapshot::answer_if_requested(self);
        }
    }

    /// Pops the top frame's record, its slots already released (and no frame object made
    /// meanwhile: then it hands the frame object its copy, with the locals gone).
    #[inline]
    fn pop_released(g: &mut Inner, owner: u64) -> (Record, Option<ObjRef>) {
        let ci = g.chunks.len() - 1;
        let chunk = &mut g.chunks[ci];
        let mut rec = chunk.frames.pop().expect("a frame to pop");
        #[cfg(debug_assertions)]
        for i in 0..(rec.n_fixed + rec.sp()) as usize {
            assert!(
                !chunk.slots.is_bound(rec.base as usize + i),
                "released slot {i} bound"
            );
        }
        chunk.used = rec.base as usize;
        let index = g.depth - 1;
        let object = rec.object.take();
        if let Some(obj) = &object {
            // Made by code that a released value's drop ran: rare; the locals are gone.
            let back = index
                .checked_sub(1)
                .and_then(|p| g.locate(p).map(|(pci, pfi)| (p, pci, pfi)));
            let back = back.map(|(p, pci, pfi)| g.object_for(pci, pfi, p, owner));
            let copy = FrameCopy {
                ip: rec.ip(),
                locals: Vec::new(),
                back,
            };
            obj.downcast::<FrameObject>()
                .expect("a frame object")
                .set_popped(copy);
        }
        g.depth = index;
        g.published_valid = g.published_valid.min(index.saturating_sub(1));
        if ci > 0 && g.chunks[ci].frames.is_empty() {
            g.release_top_chunk();
        }
        (rec, object)
    }

    /// [`pop`](Self::pop) of a frame that has a frame object: it gets a copy of the locals.
    #[cold]
    fn pop_with_object(&self) {
        let (record, dropped, to_zero) = {
            let mut g = self.inner.borrow_mut();
            let record = Self::pop_in(&mut g, self.id);
            // The buffer leaves the stack only when it holds something.
            let dropped = (!g.scratch.is_empty()).then(|| std::mem::take(&mut g.scratch));
            (record, dropped, g.depth == 0)
        };
        // Dropped outside the borrow: a drop can run code that uses this stack.
        drop(record);
        if let Some(mut dropped) = dropped {
            dropped.clear();
            let mut g = self.inner.borrow_mut();
            // A pop nested in the drops above may have put a buffer back already.
            if g.scratch.capacity() < dropped.capacity() {
                g.scratch = dropped;
            }
        }
        if to_zero {
            self.record.set_idle(true);
            snapshot::answer_if_requested(self);
        }
    }

    /// Pops the top frame's record, moving its slot values (and frame object) to the scratch
    /// buffer; the caller drops both after the borrow ends.
    #[inline]
    fn pop_in(g: &mut Inner, owner: u64) -> Record {
        let ci = g.chunks.len().checked_sub(1);
        let ci = ci.filter(|&ci| !g.chunks[ci].frames.is_empty());
        let ci = ci.expect("pop from an empty data stack");
        let mut rec = g.chunks[ci].frames.pop().expect("a frame to pop");
        let index = g.depth - 1;
        let base = rec.base as usize;
        if let Some(obj) = rec.object.take() {
            let back = index
                .checked_sub(1)
                .and_then(|p| g.locate(p).map(|(pci, pfi)| (p, pci, pfi)))
                .map(|(p, pci, pfi)| g.object_for(pci, pfi, p, owner));
            let mut locals = Vec::new();
            for i in 0..rec.n_fixed as usize {
                if let Some(v) = g.chunks[ci].slots.take(base + i) {
                    let name = rec.code().slot_name(i).expect("named fixed slot").clone();
                    locals.push((name, v));
                }
            }
            let copy = FrameCopy {
                ip: rec.ip(),
                locals,
                back,
            };
            obj.downcast::<FrameObject>()
                .expect("a frame object")
                .set_popped(copy);
            g.scratch.push(obj);
        }
        let Inner {
            chunks, scratch, ..
        } = g;
        let chunk = &mut chunks[ci];
        // Value-stack slots at and above `sp` are already unbound.
        let live = (rec.n_fixed + rec.sp()) as usize;
        for i in base..base + live {
            // Test before taking: most slots of a returning frame are often unbound, and an
            // unbound slot then costs a load and a branch, no store.
            if chunk.slots.is_bound(i) {
                scratch.extend(chunk.slots.take(i));
            }
        }
        chunk.used = base;
        g.depth = index;
        g.published_valid = g.published_valid.min(index.saturating_sub(1));
        if ci > 0 && g.chunks[ci].frames.is_empty() {
            g.release_top_chunk();
        }
        rec
    }

    /// Pops every frame.
    pub fn pop_all(&self) {
        self.pop_all_above(0);
    }

    /// Pops frames until `depth` are left.
    pub fn pop_all_above(&self, depth: usize) {
        while self.depth() > depth {
            self.pop();
        }
    }

    /// The top frame's instruction pointer.
    ///
    /// # Panics
    /// If the stack is empty.
    pub fn ip(&self) -> u32 {
        self.inner.borrow().expect_top().0.ip()
    }

    /// Sets the top frame's instruction pointer. The eval loop stores it before anything
    /// that may look at the frame from outside: a call, a safe point, a blocking call.
    ///
    /// # Panics
    /// If the stack is empty.
    #[inline]
    pub fn set_ip(&self, ip: u32) {
        self.inner.borrow().expect_top().0.state.ip.set(ip);
    }

    /// A cursor on the top frame for the eval loop: push, pop and local access as pointer
    /// operations (see [`FrameCursor`] and the `cursor` module docs for the contract).
    ///
    /// # Safety
    /// While the cursor is used:
    /// * the top frame stays on this stack (it is not popped, so its chunk, slots and record
    ///   stay where they are);
    /// * the cursor never pushes more values than the frame's code has value-stack slots, nor
    ///   pops or peeks below the bottom of the value stack, nor names a slot that is not a
    ///   fixed slot (the compiler's verified stack depths and slot numbers guarantee this for
    ///   compiled code; debug builds assert it);
    /// * the frame's value stack is read or changed through this `DataStack` only between a
    ///   [`FrameCursor::store`] and the next [`FrameCursor::load`].
    ///
    /// # Panics
    /// If the stack is empty.
    #[inline]
    pub unsafe fn cursor(&self) -> FrameCursor<'_> {
        let g = self.inner.borrow();
        let chunk = g.chunks.last().expect(NO_FRAME);
        let rec = chunk.frames.last().expect(NO_FRAME);
        let fixed = chunk.slots.at(rec.base as usize);
        // SAFETY: the frame's `n_slots` slots start at `fixed` inside the chunk (push sized
        // it); the slot buffer and the record never move while the frame is on the stack (the
        // buffer is a fixed heap allocation, the records a `Vec` that never grows past its
        // first capacity), and the caller keeps the frame on the stack while using the cursor.
        unsafe {
            FrameCursor::new(
                fixed,
                rec.n_fixed as usize,
                rec.n_slots as usize,
                &rec.state,
            )
        }
    }

    /// The top frame's fixed slot `i` (locals, then cells, then free variables).
    ///
    /// # Panics
    /// If the stack is empty or `i` is not a fixed slot.
    #[inline]
    pub fn local(&self, i: usize) -> Slot {
        let g = self.inner.borrow();
        let (rec, slots) = g.expect_top();
        assert!(i < rec.n_fixed as usize, "no fixed slot {i}");
        slots.get(rec.base as usize + i)
    }

    /// Stores `v` in the top frame's fixed slot `i`, releasing the old value.
    ///
    /// # Panics
    /// If the stack is empty or `i` is not a fixed slot.
    #[inline]
    pub fn set_local(&self, i: usize, v: Slot) {
        drop(self.replace_local(i, v));
    }

    /// Stores `v` in the top frame's fixed slot `i` and returns the old value.
    ///
    /// # Panics
    /// If the stack is empty or `i` is not a fixed slot.
    #[inline]
    pub fn replace_local(&self, i: usize, v: Slot) -> Slot {
        let old = {
            let g = self.inner.borrow();
            match g.top() {
                Some((rec, slots)) if i < rec.n_fixed as usize => {
                    Ok(slots.replace(rec.base as usize + i, v))
                }
                top => Err((v, top.is_some())),
            }
        };
        match old {
            Ok(old) => old,
            // `v` is dropped outside the borrow, as every release is.
            Err((v, has_frame)) => {
                drop(v);
                if has_frame {
                    panic!("no fixed slot {i}")
                }
                panic!("{NO_FRAME}")
            }
        }
    }

    /// Takes the value out of the top frame's fixed slot `i`, leaving it unbound.
    ///
    /// # Panics
    /// If the stack is empty or `i` is not a fixed slot.
    #[inline]
    pub fn take_local(&self, i: usize) -> Slot {
        self.replace_local(i, None)
    }

    /// Number of values on the top frame's value stack.
    ///
    /// # Panics
    /// If the stack is empty.
    pub fn value_depth(&self) -> usize {
        self.inner.borrow().expect_top().0.sp() as usize
    }

    /// Pushes `v` on the top frame's value stack.
    ///
    /// # Panics
    /// If the stack is empty or the value stack is full (the code's stack size is wrong).
    #[inline]
    pub fn push_value(&self, v: Slot) {
        let refused = {
            let g = self.inner.borrow();
            match g.top() {
                Some((rec, slots)) if rec.n_fixed + rec.sp() < rec.n_slots => {
                    let old = slots.replace((rec.base + rec.n_fixed + rec.sp()) as usize, v);
                    // Unbound by the invariant: nothing to drop.
                    debug_assert!(old.is_none());
                    rec.state.sp.set(rec.sp() + 1);
                    None
                }
                top => Some((v, top.is_some())),
            }
        };
        if let Some((v, has_frame)) = refused {
            // Dropped outside the borrow, as every release is.
            drop(v);
            if has_frame {
                panic!("value stack overflow")
            }
            panic!("{NO_FRAME}")
        }
    }

    /// Pops the top value of the top frame's value stack.
    ///
    /// # Panics
    /// If the stack is empty or the value stack is empty.
    #[inline]
    pub fn pop_value(&self) -> Slot {
        let g = self.inner.borrow();
        let (rec, slots) = g.expect_top();
        let sp = rec.sp();
        assert!(sp > 0, "value stack underflow");
        rec.state.sp.set(sp - 1);
        slots.take((rec.base + rec.n_fixed + sp - 1) as usize)
    }

    /// The value `n` entries below the top of the top frame's value stack (0 = the top).
    ///
    /// # Panics
    /// If the stack is empty or the value stack holds `n` values or fewer.
    pub fn peek_value(&self, n: usize) -> Slot {
        let g = self.inner.borrow();
        let (rec, slots) = g.expect_top();
        let sp = rec.sp() as usize;
        assert!(n < sp, "value stack underflow");
        slots.get((rec.base + rec.n_fixed) as usize + sp - 1 - n)
    }

    /// Binds the top frame's first `values.len()` fixed slots to new references to `values`,
    /// in one borrow of the stack: how a call's positional arguments become the parameters of
    /// a frame just pushed.
    ///
    /// # Panics
    /// If the stack is empty, `values` is longer than the frame's fixed slots, or one of those
    /// slots is bound already.
    pub fn bind_locals(&self, values: &[ObjRef]) {
        let g = self.inner.borrow();
        let (rec, slots) = g.expect_top();
        assert!(
            values.len() <= rec.n_fixed as usize,
            "more values than fixed slots"
        );
        let base = rec.base as usize;
        for (i, v) in values.iter().enumerate() {
            let old = slots.replace(base + i, Some(v.clone()));
            // A frame just pushed has its slots unbound: nothing to drop inside the borrow.
            assert!(old.is_none(), "binding over a bound slot");
        }
    }

    /// Pushes a frame for `init` and moves a suspended generator frame's values from `image`
    /// onto it, in one borrow of the stack (a generator's resumption): the fixed slots and
    /// the saved value stack, bitwise (no reference-count traffic); the frame's depth and
    /// instruction pointer become the image's, and `image` is left with unbound slots.
    ///
    /// # Errors
    /// `RecursionError` as [`push`](Self::push); `image` is untouched then.
    ///
    /// # Panics
    /// If `init`'s layout is not the image's.
    #[inline]
    pub fn push_image(&self, init: FrameInit, image: &mut FrameImage) -> PyResult<()> {
        assert!(
            (init.n_fixed as usize, init.n_slots as usize) == image.layout(),
            "frame image of another layout"
        );
        let pushed = {
            let mut g = self.inner.borrow_mut();
            let from_zero = g.depth == 0;
            Self::push_in(&mut g, init, 0, None).map(|()| {
                let (rec, slots) = g.expect_top();
                rec.state.sp.set(image.depth());
                rec.state.ip.set(image.ip());
                slots.move_in(rec.base as usize, image.live_mut());
                (from_zero, g.depth)
            })
        };
        self.pushed(pushed).map(drop)
    }

    /// Moves the top frame's fixed slots and value stack into `image`, bitwise, and pops the
    /// frame, in one borrow of the stack (a generator's frame at a `yield`): its slots are
    /// unbound by then, so the pop releases nothing but the record. The image records the
    /// frame's depth and instruction pointer. A frame object made for the frame gets its
    /// instruction pointer and no locals (they live in the image now).
    ///
    /// # Panics
    /// If the stack is empty, or the top frame's layout is not the image's.
    #[inline]
    pub fn pop_into_image(&self, image: &mut FrameImage) {
        let popped = {
            let mut g = self.inner.borrow_mut();
            let has_object = {
                let (rec, slots) = g.expect_top();
                assert!(
                    (rec.n_fixed as usize, rec.n_slots as usize) == image.layout(),
                    "frame image of another layout"
                );
                image.set_depth(rec.sp());
                image.set_ip(rec.ip());
                slots.move_out(rec.base as usize, image.live_mut());
                rec.state.sp.set(0);
                rec.object.get().is_some()
            };
            if has_object {
                // The frame object's copy and its release take the general path.
                None
            } else {
                let record = Self::pop_released(&mut g, self.id);
                Some((record, g.depth == 0))
            }
        };
        let Some((record, to_zero)) = popped else {
            return self.pop();
        };
        // Dropped outside the borrow, as every release is.
        drop(record);
        if to_zero {
            self.record.set_idle(true);
            snapshot::answer_if_requested(self);
        }
    }

    /// The code of the frame at stack index `index` (0 = the outermost frame).
    pub fn code(&self, index: usize) -> Option<Arc<CodeInfo>> {
        Some(self.inner.borrow().record(index)?.code().clone())
    }

    /// The current line of the frame at `index`.
    pub fn line(&self, index: usize) -> Option<u32> {
        let g = self.inner.borrow();
        let rec = g.record(index)?;
        Some(rec.code().line_for(rec.ip()))
    }

    /// The instruction pointer of the frame at `index`.
    pub fn ip_at(&self, index: usize) -> Option<u32> {
        Some(self.inner.borrow().record(index)?.ip())
    }

    /// The function of the frame at `index` (`None` also when it has none).
    pub fn function(&self, index: usize) -> Option<ObjRef> {
        self.inner.borrow().record(index)?.function.clone()
    }

    /// The globals of the frame at `index`.
    pub fn globals(&self, index: usize) -> Option<ObjRef> {
        Some(self.inner.borrow().record(index)?.globals().clone())
    }

    /// The builtins of the frame at `index`.
    pub fn builtins(&self, index: usize) -> Option<ObjRef> {
        Some(self.inner.borrow().record(index)?.builtins().clone())
    }

    /// The bound fixed slots (locals, cells, free variables) of the frame at `index` with
    /// their names: what `f_locals` / `locals()` shows. Cell and free slots hold the cell
    /// objects themselves; unwrapping them is for the layer that owns the cell type.
    pub fn locals(&self, index: usize) -> Option<Vec<(Arc<str>, ObjRef)>> {
        let g = self.inner.borrow();
        let (ci, fi) = g.locate(index)?;
        let rec = &g.chunks[ci].frames[fi];
        let base = rec.base as usize;
        let slots = &g.chunks[ci].slots;
        let named = (0..rec.n_fixed as usize).filter_map(|i| {
            let v = slots.get(base + i)?;
            Some((rec.code().slot_name(i)?.clone(), v))
        });
        Some(named.collect())
    }

    /// Code, file and line of every frame, outermost first (what a traceback prints).
    pub fn frames(&self) -> Vec<FrameSummary> {
        let g = self.inner.borrow();
        g.records_from(0).map(Record::summary).collect()
    }

    /// The frame object of the frame at `index`, made on first use (`sys._getframe`,
    /// tracebacks). The same object is returned while the frame lives.
    pub fn frame_object(&self, index: usize) -> Option<ObjRef> {
        let g = self.inner.borrow();
        let (ci, fi) = g.locate(index)?;
        Some(g.object_for(ci, fi, index, self.id))
    }

    /// The frame object of the top frame (`sys._getframe()`).
    pub fn top_frame_object(&self) -> Option<ObjRef> {
        let index = self.depth().checked_sub(1)?;
        self.frame_object(index)
    }

    /// Whether `obj` is the frame object of the live frame at `index`.
    pub(crate) fn is_object_at(&self, index: usize, obj: &FrameObject) -> bool {
        let Ok(g) = self.inner.try_borrow() else {
            return false;
        };
        g.record(index)
            .and_then(|r| r.object.get())
            .and_then(|o| o.downcast::<FrameObject>())
            .is_some_and(|o| std::ptr::eq(o, obj))
    }

    /// Brings this thread's published stack up to date; `false` if the stack is busy (only
    /// possible when called from inside one of its own methods).
    pub(crate) fn publish(&self, out: &mut Vec<FrameSummary>) -> bool {
        let Ok(mut g) = self.inner.try_borrow_mut() else {
            return false;
        };
        let valid = g.published_valid.min(out.len()).min(g.depth);
        out.truncate(valid);
        out.extend(g.records_from(valid).map(Record::summary));
        g.published_valid = g.depth.saturating_sub(1);
        true
    }

    pub(crate) fn record(&self) -> &Arc<ThreadRecord> {
        &self.record
    }

    pub(crate) fn blocked(&self) -> &Cell<u32> {
        &self.blocked
    }
}

impl Drop for DataStack {
    fn drop(&mut self) {
        self.pop_all();
        snapshot::unregister(&self.record);
        let id = self.id;
        let _ = STACK_ID.try_with(|c| {
            if c.get() == id {
                c.set(0);
            }
        });
    }
}

impl std::fmt::Debug for DataStack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataStack")
            .field("id", &self.id)
            .field("depth", &self.depth())
            .field("chunks", &self.chunk_stats())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_object::{int_from_i64, none};

    fn code(n_locals: usize, stack: u32) -> Arc<CodeInfo> {
        let names: Vec<String> = (0..n_locals).map(|i| format!("v{i}")).collect();
        Arc::new(
            CodeInfo::new("f", "t.py", 1)
                .with_locals(names)
                .with_stack_size(stack),
        )
    }

    fn init(c: &Arc<CodeInfo>) -> FrameInit {
        FrameInit::new(c.clone(), none().to_ref(), none().to_ref())
    }

    #[test]
    fn chunk_is_16_kib() {
        assert_eq!(CHUNK_SLOTS * std::mem::size_of::<Slot>(), 16 * 1024);
        assert_eq!(std::mem::size_of::<Slot>(), 8);
    }

    #[test]
    fn frames_fill_a_chunk_then_move_on() {
        with_stack(|ds| {
            let c = code(1000, 24); // 1024 slots: two frames per chunk
            for _ in 0..5 {
                ds.push(init(&c)).unwrap();
            }
            let s = ds.chunk_stats();
            assert_eq!(s.allocated, 3);
            assert_eq!(s.live, 3);
            {
                let g = ds.inner.borrow();
                assert_eq!(g.chunks.len(), 3);
                assert_eq!(g.chunks[2].first_index, 4);
                assert_eq!(g.locate(3), Some((1, 1)));
            }
            ds.pop();
            // The third chunk is now the spare.
            assert_eq!(ds.chunk_stats().live, 3);
            assert!(ds.chunk_stats().spare);
            ds.pop_all();
            let s = ds.chunk_stats();
            assert_eq!(s.live, 2, "{s:?}");
            assert_eq!(s.freed, 1);
            ds.release_memory();
            assert_eq!(ds.chunk_stats().live, 0);
        });
    }

    #[test]
    fn huge_frame_gets_a_power_of_two_chunk_and_is_not_cached() {
        with_stack(|ds| {
            let big = code(3 * CHUNK_SLOTS, 1);
            ds.push(init(&big)).unwrap();
            {
                let g = ds.inner.borrow();
                assert_eq!(g.chunks.len(), 1);
                assert_eq!(g.chunks[0].slots.len(), 4 * CHUNK_SLOTS);
            }
            let huge = code(5 * CHUNK_SLOTS, 1);
            ds.push(init(&huge)).unwrap();
            ds.set_local(5 * CHUNK_SLOTS - 1, Some(int_from_i64(3)));
            ds.pop();
            ds.pop();
            let s = ds.chunk_stats();
            assert_eq!(s.allocated, 2);
            assert_eq!(s.freed, 1, "the 8x chunk is too big to cache");
            ds.release_memory();
        });
    }

    #[test]
    fn frames_per_chunk_are_bounded_so_records_never_move() {
        with_stack(|ds| {
            ds.set_recursion_limit(10 * CHUNK_SLOTS);
            let c = code(0, 0);
            let n = 2 * MAX_FRAMES_PER_CHUNK + 1;
            for _ in 0..n {
                ds.push(init(&c)).unwrap();
            }
            assert_eq!(ds.chunk_stats().live, 3);
            {
                let g = ds.inner.borrow();
                for ch in &g.chunks {
                    assert!(ch.frames.len() <= MAX_FRAMES_PER_CHUNK);
                    assert_eq!(ch.frames.capacity(), g.chunks[0].frames.capacity());
                }
            }
            ds.pop_all();
            ds.release_memory();
        });
    }

    #[test]
    fn cursor_agrees_with_the_stack_api_at_store_and_load() {
        with_stack(|ds| {
            let c = code(2, 4);
            ds.push(init(&c)).unwrap();
            ds.set_local(1, Some(int_from_i64(7)));
            // SAFETY: the frame stays pushed until after the cursor's last use; pushes stay
            // within the code's 4 stack slots.
            let mut cur = unsafe { ds.cursor() };
            assert_eq!(cur.depth(), 0);
            cur.push(cur.local(1).unwrap());
            cur.push_slot(None);
            cur.push(int_from_i64(9));
            assert_eq!(cur.depth(), 3);
            cur.swap(3);
            assert!(cur.peek_slot(2).is_some_and(|v| v.is(&int_from_i64(9))));
            assert!(cur.peek(0).is(&int_from_i64(7)));
            cur.store(12);
            assert_eq!(ds.value_depth(), 3);
            assert_eq!(ds.ip(), 12);
            assert!(ds.pop_value().is_some_and(|v| v.is(&int_from_i64(7))));
            ds.push_value(Some(int_from_i64(5)));
            ds.push_value(Some(int_from_i64(6)));
            cur.load();
            assert_eq!(cur.depth(), 4);
            assert!(cur.pop().is(&int_from_i64(6)));
            assert!(cur.pop().is(&int_from_i64(5)));
            assert!(cur.pop_slot().is_none());
            let old = cur.replace_local(0, Some(int_from_i64(1)));
            assert!(old.is_none());
            assert_eq!(cur.depth(), 1);
            cur.store_ip(20);
            cur.store(21);
            // The cursor's last use was above.
            assert_eq!(ds.ip(), 21);
            assert!(ds.local(0).is_some_and(|v| v.is(&int_from_i64(1))));
            ds.pop();
        });
    }

    #[test]
    fn push_call_moves_the_arguments_from_the_callers_cursor() {
        with_stack(|ds| {
            let caller = code(0, 4);
            let callee = code(3, 1);
            ds.push(init(&caller)).unwrap();
            // SAFETY: the frame stays pushed while the cursor is used; three pushes of four.
            let mut cur = unsafe { ds.cursor() };
            for v in [7, 8, 9] {
                cur.push(int_from_i64(v));
            }
            let depth = ds.push_call(init(&callee), &mut cur, 2).unwrap();
            assert_eq!(depth, 2);
            assert_eq!(cur.depth(), 1, "the two arguments left the caller");
            assert!(ds.local(0).is_some_and(|v| v.is(&int_from_i64(8))));
            assert!(ds.local(1).is_some_and(|v| v.is(&int_from_i64(9))));
            assert!(ds.local(2).is_none());
            ds.pop();
            assert!(cur.pop().is(&int_from_i64(7)));
            // Too many arguments for the callee is a caller bug, refused before any move.
            cur.push(int_from_i64(1));
            let tiny = code(0, 1);
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                ds.push_call(init(&tiny), &mut cur, 1)
            }));
            assert!(r.is_err());
            assert_eq!(cur.depth(), 1);
            assert!(cur.pop().is(&int_from_i64(1)));
            cur.store(0);
            ds.pop();
        });
    }

    #[test]
    fn cursor_survives_frames_pushed_and_popped_above_it() {
        with_stack(|ds| {
            ds.set_recursion_limit(10 * CHUNK_SLOTS);
            let c = code(1, 2);
            ds.push(init(&c)).unwrap();
            // SAFETY: the frame stays pushed until after the cursor's last use; two pushes.
            let mut cur = unsafe { ds.cursor() };
            cur.push(int_from_i64(1));
            // Enough frames above it to move to new chunks and back.
            let small = code(0, 1);
            for _ in 0..3 * MAX_FRAMES_PER_CHUNK {
                ds.push(init(&small)).unwrap();
                ds.push_value(Some(int_from_i64(3)));
            }
            ds.pop_all_above(1);
            cur.push(int_from_i64(2));
            let old = cur.replace_local(0, Some(int_from_i64(4)));
            assert!(old.is_none());
            cur.store(3);
            // The cursor's last use was above.
            assert_eq!(ds.value_depth(), 2);
            assert!(ds.peek_value(1).is_some_and(|v| v.is(&int_from_i64(1))));
            assert!(ds.local(0).is_some_and(|v| v.is(&int_from_i64(4))));
            ds.pop();
            assert_eq!(ds.depth(), 0);
        });
    }

    #[test]
    fn publish_is_incremental() {
        with_stack(|ds| {
            let a = Arc::new(CodeInfo::new("a", "t.py", 1));
            let b = Arc::new(CodeInfo::new("b", "t.py", 1));
            let mut out = Vec::new();
            ds.push(init(&a)).unwrap();
            ds.push(init(&a)).unwrap();
            ds.push(init(&a)).unwrap();
            assert!(ds.publish(&mut out));
            assert_eq!(ds.inner.borrow().published_valid, 2);
            ds.pop();
            ds.pop();
            ds.push(init(&b)).unwrap();
            assert_eq!(ds.inner.borrow().published_valid, 0);
            assert!(ds.publish(&mut out));
            let names: Vec<&str> = out.iter().map(|f| f.name()).collect();
            assert_eq!(names, ["a", "b"]);
            ds.pop_all();
            assert!(ds.publish(&mut out));
            assert!(out.is_empty());
        });
    }
}
