//! Iterators over tuples and lists (forward and reversed), safe to share between threads.
//!
//! CPython's free-threaded build documents that an iterator shared between threads may yield
//! an item twice or skip one (its index update is a plain read-modify-write). Here a position
//! is *claimed* with a compare-and-swap on the iterator's index before the item is read, so any
//! number of threads calling `next` on one iterator never crash, never get the same position
//! twice and never skip one: over an unchanged sequence, the union of what they get is the
//! sequence, each item once.
//!
//! Exhaustion is sticky, as in CPython: once `next` has found the end, every later call
//! returns `None`, even if the list grows afterwards. A list mutated during iteration behaves
//! as in CPython: the iterator indexes into the current contents (items may be seen twice or
//! missed if the list is shifted under it; no error). The iterator keeps its sequence alive
//! until it is dropped.

use weft_object::types::OBJECT_TYPE;
use weft_object::{ObjRef, Object, Payload, PyResult, Slots, TypeObject};
use weft_sync::shim::atomic::{AtomicUsize, Ordering};

use crate::list::List;
use crate::tuple::as_tuple;

/// The index value of an exhausted forward iterator.
const EXHAUSTED: usize = usize::MAX;

/// Claims the next forward position below `len()`, or marks the iterator exhausted.
#[inline]
fn claim_forward(next: &AtomicUsize, len: impl Fn() -> usize) -> Option<usize> {
    let mut i = next.load(Ordering::Relaxed);
    loop {
        if i == EXHAUSTED {
            return None;
        }
        let target = if i < len() { i + 1 } else { EXHAUSTED };
        match next.compare_exchange_weak(i, target, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) if target == EXHAUSTED => return None,
            Ok(_) => return Some(i),
            Err(cur) => i = cur,
        }
    }
}

/// The payload of a `tuple_iterator`.
#[derive(Debug)]
pub struct TupleIter {
    seq: ObjRef,
    next: AtomicUsize,
}

impl Payload for TupleIter {
    fn type_object() -> &'static TypeObject {
        &TUPLE_ITER_TYPE
    }
}

impl TupleIter {
    /// The next item, or `None` at the end.
    pub fn next(&self) -> Option<ObjRef> {
        let t = as_tuple(&self.seq).expect("tuple iterator over a tuple");
        let i = claim_forward(&self.next, || t.len())?;
        t.get(i).cloned()
    }

    /// How many items are left (`__length_hint__`).
    pub fn length_hint(&self) -> usize {
        let t = as_tuple(&self.seq).expect("tuple iterator over a tuple");
        match self.next.load(Ordering::Relaxed) {
            EXHAUSTED => 0,
            i => t.len().saturating_sub(i),
        }
    }
}

/// The payload of a `list_iterator`.
#[derive(Debug)]
pub struct ListIter {
    seq: ObjRef,
    next: AtomicUsize,
}

impl Payload for ListIter {
    fn type_object() -> &'static TypeObject {
        &LIST_ITER_TYPE
    }
}

impl ListIter {
    /// The next item, or `None` at the end.
    pub fn next(&self) -> Option<ObjRef> {
        let l = List::of(&self.seq).expect("list iterator over a list");
        let i = claim_forward(&self.next, || l.len())?;
        match l.get_index(i) {
            Some(x) => Some(x),
            None => {
                // The list shrank after the claim: that is its end for this iterator.
                self.next.store(EXHAUSTED, Ordering::Relaxed);
                None
            }
        }
    }

    /// How many items are left (`__length_hint__`).
    pub fn length_hint(&self) -> usize {
        let l = List::of(&self.seq).expect("list iterator over a list");
        match self.next.load(Ordering::Relaxed) {
            EXHAUSTED => 0,
            i => l.len().saturating_sub(i),
        }
    }
}

/// The payload of a `list_reverseiterator`.
#[derive(Debug)]
pub struct ListRevIter {
    seq: ObjRef,
    /// The next index plus one; 0 once exhausted.
    next: AtomicUsize,
}

impl Payload for ListRevIter {
    fn type_object() -> &'static TypeObject {
        &LIST_REVITER_TYPE
    }
}

impl ListRevIter {
    /// The next item (from the end towards the start), or `None` at the end.
    pub fn next(&self) -> Option<ObjRef> {
        let l = List::of(&self.seq).expect("reversed list iterator over a list");
        let mut p = self.next.load(Ordering::Relaxed);
        let i = loop {
            if p == 0 {
                return None;
            }
            // CPython: an index at or past the current length ends the iteration.
            let idx = p - 1;
            let in_range = idx < l.len();
            let target = if in_range { idx } else { 0 };
            match self
                .next
                .compare_exchange_weak(p, target, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) if in_range => break idx,
                Ok(_) => return None,
                Err(cur) => p = cur,
            }
        };
        match l.get_index(i) {
            Some(x) => Some(x),
            None => {
                self.next.store(0, Ordering::Relaxed);
                None
            }
        }
    }

    /// How many items are left (`__length_hint__`).
    pub fn length_hint(&self) -> usize {
        let l = List::of(&self.seq).expect("reversed list iterator over a list");
        let p = self.next.load(Ordering::Relaxed);
        if p == 0 || p > l.len() { 0 } else { p }
    }
}

fn iter_self(o: &Object) -> PyResult<ObjRef> {
    Ok(o.to_ref())
}

weft_sync::shim_static! {
    /// `tuple_iterator`
    pub static TUPLE_ITER_TYPE: TypeObject = TypeObject::new_static::<TupleIter>(
        "tuple_iterator",
        Some(&OBJECT_TYPE),
        Slots {
            iter: Some(iter_self),
            next: Some(|o| Ok(o.downcast::<TupleIter>().expect("tuple_iterator").next())),
            ..Slots::EMPTY
        },
    );
}

weft_sync::shim_static! {
    /// `list_iterator`
    pub static LIST_ITER_TYPE: TypeObject = TypeObject::new_static::<ListIter>(
        "list_iterator",
        Some(&OBJECT_TYPE),
        Slots {
            iter: Some(iter_self),
            next: Some(|o| Ok(o.downcast::<ListIter>().expect("list_iterator").next())),
            ..Slots::EMPTY
        },
    );
}

weft_sync::shim_static! {
    /// `list_reverseiterator`
    pub static LIST_REVITER_TYPE: TypeObject = TypeObject::new_static::<ListRevIter>(
        "list_reverseiterator",
        Some(&OBJECT_TYPE),
        Slots {
            iter: Some(iter_self),
            next: Some(|o| {
                Ok(o.downcast::<ListRevIter>()
                    .expect("list_reverseiterator")
                    .next())
            }),
            ..Slots::EMPTY
        },
    );
}

/// `iter(t)` for a tuple `t`.
///
/// # Panics
/// If `t` is not a tuple.
pub fn tuple_iter(t: &Object) -> ObjRef {
    assert!(as_tuple(t).is_some(), "tuple_iter on a non-tuple");
    ObjRef::new(TupleIter {
        seq: t.to_ref(),
        next: AtomicUsize::new(0),
    })
}

/// `iter(l)` for a list `l`.
///
/// # Panics
/// If `l` is not a list.
pub fn list_iter(l: &Object) -> ObjRef {
    assert!(List::of(l).is_some(), "list_iter on a non-list");
    ObjRef::new(ListIter {
        seq: l.to_ref(),
        next: AtomicUsize::new(0),
    })
}

/// `reversed(l)` for a list `l`: starts at the last item of the list as it is now.
///
/// # Panics
/// If `l` is not a list.
pub fn list_reversed(l: &Object) -> ObjRef {
    let n = List::of(l).expect("list_reversed on a non-list").len();
    ObjRef::new(ListRevIter {
        seq: l.to_ref(),
        next: AtomicUsize::new(n),
    })
}

/// `next(it)` for any iterator object through its `next` slot (`None` when exhausted, or when
/// the object has no `next` slot).
pub fn next(it: &Object) -> PyResult<Option<ObjRef>> {
    match it.ty().slots.next {
        Some(f) => f(it),
        None => Ok(None),
    }
}
