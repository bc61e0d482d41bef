//! `import`: native modules, embedded Python modules, then `.py` files (and packages) on
//! `sys.path`; `sys.modules` caches them.

use weft_object::{ObjRef, Object};

use crate::core::Result;

/// `IMPORT_NAME`: `__import__(name, globals, None, fromlist, level)`.
pub fn import_name(name: &str, globals: &Object, fromlist: &Object, level: i64) -> Result<ObjRef> {
    let _ = (name, globals, fromlist, level);
    todo!("import::import_name")
}

/// `IMPORT_FROM`: `module.name`, falling back to the submodule `module.name` in `sys.modules`;
/// `ImportError: cannot import name 'x' from 'm'`.
pub fn import_from(module: &Object, name: &Object) -> Result<ObjRef> {
    let _ = (module, name);
    todo!("import::import_from")
}

/// `IMPORT_STAR`: copies the public names (or `__all__`) of `module` into `locals`.
pub fn import_star(module: &Object, locals: &Object) -> Result<()> {
    let _ = (module, locals);
    todo!("import::import_star")
}
