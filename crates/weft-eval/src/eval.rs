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
