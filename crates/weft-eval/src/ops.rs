//! The abstract object protocol the eval loop and the builtins share: operators (with the
//! reflected and in-place dunder fallbacks), subscripts, iteration, truth, length, hashing,
//! `isinstance`/`issubclass`, `repr`/`str`/`format` returning objects.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use weft_compiler::instr::{BinaryOp, CompareOp};
use weft_containers::dict::Dict;
use weft_containers::set::Set;
use weft_containers::tuple::{as_tuple, normalize_index, tuple_slice};
use weft_containers::{List, Slice, tuple::tuple_getitem};
use weft_object::scalar::format_spec;
use weft_object::scalar::int::Int;
use weft_object::scalar::str::CharIndex;
use weft_object::types::{BOOL_TYPE, PyBytes, PyStr, STR_TYPE, TYPE_TYPE, as_type, char_obj};
use weft_object::{
    BinaryFn, ExcKind, ObjRef, Object, Payload, PyErr, Slots, TypeObject, intern, not_implemented,
};

use crate::class::{call_dunder, is_object_default, static_base};
use crate::core::{Result, as_str, lookup_str, static_type, str_obj, tname, type_err};

// ---------------------------------------------------------------------------------------------
// Binary operators
// ---------------------------------------------------------------------------------------------

/// The plain operator of `op` and whether `op` is the in-place form.
fn split(op: BinaryOp) -> (BinaryOp, bool) {
    use BinaryOp::*;
    match op {
        InplaceAdd => (Add, true),
        InplaceAnd => (And, true),
        InplaceFloorDivide => (FloorDivide, true),
        InplaceLshift => (Lshift, true),
        InplaceMatrixMultiply => (MatrixMultiply, true),
        InplaceMultiply => (Multiply, true),
        InplaceRemainder => (Remainder, true),
        InplaceOr => (Or, true),
        InplacePower => (Power, true),
        InplaceRshift => (Rshift, true),
        InplaceSubtract => (Subtract, true),
        InplaceTrueDivide => (TrueDivide, true),
        InplaceXor => (Xor, true),
        o => (o, false),
    }
}

/// `(forward, reflected, in-place)` dunder names and the operator symbol.
fn names(op: BinaryOp) -> (&'static str, &'static str, &'static str, &'static str) {
    use BinaryOp::*;
    match op {
        Add => ("__add__", "__radd__", "__iadd__", "+"),
        And => ("__and__", "__rand__", "__iand__", "&"),
        FloorDivide => ("__floordiv__", "__rfloordiv__", "__ifloordiv__", "//"),
        Lshift => ("__lshift__", "__rlshift__", "__ilshift__", "<<"),
        MatrixMultiply => ("__matmul__", "__rmatmul__", "__imatmul__", "@"),
        Multiply => ("__mul__", "__rmul__", "__imul__", "*"),
        Remainder => ("__mod__", "__rmod__", "__imod__", "%"),
        Or => ("__or__", "__ror__", "__ior__", "|"),
        Power => ("__pow__", "__rpow__", "__ipow__", "**"),
        Rshift => ("__rshift__", "__rrshift__", "__irshift__", ">>"),
        Subtract => ("__sub__", "__rsub__", "__isub__", "-"),
        TrueDivide => ("__truediv__", "__rtruediv__", "__itruediv__", "/"),
        Xor => ("__xor__", "__rxor__", "__ixor__", "^"),
        other => names(split(other).0),
    }
}

fn num_slot(ty: &TypeObject, op: BinaryOp) -> Option<BinaryFn> {
    let n = &ty.slots.number;
    use BinaryOp::*;
    match op {
        Add => n.add,
        And => n.and,
        FloorDivide => n.floordiv,
        Lshift => n.lshift,
        Multiply => n.mul,
        Remainder => n.modulo,
        Or => n.or,
        Power => n.pow,
        Rshift => n.rshift,
        Subtract => n.sub,
        TrueDivide => n.truediv,
        Xor => n.xor,
        _ => None,
    }
}

#[derive(Clone, Copy)]
enum Impl {
    Native(BinaryFn),
    Heap,
}

fn impl_of(ty: &TypeObject, op: BinaryOp) -> Option<Impl> {
    if ty.is_heap() {
        Some(Impl::Heap)
    } else {
        num_slot(ty, op).map(Impl::Native)
    }
}

fn is_ni(o: &Object) -> bool {
    o.is(not_implemented())
}

fn ni() -> ObjRef {
    not_implemented().to_ref()
}

/// `a.__op__(b)`, or with `reflected` `b.__rop__(a)`: a heap type's dunder, else the builtin
/// slot (which always takes the operands in order).
fn call_side(imp: Impl, a: &Object, b: &Object, op: BinaryOp, reflected: bool) -> Result<ObjRef> {
    let (me, other, name) = if reflected {
        (b, a, names(op).1)
    } else {
        (a, b, names(op).0)
    };
    let native = match imp {
        Impl::Native(f) => Some(f),
        Impl::Heap => match call_dunder(me, name, &[other.to_ref()])? {
            Some(r) => return Ok(r),
            None => num_slot(static_base(me.ty()), op),
        },
    };
    // `str`'s concatenation slot assumes a `str` on the left (like CPython's `sq_concat`,
    // concatenation is never reflected).
    let str_concat = reflected
        && op == BinaryOp::Add
        && b.downcast::<PyStr>().is_some()
        && a.downcast::<PyStr>().is_none();
    match native {
        Some(f) if !str_concat => f(a, b),
        _ => Ok(ni()),
    }
}

/// The binary operator without the in-place step and without the error: `NotImplemented`
/// when neither operand supports it. This is also what the heap types' number slots do.
pub fn binary_op_slot(a: &Object, b: &Object, op: BinaryOp) -> Result<ObjRef> {
    let (ta, tb) = (a.ty(), b.ty());
    let fa = impl_of(ta, op);
    let mut fb = if std::ptr::eq(ta, tb) {
        None
    } else {
        impl_of(tb, op)
    };
    if let (Some(Impl::Native(x)), Some(Impl::Native(y))) = (fa, fb)
        && std::ptr::fn_addr_eq(x, y)
    {
        fb = None;
    }
    if let Some(ib) = fb
        && tb.is_subtype(ta)
    {
        let r = call_side(ib, a, b, op, true)?;
        if !is_ni(&r) {
            return Ok(r);
        }
        fb = None;
    }
    if let Some(ia) = fa {
        let r = call_side(ia, a, b, op, false)?;
        if !is_ni(&r) {
            return Ok(r);
        }
    }
    if let Some(ib) = fb {
        let r = call_side(ib, a, b, op, true)?;
        if !is_ni(&r) {
            return Ok(r);
        }
    }
    sequence_op(a, b, op)
}

fn index_of(o: &Object) -> Result<Option<Int>> {
    if let Some(i) = o.downcast::<Int>() {
        return Ok(Some(i.clone()));
    }
    if o.ty().is_heap()
        && let Some(r) = call_dunder(o, "__index__", &[])?
    {
        return match r.downcast::<Int>() {
            Some(i) => Ok(Some(i.clone())),
            None => type_err(format!("__index__ returned non-int (type {})", tname(&r))),
        };
    }
    Ok(None)
}

fn repeat_n(n: &Int) -> Result<usize> {
    if n.is_negative() {
        return Ok(0);
    }
    n.to_usize().ok_or_else(|| {
        PyErr::new(
            ExcKind::OverflowError,
            "cannot fit 'int' into an index-sized integer",
        )
    })
}

/// Sequence operators the builtin types' slots do not cover (`str * n`, `bytes + bytes`,
/// `str % x`).
fn sequence_op(a: &Object, b: &Object, op: BinaryOp) -> Result<ObjRef> {
    match op {
        BinaryOp::Multiply => {
            for (s, n) in [(a, b), (b, a)] {
                if s.downcast::<PyStr>().is_some() || s.downcast::<PyBytes>().is_some() {
                    let Some(k) = index_of(n)? else { continue };
                    let k = repeat_n(&k)?;
                    if let Some(x) = s.downcast::<PyStr>() {
                        let total = x.as_str().len().checked_mul(k);
                        if total.is_none_or(|t| t > isize::MAX as usize) {
                            return Err(PyErr::new(ExcKind::MemoryError, ""));
                        }
                        return Ok(str_obj(&x.as_str().repeat(k)));
                    }
                    let x = s.downcast::<PyBytes>().expect("bytes");
                    let total = x.as_bytes().len().checked_mul(k);
                    if total.is_none_or(|t| t > isize::MAX as usize) {
                        return Err(PyErr::new(ExcKind::MemoryError, ""));
                    }
                    return Ok(ObjRef::new(PyBytes::new(x.as_bytes().repeat(k))));
                }
            }
            Ok(ni())
        }
        BinaryOp::Add => {
            if let (Some(x), Some(y)) = (a.downcast::<PyBytes>(), b.downcast::<PyBytes>()) {
                let mut v = x.as_bytes().to_vec();
                v.extend_from_slice(y.as_bytes());
                return Ok(ObjRef::new(PyBytes::new(v)));
            }
            Ok(ni())
        }
        BinaryOp::Remainder => {
            if a.downcast::<PyStr>().is_some() {
                return crate::methods::str_percent(a, b);
            }
            Ok(ni())
        }
        BinaryOp::And | BinaryOp::Or | BinaryOp::Subtract | BinaryOp::Xor
            if is_set_view(a) || is_set_view(b) =>
        {
            // Dict key and item views act as sets; the result is a `set`.
            let sa = as_set(a)?;
            let sb = as_set(b)?;
            let (Some(sa), Some(sb)) = (sa, sb) else {
                return Ok(ni());
            };
            let x = Set::of(&sa).expect("set");
            match op {
                BinaryOp::And => x.intersection(&sb),
                BinaryOp::Or => x.union(&sb),
                BinaryOp::Subtract => x.difference(&sb),
                _ => x.symmetric_difference(&sb),
            }
        }
        _ => Ok(ni()),
    }
}

fn is_set_view(o: &Object) -> bool {
    let t = o.ty();
    std::ptr::eq(t, &weft_containers::dict::DICT_KEYS_TYPE)
        || std::ptr::eq(t, &weft_containers::dict::DICT_ITEMS_TYPE)
}

/// `o` as a new `set` when it is a set, a frozenset, a dict view or another iterable used
/// with a view; `None` when it is not iterable.
fn as_set(o: &Object) -> Result<Option<ObjRef>> {
    if Set::of(o).is_some() {
        return Ok(Some(o.to_ref()));
    }
    let items = match collect(o) {
        Ok(v) => v,
        Err(e) if e.kind == ExcKind::TypeError && e.object.is_none() => return Ok(None),
        Err(e) => return Err(e),
    };
    let s = weft_containers::set::new_set();
    let st = Set::of(&s).expect("set");
    for x in items {
        st.add(&x)?;
    }
    Ok(Some(s))
}

fn is_seq(o: &Object) -> bool {
    o.downcast::<PyStr>().is_some()
        || o.downcast::<PyBytes>().is_some()
        || List::of(o).is_some()
        || as_tuple(o).is_some()
}

fn binary_error(a: &Object, b: &Object, op: BinaryOp, inplace: bool) -> PyErr {
    let (_, _, _, sym) = names(op);
    if op == BinaryOp::Add {
        let kind = if a.downcast::<PyStr>().is_some() {
            Some("str")
        } else if List::of(a).is_some() {
            Some("list")
        } else if as_tuple(a).is_some() {
            Some("tuple")
        } else {
            None
        };
        if let Some(k) = kind
            && !a.ty().is_heap()
        {
            return PyErr::type_error(format!(
                "can only concatenate {k} (not \"{}\") to {k}",
                tname(b)
            ));
        }
        if a.downcast::<PyBytes>().is_some() {
            return PyErr::type_error(format!("can't concat {} to bytes", tname(b)));
        }
    }
    if op == BinaryOp::Multiply {
        for (s, n) in [(a, b), (b, a)] {
            if is_seq(s) && !s.ty().is_heap() && n.downcast::<Int>().is_none() && !is_seq(n) {
                return PyErr::type_error(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    tname(n)
                ));
            }
        }
    }
    let sym = if op == BinaryOp::Power && !inplace {
        "** or pow()".to_owned()
    } else if inplace {
        format!("{sym}=")
    } else {
        sym.to_owned()
    };
    PyErr::type_error(format!(
        "unsupported operand type(s) for {sym}: '{}' and '{}'",
        tname(a),
        tname(b)
    ))
}

/// In-place forms of the builtin mutable containers (`list +=`, `list *=`, `set |=`, ...):
/// `None` when `a` is not one of them.
fn builtin_inplace(a: &Object, b: &Object, op: BinaryOp) -> Result<Option<ObjRef>> {
    if let Some(l) = List::of(a) {
        match op {
            BinaryOp::Add => {
                l.extend_vec(collect(b)?)?;
                return Ok(Some(a.to_ref()));
            }
            BinaryOp::Multiply => {
                if let Some(n) = index_of(b)? {
                    let n = n
                        .as_i64()
                        .unwrap_or(if n.is_negative() { 0 } else { i64::MAX });
                    l.inplace_repeat(n)?;
                    return Ok(Some(a.to_ref()));
                }
            }
            _ => {}
        }
        return Ok(None);
    }
    if let Some(s) = Set::of(a)
        && !s.is_frozen()
        && Set::of(b).is_some()
    {
        match op {
            BinaryOp::Or => s.update(b)?,
            BinaryOp::And => s.intersection_update(b)?,
            BinaryOp::Subtract => s.difference_update(b)?,
            BinaryOp::Xor => s.symmetric_difference_update(b)?,
            _ => return Ok(None),
        }
        return Ok(Some(a.to_ref()));
    }
    if let Some(d) = Dict::of(a)
        && op == BinaryOp::Or
    {
        d.update(b)?;
        return Ok(Some(a.to_ref()));
    }
    Ok(None)
}

/// `a <op> b` for `BINARY_OP` (in-place forms try `__iop__` first, then the plain operator).
/// Covers numbers, sequence concatenation/repetition (`str`, `list`, `tuple`, `bytes`), `%`
/// formatting of `str`, set and dict (`|`) operators, and user dunders (`__add__`, `__radd__`,
/// `__iadd__`, ...). `TypeError: unsupported operand type(s) for +: 'int' and 'str'`.
pub fn binary_op(a: &Object, b: &Object, op: BinaryOp) -> Result<ObjRef> {
    let (base, inplace) = split(op);
    if std::ptr::eq(a.ty(), &BOOL_TYPE) && std::ptr::eq(b.ty(), &BOOL_TYPE) {
        // bool's own `&`, `|`, `^` keep the type.
        let (x, y) = (
            a.is(weft_object::singletons::bool_ref(true)),
            b.is(weft_object::singletons::bool_ref(true)),
        );
        match base {
            BinaryOp::And => return Ok(weft_object::bool_obj(x & y)),
            BinaryOp::Or => return Ok(weft_object::bool_obj(x | y)),
            BinaryOp::Xor => return Ok(weft_object::bool_obj(x ^ y)),
            _ => {}
        }
    }
    if inplace {
        if a.ty().is_heap() {
            if let Some(r) = call_dunder(a, names(base).2, &[b.to_ref()])?
                && !is_ni(&r)
            {
                return Ok(r);
            }
        } else if let Some(r) = builtin_inplace(a, b, base)? {
            return Ok(r);
        }
    }
    let r = binary_op_slot(a, b, base)?;
    if !is_ni(&r) {
        return Ok(r);
    }
    Err(binary_error(a, b, base, inplace))
}

/// Unary operators: `-a`, `+a`, `~a` (`not` is [`is_true`]). `kind`: 0 `+`, 1 `-`, 2 `~`.
pub fn unary_op(a: &Object, kind: u8) -> Result<ObjRef> {
    let n = &a.ty().slots.number;
    let (f, sym) = match kind {
        0 => (n.pos, "+"),
        1 => (n.neg, "-"),
        _ => (n.invert, "~"),
    };
    match f {
        Some(f) => f(a),
        None => type_err(format!("bad operand type for unary {sym}: '{}'", tname(a))),
    }
}

/// `abs(a)`.
pub fn abs(a: &Object) -> Result<ObjRef> {
    match a.ty().slots.number.abs {
        Some(f) => f(a),
        None => type_err(format!("bad operand type for abs(): '{}'", tname(a))),
    }
}

/// `COMPARE_OP`: rich comparison with reflection.
pub fn compare(a: &Object, b: &Object, op: CompareOp) -> Result<ObjRef> {
    use weft_object::CompareOp as C;
    let o = match op {
        CompareOp::Lt => C::Lt,
        CompareOp::Le => C::Le,
        CompareOp::Eq => C::Eq,
        CompareOp::Ne => C::Ne,
        CompareOp::Gt => C::Gt,
        CompareOp::Ge => C::Ge,
    };
    a.compare(b, o)
}

// ---------------------------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------------------------

/// `item in container` (`__contains__`, else iteration).
pub fn contains(container: &Object, item: &Object) -> Result<bool> {
    if let Some(f) = container.ty().slots.contains {
        return f(container, item);
    }
    builtin_contains(container, item)
}

/// `in` for the builtin layouts without a `contains` slot (`bytes`), then iteration.
pub(crate) fn builtin_contains(container: &Object, item: &Object) -> Result<bool> {
    if let Some(f) = static_base(container.ty()).slots.contains {
        return f(container, item);
    }
    if let Some(b) = container.downcast::<PyBytes>() {
        let hay = b.as_bytes();
        if let Some(i) = item.downcast::<Int>() {
            let v = i.as_i64().filter(|v| (0..256).contains(v));
            let Some(v) = v else {
                return Err(PyErr::value_error("byte must be in range(0, 256)"));
            };
            return Ok(hay.contains(&(v as u8)));
        }
        if let Some(n) = item.downcast::<PyBytes>() {
            return Ok(weft_object::scalar::bytes::find(hay, n.as_bytes(), None, None).is_some());
        }
        return type_err(format!(
            "a bytes-like object is required, not '{}'",
            tname(item)
        ));
    }
    contains_by_iter(container, item)
}

/// `item in container` by iterating (`argument of type 'int' is not iterable`).
pub fn contains_by_iter(container: &Object, item: &Object) -> Result<bool> {
    let it = match iter(container) {
        Ok(it) => it,
        Err(e) if e.kind == ExcKind::TypeError && e.object.is_none() => {
            return type_err(format!(
                "argument of type '{}' is not iterable",
                tname(container)
            ));
        }
        Err(e) => return Err(e),
    };
    while let Some(x) = next(&it)? {
        if x.is(item) || x.eq(item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The value of the index `k` (an `int` or an object with `__index__`), `None` when `k` is
/// not an index. `IndexError: cannot fit 'int' into an index-sized integer` beyond `i64`.
fn index_i64(k: &Object) -> Result<Option<i64>> {
    match index_of(k)? {
        Some(i) => i.as_i64().map(Some).ok_or_else(|| {
            PyErr::new(
                ExcKind::IndexError,
                format!("cannot fit '{}' into an index-sized integer", tname(k)),
            )
        }),
        None => Ok(None),
    }
}

fn seq_index(k: &Object, seq: &str) -> Result<i64> {
    match index_i64(k)? {
        Some(i) => Ok(i),
        None => type_err(format!(
            "{seq} indices must be integers or slices, not {}",
            tname(k)
        )),
    }
}

fn str_getitem(o: &Object, s: &PyStr, k: &Object) -> Result<ObjRef> {
    let text = s.as_str();
    let chars = CharIndex {
        len: s.char_len(),
        ascii: s.is_ascii(),
    };
    if let Some(sl) = crate::builtins::slice_of(k) {
        let idx = sl?.indices(chars.len)?;
        if idx.step == 1 {
            if idx.len == chars.len && std::ptr::eq(o.ty(), &STR_TYPE) {
                return Ok(o.to_ref());
            }
            let st = idx.start.max(0) as usize;
            return Ok(str_obj(chars.slice(text, st, st + idx.len)));
        }
        let out: String = if chars.ascii {
            let b = text.as_bytes();
            idx.iter().map(|i| b[i] as char).collect()
        } else {
            let cs: Vec<char> = text.chars().collect();
            idx.iter().map(|i| cs[i]).collect()
        };
        return Ok(str_obj(&out));
    }
    let Some(i) = index_i64(k)? else {
        return type_err(format!(
            "string indices must be integers, not '{}'",
            tname(k)
        ));
    };
    match normalize_index(i, chars.len).and_then(|j| chars.char_at(text, j)) {
        Some(c) => Ok(char_obj(c)),
        None => Err(PyErr::new(ExcKind::IndexError, "string index out of range")),
    }
}

fn bytes_getitem(b: &PyBytes, k: &Object) -> Result<ObjRef> {
    let v = b.as_bytes();
    if let Some(sl) = crate::builtins::slice_of(k) {
        let idx = sl?.indices(v.len())?;
        let out: Vec<u8> = idx.iter().map(|i| v[i]).collect();
        return Ok(ObjRef::new(PyBytes::new(out)));
    }
    let Some(i) = index_i64(k)? else {
        return type_err(format!(
            "byte indices must be integers or slices, not {}",
            tname(k)
        ));
    };
    match normalize_index(i, v.len()) {
        Some(j) => Ok(weft_object::int_from_i64(v[j] as i64)),
        None => Err(PyErr::new(ExcKind::IndexError, "index out of range")),
    }
}

/// `o[k]` for the builtin layouts (a subclass of a builtin type falls back here).
pub(crate) fn builtin_getitem(o: &Object, k: &Object) -> Result<ObjRef> {
    if let Some(l) = List::of(o) {
        if let Some(sl) = crate::builtins::slice_of(k) {
            return l.get_slice(&sl?);
        }
        return l.get(seq_index(k, "list")?);
    }
    if as_tuple(o).is_some() {
        if let Some(sl) = crate::builtins::slice_of(k) {
            return tuple_slice(o, &sl?);
        }
        return tuple_getitem(o, seq_index(k, "tuple")?);
    }
    if let Some(s) = o.downcast::<PyStr>() {
        return str_getitem(o, s, k);
    }
    if let Some(b) = o.downcast::<PyBytes>() {
        return bytes_getitem(b, k);
    }
    if let Some(f) = static_base(o.ty()).slots.getitem {
        return f(o, k);
    }
    type_err(format!("'{}' object is not subscriptable", tname(o)))
}

/// `o[k]` (ints, slices, dict keys, `__getitem__`, `__class_getitem__` not needed).
pub fn getitem(o: &Object, k: &Object) -> Result<ObjRef> {
    if let Some(t) = as_type(o) {
        return class_getitem(static_type(t), k);
    }
    if o.ty().is_heap() {
        return (o.ty().slots.getitem.expect("heap getitem"))(o, k);
    }
    if List::of(o).is_none()
        && as_tuple(o).is_none()
        && let Some(f) = o.ty().slots.getitem
    {
        return f(o, k);
    }
    builtin_getitem(o, k)
}

fn class_getitem(t: &'static TypeObject, k: &Object) -> Result<ObjRef> {
    if let Some(f) = lookup_str(t, "__class_getitem__")? {
        let bound = crate::attr::descr_get(&f, None, t)?;
        return crate::call::call(&bound, &[k.to_ref()], &[]);
    }
    let generic = [
        &weft_containers::LIST_TYPE,
        &weft_containers::TUPLE_TYPE,
        &weft_containers::dict::DICT_TYPE,
        &weft_containers::set::SET_TYPE,
        &weft_containers::set::FROZENSET_TYPE,
        &TYPE_TYPE,
    ];
    if generic.iter().any(|g| std::ptr::eq(*g, t)) {
        // Type hints (`list[int]`): the origin stands in for the alias.
        return Ok(t.as_object().to_ref());
    }
    type_err(format!("type '{}' is not subscriptable", t.name))
}

/// `o[k] = v` / `del o[k]` for the builtin layouts.
pub(crate) fn builtin_setitem(o: &Object, k: &Object, v: Option<&Object>) -> Result<()> {
    if let Some(l) = List::of(o) {
        if let Some(sl) = crate::builtins::slice_of(k) {
            let sl: Slice = sl?;
            return match v {
                Some(v) => l.set_slice(&sl, collect(v)?),
                None => l.del_slice(&sl),
            };
        }
        let i = seq_index(k, "list")?;
        return match v {
            Some(v) => l.set(i, v.to_ref()),
            None => l.del(i),
        };
    }
    if let Some(f) = static_base(o.ty()).slots.setitem {
        return f(o, k, v);
    }
    match v {
        Some(_) => type_err(format!(
            "'{}' object does not support item assignment",
            tname(o)
        )),
        None => type_err(format!(
            "'{}' object doesn't support item deletion",
            tname(o)
        )),
    }
}

/// `o[k] = v` (`v` given) or `del o[k]`: the type's `setitem` slot, except for an exact
/// `list`, whose slices and `__index__` keys [`builtin_setitem`] handles.
fn set_or_del_item(o: &Object, k: &Object, v: Option<&Object>) -> Result<()> {
    if (o.ty().is_heap() || List::of(o).is_none())
        && let Some(f) = o.ty().slots.setitem
    {
        return f(o, k, v);
    }
    builtin_setitem(o, k, v)
}

/// `o[k] = v`.
pub fn setitem(o: &Object, k: &Object, v: ObjRef) -> Result<()> {
    set_or_del_item(o, k, Some(&v))
}

/// `del o[k]`.
pub fn delitem(o: &Object, k: &Object) -> Result<()> {
    set_or_del_item(o, k, None)
}

// ---------------------------------------------------------------------------------------------
// Iteration
// ---------------------------------------------------------------------------------------------

/// The `__getitem__` sequence-protocol iterator (`iterator`).
pub struct SeqIter {
    seq: ObjRef,
    pos: AtomicUsize,
    done: AtomicBool,
}

fn iter_self(o: &Object) -> Result<ObjRef> {
    Ok(o.to_ref())
}

/// `iterator` (the sequence protocol)
pub static SEQ_ITER_TYPE: TypeObject = TypeObject::new_static::<SeqIter>(
    "iterator",
    Some(&weft_object::types::OBJECT_TYPE),
    Slots {
        iter: Some(iter_self),
        next: Some(|o| {
            let it = o.downcast::<SeqIter>().expect("iterator");
            if it.done.load(Ordering::Relaxed) {
                return Ok(None);
            }
            let i = it.pos.fetch_add(1, Ordering::Relaxed);
            match getitem(&it.seq, &weft_object::int_from_i64(i as i64)) {
                Ok(v) => Ok(Some(v)),
                Err(e) if e.kind == ExcKind::IndexError || e.kind == ExcKind::StopIteration => {
                    it.done.store(true, Ordering::Relaxed);
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        }),
        ..Slots::EMPTY
    },
);

impl Payload for SeqIter {
    fn type_object() -> &'static TypeObject {
        &SEQ_ITER_TYPE
    }
}

/// A sequence-protocol iterator over `o` (`o[0]`, `o[1]`, ... until `IndexError`).
pub fn seq_iter(o: &Object) -> ObjRef {
    ObjRef::new(SeqIter {
        seq: o.to_ref(),
        pos: AtomicUsize::new(0),
        done: AtomicBool::new(false),
    })
}

/// Whether `o` is an iterator (has `__next__`).
pub fn is_iterator(o: &Object) -> Result<bool> {
    if o.ty().is_heap() {
        return Ok(
            lookup_str(o.ty(), "__next__")?.is_some() || static_base(o.ty()).slots.next.is_some()
        );
    }
    Ok(o.ty().slots.next.is_some())
}

/// Whether `iter(o)` can work: an `__iter__` (or the old `__getitem__` protocol) on a heap
/// type's MRO, or the builtin type's `iter` slot.
pub fn has_iter(o: &Object) -> Result<bool> {
    let ty = o.ty();
    if ty.is_heap() {
        return Ok(
            lookup_str(ty, "__iter__")?.is_some_and(|f| !f.is(weft_object::none()))
                || lookup_str(ty, "__getitem__")?.is_some()
                || static_base(ty).slots.iter.is_some(),
        );
    }
    Ok(ty.slots.iter.is_some())
}

/// `iter(o)` for the builtin layouts (a subclass of a builtin type falls back here).
pub(crate) fn builtin_iter(o: &Object) -> Result<ObjRef> {
    if let Some(f) = static_base(o.ty()).slots.iter {
        return f(o);
    }
    if !o.ty().is_heap() && o.ty().slots.getitem.is_some() {
        return Ok(seq_iter(o));
    }
    type_err(format!("'{}' object is not iterable", tname(o)))
}

/// `iter(o)`: the `iter` slot, `__iter__`, or the `__getitem__` sequence protocol.
/// `TypeError: 'int' object is not iterable`.
pub fn iter(o: &Object) -> Result<ObjRef> {
    if let Some(f) = o.ty().slots.iter {
        return f(o);
    }
    builtin_iter(o)
}

/// `next(it)`: `Ok(None)` on exhaustion (a `StopIteration` raised by a `__next__` is
/// swallowed here; its value is lost, which only `yield from` cares about and it uses
/// [`crate::generator`] directly).
pub fn next(it: &Object) -> Result<Option<ObjRef>> {
    match it.ty().slots.next {
        Some(f) => f(it),
        None => type_err(format!("'{}' object is not an iterator", tname(it))),
    }
}

/// The items of an exact `dict`, `set`, `frozenset` or dict view (`keys()`, `values()`,
/// `items()`), copied as one consistent state: the copy is taken inside the container's
/// critical section, as CPython 3.13t does for `list(d)`, `sorted(s)`, `sum(d.values())`...
/// so that other threads mutating it never make a whole-container read fail with
/// "changed size during iteration". `None` for anything else (subclasses included: they may
/// override `__iter__`).
pub(crate) fn container_snapshot(o: &Object) -> Option<Vec<ObjRef>> {
    use weft_containers::dict::{DICT_ITEMS_TYPE, DICT_KEYS_TYPE, DICT_TYPE, DICT_VALUES_TYPE};
    use weft_containers::set::{FROZENSET_TYPE, SET_TYPE};
    let t = o.ty();
    if std::ptr::eq(t, &DICT_TYPE) {
        return Dict::of(o).map(Dict::keys_vec);
    }
    if std::ptr::eq(t, &SET_TYPE) || std::ptr::eq(t, &FROZENSET_TYPE) {
        return Set::of(o).map(Set::to_vec);
    }
    let view = || {
        o.downcast::<weft_containers::dict::DictView>()
            .map(|v| v.dict())
    };
    if std::ptr::eq(t, &DICT_KEYS_TYPE) {
        return view().map(Dict::keys_vec);
    }
    if std::ptr::eq(t, &DICT_VALUES_TYPE) {
        return view().map(Dict::values_vec);
    }
    if std::ptr::eq(t, &DICT_ITEMS_TYPE) {
        return view().map(|d| {
            d.items_vec()
                .into_iter()
                .map(|(k, v)| weft_containers::new_tuple(vec![k, v]))
                .collect()
        });
    }
    None
}

/// The items of the iterable `o`.
pub fn collect(o: &Object) -> Result<Vec<ObjRef>> {
    if let Some(t) = as_tuple(o) {
        return Ok(t.as_slice().to_vec());
    }
    if let Some(l) = List::of(o) {
        return Ok(l.to_vec());
    }
    if let Some(v) = container_snapshot(o) {
        return Ok(v);
    }
    let it = iter(o)?;
    let mut v = Vec::new();
    while let Some(x) = next(&it)? {
        v.push(x);
    }
    Ok(v)
}

/// `len(o)`.
pub fn len(o: &Object) -> Result<usize> {
    match o.ty().slots.len {
        Some(f) => f(o),
        None => type_err(format!("object of type '{}' has no len()", tname(o))),
    }
}

/// `bool(o)`.
pub fn is_true(o: &Object) -> Result<bool> {
    o.is_true()
}

// ---------------------------------------------------------------------------------------------
// isinstance / issubclass
// ---------------------------------------------------------------------------------------------

/// `isinstance(o, cls)`, `cls` a type or a tuple of types (nested tuples allowed).
pub fn isinstance(o: &Object, cls: &Object) -> Result<bool> {
    if let Some(t) = as_type(cls) {
        return Ok(o.ty().is_subtype(t));
    }
    if let Some(tup) = as_tuple(cls) {
        for c in tup.as_slice() {
            if isinstance(o, c)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    type_err("isinstance() arg 2 must be a type, a tuple of types, or a union")
}

/// `issubclass(c, cls)`.
pub fn issubclass(c: &Object, cls: &Object) -> Result<bool> {
    let Some(ct) = as_type(c) else {
        return type_err("issubclass() arg 1 must be a class");
    };
    if let Some(t) = as_type(cls) {
        return Ok(ct.is_subtype(t));
    }
    if let Some(tup) = as_tuple(cls) {
        for x in tup.as_slice() {
            if issubclass(c, x)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    type_err("issubclass() arg 2 must be a class, a tuple of classes, or a union")
}

// ---------------------------------------------------------------------------------------------
// repr / str / format
// ---------------------------------------------------------------------------------------------

/// `repr(o)` as a `str` object.
pub fn repr(o: &Object) -> Result<ObjRef> {
    if let Some(t) = as_type(o) {
        return Ok(str_obj(&crate::class::type_repr(t)));
    }
    Ok(weft_object::str_obj(o.repr()?))
}

/// `str(o)` as a `str` object (the same object when `o` is an exact `str`).
pub fn str(o: &Object) -> Result<ObjRef> {
    if std::ptr::eq(o.ty(), &weft_object::types::STR_TYPE) {
        return Ok(o.to_ref());
    }
    if let Some(t) = as_type(o) {
        return Ok(str_obj(&crate::class::type_repr(t)));
    }
    Ok(weft_object::str_obj(o.str()?))
}

/// `format(o, spec)` (`__format__`; builtin types use weft-object's format-spec engine).
pub fn format(o: &Object, spec: &str) -> Result<ObjRef> {
    let ty = o.ty();
    if (ty.is_heap()
        || !(o.downcast::<Int>().is_some()
            || o.downcast::<f64>().is_some()
            || o.downcast::<PyStr>().is_some()))
        && let Some(f) = lookup_str(ty, "__format__")?
        && !is_object_default(&f, crate::core::names::__format__())
        && (!ty.is_heap() || defined_by_heap(ty, "__format__")?)
    {
        // A `__format__` defined by a class (or a builtin type's own) goes first.
        let r = crate::attr::call_unbound(&f, o, &[str_obj(spec)], &[])?;
        if as_str(&r).is_none() {
            return type_err(format!("__format__ must return a str, not {}", tname(&r)));
        }
        return Ok(r);
    }
    if let Some(i) = o.downcast::<Int>() {
        if spec.is_empty() {
            return str(o);
        }
        return Ok(str_obj(&format_spec::format_int_spec(i, spec)?));
    }
    if let Some(x) = o.downcast::<f64>() {
        if spec.is_empty() {
            return str(o);
        }
        return Ok(str_obj(&format_spec::format_float_spec(*x, spec)?));
    }
    if let Some(s) = o.downcast::<PyStr>() {
        if spec.is_empty() {
            return str(o);
        }
        return Ok(str_obj(&format_spec::format_str_spec(s.as_str(), spec)?));
    }
    if !spec.is_empty() {
        return type_err(format!(
            "unsupported format string passed to {}.__format__",
            tname(o)
        ));
    }
    str(o)
}

fn defined_by_heap(ty: &TypeObject, name: &str) -> Result<bool> {
    for t in crate::core::static_type(ty).mro() {
        if crate::core::type_dict(t).get(intern(name))?.is_some() {
            return Ok(t.is_heap());
        }
    }
    Ok(false)
}
