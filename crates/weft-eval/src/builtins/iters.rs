//! The iterator types the builtins return: `enumerate`, `zip`, `map`, `filter`, `reversed`
//! and `callable_iterator`.

use weft_object::guarded::Guarded;

use weft_object::scalar::int::Int;
use weft_object::{ExcKind, ObjRef, Object, Payload, PyErr, Slots, TypeObject, types::OBJECT_TYPE};
use weft_sync::shim::atomic::{AtomicBool, AtomicI64, Ordering};

use super::util::{index_int, int_ref, is_none};
use crate::core::{Args, Result, tuple, type_err};
use crate::ops;

fn self_iter(o: &Object) -> Result<ObjRef> {
    Ok(o.to_ref())
}

macro_rules! iter_type {
    ($stat:ident, $ty:ty, $name:literal, $next:expr) => {
        #[doc = concat!("`", $name, "`")]
        pub static $stat: TypeObject = TypeObject::new_static::<$ty>(
            $name,
            Some(&OBJECT_TYPE),
            Slots {
                iter: Some(self_iter),
                next: Some($next),
                ..Slots::EMPTY
            },
        );
        impl Payload for $ty {
            fn type_object() -> &'static TypeObject {
                &$stat
            }
        }
    };
}

// ----- enumerate -----------------------------------------------------------------------------

/// `enumerate(iterable, start=0)`.
pub struct Enumerate {
    it: ObjRef,
    /// The next count while it fits a machine word.
    small: AtomicI64,
    /// The next count once it no longer does (or when `start` was big).
    /// Under the iterator's critical section.
    big: Guarded<Option<Int>>,
}

iter_type!(ENUMERATE_TYPE, Enumerate, "enumerate", enumerate_next);

fn enumerate_next(o: &Object) -> Result<Option<ObjRef>> {
    let e = o.downcast::<Enumerate>().expect("enumerate");
    let Some(x) = ops::next(&e.it)? else {
        return Ok(None);
    };
    // SAFETY: `o` holds `e.big`; the closure does integer arithmetic only.
    let n = unsafe {
        e.big.with(o, |big| match big.as_mut() {
            Some(b) => {
                let v = b.clone();
                *b = b.add(&Int::from_i64(1));
                v
            }
            None => {
                let v = e.small.fetch_add(1, Ordering::Relaxed);
                if v == i64::MAX {
                    *big = Some(Int::from_i64(v).add(&Int::from_i64(1)));
                }
                Int::from_i64(v)
            }
        })
    };
    Ok(Some(tuple(vec![int_ref(n), x])))
}

/// `enumerate(...)` constructor.
pub fn enumerate_new(args: &Args<'_>) -> Result<ObjRef> {
    let a = super::util::rest(args);
    a.only_kwargs("enumerate", &["iterable", "start"])?;
    if a.pos().len() > 2 {
        return type_err(format!(
            "enumerate() takes at most 2 arguments ({} given)",
            a.all.len()
        ));
    }
    let Some(iterable) = a.arg(0, "iterable") else {
        return type_err("enumerate() missing required argument 'iterable'");
    };
    let start = match a.arg(1, "start") {
        Some(s) => index_int(s)?,
        None => Int::from_i64(0),
    };
    let it = ops::iter(iterable)?;
    let (small, big) = match start.as_i64() {
        Some(v) => (v, None),
        None => (0, Some(start)),
    };
    Ok(ObjRef::new(Enumerate {
        it,
        small: AtomicI64::new(small),
        big: Guarded::new(big),
    }))
}

// ----- zip -----------------------------------------------------------------------------------

/// `zip(*iterables, strict=False)`.
pub struct Zip {
    its: Vec<ObjRef>,
    strict: bool,
}

iter_type!(ZIP_TYPE, Zip, "zip", zip_next);

fn zip_next(o: &Object) -> Result<Option<ObjRef>> {
    let z = o.downcast::<Zip>().expect("zip");
    if z.its.is_empty() {
        return Ok(None);
    }
    let mut items = Vec::with_capacity(z.its.len());
    for (i, it) in z.its.iter().enumerate() {
        match ops::next(it)? {
            Some(x) => items.push(x),
            None => {
                if z.strict {
                    if i > 0 {
                        let msg = if i == 1 {
                            "zip() argument 2 is shorter than argument 1".to_string()
                        } else {
                            format!("zip() argument {} is shorter than arguments 1-{}", i + 1, i)
                        };
                        return Err(PyErr::value_error(msg));
                    }
                    for (j, other) in z.its.iter().enumerate().skip(1) {
                        if ops::next(other)?.is_some() {
                            let msg = if j == 1 {
                                "zip() argument 2 is longer than argument 1".to_string()
                            } else {
                                format!("zip() argument {} is longer than arguments 1-{}", j + 1, j)
                            };
                            return Err(PyErr::value_error(msg));
                        }
                    }
                }
                return Ok(None);
            }
        }
    }
    Ok(Some(tuple(items)))
}

/// `zip(...)` constructor.
pub fn zip_new(args: &Args<'_>) -> Result<ObjRef> {
    let a = super::util::rest(args);
    a.only_kwargs("zip", &["strict"])?;
    let strict = match a.get_kw("strict") {
        Some(s) => s.is_true()?,
        None => false,
    };
    let mut its = Vec::with_capacity(a.pos().len());
    for x in a.pos() {
        its.push(ops::iter(x)?);
    }
    Ok(ObjRef::new(Zip { its, strict }))
}

// ----- map -----------------------------------------------------------------------------------

/// `map(func, *iterables)`.
pub struct Map {
    func: ObjRef,
    its: Vec<ObjRef>,
}

iter_type!(MAP_TYPE, Map, "map", map_next);

fn map_next(o: &Object) -> Result<Option<ObjRef>> {
    let m = o.downcast::<Map>().expect("map");
    let mut items = Vec::with_capacity(m.its.len());
    for it in &m.its {
        match ops::next(it)? {
            Some(x) => items.push(x),
            None => return Ok(None),
        }
    }
    crate::call::call(&m.func, &items, &[]).map(Some)
}

/// `map(...)` constructor.
pub fn map_new(args: &Args<'_>) -> Result<ObjRef> {
    let a = super::util::rest(args);
    a.no_kwargs("map")?;
    if a.pos().len() < 2 {
        return type_err("map() must have at least two arguments.");
    }
    let mut its = Vec::new();
    for x in &a.pos()[1..] {
        its.push(ops::iter(x)?);
    }
    Ok(ObjRef::new(Map {
        func: a.all[0].clone(),
        its,
    }))
}

// ----- filter --------------------------------------------------------------------------------

/// `filter(function or None, iterable)`.
pub struct Filter {
    func: Option<ObjRef>,
    it: ObjRef,
}

iter_type!(FILTER_TYPE, Filter, "filter", filter_next);

fn filter_next(o: &Object) -> Result<Option<ObjRef>> {
    let f = o.downcast::<Filter>().expect("filter");
    while let Some(x) = ops::next(&f.it)? {
        let keep = match &f.func {
            None => x.is_true()?,
            Some(func) => crate::call::call1(func, x.clone())?.is_true()?,
        };
        if keep {
            return Ok(Some(x));
        }
    }
    Ok(None)
}

/// `filter(...)` constructor.
pub fn filter_new(args: &Args<'_>) -> Result<ObjRef> {
    let a = super::util::rest(args);
    a.no_kwargs("filter")?;
    a.check_pos("filter", 2, 2)?;
    let func = if is_none(&a.all[0]) {
        None
    } else {
        Some(a.all[0].clone())
    };
    Ok(ObjRef::new(Filter {
        func,
        it: ops::iter(&a.all[1])?,
    }))
}

// ----- reversed ------------------------------------------------------------------------------

/// `reversed(seq)` over the sequence protocol (`__len__` and `__getitem__`).
pub struct Reversed {
    seq: ObjRef,
    /// The next index to read; negative when exhausted.
    next: AtomicI64,
}

iter_type!(REVERSED_TYPE, Reversed, "reversed", reversed_next);

fn reversed_next(o: &Object) -> Result<Option<ObjRef>> {
    let r = o.downcast::<Reversed>().expect("reversed");
    let i = r.next.fetch_sub(1, Ordering::Relaxed);
    if i < 0 {
        r.next.store(-1, Ordering::Relaxed);
        return Ok(None);
    }
    match ops::getitem(&r.seq, &weft_object::int_from_i64(i)) {
        Ok(x) => Ok(Some(x)),
        Err(e) if e.kind == ExcKind::IndexError || e.kind == ExcKind::StopIteration => {
            r.next.store(-1, Ordering::Relaxed);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// `reversed(...)` constructor.
pub fn reversed_new(args: &Args<'_>) -> Result<ObjRef> {
    let a = super::util::rest(args);
    a.check("reversed", 1, 1)?;
    let seq = &a.all[0];
    if let Some(r) = seq.downcast::<super::range::Range>() {
        return Ok(super::range::range_iter(r, true));
    }
    if super::util::is_exact(seq, &weft_containers::LIST_TYPE) {
        return Ok(weft_containers::iter::list_reversed(seq));
    }
    if weft_containers::dict::Dict::of(seq).is_some()
        || weft_containers::dict::DictView::kind_of(seq).is_some()
    {
        // Dicts and their views iterate in reverse insertion order.
        let mut items = super::util::collect(seq)?;
        items.reverse();
        return Ok(weft_containers::iter::list_iter(
            &weft_containers::new_list(items),
        ));
    }
    if let Some(m) = crate::core::lookup_str(seq.ty(), "__reversed__")? {
        if is_none(&m) {
            return type_err(format!("'{}' object is not reversible", seq.ty().name));
        }
        return crate::call::call1(&m, seq.clone());
    }
    let has_getitem = seq.is_instance(&weft_object::types::STR_TYPE)
        || seq.is_instance(&weft_object::types::BYTES_TYPE)
        || seq.ty().slots.getitem.is_some()
        || crate::core::lookup_str(seq.ty(), "__getitem__")?.is_some();
    if !has_getitem
        || seq.ty().slots.len.is_none() && crate::core::lookup_str(seq.ty(), "__len__")?.is_none()
    {
        return type_err(format!("'{}' object is not reversible", seq.ty().name));
    }
    let n = ops::len(seq)?;
    Ok(ObjRef::new(Reversed {
        seq: seq.clone(),
        next: AtomicI64::new(n as i64 - 1),
    }))
}

// ----- callable_iterator ---------------------------------------------------------------------

/// `iter(callable, sentinel)`.
pub struct CallableIter {
    func: ObjRef,
    sentinel: ObjRef,
    done: AtomicBool,
}

iter_type!(
    CALLABLE_ITER_TYPE,
    CallableIter,
    "callable_iterator",
    callable_iter_next
);

fn callable_iter_next(o: &Object) -> Result<Option<ObjRef>> {
    let c = o.downcast::<CallableIter>().expect("callable_iterator");
    if c.done.load(Ordering::Relaxed) {
        return Ok(None);
    }
    let v = match crate::call::call0(&c.func) {
        Ok(v) => v,
        Err(e) if e.kind == ExcKind::StopIteration => {
            c.done.store(true, Ordering::Relaxed);
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    if v.eq(&c.sentinel)? {
        c.done.store(true, Ordering::Relaxed);
        return Ok(None);
    }
    Ok(Some(v))
}

/// A new `callable_iterator`.
pub fn callable_iter(func: ObjRef, sentinel: ObjRef) -> ObjRef {
    ObjRef::new(CallableIter {
        func,
        sentinel,
        done: AtomicBool::new(false),
    })
}
