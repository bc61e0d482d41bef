//! The eval breaker: one word that tells running threads to stop at their next check point.
//!
//! The eval loop polls at every call and backward jump. Everything a check point may have to
//! do is asked for by someone who first sets its own flag (a GIL drop request, a snapshot
//! request, a QSBR sequence advance or a hand-over of orphans, an object queued to its owner)
//! and then calls [`request_all`], or, for the calling thread's own pending work
//! (retirements it must collect), [`request_local`]. So a check point with nothing asked of it
//! is [`poll`]: one load of a global epoch and one of a thread-local copy, compared.
//!
//! ## Why no request is lost
//! `request_all` increments `EPOCH` with release ordering after the requester set its flag.
//! `poll` loads it with acquire ordering; when it differs from the thread's `SEEN`, it stores
//! the new value and returns `true`, and the caller's slow path reads every flag. A request
//! whose increment the poll did not see leaves `EPOCH != SEEN`, so the next poll takes the slow
//! path; a request whose increment it saw has its flag visible to the slow path (acquire pairs
//! with release). Either way the flag is read at most one check point late.
//!
//! Under `--cfg weft_loom` `poll` always returns `true`: the models check the slow paths
//! themselves, at every check point, as before this module existed.

#[cfg(not(weft_loom))]
use std::cell::Cell;
#[cfg(not(weft_loom))]
use std::sync::atomic::{AtomicU64, Ordering};

/// Starts at 1, and `SEEN` at 0: a thread's first poll takes the slow path.
#[cfg(not(weft_loom))]
static EPOCH: AtomicU64 = AtomicU64::new(1);

#[cfg(not(weft_loom))]
std::thread_local! {
    /// The epoch this thread's last slow path started from (0: run it at the next poll).
    static SEEN: Cell<u64> = const { Cell::new(0) };
}

/// Whether the calling thread's check point must run its slow path; if so, the request is
/// taken (the next poll returns `false` unless something new is asked).
#[inline(always)]
pub fn poll() -> bool {
    #[cfg(not(weft_loom))]
    {
        let e = EPOCH.load(Ordering::Acquire);
        // During thread teardown the slot may be gone: take the slow path.
        match SEEN.try_with(|s| s.replace(e)) {
            Ok(seen) => seen != e,
            Err(_) => true,
        }
    }
    #[cfg(weft_loom)]
    {
        true
    }
}

/// Asks every thread to run its check point's slow path once, soon. Call it after setting the
/// flag that the slow path reads.
#[inline]
pub fn request_all() {
    #[cfg(not(weft_loom))]
    EPOCH.fetch_add(1, Ordering::Release);
}

/// Asks the calling thread to run its check point's slow path at its next check point (for
/// its own pending work).
#[inline]
pub fn request_local() {
    #[cfg(not(weft_loom))]
    let _ = SEEN.try_with(|s| s.set(0));
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;

    #[test]
    fn requests_are_seen_once() {
        // Whatever other tests in this process asked, a poll settles it.
        let _ = poll();
        assert!(!poll(), "nothing asked since the last poll");
        request_local();
        assert!(poll());
        assert!(!poll());
        request_all();
        assert!(poll());
    }

    #[test]
    fn a_request_from_another_thread_is_seen() {
        let _ = poll();
        std::thread::spawn(request_all).join().unwrap();
        assert!(poll());
        // The other thread's first poll takes the slow path, whatever was asked.
        assert!(std::thread::spawn(poll).join().unwrap());
    }
}
