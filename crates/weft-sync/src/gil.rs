//! The global interpreter lock of the `gil` build.
//!
//! The design follows CPython's (`Python/ceval_gil.c`), rebuilt on the [`shim`](crate::shim)
//! mutex and condition variables:
//!
//! * The GIL is a flag (`locked`) and the holder's identity, under a small mutex; waiters sleep
//!   on a condition variable.
//! * A thread that wants the GIL waits on that condition variable for up to the *switch
//!   interval* (default 5 ms). If the interval passes with the GIL still held and without any
//!   change of holder meanwhile, it sets the *drop request*: an atomic flag that the holder's
//!   eval breaker polls with one relaxed load ([`Gil::drop_requested`]).
//! * The holder that sees the request calls [`Gil::yield_if_requested`]: it releases the GIL,
//!   waits until another thread has taken it (a *forced switch*: without this the releasing
//!   thread, already running, would usually take it back before the woken waiter is
//!   scheduled), then queues for it again like any other thread.
//! * Every change of holder bumps a switch number (which the waiters' timeout logic and the
//!   forced switch watch), counts [`Event::GilSwitch`] and is
//!   traced (`target: "weft::gil"`). Taking the GIL clears the drop request.
//!
//! Under loom there is no timed wait: a waiter sets the drop request at once, then waits.
//!
//! A Rust thread holding the GIL must not block on anything another GIL-holding thread
//! provides without releasing it first; that is the caller's discipline, as in CPython.

use crate::shim::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::shim::{Condvar, Mutex, MutexGuard};
use crate::stats::{Event, count};
use std::time::Duration;

#[cfg(not(weft_loom))]
type ThreadId = std::thread::ThreadId;
#[cfg(weft_loom)]
type ThreadId = loom::thread::ThreadId;

fn current_thread() -> ThreadId {
    #[cfg(not(weft_loom))]
    {
        std::thread::current().id()
    }
    #[cfg(weft_loom)]
    {
        loom::thread::current().id()
    }
}

/// The default switch interval, as in CPython (`sys.getswitchinterval()` is 0.005).
pub const DEFAULT_SWITCH_INTERVAL: Duration = Duration::from_millis(5);

/// The shortest switch interval accepted; shorter requests are rounded up to it.
pub const MIN_SWITCH_INTERVAL: Duration = Duration::from_micros(1);

struct State {
    locked: bool,
    /// The thread that holds the GIL, or held it last.
    holder: Option<ThreadId>,
    /// Bumped on every change of holder.
    switch_number: u64,
    /// Threads blocked in `acquire` (waiting on `cond`).
    waiters: usize,
}

/// A global interpreter lock: at most one thread holds it; a holder is asked to let a waiting
/// thread in after the switch interval.
pub struct Gil {
    state: Mutex<State>,
    /// Signalled when the GIL is released (waiters wait here).
    cond: Condvar,
    /// Signalled when the holder changes (a thread forcing a switch waits here).
    switched: Condvar,
    /// Set by a waiter that waited a whole interval; cleared when the GIL is taken.
    drop_request: AtomicBool,
    interval_ns: AtomicU64,
}

impl Gil {
    /// An unlocked GIL with the default switch interval.
    #[cfg(not(weft_loom))]
    pub const fn new() -> Gil {
        Gil {
            state: Mutex::new(State {
                locked: false,
                holder: None,
                switch_number: 0,
                waiters: 0,
            }),
            cond: Condvar::new(),
            switched: Condvar::new(),
            drop_request: AtomicBool::new(false),
            interval_ns: AtomicU64::new(DEFAULT_SWITCH_INTERVAL.as_nanos() as u64),
        }
    }

    /// An unlocked GIL with the default switch interval.
    #[cfg(weft_loom)]
    pub fn new() -> Gil {
        Gil {
            state: Mutex::new(State {
                locked: false,
                holder: None,
                switch_number: 0,
                waiters: 0,
            }),
            cond: Condvar::new(),
            switched: Condvar::new(),
            drop_request: AtomicBool::new(false),
            interval_ns: AtomicU64::new(DEFAULT_SWITCH_INTERVAL.as_nanos() as u64),
        }
    }

    fn lock_state(&self) -> MutexGuard<'_, State> {
        // The state is consistent at every unlock (no code that can panic runs while a field
        // is half-updated), so a poisoned mutex is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Blocks until the current thread holds the GIL.
    ///
    /// The current thread must not hold it already (checked in debug builds).
    pub fn acquire(&self) {
        let st = self.lock_state();
        let st = self.take(st);
        drop(st);
    }

    /// Waits for `locked` to be clear, then takes the GIL. Called with the state locked.
    fn take<'a>(&'a self, mut st: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        let me = current_thread();
        debug_assert!(
            !(st.locked && st.holder == Some(me)),
            "Gil::acquire by the thread that holds it"
        );
        if st.locked {
            st.waiters += 1;
            while st.locked {
                st = self.wait_for_release(st);
            }
            st.waiters -= 1;
        }
        st.locked = true;
        if st.holder != Some(me) {
            let previous = st.holder.replace(me);
            st.switch_number = st.switch_number.wrapping_add(1);
            self.switched.notify_all();
            if previous.is_some() {
                count(Event::GilSwitch);
                tracing::trace!(target: "weft::gil", switch = st.switch_number, "GIL switch");
            }
        }
        self.drop_request.store(false, Ordering::Relaxed);
        st
    }

    /// One wait of a thread that wants the GIL: up to the switch interval, then the drop
    /// request if nobody got the GIL meanwhile.
    #[cfg(not(weft_loom))]
    fn wait_for_release<'a>(&'a self, st: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        let before = st.switch_number;
        let (st, res) = self
            .cond
            .wait_timeout(st, self.switch_interval())
            .unwrap_or_else(|e| e.into_inner());
        if res.timed_out() && st.locked && st.switch_number == before {
            self.drop_request.store(true, Ordering::Relaxed);
            crate::breaker::request_all();
        }
        st
    }

    /// One wait of a thread that wants the GIL (loom: no timed waits, so ask at once).
    #[cfg(weft_loom)]
    fn wait_for_release<'a>(&'a self, st: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.drop_request.store(true, Ordering::Relaxed);
        self.cond.wait(st).unwrap_or_else(|e| e.into_inner())
    }

    /// Releases the GIL. The current thread must hold it (checked in debug builds).
    pub fn release(&self) {
        let mut st = self.lock_state();
        self.release_locked(&mut st);
    }

    fn release_locked(&self, st: &mut State) {
        debug_assert!(st.locked, "Gil::release of a GIL nobody holds");
        debug_assert_eq!(
            st.holder,
            Some(current_thread()),
            "Gil::release by a thread that does not hold it"
        );
        st.locked = false;
        if st.waiters > 0 {
            self.cond.notify_one();
        }
    }

    /// Whether a waiting thread asked the holder to let it in: one relaxed load, for the eval
    /// breaker to poll.
    #[inline]
    pub fn drop_requested(&self) -> bool {
        self.drop_request.load(Ordering::Relaxed)
    }

    /// If a waiter asked for the GIL, lets another thread take it, then takes it back.
    ///
    /// The caller must hold the GIL. Returns `true` if the GIL changed hands (and this thread
    /// holds it again), `false` if there was no request or nobody left to hand it to.
    pub fn yield_if_requested(&self) -> bool {
        if !self.drop_requested() {
            return false;
        }
        let mut st = self.lock_state();
        if st.waiters == 0 {
            // A request with nobody waiting is stale (requests are set and cleared under the
            // state lock, so this is defensive): clear it and keep the GIL.
            debug_assert!(st.locked && st.holder == Some(current_thread()));
            self.drop_request.store(false, Ordering::Relaxed);
            return false;
        }
        let before = st.switch_number;
        self.release_locked(&mut st);
        // Forced switch: a waiter exists and waiters never give up, so some other thread will
        // take the GIL and bump the switch number; only then queue for it again.
        while st.switch_number == before {
            st = self.switched.wait(st).unwrap_or_else(|e| e.into_inner());
        }
        drop(self.take(st));
        true
    }

    /// Sets the switch interval (rounded up to [`MIN_SWITCH_INTERVAL`]); waits that already
    /// started keep the old one.
    pub fn set_switch_interval(&self, d: Duration) {
        let ns = d.max(MIN_SWITCH_INTERVAL).as_nanos().min(u64::MAX as u128) as u64;
        self.interval_ns.store(ns, Ordering::Relaxed);
    }

    /// The switch interval: how long a waiter waits before it asks the holder to drop the GIL.
    pub fn switch_interval(&self) -> Duration {
        Duration::from_nanos(self.interval_ns.load(Ordering::Relaxed))
    }

    /// Whether some thread holds the GIL. A momentary snapshot.
    pub fn is_locked(&self) -> bool {
        self.lock_state().locked
    }
}

impl Default for Gil {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Gil {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.lock_state();
        f.debug_struct("Gil")
            .field("locked", &st.locked)
            .field("waiters", &st.waiters)
            .field("switch_number", &st.switch_number)
            .field("drop_requested", &self.drop_requested())
            .field("switch_interval", &self.switch_interval())
            .finish()
    }
}

/// The process-wide GIL.
#[cfg(not(weft_loom))]
pub fn global() -> &'static Gil {
    static GLOBAL: Gil = Gil::new();
    &GLOBAL
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    // Single-threaded only: the stats unit test in this binary expects no GIL switches.
    use super::*;

    #[test]
    fn acquire_release_single_thread() {
        let g = Gil::new();
        assert!(!g.is_locked());
        g.acquire();
        assert!(g.is_locked());
        assert!(!g.drop_requested());
        assert!(!g.yield_if_requested());
        g.release();
        assert!(!g.is_locked());
        g.acquire();
        g.release();
    }

    #[test]
    fn switch_interval_default_and_set() {
        let g = Gil::new();
        assert_eq!(g.switch_interval(), Duration::from_millis(5));
        g.set_switch_interval(Duration::from_micros(250));
        assert_eq!(g.switch_interval(), Duration::from_micros(250));
        g.set_switch_interval(Duration::ZERO);
        assert_eq!(g.switch_interval(), MIN_SWITCH_INTERVAL);
    }

    #[test]
    fn stale_request_without_waiters_is_dropped() {
        let g = Gil::new();
        g.acquire();
        g.drop_request.store(true, Ordering::Relaxed);
        assert!(!g.yield_if_requested());
        assert!(!g.drop_requested());
        assert!(g.is_locked());
        g.release();
    }

    #[test]
    fn global_is_one_gil() {
        assert!(std::ptr::eq(global(), global()));
    }
}
