//! The shared vocabulary of the eval layer: native callables and their arguments, the
//! per-type data the eval layer attaches to every type (`__dict__`, MRO), instances of Python
//! classes, modules, and small helpers for raising errors.
//!
//! Every other module of the crate builds on these definitions; they hold no policy (attribute
//! lookup rules live in [`crate::attr`], calls in [`crate::call`]).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use weft_containers::dict::{self, Dict};
use weft_containers::new_tuple;
use weft_object::inline_values::{InlineValues, SharedKeys};
use weft_object::{
    ExcKind, ObjRef, Object, Payload, PyErr, PyResult, Slots, TypeObject, intern,
    types::{OBJECT_TYPE, PyStr},
};

/// Result type of the eval layer (the lower layers' error type, which can carry a Python
/// exception object: see [`PyErr`]).
pub type Result<T> = PyResult<T>;

// ---------------------------------------------------------------------------------------------
// Native callables
// ---------------------------------------------------------------------------------------------

/// The arguments of a call, vectorcall-style: `all` holds the positional arguments followed by
/// the keyword values; `kwnames` holds the keyword names (`str` objects), one per trailing
/// value. For a method, `all[0]` is `self`.
#[derive(Clone, Copy)]
pub struct Args<'a> {
    /// Positional arguments, then keyword values.
    pub all: &'a [ObjRef],
    /// Names of the trailing keyword values.
    pub kwnames: &'a [ObjRef],
}

impl<'a> Args<'a> {
    /// Positional arguments only.
    pub fn positional(args: &'a [ObjRef]) -> Args<'a> {
        Args {
            all: args,
            kwnames: &[],
        }
    }

    /// The positional arguments.
    #[inline]
    pub fn pos(&self) -> &'a [ObjRef] {
        &self.all[..self.all.len() - self.kwnames.len()]
    }

    /// The keyword arguments as (name, value) pairs.
    pub fn kw(&self) -> impl Iterator<Item = (&'a str, &'a ObjRef)> + 'a {
        let vals = &self.all[self.all.len() - self.kwnames.len()..];
        self.kwnames.iter().map(|n| str_of(n)).zip(vals.iter())
    }

    /// The keyword argument `name`, if given.
    pub fn get_kw(&self, name: &str) -> Option<&'a ObjRef> {
        self.kw().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Positional argument `i`, or keyword `name`: the common "positional or keyword" parameter.
    pub fn arg(&self, i: usize, name: &str) -> Option<&'a ObjRef> {
        self.pos().get(i).or_else(|| self.get_kw(name))
    }

    /// Checks that there are between `min` and `max` positional arguments and no keywords,
    /// with CPython's messages (`f() takes exactly one argument (2 given)` style).
    pub fn check(&self, fname: &str, min: usize, max: usize) -> Result<()> {
        self.no_kwargs(fname)?;
        self.check_pos(fname, min, max)
    }

    /// Checks the positional argument count only.
    pub fn check_pos(&self, fname: &str, min: usize, max: usize) -> Result<()> {
        let n = self.pos().len();
        if n < min || n > max {
            let msg = if min == max {
                match min {
                    0 => format!("{fname}() takes no arguments ({n} given)"),
                    1 => format!("{fname}() takes exactly one argument ({n} given)"),
                    _ => format!("{fname} expected {min} arguments, got {n}"),
                }
            } else if n < min {
                format!(
                    "{fname} expected at least {min} argument{}, got {n}",
                    plural(min)
                )
            } else {
                format!(
                    "{fname} expected at most {max} argument{}, got {n}",
                    plural(max)
                )
            };
            return Err(PyErr::type_error(msg));
        }
        Ok(())
    }

    /// Refuses keyword arguments.
    pub fn no_kwargs(&self, fname: &str) -> Result<()> {
        if self.kwnames.is_empty() {
            Ok(())
        } else {
            Err(PyErr::type_error(format!(
                "{fname}() takes no keyword arguments"
            )))
        }
    }

    /// Refuses keyword arguments other than `allowed`.
    pub fn only_kwargs(&self, fname: &str, allowed: &[&str]) -> Result<()> {
        for (n, _) in self.kw() {
            if !allowed.contains(&n) {
                return Err(PyErr::type_error(format!(
                    "{fname}() got an unexpected keyword argument '{n}'"
                )));
            }
        }
        Ok(())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A function implemented in Rust. For methods, `args.all[0]` is `self`.
pub type NativeFn = fn(&Args<'_>) -> Result<ObjRef>;

/// What kind of native callable a [`Builtin`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltinKind {
    /// A plain function (`len`, `math.sqrt`).
    Function,
    /// A method of a builtin type, stored unbound in the type's dict (`str.upper`); attribute
    /// access on an instance binds it.
    Method,
    /// A class method of a builtin type (`dict.fromkeys`): binds to the type.
    ClassMethod,
}

/// A native callable: `builtin_function_or_method` (and `method_descriptor` when unbound).
pub struct Builtin {
    /// `__name__`.
    pub name: &'static str,
    /// The implementation.
    pub func: NativeFn,
    /// Function, method or class method.
    pub kind: BuiltinKind,
    /// The bound `self` (prepended to the arguments), if any.
    pub bound: Option<ObjRef>,
    /// `__qualname__`'s owner (`str` for `str.upper`), for reprs and messages.
    pub owner: Option<&'static str>,
}

/// `builtin_function_or_method`
pub static BUILTIN_TYPE: TypeObject = TypeObject::new_static::<Builtin>(
    "builtin_function_or_method",
    Some(&OBJECT_TYPE),
    Slots {
        call: Some(call_builtin),
        repr: Some(builtin_repr),
        hash: Some(|o| Ok(o.id() as i64 >> 4)),
        ..Slots::EMPTY
    },
);

/// `method_descriptor` (an unbound method of a builtin type)
pub static METHOD_DESCRIPTOR_TYPE: TypeObject = TypeObject::new_static::<Builtin>(
    "method_descriptor",
    Some(&OBJECT_TYPE),
    Slots {
        call: Some(call_builtin),
        repr: Some(builtin_repr),
        hash: Some(|o| Ok(o.id() as i64 >> 4)),
        ..Slots::EMPTY
    },
);

impl Payload for Builtin {
    fn type_object() -> &'static TypeObject {
        &BUILTIN_TYPE
    }
}

fn builtin_repr(o: &Object) -> Result<String> {
    let b = o.downcast::<Builtin>().expect("builtin");
    Ok(match (&b.bound, b.owner) {
        (Some(s), _) if b.kind != BuiltinKind::Function => format!(
            "<built-in method {} of {} object at {:#x}>",
            b.name,
            s.ty().name,
            s.id()
        ),
        (None, Some(owner)) if b.kind == BuiltinKind::Method => {
            format!("<method '{}' of '{}' objects>", b.name, owner)
        }
        _ => format!("<built-in function {}>", b.name),
    })
}

fn call_builtin(f: &Object, args: &[ObjRef], kwnames: &[ObjRef]) -> Result<ObjRef> {
    let b = f.downcast::<Builtin>().expect("builtin");
    match &b.bound {
        None => {
            if b.kind == BuiltinKind::Method && args.len() == kwnames.len() {
                return Err(PyErr::type_error(format!(
                    "unbound method {}.{}() needs an argument",
                    b.owner.unwrap_or("?"),
                    b.name
                )));
            }
            (b.func)(&Args { all: args, kwnames })
        }
        Some(s) => {
            let mut all = Vec::with_capacity(args.len() + 1);
            all.push(s.clone());
            all.extend_from_slice(args);
            (b.func)(&Args { all: &all, kwnames })
        }
    }
}

/// A new native function object (`len`, `math.sqrt`).
pub fn new_builtin(name: &'static str, func: NativeFn) -> ObjRef {
    ObjRef::new(Builtin {
        name,
        func,
        kind: BuiltinKind::Function,
        bound: None,
        owner: None,
    })
}

/// `b` bound to `obj` (attribute access of a builtin method on an instance).
pub fn bind_builtin(b: &Builtin, obj: ObjRef) -> ObjRef {
    ObjRef::new(Builtin {
        name: b.name,
        func: b.func,
        kind: b.kind,
        bound: Some(obj),
        owner: b.owner,
    })
}

// ---------------------------------------------------------------------------------------------
// Per-type data: __dict__, MRO
// ---------------------------------------------------------------------------------------------

/// What the eval layer attaches to every type ([`TypeObject::ext`]): the data whose types
/// live above the object layer. The MRO, the heap flag, the subclasses and the version tag
/// are the [`TypeObject`]'s own.
pub struct TypeExt {
    /// The type's `__dict__` (a dict object: names to attributes). Methods of builtin types
    /// are [`Builtin`]s with kind [`BuiltinKind::Method`]. Changed only through
    /// [`set_type_attr`] / [`del_type_attr`], which keep the version tags true.
    pub dict: ObjRef,
    /// `__bases__` (for static types, the one `base` or nothing).
    pub bases: Vec<&'static TypeObject>,
    /// `__slots__` names, when the class (or a base) declared `__slots__` without `__dict__`:
    /// instances then have no `__dict__`, only these. Index = slot index in
    /// [`Instance::slots`].
    pub slot_names: Option<Vec<String>>,
    /// `__module__` and `__qualname__` as set by the class statement.
    pub module: Option<String>,
    /// `__qualname__`.
    pub qualname: Option<String>,
    /// The metaclass (`type` unless a class statement named another): its attributes are
    /// found after the type's own.
    pub metaclass: Option<&'static TypeObject>,
    /// The constructor of a builtin type (`int(...)`, `list(...)`): called with the type object
    /// as `args.all[0]`, then the call's arguments. Heap types leave it unset and construct
    /// through `__new__`/`__init__` (see [`crate::class`]).
    pub ctor: OnceLock<NativeFn>,
    /// Which attribute hooks (`__getattribute__`, `__setattr__`, `__delattr__`) the type
    /// overrides, cached for one version tag: see [`attr_hooks`].
    pub hooks: AtomicU64,
    /// The attribute names the type's instances store inline (see [`Instance::attrs`]).
    pub keys: SharedKeys,
    /// How `cls(...)` constructs instances, cached for one version tag (see
    /// [`crate::class::call_type`]): data bit 0 = `__new__` is `object`'s, bit 1 = `__init__`
    /// is `object`'s; the object is the `__init__` found.
    pub ctor_plan: weft_object::site_cache::Site,
    /// How many `__slots__` values an instance stores (along the MRO), computed once.
    pub n_slots: OnceLock<usize>,
}

impl TypeExt {
    /// The data of a type with no class statement behind it (static types).
    pub fn new(dict: ObjRef, bases: Vec<&'static TypeObject>) -> TypeExt {
        TypeExt {
            dict,
            bases,
            slot_names: None,
            module: None,
            qualname: None,
            metaclass: None,
            ctor: OnceLock::new(),
            hooks: AtomicU64::new(0),
            keys: SharedKeys::new(),
            ctor_plan: weft_object::site_cache::Site::new(),
            n_slots: OnceLock::new(),
        }
    }
}

/// The attribute hooks whose overriding [`attr_hooks`] caches, by bit.
pub const HOOK_NAMES: [&str; 3] = ["__getattribute__", "__setattr__", "__delattr__"];

/// The bit set of [`HOOK_NAMES`] that some class on `ty`'s MRO other than `object` defines,
/// computed with `compute` and cached for the type's current version tag (any change to the
/// type or a base resets the tag). The common case, a class that overrides none, then costs
/// two loads per attribute access instead of a dict lookup per MRO entry.
pub fn attr_hooks(ty: &TypeObject, compute: impl FnOnce() -> Result<u64>) -> Result<u64> {
    let ext = type_ext(ty);
    // The tag is read before computing (see `TypeObject::version_tag`), so a change racing
    // with the computation leaves a tag that no later lookup matches.
    let version = u64::from(ty.version_tag());
    let cached = ext.hooks.load(Ordering::Acquire);
    if version != 0 && cached >> 8 == version {
        return Ok(cached & 0xff);
    }
    let bits = compute()? & 0xff;
    if version != 0 {
        ext.hooks.store((version << 8) | bits, Ordering::Release);
    }
    Ok(bits)
}

/// The eval layer's data of `ty`, created on first use for static types (an empty dict and
/// the `base` as the only base).
#[inline]
pub fn type_ext(ty: &TypeObject) -> &TypeExt {
    match ty.ext::<TypeExt>() {
        Some(e) => e,
        None => init_type_ext(ty),
    }
}

#[cold]
fn init_type_ext(ty: &TypeObject) -> &TypeExt {
    ty.ext
        .get_or_init(|| Box::new(TypeExt::new(dict::new(), ty.base.into_iter().collect())));
    ty.ext::<TypeExt>()
        .expect("type ext of another layer's type set on a type object")
}

/// Every type object lives forever (static, or a leaked heap type), so a borrow of one can be
/// widened to `'static`.
#[inline]
pub fn static_type(ty: &TypeObject) -> &'static TypeObject {
    // SAFETY: type objects are never freed: static ones are statics and heap ones are leaked by
    // `TypeObject::new_heap`. The object header's `ty` pointer relies on the same fact.
    unsafe { &*(ty as *const TypeObject) }
}

/// The type's `__dict__`.
#[inline]
pub fn type_dict(ty: &TypeObject) -> Dict<'_> {
    Dict::of(&type_ext(ty).dict).expect("type dict is a dict")
}

/// Finds `name` along `ty`'s MRO (the class attribute, unbound): CPython's `_PyType_Lookup`,
/// one probe of the type attribute cache when the name is interned and the answer cached.
#[inline]
pub fn lookup(ty: &TypeObject, name: &Object) -> Result<Option<ObjRef>> {
    weft_object::type_cache::lookup(ty, name, || lookup_uncached(ty, name))
}

/// The MRO walk behind [`lookup`].
pub fn lookup_uncached(ty: &TypeObject, name: &Object) -> Result<Option<ObjRef>> {
    for t in static_type(ty).mro() {
        if let Some(v) = type_dict(t).get(name)? {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// Interned names the runtime looks up on hot paths: each is interned once per process, so a
/// use costs one load instead of hashing a Rust string.
pub mod names {
    use std::sync::OnceLock;

    use weft_object::{Object, intern};

    macro_rules! names {
        ($($id:ident),* $(,)?) => {$(
            #[allow(non_snake_case)]
            #[doc = concat!("`", stringify!($id), "`, interned.")]
            #[inline]
            pub fn $id() -> &'static Object {
                static N: OnceLock<&'static Object> = OnceLock::new();
                N.get_or_init(|| intern(stringify!($id)))
            }
        )*};
    }

    names!(
        __init__,
        __new__,
        __getattr__,
        __set__,
        __delete__,
        __get__,
        __format__,
    );
}

/// [`lookup`] with a Rust string name.
pub fn lookup_str(ty: &TypeObject, name: &str) -> Result<Option<ObjRef>> {
    lookup(ty, intern(name))
}

/// Registers the constructor of a builtin type (see [`TypeExt::ctor`]).
pub fn set_ctor(ty: &'static TypeObject, f: NativeFn) {
    let _ = type_ext(ty).ctor.set(f);
}

/// Stores `value` under `name` in `ty`'s dict.
pub fn set_type_attr(ty: &TypeObject, name: &str, value: ObjRef) {
    set_type_attr_obj(ty, intern(name).to_ref(), value).expect("str keys never fail");
}

/// `ty.name = value` in the type's dict, then the version tags of `ty` and its subclasses are
/// reset (the order [`TypeObject::version_tag`] relies on).
pub fn set_type_attr_obj(ty: &TypeObject, name: ObjRef, value: ObjRef) -> Result<()> {
    let r = type_dict(ty).set_item(name, value);
    ty.modified();
    r
}

/// `del ty.name` in the type's dict, then the version tags are reset as in
/// [`set_type_attr_obj`].
pub fn del_type_attr(ty: &TypeObject, name: &Object) -> Result<()> {
    let r = type_dict(ty).del_item(name);
    ty.modified();
    r
}

/// Adds a native method to a builtin type (`str.upper`): stored unbound, bound on access.
pub fn add_method(ty: &'static TypeObject, name: &'static str, func: NativeFn) {
    let m = ObjRef::with_type(
        Builtin {
            name,
            func,
            kind: BuiltinKind::Method,
            bound: None,
            owner: Some(ty.name),
        },
        &METHOD_DESCRIPTOR_TYPE,
    );
    set_type_attr(ty, name, m);
}

/// Adds a native class method to a builtin type (`dict.fromkeys`, `int.from_bytes`): called
/// with the type as `args.all[0]`.
pub fn add_classmethod(ty: &'static TypeObject, name: &'static str, func: NativeFn) {
    let m = ObjRef::with_type(
        Builtin {
            name,
            func,
            kind: BuiltinKind::ClassMethod,
            bound: None,
            owner: Some(ty.name),
        },
        &METHOD_DESCRIPTOR_TYPE,
    );
    set_type_attr(ty, name, m);
}

// ---------------------------------------------------------------------------------------------
// Instances of Python classes, and exception state
// ---------------------------------------------------------------------------------------------

/// The payload of every instance of a class defined in Python, and of every exception (the
/// builtin exception types store this too, so `class E(ValueError)` is an ordinary class).
pub struct Instance {
    /// The instance's attributes (inline under the class's [`TypeExt::keys`], or a dict once
    /// one was asked for), unless the class uses `__slots__` only. See [`crate::attr`].
    pub attrs: Option<InlineValues>,
    /// `__slots__` values, by the index in [`TypeExt::slot_names`] (unset = absent): inline
    /// storage like the attributes', lock-free reads and writes in the instance's critical
    /// section.
    pub slots: InlineValues,
    /// Exception state, for instances of `BaseException` and its subclasses.
    pub exc: Option<ExcState>,
}

/// The state of an exception object (`args`, `__traceback__`, `__cause__`, `__context__`).
pub struct ExcState {
    /// Everything mutable, under the exception's critical section (exceptions are rarely
    /// contended): see `exceptions::with_state`.
    pub inner: weft_object::guarded::Guarded<ExcInner>,
}

/// See [`ExcState`].
pub struct ExcInner {
    /// `args` (a tuple).
    pub args: ObjRef,
    /// The traceback, innermost entry *last* (the order in which the unwinding adds them is
    /// outermost-last, so printing reverses nothing: see [`TbEntry`]).
    pub traceback: Vec<TbEntry>,
    /// `__cause__` (`raise ... from x`).
    pub cause: Option<ObjRef>,
    /// `__context__` (the exception being handled when this one was raised).
    pub context: Option<ObjRef>,
    /// `__suppress_context__` (set by `raise ... from`).
    pub suppress_context: bool,
}

/// One traceback entry: a frame the exception passed through and the line it was at.
#[derive(Clone, Debug)]
pub struct TbEntry {
    /// The file name, as in the code object.
    pub filename: std::sync::Arc<str>,
    /// The function name (`<module>` for module code).
    pub name: std::sync::Arc<str>,
    /// The line number.
    pub line: u32,
}

// ---------------------------------------------------------------------------------------------
// Modules
// ---------------------------------------------------------------------------------------------

/// A module object: a name and a namespace dict.
pub struct Module {
    /// `__name__` (also stored in the dict).
    pub name: String,
    /// The module's globals.
    pub dict: ObjRef,
}

/// `module`
pub static MODULE_TYPE: TypeObject = TypeObject::new_static::<Module>(
    "module",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(|o| {
            let m = o.downcast::<Module>().expect("module");
            Ok(format!("<module '{}'>", m.name))
        }),
        hash: Some(|o| Ok(o.id() as i64 >> 4)),
        getattr: Some(module_getattr),
        setattr: Some(module_setattr),
        ..Slots::EMPTY
    },
);

impl Payload for Module {
    fn type_object() -> &'static TypeObject {
        &MODULE_TYPE
    }
}

fn module_getattr(o: &Object, name: &Object) -> Result<ObjRef> {
    let m = o.downcast::<Module>().expect("module");
    if let Some(v) = Dict::of(&m.dict).expect("dict").get(name)? {
        return Ok(v);
    }
    let n = str_of(name);
    if n == "__dict__" {
        return Ok(m.dict.clone());
    }
    Err(PyErr::new(
        ExcKind::AttributeError,
        format!("module '{}' has no attribute '{}'", m.name, n),
    ))
}

fn module_setattr(o: &Object, name: &Object, value: Option<&Object>) -> Result<()> {
    let m = o.downcast::<Module>().expect("module");
    let d = Dict::of(&m.dict).expect("dict");
    match value {
        Some(v) => d.set_item(name.to_ref(), v.to_ref()),
        None => d.del_item(name).map_err(|_| {
            PyErr::new(
                ExcKind::AttributeError,
                format!("module '{}' has no attribute '{}'", m.name, str_of(name)),
            )
        }),
    }
}

/// A new module named `name` with an empty namespace (holding `__name__`).
pub fn new_module(name: &str) -> ObjRef {
    let d = dict::new();
    Dict::of(&d)
        .expect("dict")
        .set_item(intern("__name__").to_ref(), str_obj(name))
        .expect("str keys never fail");
    ObjRef::new(Module {
        name: name.to_owned(),
        dict: d,
    })
}

/// Sets `module.name = value` (for native modules built in Rust).
pub fn module_set(module: &Object, name: &str, value: ObjRef) {
    let m = module.downcast::<Module>().expect("module");
    Dict::of(&m.dict)
        .expect("dict")
        .set_item(intern(name).to_ref(), value)
        .expect("str keys never fail");
}

/// Adds a native function to a module.
pub fn module_add_fn(module: &Object, name: &'static str, func: NativeFn) {
    module_set(module, name, new_builtin(name, func));
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/// The text of a `str` object. Panics on a non-str: use only where the type is known.
pub fn str_of(o: &Object) -> &str {
    o.downcast::<PyStr>().expect("a str object").as_str()
}

/// The text of `o` if it is a `str`.
pub fn as_str(o: &Object) -> Option<&str> {
    o.downcast::<PyStr>().map(PyStr::as_str)
}

/// A new `str` object.
pub fn str_obj(s: &str) -> ObjRef {
    weft_object::str_obj(s)
}

/// A tuple of `items`.
pub fn tuple(items: Vec<ObjRef>) -> ObjRef {
    new_tuple(items)
}

/// An error of `kind` with `msg`.
pub fn err<T>(kind: ExcKind, msg: impl Into<String>) -> Result<T> {
    Err(PyErr::new(kind, msg))
}

/// A `TypeError`.
pub fn type_err<T>(msg: impl Into<String>) -> Result<T> {
    err(ExcKind::TypeError, msg)
}

/// A `ValueError`.
pub fn value_err<T>(msg: impl Into<String>) -> Result<T> {
    err(ExcKind::ValueError, msg)
}

/// The type name of `o`, as messages print it.
pub fn tname(o: &Object) -> &str {
    o.ty().name
}

/// A process-wide object made once (builtins dict, `sys.modules`, ...).
pub struct Global(OnceLock<ObjRef>);

impl Global {
    /// An empty cell.
    pub const fn new() -> Global {
        Global(OnceLock::new())
    }

    /// The object, made by `init` on first use.
    pub fn get(&self, init: impl FnOnce() -> ObjRef) -> &Object {
        self.0.get_or_init(|| {
            let o = init();
            o.refcount().make_immortal();
            o
        })
    }
}

impl Default for Global {
    fn default() -> Self {
        Global::new()
    }
}
