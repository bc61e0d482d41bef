//! The `builtins` module: functions (`print`, `len`, `range`, ...), the builtin types under
//! their Python names, the exception classes, and the iterator types the functions return
//! (`range`, `enumerate`, `zip`, `map`, `filter`, `reversed`), plus `slice`.

use weft_object::Object;

/// The builtins namespace (a dict), made on first use. Immortal.
pub fn builtins_dict() -> &'static Object {
    todo!("builtins::builtins_dict")
}
