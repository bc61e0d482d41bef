//! Exception objects: the builtin hierarchy (every builtin exception type stores a
//! [`crate::core::Instance`] with exception state, so user subclasses are ordinary classes),
//! conversion between [`PyErr`] and exception objects, `args`, `__cause__`, `__context__`,
//! `__traceback__` and `str`/`repr` of exceptions.

use weft_object::{ExcKind, ObjRef, Object, PyErr, TypeObject};

use crate::core::TbEntry;

/// The builtin exception type for `kind`.
pub fn exc_type(kind: ExcKind) -> &'static TypeObject {
    let _ = kind;
    todo!("exceptions::exc_type")
}

/// The exception object of `err`, made on first need (`err.object`, else a new instance of
/// `exc_type(err.kind)` with args `(err.arg,)`, `(err.msg,)` or `()` when the message is
/// empty).
pub fn materialize(err: &PyErr) -> ObjRef {
    let _ = err;
    todo!("exceptions::materialize")
}

/// A `PyErr` raising the exception object `exc` (kind = its nearest builtin class).
pub fn from_object(exc: ObjRef) -> PyErr {
    let _ = exc;
    todo!("exceptions::from_object")
}

/// Whether `o` is an exception instance (of `BaseException` or a subclass).
pub fn is_exception(o: &Object) -> bool {
    let _ = o;
    todo!("exceptions::is_exception")
}

/// Appends a traceback entry (the unwinding adds the raising frame first, then each caller).
pub fn add_traceback(exc: &Object, entry: TbEntry) {
    let _ = (exc, entry);
    todo!("exceptions::add_traceback")
}

/// The traceback entries, outermost call first (the order CPython prints them).
pub fn traceback_of(exc: &Object) -> Vec<TbEntry> {
    let _ = exc;
    todo!("exceptions::traceback_of")
}

/// Sets `__context__` (implicit chaining), unless it would create a cycle.
pub fn set_context(exc: &Object, context: Option<ObjRef>) {
    let _ = (exc, context);
    todo!("exceptions::set_context")
}

/// Sets `__cause__` (and `__suppress_context__`), for `raise ... from cause`.
pub fn set_cause(exc: &Object, cause: Option<ObjRef>) {
    let _ = (exc, cause);
    todo!("exceptions::set_cause")
}

/// `__cause__`, `__context__` and `__suppress_context__`.
pub fn chain_of(exc: &Object) -> (Option<ObjRef>, Option<ObjRef>, bool) {
    let _ = exc;
    todo!("exceptions::chain_of")
}

/// Puts every builtin exception class into the builtins namespace dict.
pub fn add_builtins(builtins: &Object) {
    let _ = builtins;
    todo!("exceptions::add_builtins")
}
