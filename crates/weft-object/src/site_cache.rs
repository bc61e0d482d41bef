//! Per-instruction caches for the specializing eval loop: one [`Site`] per instruction that
//! can specialize, shared by every thread that runs the code.
//!
//! A site remembers what one instruction found the last time it specialized, keyed by the
//! **type version tag** of the object it ran on (see [`crate::TypeObject::version_tag`]): a `data`
//! word (for example the index of an attribute in a class's shared keys) and optionally a
//! *strong* reference (for example the function a method call resolves to). While the type's
//! tag is unchanged, the class dicts along its MRO are unchanged, so the cached answer is still
//! the answer; tags are never reused, so an entry filled for an old state never matches again.
//!
//! # Concurrency (the rule for every specialized instruction)
//!
//! * **Readers** are lock-free, in both builds: a seqlock ([`weft_sync::seqlock::SeqLock`],
//!   model-checked with loom). Load `seq` (Acquire; odd = a writer
//!   is inside), the key and the payload; take a reference to the payload's object if there is
//!   one; then load `seq` again after an Acquire fence and keep the result only when it is
//!   unchanged. So a reader never acts on a half-written entry.
//! * **Writers** (a thread that specializes) claim the entry by CASing `seq` from even to odd;
//!   a writer that loses the race simply does not specialize this time. They store the key and
//!   payload and publish with `seq + 2` (Release).
//! * **An entry never holds a borrowed pointer**: the object it names is a strong reference
//!   the entry owns. The reference a writer replaces is released through QSBR in the nogil
//!   build (a reader that loaded the old pointer has passed no quiescent point, so the object
//!   is alive when it takes its reference; the seqlock check then discards it) and at once in
//!   the gil build (readers and writers hold the GIL, and no reader is between its load and
//!   its reference while a writer runs).
//!
//! # Adaptivity
//!
//! Each site has a countdown: a miss decrements it and asks to specialize only when it reaches
//! zero. A specialization that fails (the instruction's operands are not of a kind it handles)
//! doubles the countdown's reload, up to [`MAX_BACKOFF`], so a polymorphic site stops paying
//! for attempts (exponential backoff, as PEP 659). A success resets it.

use std::ptr::NonNull;
use weft_sync::shim::atomic::{AtomicPtr, AtomicU32, Ordering};

use weft_sync::seqlock::SeqLock;

use crate::object::{ObjRef, Object};

/// The longest wait (in misses) between two attempts to specialize a site.
pub const MAX_BACKOFF: u32 = 1 << 12;

/// Misses before the first attempt: a site specializes on its second miss, after the generic
/// path ran once.
const FIRST_WAIT: u32 = 1;

/// One instruction's cache. See the module docs.
pub struct Site {
    lock: SeqLock,
    /// The type version tag the entry is for; 0 = empty.
    version: AtomicU32,
    /// What the instruction needs besides the object (an index, a kind).
    data: AtomicU32,
    /// A strong reference owned by the entry, or null.
    value: AtomicPtr<Object>,
    /// Low 16 bits: misses left before the next attempt; high 16 bits: the backoff exponent.
    counter: AtomicU32,
}

impl Default for Site {
    fn default() -> Self {
        Site::new()
    }
}

/// What a site holds for the version asked for.
pub struct Hit {
    /// The entry's data word.
    pub data: u32,
    /// A new reference to the entry's object, if it has one.
    pub value: Option<ObjRef>,
}

impl Site {
    weft_sync::shim_const_fn! {
        /// An empty site (`const` except under loom).
        pub fn new() -> Site {
            Site {
                lock: SeqLock::new(),
                version: AtomicU32::new(0),
                data: AtomicU32::new(0),
                value: AtomicPtr::new(std::ptr::null_mut()),
                counter: AtomicU32::new(FIRST_WAIT),
            }
        }
    }

    /// The entry's data word and object, when the site was filled for `version` (non-zero).
    #[inline]
    pub fn read(&self, version: u32) -> Option<Hit> {
        let s1 = self.lock.begin()?;
        if self.version.load(Ordering::Relaxed) != version || version == 0 {
            return None;
        }
        let data = self.data.load(Ordering::Relaxed);
        let p = self.value.load(Ordering::Relaxed);
        // SAFETY: `p` was a strong reference owned by the entry when loaded; a writer that
        // replaced it since released it through QSBR (nogil), and this thread has passed no
        // quiescent point since, or could not run concurrently (gil). So it is alive.
        let value = (!p.is_null()).then(|| unsafe { &*p }.to_ref());
        self.lock.validate(s1).then_some(Hit { data, value })
    }

    /// Like [`read`](Self::read) for entries without an object: only the data word, no
    /// reference taken.
    #[inline]
    pub fn read_data(&self, version: u32) -> Option<u32> {
        self.read_entry()
            .and_then(|(v, data)| (v == version).then_some(data))
    }

    /// The entry's version and data word, whatever the version (`None` when empty), for
    /// instructions whose guard is not a single version (they check it themselves).
    #[inline]
    pub fn read_entry(&self) -> Option<(u32, u32)> {
        let s1 = self.lock.begin()?;
        let version = self.version.load(Ordering::Relaxed);
        let data = self.data.load(Ordering::Relaxed);
        (self.lock.validate(s1) && version != 0).then_some((version, data))
    }

    /// Counts a miss; `true` when it is time to try to specialize.
    #[inline]
    pub fn should_specialize(&self) -> bool {
        // Relaxed read-modify-write by load and store: a lost update between threads only
        // shifts when the next attempt happens.
        let c = self.counter.load(Ordering::Relaxed);
        let left = c & 0xFFFF;
        if left > 0 {
            self.counter.store(c - 1, Ordering::Relaxed);
            return false;
        }
        true
    }

    /// Records a failed attempt: wait twice as long (up to [`MAX_BACKOFF`]) before the next.
    pub fn backoff(&self) {
        let c = self.counter.load(Ordering::Relaxed);
        let exp = ((c >> 16) + 1).min(MAX_BACKOFF.trailing_zeros());
        self.counter
            .store((exp << 16) | ((1 << exp) - 1), Ordering::Relaxed);
    }

    /// Fills the entry for `version` with `data` and `value` (the entry takes the reference).
    /// Does nothing when another thread is filling it at the same moment.
    pub fn fill(&self, version: u32, data: u32, value: Option<ObjRef>) {
        self.counter.store(FIRST_WAIT, Ordering::Relaxed);
        let new = value.map_or(std::ptr::null_mut(), |v| v.into_raw().as_ptr());
        if !self.write(version, data, new)
            && let Some(new) = NonNull::new(new)
        {
            // Not claimed: the reference was never published; give it back.
            // SAFETY: made by `into_raw` just above and never shared.
            drop(unsafe { ObjRef::from_raw(new) });
        }
    }

    /// Empties the entry (deoptimisation), releasing its object as [`fill`](Self::fill) does.
    pub fn clear(&self) {
        self.write(0, 0, std::ptr::null_mut());
    }

    /// The seqlock's write side: claims the entry (CAS of `seq` from even to odd), stores the
    /// key and the payload, publishes with `seq + 2`, then releases the replaced reference.
    /// `false` (nothing written) when another writer holds the entry.
    fn write(&self, version: u32, data: u32, new: *mut Object) -> bool {
        let Some(s) = self.lock.try_claim() else {
            return false;
        };
        self.version.store(version, Ordering::Relaxed);
        self.data.store(data, Ordering::Relaxed);
        let old = self.value.swap(new, Ordering::Relaxed);
        self.lock.publish(s);
        if let Some(old) = NonNull::new(old) {
            crate::type_cache::variant::release(old);
        }
        true
    }

    /// The type version tag the entry is filled for (0 = empty); for tests and `dis`.
    pub fn version(&self) -> u32 {
        self.version.load(Ordering::Acquire)
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        // `&mut self`: a relaxed load reads the last store (loom has no `get_mut`).
        if let Some(old) = NonNull::new(self.value.load(Ordering::Relaxed)) {
            // SAFETY: the entry owns this reference, and with `&mut self` no reader can be
            // inside the entry.
            drop(unsafe { ObjRef::from_raw(old) });
        }
    }
}

impl std::fmt::Debug for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Site")
            .field("version", &self.version())
            .field("data", &self.data.load(Ordering::Relaxed))
            .finish()
    }
}
