//! Critical sections: how a thread holds per-object locks without deadlocking.
//!
//! A critical section locks one object's mutex, or two objects' mutexes (always in address
//! order), for the duration of a closure. Each thread keeps a stack of its sections:
//!
//! * **Re-entry**: beginning a section on a mutex that an *active* section of this thread
//!   already holds does not lock it again (no self-deadlock); the inner section borrows it.
//! * **Suspension**: when a lock is contended while this thread holds other sections, or when
//!   the thread is about to block ([`blocking`]), every held section is *suspended*: its
//!   mutexes are unlocked. The thread then waits holding no object lock, so no cycle of
//!   waiting threads can form (lock-ordering deadlocks are impossible by construction).
//! * **Resumption**: when the innermost section ends, or the blocking call returns, the new
//!   innermost section is resumed (its mutexes re-locked). Outer sections stay suspended until
//!   they become innermost again.
//!
//! The consequence for code that uses them — the same rule as CPython's — is that a section
//! guarantees exclusion only until the closure begins another section, blocks, or calls code
//! that might: never keep a Rust reference into guarded data across such a call.
//!
//! In the `gil` build the GIL already serialises Python threads, so sections compile to a
//! plain call of the closure; the stack is not kept.
//!
//! The functions here take [`RawMutex`]es so that the mechanism can be model-checked on its
//! own; [`crate::Object`] wraps them for objects.

use weft_sync::RawMutex;

#[cfg(feature = "nogil")]
pub use imp::{depth, is_held};

/// Runs `f` inside a critical section on `m`.
#[inline]
pub fn with_mutex<R>(m: &RawMutex, f: impl FnOnce() -> R) -> R {
    #[cfg(feature = "nogil")]
    {
        let node = imp::Node::new(m, None);
        let _s = imp::Section::begin(&node);
        f()
    }
    #[cfg(not(feature = "nogil"))]
    {
        let _ = m;
        f()
    }
}

/// Runs `f` inside a critical section on both `a` and `b` (locked in address order; the
/// same mutex twice is locked once).
#[inline]
pub fn with_mutex2<R>(a: &RawMutex, b: &RawMutex, f: impl FnOnce() -> R) -> R {
    #[cfg(feature = "nogil")]
    {
        let node = imp::Node::new(a, Some(b));
        let _s = imp::Section::begin(&node);
        f()
    }
    #[cfg(not(feature = "nogil"))]
    {
        let _ = (a, b);
        f()
    }
}

/// Runs a blocking `f` with every critical section of this thread suspended and the thread
/// detached from the runtime (in the gil build: with the GIL released), then re-attaches and
/// resumes the innermost section.
pub fn blocking<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(feature = "nogil")]
    imp::suspend_all();
    let r = weft_refcount::blocking(f);
    #[cfg(feature = "nogil")]
    imp::resume_top();
    r
}

#[cfg(feature = "nogil")]
mod imp {
    //! The stack is intrusive, as in CPython: each section's [`Node`] lives in the stack
    //! frame of `with_mutex*` (it never moves while linked) and points to the one below it; a
    //! thread-local holds the innermost. Beginning and ending a section on an uncontended lock
    //! with nothing else held is a thread-local read and write plus the lock's one CAS each
    //! way: no allocation, no `RefCell`, no thread-local destructor.

    use std::cell::Cell;
    use std::ptr::{self, NonNull};

    use weft_sync::RawMutex;
    use weft_sync::stats::{Event, count};

    /// One section.
    pub(super) struct Node {
        /// The mutexes this section needs, in address order (`m[1]` is `None` for one-object
        /// sections and when both were the same mutex).
        m: [Option<NonNull<RawMutex>>; 2],
        /// Which of them this section locked itself (and so must unlock).
        owned: [Cell<bool>; 2],
        /// Suspended sections hold nothing.
        active: Cell<bool>,
        /// The section below this one on the thread's stack.
        prev: Cell<*const Node>,
    }

    impl Node {
        pub(super) fn new(a: &RawMutex, b: Option<&RawMutex>) -> Node {
            let (pa, pb) = (NonNull::from(a), b.map(NonNull::from));
            let m = match pb {
                None => [Some(pa), None],
                Some(pb) if pb == pa => [Some(pa), None],
                Some(pb) if pb < pa => [Some(pb), Some(pa)],
                Some(pb) => [Some(pa), Some(pb)],
            };
            Node {
                m,
                owned: [Cell::new(false), Cell::new(false)],
                active: Cell::new(true),
                prev: Cell::new(ptr::null()),
            }
        }

        fn mutex(&self, i: usize) -> Option<&RawMutex> {
            // SAFETY: the pointers come from `&RawMutex` borrows held by `with_mutex*` for
            // as long as the node is alive.
            self.m[i].map(|p| unsafe { p.as_ref() })
        }

        fn needs(&self, p: NonNull<RawMutex>) -> bool {
            self.m[0] == Some(p) || self.m[1] == Some(p)
        }

        /// Unlocks what this node owns and marks it suspended.
        fn release(&self) {
            for i in (0..2).rev() {
                if self.owned[i].replace(false) {
                    // SAFETY: this node locked it on this thread and has not unlocked it.
                    unsafe { self.mutex(i).expect("owned mutex").unlock() };
                }
            }
        }

        /// Locks every mutex this node needs (blocking, address order).
        fn lock_all(&self) {
            for i in 0..2 {
                if let Some(m) = self.mutex(i) {
                    m.lock();
                    self.owned[i].set(true);
                }
            }
            self.active.set(true);
        }
    }

    #[cfg(not(weft_loom))]
    std::thread_local! {
        static TOP: Cell<*const Node> = const { Cell::new(ptr::null()) };
    }
    #[cfg(weft_loom)]
    loom::thread_local! {
        static TOP: Cell<*const Node> = Cell::new(ptr::null());
    }

    fn top() -> *const Node {
        TOP.with(|t| t.get())
    }

    fn set_top(n: *const Node) {
        TOP.with(|t| t.set(n));
    }

    /// Calls `f` on every node from the innermost outwards.
    fn for_each(mut f: impl FnMut(&Node)) {
        let mut p = top();
        while !p.is_null() {
            // SAFETY: linked nodes are alive: each is unlinked (by its Section guard, also on
            // unwind) before the stack frame holding it returns.
            let n = unsafe { &*p };
            f(n);
            p = n.prev.get();
        }
    }

    /// Number of sections (active or suspended) on this thread's stack.
    pub fn depth() -> usize {
        let mut d = 0;
        for_each(|_| d += 1);
        d
    }

    /// Whether an active section of this thread holds `m`.
    pub fn is_held(m: &RawMutex) -> bool {
        held_by_active(NonNull::from(m))
    }

    fn held_by_active(p: NonNull<RawMutex>) -> bool {
        let mut held = false;
        for_each(|n| held |= n.active.get() && n.needs(p));
        held
    }

    /// Guard that ends the section (unlinks and unlocks) when dropped, also on unwind.
    pub(super) struct Section<'a> {
        node: &'a Node,
    }

    impl<'a> Section<'a> {
        /// Begins the section described by `node` and links it on top of the thread's stack.
        /// `node` must not move until the returned guard is dropped (it is borrowed for that
        /// long, and `with_mutex*` keep it in their own frame).
        #[inline]
        pub(super) fn begin(node: &'a Node) -> Section<'a> {
            let below = top();
            // Fast path: nothing held, so no re-entry to check and nothing to suspend.
            let fast = below.is_null() && node.m[1].is_none() && {
                let m = node.mutex(0).expect("a section needs a mutex");
                m.try_lock() || m.try_lock_spin()
            };
            if fast {
                node.owned[0].set(true);
            } else {
                begin_slow(node, below.is_null());
            }
            node.prev.set(below);
            set_top(node);
            Section { node }
        }
    }

    #[cold]
    #[inline(never)]
    fn begin_slow(node: &Node, nothing_held: bool) {
        if !nothing_held || node.m[1].is_some() {
            if acquire_fast(node) {
                return;
            }
            // Contended: give up what this section took, suspend everything the thread
            // holds, then wait holding only what this section needs.
            node.release();
            suspend_all();
        }
        node.lock_all();
    }

    /// Takes `node`'s mutexes without waiting (borrowing those an active section already
    /// holds). On failure the caller releases what was taken.
    fn acquire_fast(node: &Node) -> bool {
        for i in 0..2 {
            let Some(p) = node.m[i] else { continue };
            if held_by_active(p) {
                continue;
            }
            let m = node.mutex(i).expect("present");
            // With other sections held the thread still spins briefly, and suspends them
            // only if the lock stays contended.
            if m.try_lock() || m.try_lock_spin() {
                node.owned[i].set(true);
            } else {
                return false;
            }
        }
        true
    }

    /// Unlocks everything the thread's sections hold and marks them suspended.
    pub(super) fn suspend_all() {
        let mut any = false;
        let mut depth = 0usize;
        for_each(|n| {
            depth += 1;
            if n.active.replace(false) {
                n.release();
                any = true;
            }
        });
        if any {
            count(Event::CsSuspend);
            tracing::trace!(target: "weft::critical_section", depth, "suspend");
        }
    }

    /// Re-locks the innermost section if it is suspended. Sections below it are suspended
    /// too (suspension is all-or-nothing), so it takes its mutexes itself.
    pub(super) fn resume_top() {
        let p = top();
        if p.is_null() {
            return;
        }
        // SAFETY: see for_each.
        let n = unsafe { &*p };
        if !n.active.get() {
            n.lock_all();
            tracing::trace!(target: "weft::critical_section", "resume");
        }
    }

    impl Drop for Section<'_> {
        #[inline]
        fn drop(&mut self) {
            let n = self.node;
            debug_assert!(ptr::eq(top(), n), "critical sections end in LIFO order");
            set_top(n.prev.get());
            n.release();
            if !n.prev.get().is_null() {
                resume_top();
            }
        }
    }
}
