//! The special methods of the builtin types as Python-visible methods (`(1).__add__(2)`,
//! `int.__eq__`, `list.__len__`, `super().__getitem__(k)` in a subclass): each forwards to the
//! slot of the first builtin type on the receiver's MRO, so a subclass overriding the method
//! and calling the builtin one never loops back into itself.

use weft_object::scalar::int::Int;
use weft_object::types::{BYTES_TYPE, FLOAT_TYPE, INT_TYPE, STR_TYPE};
use weft_object::{CompareOp, ObjRef, Object, TypeObject, int_from_i64, not_implemented, str_obj};

use crate::builtins::util::mcheck;
use crate::class::static_base;
use crate::core::{Args, NativeFn, Result, add_method, as_str, tname, type_err};

fn base(o: &Object) -> &'static TypeObject {
    static_base(o.ty())
}

fn not_impl() -> ObjRef {
    not_implemented().to_ref()
}

fn is_num(o: &Object) -> bool {
    o.downcast::<Int>().is_some() || o.downcast::<f64>().is_some()
}

/// `int`'s own operators take ints only (`(1).__add__(1.5)` is `NotImplemented`).
fn int_with_non_int(s: &Object, o: &Object) -> bool {
    s.downcast::<Int>().is_some() && o.downcast::<Int>().is_none()
}

macro_rules! binary {
    ($f:ident, $rf:ident, $slot:ident, $name:literal, $rname:literal) => {
        fn $f(a: &Args<'_>) -> Result<ObjRef> {
            mcheck(a, tname(&a.all[0]), $name, 1, 1)?;
            if int_with_non_int(&a.all[0], &a.all[1]) {
                return Ok(not_impl());
            }
            match base(&a.all[0]).slots.number.$slot {
                Some(f) => f(&a.all[0], &a.all[1]),
                None => Ok(not_impl()),
            }
        }
        fn $rf(a: &Args<'_>) -> Result<ObjRef> {
            mcheck(a, tname(&a.all[0]), $rname, 1, 1)?;
            let (s, o) = (&a.all[0], &a.all[1]);
            if !is_num(s) || !is_num(o) || int_with_non_int(s, o) {
                return Ok(not_impl());
            }
            match base(s).slots.number.$slot {
                Some(f) => f(o, s),
                None => Ok(not_impl()),
            }
        }
    };
}

binary!(d_add, d_radd, add, "__add__", "__radd__");
binary!(d_sub, d_rsub, sub, "__sub__", "__rsub__");
binary!(d_mul, d_rmul, mul, "__mul__", "__rmul__");
binary!(
    d_truediv,
    d_rtruediv,
    truediv,
    "__truediv__",
    "__rtruediv__"
);
binary!(
    d_floordiv,
    d_rfloordiv,
    floordiv,
    "__floordiv__",
    "__rfloordiv__"
);
binary!(d_mod, d_rmod, modulo, "__mod__", "__rmod__");
binary!(d_pow, d_rpow, pow, "__pow__", "__rpow__");
binary!(d_lshift, d_rlshift, lshift, "__lshift__", "__rlshift__");
binary!(d_rshift, d_rrshift, rshift, "__rshift__", "__rrshift__");
binary!(d_and, d_rand, and, "__and__", "__rand__");
binary!(d_or, d_ror, or, "__or__", "__ror__");
binary!(d_xor, d_rxor, xor, "__xor__", "__rxor__");

macro_rules! unary {
    ($f:ident, $slot:ident, $name:literal) => {
        fn $f(a: &Args<'_>) -> Result<ObjRef> {
            mcheck(a, tname(&a.all[0]), $name, 0, 0)?;
            match base(&a.all[0]).slots.number.$slot {
                Some(f) => f(&a.all[0]),
                None => type_err(format!(
                    "bad operand type for {}: '{}'",
                    $name,
                    tname(&a.all[0])
                )),
            }
        }
    };
}

unary!(d_neg, neg, "__neg__");
unary!(d_pos, pos, "__pos__");
unary!(d_abs, abs, "__abs__");
unary!(d_invert, invert, "__invert__");
unary!(d_int, int, "__int__");
unary!(d_float, float, "__float__");

macro_rules! compare {
    ($f:ident, $op:expr, $name:literal) => {
        fn $f(a: &Args<'_>) -> Result<ObjRef> {
            mcheck(a, tname(&a.all[0]), $name, 1, 1)?;
            match base(&a.all[0]).slots.richcompare {
                Some(f) => f(&a.all[0], &a.all[1], $op),
                None => Ok(not_impl()),
            }
        }
    };
}

compare!(d_eq, CompareOp::Eq, "__eq__");
compare!(d_ne, CompareOp::Ne, "__ne__");
compare!(d_lt, CompareOp::Lt, "__lt__");
compare!(d_le, CompareOp::Le, "__le__");
compare!(d_gt, CompareOp::Gt, "__gt__");
compare!(d_ge, CompareOp::Ge, "__ge__");

fn d_hash(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__hash__", 0, 0)?;
    match base(&a.all[0]).slots.hash {
        Some(f) => Ok(int_from_i64(f(&a.all[0])?)),
        None => type_err(format!("unhashable type: '{}'", tname(&a.all[0]))),
    }
}

fn d_repr(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__repr__", 0, 0)?;
    match base(&a.all[0]).slots.repr {
        Some(f) => Ok(str_obj(f(&a.all[0])?)),
        None => Ok(str_obj(format!(
            "<{} object at {:#x}>",
            tname(&a.all[0]),
            a.all[0].id()
        ))),
    }
}

fn d_str(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__str__", 0, 0)?;
    let t = base(&a.all[0]);
    match t.slots.str.or(t.slots.repr) {
        Some(f) => Ok(str_obj(f(&a.all[0])?)),
        None => d_repr(a),
    }
}

fn d_bool(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__bool__", 0, 0)?;
    match base(&a.all[0]).slots.bool {
        Some(f) => Ok(weft_object::bool_obj(f(&a.all[0])?)),
        None => Ok(weft_object::bool_obj(true)),
    }
}

fn d_len(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__len__", 0, 0)?;
    match base(&a.all[0]).slots.len {
        Some(f) => Ok(int_from_i64(f(&a.all[0])? as i64)),
        None => type_err(format!(
            "object of type '{}' has no len()",
            tname(&a.all[0])
        )),
    }
}

fn d_contains(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__contains__", 1, 1)?;
    match base(&a.all[0]).slots.contains {
        Some(f) => Ok(weft_object::bool_obj(f(&a.all[0], &a.all[1])?)),
        None => type_err(format!(
            "argument of type '{}' is not iterable",
            tname(&a.all[0])
        )),
    }
}

fn d_getitem(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__getitem__", 1, 1)?;
    let t = base(&a.all[0]);
    if let Some(sl) = crate::builtins::slice_of(&a.all[1]) {
        let sl = sl?;
        if let Some(l) = weft_containers::List::of(&a.all[0]) {
            return l.get_slice(&sl);
        }
        if weft_containers::tuple::as_tuple(&a.all[0]).is_some() {
            return weft_containers::tuple::tuple_slice(&a.all[0], &sl);
        }
    }
    match t.slots.getitem {
        Some(f) => f(&a.all[0], &a.all[1]),
        None => type_err(format!(
            "'{}' object is not subscriptable",
            tname(&a.all[0])
        )),
    }
}

fn d_setitem(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__setitem__", 2, 2)?;
    match base(&a.all[0]).slots.setitem {
        Some(f) => {
            f(&a.all[0], &a.all[1], Some(&a.all[2]))?;
            Ok(weft_object::none().to_ref())
        }
        None => type_err(format!(
            "'{}' object does not support item assignment",
            tname(&a.all[0])
        )),
    }
}

fn d_delitem(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__delitem__", 1, 1)?;
    match base(&a.all[0]).slots.setitem {
        Some(f) => {
            f(&a.all[0], &a.all[1], None)?;
            Ok(weft_object::none().to_ref())
        }
        None => type_err(format!(
            "'{}' object does not support item deletion",
            tname(&a.all[0])
        )),
    }
}

fn d_iter(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__iter__", 0, 0)?;
    match base(&a.all[0]).slots.iter {
        Some(f) => f(&a.all[0]),
        None => type_err(format!("'{}' object is not iterable", tname(&a.all[0]))),
    }
}

fn d_index(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__index__", 0, 0)?;
    match a.all[0].downcast::<Int>() {
        Some(i) => Ok(weft_object::int_obj(i.clone())),
        None => type_err(format!(
            "'{}' object cannot be interpreted as an integer",
            tname(&a.all[0])
        )),
    }
}

fn d_format(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__format__", 1, 1)?;
    let o = &a.all[0];
    let Some(spec) = as_str(&a.all[1]) else {
        return type_err(format!(
            "__format__() argument must be str, not {}",
            tname(&a.all[1])
        ));
    };
    if let Some(i) = o.downcast::<Int>() {
        if o.is_instance(&weft_object::types::BOOL_TYPE) && spec.is_empty() {
            return Ok(str_obj(o.str()?));
        }
        return Ok(str_obj(i.format(spec)?));
    }
    if let Some(f) = o.downcast::<f64>() {
        return Ok(str_obj(weft_object::scalar::float::format(*f, spec)?));
    }
    if let Some(s) = as_str(o) {
        return Ok(str_obj(weft_object::scalar::str::format(s, spec)?));
    }
    if spec.is_empty() {
        return crate::ops::str(o);
    }
    type_err(format!(
        "unsupported format string passed to {}.__format__",
        tname(o)
    ))
}

/// `o` (a `str` or `bytes`, possibly of a subclass) as an object of the exact builtin type, so
/// that the abstract operations on it never dispatch back to a subclass's override.
fn exact(o: &Object) -> ObjRef {
    if let Some(s) = o.downcast::<weft_object::types::PyStr>() {
        if std::ptr::eq(o.ty(), &STR_TYPE) {
            return o.to_ref();
        }
        return str_obj(s.as_str());
    }
    if let Some(b) = o.downcast::<weft_object::types::PyBytes>() {
        if std::ptr::eq(o.ty(), &BYTES_TYPE) {
            return o.to_ref();
        }
        return ObjRef::new(weft_object::types::PyBytes::new(b.as_bytes().to_vec()));
    }
    o.to_ref()
}

fn seq_getitem(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__getitem__", 1, 1)?;
    crate::ops::getitem(&exact(&a.all[0]), &a.all[1])
}

fn seq_contains(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__contains__", 1, 1)?;
    Ok(weft_object::bool_obj(crate::ops::contains(
        &exact(&a.all[0]),
        &a.all[1],
    )?))
}

fn seq_binary(
    a: &Args<'_>,
    name: &str,
    op: weft_compiler::instr::BinaryOp,
    reflected: bool,
) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), name, 1, 1)?;
    let me = exact(&a.all[0]);
    let other = &a.all[1];
    // Only the operand kinds the builtin type itself supports; anything else is left to the
    // other operand.
    let ok = match op {
        weft_compiler::instr::BinaryOp::Multiply => other.downcast::<Int>().is_some(),
        weft_compiler::instr::BinaryOp::Add => std::ptr::eq(base(other), base(&me)),
        _ => true,
    };
    if !ok {
        return Ok(not_impl());
    }
    if reflected {
        crate::ops::binary_op(other, &me, op)
    } else {
        crate::ops::binary_op(&me, other, op)
    }
}

fn seq_add(a: &Args<'_>) -> Result<ObjRef> {
    seq_binary(a, "__add__", weft_compiler::instr::BinaryOp::Add, false)
}

fn seq_mul(a: &Args<'_>) -> Result<ObjRef> {
    seq_binary(
        a,
        "__mul__",
        weft_compiler::instr::BinaryOp::Multiply,
        false,
    )
}

fn seq_rmul(a: &Args<'_>) -> Result<ObjRef> {
    seq_binary(
        a,
        "__rmul__",
        weft_compiler::instr::BinaryOp::Multiply,
        true,
    )
}

fn str_add(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__add__", 1, 1)?;
    if as_str(&a.all[1]).is_none() {
        return type_err(format!(
            "can only concatenate str (not \"{}\") to str",
            tname(&a.all[1])
        ));
    }
    crate::ops::binary_op(
        &exact(&a.all[0]),
        &exact(&a.all[1]),
        weft_compiler::instr::BinaryOp::Add,
    )
}

fn str_mod(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, tname(&a.all[0]), "__mod__", 1, 1)?;
    super::str_percent(&a.all[0], &a.all[1])
}

/// Installs the dunders whose slots exist on each builtin type.
pub(super) fn install() {
    for t in [&STR_TYPE, &BYTES_TYPE] {
        add_method(t, "__getitem__", seq_getitem);
        if t.slots.contains.is_none() {
            add_method(t, "__contains__", seq_contains);
        }
        if t.slots.number.add.is_none() {
            add_method(t, "__add__", seq_add);
        }
        add_method(t, "__mul__", seq_mul);
        add_method(t, "__rmul__", seq_rmul);
    }
    add_method(&STR_TYPE, "__mod__", str_mod);
    let types: [&'static TypeObject; 9] = [
        &INT_TYPE,
        &FLOAT_TYPE,
        &STR_TYPE,
        &BYTES_TYPE,
        &weft_containers::LIST_TYPE,
        &weft_containers::TUPLE_TYPE,
        &weft_containers::dict::DICT_TYPE,
        &weft_containers::set::SET_TYPE,
        &weft_containers::set::FROZENSET_TYPE,
    ];
    for t in types {
        let s = &t.slots;
        let n = &s.number;
        let numeric = std::ptr::eq(t, &INT_TYPE) || std::ptr::eq(t, &FLOAT_TYPE);
        let bins: [(bool, &'static str, NativeFn, &'static str, NativeFn); 12] = [
            (n.add.is_some(), "__add__", d_add, "__radd__", d_radd),
            (n.sub.is_some(), "__sub__", d_sub, "__rsub__", d_rsub),
            (n.mul.is_some(), "__mul__", d_mul, "__rmul__", d_rmul),
            (
                n.truediv.is_some(),
                "__truediv__",
                d_truediv,
                "__rtruediv__",
                d_rtruediv,
            ),
            (
                n.floordiv.is_some(),
                "__floordiv__",
                d_floordiv,
                "__rfloordiv__",
                d_rfloordiv,
            ),
            (n.modulo.is_some(), "__mod__", d_mod, "__rmod__", d_rmod),
            (n.pow.is_some(), "__pow__", d_pow, "__rpow__", d_rpow),
            (
                n.lshift.is_some(),
                "__lshift__",
                d_lshift,
                "__rlshift__",
                d_rlshift,
            ),
            (
                n.rshift.is_some(),
                "__rshift__",
                d_rshift,
                "__rrshift__",
                d_rrshift,
            ),
            (n.and.is_some(), "__and__", d_and, "__rand__", d_rand),
            (n.or.is_some(), "__or__", d_or, "__ror__", d_ror),
            (n.xor.is_some(), "__xor__", d_xor, "__rxor__", d_rxor),
        ];
        for (has, name, f, rname, rf) in bins {
            if has {
                add_method(t, name, f);
                if numeric {
                    add_method(t, rname, rf);
                }
            }
        }
        let unaries: [(bool, &'static str, NativeFn); 6] = [
            (n.neg.is_some(), "__neg__", d_neg),
            (n.pos.is_some(), "__pos__", d_pos),
            (n.abs.is_some(), "__abs__", d_abs),
            (n.invert.is_some(), "__invert__", d_invert),
            (n.int.is_some(), "__int__", d_int),
            (n.float.is_some(), "__float__", d_float),
        ];
        for (has, name, f) in unaries {
            if has {
                add_method(t, name, f);
            }
        }
        if s.richcompare.is_some() {
            for (name, f) in [
                ("__eq__", d_eq as NativeFn),
                ("__ne__", d_ne),
                ("__lt__", d_lt),
                ("__le__", d_le),
                ("__gt__", d_gt),
                ("__ge__", d_ge),
            ] {
                add_method(t, name, f);
            }
        }
        if s.hash.is_some() {
            add_method(t, "__hash__", d_hash);
        } else {
            crate::core::set_type_attr(t, "__hash__", weft_object::none().to_ref());
        }
        if s.repr.is_some() {
            add_method(t, "__repr__", d_repr);
        }
        if s.str.is_some() {
            add_method(t, "__str__", d_str);
        }
        if s.bool.is_some() {
            add_method(t, "__bool__", d_bool);
        }
        if s.len.is_some() {
            add_method(t, "__len__", d_len);
        }
        if s.contains.is_some() {
            add_method(t, "__contains__", d_contains);
        }
        if s.getitem.is_some() {
            add_method(t, "__getitem__", d_getitem);
        }
        if s.setitem.is_some() {
            add_method(t, "__setitem__", d_setitem);
            add_method(t, "__delitem__", d_delitem);
        }
        if s.iter.is_some() {
            add_method(t, "__iter__", d_iter);
        }
    }
    add_method(&STR_TYPE, "__add__", str_add);
    add_method(&INT_TYPE, "__index__", d_index);
    use crate::class::add_getset;
    add_getset(&INT_TYPE, "real", |o| Ok(int_value(o)), None);
    add_getset(&INT_TYPE, "numerator", |o| Ok(int_value(o)), None);
    add_getset(&INT_TYPE, "imag", |_| Ok(int_from_i64(0)), None);
    add_getset(&INT_TYPE, "denominator", |_| Ok(int_from_i64(1)), None);
    add_getset(
        &FLOAT_TYPE,
        "real",
        |o| Ok(ObjRef::new(o.downcast::<f64>().copied().unwrap_or(0.0))),
        None,
    );
    add_getset(&FLOAT_TYPE, "imag", |_| Ok(ObjRef::new(0.0f64)), None);
    for t in [&INT_TYPE, &FLOAT_TYPE] {
        add_method(t, "__format__", d_format);
    }
}

/// The plain int value of an int (or bool, or int subclass instance).
fn int_value(o: &Object) -> ObjRef {
    match o.downcast::<Int>() {
        Some(i) => weft_object::int_obj(i.clone()),
        None => int_from_i64(0),
    }
}
