//! The eval loop.
//!
//! [`run_code`] executes a module or class body; Python functions enter through their `call`
//! slot and [`crate::generator`] resumes suspended frames. Frames live on the thread's data
//! stack ([`weft_frame::with_stack`]); the eval breaker (backward jumps, calls, `RESUME`)
//! runs `weft_refcount`'s check point and `weft_frame::safe_point`.

use weft_object::{ObjRef, Object};

use crate::core::Result;

/// Runs a module-level (or `exec`) code object with `globals` as both globals and locals
/// (or a separate `locals` mapping), returning the value of the code (None for modules).
pub fn run_code(code: &Object, globals: &Object, locals: Option<&Object>) -> Result<ObjRef> {
    let _ = (code, globals, locals);
    todo!("eval::run_code")
}

/// The exception currently being handled on this thread (`sys.exc_info()[1]`), if any.
pub fn current_exception() -> Option<ObjRef> {
    todo!("eval::current_exception")
}

/// Runs a class body: the function `body` (made by the class statement) executed with
/// `namespace` as its locals mapping. Returns what the body returns (the `__class__` cell when
/// a method uses `super()` or `__class__`, else None). Called by `__build_class__`.
pub fn run_class_body(body: &Object, namespace: &Object) -> Result<ObjRef> {
    let _ = (body, namespace);
    todo!("eval::run_class_body")
}

/// Zero-argument `super()`: from the calling Python frame, the class in its `__class__` cell
/// and its first argument. `RuntimeError: super(): no arguments` / `super(): __class__ cell
/// not found` otherwise.
pub fn current_super_args() -> Result<(ObjRef, ObjRef)> {
    todo!("eval::current_super_args")
}

/// The globals of the innermost running Python frame (`globals()`).
pub fn current_globals() -> Option<ObjRef> {
    todo!("eval::current_globals")
}

/// `locals()` of the innermost running Python frame: the locals mapping for module and class
/// bodies, a new dict snapshot of the bound fast locals (and free variables) for functions.
pub fn current_locals() -> Result<ObjRef> {
    todo!("eval::current_locals")
}

/// Sets the native stack budget of the calling thread (the size it was spawned with), so that
/// deep recursion raises `RecursionError` before the native stack overflows. Threads made by
/// `_thread` and the main interpreter thread call this first.
pub fn set_native_stack_size(bytes: usize) {
    let _ = bytes;
    todo!("eval::set_native_stack_size")
}
