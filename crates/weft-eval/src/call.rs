//! Calling objects: the vectorcall-like protocol every callable type implements through its
//! `call` slot (`fn(callable, args, kwnames)`: the last `kwnames.len()` args are keyword
//! values).

use weft_object::{ObjRef, Object};

use crate::core::Result;

/// `f(*args)` with keywords: the last `kwnames.len()` entries of `args` are keyword values
/// named by the `str` objects in `kwnames`. `TypeError: 'int' object is not callable`.
pub fn call(f: &Object, args: &[ObjRef], kwnames: &[ObjRef]) -> Result<ObjRef> {
    let _ = (f, args, kwnames);
    todo!("call::call")
}

/// `f()`.
pub fn call0(f: &Object) -> Result<ObjRef> {
    call(f, &[], &[])
}

/// `f(a)`.
pub fn call1(f: &Object, a: ObjRef) -> Result<ObjRef> {
    call(f, &[a], &[])
}

/// `f(a, b)`.
pub fn call2(f: &Object, a: ObjRef, b: ObjRef) -> Result<ObjRef> {
    call(f, &[a, b], &[])
}

/// `obj.name(*args)`.
pub fn call_method(obj: &Object, name: &str, args: &[ObjRef]) -> Result<ObjRef> {
    let _ = (obj, name, args);
    todo!("call::call_method")
}

/// `f(*args, **kwargs)` for `CALL_FUNCTION_EX`: `args` any iterable, `kwargs` a mapping with
/// str keys.
pub fn call_ex(f: &Object, args: &Object, kwargs: Option<&Object>) -> Result<ObjRef> {
    let _ = (f, args, kwargs);
    todo!("call::call_ex")
}
