//! Python functions, runtime code objects, cells and bound methods.
//!
//! A [`Code`] wraps the compiler's `CodeObject` with what running it needs: the constants as
//! objects, the names interned, and the frame layout ([`weft_frame::CodeInfo`]). A
//! [`Function`] is code plus globals, defaults, keyword defaults and closure.
//!
//! Constants are immortal (as in CPython, they are shared by every thread running the code and
//! never counted). Functions, methods, cells and code objects are hashable by identity.

use std::sync::{Arc, Once};

use weft_compiler::{CodeObject, Constant};
use weft_containers::dict::{self, Dict};
use weft_containers::tuple::as_tuple;
use weft_frame::{CodeInfo, LineTable};
use weft_object::atomic_ref::{AtomicRef, BiasedRef};
use weft_object::types::{BYTES_TYPE, OBJECT_TYPE, PyBytes, PyStr};
use weft_object::{
    CompareOp, ExcKind, ObjRef, Object, Payload, PyErr, Slots, TypeObject, bool_obj, int_from_i64,
    int_obj, intern, none,
};

use crate::class::identity_hash;
use crate::core::{Result, as_str, lookup, str_obj, tuple};

// ---------------------------------------------------------------------------------------------
// Code objects
// ---------------------------------------------------------------------------------------------

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
    /// Indices of constants that cannot be made yet (complex numbers): `LOAD_CONST` of one
    /// raises `NotImplementedError`. Usually empty.
    pub unsupported_consts: Vec<u32>,
    /// `co_varnames` interned (keyword-argument matching compares by identity first).
    pub varnames: Vec<&'static Object>,
    /// One specialization cache per instruction, made when the code first runs (see
    /// [`crate::specialize`]).
    sites: std::sync::OnceLock<Box<[weft_object::site_cache::Site]>>,
}

/// `code`
pub static CODE_TYPE: TypeObject = TypeObject::new_static::<Code>(
    "code",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(code_repr),
        hash: Some(identity_hash),
        getattr: Some(code_getattr),
        ..Slots::EMPTY
    },
);

impl Payload for Code {
    fn type_object() -> &'static TypeObject {
        &CODE_TYPE
    }
}

/// Whether `s` looks like an identifier (interned as CPython does for such constants).
fn identifier_like(s: &str) -> bool {
    s.len() <= 40 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Builds the object of a constant; `Err(())` for a complex number (not supported yet).
fn const_object(c: &Constant) -> std::result::Result<ObjRef, ()> {
    let o = match c {
        Constant::None => none().to_ref(),
        Constant::Bool(b) => bool_obj(*b),
        Constant::Int(i) => int_obj(i.clone()),
        Constant::Float(f) => ObjRef::new(*f),
        Constant::Complex { .. } => return Err(()),
        Constant::Str(s) => {
            if identifier_like(s) {
                intern(s).to_ref()
            } else {
                str_obj(s)
            }
        }
        Constant::Bytes(b) => ObjRef::with_type(PyBytes::new(b.clone()), &BYTES_TYPE),
        Constant::Tuple(items) => {
            let mut v = Vec::with_capacity(items.len());
            for it in items {
                v.push(const_object(it)?);
            }
            tuple(v)
        }
        Constant::Code(co) => Code::new(co.clone()),
        Constant::Ellipsis => crate::builtins::ellipsis().to_ref(),
    };
    o.refcount().make_immortal();
    Ok(o)
}

impl Code {
    /// The runtime code object for the compiler's `co` (constants made, names interned, frame
    /// layout computed).
    #[allow(clippy::new_ret_no_self)]
    pub fn new(co: Arc<CodeObject>) -> ObjRef {
        install_types();
        let mut consts = Vec::with_capacity(co.constants.len());
        let mut unsupported = Vec::new();
        for (i, c) in co.constants.iter().enumerate() {
            match const_object(c) {
                Ok(o) => consts.push(o),
                Err(()) => {
                    unsupported.push(i as u32);
                    consts.push(none().to_ref());
                }
            }
        }
        let names = co.names.iter().map(|n| intern(n)).collect();
        let varnames = co.varnames.iter().map(|n| intern(n)).collect();
        let mut lines: Vec<(u32, u32)> = Vec::with_capacity(co.line_table.entries.len());
        for (start, loc) in &co.line_table.entries {
            if loc.line != 0 {
                lines.push((*start, loc.line));
            }
        }
        let info = CodeInfo::new(&co.name, &co.filename, co.first_line)
            .with_qualname(&co.qualname)
            .with_locals(&co.varnames)
            .with_cells(&co.cellvars)
            .with_free(&co.freevars)
            .with_stack_size(co.stack_size)
            .with_lines(LineTable::new(lines));
        ObjRef::new(Code {
            co,
            info: Arc::new(info),
            consts,
            names,
            unsupported_consts: unsupported,
            varnames,
            sites: std::sync::OnceLock::new(),
        })
    }

    /// The instructions' specialization caches (one per instruction, indexed like
    /// `co.instructions`), made on first use.
    #[inline]
    pub fn sites(&self) -> &[weft_object::site_cache::Site] {
        self.sites.get_or_init(|| {
            (0..self.co.instructions.len())
                .map(|_| weft_object::site_cache::Site::new())
                .collect()
        })
    }

    /// The code object behind `o`, if it is one.
    pub fn of(o: &Object) -> Option<&Code> {
        o.downcast::<Code>()
    }

    /// The source line of instruction `ip`.
    pub fn line_for(&self, ip: u32) -> u32 {
        self.info.line_for(ip)
    }
}

fn code_repr(o: &Object) -> Result<String> {
    let c = Code::of(o).expect("code");
    Ok(format!(
        "<code object {} at {:#x}, file \"{}\", line {}>",
        c.co.name,
        o.id(),
        c.co.filename,
        c.co.first_line
    ))
}

fn str_tuple(names: &[String]) -> ObjRef {
    tuple(names.iter().map(|n| intern(n).to_ref()).collect())
}

fn code_getattr(o: &Object, name: &Object) -> Result<ObjRef> {
    let c = Code::of(o).expect("code");
    let n = as_str(name).unwrap_or("");
    let co = &c.co;
    Ok(match n {
        "co_name" => str_obj(&co.name),
        "co_qualname" => str_obj(&co.qualname),
        "co_filename" => str_obj(&co.filename),
        "co_firstlineno" => int_from_i64(co.first_line as i64),
        "co_argcount" => int_from_i64(co.argcount as i64),
        "co_posonlyargcount" => int_from_i64(co.posonlyargcount as i64),
        "co_kwonlyargcount" => int_from_i64(co.kwonlyargcount as i64),
        "co_nlocals" => int_from_i64(co.varnames.len() as i64),
        "co_stacksize" => int_from_i64(co.stack_size as i64),
        "co_flags" => int_from_i64(co.flags.0 as i64),
        "co_varnames" => str_tuple(&co.varnames),
        "co_cellvars" => str_tuple(&co.cellvars),
        "co_freevars" => str_tuple(&co.freevars),
        "co_names" => str_tuple(&co.names),
        "co_consts" => tuple(c.consts.clone()),
        _ => return generic_attr(o, name, n),
    })
}

/// Attributes every object of these types has: `__class__`, and the type dict's entries
/// (native methods bind to `o`).
pub(crate) fn generic_attr(o: &Object, name: &Object, n: &str) -> Result<ObjRef> {
    if n == "__class__" {
        return Ok(o.ty().as_object().to_ref());
    }
    if let Some(v) = lookup(o.ty(), name)? {
        if let Some(b) = v.downcast::<crate::core::Builtin>()
            && b.kind == crate::core::BuiltinKind::Method
        {
            return Ok(crate::core::bind_builtin(b, o.to_ref()));
        }
        return Ok(v);
    }
    Err(PyErr::new(
        ExcKind::AttributeError,
        format!("'{}' object has no attribute '{}'", o.ty().name, n),
    ))
}

// ---------------------------------------------------------------------------------------------
// Functions
// ---------------------------------------------------------------------------------------------

/// A Python function.
pub struct Function {
    /// The code.
    pub code: ObjRef,
    /// The module globals (a dict).
    pub globals: ObjRef,
    /// The builtins dict in effect for the globals.
    pub builtins: ObjRef,
    /// `__name__`, `__qualname__`, `__doc__`, `__module__`, `__defaults__`, `__kwdefaults__`
    /// and the function's `__dict__`: each an atomic slot (lock-free reads, swapped writes).
    pub meta: FunctionMeta,
    /// `__closure__`: the cells of the free variables (a tuple), if any.
    pub closure: Option<ObjRef>,
}

/// The mutable attributes of a [`Function`], each read lock-free and replaced by one swap
/// (the old value released through QSBR in nogil): see `weft_object::atomic_ref`. The slots
/// of `name`, `qualname`, `doc` and `module` are never empty.
pub struct FunctionMeta {
    /// `__name__`.
    pub name: AtomicRef,
    /// `__qualname__`.
    pub qualname: AtomicRef,
    /// `__defaults__` (a tuple) or none.
    pub defaults: AtomicRef,
    /// `__kwdefaults__` (a dict) or none.
    pub kwdefaults: AtomicRef,
    /// `__doc__`.
    pub doc: AtomicRef,
    /// `__dict__` (made on first attribute store).
    pub dict: AtomicRef,
    /// `__module__`.
    pub module: AtomicRef,
}

impl FunctionMeta {
    /// The value of a slot that is never empty.
    fn always(slot: &AtomicRef) -> ObjRef {
        slot.get().unwrap_or_else(|| none().to_ref())
    }

    /// `__name__`.
    pub fn name(&self) -> ObjRef {
        Self::always(&self.name)
    }

    /// `__qualname__`.
    pub fn qualname(&self) -> ObjRef {
        Self::always(&self.qualname)
    }

    /// `__doc__`.
    pub fn doc(&self) -> ObjRef {
        Self::always(&self.doc)
    }

    /// `__module__`.
    pub fn module(&self) -> ObjRef {
        Self::always(&self.module)
    }
}

/// `function`
pub static FUNCTION_TYPE: TypeObject = TypeObject::new_static::<Function>(
    "function",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(function_repr),
        hash: Some(identity_hash),
        getattr: Some(function_getattr),
        setattr: Some(function_setattr),
        call: Some(crate::call::call_function_slot),
        ..Slots::EMPTY
    },
);

impl Payload for Function {
    fn type_object() -> &'static TypeObject {
        &FUNCTION_TYPE
    }
}

impl Function {
    /// The function behind `o`, if it is one.
    #[inline]
    pub fn of(o: &Object) -> Option<&Function> {
        // `function` has no subtypes: a type pointer comparison is the cheapest check.
        if std::ptr::eq(o.ty(), &FUNCTION_TYPE) {
            // SAFETY: objects of type `function` are `PyObj<Function>`s (`FUNCTION_TYPE` is
            // declared with the `Function` layout and `ObjRef::with_type` checks it), and
            // `PyObj` is `repr(C)` with the header first, so the object pointer is a pointer
            // to the `PyObj<Function>`.
            Some(unsafe { &(*(o as *const Object as *const weft_object::PyObj<Function>)).value })
        } else {
            None
        }
    }

    /// The code object.
    pub fn code(&self) -> &Code {
        Code::of(&self.code).expect("a function's code is a code object")
    }

    /// The mutable attributes (atomic slots).
    #[inline]
    pub fn meta(&self) -> &FunctionMeta {
        &self.meta
    }

    /// `__qualname__` as text (for error messages).
    pub fn qualname(&self) -> String {
        as_str(&self.meta.qualname()).unwrap_or("?").to_owned()
    }
}

/// A new function (`MAKE_FUNCTION`): `code` a [`Code`] object, `globals` a dict, `builtins`
/// the builtins dict, the optional defaults tuple, keyword-defaults dict and closure tuple.
/// `__name__`/`__qualname__` come from the code, `__doc__` from its first constant,
/// `__module__` from `globals['__name__']`.
pub fn new_function(
    code: ObjRef,
    globals: ObjRef,
    builtins: ObjRef,
    defaults: Option<ObjRef>,
    kwdefaults: Option<ObjRef>,
    closure: Option<ObjRef>,
) -> ObjRef {
    let c = Code::of(&code).expect("new_function of a code object");
    let name = intern(&c.co.name).to_ref();
    let qualname = str_obj(&c.co.qualname);
    let is_func = c.co.flags.has(weft_compiler::CodeFlags::OPTIMIZED);
    let doc = match (is_func, c.co.constants.first()) {
        (true, Some(Constant::Str(_))) => c.consts[0].clone(),
        _ => none().to_ref(),
    };
    let module = Dict::of(&globals)
        .and_then(|d| d.get(intern("__name__")).ok().flatten())
        .unwrap_or_else(|| none().to_ref());
    let defaults = defaults.filter(|d| !d.is(none()));
    let kwdefaults = kwdefaults.filter(|d| !d.is(none()));
    ObjRef::new(Function {
        code,
        globals,
        builtins,
        meta: FunctionMeta {
            name: AtomicRef::new(Some(name)),
            qualname: AtomicRef::new(Some(qualname)),
            defaults: AtomicRef::new(defaults),
            kwdefaults: AtomicRef::new(kwdefaults),
            doc: AtomicRef::new(Some(doc)),
            dict: AtomicRef::new(None),
            module: AtomicRef::new(Some(module)),
        },
        closure,
    })
}

/// Whether `o` is a Python function (what attribute access binds to instances).
pub fn is_function(o: &Object) -> bool {
    Function::of(o).is_some()
}

fn function_repr(o: &Object) -> Result<String> {
    let f = Function::of(o).expect("function");
    Ok(format!("<function {} at {:#x}>", f.qualname(), o.id()))
}

fn function_getattr(o: &Object, name: &Object) -> Result<ObjRef> {
    let f = Function::of(o).expect("function");
    let n = as_str(name).unwrap_or("");
    if n.starts_with("__") {
        let m = f.meta();
        let v = match n {
            "__name__" => Some(m.name()),
            "__qualname__" => Some(m.qualname()),
            "__doc__" => Some(m.doc()),
            "__module__" => Some(m.module()),
            "__defaults__" => Some(m.defaults.get().unwrap_or_else(|| none().to_ref())),
            "__kwdefaults__" => Some(m.kwdefaults.get().unwrap_or_else(|| none().to_ref())),
            "__code__" => Some(f.code.clone()),
            "__globals__" => Some(f.globals.clone()),
            "__builtins__" => Some(f.builtins.clone()),
            "__closure__" => Some(f.closure.clone().unwrap_or_else(|| none().to_ref())),
            _ => None,
        };
        if let Some(v) = v {
            return Ok(v);
        }
        if n == "__dict__" {
            return Ok(function_dict(f));
        }
        if n == "__annotations__" {
            let d = function_dict(f);
            let dd = Dict::of(&d).expect("dict");
            if let Some(a) = dd.get(name)? {
                return Ok(a);
            }
            let a = dict::new();
            dd.set_item(name.to_ref(), a.clone())?;
            return Ok(a);
        }
    }
    let d = f.meta().dict.get();
    if let Some(d) = d
        && let Some(v) = Dict::of(&d).expect("dict").get(name)?
    {
        return Ok(v);
    }
    generic_attr(o, name, n)
}

/// The function's `__dict__`, made on first use.
fn function_dict(f: &Function) -> ObjRef {
    f.meta().dict.get_or_init(dict::new)
}

fn function_setattr(o: &Object, name: &Object, value: Option<&Object>) -> Result<()> {
    let f = Function::of(o).expect("function");
    let n = as_str(name).unwrap_or("");
    let readonly = matches!(
        n,
        "__globals__" | "__closure__" | "__builtins__" | "__class__"
    );
    if readonly {
        return Err(PyErr::new(ExcKind::AttributeError, "readonly attribute"));
    }
    let special = matches!(
        n,
        "__name__"
            | "__qualname__"
            | "__doc__"
            | "__module__"
            | "__defaults__"
            | "__kwdefaults__"
            | "__code__"
            | "__dict__"
    );
    if special {
        let Some(v) = value else {
            return match n {
                "__defaults__" => {
                    f.meta().defaults.set(None);
                    Ok(())
                }
                "__kwdefaults__" => {
                    f.meta().kwdefaults.set(None);
                    Ok(())
                }
                "__doc__" => {
                    f.meta().doc.set(Some(none().to_ref()));
                    Ok(())
                }
                "__name__" | "__qualname__" => Err(PyErr::type_error(format!(
                    "{n} must be set to a string object"
                ))),
                _ => Err(PyErr::type_error(format!("cannot delete {n}"))),
            };
        };
        let m = f.meta();
        match n {
            "__name__" | "__qualname__" => {
                if v.downcast::<PyStr>().is_none() {
                    return Err(PyErr::type_error(format!(
                        "{n} must be set to a string object"
                    )));
                }
                if n == "__name__" {
                    m.name.set(Some(v.to_ref()));
                } else {
                    m.qualname.set(Some(v.to_ref()));
                }
            }
            "__doc__" => m.doc.set(Some(v.to_ref())),
            "__module__" => m.module.set(Some(v.to_ref())),
            "__defaults__" => {
                if v.is(none()) {
                    m.defaults.set(None);
                } else if as_tuple(v).is_some() {
                    m.defaults.set(Some(v.to_ref()));
                } else {
                    return Err(PyErr::type_error(
                        "__defaults__ must be set to a tuple object",
                    ));
                }
            }
            "__kwdefaults__" => {
                if v.is(none()) {
                    m.kwdefaults.set(None);
                } else if Dict::of(v).is_some() {
                    m.kwdefaults.set(Some(v.to_ref()));
                } else {
                    return Err(PyErr::type_error(
                        "__kwdefaults__ must be set to a dict object",
                    ));
                }
            }
            "__dict__" => {
                if Dict::of(v).is_none() {
                    return Err(PyErr::type_error(
                        "__dict__ must be set to a dictionary, not a '".to_owned()
                            + v.ty().name
                            + "'",
                    ));
                }
                m.dict.set(Some(v.to_ref()));
            }
            _ => {
                return Err(PyErr::new(
                    ExcKind::AttributeError,
                    "__code__ cannot be replaced",
                ));
            }
        }
        return Ok(());
    }
    let d = function_dict(f);
    let d = Dict::of(&d).expect("dict");
    match value {
        Some(v) => d.set_item(name.to_ref(), v.to_ref()),
        None => d.del_item(name).map_err(|_| {
            PyErr::new(
                ExcKind::AttributeError,
                format!("'function' object has no attribute '{n}'"),
            )
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------------------------

/// A cell (closure variable). Its contents are a [`BiasedRef`]: `LOAD_DEREF` is a load and
/// an increment with no lock, `STORE_DEREF` one swap; the replaced value is dropped at once
/// while only the thread that made the cell has touched it, else released through QSBR
/// (nogil). See `weft_object::atomic_ref`.
pub struct Cell {
    value: BiasedRef,
}

/// `cell`
pub static CELL_TYPE: TypeObject = TypeObject::new_static::<Cell>(
    "cell",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(cell_repr),
        hash: Some(identity_hash),
        getattr: Some(cell_getattr),
        setattr: Some(cell_setattr),
        ..Slots::EMPTY
    },
);

impl Payload for Cell {
    fn type_object() -> &'static TypeObject {
        &CELL_TYPE
    }
}

impl Cell {
    /// The contents (a new reference), `None` when empty. Lock-free.
    #[inline]
    pub fn get(&self) -> Option<ObjRef> {
        self.value.get()
    }

    /// Replaces the contents (`None` empties the cell); the old value is released with no
    /// lock held (a drop may run `__del__`).
    #[inline]
    pub fn set(&self, v: Option<ObjRef>) {
        self.value.set(v);
    }

    /// Empties the cell and returns what it held.
    #[inline]
    pub fn take(&self) -> Option<ObjRef> {
        self.value.take()
    }
}

/// A new cell holding `v` (empty for `None`).
pub fn new_cell(v: Option<ObjRef>) -> ObjRef {
    ObjRef::new(Cell {
        value: BiasedRef::new(v),
    })
}

fn cell_repr(o: &Object) -> Result<String> {
    let c = o.downcast::<Cell>().expect("cell");
    Ok(match c.get() {
        None => format!("<cell at {:#x}: empty>", o.id()),
        Some(v) => format!(
            "<cell at {:#x}: {} object at {:#x}>",
            o.id(),
            v.ty().name,
            v.id()
        ),
    })
}

fn cell_getattr(o: &Object, name: &Object) -> Result<ObjRef> {
    let c = o.downcast::<Cell>().expect("cell");
    let n = as_str(name).unwrap_or("");
    if n == "cell_contents" {
        return c.get().ok_or_else(|| PyErr::value_error("Cell is empty"));
    }
    generic_attr(o, name, n)
}

fn cell_setattr(o: &Object, name: &Object, value: Option<&Object>) -> Result<()> {
    let c = o.downcast::<Cell>().expect("cell");
    let n = as_str(name).unwrap_or("");
    if n == "cell_contents" {
        c.set(value.map(Object::to_ref));
        return Ok(());
    }
    Err(PyErr::new(
        ExcKind::AttributeError,
        format!("'cell' object has no attribute '{n}'"),
    ))
}

// ---------------------------------------------------------------------------------------------
// Bound methods
// ---------------------------------------------------------------------------------------------

/// A bound method: a function and the object it is bound to.
pub struct Method {
    /// `__func__`.
    pub func: ObjRef,
    /// `__self__`.
    pub self_: ObjRef,
}

/// `method`
pub static METHOD_TYPE: TypeObject = TypeObject::new_static::<Method>(
    "method",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(method_repr),
        hash: Some(method_hash),
        richcompare: Some(method_richcompare),
        getattr: Some(method_getattr),
        call: Some(method_call),
        ..Slots::EMPTY
    },
);

impl Payload for Method {
    fn type_object() -> &'static TypeObject {
        &METHOD_TYPE
    }
}

/// `func` bound to `obj` (attribute access of a function found on a class).
pub fn new_method(func: ObjRef, obj: ObjRef) -> ObjRef {
    ObjRef::new(Method { func, self_: obj })
}

fn method_repr(o: &Object) -> Result<String> {
    let m = o.downcast::<Method>().expect("method");
    let name = match Function::of(&m.func) {
        Some(f) => f.qualname(),
        None => match crate::attr::getattr_opt(&m.func, intern("__qualname__"))? {
            Some(q) => as_str(&q).unwrap_or("?").to_owned(),
            None => "?".to_owned(),
        },
    };
    Ok(format!("<bound method {} of {}>", name, m.self_.repr()?))
}

fn method_hash(o: &Object) -> Result<i64> {
    let m = o.downcast::<Method>().expect("method");
    let h = (m.self_.id() as u64).rotate_right(4) ^ (m.func.id() as u64).rotate_right(4);
    let h = h as i64;
    Ok(if h == -1 { -2 } else { h })
}

fn method_richcompare(a: &Object, b: &Object, op: CompareOp) -> Result<ObjRef> {
    let (Some(x), Some(y)) = (a.downcast::<Method>(), b.downcast::<Method>()) else {
        return Ok(weft_object::not_implemented().to_ref());
    };
    let same = x.func.is(&y.func) && x.self_.is(&y.self_);
    match op {
        CompareOp::Eq => Ok(bool_obj(same)),
        CompareOp::Ne => Ok(bool_obj(!same)),
        _ => Ok(weft_object::not_implemented().to_ref()),
    }
}

fn method_getattr(o: &Object, name: &Object) -> Result<ObjRef> {
    let m = o.downcast::<Method>().expect("method");
    match as_str(name).unwrap_or("") {
        "__func__" => Ok(m.func.clone()),
        "__self__" => Ok(m.self_.clone()),
        "__class__" => Ok(o.ty().as_object().to_ref()),
        _ => crate::attr::getattr(&m.func, name),
    }
}

fn method_call(o: &Object, args: &[ObjRef], kwnames: &[ObjRef]) -> Result<ObjRef> {
    let m = o.downcast::<Method>().expect("method");
    crate::call::call_with_self(&m.func, m.self_.clone(), args, kwnames)
}

// ---------------------------------------------------------------------------------------------
// Start-up
// ---------------------------------------------------------------------------------------------

/// Installs the methods of the types this module and [`crate::generator`] define (once; called
/// when the first code object is made).
pub fn install_types() {
    static ONCE: Once = Once::new();
    ONCE.call_once(crate::generator::install_methods);
}
