//! `tuple`: an immutable sequence of references, with a cached hash.
//!
//! A tuple's items never change after construction, so every read is a plain borrow of the
//! payload's slice: no lock, no atomics, in both builds. The hash is computed on first use
//! with CPython's algorithm (xxHash-based since 3.8, so `hash((1, 2))` is the same number as in
//! CPython) and cached; an unhashable item makes `hash()` raise the item's `TypeError` every
//! time (nothing is cached then). The empty tuple is an immortal singleton.
//!
//! Also here, because both sequence types use them: [`Slice`] (Python's slice arithmetic),
//! [`index_value`] (an index object to an `i64`), and the per-thread repr recursion guard
//! ([`repr_enter`]).

use std::cell::RefCell;
use std::sync::OnceLock;

use weft_object::scalar::int::Int;
use weft_object::types::OBJECT_TYPE;
use weft_object::{
    CompareOp, ExcKind, NumberSlots, ObjRef, Object, Payload, PyErr, PyResult, Slots, TypeObject,
    bool_obj, not_implemented,
};
use weft_sync::shim::atomic::{AtomicI64, Ordering};

/// The payload of a `tuple`: its items and its cached hash.
#[derive(Debug)]
pub struct PyTuple {
    items: Box<[ObjRef]>,
    /// The hash once computed; [`NO_HASH`] before (Python hashes are never -1).
    hash: AtomicI64,
}

const NO_HASH: i64 = -1;

impl PyTuple {
    /// A tuple payload holding `items`.
    pub fn new(items: Vec<ObjRef>) -> PyTuple {
        PyTuple {
            items: items.into_boxed_slice(),
            hash: AtomicI64::new(NO_HASH),
        }
    }

    /// Number of items.
    #[inline]
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the tuple is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items.
    #[inline]
    pub fn as_slice(&self) -> &[ObjRef] {
        &self.items
    }

    /// The item at `i`, if in range.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&ObjRef> {
        self.items.get(i)
    }

    /// `hash(t)`: CPython's tuple hash (computed once, then cached). Raises the `TypeError` of
    /// an unhashable item.
    pub fn hash(&self) -> PyResult<i64> {
        let h = self.hash.load(Ordering::Relaxed);
        if h != NO_HASH {
            return Ok(h);
        }
        let h = hash_items(&self.items)?;
        // Racing first calls compute the same value.
        self.hash.store(h, Ordering::Relaxed);
        Ok(h)
    }
}

impl Payload for PyTuple {
    fn type_object() -> &'static TypeObject {
        &TUPLE_TYPE
    }
}

/// CPython's tuple hash (`tuplehash` since 3.8): an xxHash-like combination of the items'
/// hashes, with the length mixed in so that `hash(())` keeps its historical value.
pub fn hash_items(items: &[ObjRef]) -> PyResult<i64> {
    const PRIME_1: u64 = 11400714785074694791;
    const PRIME_2: u64 = 14029467366897019727;
    const PRIME_5: u64 = 2870177450012600261;
    let mut acc = PRIME_5;
    for item in items {
        let lane = item.hash()? as u64;
        acc = acc.wrapping_add(lane.wrapping_mul(PRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(PRIME_1);
    }
    acc = acc.wrapping_add((items.len() as u64) ^ (PRIME_5 ^ 3527539));
    if acc == u64::MAX {
        return Ok(1546275796);
    }
    Ok(acc as i64)
}

weft_sync::shim_static! {
    /// `tuple`
    pub static TUPLE_TYPE: TypeObject = TypeObject::new_static::<PyTuple>(
        "tuple",
        Some(&OBJECT_TYPE),
        Slots {
            hash: Some(|o| tuple_of(o).hash()),
            repr: Some(tuple_repr),
            richcompare: Some(tuple_richcompare),
            len: Some(|o| Ok(tuple_of(o).len())),
            getitem: Some(|o, key| tuple_getitem(o, index_value(key, "tuple")?)),
            contains: Some(tuple_contains),
            iter: Some(|o| Ok(crate::iter::tuple_iter(o))),
            number: NumberSlots {
                add: Some(|a, b| match (as_tuple(a), as_tuple(b)) {
                    (Some(_), Some(_)) => tuple_concat(a, b),
                    _ => Ok(not_implemented().to_ref()),
                }),
                mul: Some(tuple_mul_slot),
                ..NumberSlots::EMPTY
            },
            ..Slots::EMPTY
        },
    );
}

fn tuple_of(o: &Object) -> &PyTuple {
    o.downcast::<PyTuple>().expect("tuple slot on a non-tuple")
}

/// The tuple payload of `o`, if `o` is a tuple (or an instance of a subtype).
#[inline]
pub fn as_tuple(o: &Object) -> Option<&PyTuple> {
    o.downcast::<PyTuple>()
}

/// The empty tuple (an immortal singleton: every `()` is the same object).
pub fn empty_tuple() -> ObjRef {
    static EMPTY: OnceLock<&'static Object> = OnceLock::new();
    EMPTY
        .get_or_init(|| ObjRef::new(PyTuple::new(Vec::new())).into_immortal())
        .to_ref()
}

/// A new tuple holding `items` (the empty tuple singleton when `items` is empty).
pub fn new_tuple(items: Vec<ObjRef>) -> ObjRef {
    if items.is_empty() {
        return empty_tuple();
    }
    ObjRef::new(PyTuple::new(items))
}

/// A new tuple holding new references to `items`.
pub fn tuple_from_slice(items: &[ObjRef]) -> ObjRef {
    new_tuple(items.to_vec())
}

/// `t[i]` with Python's negative indexing; `IndexError: tuple index out of range`.
pub fn tuple_getitem(t: &Object, i: i64) -> PyResult<ObjRef> {
    let tup = tuple_of(t);
    match normalize_index(i, tup.len()) {
        Some(i) => Ok(tup.items[i].clone()),
        None => Err(PyErr::new(ExcKind::IndexError, "tuple index out of range")),
    }
}

/// `t[slice]`: a new tuple (the same object for a full-range step-1 slice of an exact tuple).
pub fn tuple_slice(t: &Object, slice: &Slice) -> PyResult<ObjRef> {
    let tup = tuple_of(t);
    let ix = slice.indices(tup.len())?;
    if ix.step == 1 && ix.len == tup.len() && t.ty().is(&TUPLE_TYPE) {
        return Ok(t.to_ref());
    }
    Ok(new_tuple(ix.iter().map(|i| tup.items[i].clone()).collect()))
}

/// `x in t`: identity, then `==`, item by item.
pub fn tuple_contains(t: &Object, x: &Object) -> PyResult<bool> {
    for item in tuple_of(t).as_slice() {
        if item.eq(x)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `t.count(x)`.
pub fn tuple_count(t: &Object, x: &Object) -> PyResult<usize> {
    let mut n = 0;
    for item in tuple_of(t).as_slice() {
        if item.eq(x)? {
            n += 1;
        }
    }
    Ok(n)
}

/// `t.index(x, start, stop)`; `ValueError: tuple.index(x): x not in tuple`.
pub fn tuple_index(
    t: &Object,
    x: &Object,
    start: Option<i64>,
    stop: Option<i64>,
) -> PyResult<usize> {
    let items = tuple_of(t).as_slice();
    let (lo, hi) = clamp_range(start, stop, items.len());
    for (i, item) in items.iter().enumerate().take(hi).skip(lo) {
        if item.eq(x)? {
            return Ok(i);
        }
    }
    Err(PyErr::value_error("tuple.index(x): x not in tuple"))
}

/// `a + b` for tuples; `TypeError: can only concatenate tuple (not "list") to tuple` when `b`
/// is not a tuple.
pub fn tuple_concat(a: &Object, b: &Object) -> PyResult<ObjRef> {
    let x = tuple_of(a);
    let Some(y) = as_tuple(b) else {
        return Err(PyErr::type_error(format!(
            "can only concatenate tuple (not \"{}\") to tuple",
            b.ty().name
        )));
    };
    let exact = |o: &Object| o.ty().is(&TUPLE_TYPE);
    if y.is_empty() && exact(a) {
        return Ok(a.to_ref());
    }
    if x.is_empty() && exact(b) {
        return Ok(b.to_ref());
    }
    let mut v = Vec::with_capacity(x.len() + y.len());
    v.extend_from_slice(x.as_slice());
    v.extend_from_slice(y.as_slice());
    Ok(new_tuple(v))
}

/// `t * n`: `MemoryError` when the result could not be represented.
pub fn tuple_repeat(t: &Object, n: i64) -> PyResult<ObjRef> {
    let tup = tuple_of(t);
    if n <= 0 || tup.is_empty() {
        return Ok(empty_tuple());
    }
    if n == 1 && t.ty().is(&TUPLE_TYPE) {
        return Ok(t.to_ref());
    }
    let total = repeat_len(tup.len(), n)?;
    let mut v = Vec::with_capacity(total);
    for _ in 0..n {
        v.extend_from_slice(tup.as_slice());
    }
    Ok(new_tuple(v))
}

/// The length of a sequence of `len` items repeated `n > 0` times, or `MemoryError`.
pub(crate) fn repeat_len(len: usize, n: i64) -> PyResult<usize> {
    usize::try_from(n)
        .ok()
        .and_then(|n| len.checked_mul(n))
        .filter(|&t| t <= isize::MAX as usize / std::mem::size_of::<ObjRef>())
        .ok_or_else(|| PyErr::new(ExcKind::MemoryError, ""))
}

/// The `*` slot: `tuple * int` and `int * tuple`.
fn tuple_mul_slot(a: &Object, b: &Object) -> PyResult<ObjRef> {
    let (t, n) = match (as_tuple(a), as_tuple(b)) {
        (Some(_), _) => (a, b),
        (None, Some(_)) => (b, a),
        _ => return Ok(not_implemented().to_ref()),
    };
    match repeat_count(n)? {
        Some(k) => tuple_repeat(t, k),
        None => Ok(not_implemented().to_ref()),
    }
}

/// The repeat count of `seq * n`: `None` when `n` is not an int (the slot then returns
/// NotImplemented); `OverflowError` beyond the index range, as in CPython.
pub(crate) fn repeat_count(n: &Object) -> PyResult<Option<i64>> {
    let Some(i) = n.downcast::<Int>() else {
        return Ok(None);
    };
    match i.as_i64() {
        Some(v) => Ok(Some(v)),
        None if i.is_negative() => Ok(Some(0)),
        None => Err(PyErr::new(
            ExcKind::OverflowError,
            "cannot fit 'int' into an index-sized integer",
        )),
    }
}

/// Rich comparison of two tuples (CPython's `tuplerichcompare`): the first index at which the
/// items differ decides (`==` with identity first); if there is none, the lengths do.
pub fn tuple_richcompare(a: &Object, b: &Object, op: CompareOp) -> PyResult<ObjRef> {
    let (Some(x), Some(y)) = (as_tuple(a), as_tuple(b)) else {
        return Ok(not_implemented().to_ref());
    };
    let (xs, ys) = (x.as_slice(), y.as_slice());
    let mut i = 0;
    while i < xs.len() && i < ys.len() {
        if !xs[i].eq(&ys[i])? {
            break;
        }
        i += 1;
    }
    if i >= xs.len() || i >= ys.len() {
        return Ok(bool_obj(op.test(xs.len().cmp(&ys.len()))));
    }
    match op {
        CompareOp::Eq => Ok(bool_obj(false)),
        CompareOp::Ne => Ok(bool_obj(true)),
        _ => xs[i].compare(&ys[i], op),
    }
}

fn tuple_repr(o: &Object) -> PyResult<String> {
    let items = tuple_of(o).as_slice();
    if items.is_empty() {
        return Ok("()".into());
    }
    let Some(_guard) = repr_enter(o) else {
        return Ok("(...)".into());
    };
    let mut s = String::from("(");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&item.repr()?);
    }
    if items.len() == 1 {
        s.push(',');
    }
    s.push(')');
    Ok(s)
}

// ---------------------------------------------------------------------------------------------
// Indices and slices (shared with `list`).

/// Python's index arithmetic: `i` (negative counts from the end) as a position in a sequence
/// of `len` items, or `None` when out of range.
#[inline]
pub fn normalize_index(i: i64, len: usize) -> Option<usize> {
    let j = if i < 0 { i.checked_add(len as i64)? } else { i };
    if j >= 0 && (j as u64) < len as u64 {
        Some(j as usize)
    } else {
        None
    }
}

/// An index object's value for `seq[key]`: an `int` (or `bool`). Otherwise `TypeError:
/// <seq> indices must be integers or slices, not <type>`; an int beyond `i64` is an
/// `IndexError: cannot fit 'int' into an index-sized integer`, as in CPython.
pub fn index_value(key: &Object, seq: &str) -> PyResult<i64> {
    match key.downcast::<Int>() {
        Some(i) => i.as_i64().ok_or_else(|| {
            PyErr::new(
                ExcKind::IndexError,
                "cannot fit 'int' into an index-sized integer",
            )
        }),
        None => Err(PyErr::type_error(format!(
            "{seq} indices must be integers or slices, not {}",
            key.ty().name
        ))),
    }
}

/// `start`/`stop` of `index(x, start, stop)` clamped to `0..=len` (negative values count
/// from the end), as CPython's `list.index` / `tuple.index` do.
pub(crate) fn clamp_range(start: Option<i64>, stop: Option<i64>, len: usize) -> (usize, usize) {
    let clamp = |v: i64| -> usize {
        if v < 0 {
            (v + len as i64).max(0) as usize
        } else {
            (v as u64).min(len as u64) as usize
        }
    };
    (clamp(start.unwrap_or(0)), stop.map_or(len, clamp))
}

/// A slice `start:stop:step` with Python's defaults for missing parts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slice {
    /// The start, or `None` for the default.
    pub start: Option<i64>,
    /// The stop, or `None` for the default.
    pub stop: Option<i64>,
    /// The step, or `None` for 1.
    pub step: Option<i64>,
}

/// A slice resolved against a length (`slice.indices(len)` plus the number of positions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SliceIndices {
    /// First position.
    pub start: i64,
    /// End (exclusive, in the direction of `step`).
    pub stop: i64,
    /// Step, never zero.
    pub step: i64,
    /// Number of positions selected.
    pub len: usize,
}

impl Slice {
    /// `start:stop:step`.
    pub fn new(start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> Slice {
        Slice { start, stop, step }
    }

    /// Resolves the slice against a sequence of `len` items (CPython's `PySlice_Unpack` +
    /// `PySlice_AdjustIndices`). `ValueError: slice step cannot be zero`.
    pub fn indices(&self, len: usize) -> PyResult<SliceIndices> {
        let step = self.step.unwrap_or(1);
        if step == 0 {
            return Err(PyErr::value_error("slice step cannot be zero"));
        }
        // CPython clamps the step to -PY_SSIZE_T_MAX so that negating it cannot overflow.
        let step = step.max(-i64::MAX);
        let len = len as i64;
        let adjust = |v: Option<i64>, default_fwd: i64, default_back: i64| -> i64 {
            match v {
                None => {
                    if step < 0 {
                        default_back
                    } else {
                        default_fwd
                    }
                }
                Some(v) if v < 0 => {
                    let v = v.saturating_add(len);
                    if v < 0 {
                        if step < 0 { -1 } else { 0 }
                    } else {
                        v
                    }
                }
                Some(v) if v >= len => {
                    if step < 0 {
                        len - 1
                    } else {
                        len
                    }
                }
                Some(v) => v,
            }
        };
        let start = adjust(self.start, 0, len - 1);
        let stop = adjust(self.stop, len, -1);
        let n = if step < 0 {
            if stop < start {
                (start - stop - 1) / (-step) + 1
            } else {
                0
            }
        } else if start < stop {
            (stop - start - 1) / step + 1
        } else {
            0
        };
        Ok(SliceIndices {
            start,
            stop,
            step,
            len: n as usize,
        })
    }
}

impl SliceIndices {
    /// The selected positions, in slice order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + use<> {
        let (start, step) = (self.start, self.step);
        (0..self.len as i64).map(move |k| (start + k * step) as usize)
    }
}

// ---------------------------------------------------------------------------------------------
// Repr recursion guard.

weft_sync::shim_thread_local! {
    /// Identities of the containers whose repr is being computed on this thread.
    static REPR_ACTIVE: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Proof that this thread is computing the repr of an object; leaves on drop.
#[derive(Debug)]
pub struct ReprGuard {
    id: usize,
}

/// Enters the repr of `o` on this thread: `None` when this thread is already inside the repr
/// of `o` (a self-referencing container: print `[...]`, `(...)`), like CPython's
/// `Py_ReprEnter`.
pub fn repr_enter(o: &Object) -> Option<ReprGuard> {
    let id = o.id();
    REPR_ACTIVE
        .try_with(|a| {
            let mut a = a.borrow_mut();
            if a.contains(&id) {
                None
            } else {
                a.push(id);
                Some(ReprGuard { id })
            }
        })
        .ok()
        .flatten()
}

impl Drop for ReprGuard {
    fn drop(&mut self) {
        let _ = REPR_ACTIVE.try_with(|a| {
            let mut a = a.borrow_mut();
            if let Some(pos) = a.iter().rposition(|&x| x == self.id) {
                a.remove(pos);
            }
        });
    }
}
