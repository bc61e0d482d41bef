//! The sequence word of a seqlock: lock-free readers, writers that claim the entry with a CAS
//! and give up rather than wait. The protected data lives beside it in the user's struct, as
//! `Relaxed` atomics; this type owns the protocol (orderings and fences), so every seqlocked
//! cache in weft (the specialization sites, the type attribute cache) uses one checked
//! implementation (`tests/loom_seqlock.rs` model-checks it).
//!
//! ```text
//! reader:  s = begin()?;  load the data (Relaxed);  if validate(s) { use it }
//! writer:  s = try_claim()?;  store the data (Relaxed);  publish(s)
//! ```
//!
//! A reader that validates saw every data word from one and the same write: the Acquire load
//! in `begin` pairs with the Release store in `publish`, and the Acquire fence in `validate`
//! orders its data loads before the second sequence load, which would see the odd value (or a
//! later one) of any write that overlapped them. A writer makes its odd sequence number
//! visible before any of its data stores (the Release fence after the claiming CAS).

use crate::shim::atomic::{AtomicU32, Ordering, fence};

/// The sequence word. Even: stable; odd: a writer is inside.
#[derive(Debug, Default)]
pub struct SeqLock {
    seq: AtomicU32,
}

impl SeqLock {
    /// A new, stable sequence word.
    #[cfg(not(weft_loom))]
    pub const fn new() -> SeqLock {
        SeqLock {
            seq: AtomicU32::new(0),
        }
    }

    /// A new, stable sequence word.
    #[cfg(weft_loom)]
    pub fn new() -> SeqLock {
        SeqLock {
            seq: AtomicU32::new(0),
        }
    }

    /// Starts a read: the sequence number to validate against, or `None` while a writer is
    /// inside (the reader then takes its slow path).
    #[inline]
    pub fn begin(&self) -> Option<u32> {
        let s = self.seq.load(Ordering::Acquire);
        (s & 1 == 0).then_some(s)
    }

    /// Ends a read started with `s`: whether the data loaded since `begin` is one write's.
    #[inline]
    pub fn validate(&self, s: u32) -> bool {
        fence(Ordering::Acquire);
        self.seq.load(Ordering::Relaxed) == s
    }

    /// Claims the entry for a write, or `None` when another writer holds it (the caller skips
    /// its write: seqlocked data in weft is always a cache).
    #[inline]
    pub fn try_claim(&self) -> Option<u32> {
        let s = self.seq.load(Ordering::Relaxed);
        if s & 1 != 0 {
            return None;
        }
        self.seq
            .compare_exchange(s, s.wrapping_add(1), Ordering::Acquire, Ordering::Relaxed)
            .ok()?;
        // The odd sequence number is visible before any of the caller's data stores.
        fence(Ordering::Release);
        Some(s)
    }

    /// Publishes the write claimed with `s`.
    #[inline]
    pub fn publish(&self, s: u32) {
        self.seq.store(s.wrapping_add(2), Ordering::Release);
    }
}
