//! Classes: the `__build_class__` builtin, C3 linearization, heap types whose slots dispatch
//! to dunder methods, instance creation (`__new__`/`__init__`), `type(...)`, `super`,
//! `property`, `staticmethod`, `classmethod`, `__slots__`.

use weft_object::{ObjRef, Object};

use crate::core::{Args, Result};

/// `__build_class__(func, name, *bases, metaclass=None, **kwds)`: runs the class body `func`
/// with a fresh namespace and makes the class.
pub fn build_class(args: &Args<'_>) -> Result<ObjRef> {
    let _ = args;
    todo!("class::build_class")
}

/// `type(o)` as an object.
pub fn type_of(o: &Object) -> ObjRef {
    o.ty().as_object().to_ref()
}

/// Calls the type object `ty` (instantiation): heap types run `__new__` then `__init__`;
/// builtin types their [`crate::core::TypeExt::ctor`]; `type(x)` / `type(name, bases, dict)`.
/// `TypeError: cannot create 'X' instances` when there is no way to construct.
pub fn call_type(ty: &Object, args: &[ObjRef], kwnames: &[ObjRef]) -> Result<ObjRef> {
    let _ = (ty, args, kwnames);
    todo!("class::call_type")
}

/// Puts `type`, `object`, `property`, `staticmethod`, `classmethod` and `super` into the
/// builtins namespace dict.
pub fn add_builtins(builtins: &Object) {
    let _ = builtins;
    todo!("class::add_builtins")
}
