//! The `range` type and its iterators.

use weft_object::guarded::Guarded;
use weft_object::scalar::int::Int;
use weft_object::{
    CompareOp, ExcKind, ObjRef, Object, Payload, PyErr, Slots, TypeObject, bool_obj, int_from_i64,
    not_implemented, types::OBJECT_TYPE,
};
use weft_sync::shim::atomic::{AtomicU64, Ordering};

use super::util::{index_int, int_ref, try_index};
use crate::core::{Args, Result, err, str_of, type_err, value_err};

/// A `range` object: an immutable arithmetic progression.
pub struct Range {
    /// `start`.
    pub start: Int,
    /// `stop`.
    pub stop: Int,
    /// `step` (never zero).
    pub step: Int,
    /// The number of items.
    pub len: Int,
}

impl Payload for Range {
    fn type_object() -> &'static TypeObject {
        &RANGE_TYPE
    }
}

/// `range`
pub static RANGE_TYPE: TypeObject = TypeObject::new_static::<Range>(
    "range",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(range_repr),
        hash: Some(range_hash),
        richcompare: Some(range_richcompare),
        bool: Some(|o| Ok(!range_of(o).len.is_zero())),
        len: Some(|o| range_of(o).usize_len()),
        getattr: Some(range_getattr),
        iter: Some(|o| Ok(range_iter(range_of(o), false))),
        getitem: Some(range_getitem),
        contains: Some(range_contains),
        ..Slots::EMPTY
    },
);

fn range_of(o: &Object) -> &Range {
    o.downcast::<Range>().expect("range slot on a non-range")
}

impl Range {
    /// The range `start:stop:step`; `ValueError: range() arg 3 must not be zero`.
    pub fn new(start: Int, stop: Int, step: Int) -> Result<Range> {
        if step.is_zero() {
            return value_err("range() arg 3 must not be zero");
        }
        let one = Int::from_i64(1);
        let len = if !step.is_negative() {
            if start < stop {
                stop.sub(&start).sub(&one).floordiv(&step)?.add(&one)
            } else {
                Int::from_i64(0)
            }
        } else if start > stop {
            start.sub(&stop).sub(&one).floordiv(&step.neg())?.add(&one)
        } else {
            Int::from_i64(0)
        };
        Ok(Range {
            start,
            stop,
            step,
            len,
        })
    }

    /// `len(r)`: `OverflowError` beyond `isize::MAX`.
    fn usize_len(&self) -> Result<usize> {
        self.len
            .to_usize()
            .filter(|n| *n <= isize::MAX as usize)
            .ok_or_else(|| {
                PyErr::new(
                    ExcKind::OverflowError,
                    "Python int too large to convert to C ssize_t",
                )
            })
    }

    /// The item at position `i` (`0 <= i < len`).
    fn item(&self, i: &Int) -> Int {
        self.start.add(&i.mul(&self.step))
    }

    /// The position of `v` in the range, if it is one of its items.
    fn position(&self, v: &Int) -> Option<Int> {
        let inside = if !self.step.is_negative() {
            &self.start <= v && v < &self.stop
        } else {
            &self.stop < v && v <= &self.start
        };
        if !inside {
            return None;
        }
        let d = v.sub(&self.start);
        if d.modulo(&self.step).ok()?.is_zero() {
            d.floordiv(&self.step).ok()
        } else {
            None
        }
    }
}

fn range_repr(o: &Object) -> Result<String> {
    let r = range_of(o);
    Ok(if r.step == Int::from_i64(1) {
        format!("range({}, {})", r.start, r.stop)
    } else {
        format!("range({}, {}, {})", r.start, r.stop, r.step)
    })
}

fn range_hash(o: &Object) -> Result<i64> {
    let r = range_of(o);
    let none = || weft_object::none().to_ref();
    let items = if r.len.is_zero() {
        vec![int_ref(r.len.clone()), none(), none()]
    } else if r.len == Int::from_i64(1) {
        vec![int_ref(r.len.clone()), int_ref(r.start.clone()), none()]
    } else {
        vec![
            int_ref(r.len.clone()),
            int_ref(r.start.clone()),
            int_ref(r.step.clone()),
        ]
    };
    weft_containers::tuple::hash_items(&items)
}

fn range_eq(a: &Range, b: &Range) -> bool {
    if a.len != b.len {
        return false;
    }
    if a.len.is_zero() {
        return true;
    }
    if a.start != b.start {
        return false;
    }
    a.len == Int::from_i64(1) || a.step == b.step
}

fn range_richcompare(a: &Object, b: &Object, op: CompareOp) -> Result<ObjRef> {
    let Some(y) = b.downcast::<Range>() else {
        return Ok(not_implemented().to_ref());
    };
    let eq = range_eq(range_of(a), y);
    match op {
        CompareOp::Eq => Ok(bool_obj(eq)),
        CompareOp::Ne => Ok(bool_obj(!eq)),
        _ => Ok(not_implemented().to_ref()),
    }
}

fn range_getattr(o: &Object, name: &Object) -> Result<ObjRef> {
    let r = range_of(o);
    match str_of(name) {
        "start" => Ok(int_ref(r.start.clone())),
        "stop" => Ok(int_ref(r.stop.clone())),
        "step" => Ok(int_ref(r.step.clone())),
        _ => crate::attr::generic_getattr(o, name),
    }
}

fn range_getitem(o: &Object, key: &Object) -> Result<ObjRef> {
    let r = range_of(o);
    if let Some(s) = super::slice_of(key) {
        let s = s?;
        let ix = s.indices(r.usize_len()?)?;
        let step = Int::from_i64(ix.step);
        let start = r.item(&Int::from_i64(ix.start));
        let stop = r.item(&Int::from_i64(ix.stop));
        let nr = Range::new(start, stop, r.step.mul(&step))?;
        return Ok(ObjRef::new(nr));
    }
    let i = match try_index(key)? {
        Some(i) => i,
        None => {
            return type_err(format!(
                "range indices must be integers or slices, not {}",
                key.ty().name
            ));
        }
    };
    let i = if i.is_negative() { i.add(&r.len) } else { i };
    if i.is_negative() || i >= r.len {
        return err(ExcKind::IndexError, "range object index out of range");
    }
    Ok(int_ref(r.item(&i)))
}

fn range_contains(o: &Object, x: &Object) -> Result<bool> {
    let r = range_of(o);
    if let Some(v) = x.downcast::<Int>() {
        return Ok(r.position(v).is_some());
    }
    let mut found = false;
    super::util::for_each(o, |item| {
        if crate::ops::compare(&item, x, weft_compiler::instr::CompareOp::Eq)?.is_true()? {
            found = true;
            return Ok(false);
        }
        Ok(true)
    })?;
    Ok(found)
}

/// `range.count(x)`.
pub fn range_count(args: &Args<'_>) -> Result<ObjRef> {
    super::util::mcheck(args, "range", "count", 1, 1)?;
    let r = self_range(args, "count")?;
    let x = &args.all[1];
    if let Some(v) = x.downcast::<Int>() {
        return Ok(int_from_i64(r.position(v).is_some() as i64));
    }
    let mut n = 0i64;
    super::util::for_each(&args.all[0], |item| {
        if item.eq(x)? {
            n += 1;
        }
        Ok(true)
    })?;
    Ok(int_from_i64(n))
}

/// `range.index(x)`.
pub fn range_index(args: &Args<'_>) -> Result<ObjRef> {
    super::util::mcheck(args, "range", "index", 1, 1)?;
    let r = self_range(args, "index")?;
    let x = &args.all[1];
    if let Some(v) = x.downcast::<Int>() {
        return match r.position(v) {
            Some(p) => Ok(int_ref(p)),
            None => value_err(format!("{} is not in range", v)),
        };
    }
    let mut i = 0i64;
    let mut found = None;
    super::util::for_each(&args.all[0], |item| {
        if item.eq(x)? {
            found = Some(i);
            return Ok(false);
        }
        i += 1;
        Ok(true)
    })?;
    match found {
        Some(i) => Ok(int_from_i64(i)),
        None => value_err("sequence.index(x): x not in sequence"),
    }
}

fn self_range<'a>(args: &Args<'a>, name: &str) -> Result<&'a Range> {
    args.all[0].downcast::<Range>().ok_or_else(|| {
        PyErr::type_error(format!(
            "descriptor '{name}' for 'range' objects doesn't apply to a '{}' object",
            args.all[0].ty().name
        ))
    })
}

/// `range(stop)` / `range(start, stop[, step])`.
pub fn range_new(args: &Args<'_>) -> Result<ObjRef> {
    let a = super::util::rest(args);
    a.check("range", 1, 3)?;
    let a = a.pos();
    let (start, stop, step) = match a.len() {
        1 => (Int::from_i64(0), index_int(&a[0])?, Int::from_i64(1)),
        2 => (index_int(&a[0])?, index_int(&a[1])?, Int::from_i64(1)),
        _ => (index_int(&a[0])?, index_int(&a[1])?, index_int(&a[2])?),
    };
    Ok(ObjRef::new(Range::new(start, stop, step)?))
}

// ---------------------------------------------------------------------------------------------
// Iterators

/// `range_iterator`: positions claimed atomically, so a shared iterator never yields an item
/// twice.
pub struct RangeIter {
    start: i64,
    step: i64,
    len: u64,
    pos: AtomicU64,
}

impl Payload for RangeIter {
    fn type_object() -> &'static TypeObject {
        &RANGE_ITER_TYPE
    }
}

/// `range_iterator`
pub static RANGE_ITER_TYPE: TypeObject = TypeObject::new_static::<RangeIter>(
    "range_iterator",
    Some(&OBJECT_TYPE),
    Slots {
        iter: Some(|o| Ok(o.to_ref())),
        next: Some(range_iter_next),
        ..Slots::EMPTY
    },
);

/// The eval loop's `FOR_ITER_RANGE` fast path: `Some(Some(v))` for the next value of a
/// `range_iterator` whose items fit a machine word, `Some(None)` when it is exhausted, `None`
/// when `o` is not such an iterator (use the generic protocol).
pub fn range_iter_next_i64(o: &Object) -> Option<Option<i64>> {
    let it = o.downcast::<RangeIter>()?;
    let mut p = it.pos.load(Ordering::Relaxed);
    loop {
        if p >= it.len {
            return Some(None);
        }
        match it
            .pos
            .compare_exchange_weak(p, p + 1, Ordering::Relaxed, Ordering::Relaxed)
        {
            Ok(_) => break,
            Err(q) => p = q,
        }
    }
    let v = it.start as i128 + p as i128 * it.step as i128;
    match i64::try_from(v) {
        Ok(v) => Some(Some(v)),
        Err(_) => {
            // Cannot happen for iterators made by `range_iter` (their items fit an i64), but
            // give the position back to the generic path rather than lose it.
            it.pos.fetch_sub(1, Ordering::Relaxed);
            None
        }
    }
}

fn range_iter_next(o: &Object) -> Result<Option<ObjRef>> {
    let it = o.downcast::<RangeIter>().expect("range_iterator");
    let mut p = it.pos.load(Ordering::Relaxed);
    loop {
        if p >= it.len {
            return Ok(None);
        }
        match it
            .pos
            .compare_exchange_weak(p, p + 1, Ordering::Relaxed, Ordering::Relaxed)
        {
            Ok(_) => break,
            Err(q) => p = q,
        }
    }
    let v = it.start as i128 + p as i128 * it.step as i128;
    Ok(Some(match i64::try_from(v) {
        Ok(v) => int_from_i64(v),
        Err(_) => int_ref(
            Int::from_i64(it.start).add(&Int::from_i64(p as i64).mul(&Int::from_i64(it.step))),
        ),
    }))
}

/// `longrange_iterator`: for ranges beyond the machine word.
pub struct LongRangeIter {
    /// The next value and how many are left, under the iterator's critical section.
    state: Guarded<(Int, Int)>,
    step: Int,
}

impl Payload for LongRangeIter {
    fn type_object() -> &'static TypeObject {
        &LONGRANGE_ITER_TYPE
    }
}

/// `longrange_iterator`
pub static LONGRANGE_ITER_TYPE: TypeObject = TypeObject::new_static::<LongRangeIter>(
    "longrange_iterator",
    Some(&OBJECT_TYPE),
    Slots {
        iter: Some(|o| Ok(o.to_ref())),
        next: Some(|o| {
            let it = o.downcast::<LongRangeIter>().expect("longrange_iterator");
            // SAFETY: `o` holds `it.state`; the closure does big-integer arithmetic only.
            let v = unsafe {
                it.state.with(o, |g| {
                    if g.1.is_zero() || g.1.is_negative() {
                        return None;
                    }
                    let v = g.0.clone();
                    g.0 = g.0.add(&it.step);
                    g.1 = g.1.sub(&Int::from_i64(1));
                    Some(v)
                })
            };
            Ok(v.map(int_ref))
        }),
        ..Slots::EMPTY
    },
);

/// An iterator over `r` (backwards when `reverse`).
pub fn range_iter(r: &Range, reverse: bool) -> ObjRef {
    let (start, step) = if reverse {
        let last = if r.len.is_zero() {
            r.start.clone()
        } else {
            r.item(&r.len.sub(&Int::from_i64(1)))
        };
        (last, r.step.neg())
    } else {
        (r.start.clone(), r.step.clone())
    };
    let last_fits = r.len.is_zero()
        || start
            .add(&r.len.sub(&Int::from_i64(1)).mul(&step))
            .as_i64()
            .is_some();
    if let (Some(s), Some(st), Some(n), true) =
        (start.as_i64(), step.as_i64(), r.len.as_i64(), last_fits)
    {
        return ObjRef::new(RangeIter {
            start: s,
            step: st,
            len: n as u64,
            pos: AtomicU64::new(0),
        });
    }
    ObjRef::new(LongRangeIter {
        state: Guarded::new((start, r.len.clone())),
        step,
    })
}
