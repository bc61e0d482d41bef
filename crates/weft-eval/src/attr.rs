//! Attribute access: the generic lookup with descriptors (CPython's
//! `PyObject_GenericGetAttr`), `getattr`/`setattr`/`delattr`, and `LOAD_METHOD`'s unbound-method
//! shortcut.
//!
//! Lookup order for `obj.name`: a data descriptor found on the type's MRO (`property`, a
//! `__slots__` member), then the instance `__dict__`, then a non-data descriptor or plain
//! class attribute (functions bind to `obj`, `classmethod` to the type, `staticmethod`
//! unwraps, native methods bind), then `__getattr__`. Type objects look up their own MRO first,
//! then the metatype's.

use weft_object::{ObjRef, Object};

use crate::core::Result;

/// `getattr(obj, name)`; `name` is a `str`. `AttributeError` with CPython's message when
/// missing (`'Foo' object has no attribute 'bar'`, `type object 'Foo' has no attribute 'x'`,
/// `module 'm' has no attribute 'x'`).
pub fn getattr(obj: &Object, name: &Object) -> Result<ObjRef> {
    let _ = (obj, name);
    todo!("attr::getattr")
}

/// [`getattr`] with a Rust string name.
pub fn getattr_str(obj: &Object, name: &str) -> Result<ObjRef> {
    getattr(obj, weft_object::intern(name))
}

/// `getattr(obj, name, None)`-like: `Ok(None)` when the attribute is missing (only an
/// `AttributeError` is swallowed; other errors propagate).
pub fn getattr_opt(obj: &Object, name: &Object) -> Result<Option<ObjRef>> {
    let _ = (obj, name);
    todo!("attr::getattr_opt")
}

/// `obj.name = value`.
pub fn setattr(obj: &Object, name: &Object, value: ObjRef) -> Result<()> {
    let _ = (obj, name, value);
    todo!("attr::setattr")
}

/// `del obj.name`.
pub fn delattr(obj: &Object, name: &Object) -> Result<()> {
    let _ = (obj, name);
    todo!("attr::delattr")
}

/// What `LOAD_METHOD` pushes: either an unbound callable that takes `obj` as its first
/// argument (a Python function found on the type, or a native method descriptor), so the call
/// avoids making a bound method, or the attribute's value (bound method, instance attribute,
/// anything else).
pub enum Method {
    /// Call as `func(obj, *args)`.
    Unbound(ObjRef),
    /// Call as `value(*args)`.
    Value(ObjRef),
}

/// `LOAD_METHOD`: like [`getattr`] but without binding when the attribute is a plain method
/// on the type and the instance does not shadow it.
pub fn load_method(obj: &Object, name: &Object) -> Result<Method> {
    let _ = (obj, name);
    todo!("attr::load_method")
}

/// `dir(obj)`: the sorted attribute names (instance dict, class and bases; for a type, its
/// MRO's dicts; for a module, its namespace).
pub fn dir(obj: &Object) -> Result<Vec<String>> {
    let _ = obj;
    todo!("attr::dir")
}
