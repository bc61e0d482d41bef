//! The abstract object protocol the eval loop and the builtins share: operators (with the
//! reflected and in-place dunder fallbacks), subscripts, iteration, truth, length, hashing,
//! `isinstance`/`issubclass`, `repr`/`str`/`format` returning objects.

use weft_compiler::instr::{BinaryOp, CompareOp};
use weft_object::{ObjRef, Object};

use crate::core::Result;

/// `a <op> b` for `BINARY_OP` (in-place forms try `__iop__` first, then the plain operator).
/// Covers numbers, sequence concatenation/repetition (`str`, `list`, `tuple`, `bytes`), `%`
/// formatting of `str`, set and dict (`|`) operators, and user dunders (`__add__`, `__radd__`,
/// `__iadd__`, ...). `TypeError: unsupported operand type(s) for +: 'int' and 'str'`.
pub fn binary_op(a: &Object, b: &Object, op: BinaryOp) -> Result<ObjRef> {
    let _ = (a, b, op);
    todo!("ops::binary_op")
}

/// Unary operators: `-a`, `+a`, `~a` (`not` is [`is_true`]). `kind`: 0 `+`, 1 `-`, 2 `~`.
pub fn unary_op(a: &Object, kind: u8) -> Result<ObjRef> {
    let _ = (a, kind);
    todo!("ops::unary_op")
}

/// `COMPARE_OP`: rich comparison with reflection.
pub fn compare(a: &Object, b: &Object, op: CompareOp) -> Result<ObjRef> {
    let _ = (a, b, op);
    todo!("ops::compare")
}

/// `item in container` (`__contains__`, else iteration).
pub fn contains(container: &Object, item: &Object) -> Result<bool> {
    let _ = (container, item);
    todo!("ops::contains")
}

/// `o[k]` (ints, slices, dict keys, `__getitem__`, `__class_getitem__` not needed).
pub fn getitem(o: &Object, k: &Object) -> Result<ObjRef> {
    let _ = (o, k);
    todo!("ops::getitem")
}

/// `o[k] = v`.
pub fn setitem(o: &Object, k: &Object, v: ObjRef) -> Result<()> {
    let _ = (o, k, v);
    todo!("ops::setitem")
}

/// `del o[k]`.
pub fn delitem(o: &Object, k: &Object) -> Result<()> {
    let _ = (o, k);
    todo!("ops::delitem")
}

/// `iter(o)`: the `iter` slot, `__iter__`, or the `__getitem__` sequence protocol.
/// `TypeError: 'int' object is not iterable`.
pub fn iter(o: &Object) -> Result<ObjRef> {
    let _ = o;
    todo!("ops::iter")
}

/// `next(it)`: `Ok(None)` on exhaustion (a `StopIteration` raised by a `__next__` is
/// swallowed here; its value is lost, which only `yield from` cares about and it uses
/// [`crate::generator`] directly).
pub fn next(it: &Object) -> Result<Option<ObjRef>> {
    let _ = it;
    todo!("ops::next")
}

/// `len(o)`.
pub fn len(o: &Object) -> Result<usize> {
    let _ = o;
    todo!("ops::len")
}

/// `bool(o)`.
pub fn is_true(o: &Object) -> Result<bool> {
    o.is_true()
}

/// `isinstance(o, cls)`, `cls` a type or a tuple of types (nested tuples allowed).
pub fn isinstance(o: &Object, cls: &Object) -> Result<bool> {
    let _ = (o, cls);
    todo!("ops::isinstance")
}

/// `issubclass(c, cls)`.
pub fn issubclass(c: &Object, cls: &Object) -> Result<bool> {
    let _ = (c, cls);
    todo!("ops::issubclass")
}

/// `repr(o)` as a `str` object.
pub fn repr(o: &Object) -> Result<ObjRef> {
    Ok(weft_object::str_obj(o.repr()?))
}

/// `str(o)` as a `str` object (the same object when `o` is an exact `str`).
pub fn str(o: &Object) -> Result<ObjRef> {
    if std::ptr::eq(o.ty(), &weft_object::types::STR_TYPE) {
        return Ok(o.to_ref());
    }
    Ok(weft_object::str_obj(o.str()?))
}

/// `format(o, spec)` (`__format__`; builtin types use weft-object's format-spec engine).
pub fn format(o: &Object, spec: &str) -> Result<ObjRef> {
    let _ = (o, spec);
    todo!("ops::format")
}
