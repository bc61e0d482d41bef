//! The `builtins` module: functions (`print`, `len`, `range`, ...), the builtin types under
//! their Python names, the exception classes, and the iterator types the functions return
//! (`range`, `enumerate`, `zip`, `map`, `filter`, `reversed`), plus `slice`.

use weft_object::Object;

/// The builtins namespace (a dict), made on first use. Immortal.
pub fn builtins_dict() -> &'static Object {
    todo!("builtins::builtins_dict")
}

/// The `Ellipsis` singleton.
pub fn ellipsis() -> &'static Object {
    todo!("builtins::ellipsis")
}

/// A new `slice(start, stop, step)` object (`BUILD_SLICE`).
pub fn new_slice(start: weft_object::ObjRef, stop: weft_object::ObjRef, step: weft_object::ObjRef) -> weft_object::ObjRef {
    let _ = (start, stop, step);
    todo!("builtins::new_slice")
}

/// The slice `o` resolved to integer bounds (indices via `__index__`), if `o` is a slice.
pub fn slice_of(o: &Object) -> Option<crate::core::Result<weft_containers::Slice>> {
    let _ = o;
    todo!("builtins::slice_of")
}
