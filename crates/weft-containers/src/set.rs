//! `set` and `frozenset`: hash tables of keys whose lookups take no lock, with CPython's
//! iteration order.
//!
//! # Shape
//! A set ([`PySet`], shared by `set` and `frozenset`; the type says which) points to a table
//! of `(hash, key)` slots (see `table.rs`) probed exactly as CPython probes sets — a run of up
//! to nine adjacent slots, then a perturbed jump — with CPython's fill limit (resize when
//! `fill * 5 >= mask * 3`, to the smallest power of two above `4 * used`, or `2 * used` past
//! 50 000), dummy reuse, `pop`'s search finger and `update`'s merge strategies. Iteration is
//! slot order, so `print({3, 1, 2})` prints `{1, 2, 3}` as CPython does, and `pop` removes the
//! same elements in the same order.
//!
//! hashbrown is not used, for the same reason as in `dict` (lock-free readers need a
//! fixed-shape table of atomics), and because CPython's probe sequence is what fixes the
//! visible iteration order; a frozenset uses the same table (it is simply never mutated after
//! construction).
//!
//! # Thread safety
//! As for `dict` (see its module docs and `dict/reclaim.rs`): mutations under the set's
//! mutex; two-set operations (`update`, `==`, `<=`, union, intersection, difference,
//! symmetric difference, subset tests) in a two-object critical section; `in` without a lock
//! (read section, QSBR-deferred frees of removed keys and replaced tables); `__eq__` called
//! outside any lock or read section with re-validation afterwards (same table and generation,
//! slot still holding the candidate; else restart). Iterators claim slot positions with a CAS,
//! so iterators shared between threads never repeat or skip an element; a size change raises
//! `RuntimeError: Set changed size during iteration`.
//!
//! # API
//! [`new_set`], [`new_frozenset`], [`set_from_iter`], [`frozenset_from_iter`] create sets;
//! [`Set`] is a checked borrowed handle with the methods (`add`, `discard`, `remove`, `pop`,
//! `contains`, `union`, `intersection`, `difference`, `symmetric_difference` and their
//! in-place forms, `issubset`, `issuperset`, `isdisjoint`, `copy`, `clear`, `eq`, `compare`,
//! `repr`, `hash`, `iter`). [`SET_TYPE`], [`FROZENSET_TYPE`] and [`SET_ITER_TYPE`] are the
//! static types.

mod table;

use weft_object::types::OBJECT_TYPE;
use weft_object::{
    CompareOp, ExcKind, NumberSlots, ObjRef, Object, Payload, PyErr, PyResult, Slots, TypeObject,
    bool_obj, not_implemented,
};
use weft_sync::shim::atomic::{AtomicI64, AtomicPtr, AtomicU64, AtomicUsize, Ordering};

use crate::dict::support::{
    self, Sharing, Token, borrow_token, clone_token, eq_fast, from_token, hash_key, into_token,
    key_error, token_of,
};
use crate::dict::{Bag, Dict, ReadSection, count_probe_restart};
use table::{Header, MIN_SIZE, Probe, Table, dummy};

/// The payload of `set` and `frozenset` objects.
pub struct PySet {
    table: AtomicPtr<Header>,
    /// Active keys (`len()`), readable without the lock.
    used: AtomicUsize,
    /// Active plus dummy slots (writer only).
    fill: AtomicUsize,
    /// Where `pop` resumes its search (writer only).
    finger: AtomicUsize,
    /// The last table generation handed out (writer only).
    next_serial: AtomicU64,
    /// `frozenset`'s cached hash (-1: not computed).
    hash: AtomicI64,
    sharing: Sharing,
}

impl PySet {
    /// An empty set payload (for subclasses that store one).
    pub fn empty() -> PySet {
        PySet {
            table: AtomicPtr::new(table::empty_ptr()),
            used: AtomicUsize::new(0),
            fill: AtomicUsize::new(0),
            finger: AtomicUsize::new(0),
            next_serial: AtomicU64::new(0),
            hash: AtomicI64::new(-1),
            sharing: Sharing::new(),
        }
    }
}

impl Drop for PySet {
    fn drop(&mut self) {
        // `&mut self`: relaxed loads and stores are plain accesses (loom has no `get_mut`).
        let p = self.table.load(Ordering::Relaxed);
        self.table.store(table::empty_ptr(), Ordering::Relaxed);
        // SAFETY: the set owned the table; nobody else can see the set any more.
        let t = unsafe { Table::from_raw(p) };
        if t.is_static_empty() {
            return;
        }
        let mut refs = Vec::with_capacity(self.used.load(Ordering::Relaxed));
        for i in 0..=t.mask() {
            let k = t.slot(i).key.load(Ordering::Relaxed);
            if !k.is_null() && k != dummy() {
                // SAFETY: the table owned the reference.
                refs.push(unsafe { from_token(k) });
            }
        }
        // SAFETY: allocated by Table::alloc, unused from here on.
        unsafe { t.free() };
        drop(refs);
    }
}

impl Payload for PySet {
    fn type_object() -> &'static TypeObject {
        &SET_TYPE
    }
}

const fn set_slots(frozen: bool) -> Slots {
    Slots {
        repr: Some(|o| Set::expect(o)?.repr()),
        richcompare: Some(set_richcompare),
        len: Some(|o| Ok(Set::expect(o)?.len())),
        iter: Some(|o| Ok(Set::expect(o)?.iter())),
        contains: Some(|o, k| Set::expect(o)?.contains(k)),
        hash: if frozen {
            Some(|o| Ok(Set::expect(o)?.frozen_hash()))
        } else {
            None
        },
        number: NumberSlots {
            or: Some(|a, b| set_binop(a, b, |x, y| x.union(y))),
            and: Some(|a, b| set_binop(a, b, |x, y| x.intersection(y))),
            sub: Some(|a, b| set_binop(a, b, |x, y| x.difference(y))),
            xor: Some(|a, b| set_binop(a, b, |x, y| x.symmetric_difference(y))),
            ..NumberSlots::EMPTY
        },
        ..Slots::EMPTY
    }
}

weft_sync::shim_static! {
    /// `set`
    pub static SET_TYPE: TypeObject =
        TypeObject::new_static::<PySet>("set", Some(&OBJECT_TYPE), set_slots(false));
}
weft_sync::shim_static! {
    /// `frozenset`
    pub static FROZENSET_TYPE: TypeObject =
        TypeObject::new_static::<PySet>("frozenset", Some(&OBJECT_TYPE), set_slots(true));
}

fn set_binop(
    a: &Object,
    b: &Object,
    f: impl FnOnce(Set<'_>, &Object) -> PyResult<ObjRef>,
) -> PyResult<ObjRef> {
    match (Set::of(a), Set::of(b)) {
        (Some(x), Some(_)) => f(x, b),
        _ => Ok(not_implemented().to_ref()),
    }
}

fn set_richcompare(a: &Object, b: &Object, op: CompareOp) -> PyResult<ObjRef> {
    let (Some(x), Some(y)) = (Set::of(a), Set::of(b)) else {
        return Ok(not_implemented().to_ref());
    };
    Ok(bool_obj(x.compare(y, op)?))
}

/// A new empty `set`.
pub fn new_set() -> ObjRef {
    ObjRef::new(PySet::empty())
}

/// A new empty `frozenset`.
pub fn new_frozenset() -> ObjRef {
    ObjRef::with_type(PySet::empty(), &FROZENSET_TYPE)
}

/// `set(iterable)`.
pub fn set_from_iter(iterable: &Object) -> PyResult<ObjRef> {
    let s = new_set();
    Set::of(&s).expect("new set").update_internal(iterable)?;
    Ok(s)
}

/// `frozenset(iterable)` (a frozenset argument is returned as is, like CPython).
pub fn frozenset_from_iter(iterable: &Object) -> PyResult<ObjRef> {
    if iterable.ty().is(&FROZENSET_TYPE) {
        return Ok(iterable.to_ref());
    }
    let s = new_frozenset();
    Set::of(&s)
        .expect("new frozenset")
        .update_internal(iterable)?;
    Ok(s)
}

/// `frozenset(iterable)` for `ty`, a subclass of `frozenset`: always a new object (empty
/// without an iterable).
///
/// # Panics
/// If `ty`'s instances do not store a set payload.
pub fn frozenset_of_type(ty: &'static TypeObject, iterable: Option<&Object>) -> PyResult<ObjRef> {
    assert!(ty.stores::<PySet>(), "frozenset_of_type of a non-set type");
    let s = ObjRef::with_type(PySet::empty(), ty);
    if let Some(it) = iterable {
        Set::of(&s).expect("new set").update_internal(it)?;
    }
    Ok(s)
}

/// Where a probe ended.
#[derive(Clone, Copy, Debug)]
enum Hit {
    Found { slot: usize },
    Missing { end: usize, free: Option<usize> },
}

enum Step {
    Hit(Hit),
    NeedEq { slot: usize, cand: ObjRef },
}

/// Probes `t` from `p` for `key`, under protection; calls no user code.
fn search(t: Table<'_>, p: &mut Probe, hash: i64, key: &Object) -> Step {
    let mask = t.mask();
    let ktok = token_of(key);
    let dm = dummy();
    loop {
        let i = p.slot();
        p.advance(mask);
        let s = t.slot(i);
        let k = s.key.load(Ordering::Acquire);
        if k.is_null() {
            return Step::Hit(Hit::Missing {
                end: i,
                free: p.free,
            });
        }
        if k == dm {
            p.free = Some(i);
            continue;
        }
        if s.hash.load(Ordering::Relaxed) != hash {
            continue;
        }
        if k == ktok {
            return Step::Hit(Hit::Found { slot: i });
        }
        // SAFETY: an active key of the table we are protected on.
        let ko = unsafe { borrow_token(k) };
        match eq_fast(ko, key) {
            Some(true) => return Step::Hit(Hit::Found { slot: i }),
            Some(false) => continue,
            None => {
                return Step::NeedEq {
                    slot: i,
                    cand: ko.to_ref(),
                };
            }
        }
    }
}

struct Pending {
    table: *mut Header,
    serial: u64,
    slot: usize,
    cand: Token,
    equal: bool,
    probe: Probe,
}

enum Outcome<R> {
    Done(R),
    NeedEq(Pending, ObjRef),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Read,
    Lock,
}

/// The result of claiming a slot for an iterator.
enum Claim {
    Lost,
    End,
    Gone,
    Item(ObjRef),
}

/// A checked, borrowed handle on a `set` or `frozenset` object.
#[derive(Clone, Copy)]
pub struct Set<'a> {
    obj: &'a Object,
    s: &'a PySet,
}

impl std::fmt::Debug for Set<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "<{} of {} keys at {:#x}>",
            self.obj.ty().name,
            self.len(),
            self.obj.id()
        )
    }
}

impl<'a> Set<'a> {
    /// The set behind `obj`, if it is a set or frozenset (or a subtype storing one).
    #[inline]
    pub fn of(obj: &'a Object) -> Option<Set<'a>> {
        obj.downcast::<PySet>().map(|s| Set { obj, s })
    }

    /// Like [`Set::of`], or a `TypeError`.
    pub fn expect(obj: &'a Object) -> PyResult<Set<'a>> {
        Set::of(obj).ok_or_else(|| {
            PyErr::type_error(format!(
                "descriptor requires a 'set' object but received a '{}'",
                obj.ty().name
            ))
        })
    }

    /// The set as an object.
    #[inline]
    pub fn object(self) -> &'a Object {
        self.obj
    }

    /// Whether this is a `frozenset`.
    #[inline]
    pub fn is_frozen(self) -> bool {
        self.obj.ty().is_subtype(&FROZENSET_TYPE)
    }

    /// `len(s)` (no lock).
    #[inline]
    pub fn len(self) -> usize {
        self.s.used.load(Ordering::Acquire)
    }

    /// `not s`.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// # Safety
    /// The caller holds the set's lock or a read section for `'g`.
    #[inline]
    unsafe fn table<'g>(self) -> Table<'g> {
        // SAFETY: the set always points to a live table; the protection keeps it alive.
        unsafe { Table::from_raw(self.s.table.load(Ordering::Acquire)) }
    }

    fn step<R>(
        self,
        pending: &mut Option<Pending>,
        restarted: &mut bool,
        key: &Object,
        hash: i64,
        act: &mut impl FnMut(Table<'_>, Hit) -> R,
    ) -> Outcome<R> {
        // SAFETY: callers hold the lock or a read section.
        let t = unsafe { self.table() };
        let mut probe = match pending.take() {
            None => Probe::new(hash, t.mask()),
            Some(p) => {
                if t.as_ptr() != p.table
                    || t.serial() != p.serial
                    || t.slot(p.slot).key.load(Ordering::Acquire) != p.cand
                {
                    *restarted = true;
                    Probe::new(hash, t.mask())
                } else if p.equal {
                    return Outcome::Done(act(t, Hit::Found { slot: p.slot }));
                } else {
                    p.probe
                }
            }
        };
        match search(t, &mut probe, hash, key) {
            Step::Hit(h) => Outcome::Done(act(t, h)),
            Step::NeedEq { slot, cand } => Outcome::NeedEq(
                Pending {
                    table: t.as_ptr(),
                    serial: t.serial(),
                    slot,
                    cand: token_of(&cand),
                    equal: false,
                    probe,
                },
                cand,
            ),
        }
    }

    /// Probes for `key`, leaving protection for `__eq__` calls; `act` runs under protection.
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
            let sec = if mode == Mode::Read {
                ReadSection::enter()
            } else {
                None
            };
            let mut restarted = false;
            let out = match sec {
                Some(sec) => {
                    let o = self.step(&mut pending, &mut restarted, key, hash, &mut act);
                    drop(sec);
                    o
                }
                None => self
                    .obj
                    .with_lock(|| self.step(&mut pending, &mut restarted, key, hash, &mut act)),
            };
            if restarted {
                count_probe_restart(&mut restarts, "set changed during lookup")?;
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

    /// The hash of `key` as a set element: `hash(key)`, or — for a `set` key, which is
    /// unhashable — the hash of the equal frozenset (CPython's rule for `in`, `remove` and
    /// `discard`).
    fn elem_hash(key: &Object) -> PyResult<i64> {
        match hash_key(key) {
            Ok(h) => Ok(h),
            Err(e) if e.kind == ExcKind::TypeError => match Set::of(key) {
                Some(s) => Ok(s.compute_hash()),
                None => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    /// `key in s`. Takes no lock.
    pub fn contains(self, key: &Object) -> PyResult<bool> {
        let _e = support::enter();
        let hash = Self::elem_hash(key)?;
        self.contains_hashed(key, hash)
    }

    /// [`Set::contains`] with the hash known.
    pub fn contains_hashed(self, key: &Object, hash: i64) -> PyResult<bool> {
        self.s.sharing.note_read(self.obj);
        self.probe(key, hash, Mode::Read, |_, hit| {
            matches!(hit, Hit::Found { .. })
        })
    }

    fn not_frozen(self, method: &str) -> PyResult<()> {
        if self.is_frozen() {
            Err(PyErr::new(
                ExcKind::AttributeError,
                format!("'frozenset' object has no attribute '{method}'"),
            ))
        } else {
            Ok(())
        }
    }

    /// `s.add(key)` (`AttributeError` on a frozenset).
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, key: &Object) -> PyResult<()> {
        self.not_frozen("add")?;
        let _e = support::enter();
        let hash = hash_key(key)?;
        self.add_hashed(key, hash)
    }

    /// Adds `key` with a known hash (no frozenset check: used to build frozensets too).
    fn add_hashed(self, key: &Object, hash: i64) -> PyResult<()> {
        let mut bag = Bag::new();
        let r = self.probe(key, hash, Mode::Lock, |t, hit| match hit {
            Hit::Found { .. } => {}
            Hit::Missing { end, free } => {
                self.s.sharing.note_write(self.obj, &mut bag);
                self.insert_missing(t, hash, key.to_ref(), end, free, &mut bag);
            }
        });
        drop(bag);
        r
    }

    /// Inserts an absent key where the probe ended (or in the last dummy on the way), then
    /// resizes if the table got too full. Under the lock.
    fn insert_missing(
        self,
        t: Table<'_>,
        hash: i64,
        key: ObjRef,
        end: usize,
        free: Option<usize>,
        bag: &mut Bag,
    ) {
        let used = self.s.used.load(Ordering::Relaxed);
        if t.is_static_empty() {
            let nt = self.install_table(MIN_SIZE);
            nt.insert_clean(hash, into_token(key));
            self.s.fill.store(1, Ordering::Relaxed);
            self.s.used.store(1, Ordering::Release);
            return;
        }
        if let Some(f) = free
            && t.slot(f).key.load(Ordering::Relaxed) == dummy()
        {
            let s = t.slot(f);
            s.hash.store(hash, Ordering::Relaxed);
            s.key.store(into_token(key), Ordering::Release);
            self.s.used.store(used + 1, Ordering::Release);
            return;
        }
        let s = t.slot(end);
        debug_assert!(s.key.load(Ordering::Relaxed).is_null());
        s.hash.store(hash, Ordering::Relaxed);
        s.key.store(into_token(key), Ordering::Release);
        let fill = self.s.fill.load(Ordering::Relaxed) + 1;
        self.s.fill.store(fill, Ordering::Relaxed);
        self.s.used.store(used + 1, Ordering::Release);
        if fill * 5 >= t.mask() * 3 {
            let used = used + 1;
            self.resize(if used > 50000 { used * 2 } else { used * 4 }, bag);
        }
    }

    /// Allocates and publishes an empty table of `size` slots (the current one must be the
    /// static empty table). Under the lock.
    fn install_table(self, size: usize) -> Table<'static> {
        let serial = self.s.next_serial.load(Ordering::Relaxed) + 1;
        self.s.next_serial.store(serial, Ordering::Relaxed);
        let nt = Table::alloc(size, serial);
        self.s.table.store(nt.as_ptr(), Ordering::Release);
        nt
    }

    /// CPython's `set_table_resize`: moves the active keys, in slot order, to a table of the
    /// smallest size above `minused`. Under the lock.
    fn resize(self, minused: usize, bag: &mut Bag) {
        let size = table::size_for(minused).unwrap_or_else(|| {
            panic!("set too large to resize (minused {minused})");
        });
        // SAFETY: under the lock.
        let t = unsafe { self.table() };
        let fill = self.s.fill.load(Ordering::Relaxed);
        let used = self.s.used.load(Ordering::Relaxed);
        if size == t.mask() + 1 && fill == used && !t.is_static_empty() {
            return;
        }
        let serial = self.s.next_serial.load(Ordering::Relaxed) + 1;
        self.s.next_serial.store(serial, Ordering::Relaxed);
        let nt = Table::alloc(size, serial);
        if !t.is_static_empty() {
            for i in 0..=t.mask() {
                let s = t.slot(i);
                let k = s.key.load(Ordering::Relaxed);
                if !k.is_null() && k != dummy() {
                    nt.insert_clean(s.hash.load(Ordering::Relaxed), k);
                }
            }
        }
        self.s.fill.store(used, Ordering::Relaxed);
        self.s.table.store(nt.as_ptr(), Ordering::Release);
        retire_table(t, bag);
    }

    /// `s.discard(key)`: whether it was present.
    pub fn discard(self, key: &Object) -> PyResult<bool> {
        self.not_frozen("discard")?;
        let _e = support::enter();
        let hash = Self::elem_hash(key)?;
        self.discard_hashed(key, hash)
    }

    fn discard_hashed(self, key: &Object, hash: i64) -> PyResult<bool> {
        let mut bag = Bag::new();
        let r = self.probe(key, hash, Mode::Lock, |t, hit| match hit {
            Hit::Found { slot } => {
                self.s.sharing.note_write(self.obj, &mut bag);
                let k = self.remove_slot(t, slot);
                // SAFETY: the slot owned the reference; it is unlinked now.
                bag.obj(unsafe { from_token(k) });
                true
            }
            Hit::Missing { .. } => false,
        });
        drop(bag);
        r
    }

    /// Turns active slot `i` into a dummy, returning the key token it owned. Under the lock.
    fn remove_slot(self, t: Table<'_>, i: usize) -> Token {
        let s = t.slot(i);
        let k = s.key.swap(dummy(), Ordering::AcqRel);
        s.hash.store(-1, Ordering::Relaxed);
        let used = self.s.used.load(Ordering::Relaxed);
        self.s.used.store(used - 1, Ordering::Release);
        k
    }

    /// `s.remove(key)`: `KeyError(key)` when absent.
    pub fn remove(self, key: &Object) -> PyResult<()> {
        self.not_frozen("remove")?;
        if self.discard(key)? {
            Ok(())
        } else {
            Err(key_error(key))
        }
    }

    /// `s.pop()`: removes and returns an arbitrary element (CPython's: the next active slot
    /// from the search finger); `KeyError: 'pop from an empty set'` when empty.
    pub fn pop(self) -> PyResult<ObjRef> {
        self.not_frozen("pop")?;
        let _e = support::enter();
        let mut bag = Bag::new();
        let r = self.obj.with_lock(|| {
            if self.is_empty() {
                return None;
            }
            self.s.sharing.note_write(self.obj, &mut bag);
            // SAFETY: under the lock.
            let t = unsafe { self.table() };
            let mask = t.mask();
            let mut i = self.s.finger.load(Ordering::Relaxed) & mask;
            loop {
                let k = t.slot(i).key.load(Ordering::Relaxed);
                if !k.is_null() && k != dummy() {
                    break;
                }
                i = if i == mask { 0 } else { i + 1 };
            }
            let k = self.remove_slot(t, i);
            self.s.finger.store(i + 1, Ordering::Relaxed);
            // SAFETY: the slot owned `k`; the caller gets a new reference while the table's
            // own waits in the bag.
            unsafe {
                let key = clone_token(k);
                bag.obj(from_token(k));
                Some(key)
            }
        });
        drop(bag);
        r.ok_or_else(|| PyErr::new(ExcKind::KeyError, "'pop from an empty set'"))
    }

    /// `s.clear()`.
    pub fn clear(self) -> PyResult<()> {
        self.not_frozen("clear")?;
        let _e = support::enter();
        self.clear_internal();
        Ok(())
    }

    fn clear_internal(self) {
        let mut bag = Bag::new();
        self.obj.with_lock(|| {
            // SAFETY: under the lock.
            let t = unsafe { self.table() };
            if t.is_static_empty() {
                return;
            }
            self.s.sharing.note_write(self.obj, &mut bag);
            self.s.table.store(table::empty_ptr(), Ordering::Release);
            self.s.used.store(0, Ordering::Release);
            self.s.fill.store(0, Ordering::Relaxed);
            for i in 0..=t.mask() {
                let k = t.slot(i).key.load(Ordering::Relaxed);
                if !k.is_null() && k != dummy() {
                    // SAFETY: the old table owned it; unlinked now.
                    bag.obj(unsafe { from_token(k) });
                }
            }
            retire_table(t, &mut bag);
        });
    }

    /// The active `(slot, hash, key)` in slot order, with the table's mask and whether it has
    /// no dummies. Under the lock (or on a private set).
    fn snapshot_locked(self) -> Snapshot {
        // SAFETY: the caller holds the lock.
        let t = unsafe { self.table() };
        let mut items = Vec::with_capacity(self.len());
        for i in 0..=t.mask() {
            let s = t.slot(i);
            let k = s.key.load(Ordering::Relaxed);
            if !k.is_null() && k != dummy() {
                // SAFETY: under the lock the slot owns the key.
                items.push((i, s.hash.load(Ordering::Relaxed), unsafe { clone_token(k) }));
            }
        }
        Snapshot {
            mask: t.mask(),
            clean: self.s.fill.load(Ordering::Relaxed) == self.s.used.load(Ordering::Relaxed),
            items,
        }
    }

    fn snapshot(self) -> Snapshot {
        self.obj.with_lock(|| self.snapshot_locked())
    }

    /// The elements, in iteration order (a consistent snapshot).
    pub fn to_vec(self) -> Vec<ObjRef> {
        let _e = support::enter();
        self.snapshot()
            .items
            .into_iter()
            .map(|(_, _, k)| k)
            .collect()
    }

    /// A new empty set of this set's base type (`set` or `frozenset`).
    fn new_like(self) -> ObjRef {
        if self.is_frozen() {
            new_frozenset()
        } else {
            new_set()
        }
    }

    /// CPython's `set_merge`: adds `other`'s keys (a snapshot). Under the lock.
    fn merge_locked(self, other: &Snapshot) -> PyResult<()> {
        let n = other.items.len();
        if n == 0 {
            return Ok(());
        }
        let mut bag = Bag::new();
        self.s.sharing.note_write(self.obj, &mut bag);
        let fill = self.s.fill.load(Ordering::Relaxed);
        let used = self.s.used.load(Ordering::Relaxed);
        // SAFETY: under the lock.
        let mask = unsafe { self.table() }.mask();
        if (fill + n) * 5 >= mask * 3 {
            self.resize((used + n) * 2, &mut bag);
        }
        if self.s.fill.load(Ordering::Relaxed) == 0 {
            // SAFETY: under the lock.
            let mut t = unsafe { self.table() };
            if t.is_static_empty() {
                t = self.install_table(MIN_SIZE);
            }
            if t.mask() == other.mask && other.clean {
                // Same size, no dummies: copy the slots in place.
                for (i, h, k) in &other.items {
                    let s = t.slot(*i);
                    s.hash.store(*h, Ordering::Relaxed);
                    s.key.store(into_token(k.clone()), Ordering::Release);
                }
            } else {
                for (_, h, k) in &other.items {
                    t.insert_clean(*h, into_token(k.clone()));
                }
            }
            self.s.fill.store(n, Ordering::Relaxed);
            self.s.used.store(n, Ordering::Release);
            drop(bag);
            return Ok(());
        }
        drop(bag);
        for (_, h, k) in &other.items {
            self.add_hashed(k, *h)?;
        }
        Ok(())
    }

    /// `s.update(other)` for any iterable (no frozenset check: builds frozensets too).
    fn update_internal(self, other: &Object) -> PyResult<()> {
        let _e = support::enter();
        if let Some(o) = Set::of(other) {
            if self.obj.is(other) {
                return Ok(());
            }
            return self.obj.with_lock2(other, || {
                let snap = o.snapshot_locked();
                self.merge_locked(&snap)
            });
        }
        if let Some(d) = Dict::of(other) {
            return self.obj.with_lock2(other, || {
                let items = d.items_hashed_locked();
                let n = items.len();
                {
                    let mut bag = Bag::new();
                    let fill = self.s.fill.load(Ordering::Relaxed);
                    let used = self.s.used.load(Ordering::Relaxed);
                    // SAFETY: under the lock.
                    let mask = unsafe { self.table() }.mask();
                    if (fill + n) * 5 >= mask * 3 {
                        self.s.sharing.note_write(self.obj, &mut bag);
                        self.resize((used + n) * 2, &mut bag);
                    }
                }
                for (h, k) in items {
                    self.add_hashed(&k, h)?;
                }
                Ok(())
            });
        }
        support::for_each(other, |k| {
            let h = hash_key(&k)?;
            self.add_hashed(&k, h)
        })
    }

    /// `s.update(other)` / `s |= other`.
    pub fn update(self, other: &Object) -> PyResult<()> {
        self.not_frozen("update")?;
        self.update_internal(other)
    }

    /// `s.copy()` (a frozenset's copy is itself).
    pub fn copy(self) -> PyResult<ObjRef> {
        if self.obj.ty().is(&FROZENSET_TYPE) {
            return Ok(self.obj.to_ref());
        }
        let _e = support::enter();
        let r = self.new_like();
        let snap = self.snapshot();
        let rs = Set::of(&r).expect("new set");
        rs.obj.with_lock(|| rs.merge_locked(&snap))?;
        Ok(r)
    }

    /// `s.union(other)` / `s | other`.
    pub fn union(self, other: &Object) -> PyResult<ObjRef> {
        let _e = support::enter();
        let r = if self.obj.ty().is(&FROZENSET_TYPE) {
            let r = new_frozenset();
            let snap = self.snapshot();
            let rs = Set::of(&r).expect("new frozenset");
            rs.obj.with_lock(|| rs.merge_locked(&snap))?;
            r
        } else {
            self.copy()?
        };
        if !self.obj.is(other) {
            Set::of(&r).expect("new set").update_internal(other)?;
        }
        Ok(r)
    }

    /// `s.intersection(other)` / `s & other`.
    pub fn intersection(self, other: &Object) -> PyResult<ObjRef> {
        let _e = support::enter();
        if self.obj.is(other) {
            return self.union(other);
        }
        let r = self.new_like();
        let rs = Set::of(&r).expect("new set");
        if let Some(o) = Set::of(other) {
            self.obj.with_lock2(other, || {
                // Iterate the smaller set, probe the larger.
                let (small, big) = if o.len() > self.len() {
                    (self, o)
                } else {
                    (o, self)
                };
                for (_, h, k) in small.snapshot_locked().items {
                    if big.contains_hashed(&k, h)? {
                        rs.add_hashed(&k, h)?;
                    }
                }
                Ok::<(), PyErr>(())
            })?;
            return Ok(r);
        }
        let it = support::get_iter(other)?;
        while let Some(k) = support::iter_next(&it)? {
            let h = hash_key(&k)?;
            if self.contains_hashed(&k, h)? {
                rs.add_hashed(&k, h)?;
                if rs.len() >= self.len() {
                    break;
                }
            }
        }
        Ok(r)
    }

    /// Replaces this set's contents with `src`'s (CPython's `set_swap_bodies` for the in-place
    /// operators). `src` is private to the caller.
    fn take_contents(self, src: Set<'_>) {
        let mut bag = Bag::new();
        self.obj.with_lock2(src.obj, || {
            self.s.sharing.note_write(self.obj, &mut bag);
            // SAFETY: both locks held.
            let (mine, theirs) = unsafe { (self.table(), src.table()) };
            // A fresh generation for the moved table, so that readers that validated against
            // our old table never mistake it for ours.
            let serial = self.s.next_serial.load(Ordering::Relaxed) + 1;
            self.s.next_serial.store(serial, Ordering::Relaxed);
            let nt = if theirs.is_static_empty() {
                theirs
            } else {
                let nt = Table::alloc(theirs.mask() + 1, serial);
                for i in 0..=theirs.mask() {
                    let s = theirs.slot(i);
                    let k = s.key.load(Ordering::Relaxed);
                    if !k.is_null() {
                        nt.slot(i)
                            .hash
                            .store(s.hash.load(Ordering::Relaxed), Ordering::Relaxed);
                        nt.slot(i).key.store(
                            if k == dummy() {
                                k
                            } else {
                                // SAFETY: `src`'s slot owns the key (lock held); we take a
                                // new reference for our copy.
                                into_token(unsafe { clone_token(k) })
                            },
                            Ordering::Relaxed,
                        );
                    }
                }
                nt
            };
            for i in 0..=mine.mask() {
                let k = mine.slot(i).key.load(Ordering::Relaxed);
                if !mine.is_static_empty() && !k.is_null() && k != dummy() {
                    // SAFETY: our old table owned it; unlinked below.
                    bag.obj(unsafe { from_token(k) });
                }
            }
            self.s
                .fill
                .store(src.s.fill.load(Ordering::Relaxed), Ordering::Relaxed);
            self.s.table.store(nt.as_ptr(), Ordering::Release);
            self.s
                .used
                .store(src.s.used.load(Ordering::Relaxed), Ordering::Release);
            retire_table(mine, &mut bag);
        });
    }

    /// `s.intersection_update(other)` / `s &= other`.
    pub fn intersection_update(self, other: &Object) -> PyResult<()> {
        self.not_frozen("intersection_update")?;
        let tmp = self.intersection(other)?;
        self.take_contents(Set::of(&tmp).expect("set"));
        Ok(())
    }

    /// `s.difference(other)` / `s - other`.
    pub fn difference(self, other: &Object) -> PyResult<ObjRef> {
        let _e = support::enter();
        let other_len = match (Set::of(other), Dict::of(other)) {
            (Some(o), _) => Some(o.len()),
            (None, Some(d)) => Some(d.len()),
            _ => None,
        };
        match other_len {
            Some(n) if (self.len() >> 2) <= n => {}
            _ => {
                let r = self.copy_as_mutable()?;
                Set::of(&r)
                    .expect("set")
                    .difference_update_internal(other)?;
                return Ok(self.freeze_like(r));
            }
        }
        let r = self.new_like();
        let rs = Set::of(&r).expect("new set");
        self.obj.with_lock2(other, || {
            for (_, h, k) in self.snapshot_locked().items {
                let present = match Set::of(other) {
                    Some(o) => o.contains_hashed(&k, h)?,
                    None => Dict::of(other)
                        .expect("a set or a dict")
                        .get_hashed(&k, h)?
                        .is_some(),
                };
                if !present {
                    rs.add_hashed(&k, h)?;
                }
            }
            Ok::<(), PyErr>(())
        })?;
        Ok(r)
    }

    /// A mutable copy (a `set` even of a frozenset), for building results in place.
    fn copy_as_mutable(self) -> PyResult<ObjRef> {
        let r = new_set();
        let snap = self.snapshot();
        let rs = Set::of(&r).expect("new set");
        rs.obj.with_lock(|| rs.merge_locked(&snap))?;
        Ok(r)
    }

    /// Turns a result built as a `set` into this set's base type.
    fn freeze_like(self, r: ObjRef) -> ObjRef {
        if !self.is_frozen() {
            return r;
        }
        let f = new_frozenset();
        let fs = Set::of(&f).expect("frozenset");
        fs.take_contents(Set::of(&r).expect("set"));
        f
    }

    fn difference_update_internal(self, other: &Object) -> PyResult<()> {
        if self.obj.is(other) {
            self.clear_internal();
            return Ok(());
        }
        if let Some(o) = Set::of(other) {
            self.obj.with_lock2(other, || {
                for (_, h, k) in o.snapshot_locked().items {
                    self.discard_hashed(&k, h)?;
                }
                Ok::<(), PyErr>(())
            })?;
        } else {
            let it = support::get_iter(other)?;
            while let Some(k) = support::iter_next(&it)? {
                let h = Self::elem_hash(&k)?;
                self.discard_hashed(&k, h)?;
            }
        }
        // More than a quarter dummies: rebuild without them.
        let mut bag = Bag::new();
        self.obj.with_lock(|| {
            let fill = self.s.fill.load(Ordering::Relaxed);
            let used = self.s.used.load(Ordering::Relaxed);
            // SAFETY: under the lock.
            let mask = unsafe { self.table() }.mask();
            if fill - used > mask / 4 {
                self.s.sharing.note_write(self.obj, &mut bag);
                self.resize(if used > 50000 { used * 2 } else { used * 4 }, &mut bag);
            }
        });
        Ok(())
    }

    /// `s.difference_update(other)` / `s -= other`.
    pub fn difference_update(self, other: &Object) -> PyResult<()> {
        self.not_frozen("difference_update")?;
        let _e = support::enter();
        self.difference_update_internal(other)
    }

    /// `s.symmetric_difference(other)` / `s ^ other`.
    pub fn symmetric_difference(self, other: &Object) -> PyResult<ObjRef> {
        let _e = support::enter();
        let r = new_set();
        let rs = Set::of(&r).expect("new set");
        rs.update_internal(other)?;
        rs.symmetric_update_from(self)?;
        Ok(self.freeze_like(r))
    }

    /// For each key of `other`: discard it from `self`, or add it when absent.
    fn symmetric_update_from(self, other: Set<'_>) -> PyResult<()> {
        self.obj.with_lock2(other.obj, || {
            for (_, h, k) in other.snapshot_locked().items {
                if !self.discard_hashed(&k, h)? {
                    self.add_hashed(&k, h)?;
                }
            }
            Ok(())
        })
    }

    /// `s.symmetric_difference_update(other)` / `s ^= other`.
    pub fn symmetric_difference_update(self, other: &Object) -> PyResult<()> {
        self.not_frozen("symmetric_difference_update")?;
        let _e = support::enter();
        if self.obj.is(other) {
            self.clear_internal();
            return Ok(());
        }
        if let Some(d) = Dict::of(other) {
            return self.obj.with_lock2(other, || {
                for (h, k) in d.items_hashed_locked() {
                    if !self.discard_hashed(&k, h)? {
                        self.add_hashed(&k, h)?;
                    }
                }
                Ok(())
            });
        }
        match Set::of(other) {
            Some(o) => self.symmetric_update_from(o),
            None => {
                let tmp = set_from_iter(other)?;
                self.symmetric_update_from(Set::of(&tmp).expect("set"))
            }
        }
    }

    /// `s.issubset(other)` / `s <= other`.
    pub fn issubset(self, other: &Object) -> PyResult<bool> {
        let _e = support::enter();
        let Some(o) = Set::of(other) else {
            let tmp = self.intersection(other)?;
            return Ok(Set::of(&tmp).expect("set").len() == self.len());
        };
        if self.len() > o.len() {
            return Ok(false);
        }
        self.obj.with_lock2(other, || {
            for (_, h, k) in self.snapshot_locked().items {
                if !o.contains_hashed(&k, h)? {
                    return Ok(false);
                }
            }
            Ok(true)
        })
    }

    /// `s.issuperset(other)` / `s >= other`.
    pub fn issuperset(self, other: &Object) -> PyResult<bool> {
        if let Some(o) = Set::of(other) {
            return o.issubset(self.obj);
        }
        let _e = support::enter();
        let it = support::get_iter(other)?;
        while let Some(k) = support::iter_next(&it)? {
            if !self.contains(&k)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `s.isdisjoint(other)`.
    pub fn isdisjoint(self, other: &Object) -> PyResult<bool> {
        let _e = support::enter();
        if self.obj.is(other) {
            return Ok(self.is_empty());
        }
        if let Some(o) = Set::of(other) {
            return self.obj.with_lock2(other, || {
                let (small, big) = if o.len() > self.len() {
                    (self, o)
                } else {
                    (o, self)
                };
                for (_, h, k) in small.snapshot_locked().items {
                    if big.contains_hashed(&k, h)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            });
        }
        let it = support::get_iter(other)?;
        while let Some(k) = support::iter_next(&it)? {
            if self.contains(&k)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `s == other` for two sets (either may be frozen).
    pub fn eq(self, other: Set<'_>) -> PyResult<bool> {
        self.compare(other, CompareOp::Eq)
    }

    /// Rich comparison of two sets: `==`, `!=`, and the subset/superset orders.
    pub fn compare(self, other: Set<'_>, op: CompareOp) -> PyResult<bool> {
        let (a, b) = (self.len(), other.len());
        match op {
            CompareOp::Eq => {
                if a != b {
                    return Ok(false);
                }
                let (ha, hb) = (
                    self.s.hash.load(Ordering::Relaxed),
                    other.s.hash.load(Ordering::Relaxed),
                );
                if ha != -1 && hb != -1 && ha != hb {
                    return Ok(false);
                }
                self.issubset(other.obj)
            }
            CompareOp::Ne => Ok(!self.compare(other, CompareOp::Eq)?),
            CompareOp::Le => self.issubset(other.obj),
            CompareOp::Ge => self.issuperset(other.obj),
            CompareOp::Lt => Ok(a < b && self.issubset(other.obj)?),
            CompareOp::Gt => Ok(a > b && self.issuperset(other.obj)?),
        }
    }

    /// `repr(s)`: `{1, 2}`, `set()`, `frozenset({1})`, `set(...)` when recursive.
    pub fn repr(self) -> PyResult<String> {
        let name = self.obj.ty().name;
        support::repr_guard(
            self.obj,
            || format!("{name}(...)"),
            || {
                let keys = self.to_vec();
                if keys.is_empty() {
                    return Ok(format!("{name}()"));
                }
                let mut body = String::new();
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        body.push_str(", ");
                    }
                    body.push_str(&k.repr()?);
                }
                if self.obj.ty().is(&SET_TYPE) {
                    Ok(format!("{{{body}}}"))
                } else {
                    Ok(format!("{name}({{{body}}})"))
                }
            },
        )
    }

    /// CPython's frozenset hash of the current contents (independent of order).
    fn compute_hash(self) -> i64 {
        fn shuffle(h: u64) -> u64 {
            ((h ^ 89_869_747) ^ (h << 16)).wrapping_mul(3_644_798_167)
        }
        let snap = {
            let _e = support::enter();
            self.snapshot()
        };
        let mut h: u64 = 0;
        for (_, kh, _) in &snap.items {
            h ^= shuffle(*kh as u64);
        }
        h ^= (snap.items.len() as u64 + 1).wrapping_mul(1_927_868_237);
        h ^= (h >> 11) ^ (h >> 25);
        h = h.wrapping_mul(69_069).wrapping_add(907_133_923);
        if h == u64::MAX {
            h = 590_923_713;
        }
        h as i64
    }

    /// `hash(frozenset)`, computed once and cached.
    pub fn frozen_hash(self) -> i64 {
        let h = self.s.hash.load(Ordering::Relaxed);
        if h != -1 {
            return h;
        }
        let h = self.compute_hash();
        self.s.hash.store(h, Ordering::Relaxed);
        h
    }

    /// `hash(s)`: a frozenset's hash, `TypeError: unhashable type: 'set'` for a set.
    pub fn hash(self) -> PyResult<i64> {
        if self.is_frozen() {
            Ok(self.frozen_hash())
        } else {
            Err(PyErr::type_error("unhashable type: 'set'"))
        }
    }

    /// `iter(s)`: a new iterator object.
    pub fn iter(self) -> ObjRef {
        let n = self.len() as i64;
        ObjRef::new(SetIter {
            set: self.obj.to_ref(),
            pos: AtomicUsize::new(0),
            expected: AtomicI64::new(n),
        })
    }

    /// Claims the first active slot at position `pos` or later for an iterator. Lock-free.
    fn claim_slot(self, pos: usize, claim: impl Fn(usize, usize) -> bool) -> Claim {
        self.s.sharing.note_read(self.obj);
        let scan = || {
            // SAFETY: under a read section or the lock.
            let t = unsafe { self.table() };
            let mask = t.mask();
            let dm = dummy();
            let mut j = pos;
            while j <= mask {
                let k = t.slot(j).key.load(Ordering::Acquire);
                if !k.is_null() && k != dm {
                    break;
                }
                j += 1;
            }
            if j > mask {
                return if claim(pos, usize::MAX) {
                    Claim::End
                } else {
                    Claim::Lost
                };
            }
            if !claim(pos, j + 1) {
                return Claim::Lost;
            }
            let k = t.slot(j).key.load(Ordering::Acquire);
            if k.is_null() || k == dm {
                return Claim::Gone;
            }
            // SAFETY: loaded under protection (see `dict/reclaim.rs`).
            Claim::Item(unsafe { clone_token(k) })
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

/// A set's active slots in slot order, with the table's shape.
struct Snapshot {
    mask: usize,
    /// No dummies (`fill == used`).
    clean: bool,
    items: Vec<(usize, i64, ObjRef)>,
}

/// Retires an unlinked table (the static empty table is never freed).
fn retire_table(t: Table<'_>, bag: &mut Bag) {
    if t.is_static_empty() {
        return;
    }
    /// # Safety
    /// `p` is an unlinked table from `Table::alloc`.
    unsafe fn free_table(p: *mut ()) {
        // SAFETY: per the contract; called once, after the grace period.
        unsafe { Table::from_raw(p as *mut Header).free() }
    }
    // SAFETY: `t` was just unlinked under the lock.
    unsafe { bag.raw(t.as_ptr() as *mut (), free_table) };
}

// ---------------------------------------------------------------------------------------------
// Iterator.
// ---------------------------------------------------------------------------------------------

/// The payload of `set_iterator`: the set and a slot cursor shared by every thread.
pub struct SetIter {
    set: ObjRef,
    /// Next slot to examine; `usize::MAX` once exhausted.
    pos: AtomicUsize,
    /// The set's size when iteration began; -1 after a size change was reported (sticky).
    expected: AtomicI64,
}

impl Payload for SetIter {
    fn type_object() -> &'static TypeObject {
        &SET_ITER_TYPE
    }
}

weft_sync::shim_static! {
    /// `set_iterator`
    pub static SET_ITER_TYPE: TypeObject = TypeObject::new_static::<SetIter>(
        "set_iterator",
        Some(&OBJECT_TYPE),
        Slots {
            iter: Some(|o| Ok(o.to_ref())),
            next: Some(|o| {
                o.downcast::<SetIter>()
                    .ok_or_else(|| PyErr::type_error("expected a set iterator"))?
                    .next_key()
            }),
            ..Slots::EMPTY
        },
    );
}

impl SetIter {
    /// The next element; `None` when exhausted. Safe to call from any number of threads.
    pub fn next_key(&self) -> PyResult<Option<ObjRef>> {
        let s = Set::of(&self.set).expect("a set iterator holds a set");
        let _e = support::enter();
        loop {
            let exp = self.expected.load(Ordering::Relaxed);
            if exp < 0 || s.len() != exp as usize {
                self.expected.store(-1, Ordering::Relaxed);
                return Err(PyErr::new(
                    ExcKind::RuntimeError,
                    "Set changed size during iteration",
                ));
            }
            let pos = self.pos.load(Ordering::Acquire);
            if pos == usize::MAX {
                return Ok(None);
            }
            let claim = |from: usize, to: usize| {
                self.pos
                    .compare_exchange(from, to, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
            };
            match s.claim_slot(pos, claim) {
                Claim::Lost | Claim::Gone => continue,
                Claim::End => return Ok(None),
                Claim::Item(k) => return Ok(Some(k)),
            }
        }
    }
}
