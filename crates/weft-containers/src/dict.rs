//! `dict`: an insertion-ordered hash table whose lookups take no lock.
//!
//! # Shape
//! A dict ([`PyDict`]) points to a *table* (the "keys object", see `table.rs`): a hash index
//! of 32-bit slots (open addressing, CPython's perturbation probe) over an insertion-ordered
//! entries array of `(hash, key, value)`. Insert appends an entry (amortized O(1)); delete
//! marks the index slot *dummy* and nulls the entry (a tombstone, O(1)); when the entries are
//! used up the dict moves to a new table sized for its live entries (`3 * len` index slots,
//! so it can double before the next move), which compacts the tombstones away. Iteration
//! order is entry order, i.e. insertion order. An empty dict shares one static table and
//! allocates nothing.
//!
//! hashbrown is not used: a lock-free reader reads the table while a writer mutates it, so
//! every field a reader touches must be an atomic, and the table must never be reshaped in
//! place. `hashbrown::HashTable` is neither. The table here is a fixed-shape allocation of
//! atomics that is replaced, never resized, and retired through QSBR.
//!
//! # Thread safety
//! * **Writes** (insert, delete, pop, clear, update, ...) run under the dict's per-object
//!   mutex ([`Object::with_lock`]); two-object operations (`update` from a dict, `==`) take a
//!   two-object critical section ([`Object::with_lock2`], address-ordered, deadlock-free).
//! * **Lookups** take no lock. A reader enters a read section, loads the table pointer,
//!   probes, loads the entry's key and value and increfs the value, then leaves. A writer
//!   publishes entries with release stores; removed keys and values and replaced tables go
//!   into a garbage bag released only after every read section that might have seen them is
//!   over (QSBR; see `reclaim.rs` for the argument and for why a *plain* incref is then
//!   sound). The reader needs no validation for liveness; its result is linearizable at the
//!   moment it loaded the value (entries are never reused for another key within a table).
//! * **`__eq__`** (and `__hash__`) may run arbitrary code, including code that mutates this
//!   very dict. They are never called inside a read section or with a Rust borrow of the
//!   table: the reader takes a reference to the candidate key, leaves its section (or lock),
//!   calls `__eq__`, re-enters and re-validates — same table (pointer *and* generation) and
//!   the entry still holds that key — then continues probing where it stopped, or restarts
//!   from scratch when the table changed (CPython's rule; after `MAX_PROBE_RESTARTS` restarts
//!   in one probe it raises `RuntimeError` instead of looping forever). Writers do the same
//!   with the lock.
//!   Errors from `__hash__`/`__eq__` propagate and leave the dict unchanged.
//! * Builtin keys (`str`, `int`, `bool`, `float`, `bytes`, `None`) compare inline: their
//!   comparison runs no user code.
//! * **Iterators** ([`DictIter`]) claim entry positions with a CAS on a shared cursor, so any
//!   number of threads may call `next` on one iterator: each live entry is yielded exactly once
//!   when the dict is not mutated; a size change raises `RuntimeError: dictionary changed size
//!   during iteration` like CPython.
//! * **gil build**: the same code; object locks compile away and garbage is freed at once
//!   (threads switch only inside calls into user code, never inside a table operation).
//!   Every entry point makes sure the calling thread holds the GIL.
//!
//! # API
//! [`new`], [`with_capacity`], [`from_pairs`] create dicts; [`Dict`] is a checked borrowed
//! handle with the methods (`get`, `getitem`, `set_item`, `del_item`, `contains`, `setdefault`,
//! `pop`, `popitem`, `update`, `copy`, `clear`, `keys`/`values`/`items` views and snapshots,
//! `eq`, `repr`, `iter`). [`DICT_TYPE`] and the view and iterator types are static
//! [`TypeObject`]s with the slots the eval loop calls.

mod reclaim;
pub(crate) mod support;
mod table;
mod view;

use weft_object::types::OBJECT_TYPE;
use weft_object::{
    CompareOp, ExcKind, NumberSlots, ObjRef, Object, Payload, PyErr, PyResult, Slots, TypeObject,
    bool_obj, not_implemented,
};
use weft_sync::shim::atomic::{AtomicPtr, AtomicU64, AtomicUsize, Ordering};

pub use reclaim::reclaim_now;
pub(crate) use reclaim::{Bag, ReadSection};
use support::{
    Sharing, Token, borrow_token, clone_token, eq_fast, from_token, hash_key, into_token,
    key_error, token_of,
};
use table::{Header, IX_BASE, IX_DUMMY, IX_EMPTY, Probe, Table};
pub use view::{
    DICT_ITEMITER_TYPE, DICT_ITEMS_TYPE, DICT_KEYITER_TYPE, DICT_KEYS_TYPE, DICT_VALUEITER_TYPE,
    DICT_VALUES_TYPE, DictIter, DictView, IterKind,
};

/// The payload of a `dict`.
pub struct PyDict {
    /// The current table.
    table: AtomicPtr<Header>,
    /// Live entries (`len()`), readable without the lock.
    used: AtomicUsize,
    /// The last table generation handed out (writer only).
    next_serial: AtomicU64,
    /// Whether another thread than the owner may read lock-free (see `reclaim.rs`).
    sharing: Sharing,
    /// The contents tag (see [`Dict::version_tag`]); 0 = none assigned since the last change.
    /// A `std` atomic even under loom: only the eval loop's caches read it.
    tag: std::sync::atomic::AtomicU32,
}

/// The next contents tag to hand out (never reused; at `u32::MAX` dicts stop getting tags).
static NEXT_TAG: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

impl PyDict {
    /// An empty dict payload (for subclasses that store one).
    pub fn empty() -> PyDict {
        PyDict {
            table: AtomicPtr::new(table::empty_ptr()),
            used: AtomicUsize::new(0),
            next_serial: AtomicU64::new(0),
            sharing: Sharing::new(),
            tag: std::sync::atomic::AtomicU32::new(0),
        }
    }

    /// Forgets the contents tag. Every write calls this *after* its change (still under the
    /// lock or just after), so a tag read before a lookup is stale once the lookup may be.
    ///
    /// The store is unconditional: skipping it when the tag reads 0 would race with a reader
    /// that assigns a tag (store, then read the dict) while this writer changed the dict
    /// (store, then read the tag) — each could miss the other's store. A reader whose
    /// assignment CAS reads this 0 instead synchronizes with it and sees the change.
    #[inline]
    fn changed(&self) {
        self.tag.store(0, std::sync::atomic::Ordering::Release);
    }
}

impl Drop for PyDict {
    fn drop(&mut self) {
        // Nobody else can see the dict any more (its last reference is gone, and lock-free
        // readers always hold one), so the references are released at once.
        // `&mut self`: relaxed loads and stores are plain accesses (loom has no `get_mut`).
        let p = self.table.load(Ordering::Relaxed);
        self.table.store(table::empty_ptr(), Ordering::Relaxed);
        // SAFETY: the dict owned this table; nobody else uses it now.
        let t = unsafe { Table::from_raw(p) };
        if t.is_static_empty() {
            return;
        }
        let n = t.nentries();
        let mut refs = Vec::with_capacity(2 * self.used.load(Ordering::Relaxed).min(n));
        for i in 0..n {
            let e = t.entry(i);
            let k = e.key.load(Ordering::Relaxed);
            if !k.is_null() {
                // SAFETY: the table owned these references; the entry is dropped with it.
                unsafe {
                    refs.push(from_token(k));
                    refs.push(from_token(e.value.load(Ordering::Relaxed)));
                }
            }
        }
        // SAFETY: allocated by Table::alloc; unused from here on.
        unsafe { t.free() };
        drop(refs);
    }
}

impl Payload for PyDict {
    fn type_object() -> &'static TypeObject {
        &DICT_TYPE
    }
}

weft_sync::shim_static! {
    /// `dict`
    pub static DICT_TYPE: TypeObject = TypeObject::new_static::<PyDict>(
        "dict",
        Some(&OBJECT_TYPE),
        Slots {
            repr: Some(|o| Dict::expect(o)?.repr()),
            richcompare: Some(dict_richcompare),
            len: Some(|o| Ok(Dict::expect(o)?.len())),
            iter: Some(|o| Ok(Dict::expect(o)?.iter(IterKind::Keys))),
            getitem: Some(|o, k| Dict::expect(o)?.getitem(k)),
            setitem: Some(|o, k, v| {
                let d = Dict::expect(o)?;
                match v {
                    Some(v) => d.set_item(k.to_ref(), v.to_ref()),
                    None => d.del_item(k),
                }
            }),
            contains: Some(|o, k| Dict::expect(o)?.contains(k)),
            number: NumberSlots {
                or: Some(dict_or),
                ..NumberSlots::EMPTY
            },
            ..Slots::EMPTY
        },
    );
}

fn dict_richcompare(a: &Object, b: &Object, op: CompareOp) -> PyResult<ObjRef> {
    let (Some(x), Some(y)) = (Dict::of(a), Dict::of(b)) else {
        return Ok(not_implemented().to_ref());
    };
    match op {
        CompareOp::Eq => Ok(bool_obj(x.eq(y)?)),
        CompareOp::Ne => Ok(bool_obj(!x.eq(y)?)),
        _ => Ok(not_implemented().to_ref()),
    }
}

fn dict_or(a: &Object, b: &Object) -> PyResult<ObjRef> {
    let (Some(x), Some(y)) = (Dict::of(a), Dict::of(b)) else {
        return Ok(not_implemented().to_ref());
    };
    let r = x.copy();
    Dict::of(&r).expect("copy is a dict").update(y.object())?;
    Ok(r)
}

/// A new empty `dict` (allocates no table).
pub fn new() -> ObjRef {
    ObjRef::new(PyDict::empty())
}

/// A new empty `dict` with room for `n` entries before its first resize.
pub fn with_capacity(n: usize) -> PyResult<ObjRef> {
    let d = PyDict::empty();
    if n > 0 {
        let log2 = table::log2_for_items(n).ok_or_else(too_big)?;
        let t = Table::alloc(log2, 1);
        d.next_serial.store(1, Ordering::Relaxed);
        d.table.store(t.as_ptr(), Ordering::Relaxed);
    }
    Ok(ObjRef::new(d))
}

/// `dict(iterable)`: a dict from an iterable of key/value pairs, or a copy of a dict.
pub fn from_pairs(iterable: &Object) -> PyResult<ObjRef> {
    let d = new();
    Dict::of(&d).expect("new dict").update(iterable)?;
    Ok(d)
}

fn too_big() -> PyErr {
    PyErr::new(ExcKind::MemoryError, "dict is too large")
}

/// Where a probe ended, reported to the action run under protection.
#[derive(Clone, Copy, Debug)]
enum Hit {
    /// `key` is entry `ix`, reached through index slot `slot`.
    Found { slot: usize, ix: usize },
    /// `key` is absent; `end` is the empty slot that ended the probe, `free` the first dummy
    /// slot on the way (where an insertion may go if it is still a dummy).
    Missing { end: usize, free: Option<usize> },
}

/// One probe step's outcome.
enum Step {
    Hit(Hit),
    /// The candidate `cand` in entry `ix` has the key's hash and needs `__eq__`.
    NeedEq {
        slot: usize,
        ix: usize,
        cand: ObjRef,
    },
}

/// Probes `t` from `p` for `key`. Runs under protection (lock or read section); calls no user
/// code (only [`eq_fast`]).
fn search(t: Table<'_>, p: &mut Probe, hash: i64, key: &Object) -> Step {
    let mask = t.mask();
    let ktok = token_of(key);
    loop {
        let slot = p.slot;
        p.advance(mask);
        let raw = t.index(slot).load(Ordering::Acquire);
        if raw == IX_EMPTY {
            return Step::Hit(Hit::Missing {
                end: slot,
                free: p.free,
            });
        }
        if raw == IX_DUMMY {
            if p.free.is_none() {
                p.free = Some(slot);
            }
            continue;
        }
        let ix = (raw - IX_BASE) as usize;
        let e = t.entry(ix);
        let k = e.key.load(Ordering::Acquire);
        if k.is_null() {
            // Being deleted by a writer right now (lock-free readers only).
            continue;
        }
        if k == ktok {
            return Step::Hit(Hit::Found { slot, ix });
        }
        if e.hash.load(Ordering::Relaxed) != hash {
            continue;
        }
        // SAFETY: the key is in the table we are protected on, so it is alive.
        let ko = unsafe { borrow_token(k) };
        match eq_fast(ko, key) {
            Some(true) => return Step::Hit(Hit::Found { slot, ix }),
            Some(false) => continue,
            None => {
                return Step::NeedEq {
                    slot,
                    ix,
                    cand: ko.to_ref(),
                };
            }
        }
    }
}

/// A probe suspended for an `__eq__` call.
struct Pending {
    table: *mut Header,
    serial: u64,
    slot: usize,
    ix: usize,
    cand: Token,
    equal: bool,
    probe: Probe,
}

enum Resume {
    Restart,
    Found { slot: usize, ix: usize },
    Continue(Probe),
}

impl Pending {
    /// Re-validates after the call: same table, same generation, entry still holds the key.
    fn resume(self, t: Table<'_>) -> Resume {
        if t.as_ptr() != self.table
            || t.serial() != self.serial
            || t.entry(self.ix).key.load(Ordering::Acquire) != self.cand
        {
            Resume::Restart
        } else if self.equal {
            Resume::Found {
                slot: self.slot,
                ix: self.ix,
            }
        } else {
            Resume::Continue(self.probe)
        }
    }
}

enum Outcome<R> {
    Done(R),
    NeedEq(Pending, ObjRef),
}

/// How many times one probe restarts because the table changed while a key's `__eq__` ran
/// before it gives up with `RuntimeError: dictionary keys changed during lookup` (CPython
/// restarts without a bound and can loop forever; a restart needs a new table during the
/// call, so no program that is not changing the dict on every comparison comes near it).
pub(crate) const MAX_PROBE_RESTARTS: usize = 1000;

/// Counts one restart of a probe (the table changed under an `__eq__`): an `__eq__` that
/// changes the table every time it runs (say, clears and refills the container) would
/// otherwise make the probe restart forever. Past [`MAX_PROBE_RESTARTS`], `RuntimeError: msg`.
pub(crate) fn count_probe_restart(restarts: &mut usize, msg: &'static str) -> PyResult<()> {
    *restarts += 1;
    if *restarts > MAX_PROBE_RESTARTS {
        return Err(PyErr::new(ExcKind::RuntimeError, msg));
    }
    Ok(())
}

/// How a probe is protected.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A read section (falls back to the lock when the thread cannot enter one).
    Read,
    /// The dict's lock.
    Lock,
}

/// A checked, borrowed handle on a `dict` object: the object and its payload.
#[derive(Clone, Copy)]
pub struct Dict<'a> {
    obj: &'a Object,
    d: &'a PyDict,
}

impl std::fmt::Debug for Dict<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "<dict of {} entries at {:#x}>",
            self.len(),
            self.obj.id()
        )
    }
}

impl<'a> Dict<'a> {
    /// A tag for the dict's current contents, for caches that remember a lookup's answer
    /// (the eval loop's `LOAD_GLOBAL`): non-zero, unique among all dicts and all states of
    /// them, and reset by every write (insert, replace, delete, clear), *after* the write. So
    /// a cache filled from a lookup made after reading tag `t` is valid exactly while the tag
    /// is still `t`. 0 means "no tag" (the process ran out of them): do not cache.
    #[inline]
    pub fn version_tag(self) -> u32 {
        use std::sync::atomic::Ordering as O;
        let t = self.d.tag.load(O::Acquire);
        if t != 0 { t } else { self.assign_tag() }
    }

    #[cold]
    fn assign_tag(self) -> u32 {
        use std::sync::atomic::Ordering as O;
        let mut next = NEXT_TAG.load(O::Relaxed);
        loop {
            if next == u32::MAX {
                return 0;
            }
            match NEXT_TAG.compare_exchange_weak(next, next + 1, O::Relaxed, O::Relaxed) {
                Ok(_) => break,
                Err(n) => next = n,
            }
        }
        // Another reader may assign at the same time; either tag is fresh, keep the winner.
        match self.d.tag.compare_exchange(0, next, O::AcqRel, O::Acquire) {
            Ok(_) => next,
            Err(current) => current,
        }
    }

    /// The dict behind `obj`, if it is one (or an instance of a subtype storing a dict).
    #[inline]
    pub fn of(obj: &'a Object) -> Option<Dict<'a>> {
        obj.downcast::<PyDict>().map(|d| Dict { obj, d })
    }

    /// Like [`Dict::of`], or a `TypeError` naming the object's type.
    pub fn expect(obj: &'a Object) -> PyResult<Dict<'a>> {
        Dict::of(obj).ok_or_else(|| {
            PyErr::type_error(format!(
                "descriptor requires a 'dict' object but received a '{}'",
                obj.ty().name
            ))
        })
    }

    /// The dict as an object.
    #[inline]
    pub fn object(self) -> &'a Object {
        self.obj
    }

    /// `len(d)` (no lock).
    #[inline]
    pub fn len(self) -> usize {
        self.d.used.load(Ordering::Acquire)
    }

    /// `not d`.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Whether a thread other than the dict's owner has used it (nogil; the point from which
    /// writes defer their garbage). Always false in the gil build.
    pub fn is_shared(self) -> bool {
        self.d.sharing.is_shared()
    }

    /// The current table.
    ///
    /// # Safety
    /// The caller holds the dict's lock or a read section for `'g`.
    #[inline]
    unsafe fn table<'g>(self) -> Table<'g> {
        // SAFETY: the dict always points to a live table; the protection keeps it alive.
        unsafe { Table::from_raw(self.d.table.load(Ordering::Acquire)) }
    }

    /// One probe attempt under protection: resumes `pending` if any, runs `act` on the hit.
    fn step<R>(
        self,
        pending: &mut Option<Pending>,
        restarted: &mut bool,
        key: &Object,
        hash: i64,
        act: &mut impl FnMut(Table<'_>, Hit) -> R,
    ) -> Outcome<R> {
        // SAFETY: callers run this under the lock or inside a read section.
        let t = unsafe { self.table() };
        // Loom: after the probe and `act` (on every return path), check that nothing freed
        // the table under us (see `Table::check_live`).
        #[cfg(weft_loom)]
        let _live = table::LiveCheck(t);
        let mut probe = match pending.take().map(|p| p.resume(t)) {
            None => Probe::new(hash, t.mask()),
            Some(Resume::Restart) => {
                *restarted = true;
                Probe::new(hash, t.mask())
            }
            Some(Resume::Found { slot, ix }) => {
                return Outcome::Done(act(t, Hit::Found { slot, ix }));
            }
            Some(Resume::Continue(p)) => p,
        };
        match search(t, &mut probe, hash, key) {
            Step::Hit(h) => Outcome::Done(act(t, h)),
            Step::NeedEq { slot, ix, cand } => Outcome::NeedEq(
                Pending {
                    table: t.as_ptr(),
                    serial: t.serial(),
                    slot,
                    ix,
                    cand: token_of(&cand),
                    equal: false,
                    probe,
                },
                cand,
            ),
        }
    }

    /// Probes for `key`, calling `__eq__` outside any protection when needed, and runs `act`
    /// under protection on the final hit.
    fn probe<R>(
        self,
        key: &Object,
        hash: i64,
        mode: Mode,
        mut act: impl FnMut(Table<'_>, Hit) -> R,
    ) -> PyResult<R> {
        let mut pending: Option<Pending> = None;
        let mut restarts = 0usize;
        loop {
            let mut restarted = false;
            let out = match (mode, ReadSection::enter_if(mode == Mode::Read)) {
                (Mode::Read, Some(sec)) => {
                    let o = self.step(&mut pending, &mut restarted, key, hash, &mut act);
                    drop(sec);
                    o
                }
                _ => self
                    .obj
                    .with_lock(|| self.step(&mut pending, &mut restarted, key, hash, &mut act)),
            };
            if restarted {
                count_probe_restart(&mut restarts, "dictionary keys changed during lookup")?;
            }
            match out {
                Outcome::Done(r) => return Ok(r),
                Outcome::NeedEq(mut p, cand) => {
                    p.equal = cand.eq(key)?;
                    drop(cand);
                    pending = Some(p);
                }
            }
        }
    }

    /// `d.get(key)`: the value, or `None`. Takes no lock.
    pub fn get(self, key: &Object) -> PyResult<Option<ObjRef>> {
        let _e = support::enter();
        let hash = hash_key(key)?;
        self.lookup(key, hash)
    }

    /// The position of `key`'s entry in the current table (`None` when absent), for caches
    /// that read it again later with [`Dict::get_at`] (the eval loop's `LOAD_GLOBAL`).
    pub fn entry_index(self, key: &Object) -> PyResult<Option<usize>> {
        let _e = support::enter();
        let hash = hash_key(key)?;
        self.d.sharing.note_read(self.obj);
        self.probe(key, hash, Mode::Read, |_, hit| match hit {
            Hit::Found { ix, .. } => Some(ix),
            Hit::Missing { .. } => None,
        })
    }

    /// The value of the entry at position `ix` of the current table when that entry's key is
    /// `key` itself (compared by identity), else `None`. Lock-free, and exactly as safe as
    /// [`Dict::get`] with any `ix`: a stale position (the dict moved to a new table, the key
    /// was deleted or re-inserted elsewhere) simply finds another key, or none, and misses.
    #[inline]
    pub fn get_at(self, ix: usize, key: &Object) -> Option<ObjRef> {
        let _e = support::enter();
        self.d.sharing.note_read(self.obj);
        let read = || {
            // SAFETY: under a read section or the lock (see below).
            let t = unsafe { self.table() };
            #[cfg(weft_loom)]
            let _live = table::LiveCheck(t);
            if ix >= t.nentries() {
                return None;
            }
            let e = t.entry(ix);
            if e.key.load(Ordering::Acquire) != token_of(key) {
                return None;
            }
            let v = e.value.load(Ordering::Acquire);
            // SAFETY: loaded under protection; the table's reference keeps it alive until
            // after the read section (see `reclaim.rs`).
            (!v.is_null()).then(|| unsafe { clone_token(v) })
        };
        match ReadSection::enter() {
            Some(sec) => {
                let r = read();
                drop(sec);
                r
            }
            None => self.obj.with_lock(read),
        }
    }

    /// [`Dict::get`] with the key's hash already known.
    pub fn get_hashed(self, key: &Object, hash: i64) -> PyResult<Option<ObjRef>> {
        let _e = support::enter();
        self.lookup(key, hash)
    }

    fn lookup(self, key: &Object, hash: i64) -> PyResult<Option<ObjRef>> {
        self.d.sharing.note_read(self.obj);
        self.probe(key, hash, Mode::Read, |t, hit| match hit {
            Hit::Found { ix, .. } => {
                let v = t.entry(ix).value.load(Ordering::Acquire);
                if v.is_null() {
                    // Deleted after we found the key: linearize after the delete.
                    None
                } else {
                    // SAFETY: loaded under protection; the table's reference keeps it alive
                    // until after our read section (see `reclaim.rs`).
                    Some(unsafe { clone_token(v) })
                }
            }
            Hit::Missing { .. } => None,
        })
    }

    /// `d[key]`: the value, or `KeyError(key)`.
    pub fn getitem(self, key: &Object) -> PyResult<ObjRef> {
        match self.get(key)? {
            Some(v) => Ok(v),
            None => Err(key_error(key)),
        }
    }

    /// `key in d`.
    pub fn contains(self, key: &Object) -> PyResult<bool> {
        Ok(self.get(key)?.is_some())
    }

    /// `d[key] = value`.
    pub fn set_item(self, key: ObjRef, value: ObjRef) -> PyResult<()> {
        let _e = support::enter();
        let hash = hash_key(&key)?;
        self.set_item_hashed(key, hash, value)
    }

    /// [`Dict::set_item`] with the key's hash already known.
    pub fn set_item_hashed(self, key: ObjRef, hash: i64, value: ObjRef) -> PyResult<()> {
        let _e = support::enter();
        let mut bag = Bag::new();
        let mut kv = Some((key, value));
        let probe_key = kv.as_ref().map(|(k, _)| k.clone()).expect("key present");
        let r = self.probe(&probe_key, hash, Mode::Lock, |t, hit| {
            self.d.sharing.note_write(self.obj, &mut bag);
            let (k, v) = kv.take().expect("insert acts once");
            match hit {
                Hit::Found { ix, .. } => {
                    let old = t.entry(ix).value.swap(into_token(v), Ordering::AcqRel);
                    // SAFETY: the entry owned the old value; it is now unlinked.
                    bag.obj(unsafe { from_token(old) });
                    bag.obj(k);
                    Ok(())
                }
                Hit::Missing { end, free } => self.append(t, hash, k, v, end, free, &mut bag),
            }
        });
        drop(probe_key);
        let r = r.and_then(|x| x);
        self.d.changed();
        drop(bag);
        r
    }

    /// Appends a new entry (the key is known absent), moving to a bigger table first if the
    /// entries are used up. Under the lock.
    #[allow(clippy::too_many_arguments)]
    fn append(
        self,
        t: Table<'_>,
        hash: i64,
        key: ObjRef,
        value: ObjRef,
        end: usize,
        free: Option<usize>,
        bag: &mut Bag,
    ) -> PyResult<()> {
        let used = self.d.used.load(Ordering::Relaxed);
        let n = t.nentries();
        if n >= t.usable() {
            let log2 = table::log2_for_growth(used + 1).ok_or_else(too_big)?;
            let nt = self.replace_table(t, log2, bag);
            nt.push_clean(hash, into_token(key), into_token(value));
        } else {
            let slot = match free {
                Some(s) if t.index(s).load(Ordering::Relaxed) == IX_DUMMY => s,
                _ => end,
            };
            debug_assert!(t.index(slot).load(Ordering::Relaxed) <= IX_DUMMY);
            t.append_at(slot, n, hash, into_token(key), into_token(value));
        }
        self.d.used.store(used + 1, Ordering::Release);
        Ok(())
    }

    /// Moves the live entries of `t` (the current table) to a new table with `1 << log2`
    /// slots, publishes it and retires `t`. Under the lock.
    fn replace_table(self, t: Table<'_>, log2: u32, bag: &mut Bag) -> Table<'static> {
        let serial = self.d.next_serial.load(Ordering::Relaxed) + 1;
        self.d.next_serial.store(serial, Ordering::Relaxed);
        let nt = Table::alloc(log2, serial);
        let n = t.nentries();
        for i in 0..n {
            let e = t.entry(i);
            let k = e.key.load(Ordering::Relaxed);
            if !k.is_null() {
                // The references move to the new table (the old one owns nothing any more).
                nt.push_clean(
                    e.hash.load(Ordering::Relaxed),
                    k,
                    e.value.load(Ordering::Relaxed),
                );
            }
        }
        self.d.table.store(nt.as_ptr(), Ordering::Release);
        retire_table(t, bag);
        nt
    }

    /// `del d[key]`: `KeyError(key)` when absent.
    pub fn del_item(self, key: &Object) -> PyResult<()> {
        match self.remove(key)? {
            Some(_) => Ok(()),
            None => Err(key_error(key)),
        }
    }

    /// Removes `key`, returning its value (`None` when absent).
    fn remove(self, key: &Object) -> PyResult<Option<ObjRef>> {
        let _e = support::enter();
        let hash = hash_key(key)?;
        let mut bag = Bag::new();
        let r = self.probe(key, hash, Mode::Lock, |t, hit| match hit {
            Hit::Found { slot, ix } => {
                self.d.sharing.note_write(self.obj, &mut bag);
                Some(self.remove_entry(t, slot, ix, &mut bag))
            }
            Hit::Missing { .. } => None,
        });
        self.d.changed();
        drop(bag);
        r
    }

    /// Tombstones entry `ix` (at index `slot`); returns a new reference to its value (the
    /// table's references go into the bag). Under the lock.
    fn remove_entry(self, t: Table<'_>, slot: usize, ix: usize, bag: &mut Bag) -> ObjRef {
        let e = t.entry(ix);
        t.index(slot).store(IX_DUMMY, Ordering::Release);
        let k = e.key.swap(std::ptr::null_mut(), Ordering::AcqRel);
        let v = e.value.swap(std::ptr::null_mut(), Ordering::AcqRel);
        let used = self.d.used.load(Ordering::Relaxed);
        self.d.used.store(used - 1, Ordering::Release);
        // SAFETY: the entry owned both references; they are unlinked now. The caller gets a
        // new reference so that the table's own one can wait for the grace period.
        unsafe {
            let value = clone_token(v);
            bag.obj(from_token(k));
            bag.obj(from_token(v));
            value
        }
    }

    /// `d.pop(key[, default])`: removes and returns the value; the default when absent, or
    /// `KeyError(key)` without one.
    pub fn pop(self, key: &Object, default: Option<&Object>) -> PyResult<ObjRef> {
        match self.remove(key)? {
            Some(v) => Ok(v),
            None => match default {
                Some(d) => Ok(d.to_ref()),
                None => Err(key_error(key)),
            },
        }
    }

    /// `d.popitem()`: removes and returns the last inserted pair (LIFO);
    /// `KeyError: 'popitem(): dictionary is empty'` when empty.
    pub fn popitem(self) -> PyResult<(ObjRef, ObjRef)> {
        let _e = support::enter();
        let mut bag = Bag::new();
        let r = self.obj.with_lock(|| {
            if self.is_empty() {
                return None;
            }
            self.d.sharing.note_write(self.obj, &mut bag);
            // SAFETY: under the lock.
            let t = unsafe { self.table() };
            let mut i = t.tail().min(t.nentries());
            loop {
                i -= 1;
                if !t.entry(i).key.load(Ordering::Relaxed).is_null() {
                    break;
                }
            }
            let e = t.entry(i);
            let hash = e.hash.load(Ordering::Relaxed);
            // SAFETY: under the lock the key is alive (the entry owns it).
            let key = unsafe { clone_token(e.key.load(Ordering::Relaxed)) };
            let slot = t.slot_of(hash, i);
            let value = self.remove_entry(t, slot, i, &mut bag);
            t.set_tail(i);
            Some((key, value))
        });
        self.d.changed();
        drop(bag);
        r.ok_or_else(|| PyErr::new(ExcKind::KeyError, "'popitem(): dictionary is empty'"))
    }

    /// `d.setdefault(key, default)`: the value for `key`, inserting `default` first if absent.
    pub fn setdefault(self, key: &Object, default: &Object) -> PyResult<ObjRef> {
        let _e = support::enter();
        let hash = hash_key(key)?;
        if let Some(v) = self.get_hashed(key, hash)? {
            return Ok(v);
        }
        let mut bag = Bag::new();
        let r = self.probe(key, hash, Mode::Lock, |t, hit| match hit {
            Hit::Found { ix, .. } => {
                // SAFETY: under the lock the entry owns its value.
                Ok(unsafe { clone_token(t.entry(ix).value.load(Ordering::Relaxed)) })
            }
            Hit::Missing { end, free } => {
                self.d.sharing.note_write(self.obj, &mut bag);
                self.append(t, hash, key.to_ref(), default.to_ref(), end, free, &mut bag)
                    .map(|()| default.to_ref())
            }
        });
        self.d.changed();
        drop(bag);
        r.and_then(|x| x)
    }

    /// `d.clear()`.
    pub fn clear(self) {
        let _e = support::enter();
        let mut bag = Bag::new();
        self.obj.with_lock(|| {
            // SAFETY: under the lock.
            let t = unsafe { self.table() };
            if t.is_static_empty() {
                return;
            }
            self.d.sharing.note_write(self.obj, &mut bag);
            self.d.table.store(table::empty_ptr(), Ordering::Release);
            self.d.used.store(0, Ordering::Release);
            for i in 0..t.nentries() {
                let e = t.entry(i);
                let k = e.key.load(Ordering::Relaxed);
                if !k.is_null() {
                    // SAFETY: the old table owned these; it is unlinked now.
                    unsafe {
                        bag.obj(from_token(k));
                        bag.obj(from_token(e.value.load(Ordering::Relaxed)));
                    }
                }
            }
            retire_table(t, &mut bag);
        });
        self.d.changed();
    }

    /// Live `(hash, key, value)` of the current table (new references). Under the lock.
    fn snapshot_locked(self) -> Vec<(i64, ObjRef, ObjRef)> {
        // SAFETY: the caller holds the lock.
        let t = unsafe { self.table() };
        let mut out = Vec::with_capacity(self.len());
        for i in 0..t.nentries() {
            let e = t.entry(i);
            let k = e.key.load(Ordering::Relaxed);
            if !k.is_null() {
                // SAFETY: under the lock the entry owns both.
                unsafe {
                    out.push((
                        e.hash.load(Ordering::Relaxed),
                        clone_token(k),
                        clone_token(e.value.load(Ordering::Relaxed)),
                    ));
                }
            }
        }
        out
    }

    /// `(hash, key)` of the live entries, in order (takes the lock, re-entrantly).
    pub(crate) fn items_hashed_locked(self) -> Vec<(i64, ObjRef)> {
        self.obj
            .with_lock(|| self.snapshot_locked())
            .into_iter()
            .map(|(h, k, _)| (h, k))
            .collect()
    }

    /// A consistent snapshot of the items, in order.
    pub fn items_vec(self) -> Vec<(ObjRef, ObjRef)> {
        let _e = support::enter();
        self.obj
            .with_lock(|| self.snapshot_locked())
            .into_iter()
            .map(|(_, k, v)| (k, v))
            .collect()
    }

    /// A consistent snapshot of the keys, in order.
    pub fn keys_vec(self) -> Vec<ObjRef> {
        self.items_vec().into_iter().map(|(k, _)| k).collect()
    }

    /// A consistent snapshot of the values, in order.
    pub fn values_vec(self) -> Vec<ObjRef> {
        self.items_vec().into_iter().map(|(_, v)| v).collect()
    }

    /// `d.copy()`: a new dict with the same items (a compact table sized for them).
    pub fn copy(self) -> ObjRef {
        let _e = support::enter();
        let new = PyDict::empty();
        self.obj.with_lock(|| {
            let n = self.len();
            if n == 0 {
                return;
            }
            // SAFETY: under the lock.
            let t = unsafe { self.table() };
            let log2 = table::log2_for_items(n).expect("an existing dict's size fits");
            let nt = Table::alloc(log2, 1);
            for i in 0..t.nentries() {
                let e = t.entry(i);
                let k = e.key.load(Ordering::Relaxed);
                if !k.is_null() {
                    // SAFETY: under the lock the entry owns both; the copy takes new ones.
                    unsafe {
                        nt.push_clean(
                            e.hash.load(Ordering::Relaxed),
                            into_token(clone_token(k)),
                            into_token(clone_token(e.value.load(Ordering::Relaxed))),
                        );
                    }
                }
            }
            new.next_serial.store(1, Ordering::Relaxed);
            new.table.store(nt.as_ptr(), Ordering::Relaxed);
            new.used.store(n, Ordering::Relaxed);
        });
        ObjRef::new(new)
    }

    /// `d.update(other)`: from a dict (in a two-object critical section), or from an iterable
    /// of key/value pairs.
    pub fn update(self, other: &Object) -> PyResult<()> {
        let _e = support::enter();
        if let Some(o) = Dict::of(other) {
            return self.update_from_dict(o);
        }
        let mut i = 0usize;
        support::for_each(other, |item| {
            let (k, v) = unpack_pair(&item, i)?;
            i += 1;
            self.set_item(k, v)
        })
    }

    fn update_from_dict(self, other: Dict<'_>) -> PyResult<()> {
        if self.obj.is(other.obj) {
            return Ok(());
        }
        self.obj.with_lock2(other.obj, || {
            let items = other.snapshot_locked();
            if self.is_empty() {
                self.fill_empty_locked(&items);
                return Ok(());
            }
            for (h, k, v) in items {
                self.set_item_hashed(k, h, v)?;
            }
            Ok(())
        })
    }

    /// Fills an empty dict with the unique keys of `items` in one table. Under the lock.
    fn fill_empty_locked(self, items: &[(i64, ObjRef, ObjRef)]) {
        if items.is_empty() {
            return;
        }
        let mut bag = Bag::new();
        self.d.sharing.note_write(self.obj, &mut bag);
        // SAFETY: under the lock.
        let t = unsafe { self.table() };
        let log2 = table::log2_for_items(items.len()).expect("an existing dict's size fits");
        let nt = self.replace_table(t, log2, &mut bag);
        for (h, k, v) in items {
            nt.push_clean(*h, into_token(k.clone()), into_token(v.clone()));
        }
        self.d.used.store(items.len(), Ordering::Release);
        self.d.changed();
        drop(bag);
    }

    /// `self == other` (dicts): same length and every key maps to an equal value.
    pub fn eq(self, other: Dict<'_>) -> PyResult<bool> {
        let _e = support::enter();
        if self.obj.is(other.obj) {
            return Ok(true);
        }
        let snap = self.obj.with_lock2(other.obj, || {
            (self.len() == other.len()).then(|| self.snapshot_locked())
        });
        let Some(items) = snap else {
            return Ok(false);
        };
        for (h, k, v) in items {
            match other.get_hashed(&k, h)? {
                None => return Ok(false),
                Some(ov) => {
                    if !v.eq(&ov)? {
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    }

    /// `repr(d)`: `{'a': 1}`, `{...}` for a dict inside itself.
    pub fn repr(self) -> PyResult<String> {
        support::repr_guard(
            self.obj,
            || "{...}".to_owned(),
            || {
                let items = self.items_vec();
                let mut s = String::from("{");
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    s.push_str(&k.repr()?);
                    s.push_str(": ");
                    s.push_str(&v.repr()?);
                }
                s.push('}');
                Ok(s)
            },
        )
    }

    /// `iter(d)` (keys), `iter(d.values())`, `iter(d.items())`: a new iterator object.
    pub fn iter(self, kind: IterKind) -> ObjRef {
        view::new_iter(self, kind)
    }

    /// `d.keys()`.
    pub fn keys(self) -> ObjRef {
        view::new_view(self, IterKind::Keys)
    }

    /// `d.values()`.
    pub fn values(self) -> ObjRef {
        view::new_view(self, IterKind::Values)
    }

    /// `d.items()`.
    pub fn items(self) -> ObjRef {
        view::new_view(self, IterKind::Items)
    }

    /// Claims the first live entry at position `pos` or later for an iterator. Lock-free.
    /// `claim(from, to)` must atomically move the iterator's cursor from `from` to `to` and
    /// report success.
    fn claim_entry(self, pos: usize, claim: impl Fn(usize, usize) -> bool) -> Claim {
        self.d.sharing.note_read(self.obj);
        let scan = || {
            // SAFETY: under a read section or the lock (see below).
            let t = unsafe { self.table() };
            let n = t.nentries();
            let mut j = pos;
            while j < n && t.entry(j).key.load(Ordering::Acquire).is_null() {
                j += 1;
            }
            if j >= n {
                return if claim(pos, usize::MAX) {
                    Claim::End
                } else {
                    Claim::Lost
                };
            }
            if !claim(pos, j + 1) {
                return Claim::Lost;
            }
            let e = t.entry(j);
            let k = e.key.load(Ordering::Acquire);
            let v = e.value.load(Ordering::Acquire);
            if k.is_null() || v.is_null() {
                return Claim::Gone;
            }
            // SAFETY: loaded under protection (see `reclaim.rs`).
            unsafe { Claim::Item(clone_token(k), clone_token(v)) }
        };
        match ReadSection::enter() {
            Some(sec) => {
                let r = scan();
                drop(sec);
                r
            }
            None => self.obj.with_lock(scan),
        }
    }
}

/// The result of [`Dict::claim_entry`].
pub(crate) enum Claim {
    /// Another thread moved the cursor first: retry.
    Lost,
    /// No live entry at or after the cursor: the iterator is exhausted.
    End,
    /// The claimed entry was deleted meanwhile (the size check reports it): retry.
    Gone,
    /// The claimed entry's key and value.
    Item(ObjRef, ObjRef),
}

/// Retires a table that was just unlinked (the static empty table is never freed).
fn retire_table(t: Table<'_>, bag: &mut Bag) {
    if t.is_static_empty() {
        return;
    }
    /// # Safety
    /// `p` is an unlinked table from `Table::alloc`.
    unsafe fn free_table(p: *mut ()) {
        // SAFETY: per the contract; the bag calls this once, after the grace period.
        unsafe { Table::from_raw(p as *mut Header).free() }
    }
    // SAFETY: `t` was just unlinked under the lock; its memory only needs freeing.
    unsafe { bag.raw(t.as_ptr() as *mut (), free_table) };
}

/// Unpacks one element of `dict.update`'s iterable: exactly two items.
fn unpack_pair(item: &Object, index: usize) -> PyResult<(ObjRef, ObjRef)> {
    let it = support::get_iter(item).map_err(|_| {
        PyErr::type_error(format!(
            "cannot convert dictionary update sequence element #{index} to a sequence"
        ))
    })?;
    let mut got = Vec::with_capacity(2);
    while let Some(x) = support::iter_next(&it)? {
        got.push(x);
    }
    if got.len() != 2 {
        return Err(PyErr::value_error(format!(
            "dictionary update sequence element #{index} has length {}; 2 is required",
            got.len()
        )));
    }
    let v = got.pop().expect("two items");
    let k = got.pop().expect("two items");
    Ok((k, v))
}

impl ReadSection {
    /// [`ReadSection::enter`] when `want`, else `None`.
    #[inline]
    fn enter_if(want: bool) -> Option<ReadSection> {
        if want { ReadSection::enter() } else { None }
    }
}
