//! Python functions, runtime code objects, cells and bound methods.
//!
//! A [`Code`] wraps the compiler's `CodeObject` with what running it needs: the constants as
//! objects, the names interned, and the frame layout ([`weft_frame::CodeInfo`]). A
//! [`Function`] is code plus globals, defaults, keyword defaults and closure.

use std::sync::Arc;

use weft_compiler::CodeObject;
use weft_frame::CodeInfo;
use weft_object::{ObjRef, Object};

/// A code object ready to run (Python's `code` type).
pub struct Code {
    /// What the compiler produced.
    pub co: Arc<CodeObject>,
    /// The frame layout and line table for the data stack.
    pub info: Arc<CodeInfo>,
    /// `co.constants` as objects (nested code constants are [`Code`] objects).
    pub consts: Vec<ObjRef>,
    /// `co.names` interned.
    pub names: Vec<&'static Object>,
}

/// A Python function.
pub struct Function {
    /// The code.
    pub code: ObjRef,
    /// The module globals (a dict).
    pub globals: ObjRef,
    /// The builtins dict in effect for the globals.
    pub builtins: ObjRef,
    /// `__name__`, `__qualname__`, `__doc__`, `__module__`, `__defaults__`, `__kwdefaults__`
    /// and the function's `__dict__`, behind one lock (they are rarely written).
    pub meta: std::sync::Mutex<FunctionMeta>,
    /// `__closure__`: the cells of the free variables (a tuple), if any.
    pub closure: Option<ObjRef>,
}

/// The mutable attributes of a [`Function`].
pub struct FunctionMeta {
    /// `__name__`.
    pub name: ObjRef,
    /// `__qualname__`.
    pub qualname: ObjRef,
    /// `__defaults__` (a tuple) or none.
    pub defaults: Option<ObjRef>,
    /// `__kwdefaults__` (a dict) or none.
    pub kwdefaults: Option<ObjRef>,
    /// `__doc__`.
    pub doc: ObjRef,
    /// `__dict__` (made on first attribute store).
    pub dict: Option<ObjRef>,
}

/// A cell (closure variable).
pub struct Cell {
    /// The contents; `None` when empty.
    pub value: std::sync::Mutex<Option<ObjRef>>,
}

/// A bound method: a function and the object it is bound to.
pub struct Method {
    /// `__func__`.
    pub func: ObjRef,
    /// `__self__`.
    pub self_: ObjRef,
}
