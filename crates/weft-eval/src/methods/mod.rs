//! Methods of the builtin types (`str`, `list`, `dict`, `set`/`frozenset`, `tuple`, `int`,
//! `float`, `bytes`), installed into their type dicts by [`install_all`].

/// Installs every builtin type's methods (called once by [`crate::interp`] at start-up).
pub fn install_all() {}

/// `fmt % args` for `str` (the `%` operator; `args` a tuple, a mapping or one value).
pub fn str_percent(fmt: &weft_object::Object, args: &weft_object::Object) -> crate::core::Result<weft_object::ObjRef> {
    let _ = (fmt, args);
    todo!("methods::str_percent")
}

/// `str.format(*args, **kwargs)` for `str.format` and `format_map`.
pub fn str_format(fmt: &str, args: &crate::core::Args<'_>) -> crate::core::Result<weft_object::ObjRef> {
    let _ = (fmt, args);
    todo!("methods::str_format")
}
