//! Quiescent-state-based reclamation (QSBR): freeing memory that lock-free readers may still
//! be looking at, once every such reader has provably stopped looking.
//!
//! Lock-free readers (list item reads, dict lookups) load pointers out of shared structures
//! without taking the structure's lock. A writer that unlinks a piece of memory (a replaced
//! item buffer, a removed item's reference) therefore cannot free it at once: a reader may have
//! loaded the pointer just before the unlink. The writer *retires* it instead ([`retire`]), and
//! it is freed once every thread that might hold the pointer has passed a *quiescent point*: a
//! moment at which the thread holds no pointer it read lock-free before that moment.
//!
//! # The protocol
//! * A domain ([`Domain`]; the process has one global domain behind the free functions) keeps a
//!   *write sequence*, a `u64` that only grows.
//! * Each participating thread has a *record* holding the last sequence value it observed at a
//!   quiescent point, or `u64::MAX` while it is *offline* (it holds no such pointers and takes
//!   none until it comes back [`online`]).
//! * [`retire`] appends the pointer to a thread-local list: no atomic operation, no shared
//!   cache line. At the thread's next quiescent point (or [`reclaim_now`], [`poll`]) the new
//!   items are *tagged*: one atomic increment of the write sequence, whose new value is the tag
//!   of every item retired since the last increment. The increment comes after the unlinks in
//!   program order and is a release, so a thread that later observes a value ≥ the tag also
//!   observes the unlinks.
//! * [`quiescent`] loads the write sequence (acquire) and stores it in the thread's record
//!   (release; skipped when unchanged). Hot path: one load, one compare, at most one store to a
//!   line only this thread writes, and a check of a thread-local "has pending items" count.
//! * An item with tag `t` is freed once the minimum over all records is ≥ `t`: every online
//!   thread passed a quiescent point after observing the unlink (so it can no longer reach the
//!   item), and every other thread was offline. The minimum is computed by scanning the records
//!   (a short append-only list) after a `SeqCst` fence.
//! * [`online`] stores the current sequence in the record and then issues a `SeqCst` fence; a
//!   scan fences before reading the records. Either the scan's fence comes first in the fences'
//!   total order (then every unlink the scanning thread knows about is visible to the new
//!   reader), or the online fence does (then the scan sees the record and waits for it).
//!
//! # Threads that block or exit
//! A thread going [`offline`] (a detached thread: blocked, waiting for the GIL, in native code)
//! no longer holds back reclamation, and hands the items it retired but could not free yet to a
//! global list that every thread drains at its own reclamation points. A thread that exits does
//! the same from its thread-local destructor: nothing is leaked and nothing waits on a thread
//! that is not running. Neither [`offline`] nor thread exit runs free functions themselves
//! (free functions may run arbitrary code, such as destructors that need other thread-locals).
//!
//! # Why not crossbeam-epoch
//! Epoch-based reclamation asks every reader to *pin* (a store and a fence, or a counter
//! increment) around each read and to unpin afterwards. weft's threads already have natural
//! quiescent points — the eval breaker's check point, attach and detach — at which they hold
//! no borrowed pointers, so QSBR makes the read path free: a reader does nothing at all beyond
//! its loads. Owning the mechanism also lets it follow weft's attach state (detached threads
//! are offline and never hold garbage hostage, exited threads hand their garbage over) and keep
//! its atomics in the [`shim`](crate::shim), so the protocol is model-checked by loom.
//!
//! # Contract for callers
//! * A thread that reads lock-free must be [`online`] for the whole read, and must not keep a
//!   pointer obtained that way across a call to [`quiescent`] or [`offline`] (it must take a
//!   reference first, or drop the pointer).
//! * Free functions run later, on any thread, at a reclamation point of some thread
//!   ([`quiescent`], [`reclaim_now`], [`poll`]) — never inside [`retire`], [`online`],
//!   [`offline`] or a thread exit, so retiring inside a critical section is fine.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

use crate::shim::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering, fence};
use crate::shim::{Arc, Mutex, MutexGuard};

/// The record value of a thread that is offline.
const OFFLINE: u64 = u64::MAX;

/// While items are pending, a quiescent point tags and scans only on every `SCAN_INTERVAL`-th
/// call (a tag is a write to the shared sequence, a scan touches one cache line per thread),
/// unless the backlog is above `HIGH_WATER`.
const SCAN_INTERVAL: u32 = 8;
/// Backlog above which every quiescent point scans.
const HIGH_WATER: usize = 1024;
/// Backlog at which [`poll`] reclaims (and, offline, hands what is left to the global list).
const POLL_THRESHOLD: usize = 64;

/// A retired pointer, its free function and its tag (0: not tagged yet).
struct Retired {
    ptr: *mut (),
    free: unsafe fn(*mut ()),
    tag: u64,
}

// SAFETY: `retire`'s contract makes `free(ptr)` callable on any thread, and nothing else is
// done with `ptr`.
unsafe impl Send for Retired {}

impl Retired {
    /// Calls the free function.
    ///
    /// # Safety
    /// Every thread that could hold `ptr` has passed a quiescent point after it was tagged, or
    /// went offline (the reclamation condition), and this is the only call for this item.
    unsafe fn free(self) {
        // SAFETY: forwarded; `retire`'s caller promised that `free(ptr)` is sound then.
        unsafe { (self.free)(self.ptr) }
    }
}

/// One thread's record: its last observed sequence ([`OFFLINE`] when offline or unused).
struct Record {
    seq: AtomicU64,
    /// Claimed by a live participant.
    in_use: AtomicBool,
    /// The next record; written once before the record is published, never changed.
    next: *mut Record,
}

/// A reclamation domain: a write sequence, the participants' records and the items handed over
/// by threads that went offline or exited. The process-wide domain behind [`retire`],
/// [`quiescent`] and friends is [`Domain::global`]; separate domains are for tests and models. Threads join a domain
/// through [`Participant::new`].
pub struct Domain {
    seq: AtomicU64,
    /// Head of the append-only list of records (records are reused, freed with the domain).
    records: AtomicPtr<Record>,
    /// Items handed over by threads that went offline or exited.
    orphans: Mutex<Vec<Retired>>,
    /// `orphans.len()`, readable without the lock (the quiescent fast path checks it).
    orphan_count: AtomicUsize,
}

// SAFETY: `records` nodes are only read through atomics (and the immutable `next` field,
// published by the release CAS that links the node), `orphans` is behind a mutex, and the
// retired pointers may be freed on any thread (see `Retired`'s Send impl).
unsafe impl Sync for Domain {}
// SAFETY: as above; the domain owns its record nodes.
unsafe impl Send for Domain {}

impl std::fmt::Debug for Domain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Domain")
            .field("seq", &self.seq.load(Ordering::Relaxed))
            .field("orphans", &self.orphan_count.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Domain {
    /// A new, empty domain.
    pub fn new() -> Arc<Domain> {
        Arc::new(Domain {
            seq: AtomicU64::new(1),
            records: AtomicPtr::new(ptr::null_mut()),
            orphans: Mutex::new(Vec::new()),
            orphan_count: AtomicUsize::new(0),
        })
    }

    /// The process-wide domain (one per model execution under loom).
    pub fn global() -> Arc<Domain> {
        #[cfg(not(weft_loom))]
        {
            static GLOBAL: std::sync::OnceLock<Arc<Domain>> = std::sync::OnceLock::new();
            GLOBAL.get_or_init(Domain::new).clone()
        }
        #[cfg(weft_loom)]
        {
            loom::lazy_static! {
                static ref GLOBAL: Arc<Domain> = Domain::new();
            }
            GLOBAL.clone()
        }
    }

    /// Items handed over by threads that went offline or exited, not yet freed.
    pub fn orphaned(&self) -> usize {
        self.orphan_count.load(Ordering::Relaxed)
    }

    /// The current write sequence (for diagnostics and tests).
    pub fn sequence(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    fn claim_record(&self) -> NonNull<Record> {
        let mut p = self.records.load(Ordering::Acquire);
        while let Some(r) = NonNull::new(p) {
            // SAFETY: records live as long as the domain, which `self` keeps alive.
            let rec = unsafe { r.as_ref() };
            if !rec.in_use.load(Ordering::Relaxed)
                && rec
                    .in_use
                    .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
            {
                // A released record is offline (its last owner stored OFFLINE before
                // releasing it with a release store, which our acquire CAS read).
                return r;
            }
            p = rec.next;
        }
        let node = Box::into_raw(Box::new(Record {
            seq: AtomicU64::new(OFFLINE),
            in_use: AtomicBool::new(true),
            next: ptr::null_mut(),
        }));
        let mut head = self.records.load(Ordering::Acquire);
        loop {
            // SAFETY: `node` is ours until the CAS below publishes it.
            unsafe { (*node).next = head };
            match self.records.compare_exchange_weak(
                head,
                node,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                // SAFETY: Box::into_raw is never null.
                Ok(_) => return unsafe { NonNull::new_unchecked(node) },
                Err(h) => head = h,
            }
        }
    }

    /// Advances the write sequence; the new value tags everything the calling thread retired
    /// (and unlinked) before this call.
    fn advance(&self) -> u64 {
        // Release: a thread whose acquire load reads this value (or a later one: every later
        // modification is an RMW, so it continues the release sequence) sees our unlinks.
        let s = self.seq.fetch_add(1, Ordering::AcqRel) + 1;
        // Every online thread must observe the new value at its next quiescent point.
        crate::breaker::request_all();
        s
    }

    /// The minimum over the records: items with a tag at most this are safe to free.
    fn min_observed(&self) -> u64 {
        // Pairs with the fence in `Participant::online` (see the module docs).
        fence(Ordering::SeqCst);
        let mut min = OFFLINE;
        let mut p = self.records.load(Ordering::Acquire);
        while !p.is_null() {
            // SAFETY: records live as long as the domain.
            let rec = unsafe { &*p };
            // Acquire: everything the thread did before its quiescent point (or before going
            // offline) happens before the frees this scan allows.
            min = min.min(rec.seq.load(Ordering::Acquire));
            p = rec.next;
        }
        min
    }

    fn lock_orphans(&self) -> MutexGuard<'_, Vec<Retired>> {
        self.orphans.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hands tagged items to the global list.
    fn adopt(&self, items: impl IntoIterator<Item = Retired>) {
        let mut o = self.lock_orphans();
        let before = o.len();
        o.extend(items);
        let added = o.len() - before;
        if added > 0 {
            self.orphan_count.fetch_add(added, Ordering::Relaxed);
            crate::breaker::request_all();
        }
    }

    /// Moves the orphans whose tag is at most `min` into `out`.
    fn take_ready_orphans(&self, min: u64, out: &mut Vec<Retired>) {
        if self.orphan_count.load(Ordering::Relaxed) == 0 {
            return;
        }
        let mut o = self.lock_orphans();
        let before = out.len();
        let mut i = 0;
        while i < o.len() {
            if o[i].tag <= min {
                out.push(o.swap_remove(i));
            } else {
                i += 1;
            }
        }
        let taken = out.len() - before;
        if taken > 0 {
            self.orphan_count.fetch_sub(taken, Ordering::Relaxed);
        }
    }

    /// Retires on behalf of a thread that has no participant (its thread-local state is
    /// gone): tags at once and hands the item to the global list.
    fn retire_orphan(&self, ptr: *mut (), free: unsafe fn(*mut ())) {
        let tag = self.advance();
        self.adopt([Retired { ptr, free, tag }]);
    }
}

impl Drop for Domain {
    fn drop(&mut self) {
        // No participant is left (each holds an `Arc` to the domain), so nobody holds any
        // retired pointer: free what was handed over, then the records.
        let orphans = std::mem::take(&mut *self.lock_orphans());
        for r in orphans {
            // SAFETY: no thread participates any more; each item is freed once.
            unsafe { r.free() };
        }
        let mut p = self.records.load(Ordering::Acquire);
        while !p.is_null() {
            // SAFETY: the records were allocated by `claim_record` with `Box::new` and are
            // reachable only from this list, which nobody else can read any more.
            let b = unsafe { Box::from_raw(p) };
            p = b.next;
        }
    }
}

/// A participant's retired items: `open` (retired since the last advance, untagged) and
/// `tagged` (in non-decreasing tag order).
struct Local {
    open: Vec<Retired>,
    tagged: VecDeque<Retired>,
}

/// One thread's membership in a [`Domain`]. Not `Send`: it stands for the thread that made it.
/// Dropping it is the thread's exit: it goes offline and hands its items to the domain.
pub struct Participant {
    domain: Arc<Domain>,
    rec: NonNull<Record>,
    online: Cell<bool>,
    local: RefCell<Local>,
    /// `open.len() + tagged.len()`, readable without borrowing `local`.
    pending: Cell<usize>,
    /// Quiescent points since the last scan (rate limit).
    polls: Cell<u32>,
    _not_send: PhantomData<*const ()>,
}

impl std::fmt::Debug for Participant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Participant")
            .field("online", &self.online.get())
            .field("pending", &self.pending.get())
            .finish_non_exhaustive()
    }
}

impl Participant {
    /// Makes the calling thread a participant of `domain` (offline until
    /// [`online`](Self::online)).
    pub fn new(domain: &Arc<Domain>) -> Participant {
        Participant {
            domain: domain.clone(),
            rec: domain.claim_record(),
            online: Cell::new(false),
            local: RefCell::new(Local {
                open: Vec::new(),
                tagged: VecDeque::new(),
            }),
            pending: Cell::new(0),
            polls: Cell::new(0),
            _not_send: PhantomData,
        }
    }

    fn rec(&self) -> &Record {
        // SAFETY: the record lives as long as the domain, which `self.domain` keeps alive.
        unsafe { self.rec.as_ref() }
    }

    /// The domain this participant belongs to.
    pub fn domain(&self) -> &Arc<Domain> {
        &self.domain
    }

    /// Whether the thread is online (may read lock-free).
    #[inline]
    pub fn is_online(&self) -> bool {
        self.online.get()
    }

    /// Items this thread retired that are not freed yet (not counting items it handed to the
    /// domain's global list).
    #[inline]
    pub fn pending(&self) -> usize {
        self.pending.get()
    }

    /// Takes part in reclamation from now on: until [`offline`](Self::offline) the thread may
    /// read lock-free, and retired memory waits for its quiescent points. Idempotent.
    pub fn online(&self) {
        if self.online.get() {
            return;
        }
        let s = self.domain.seq.load(Ordering::Acquire);
        self.rec().seq.store(s, Ordering::Release);
        // Pairs with the fence in `Domain::min_observed` (see the module docs): a scan either
        // sees this record, or everything it knew unlinked is visible to our later loads.
        fence(Ordering::SeqCst);
        self.online.set(true);
    }

    /// Stops taking part: the thread holds no pointer read lock-free and reads none until
    /// [`online`](Self::online). Its pending items go to the domain's global list (freed by
    /// other threads' reclamation points); no free function runs here. Idempotent.
    pub fn offline(&self) {
        if self.online.replace(false) {
            self.rec().seq.store(OFFLINE, Ordering::Release);
        }
        self.hand_over();
    }

    /// A quiescent point: the thread holds no pointer it read lock-free before this call.
    /// Also frees what has become safe to free (rate-limited while items wait on other
    /// threads). On an offline thread it only reclaims.
    #[inline]
    pub fn quiescent(&self) {
        if self.online.get() {
            self.observe();
        }
        if self.pending.get() != 0 || self.domain.orphan_count.load(Ordering::Relaxed) != 0 {
            self.quiescent_slow();
            // Come back at the next check point while work is left (as without the breaker).
            crate::breaker::request_local();
        }
    }

    #[inline]
    fn observe(&self) {
        let s = self.domain.seq.load(Ordering::Acquire);
        let rec = self.rec();
        // Skipping an unchanged value is sound: the earlier store of `s` already published
        // everything read before it, and nothing with a tag ≤ `s` can have been read since.
        if rec.seq.load(Ordering::Relaxed) != s {
            rec.seq.store(s, Ordering::Release);
        }
    }

    #[cold]
    fn quiescent_slow(&self) {
        let n = self.polls.get() + 1;
        if n < SCAN_INTERVAL && self.pending.get() < HIGH_WATER {
            self.polls.set(n);
            return;
        }
        self.polls.set(0);
        self.collect(true);
    }

    /// Retires `ptr`: `free(ptr)` will be called exactly once, on some thread, after every
    /// thread that was online passed a quiescent point (or went offline) after this call.
    ///
    /// # Safety
    /// * `ptr` is unreachable for new readers: it was unlinked from every shared structure
    ///   before this call (in this thread's program order).
    /// * `free(ptr)` is sound to call once, on any thread, once that condition holds, and
    ///   nothing else frees `ptr`.
    #[inline]
    pub unsafe fn retire(&self, ptr: *mut (), free: unsafe fn(*mut ())) {
        self.local
            .borrow_mut()
            .open
            .push(Retired { ptr, free, tag: 0 });
        self.pending.set(self.pending.get() + 1);
        crate::breaker::request_local();
    }

    /// Frees what is safe to free now, without declaring a quiescent point. Returns how many
    /// items were freed (this thread's and handed-over ones).
    pub fn reclaim_now(&self) -> usize {
        self.collect(false)
    }

    /// A cheap reclamation opportunity for code that just retired items outside any quiescent
    /// point: when this thread's backlog reaches a threshold, frees what is safe, and if the
    /// thread is offline hands the rest to the global list (so a thread that never passes a
    /// quiescent point does not accumulate garbage). Free functions may run: call it where
    /// running destructors is fine (no lock held that they might need, no borrow they might
    /// invalidate).
    #[inline]
    pub fn poll(&self) {
        if self.pending.get() >= POLL_THRESHOLD {
            self.poll_slow();
        }
    }

    #[cold]
    fn poll_slow(&self) {
        self.collect(false);
        if !self.online.get() && self.pending.get() >= POLL_THRESHOLD {
            self.hand_over();
        }
    }

    /// Tags the open items, optionally records a quiescent point, and frees the ready items
    /// (ours and handed-over ones). Returns the number freed.
    fn collect(&self, quiescent: bool) -> usize {
        let mut ready = Vec::new();
        {
            let mut local = self.local.borrow_mut();
            if !local.open.is_empty() {
                let tag = self.domain.advance();
                let Local { open, tagged } = &mut *local;
                tagged.extend(open.drain(..).map(|mut r| {
                    r.tag = tag;
                    r
                }));
            }
            if quiescent && self.online.get() {
                // We are at a quiescent point: observe the tag we just made, so that our own
                // record does not hold these items back.
                self.observe();
            }
            // The sequence before the scan bounds what the scan can vouch for: an orphan handed
            // over (and tagged) after it began may be held by a reader that came online after
            // the scan looked at its record, so only tags up to this value are judged by it.
            let seq_before_scan = self.domain.seq.load(Ordering::Acquire);
            let min = self.domain.min_observed();
            while local.tagged.front().is_some_and(|r| r.tag <= min) {
                ready.extend(local.tagged.pop_front());
            }
            self.pending.set(local.open.len() + local.tagged.len());
            self.domain
                .take_ready_orphans(min.min(seq_before_scan), &mut ready);
        }
        let n = ready.len();
        if n > 0 {
            tracing::trace!(target: "weft::qsbr", freed = n, "reclaim");
        }
        // The borrow of `local` is released: free functions may retire more.
        for r in ready {
            // SAFETY: tag ≤ the minimum over all records, taken after our fence: every online
            // thread passed a quiescent point after the tagging advance (which follows the
            // unlink), every other thread was offline; the item left every list above, so it
            // is freed once.
            unsafe { r.free() };
        }
        n
    }

    /// Tags the open items and hands every pending item to the domain's global list.
    fn hand_over(&self) {
        if self.pending.get() == 0 {
            return;
        }
        let items: Vec<Retired> = {
            let mut local = self.local.borrow_mut();
            if !local.open.is_empty() {
                let tag = self.domain.advance();
                for r in &mut local.open {
                    r.tag = tag;
                }
            }
            let Local { open, tagged } = &mut *local;
            tagged.drain(..).chain(open.drain(..)).collect()
        };
        self.pending.set(0);
        self.domain.adopt(items);
    }

    fn has_pending_work(&self) -> bool {
        self.pending.get() != 0 || self.domain.orphan_count.load(Ordering::Relaxed) != 0
    }
}

impl Drop for Participant {
    fn drop(&mut self) {
        self.online.set(false);
        self.rec().seq.store(OFFLINE, Ordering::Release);
        self.hand_over();
        // Release: our OFFLINE store happens before the next owner's claim.
        self.rec().in_use.store(false, Ordering::Release);
    }
}

// ---------------------------------------------------------------------------------------------
// The calling thread's participant in the global domain.

#[cfg(not(weft_loom))]
std::thread_local! {
    static LOCAL: std::cell::OnceCell<Participant> = const { std::cell::OnceCell::new() };
}
#[cfg(weft_loom)]
loom::thread_local! {
    static LOCAL: std::cell::OnceCell<Participant> = std::cell::OnceCell::new();
}

/// Runs `f` with the calling thread's participant (registering it on first use); `None` once
/// the thread's thread-local state has been destroyed (thread exit).
#[inline]
fn with_local<R>(f: impl FnOnce(&Participant) -> R) -> Option<R> {
    LOCAL
        .try_with(|c| f(c.get_or_init(|| Participant::new(&Domain::global()))))
        .ok()
}

/// Runs `f` with the calling thread's participant if it has one already.
#[inline]
fn with_existing<R>(f: impl FnOnce(&Participant) -> R) -> Option<R> {
    LOCAL.try_with(|c| c.get().map(f)).ok().flatten()
}

/// The calling thread takes part in reclamation (see [`Participant::online`]): it may read
/// lock-free until [`offline`], and must pass [`quiescent`] points regularly. Idempotent;
/// registers the thread on first use.
pub fn online() {
    with_local(|p| p.online());
}

/// The calling thread holds no pointer to retired memory and takes none until [`online`] (a
/// detached or blocked thread); see [`Participant::offline`]. Idempotent.
pub fn offline() {
    with_existing(|p| p.offline());
}

/// Whether the calling thread is online (may read lock-free). One thread-local read.
#[inline]
pub fn is_online() -> bool {
    with_existing(|p| p.is_online()).unwrap_or(false)
}

/// A quiescent point of the calling thread: it holds no pointer it read lock-free before this
/// call. Frees what has become safe (see [`Participant::quiescent`]). Cheap when there is
/// nothing to do: one load, one compare, and a thread-local check.
#[inline]
pub fn quiescent() {
    with_existing(|p| p.quiescent());
}

/// Retires `ptr` to the global domain: `free(ptr)` is called exactly once, on some thread,
/// after every online thread passed a quiescent point (or went offline) after this call.
/// Cheap: a push onto a thread-local list.
///
/// # Safety
/// * `ptr` is unreachable for new readers: unlinked from every shared structure before this
///   call.
/// * `free(ptr)` is sound to call once, on any thread, once every thread that was online at
///   the time of this call has passed a quiescent point or gone offline; nothing else frees
///   `ptr`.
#[inline]
pub unsafe fn retire(ptr: *mut (), free: unsafe fn(*mut ())) {
    // SAFETY: forwarded.
    let done = with_local(|p| unsafe { p.retire(ptr, free) });
    if done.is_none() {
        // Thread-local state already destroyed (a destructor at thread exit retires).
        Domain::global().retire_orphan(ptr, free);
    }
}

/// Retired items not freed yet: those the calling thread retired plus those handed to the
/// global list by threads that went offline or exited.
pub fn pending() -> usize {
    let own = with_existing(|p| p.pending()).unwrap_or(0);
    own + Domain::global().orphaned()
}

/// Frees what is safe to free now (the calling thread's items and handed-over ones) without
/// declaring a quiescent point; returns how many were freed.
pub fn reclaim_now() -> usize {
    with_local(|p| p.reclaim_now()).unwrap_or(0)
}

/// A cheap reclamation opportunity after retiring outside a quiescent point (see
/// [`Participant::poll`]). Free functions may run.
#[inline]
pub fn poll() {
    with_existing(|p| p.poll());
}

/// Whether the calling thread has retired items waiting, or the global list is non-empty.
pub fn has_pending_work() -> bool {
    with_existing(|p| p.has_pending_work()).unwrap_or_else(|| Domain::global().orphaned() != 0)
}
