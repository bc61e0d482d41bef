//! Inline fast paths of the arithmetic and comparison instructions, guarded by the *exact*
//! types of both operands (a subclass of `int` or `float` may override any operator, so it
//! always takes the generic path). These need no cache: the guard is two pointer compares.
//!
//! | instruction | operands | result |
//! | --- | --- | --- |
//! | `BINARY_OP` `+ - *` (and in-place) | int, int (machine word) | checked `i64` arithmetic; an overflow takes the generic (big int) path |
//! | `BINARY_OP` `+ - *` (and in-place) | float, float | IEEE `f64` arithmetic |
//! | `COMPARE_OP` | int, int (machine word); float, float | `bool` |
//! | `BINARY_SUBSCR` | list or tuple by int (machine word); dict by any key present | the item |
//! | `STORE_SUBSCR` | list by int (machine word); dict | stored |
//! | `FOR_ITER` | `range` iterator over machine words | the next int |
//!
//! Everything else returns `None`, and the loop runs [`crate::ops`]. The container fast paths
//! call the containers' own thread-safe methods, so they are exactly as safe with many threads
//! as the generic path; what they skip is dispatch.

use weft_compiler::instr::{BinaryOp, CompareOp};
use weft_containers::dict::{DICT_TYPE, Dict};
use weft_containers::list::{LIST_TYPE, List};
use weft_containers::tuple::{TUPLE_TYPE, as_tuple};
use weft_object::scalar::int::Int;
use weft_object::{ObjRef, Object, bool_obj, int_from_i64};

/// The machine-word values of two exact ints.
#[inline(always)]
fn small_ints(a: &Object, b: &Object) -> Option<(i64, i64)> {
    Some((
        a.downcast_exact::<Int>()?.as_i64()?,
        b.downcast_exact::<Int>()?.as_i64()?,
    ))
}

/// The values of two exact floats.
#[inline(always)]
fn floats(a: &Object, b: &Object) -> Option<(f64, f64)> {
    Some((*a.downcast_exact::<f64>()?, *b.downcast_exact::<f64>()?))
}

/// `a op b` when both are exact ints or both exact floats and `op` is `+`, `-` or `*`.
#[inline(always)]
pub(crate) fn binary(a: &Object, b: &Object, op: BinaryOp) -> Option<ObjRef> {
    use BinaryOp::*;
    let kind = match op {
        Add | InplaceAdd => 0,
        Subtract | InplaceSubtract => 1,
        Multiply | InplaceMultiply => 2,
        _ => return None,
    };
    if let Some((x, y)) = small_ints(a, b) {
        let r = match kind {
            0 => x.checked_add(y),
            1 => x.checked_sub(y),
            _ => x.checked_mul(y),
        }?;
        return Some(int_from_i64(r));
    }
    let (x, y) = floats(a, b)?;
    let r = match kind {
        0 => x + y,
        1 => x - y,
        _ => x * y,
    };
    Some(ObjRef::new(r))
}

/// `a op b` when both are exact machine-word ints or both exact floats.
#[inline(always)]
pub(crate) fn compare(a: &Object, b: &Object, op: CompareOp) -> Option<ObjRef> {
    if let Some((x, y)) = small_ints(a, b) {
        return Some(bool_obj(cmp(x, y, op)));
    }
    let (x, y) = floats(a, b)?;
    // `PartialOrd` on f64 is Python's float comparison: every comparison with a NaN is false
    // except `!=`.
    Some(bool_obj(cmp(x, y, op)))
}

/// The machine-word value of an exact int.
#[inline(always)]
fn small_int(k: &Object) -> Option<i64> {
    k.downcast_exact::<Int>()?.as_i64()
}

/// `o[k]` for an exact list or tuple indexed by an exact int, or an exact dict holding `k`.
/// `Some(Err(IndexError))` for a list index out of range (the generic path would raise the
/// same); `None` means "take the generic path" (a missing dict key included: it raises
/// `KeyError` there, or calls `__missing__` for subclasses).
#[inline(always)]
pub(crate) fn subscr(o: &Object, k: &Object) -> Option<crate::core::Result<ObjRef>> {
    let t = o.ty();
    if std::ptr::eq(t, &LIST_TYPE) {
        let i = small_int(k)?;
        return Some(List::of(o)?.get(i));
    }
    if std::ptr::eq(t, &TUPLE_TYPE) {
        let i = small_int(k)?;
        let items = as_tuple(o)?.as_slice();
        let j = if i < 0 { i + items.len() as i64 } else { i };
        return items.get(usize::try_from(j).ok()?).map(|v| Ok(v.clone()));
    }
    if std::ptr::eq(t, &DICT_TYPE) {
        return match Dict::of(o)?.get(k) {
            Ok(Some(v)) => Some(Ok(v)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        };
    }
    None
}

/// `o[k] = v` for an exact list indexed by an exact int or an exact dict; gives `v` back
/// (`Err`) for the generic path otherwise.
#[inline(always)]
pub(crate) fn store_subscr(
    o: &Object,
    k: &Object,
    v: ObjRef,
) -> Result<crate::core::Result<()>, ObjRef> {
    let t = o.ty();
    if std::ptr::eq(t, &LIST_TYPE)
        && let Some(i) = small_int(k)
        && let Some(l) = List::of(o)
    {
        return Ok(l.set(i, v));
    }
    if std::ptr::eq(t, &DICT_TYPE)
        && let Some(d) = Dict::of(o)
    {
        return Ok(d.set_item(k.to_ref(), v));
    }
    Err(v)
}

/// The next item of an exact `range` iterator over machine words: `Some(Some(v))`,
/// `Some(None)` when exhausted, `None` for any other iterator.
#[inline(always)]
pub(crate) fn for_iter(it: &Object) -> Option<Option<ObjRef>> {
    if std::ptr::eq(it.ty(), &crate::builtins::range::RANGE_ITER_TYPE) {
        return crate::builtins::range::range_iter_next_i64(it).map(|v| v.map(int_from_i64));
    }
    None
}

#[inline(always)]
fn cmp<T: PartialOrd>(x: T, y: T, op: CompareOp) -> bool {
    match op {
        CompareOp::Lt => x < y,
        CompareOp::Le => x <= y,
        CompareOp::Eq => x == y,
        CompareOp::Ne => x != y,
        CompareOp::Gt => x > y,
        CompareOp::Ge => x >= y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(v: i64) -> ObjRef {
        int_from_i64(v)
    }

    fn as_i(o: &ObjRef) -> i64 {
        o.downcast::<Int>().unwrap().as_i64().unwrap()
    }

    #[test]
    fn int_arithmetic_and_overflow_fallback() {
        assert_eq!(as_i(&binary(&i(2), &i(3), BinaryOp::Add).unwrap()), 5);
        assert_eq!(
            as_i(&binary(&i(2), &i(3), BinaryOp::InplaceSubtract).unwrap()),
            -1
        );
        assert_eq!(
            as_i(&binary(&i(-7), &i(3), BinaryOp::Multiply).unwrap()),
            -21
        );
        assert!(binary(&i(i64::MAX), &i(1), BinaryOp::Add).is_none());
        assert!(binary(&i(i64::MIN), &i(-1), BinaryOp::Multiply).is_none());
        assert!(binary(&i(1), &i(2), BinaryOp::TrueDivide).is_none());
    }

    #[test]
    fn floats_and_mixed_operands() {
        let f = |v: f64| ObjRef::new(v);
        let r = binary(&f(1.5), &f(2.25), BinaryOp::Add).unwrap();
        assert_eq!(*r.downcast::<f64>().unwrap(), 3.75);
        assert!(
            binary(&f(1.5), &i(2), BinaryOp::Add).is_none(),
            "mixed: generic path"
        );
        let nan = f(f64::NAN);
        assert!(
            compare(&nan, &nan, CompareOp::Eq)
                .unwrap()
                .is(&bool_obj(false))
        );
        assert!(
            compare(&nan, &nan, CompareOp::Ne)
                .unwrap()
                .is(&bool_obj(true))
        );
        assert!(
            compare(&i(3), &i(4), CompareOp::Lt)
                .unwrap()
                .is(&bool_obj(true))
        );
        assert!(
            compare(&i(3), &i(4), CompareOp::Ge)
                .unwrap()
                .is(&bool_obj(false))
        );
        assert!(compare(&weft_object::none().to_ref(), &i(4), CompareOp::Eq).is_none());
    }
}
