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
        let _s = imp::Section::begin(m, None);
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
        let _s = imp::Section::begin(a, Some(b));
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
    use std::cell::RefCell;
    use std::ptr::NonNull;

    use weft_sync::RawMutex;
    use weft_sync::stats::{Event, count};

    /// One section on the stack.
    struct Entry {
        /// The mutexes this section needs, in address order (`b` is `None` for one-object
        /// sections and when both were the same mutex).
        m: [Option<NonNull<RawMutex>>; 2],
        /// Which of them this entry locked itself (and so must unlock).
        owned: [bool; 2],
        /// Suspended entries hold nothing.
        active: bool,
    }

    struct Stack {
        entries: Vec<Entry>,
    }

    #[cfg(not(weft_loom))]
    std::thread_local! {
        static STACK: RefCell<Stack> = const { RefCell::new(Stack { entries: Vec::new() }) };
    }
    #[cfg(weft_loom)]
    loom::thread_local! {
        static STACK: RefCell<Stack> = RefCell::new(Stack { entries: Vec::new() });
    }

    /// Number of sections (active or suspended) on this thread's stack.
    pub fn depth() -> usize {
        STACK.with(|s| s.borrow().entries.len())
    }

    /// Whether an active section of this thread holds `m`.
    pub fn is_held(m: &RawMutex) -> bool {
        let p = NonNull::from(m);
        STACK.with(|s| {
            s.borrow()
                .entries
                .iter()
                .any(|e| e.active && e.m.iter().flatten().any(|&x| x == p))
        })
    }

    fn held_by_active(stack: &Stack, p: NonNull<RawMutex>) -> bool {
        stack
            .entries
            .iter()
            .any(|e| e.active && e.m.iter().flatten().any(|&x| x == p))
    }

    /// Guard that ends the section (pops and unlocks) when dropped, also on unwind.
    pub(super) struct Section {
        _not_send: std::marker::PhantomData<*const ()>,
    }

    impl Section {
        pub(super) fn begin(a: &RawMutex, b: Option<&RawMutex>) -> Section {
            let (pa, pb) = (NonNull::from(a), b.map(NonNull::from));
            let m = match pb {
                None => [Some(pa), None],
                Some(pb) if pb == pa => [Some(pa), None],
                Some(pb) if pb < pa => [Some(pb), Some(pa)],
                Some(pb) => [Some(pa), Some(pb)],
            };
            let mut entry = Entry {
                m,
                owned: [false, false],
                active: true,
            };
            STACK.with(|s| {
                let mut stack = s.borrow_mut();
                if !acquire_fast(&stack, &mut entry) {
                    // Contended: give up everything we hold, then wait holding only what
                    // this section needs (taken in address order).
                    for (i, p) in entry.m.iter().enumerate() {
                        if entry.owned[i] {
                            // SAFETY: locked just above by acquire_fast, on this thread.
                            unsafe { p.unwrap().as_ref().unlock() };
                        }
                    }
                    entry.owned = [false, false];
                    suspend(&mut stack);
                    for (i, p) in entry.m.iter().enumerate() {
                        if let Some(p) = p {
                            // SAFETY: the pointer came from a live `&RawMutex` that outlives
                            // this section (the guard borrows nothing, but `with_mutex*`
                            // keep the borrow for the closure's duration).
                            unsafe { p.as_ref() }.lock();
                            entry.owned[i] = true;
                        }
                    }
                }
                stack.entries.push(entry);
            });
            Section {
                _not_send: std::marker::PhantomData,
            }
        }
    }

    /// Tries to take `entry`'s mutexes without waiting (borrowing those an active section
    /// already holds). On failure, the ones it did lock stay marked owned for the caller to
    /// release.
    fn acquire_fast(stack: &Stack, entry: &mut Entry) -> bool {
        for i in 0..2 {
            let Some(p) = entry.m[i] else { continue };
            if held_by_active(stack, p) {
                continue;
            }
            // SAFETY: see Section::begin.
            let m = unsafe { p.as_ref() };
            // With nothing else held the thread can afford to spin; with other sections held
            // it spins briefly too, and suspends them only if the lock stays contended.
            if m.try_lock() || m.try_lock_spin() {
                entry.owned[i] = true;
            } else {
                return false;
            }
        }
        true
    }

    /// Unlocks everything the stack holds and marks every entry suspended.
    fn suspend(stack: &mut Stack) {
        let mut any = false;
        for e in stack.entries.iter_mut().rev() {
            if !e.active {
                continue;
            }
            for i in (0..2).rev() {
                if e.owned[i] {
                    // SAFETY: this entry locked it on this thread and has not unlocked it.
                    unsafe { e.m[i].unwrap().as_ref().unlock() };
                    e.owned[i] = false;
                }
            }
            e.active = false;
            any = true;
        }
        if any {
            count(Event::CsSuspend);
            tracing::trace!(target: "weft::critical_section", depth = stack.entries.len(), "suspend");
        }
    }

    /// Re-locks the innermost entry if it is suspended. Entries below it are suspended too
    /// (suspension is all-or-nothing), so it takes its mutexes itself.
    fn resume(stack: &mut Stack) {
        if let Some(e) = stack.entries.last_mut()
            && !e.active
        {
            {
                for i in 0..2 {
                    if let Some(p) = e.m[i] {
                        // SAFETY: see Section::begin.
                        unsafe { p.as_ref() }.lock();
                        e.owned[i] = true;
                    }
                }
                e.active = true;
                tracing::trace!(target: "weft::critical_section", depth = stack.entries.len(), "resume");
            }
        }
    }

    pub(super) fn suspend_all() {
        STACK.with(|s| suspend(&mut s.borrow_mut()));
    }

    pub(super) fn resume_top() {
        STACK.with(|s| resume(&mut s.borrow_mut()));
    }

    impl Drop for Section {
        fn drop(&mut self) {
            STACK.with(|s| {
                let mut stack = s.borrow_mut();
                let e = stack
                    .entries
                    .pop()
                    .expect("critical section stack underflow");
                for i in (0..2).rev() {
                    if e.owned[i] {
                        // SAFETY: this entry locked it on this thread.
                        unsafe { e.m[i].unwrap().as_ref().unlock() };
                    }
                }
                resume(&mut stack);
            });
        }
    }
}
