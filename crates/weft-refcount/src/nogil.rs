//! The free-threaded (`nogil`) count: biased reference counting.
//!
//! # Words
//! ```text
//! owner  : u32  = [ flags:8 | tid:24 ]   tid 0 = unowned; flags: IMMORTAL, DEFERRED, user bits
//! local  : u32                           touched only by the owner thread, while it is attached
//! shared : i32  = [ count:30 | state:2 ] count may go negative; state: DEFAULT, QUEUED, MERGED
//! ```
//! The object's true count is `local + count - (1 if it sits in a merge queue)`.
//!
//! # Protocol
//! * **Owner** incref/decref: a relaxed load and store of `local` — no read-modify-write, no
//!   fence. When `local` reaches zero the owner *merges*: if `shared` is exactly zero nobody else
//!   holds a reference and the owner frees; otherwise it gives up ownership (tid := 0) and sets
//!   the state to MERGED; if that leaves the count at zero it frees.
//! * **Non-owner** incref: atomic add on `shared`. Non-owner decref: atomic subtract, except when
//!   `shared` is exactly zero in state DEFAULT: the reference being dropped was counted in the
//!   owner's `local`, so instead of going negative the thread sets state QUEUED (leaving the
//!   count alone: the queue entry now holds that reference) and queues the object to its owner.
//!   A decrement that leaves `shared == MERGED` (count zero, merged) frees.
//! * The owner **drains** its queue at [`ThreadState::check_point`], merging each object with
//!   `extra = -1` (the queue's reference) and freeing those whose total is zero.
//!
//! # Owners that block or exit (weft's rule; CPython keeps such garbage alive)
//! A thread is *attached* while it may touch counts as an owner and *detached* otherwise (it
//! blocks through [`ThreadState::blocking`] or calls [`ThreadState::detach`]). A detached
//! thread never reads or writes `local` of anything: its operations take the shared path and
//! objects it creates are unowned. So while it is detached, anyone may merge its objects:
//! a thread that would queue an object to a detached owner merges it on the spot (under the
//! owner's queue lock, which `attach` also takes), and `detach` itself drains the queue first.
//! An exiting thread drains its queue, marks itself dead and leaves the registry; objects it
//! still owns carry a tid that no live thread has (tids are handed out in increasing order and
//! never shared by two live threads), so every later operation on them is a shared one, and a
//! decrement that would queue to the dead owner merges instead. Nothing queued ever waits on a
//! thread that is not running.

use std::cell::Cell;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::ptr::NonNull;

use weft_sync::shim::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering};
use weft_sync::shim::{Arc, Mutex, MutexGuard};
use weft_sync::stats::{Event, count};

use crate::qsbr_hook;
use crate::{Freed, RcVTable, events};

pub(crate) const TID_MASK: u32 = (1 << 24) - 1;
const FLAG_IMMORTAL: u32 = 1 << 24;

/// The "current tid" of a detached thread: larger than any tid, so never equal to one.
pub(crate) const DETACHED: u32 = u32::MAX;

const SHIFT: u32 = 2;
const ONE: i32 = 1 << SHIFT;
const STATE_MASK: i32 = ONE - 1;
const QUEUED: i32 = 2;
const MERGED: i32 = 3;

/// Largest local count before the process aborts (like `Rc` on overflow).
const MAX_LOCAL: u32 = u32::MAX - 1;
/// Largest shared count before the process aborts (like `Arc` on overflow).
const MAX_SHARED: i32 = i32::MAX / 2;

/// An object's reference count. Embed it at offset 0 of a `#[repr(C)]` object.
///
/// In this (`nogil`) build it is 12 bytes: owner tid + flags, the owner's local count, and
/// the shared count with its state bits.
#[repr(C)]
pub struct RefCount {
    owner: AtomicU32,
    local: AtomicU32,
    shared: AtomicI32,
}

// SAFETY: every field is an atomic; the non-atomic *protocol* on `local` (only the owner
// writes it, with plain load/store pairs) is upheld by `ThreadState`: only an attached owner
// thread, or a thread holding that owner's queue lock while it is detached, touches it.
unsafe impl Sync for RefCount {}
// SAFETY: as above; moving the count to another thread moves no thread-bound state.
unsafe impl Send for RefCount {}

impl RefCount {
    /// A count of one held by the thread `ts` (owned when attached, shared otherwise).
    pub fn new(ts: &ThreadState) -> RefCount {
        Self::with_owner(ts.cur.get())
    }

    pub(crate) fn with_owner(cur: u32) -> RefCount {
        if cur == DETACHED {
            RefCount::new_unowned()
        } else {
            RefCount {
                owner: AtomicU32::new(cur),
                local: AtomicU32::new(1),
                shared: AtomicI32::new(0),
            }
        }
    }

    /// A count of one that no thread owns: every operation is a shared (atomic) one.
    pub fn new_unowned() -> RefCount {
        RefCount {
            owner: AtomicU32::new(0),
            local: AtomicU32::new(0),
            shared: AtomicI32::new(ONE | MERGED),
        }
    }

    weft_sync::shim_const_fn! {
        /// The count of an immortal object (None, small ints, interned strings, static types):
        /// increments and decrements are no-ops and the object is never freed. `const` except
        /// under loom (see [`weft_sync::shim_const_fn!`]).
        pub fn immortal() -> RefCount {
            RefCount {
                owner: AtomicU32::new(FLAG_IMMORTAL),
                local: AtomicU32::new(0),
                shared: AtomicI32::new(0),
            }
        }
    }

    /// Whether the object is immortal.
    #[inline]
    pub fn is_immortal(&self) -> bool {
        self.owner.load(Ordering::Relaxed) & FLAG_IMMORTAL != 0
    }

    /// The word holding the deferred and upper-layer flag bits.
    #[inline]
    pub(crate) fn flag_word(&self) -> &AtomicU32 {
        &self.owner
    }

    /// Makes the object immortal, consuming the caller's reference (which is never released).
    /// Operations already in flight on other threads finish harmlessly: the count is never
    /// read again to decide a free.
    ///
    /// The object also stops being owned: an immortal object's count never changes, on any
    /// thread. (Were the creator still its owner, its local count would move while other
    /// threads' increments are skipped, and a reference taken on another thread but dropped
    /// on the creator's would unbalance it — the creator could even free it.)
    pub fn make_immortal(&self) {
        // The flag first: until the tid is cleared the owner still counts locally, which is
        // harmless; from then on every thread sees an unowned immortal object.
        self.owner.fetch_or(FLAG_IMMORTAL, Ordering::Relaxed);
        self.owner.fetch_and(!TID_MASK, Ordering::Relaxed);
    }

    /// Whether the calling thread owns the object (an attached thread whose tid is the
    /// object's owner). `false` for immortal and unowned objects, and on a detached thread.
    #[inline]
    pub fn owned_by_current_thread(&self) -> bool {
        let w = self.owner.load(Ordering::Relaxed);
        let cur = crate::tls::cur();
        w & TID_MASK == cur && cur != 0 && w & FLAG_IMMORTAL == 0
    }

    /// The owning thread's tid, or `None` when the object is unowned or immortal.
    pub fn owner_tid(&self) -> Option<u32> {
        match self.owner.load(Ordering::Relaxed) & TID_MASK {
            0 => None,
            t => Some(t),
        }
    }

    /// A snapshot of the count for `sys.getrefcount`-style reporting: exact when read by the
    /// owner or when nothing runs concurrently, approximate otherwise; `usize::MAX` for
    /// immortal objects.
    pub fn get(&self, ts: &ThreadState) -> usize {
        self.snapshot(ts.cur.get())
    }

    pub(crate) fn snapshot(&self, cur: u32) -> usize {
        let w = self.owner.load(Ordering::Relaxed);
        if w & FLAG_IMMORTAL != 0 {
            return usize::MAX;
        }
        let shared = self.shared.load(Ordering::Acquire);
        let mut n = (shared >> SHIFT) as i64;
        if w & TID_MASK == cur {
            n += self.local.load(Ordering::Relaxed) as i64;
        } else if w & TID_MASK != 0 {
            // Another thread's local count: readable only as an estimate. A relaxed atomic
            // load is not a data race, merely possibly stale.
            n += self.local.load(Ordering::Relaxed) as i64;
        }
        if shared & STATE_MASK == QUEUED {
            n -= 1;
        }
        n.max(0) as usize
    }

    /// Adds a reference, on behalf of `ts`.
    #[inline]
    pub fn incref(&self, ts: &ThreadState) {
        self.incref_as(ts.cur.get());
    }

    #[inline(always)]
    pub(crate) fn incref_as(&self, cur: u32) {
        let w = self.owner.load(Ordering::Relaxed);
        if w & TID_MASK == cur {
            let l = self.local.load(Ordering::Relaxed);
            if l >= MAX_LOCAL {
                overflow_abort();
            }
            self.local.store(l + 1, Ordering::Relaxed);
        } else if w & FLAG_IMMORTAL == 0 {
            self.incref_shared();
        }
    }

    #[inline(never)]
    fn incref_shared(&self) {
        let old = self.shared.fetch_add(ONE, Ordering::Relaxed);
        if old >> SHIFT >= MAX_SHARED >> SHIFT {
            overflow_abort();
        }
        count(Event::SharedRcOp);
    }

    /// Takes a new reference unless the object is being freed, for lock-free readers that
    /// found the object through a shared structure. Returns `false` when the object's last
    /// reference is gone (it is being freed), and also — conservatively — when this thread
    /// is not the owner and every reference is counted in the owner's local count (a reader
    /// cannot tell that state from "being freed"); the caller then falls back to its locked
    /// path. The memory must stay valid while the caller looks (QSBR's job).
    pub fn try_incref(&self, ts: &ThreadState) -> bool {
        let cur = ts.cur.get();
        let w = self.owner.load(Ordering::Relaxed);
        if w & FLAG_IMMORTAL != 0 {
            return true;
        }
        if w & TID_MASK == cur {
            // The owner frees synchronously when local hits zero, so an object its owner
            // can still see is alive iff local > 0.
            let l = self.local.load(Ordering::Relaxed);
            if l == 0 {
                return false;
            }
            self.local.store(l + 1, Ordering::Relaxed);
            return true;
        }
        let mut shared = self.shared.load(Ordering::Relaxed);
        loop {
            if shared == 0 || shared == MERGED || (shared & STATE_MASK == MERGED && shared < 0) {
                return false;
            }
            match self.shared.compare_exchange_weak(
                shared,
                shared + ONE,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    count(Event::SharedRcOp);
                    return true;
                }
                Err(s) => shared = s,
            }
        }
    }
}

impl std::fmt::Debug for RefCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shared = self.shared.load(Ordering::Relaxed);
        f.debug_struct("RefCount")
            .field(
                "owner",
                &format_args!("{:#x}", self.owner.load(Ordering::Relaxed)),
            )
            .field("local", &self.local.load(Ordering::Relaxed))
            .field("shared", &(shared >> SHIFT))
            .field("state", &(shared & STATE_MASK))
            .finish()
    }
}

#[cold]
#[inline(never)]
fn overflow_abort() -> ! {
    eprintln!(
        "weft: reference count overflow; aborting\n{}",
        std::backtrace::Backtrace::capture()
    );
    std::process::abort()
}

/// Drops one reference held by the current thread (`cur`), freeing through `vt` when it was
/// the last one.
///
/// # Safety
/// `obj` points to a live object whose [`RefCount`] is at offset 0 and that `vt.free` can
/// free, and the caller owns the reference being dropped.
#[inline(always)]
pub(crate) unsafe fn decref_as(obj: NonNull<RefCount>, vt: &'static RcVTable, cur: u32) {
    // SAFETY: the caller holds a reference, so the object is alive.
    let rc = unsafe { obj.as_ref() };
    let w = rc.owner.load(Ordering::Relaxed);
    if w & TID_MASK == cur {
        let l = rc.local.load(Ordering::Relaxed);
        if cfg!(debug_assertions) && l == 0 {
            below_zero(obj, vt);
        }
        rc.local.store(l - 1, Ordering::Relaxed);
        if l == 1 {
            // The common case in line: no other thread ever took a reference (the shared
            // count is zero), so this was the last one.
            if rc.shared.load(Ordering::Acquire) == 0 {
                count(Event::FreedByOwner);
                // SAFETY: no local and no shared references remain: this was the last one.
                unsafe { (vt.free)(obj) };
                return;
            }
            // SAFETY: forwarded from the caller; local just reached zero on its owner.
            unsafe { merge_zero_local(obj, vt) };
        }
    } else if w & FLAG_IMMORTAL == 0 {
        // SAFETY: forwarded from the caller.
        unsafe { decref_shared(obj, vt) };
    }
}

#[cold]
#[inline(never)]
fn below_zero(obj: NonNull<RefCount>, vt: &'static RcVTable) -> ! {
    // SAFETY: only called with a live object (the decref that found the bad count).
    let name = unsafe { (vt.type_name)(obj) };
    panic!("weft: reference count of a `{name}` object went below zero (a decref too many)");
}

/// The owner's local count reached zero.
///
/// # Safety
/// As for [`decref_as`]; the current thread is the object's attached owner.
#[inline(never)]
unsafe fn merge_zero_local(obj: NonNull<RefCount>, vt: &'static RcVTable) {
    // SAFETY: the object is alive until one of the branches below frees it.
    let rc = unsafe { obj.as_ref() };
    let mut shared = rc.shared.load(Ordering::Acquire);
    if shared == 0 {
        count(Event::FreedByOwner);
        // SAFETY: no local and no shared references remain: this was the last one.
        unsafe { (vt.free)(obj) };
        return;
    }
    // Give up ownership before publishing MERGED: once the state is MERGED another thread may
    // free the object, after which this thread must not write to it.
    rc.owner.fetch_and(!TID_MASK, Ordering::Relaxed);
    let new = loop {
        let new = (shared & !STATE_MASK) | MERGED;
        match rc
            .shared
            .compare_exchange_weak(shared, new, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => break new,
            Err(s) => shared = s,
        }
    };
    count(Event::Merge);
    events::merge(obj, new >> SHIFT);
    if new == MERGED {
        count(Event::FreedByMerge);
        // SAFETY: the merged total is zero: this was the last reference.
        unsafe { (vt.free)(obj) };
    }
}

/// A non-owner drops a reference.
///
/// # Safety
/// As for [`decref_as`].
#[inline(never)]
unsafe fn decref_shared(obj: NonNull<RefCount>, vt: &'static RcVTable) {
    // SAFETY: the caller's reference keeps the object alive until we drop it below.
    let rc = unsafe { obj.as_ref() };
    let mut shared = rc.shared.load(Ordering::Relaxed);
    let (new, queue) = loop {
        let (new, queue) = if shared == 0 {
            // Our reference is counted in the owner's local count: hand it to the owner.
            (QUEUED, true)
        } else {
            if cfg!(debug_assertions) && shared & STATE_MASK == MERGED && shared >> SHIFT <= 0 {
                below_zero(obj, vt);
            }
            (shared - ONE, false)
        };
        match rc
            .shared
            .compare_exchange_weak(shared, new, Ordering::AcqRel, Ordering::Relaxed)
        {
            Ok(_) => break (new, queue),
            Err(s) => shared = s,
        }
    };
    count(Event::SharedRcOp);
    if queue {
        // SAFETY: the queue entry now holds our reference.
        unsafe { Registry::global().queue_to_owner(obj, vt) };
    } else if new == MERGED {
        count(Event::FreedByMerge);
        // SAFETY: count zero and merged: ours was the last reference.
        unsafe { (vt.free)(obj) };
    }
}

/// Folds the owner's local count into the shared count (adding `extra`), gives up ownership
/// and returns the merged total. The caller frees the object if the total is zero.
///
/// # Safety
/// `obj` is alive (the caller holds the reference that `extra` may drop), and the calling
/// thread is either the object's attached owner, or holds the queue lock of its detached
/// owner, or the registry lock with the owner's tid absent from the registry (owner exited).
unsafe fn explicit_merge(obj: NonNull<RefCount>, extra: i32) -> i32 {
    // SAFETY: see the function's contract.
    let rc = unsafe { obj.as_ref() };
    let local = rc.local.load(Ordering::Relaxed) as i32;
    // As in merge_zero_local: stop being the owner before the merged state is visible.
    rc.local.store(0, Ordering::Relaxed);
    rc.owner.fetch_and(!TID_MASK, Ordering::Relaxed);
    let mut shared = rc.shared.load(Ordering::Relaxed);
    loop {
        let total = (shared >> SHIFT) + local + extra;
        let new = (total << SHIFT) | MERGED;
        match rc
            .shared
            .compare_exchange_weak(shared, new, Ordering::AcqRel, Ordering::Relaxed)
        {
            Ok(_) => {
                count(Event::Merge);
                events::merge(obj, total);
                return total;
            }
            Err(s) => shared = s,
        }
    }
}

/// A queued object: the pointer and how to free it.
struct Queued {
    obj: NonNull<RefCount>,
    vt: &'static RcVTable,
}

// SAFETY: a queued object is handed between threads by design; the protocol above decides
// which thread may touch its local count, and `vt.free` is thread-agnostic (RcVTable's
// contract).
unsafe impl Send for Queued {}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum OwnerState {
    Attached,
    Detached,
    Dead,
}

struct QueueState {
    items: Vec<Queued>,
    state: OwnerState,
}

/// What other threads may see of a thread: its merge queue and whether it is attached.
struct ThreadShared {
    tid: u32,
    queue: Mutex<QueueState>,
    /// Set when the queue is non-empty; the owner's check point reads it with one load.
    pending: AtomicBool,
}

impl ThreadShared {
    fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

struct RegistryInner {
    threads: HashMap<u32, Arc<ThreadShared>>,
    next_tid: u32,
}

/// The set of live threads: tids and merge queues. There is one per process
/// ([`Registry::global`]; under loom, one per model execution).
pub struct Registry {
    inner: Mutex<RegistryInner>,
}

#[cfg(weft_loom)]
fn global_arc() -> Arc<Registry> {
    loom::lazy_static! {
        static ref GLOBAL: Arc<Registry> = Arc::new(Registry::new());
    }
    GLOBAL.clone()
}

/// How a thread state holds on to the registry: a plain static reference, or (under loom,
/// where statics die before thread-locals) a counted one.
#[cfg(not(weft_loom))]
type RegistryRef = &'static Registry;
#[cfg(weft_loom)]
type RegistryRef = Arc<Registry>;

fn registry_ref() -> RegistryRef {
    #[cfg(not(weft_loom))]
    {
        Registry::global()
    }
    #[cfg(weft_loom)]
    {
        global_arc()
    }
}

impl Registry {
    pub(crate) fn new() -> Registry {
        Registry {
            inner: Mutex::new(RegistryInner {
                threads: HashMap::new(),
                next_tid: 1,
            }),
        }
    }

    /// The process-wide registry (per model execution under loom).
    pub fn global() -> &'static Registry {
        #[cfg(not(weft_loom))]
        {
            static GLOBAL: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
            GLOBAL.get_or_init(Registry::new)
        }
        #[cfg(weft_loom)]
        {
            // SAFETY: the Arc in the lazy static lives for the whole model execution, and
            // every ThreadState holds a clone (loom may drop statics before thread-locals).
            unsafe { &*Arc::as_ptr(&global_arc()) }
        }
    }

    fn lock(&self) -> MutexGuard<'_, RegistryInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn register(&self) -> Arc<ThreadShared> {
        let mut inner = self.lock();
        // Tids increase and wrap at 2^24, skipping 0 and tids of live threads: a tid is never
        // shared by two live threads, and objects of an exited thread stay unowned until the
        // counter wraps (after which a new thread may inherit them, which is sound: the dead
        // owner's last writes happened before its removal under this lock).
        let tid = loop {
            let t = inner.next_tid;
            inner.next_tid = if t >= TID_MASK { 1 } else { t + 1 };
            if !inner.threads.contains_key(&t) {
                break t;
            }
        };
        let shared = Arc::new(ThreadShared {
            tid,
            queue: Mutex::new(QueueState {
                items: Vec::new(),
                state: OwnerState::Detached,
            }),
            pending: AtomicBool::new(false),
        });
        inner.threads.insert(tid, shared.clone());
        shared
    }

    fn unregister(&self, tid: u32) {
        self.lock().threads.remove(&tid);
    }

    /// Number of registered (live) threads.
    pub fn thread_count(&self) -> usize {
        self.lock().threads.len()
    }

    /// Hands `obj` (whose `shared` word this thread just set to QUEUED) to its owner.
    ///
    /// # Safety
    /// The caller transfers the reference held by the queue entry.
    unsafe fn queue_to_owner(&self, obj: NonNull<RefCount>, vt: &'static RcVTable) {
        // SAFETY: the queue's reference keeps the object alive.
        let tid = unsafe { obj.as_ref() }.owner.load(Ordering::Relaxed) & TID_MASK;
        debug_assert_ne!(tid, 0, "queued object has no owner");
        loop {
            let owner = {
                let inner = self.lock();
                match inner.threads.get(&tid) {
                    Some(t) => t.clone(),
                    None => {
                        // Owner exited: its last writes to `local` happened before it left
                        // the registry, and no new thread can take the tid while we hold
                        // the registry lock.
                        // SAFETY: registry lock held, owner absent.
                        let total = unsafe { explicit_merge(obj, -1) };
                        drop(inner);
                        count(Event::HelpedMerge);
                        events::helped(obj, tid, "owner exited");
                        // SAFETY: merged total zero: the queue's reference was the last.
                        unsafe { free_if_zero(obj, vt, total, Event::FreedByQueue) };
                        return;
                    }
                }
            };
            let mut q = owner.lock();
            match q.state {
                OwnerState::Attached => {
                    q.items.push(Queued { obj, vt });
                    owner.pending.store(true, Ordering::Release);
                    weft_sync::breaker::request_all();
                    drop(q);
                    count(Event::Queue);
                    events::queued(obj, tid);
                    return;
                }
                OwnerState::Detached => {
                    // The owner is parked: merge for it. It cannot attach (and touch local
                    // counts) while we hold its queue lock.
                    // SAFETY: owner's queue lock held while it is detached.
                    let total = unsafe { explicit_merge(obj, -1) };
                    drop(q);
                    count(Event::HelpedMerge);
                    events::helped(obj, tid, "owner detached");
                    // SAFETY: as above.
                    unsafe { free_if_zero(obj, vt, total, Event::FreedByQueue) };
                    return;
                }
                // Exited between our lookup and now: look again (it leaves the registry
                // right after marking itself dead).
                OwnerState::Dead => {
                    drop(q);
                    weft_sync::shim::thread::yield_now();
                }
            }
        }
    }
}

/// # Safety
/// `total` is the merged count of `obj` returned by [`explicit_merge`] on this thread.
unsafe fn free_if_zero(obj: NonNull<RefCount>, vt: &'static RcVTable, total: i32, ev: Event) {
    debug_assert!(total >= 0, "merged count below zero");
    if total == 0 {
        count(ev);
        // SAFETY: merged total zero and merged state: nobody holds a reference.
        unsafe { (vt.free)(obj) };
    }
}

/// Merges a batch of objects taken from a queue; returns those whose count reached zero.
///
/// # Safety
/// Each entry's reference is owned by the batch; the calling thread may merge them (see
/// [`explicit_merge`]).
unsafe fn merge_batch(items: Vec<Queued>) -> Vec<Queued> {
    let mut to_free = Vec::new();
    for q in items {
        // SAFETY: forwarded.
        if unsafe { explicit_merge(q.obj, -1) } == 0 {
            to_free.push(q);
        }
    }
    to_free
}

/// Frees the objects [`merge_batch`] found dead.
///
/// # Safety
/// Every entry has a merged count of zero (nobody holds a reference).
unsafe fn free_batch(merged: usize, to_free: Vec<Queued>) -> Freed {
    let freed = Freed {
        merged,
        freed: to_free.len(),
    };
    for q in to_free {
        count(Event::FreedByQueue);
        // SAFETY: per the contract.
        unsafe { (q.vt.free)(q.obj) };
    }
    freed
}

/// Merges and frees a batch in one go.
///
/// # Safety
/// As for [`merge_batch`].
unsafe fn drain_batch(items: Vec<Queued>) -> Freed {
    let n = items.len();
    // SAFETY: forwarded.
    unsafe { free_batch(n, merge_batch(items)) }
}

/// One thread's membership in a [`Registry`]: its tid, its merge queue, and whether it is
/// attached. Not `Send`: it stands for the thread that made it.
pub struct ThreadState {
    registry: RegistryRef,
    shared: Arc<ThreadShared>,
    /// `shared.tid` while attached, [`DETACHED`] otherwise.
    cur: Cell<u32>,
    depth: Cell<u32>,
    _not_send: PhantomData<*const ()>,
}

impl ThreadState {
    /// Registers the calling thread, detached. Only [`crate::tls`] calls this: one state
    /// per thread.
    pub(crate) fn new() -> ThreadState {
        let registry = registry_ref();
        ThreadState {
            shared: registry.register(),
            registry,
            cur: Cell::new(DETACHED),
            depth: Cell::new(0),
            _not_send: PhantomData,
        }
    }

    /// This thread's tid in its registry (stable while the state lives).
    pub fn tid(&self) -> u32 {
        self.shared.tid
    }

    /// Whether the thread is attached (owns the objects it creates, counts them locally).
    pub fn is_attached(&self) -> bool {
        self.depth.get() > 0
    }

    fn set_cur(&self, v: u32) {
        self.cur.set(v);
        crate::tls::set_cur(v);
    }

    /// Attaches the thread (nestable). Waits while another thread merges on its behalf.
    pub fn attach(&self) {
        let d = self.depth.get();
        self.depth.set(d + 1);
        if d == 0 {
            // Taking the queue lock orders us after any helper's merge of our objects.
            self.shared.lock().state = OwnerState::Attached;
            self.set_cur(self.shared.tid);
            // An attached thread may read shared containers lock-free.
            qsbr_hook::online();
        }
    }

    /// Undoes one [`attach`](Self::attach). On the outermost one the thread drains its queue
    /// and from then on neither owns new objects nor touches local counts, so others may
    /// merge its objects.
    pub fn detach(&self) -> Freed {
        let d = self.depth.get();
        assert!(d > 0, "ThreadState::detach without attach");
        self.depth.set(d - 1);
        if d > 1 {
            return Freed::default();
        }
        self.set_cur(DETACHED);
        // A detached thread holds no pointer read lock-free.
        qsbr_hook::offline();
        let items = {
            let mut q = self.shared.lock();
            q.state = OwnerState::Detached;
            self.shared.pending.store(false, Ordering::Relaxed);
            std::mem::take(&mut q.items)
        };
        // SAFETY: these entries were queued to us; we are their owner. Although we are now
        // detached, helpers only merge entries still in the queue, which is empty.
        unsafe { drain_batch(items) }
    }

    /// The eval breaker's check point: merges queued objects (one relaxed load when none).
    #[inline]
    pub fn check_point(&self) -> Freed {
        // A check point is a quiescent point for lock-free readers' memory reclamation.
        qsbr_hook::quiescent();
        if self.shared.pending.load(Ordering::Relaxed) {
            self.drain()
        } else {
            Freed::default()
        }
    }

    #[cold]
    fn drain(&self) -> Freed {
        let items = {
            let mut q = self.shared.lock();
            self.shared.pending.store(false, Ordering::Relaxed);
            std::mem::take(&mut q.items)
        };
        if !self.is_attached() {
            debug_assert!(items.is_empty());
        }
        // SAFETY: entries queued to us while attached; we are their owner.
        unsafe { drain_batch(items) }
    }

    /// Runs `f` detached (for a blocking call), re-attaching afterwards.
    pub fn blocking<R>(&self, f: impl FnOnce() -> R) -> R {
        let depth = self.depth.get();
        if depth == 0 {
            return f();
        }
        // Fully detach whatever the nesting depth, then restore it.
        self.depth.set(1);
        self.detach();
        let r = f();
        self.attach();
        self.depth.set(depth);
        r
    }

    /// Drops one reference to `obj` held by this thread.
    ///
    /// # Safety
    /// `obj` points to a live object with its [`RefCount`] at offset 0 that `vt.free` frees;
    /// the caller owns the reference being dropped.
    #[inline]
    pub unsafe fn decref(&self, obj: NonNull<RefCount>, vt: &'static RcVTable) {
        // SAFETY: forwarded.
        unsafe { decref_as(obj, vt, self.cur.get()) }
    }

    /// Number of objects waiting in this thread's queue.
    pub fn queued(&self) -> usize {
        self.shared.lock().items.len()
    }
}

impl Drop for ThreadState {
    fn drop(&mut self) {
        if self.depth.get() > 0 {
            self.depth.set(1);
            self.detach();
        }
        let items = {
            let mut q = self.shared.lock();
            q.state = OwnerState::Dead;
            std::mem::take(&mut q.items)
        };
        let n = items.len();
        // Merge while our tid is still registered (so no new thread can inherit it), free
        // after leaving: a destructor run by a free may drop references to our objects, and
        // those must find us gone, not dead-but-registered.
        // SAFETY: entries queued to us; we own them.
        let to_free = unsafe { merge_batch(items) };
        self.registry.unregister(self.shared.tid);
        // SAFETY: merged to zero above.
        unsafe { free_batch(n, to_free) };
    }
}
