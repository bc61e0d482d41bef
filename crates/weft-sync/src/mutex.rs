//! The per-object mutex: one 32-bit futex word, starvation-free.
//!
//! [`RawMutex`] is exactly one [`AtomicU32`] (4 bytes, it sits in
//! every object header of the free-threaded build). It implements [`lock_api::RawMutex`], so
//! [`Mutex<T>`] is `lock_api::Mutex<RawMutex, T>`.
//!
//! # The word
//!
//! ```text
//!  bit  31 | 30 ........ 17 | 16 ........ 3 |    2    |   1    |   0
//!       0  |  STARVERS (14) |  SERVING (14) | HANDOFF | PARKED | LOCKED
//! ```
//!
//! * `LOCKED`: some thread owns the lock (or it is in transit to a starving waiter, see
//!   `HANDOFF`).
//! * `PARKED`: there may be threads asleep in [`futex_wait`] on the word; an unlock that clears
//!   it must wake one.
//! * `HANDOFF`: the last owner handed the lock to the starving waiter whose ticket is `SERVING`;
//!   `LOCKED` stays set, and only that waiter may take it.
//! * `STARVERS`: how many waiters have declared themselves starving (waited over 1 ms). They
//!   hold tickets `SERVING, SERVING + 1, ..., SERVING + STARVERS - 1` (mod 2^14), in the order
//!   they registered.
//!
//! # Protocol
//!
//! * **Lock, fast path**: one `compare_exchange(0 -> LOCKED, Acquire)`.
//! * **Lock, spin phase** (also [`RawMutex::try_lock_spin`]): up to [`SPIN_ROUNDS`] rounds; each
//!   round loads the word (no read-modify-write while it is held: test-and-test-and-set), takes
//!   it with a CAS if `LOCKED` is clear, stops early if `PARKED` is set (others already sleep:
//!   join them instead of burning the CPU), otherwise spins `2^round` CPU spin hints. No system
//!   call while spinning.
//! * **Lock, park phase**, a loop on a fresh load `s` of the word:
//!   1. a registered starver whose ticket is `SERVING` and sees `HANDOFF` claims the lock with
//!      one CAS that clears `HANDOFF`, decrements `STARVERS` and increments `SERVING` (`LOCKED`
//!      stays set: ownership moves without the lock ever being free);
//!   2. a waiter that is not a starver and sees `LOCKED` clear takes it with a CAS that sets
//!      `LOCKED` (and `PARKED` too if it has slept: it may have been the one woken for the other
//!      sleepers, so it keeps the "wake someone on unlock" duty alive);
//!   3. a waiter that has waited over 1 ms since it first parked (under loom: that has been
//!      woken once) and sees `LOCKED` set registers as a starver: one CAS adds one to `STARVERS`, sets `PARKED`, and
//!      its ticket is `SERVING + STARVERS` of the value it replaced;
//!   4. otherwise it makes sure `PARKED` is set (CAS) and calls `futex_wait(word, s | PARKED)`,
//!      which returns at once if the word changed meanwhile.
//! * **Unlock, fast path**: one `compare_exchange(LOCKED -> 0, Release)`: succeeds when nobody
//!   sleeps and nobody starves.
//! * **Unlock, slow path** (CAS loop): if `STARVERS > 0`, set `HANDOFF` (keeping `LOCKED`) and
//!   `futex_wake_all` (the designated starver may be any of the sleepers; the others go back to
//!   sleep); otherwise clear `LOCKED | PARKED` and, if `PARKED` was set, `futex_wake_one`.
//!
//! # Invariants
//!
//! 1. `STARVERS > 0` implies `LOCKED`. Registration needs `LOCKED` set, and while there are
//!    starvers an unlock hands off instead of clearing `LOCKED`.
//! 2. `HANDOFF` implies `LOCKED` and `STARVERS > 0`, and then no thread owns the lock: the
//!    unlocker gave it up, and the ticket holder `SERVING` (who exists, since tickets are only
//!    returned by claiming) is the only thread that may take it.
//! 3. `STARVERS > 0` implies `PARKED`, so the last owner always reaches the slow unlock.
//! 4. No lost wake-up: a thread sleeps only on a value with `PARKED` set. `PARKED` is cleared
//!    only by an unlock, which then wakes one sleeper; a woken thread either sleeps again (after
//!    setting `PARKED` again) or takes the lock with `PARKED` set, so the duty to wake the
//!    remaining sleepers is always held by the word or by a running thread. A starver sleeps
//!    until a handoff, and every handoff wakes all sleepers.
//! 5. Tickets are distinct: at most 2^14 - 1 starvers register (a waiter that finds the count
//!    full keeps waiting as a plain waiter and retries later).
//!
//! # Memory orderings
//!
//! Every change of the word after construction is a read-modify-write, so each one continues
//! the release sequence of the last unlock. Taking the lock (fast CAS, spin CAS, park-phase CAS,
//! handoff claim) is `Acquire` and giving it up (unlock CAS, handoff CAS) is `Release`: the next
//! owner's acquire reads the unlocker's release or a later RMW in its release sequence, so the
//! critical sections are ordered by happens-before. Setting `PARKED` and registering as a
//! starver transfer no data and are `Relaxed`; plain loads are `Relaxed` and only choose which
//! CAS to try. The futex itself orders the check of the value against the wake (see
//! [`futex_wait`]).
//!
//! # Why no waiter starves, and the bound
//!
//! Barging (a running thread taking the lock ahead of sleepers) is what makes an unfair mutex
//! fast, so it is allowed until a waiter has slept for 1 ms. That waiter registers as a starver
//! the next time it runs with the lock held; it runs again when an unlock wakes it: every
//! handoff wakes all sleepers, and a plain unlock wakes one (Linux wakes futex waiters of equal
//! priority oldest first). From then on (invariant 1) the lock is never free: each unlock
//! transfers ownership to the next ticket, so no other thread can barge and starvers are served
//! in ticket order. A starver with `k` starvers ahead of it therefore owns the lock after at
//! most `k + 1` unlocks, `k` being less than the number of threads waiting on this mutex. Each of
//! those steps costs one critical section plus one wake-up latency.
//!
//! Handoff costs a `futex_wake_all` (the other sleepers wake and sleep again), so it is kept for
//! the rare case: under moderate contention sleepers are woken and take the lock well within
//! 1 ms and nobody registers.
//!
//! # Events
//!
//! [`Event::LockContended`] counts acquisitions that missed the first CAS (in
//! [`RawMutex::try_lock_spin`] only when the spinning succeeds, so that the usual
//! `try_lock_spin`-then-`lock` sequence counts once), [`Event::LockPark`] each `futex_wait`, and
//! [`Event::LockHandoff`] each handoff, which is also traced (`target: "weft::mutex"`).
//!
//! # Fair unlocking
//!
//! [`lock_api::RawMutexFair`] is not implemented: handing the lock to an arbitrary *sleeping*
//! waiter would need a second kind of handoff (any woken waiter may claim) next to the ticketed
//! one, and that waiter's wake-up latency would be paid on every fair unlock. The automatic
//! handoff to starving waiters gives the guarantee that fairness is for.
//!
//! # Under loom
//!
//! `RawMutex::new` is not `const` (loom's atomics are not), so [`lock_api::RawMutex::INIT`] can
//! not be provided: using it (for example through `lock_api::Mutex::new`) is a compile-time
//! error under `--cfg weft_loom`; build `Mutex::from_raw(RawMutex::new(), value)` there.
//!
//! [`futex_wait`]: crate::shim::futex_wait
//! [`Event::LockContended`]: crate::stats::Event::LockContended
//! [`Event::LockPark`]: crate::stats::Event::LockPark
//! [`Event::LockHandoff`]: crate::stats::Event::LockHandoff

use crate::shim::atomic::{AtomicU32, Ordering};
#[cfg(not(weft_loom))]
use crate::shim::spin_loop;
use crate::shim::{futex_wait, futex_wake_all, futex_wake_one};
use crate::stats::{Event, count};

/// A [`lock_api::Mutex`] protecting a `T` with a [`RawMutex`].
pub type Mutex<T> = lock_api::Mutex<RawMutex, T>;

/// The guard of a [`Mutex`]: the lock is held while it lives.
pub type MutexGuard<'a, T> = lock_api::MutexGuard<'a, RawMutex, T>;

const LOCKED: u32 = 1;
const PARKED: u32 = 1 << 1;
const HANDOFF: u32 = 1 << 2;
const SERVING_SHIFT: u32 = 3;
const STARVERS_SHIFT: u32 = 17;
/// Tickets and the starver count are 14-bit fields.
const FIELD_MASK: u32 = (1 << 14) - 1;
const ONE_STARVER: u32 = 1 << STARVERS_SHIFT;
/// At most this many waiters are registered as starving at once (keeps tickets distinct).
const MAX_STARVERS: u32 = FIELD_MASK;

/// Rounds of the spin phase; round `r` spins `2^r` CPU spin hints (127 in all).
///
/// Under loom the phase is cut to one round (one look at the word, a CAS if it is free) and the
/// spin hints are left out: loom treats a spin hint as "cannot progress until another thread
/// does", which would prune the executions where the spinner parks before the holder moves.
#[cfg(not(weft_loom))]
pub const SPIN_ROUNDS: u32 = 7;
/// Rounds of the spin phase (one round, without spin hints, under loom).
#[cfg(weft_loom)]
pub const SPIN_ROUNDS: u32 = 1;

/// How long a parked waiter waits before it is owed a direct handoff.
#[cfg(not(weft_loom))]
const STARVATION_THRESHOLD: std::time::Duration = std::time::Duration::from_millis(1);

#[inline]
fn serving(s: u32) -> u32 {
    (s >> SERVING_SHIFT) & FIELD_MASK
}

#[inline]
fn starvers(s: u32) -> u32 {
    (s >> STARVERS_SHIFT) & FIELD_MASK
}

/// A mutex in one 32-bit futex word: one CAS to lock and one to unlock when uncontended,
/// bounded spinning, then parking, and a direct handoff to any waiter that waited over 1 ms.
///
/// See the [module docs](self) for the protocol. The inherent methods are the raw interface
/// (used by weft's critical sections); [`Mutex<T>`] wraps it with a guard.
pub struct RawMutex {
    state: AtomicU32,
}

impl RawMutex {
    /// An unlocked mutex.
    #[cfg(not(weft_loom))]
    pub const fn new() -> Self {
        RawMutex {
            state: AtomicU32::new(0),
        }
    }

    /// An unlocked mutex.
    #[cfg(weft_loom)]
    pub fn new() -> Self {
        RawMutex {
            state: AtomicU32::new(0),
        }
    }

    /// Acquires the lock, blocking the current thread until it is able to do so.
    #[inline]
    pub fn lock(&self) {
        if self
            .state
            .compare_exchange(0, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_slow();
        }
    }

    /// Acquires the lock if it is free right now; never spins or blocks.
    ///
    /// Fails while the lock is held or being handed to a starving waiter.
    #[inline]
    pub fn try_lock(&self) -> bool {
        let mut s = self.state.load(Ordering::Relaxed);
        while s & LOCKED == 0 {
            match self.state.compare_exchange_weak(
                s,
                s | LOCKED,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(now) => s = now,
            }
        }
        false
    }

    /// Acquires the lock with the fast path and the bounded spin phase only; never parks.
    ///
    /// Returns `false` if the lock is still held after spinning (or as soon as other waiters
    /// are found asleep). The critical-section layer calls this before deciding to suspend the
    /// sections it holds and block in [`lock`](Self::lock).
    #[inline]
    pub fn try_lock_spin(&self) -> bool {
        if self
            .state
            .compare_exchange(0, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            return true;
        }
        let got = self.spin();
        if got {
            count(Event::LockContended);
        }
        got
    }

    /// Releases the lock, waking or handing the lock to a waiter if there is one.
    ///
    /// # Safety
    ///
    /// The lock must be held by the caller's context: acquired by a [`lock`](Self::lock),
    /// [`try_lock`](Self::try_lock) or [`try_lock_spin`](Self::try_lock_spin) of this context
    /// that has not been released yet.
    #[inline]
    pub unsafe fn unlock(&self) {
        if self
            .state
            .compare_exchange(LOCKED, 0, Ordering::Release, Ordering::Relaxed)
            .is_err()
        {
            self.unlock_slow();
        }
    }

    /// Whether the lock is held (or in transit to a starving waiter). A momentary snapshot.
    #[inline]
    pub fn is_locked(&self) -> bool {
        self.state.load(Ordering::Relaxed) & LOCKED != 0
    }

    /// The spin phase: `true` if it took the lock.
    fn spin(&self) -> bool {
        for round in 0..SPIN_ROUNDS {
            let s = self.state.load(Ordering::Relaxed);
            if s & LOCKED == 0 {
                // Invariant 1: no starvers while unlocked, so taking it barges past nobody
                // who is owed the lock.
                if self
                    .state
                    .compare_exchange(s, s | LOCKED, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
                {
                    return true;
                }
                continue;
            }
            if s & PARKED != 0 {
                return false;
            }
            // Not under loom: loom models a spin hint as "cannot progress until another thread
            // does", which would hide the executions where this thread gives up spinning and
            // parks before the holder moves. The bounded loop is modelled without it.
            #[cfg(not(weft_loom))]
            for _ in 0..(1u32 << round) {
                spin_loop();
            }
            #[cfg(weft_loom)]
            let _ = round;
        }
        false
    }

    #[cold]
    #[inline(never)]
    fn lock_slow(&self) {
        count(Event::LockContended);
        if self.spin() {
            return;
        }
        self.park_loop();
    }

    /// The park phase (see the module docs, steps 1-4).
    fn park_loop(&self) {
        let mut ticket: Option<u32> = None;
        let mut slept = false;
        #[cfg(not(weft_loom))]
        let mut parked_at: Option<std::time::Instant> = None;
        loop {
            let s = self.state.load(Ordering::Relaxed);
            match ticket {
                Some(t) => {
                    debug_assert!(s & LOCKED != 0 && s & PARKED != 0 && starvers(s) > 0);
                    if s & HANDOFF != 0 && serving(s) == t {
                        let next = ((t + 1) & FIELD_MASK) << SERVING_SHIFT;
                        let new =
                            ((s - ONE_STARVER) & !HANDOFF & !(FIELD_MASK << SERVING_SHIFT)) | next;
                        if self
                            .state
                            .compare_exchange(s, new, Ordering::Acquire, Ordering::Relaxed)
                            .is_ok()
                        {
                            return;
                        }
                        continue;
                    }
                }
                None => {
                    if s & LOCKED == 0 {
                        debug_assert_eq!(starvers(s), 0);
                        let new = s | LOCKED | if slept { PARKED } else { 0 };
                        if self
                            .state
                            .compare_exchange(s, new, Ordering::Acquire, Ordering::Relaxed)
                            .is_ok()
                        {
                            return;
                        }
                        continue;
                    }
                    #[cfg(not(weft_loom))]
                    let starving = parked_at.is_some_and(|t| t.elapsed() >= STARVATION_THRESHOLD);
                    // Under loom, time does not pass: having been woken once without getting
                    // the lock counts as starving, so that the handoff path is model-checked.
                    #[cfg(weft_loom)]
                    let starving = slept;
                    if starving && starvers(s) < MAX_STARVERS {
                        let t = (serving(s) + starvers(s)) & FIELD_MASK;
                        if self
                            .state
                            .compare_exchange(
                                s,
                                (s + ONE_STARVER) | PARKED,
                                Ordering::Relaxed,
                                Ordering::Relaxed,
                            )
                            .is_ok()
                        {
                            ticket = Some(t);
                        }
                        continue;
                    }
                }
            }
            if s & PARKED == 0
                && self
                    .state
                    .compare_exchange(s, s | PARKED, Ordering::Relaxed, Ordering::Relaxed)
                    .is_err()
            {
                continue;
            }
            #[cfg(not(weft_loom))]
            if parked_at.is_none() {
                parked_at = Some(std::time::Instant::now());
            }
            count(Event::LockPark);
            futex_wait(&self.state, s | PARKED);
            slept = true;
        }
    }

    #[cold]
    #[inline(never)]
    fn unlock_slow(&self) {
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            debug_assert!(s & LOCKED != 0, "unlock of an unlocked RawMutex");
            debug_assert!(
                s & HANDOFF == 0,
                "unlock of a RawMutex in transit to a waiter"
            );
            if starvers(s) > 0 {
                match self.state.compare_exchange(
                    s,
                    s | HANDOFF,
                    Ordering::Release,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        futex_wake_all(&self.state);
                        count(Event::LockHandoff);
                        tracing::trace!(
                            target: "weft::mutex",
                            mutex = ?(self as *const Self),
                            ticket = serving(s),
                            starving = starvers(s),
                            "handoff to a starving waiter"
                        );
                        return;
                    }
                    Err(now) => s = now,
                }
            } else {
                match self.state.compare_exchange(
                    s,
                    s & !(LOCKED | PARKED),
                    Ordering::Release,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        if s & PARKED != 0 {
                            futex_wake_one(&self.state);
                        }
                        return;
                    }
                    Err(now) => s = now,
                }
            }
        }
    }
}

impl Default for RawMutex {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for RawMutex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.state.load(Ordering::Relaxed);
        f.debug_struct("RawMutex")
            .field("locked", &(s & LOCKED != 0))
            .field("parked", &(s & PARKED != 0))
            .field("handoff", &(s & HANDOFF != 0))
            .field("starvers", &starvers(s))
            .finish()
    }
}

// SAFETY: `lock`/`try_lock` succeed only by a CAS that sets LOCKED on a word where it was clear
// (or by claiming a handoff addressed to this thread's ticket, invariant 2), so at most one
// context holds the lock; those CASes are Acquire and every release of the lock (unlock CAS,
// handoff CAS) is Release, with all other changes of the word being RMWs that continue the
// release sequence. The guard is stateless, so forgetting it only leaves the mutex locked, and
// dropping or moving a locked `RawMutex` leaks nothing. No operation unwinds while holding a
// new acquisition: the only code after the acquiring CAS is the return.
unsafe impl lock_api::RawMutex for RawMutex {
    #[cfg(not(weft_loom))]
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: Self = RawMutex::new();
    #[cfg(weft_loom)]
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: Self = panic!(
        "loom atomics have no const constructor: use Mutex::from_raw(RawMutex::new(), value)"
    );

    type Guard = lock_api::GuardSend;

    #[inline]
    fn lock(&self) -> Self::Guard {
        RawMutex::lock(self);
        lock_api::GuardSend::new()
    }

    #[inline]
    fn try_lock(&self) -> Option<Self::Guard> {
        RawMutex::try_lock(self).then(lock_api::GuardSend::new)
    }

    #[inline]
    unsafe fn unlock(&self, _guard: Self::Guard) {
        // SAFETY: the guard proves the caller's context holds the lock (trait contract).
        unsafe { RawMutex::unlock(self) }
    }

    #[inline]
    fn is_locked(&self) -> bool {
        RawMutex::is_locked(self)
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;

    #[test]
    fn is_one_word() {
        assert_eq!(std::mem::size_of::<RawMutex>(), 4);
        assert_eq!(std::mem::align_of::<RawMutex>(), 4);
    }

    #[test]
    fn field_layout_fits_the_word() {
        assert_eq!(
            LOCKED | PARKED | HANDOFF | (FIELD_MASK << SERVING_SHIFT),
            (1 << STARVERS_SHIFT) - 1
        );
        assert_eq!(
            FIELD_MASK << STARVERS_SHIFT,
            0x7FFF_FFFF & !(ONE_STARVER - 1)
        );
        let s = (5 << SERVING_SHIFT) | (3 << STARVERS_SHIFT) | LOCKED | PARKED;
        assert_eq!(serving(s), 5);
        assert_eq!(starvers(s), 3);
    }

    #[test]
    fn lock_unlock_single_thread() {
        let m = RawMutex::new();
        assert!(!m.is_locked());
        m.lock();
        assert!(m.is_locked());
        assert!(!m.try_lock());
        assert!(!m.try_lock_spin());
        // SAFETY: locked just above by this thread.
        unsafe { m.unlock() };
        assert!(!m.is_locked());
        assert!(m.try_lock());
        // SAFETY: taken by the successful try_lock.
        unsafe { m.unlock() };
        assert!(m.try_lock_spin());
        // SAFETY: taken by the successful try_lock_spin.
        unsafe { m.unlock() };
        assert_eq!(m.state.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn handoff_goes_to_the_ticket_holder() {
        // Drive the word by hand: one registered starver (ticket 0), lock held.
        let m = RawMutex::new();
        m.lock();
        m.state.fetch_add(ONE_STARVER | PARKED, Ordering::Relaxed);
        // SAFETY: held by this thread.
        unsafe { m.unlock() };
        let s = m.state.load(Ordering::Relaxed);
        assert_eq!(s & (LOCKED | HANDOFF), LOCKED | HANDOFF);
        assert!(!m.try_lock(), "a handed-off lock can not be barged");
        assert!(m.is_locked());
    }

    #[test]
    fn lock_api_mutex_works() {
        static M: Mutex<u32> = Mutex::new(0);
        *M.lock() += 1;
        {
            let g = M.lock();
            assert!(M.try_lock().is_none());
            drop(g);
        }
        assert_eq!(*M.try_lock().unwrap(), 1);
        assert!(!M.is_locked());
    }
}
