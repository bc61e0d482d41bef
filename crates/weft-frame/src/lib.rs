//! # weft-frame — layer 3: per-thread data stacks, frames, frame objects, stack snapshots
//!
//! ## The data stack
//! Every thread that runs Python code has one [`DataStack`], reached with [`with_stack`]. A
//! call pushes an *interpreter frame* on it and the return pops it. A frame is a small header
//! (code, function, globals, builtins, instruction pointer, value-stack depth) and one
//! contiguous run of [`Slot`]s sized from the code ([`CodeInfo::n_slots`]):
//! `[locals | cells | free variables | value stack]`.
//!
//! The slots live in *chunks* of 16 KiB ([`CHUNK_SLOTS`] slots; the next power of two for a
//! frame bigger than that). Frames are LIFO, so each chunk is a bump region: push takes the
//! next slots of the top chunk, pop gives them back and clears them. When a frame does not fit,
//! the stack moves on to a fresh chunk — the cached spare if it fits, otherwise a new one — and
//! a pop that empties a chunk caches it as the spare (keeping one) or frees it. So in the steady
//! state push and pop allocate nothing, even when a call crosses a chunk boundary in a loop,
//! and a deep recursion gives its chunks back as it unwinds ([`ChunkStats`] counts them).
//! `bumpalo` is not used: an arena frees all at once, a call stack frees in LIFO order.
//!
//! The stack's state is behind a `RefCell` that each method borrows for a few instructions
//! only, and all methods take `&self`. That makes the stack re-entrant, as an interpreter
//! needs (a builtin such as `locals()` or a frame object's accessor reads the stack while the
//! eval loop is using it). Frames are addressed by index; records (headers) are only ever
//! reached through shared references, their mutable words being `Cell`s. Objects a method
//! releases are dropped after its borrow ends, because a drop can run arbitrary code that
//! pushes frames on the same stack.
//!
//! ## The eval loop's cursor
//! The eval loop does not go through that API for its hottest operations. It takes a
//! [`FrameCursor`] on the frame it runs ([`DataStack::cursor`], an `unsafe fn` with a written
//! contract): a pointer to the frame's first slot, one to its next free value-stack slot and
//! one to its record, held in registers. Push, pop and local access are then a load and a
//! store each (about 50 instructions each through the `RefCell` API). This works because a
//! chunk's slot memory never moves and is only ever accessed one slot at a time through raw
//! pointers (`SlotBuf`), and a chunk's records never move (each chunk allocates room for
//! [`MAX_FRAMES_PER_CHUNK`] records once). The cursor's stack depth and instruction pointer
//! are written to the record at the points where something else may look (`store`) and read
//! back after something else changed the value stack (`load`). The unsafe code of the crate is
//! all in that one module, `cursor.rs`.
//!
//! ## Frame lifetime and frame objects
//! An interpreter frame lives from its push to its pop. The Python-visible [`FrameObject`]
//! (type [`FRAME_TYPE`]) is made only when asked for ([`DataStack::frame_object`]: tracebacks,
//! `sys._getframe`, `inspect`), and cached in the frame. It records the owning stack's id and
//! the frame's position, never a pointer into the stack. When the owner pops a frame that has
//! a frame object, the object receives a copy of what it still needs (instruction pointer and
//! so line, bound locals, the caller's frame object for `f_back`), and from then on answers
//! from that copy on every thread. `f_locals` is a `Vec` of (name, value) pairs for now; the
//! dict view belongs to the containers layer.
//!
//! ## Ownership
//! A data stack cannot leave its thread: [`DataStack`] is `!Send` and `!Sync` and lives in a
//! thread-local. No other thread ever reads a live frame:
//! * a [`FrameObject`] of a live frame, read from another thread, raises `RuntimeError: frame
//!   is executing in another thread` ([`OTHER_THREAD_MSG`]);
//! * other threads see a thread's stack only as the thread *publishes* it (below).
//!
//! ## Snapshots of every thread's stack
//! [`snapshot_all_threads`] backs `sys._current_frames()` and the tracebacks of hung threads.
//! Each stack registers a record in a global registry, holding a mutex-protected *published*
//! view of its frames (code and line each). The owner publishes, from its own frames:
//! * at [`safe_point`], which the eval loop calls at its eval breaker (next to
//!   `weft_refcount`'s check point, after storing the instruction pointer), when a snapshot was
//!   requested since its last answer — one relaxed load and one thread-local read otherwise;
//! * on entering [`blocking`], the wrapper around `weft_refcount::blocking` through which every
//!   blocking call goes, so a snapshot never waits on a blocked thread;
//! * when its stack becomes empty (it is then idle).
//!
//! The requester bumps a global request number, answers for itself, and waits — detached, so
//! it holds no GIL — for each registered thread to answer, be blocked, be idle or exit. A
//! thread that does not answer within the timeout is reported as
//! [`SnapshotStatus::NoAnswer`]: the call never hangs and never reads a stack that its owner
//! may be changing. Publication is incremental (frames below the top cannot change until they
//! are the top again), so blocking in a deep stack costs O(frames changed since the last
//! publication).
//!
//! ## Code objects
//! There is no compiler yet: [`CodeInfo`] is the part of a code object the frame layer needs
//! (names, layout sizes, variable names, a [`LineTable`]); the compiler will build one per code
//! object and share it by `Arc`.
//!
//! ```
//! use std::sync::Arc;
//! use weft_frame::{CodeInfo, FrameInit, LineTable, with_stack};
//! use weft_object::{int_from_i64, none};
//!
//! let code = Arc::new(
//!     CodeInfo::new("add", "m.py", 1)
//!         .with_locals(["a", "b"])
//!         .with_stack_size(2)
//!         .with_lines(LineTable::new(vec![(0, 1), (4, 2)])),
//! );
//! with_stack(|ds| {
//!     ds.push(FrameInit::new(code.clone(), none().to_ref(), none().to_ref())).unwrap();
//!     ds.set_local(0, Some(int_from_i64(2)));
//!     ds.push_value(ds.local(0));
//!     ds.set_ip(5);
//!     let frame = ds.top_frame_object().unwrap();
//!     ds.pop();
//!     // The frame object outlives its frame with a copy of its line and locals.
//!     let f = frame.downcast::<weft_frame::FrameObject>().unwrap();
//!     assert_eq!(f.lineno().unwrap(), 2);
//!     assert_eq!(&*f.locals().unwrap()[0].0, "a");
//! });
//! ```
//!
//! Nothing here differs between the gil and nogil builds; the `gil`/`nogil` features only
//! select the variant of the layers below.

#![cfg_attr(weft_loom, allow(dead_code, unused_imports))]

#[cfg(not(weft_loom))]
mod code;
#[cfg(not(weft_loom))]
mod cursor;
#[cfg(not(weft_loom))]
mod object;
#[cfg(not(weft_loom))]
mod snapshot;
#[cfg(not(weft_loom))]
mod stack;

#[cfg(not(weft_loom))]
pub use code::{CodeInfo, LineTable, MAX_SLOTS};
#[cfg(not(weft_loom))]
pub use cursor::{FrameCursor, FrameImage, GenClaim, GenFrame, GenState};
#[cfg(not(weft_loom))]
pub use object::{FRAME_TYPE, FrameObject, OTHER_THREAD_MSG};
#[cfg(not(weft_loom))]
pub use snapshot::{
    FrameSummary, SnapshotStatus, ThreadSnapshot, blocking, registered_stacks, safe_point,
    snapshot_all_threads,
};
#[cfg(not(weft_loom))]
pub use stack::{
    CHUNK_SLOTS, ChunkStats, DEFAULT_RECURSION_LIMIT, DataStack, FrameInit, FunctionParts,
    MAX_FRAMES_PER_CHUNK, Slot, current_stack_id, thread_exit, with_stack,
};

/// The compiled variant: `"gil"` or `"nogil"`.
pub const VARIANT: &str = weft_sync::VARIANT;
