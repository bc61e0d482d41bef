//! Dict views (`dict_keys`, `dict_values`, `dict_items`) and dict iterators.
//!
//! An iterator's cursor is an atomic entry position shared by every thread that calls `next`
//! on it: a call scans forward from the cursor to the next live entry and claims it with a
//! compare-and-swap of the cursor (from the position it scanned from to one past the entry).
//! Claimed ranges are disjoint and contiguous, so with the dict unchanged each live entry is
//! yielded exactly once, whatever the number of threads. A change of the dict's size raises
//! `RuntimeError: dictionary changed size during iteration` (sticky, as in CPython), and an
//! iterator that finds more entries than the dict had when it started raises `RuntimeError:
//! dictionary keys changed during iteration`.

use weft_object::types::OBJECT_TYPE;
use weft_object::{
    CompareOp, ExcKind, ObjRef, Object, Payload, PyErr, PyResult, Slots, TypeObject, bool_obj,
    not_implemented,
};
use weft_sync::shim::atomic::{AtomicI64, AtomicUsize, Ordering};

use super::support;
use super::{Claim, Dict};

/// What a view or iterator yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IterKind {
    /// Keys (`iter(d)`, `d.keys()`).
    Keys,
    /// Values (`d.values()`).
    Values,
    /// `(key, value)` pairs (`d.items()`).
    Items,
}

/// The payload of the `dict_keys`, `dict_values` and `dict_items` views: the dict they show.
pub struct DictView {
    dict: ObjRef,
}

impl DictView {
    /// The dict this view shows.
    pub fn dict(&self) -> Dict<'_> {
        Dict::of(&self.dict).expect("a view holds a dict")
    }

    /// The view's kind, from its type.
    pub fn kind_of(o: &Object) -> Option<IterKind> {
        let t = o.ty();
        if t.is_subtype(&DICT_KEYS_TYPE) {
            Some(IterKind::Keys)
        } else if t.is_subtype(&DICT_VALUES_TYPE) {
            Some(IterKind::Values)
        } else if t.is_subtype(&DICT_ITEMS_TYPE) {
            Some(IterKind::Items)
        } else {
            None
        }
    }
}

impl Payload for DictView {
    fn type_object() -> &'static TypeObject {
        &DICT_KEYS_TYPE
    }
}

pub(super) fn new_view(d: Dict<'_>, kind: IterKind) -> ObjRef {
    let ty: &'static TypeObject = match kind {
        IterKind::Keys => &DICT_KEYS_TYPE,
        IterKind::Values => &DICT_VALUES_TYPE,
        IterKind::Items => &DICT_ITEMS_TYPE,
    };
    ObjRef::with_type(
        DictView {
            dict: d.object().to_ref(),
        },
        ty,
    )
}

fn view_of(o: &Object) -> PyResult<(&DictView, IterKind)> {
    match (o.downcast::<DictView>(), DictView::kind_of(o)) {
        (Some(v), Some(k)) => Ok((v, k)),
        _ => Err(PyErr::type_error(format!(
            "expected a dict view, got '{}'",
            o.ty().name
        ))),
    }
}

const fn view_slots(set_like: bool) -> Slots {
    Slots {
        repr: Some(view_repr),
        len: Some(|o| Ok(view_of(o)?.0.dict().len())),
        iter: Some(|o| {
            let (v, k) = view_of(o)?;
            Ok(new_iter(v.dict(), k))
        }),
        contains: Some(view_contains),
        richcompare: if set_like {
            Some(view_richcompare)
        } else {
            None
        },
        ..Slots::EMPTY
    }
}

weft_sync::shim_static! {
    /// `dict_keys`
    pub static DICT_KEYS_TYPE: TypeObject =
        TypeObject::new_static::<DictView>("dict_keys", Some(&OBJECT_TYPE), view_slots(true));
}
weft_sync::shim_static! {
    /// `dict_values`
    pub static DICT_VALUES_TYPE: TypeObject =
        TypeObject::new_static::<DictView>("dict_values", Some(&OBJECT_TYPE), view_slots(false));
}
weft_sync::shim_static! {
    /// `dict_items`
    pub static DICT_ITEMS_TYPE: TypeObject =
        TypeObject::new_static::<DictView>("dict_items", Some(&OBJECT_TYPE), view_slots(true));
}

fn view_repr(o: &Object) -> PyResult<String> {
    let (v, kind) = view_of(o)?;
    support::repr_guard(
        o,
        || "...".to_owned(),
        || {
            let mut s = format!("{}([", o.ty().name);
            for (i, (k, val)) in v.dict().items_vec().iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                match kind {
                    IterKind::Keys => s.push_str(&k.repr()?),
                    IterKind::Values => s.push_str(&val.repr()?),
                    IterKind::Items => {
                        s.push('(');
                        s.push_str(&k.repr()?);
                        s.push_str(", ");
                        s.push_str(&val.repr()?);
                        s.push(')');
                    }
                }
            }
            s.push_str("])");
            Ok(s)
        },
    )
}

fn view_contains(o: &Object, x: &Object) -> PyResult<bool> {
    let (v, kind) = view_of(o)?;
    let d = v.dict();
    match kind {
        IterKind::Keys => d.contains(x),
        IterKind::Values => {
            for val in d.values_vec() {
                if val.eq(x)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        IterKind::Items => {
            let Some((k, val)) = pair_parts(x)? else {
                return Ok(false);
            };
            match d.get(&k)? {
                Some(found) => found.eq(&val),
                None => Ok(false),
            }
        }
    }
}

/// The two items of a 2-tuple (what `x in d.items()` accepts, as in CPython), or `None`.
fn pair_parts(x: &Object) -> PyResult<Option<(ObjRef, ObjRef)>> {
    Ok(x.downcast::<crate::tuple::PyTuple>()
        .and_then(|t| match t.as_slice() {
            [a, b] => Some((a.clone(), b.clone())),
            _ => None,
        }))
}

/// Whether `o` is set-like for view comparisons (a set, a frozenset, a keys or items view).
fn set_like(o: &Object) -> bool {
    crate::set::Set::of(o).is_some()
        || matches!(DictView::kind_of(o), Some(IterKind::Keys | IterKind::Items))
}

fn len_of(o: &Object) -> PyResult<usize> {
    match o.ty().slots.len {
        Some(f) => f(o),
        None => Err(PyErr::type_error(format!(
            "object of type '{}' has no len()",
            o.ty().name
        ))),
    }
}

fn contains_of(o: &Object, x: &Object) -> PyResult<bool> {
    match o.ty().slots.contains {
        Some(f) => f(o, x),
        None => Err(PyErr::type_error(format!(
            "argument of type '{}' is not iterable",
            o.ty().name
        ))),
    }
}

/// Whether every item of `a` is in `b`.
pub(crate) fn all_in(a: &Object, b: &Object) -> PyResult<bool> {
    let it = support::get_iter(a)?;
    while let Some(x) = support::iter_next(&it)? {
        if !contains_of(b, &x)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn view_richcompare(a: &Object, b: &Object, op: CompareOp) -> PyResult<ObjRef> {
    if !set_like(b) {
        return Ok(not_implemented().to_ref());
    }
    let (la, lb) = (len_of(a)?, len_of(b)?);
    let r = match op {
        CompareOp::Eq => la == lb && all_in(a, b)?,
        CompareOp::Ne => !(la == lb && all_in(a, b)?),
        CompareOp::Le => la <= lb && all_in(a, b)?,
        CompareOp::Lt => la < lb && all_in(a, b)?,
        CompareOp::Ge => la >= lb && all_in(b, a)?,
        CompareOp::Gt => la > lb && all_in(b, a)?,
    };
    Ok(bool_obj(r))
}

// ---------------------------------------------------------------------------------------------
// Iterators.
// ---------------------------------------------------------------------------------------------

/// The payload of the dict iterator types: the dict, a shared cursor and CPython's checks.
pub struct DictIter {
    dict: ObjRef,
    kind: IterKind,
    /// The next entry position to examine; `usize::MAX` once exhausted.
    pos: AtomicUsize,
    /// The dict's size when iteration began; -1 after a size change was reported (sticky).
    expected: AtomicI64,
    /// Items still expected (CPython's `di_len`).
    remaining: AtomicI64,
}

impl Payload for DictIter {
    fn type_object() -> &'static TypeObject {
        &DICT_KEYITER_TYPE
    }
}

const ITER_SLOTS: Slots = Slots {
    iter: Some(|o| Ok(o.to_ref())),
    next: Some(|o| iter_of(o)?.next_obj()),
    len: Some(|o| Ok(iter_of(o)?.length_hint())),
    ..Slots::EMPTY
};

weft_sync::shim_static! {
    /// `dict_keyiterator`
    pub static DICT_KEYITER_TYPE: TypeObject =
        TypeObject::new_static::<DictIter>("dict_keyiterator", Some(&OBJECT_TYPE), ITER_SLOTS);
}
weft_sync::shim_static! {
    /// `dict_valueiterator`
    pub static DICT_VALUEITER_TYPE: TypeObject =
        TypeObject::new_static::<DictIter>("dict_valueiterator", Some(&OBJECT_TYPE), ITER_SLOTS);
}
weft_sync::shim_static! {
    /// `dict_itemiterator`
    pub static DICT_ITEMITER_TYPE: TypeObject =
        TypeObject::new_static::<DictIter>("dict_itemiterator", Some(&OBJECT_TYPE), ITER_SLOTS);
}

fn iter_of(o: &Object) -> PyResult<&DictIter> {
    o.downcast::<DictIter>()
        .ok_or_else(|| PyErr::type_error("expected a dict iterator"))
}

pub(super) fn new_iter(d: Dict<'_>, kind: IterKind) -> ObjRef {
    let n = d.len() as i64;
    let ty: &'static TypeObject = match kind {
        IterKind::Keys => &DICT_KEYITER_TYPE,
        IterKind::Values => &DICT_VALUEITER_TYPE,
        IterKind::Items => &DICT_ITEMITER_TYPE,
    };
    ObjRef::with_type(
        DictIter {
            dict: d.object().to_ref(),
            kind,
            pos: AtomicUsize::new(0),
            expected: AtomicI64::new(n),
            remaining: AtomicI64::new(n),
        },
        ty,
    )
}

fn runtime_error(msg: &str) -> PyErr {
    PyErr::new(ExcKind::RuntimeError, msg)
}

impl DictIter {
    /// What this iterator yields.
    pub fn kind(&self) -> IterKind {
        self.kind
    }

    /// The next `(key, value)`, whatever the iterator's kind; `None` when exhausted. Safe to
    /// call from any number of threads at once.
    pub fn next_item(&self) -> PyResult<Option<(ObjRef, ObjRef)>> {
        let d = Dict::of(&self.dict).expect("a dict iterator holds a dict");
        let _e = support::enter();
        loop {
            let exp = self.expected.load(Ordering::Relaxed);
            if exp < 0 || d.len() != exp as usize {
                self.expected.store(-1, Ordering::Relaxed);
                return Err(runtime_error("dictionary changed size during iteration"));
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
            match d.claim_entry(pos, claim) {
                Claim::Lost | Claim::Gone => continue,
                Claim::End => return Ok(None),
                Claim::Item(k, v) => {
                    if self.remaining.fetch_sub(1, Ordering::AcqRel) <= 0 {
                        self.remaining.store(0, Ordering::Relaxed);
                        return Err(runtime_error("dictionary keys changed during iteration"));
                    }
                    return Ok(Some((k, v)));
                }
            }
        }
    }

    /// The next item as a Python object: the key, the value, or a `(key, value)` tuple.
    pub fn next_obj(&self) -> PyResult<Option<ObjRef>> {
        Ok(self.next_item()?.map(|(k, v)| match self.kind {
            IterKind::Keys => k,
            IterKind::Values => v,
            IterKind::Items => make_pair(k, v),
        }))
    }

    /// Items left (CPython's `__length_hint__`): 0 once the dict changed size.
    pub fn length_hint(&self) -> usize {
        let d = Dict::of(&self.dict).expect("a dict iterator holds a dict");
        let exp = self.expected.load(Ordering::Relaxed);
        if exp < 0 || d.len() != exp as usize || self.pos.load(Ordering::Relaxed) == usize::MAX {
            0
        } else {
            self.remaining.load(Ordering::Relaxed).max(0) as usize
        }
    }
}

/// A `(key, value)` tuple.
pub(crate) fn make_pair(k: ObjRef, v: ObjRef) -> ObjRef {
    crate::tuple::new_tuple(vec![k, v])
}
