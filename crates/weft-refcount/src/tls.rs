//! The thread-local side: the calling thread's [`ThreadState`] and the one-word fast path
//! that [`crate::Brc`] reads on every clone and drop.

use std::cell::RefCell;

use crate::ThreadState;

#[cfg(not(weft_loom))]
std::thread_local! {
    /// nogil: the calling thread's tid while attached, `DETACHED` otherwise.
    /// gil: 1 while the thread holds the GIL, 0 otherwise.
    static FAST: std::cell::Cell<u32> = const { std::cell::Cell::new(INIT) };
    static STATE: RefCell<Option<ThreadState>> = const { RefCell::new(None) };
}

#[cfg(weft_loom)]
loom::thread_local! {
    static FAST: std::cell::Cell<u32> = std::cell::Cell::new(INIT);
    static STATE: RefCell<Option<ThreadState>> = RefCell::new(None);
}

#[cfg(feature = "nogil")]
const INIT: u32 = crate::nogil::DETACHED;
#[cfg(not(feature = "nogil"))]
const INIT: u32 = 0;

#[inline(always)]
fn fast() -> u32 {
    // During thread teardown the slot may be gone: behave as detached.
    FAST.try_with(|c| c.get()).unwrap_or(INIT)
}

#[inline(always)]
fn set_fast(v: u32) {
    let _ = FAST.try_with(|c| c.set(v));
}

/// nogil: the tid to compare owners against (`DETACHED` when not attached).
#[cfg(feature = "nogil")]
#[inline(always)]
pub(crate) fn cur() -> u32 {
    fast()
}

#[cfg(feature = "nogil")]
pub(crate) fn set_cur(v: u32) {
    set_fast(v);
}

/// gil: whether this thread holds the GIL.
#[cfg(not(feature = "nogil"))]
#[inline(always)]
pub(crate) fn attached() -> bool {
    fast() != 0
}

#[cfg(not(feature = "nogil"))]
pub(crate) fn set_attached(on: bool) {
    set_fast(on as u32);
}

/// gil: the owner tid is meaningless; 0 everywhere.
#[cfg(not(feature = "nogil"))]
#[inline(always)]
pub(crate) fn cur() -> u32 {
    0
}

/// Whether the calling thread is attached.
#[inline(always)]
pub(crate) fn is_attached() -> bool {
    fast() != INIT
}

/// Runs `f` with the calling thread's [`ThreadState`], creating (registering) it on first
/// use. It lives until the thread exits, when it detaches, drains its merge queue and leaves
/// the registry.
///
/// # Panics
/// If called from a thread-local destructor after the state was destroyed, or from inside
/// [`thread_exit`].
pub fn with_thread<R>(f: impl FnOnce(&ThreadState) -> R) -> R {
    STATE.with(|s| {
        if s.borrow().is_none() {
            let ts = ThreadState::new();
            *s.borrow_mut() = Some(ts);
        }
        let b = s.borrow();
        f(b.as_ref().expect("thread state present"))
    })
}

/// Ends the calling thread's membership now instead of at thread exit: detaches, drains its
/// merge queue and leaves the registry (objects it still owns become unowned). A later
/// [`with_thread`] registers the thread afresh with a new tid. Thread runners call this as
/// the last step of a thread so that a `join` returns only after the drain.
///
/// # Panics
/// If called from inside [`with_thread`].
pub fn thread_exit() {
    let ts = STATE.with(|s| s.borrow_mut().take());
    drop(ts);
}
