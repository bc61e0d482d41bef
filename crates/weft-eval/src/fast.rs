//! Inline fast paths of the arithmetic and comparison instructions, guarded by the *exact*
//! types of both operands (a subclass of `int` or `float` may override any operator, so it
//! always takes the generic path). These need no cache: the guard is two pointer compares.
//!
//! | instruction | operands | result |
//! | --- | --- | --- |
//! | `BINARY_OP` `+ - * // % / & \| ^ << >>` (and in-place) | int, int (machine word) | checked `i64` arithmetic with Python's floor semantics; an overflow, a zero divisor or a negative shift takes the generic path |
//! | `BINARY_OP` `+ - * /` (and in-place) | float, float; float and machine-word int | IEEE `f64` arithmetic (the int converted, correctly rounded, as Python does); a zero divisor takes the generic path |
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

/// The operator of a `BINARY_OP` that has a fast path, in-place forms folded in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arith {
    Add,
    Sub,
    Mul,
    FloorDiv,
    Mod,
    TrueDiv,
    And,
    Or,
    Xor,
    Shl,
    Shr,
}

#[inline(always)]
fn arith(op: BinaryOp) -> Option<Arith> {
    use BinaryOp::*;
    Some(match op {
        Add | InplaceAdd => Arith::Add,
        Subtract | InplaceSubtract => Arith::Sub,
        Multiply | InplaceMultiply => Arith::Mul,
        FloorDivide | InplaceFloorDivide => Arith::FloorDiv,
        Remainder | InplaceRemainder => Arith::Mod,
        TrueDivide | InplaceTrueDivide => Arith::TrueDiv,
        And | InplaceAnd => Arith::And,
        Or | InplaceOr => Arith::Or,
        Xor | InplaceXor => Arith::Xor,
        Lshift | InplaceLshift => Arith::Shl,
        Rshift | InplaceRshift => Arith::Shr,
        _ => return None,
    })
}

/// `x op y` on machine words with Python's semantics, or `None` where the result does not fit
/// a machine word or the operation raises (division by zero, a negative shift): the generic
/// path computes or raises those.
#[inline(always)]
fn int_arith(x: i64, y: i64, op: Arith) -> Option<ObjRef> {
    let r = match op {
        Arith::Add => x.checked_add(y)?,
        Arith::Sub => x.checked_sub(y)?,
        Arith::Mul => x.checked_mul(y)?,
        Arith::FloorDiv => {
            // Truncating division, rounded towards negative infinity.
            let q = x.checked_div(y)?;
            if (x % y != 0) && ((x < 0) != (y < 0)) {
                q - 1
            } else {
                q
            }
        }
        Arith::Mod => {
            // The remainder takes the divisor's sign.
            let r = x.checked_rem(y)?;
            if r != 0 && ((r < 0) != (y < 0)) {
                r + y
            } else {
                r
            }
        }
        Arith::TrueDiv => {
            // Both exactly representable: IEEE division is the correctly rounded quotient,
            // which is what Python's int / int returns.
            const EXACT: i64 = 1 << 53;
            if y == 0 || !(-EXACT..=EXACT).contains(&x) || !(-EXACT..=EXACT).contains(&y) {
                return None;
            }
            return Some(ObjRef::new(x as f64 / y as f64));
        }
        Arith::And => x & y,
        Arith::Or => x | y,
        Arith::Xor => x ^ y,
        Arith::Shl => {
            if !(0..64).contains(&y) {
                return None;
            }
            let r = x << y;
            if r >> y != x {
                return None;
            }
            r
        }
        Arith::Shr => {
            if y < 0 {
                return None;
            }
            // An arithmetic shift floors, as Python's `>>` does.
            x >> y.min(63)
        }
    };
    Some(int_from_i64(r))
}

/// `x op y` on floats, or `None` for the operators (and the division by zero) the generic
/// path handles.
#[inline(always)]
fn float_arith(x: f64, y: f64, op: Arith) -> Option<ObjRef> {
    let r = match op {
        Arith::Add => x + y,
        Arith::Sub => x - y,
        Arith::Mul => x * y,
        Arith::TrueDiv if y != 0.0 => x / y,
        _ => return None,
    };
    Some(ObjRef::new(r))
}

/// The float value of an exact float, or of an exact machine-word int (converted as Python
/// converts an int for mixed arithmetic: correctly rounded).
#[inline(always)]
fn as_float(o: &Object) -> Option<f64> {
    if let Some(f) = o.downcast_exact::<f64>() {
        return Some(*f);
    }
    Some(o.downcast_exact::<Int>()?.as_i64()? as f64)
}

/// `a op b` when both are exact machine-word ints (`+ - * // % / & | ^ << >>`), or exact
/// floats or a float and such an int (`+ - * /`).
#[inline(always)]
pub(crate) fn binary(a: &Object, b: &Object, op: BinaryOp) -> Option<ObjRef> {
    let op = arith(op)?;
    if let Some((x, y)) = small_ints(a, b) {
        return int_arith(x, y, op);
    }
    if let Some((x, y)) = floats(a, b) {
        return float_arith(x, y, op);
    }
    // Mixed: at least one float (two ints were handled above, or are big).
    if a.downcast_exact::<f64>().is_none() && b.downcast_exact::<f64>().is_none() {
        return None;
    }
    float_arith(as_float(a)?, as_float(b)?, op)
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
        // Python's floor semantics, and the cases the generic path raises or widens.
        assert_eq!(
            as_i(&binary(&i(-7), &i(2), BinaryOp::FloorDivide).unwrap()),
            -4
        );
        assert_eq!(
            as_i(&binary(&i(-7), &i(2), BinaryOp::Remainder).unwrap()),
            1
        );
        assert_eq!(
            as_i(&binary(&i(7), &i(-2), BinaryOp::InplaceRemainder).unwrap()),
            -1
        );
        assert!(binary(&i(1), &i(0), BinaryOp::FloorDivide).is_none());
        assert!(binary(&i(1), &i(0), BinaryOp::Remainder).is_none());
        assert!(binary(&i(i64::MIN), &i(-1), BinaryOp::FloorDivide).is_none());
        assert_eq!(as_i(&binary(&i(-9), &i(1), BinaryOp::Rshift).unwrap()), -5);
        assert_eq!(
            as_i(&binary(&i(-9), &i(100), BinaryOp::Rshift).unwrap()),
            -1
        );
        assert!(binary(&i(1), &i(-1), BinaryOp::Rshift).is_none());
        assert!(
            binary(&i(3), &i(62), BinaryOp::Lshift).is_none(),
            "overflows a word"
        );
        assert_eq!(
            as_i(&binary(&i(3), &i(61), BinaryOp::Lshift).unwrap()),
            3 << 61
        );
        let q = binary(&i(1), &i(4), BinaryOp::TrueDivide).unwrap();
        assert_eq!(*q.downcast::<f64>().unwrap(), 0.25);
        assert!(binary(&i(1), &i(0), BinaryOp::TrueDivide).is_none());
        assert!(
            binary(&i(1 << 54), &i(3), BinaryOp::TrueDivide).is_none(),
            "not exact"
        );
        assert!(binary(&i(2), &i(3), BinaryOp::Power).is_none());
    }

    #[test]
    fn floats_and_mixed_operands() {
        let f = |v: f64| ObjRef::new(v);
        let r = binary(&f(1.5), &f(2.25), BinaryOp::Add).unwrap();
        assert_eq!(*r.downcast::<f64>().unwrap(), 3.75);
        let r = binary(&f(1.5), &i(2), BinaryOp::Multiply).unwrap();
        assert_eq!(*r.downcast::<f64>().unwrap(), 3.0, "mixed float and int");
        let r = binary(&i(3), &f(0.5), BinaryOp::TrueDivide).unwrap();
        assert_eq!(*r.downcast::<f64>().unwrap(), 6.0);
        assert!(
            binary(&f(1.5), &f(0.0), BinaryOp::TrueDivide).is_none(),
            "raises"
        );
        assert!(binary(&f(1.5), &f(2.0), BinaryOp::Remainder).is_none());
        let big = weft_object::int_obj(Int::from_i64(1).shl(&Int::from_i64(70)).unwrap());
        assert!(
            binary(&f(1.5), &big, BinaryOp::Add).is_none(),
            "big int: generic path"
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
