//! # weft-sync — layer 0 of the weft runtime
//!
//! * [`shim`]: the single switch between `std` and `loom` primitives (build with
//!   `RUSTFLAGS="--cfg weft_loom"` to model-check everything above it).
//! * [`RawMutex`] / [`Mutex`]: the per-object lock. A 32-bit futex word
//!   ([`atomic-wait`](https://docs.rs/atomic-wait)), one CAS on the fast path, bounded spinning with
//!   backoff, then parking; a waiter that has waited over 1 ms is handed the lock so no waiter
//!   starves. It implements [`lock_api::RawMutex`], so `lock_api::Mutex<RawMutex, T>` works.
//! * [`gil`]: the global interpreter lock used by the `gil` build, with a switch interval and a
//!   drop request read by the eval breaker.
//! * [`fd`]: unbuffered writes to the standard streams' descriptors.
//! * [`signals`]: the process's OS signal handler (records the signal, wakes the main thread,
//!   trips the eval breaker) and the waits that wake up for it.
//! * [`stats`]: per-thread event counters (contended locks, parks, handoffs, merges, ...) that are
//!   summed on demand; `WEFT_STATS=1` in the CLI prints them.
//!
//! ## Variants
//! The crate is compiled in one of two variants, chosen by cargo features: the default `gil`
//! build and the free-threaded `nogil` build. The mutex is real in both (Rust callers may use it
//! anywhere); what changes between variants is whether *object* locks (weft-object's critical
//! sections) use it. [`VARIANT`] names the compiled variant.

#[cfg(feature = "mimalloc")]
pub mod alloc;
pub mod breaker;
pub mod fd;
pub mod gil;
pub mod mutex;
pub mod qsbr;
pub mod seqlock;
pub mod shim;
pub mod signals;
pub mod stats;

pub use mutex::{Mutex, MutexGuard, RawMutex};

/// loom, for the expansions of the shim macros ([`shim_static!`], [`shim_thread_local!`]) in
/// the crates above.
#[cfg(weft_loom)]
#[doc(hidden)]
pub use loom as __loom;

/// `true` in the free-threaded (`nogil`) build.
pub const NOGIL: bool = cfg!(feature = "nogil");

/// The compiled variant: `"gil"` or `"nogil"`.
pub const VARIANT: &str = if NOGIL { "nogil" } else { "gil" };
