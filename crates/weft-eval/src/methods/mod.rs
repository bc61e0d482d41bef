//! Methods of the builtin types (`str`, `list`, `dict`, `set`/`frozenset`, `tuple`, `int`,
//! `float`, `bytes`), installed into their type dicts by [`install_all`].
//!
//! Submodules: `str` (the str methods), `format` (`str.format` and `%`), `containers`
//! (list, tuple, dict, set, frozenset), `num` (int, float, bytes).

mod containers;
mod dunders;
mod format;
mod num;
mod str;

/// Installs every builtin type's methods (called once by [`crate::interp`] at start-up; later
/// calls do nothing).
pub fn install_all() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        str::install();
        containers::install();
        num::install();
        dunders::install();
    });
}

/// `fmt % args` for `str` (the `%` operator; `args` a tuple, a mapping or one value).
pub fn str_percent(
    fmt: &weft_object::Object,
    args: &weft_object::Object,
) -> crate::core::Result<weft_object::ObjRef> {
    format::percent(fmt, args)
}

/// `str.format(*args, **kwargs)` for `str.format` and `format_map`.
pub fn str_format(
    fmt: &str,
    args: &crate::core::Args<'_>,
) -> crate::core::Result<weft_object::ObjRef> {
    let kw: Vec<(String, weft_object::ObjRef)> =
        args.kw().map(|(k, v)| (k.to_owned(), v.clone())).collect();
    format::format_with(fmt, args.pos(), None, &kw)
}

/// Encodes `s` (for `str.encode`).
fn encode_str(s: &str, enc: &str, errors: &str) -> crate::core::Result<Vec<u8>> {
    crate::builtins::encode_pub(s, enc, errors)
}
