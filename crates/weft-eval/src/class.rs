//! Classes: the `__build_class__` builtin, C3 linearization, heap types whose slots dispatch
//! to dunder methods, instance creation (`__new__`/`__init__`), `type(...)`, `super`,
//! `property`, `staticmethod`, `classmethod`, `__slots__`.
//!
//! A class statement makes a heap type whose [`Slots`] are [`HEAP_SLOTS`]: every slot looks
//! the matching dunder up along the MRO at call time (so assigning `P.__eq__ = f` later works)
//! and falls back to the slot of the nearest builtin base when no class defines it. Instances
//! store a [`crate::core::Instance`] (a `__dict__`, `__slots__` values, exception state); a
//! class deriving from an immutable or container builtin (`int`, `str`, `tuple`, `list`,
//! `dict`, ...) stores that builtin's payload instead, made by the builtin's constructor, and
//! its instances have no `__dict__`.

use std::sync::{Once, OnceLock};

use weft_object::atomic_ref::AtomicRef;

use weft_containers::dict::{self, Dict, PyDict};
use weft_containers::list::PyList;
use weft_containers::set::PySet;
use weft_containers::tuple::{PyTuple, as_tuple};
use weft_containers::{new_list, new_tuple};
use weft_object::inline_values::InlineValues;
use weft_object::scalar::int::Int;
use weft_object::types::{OBJECT_TYPE, PyBytes, PyStr, TYPE_TYPE, as_type};
use weft_object::{
    CompareOp, ExcKind, NumberSlots, ObjRef, Object, Payload, PyErr, Slots, TypeObject, bool_obj,
    intern, none, not_implemented,
};

use crate::builtins::util::{ctor_type, new_of};
use crate::core::{
    Args, Instance, Result, TypeExt, add_method, as_str, err, lookup, lookup_str, names,
    new_builtin, set_ctor, set_type_attr, static_type, str_obj, tname, type_dict, type_err,
    type_ext,
};

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

fn none_ref() -> ObjRef {
    none().to_ref()
}

/// The first builtin (non-heap) type on `ty`'s MRO: whose slots a heap type falls back to.
pub fn static_base(ty: &TypeObject) -> &'static TypeObject {
    for t in static_type(ty).mro() {
        if !t.is_heap() {
            return t;
        }
    }
    &OBJECT_TYPE
}

/// `type(obj).name(obj, *args)` if the type (MRO) defines `name`, else `Ok(None)`.
pub fn call_dunder(obj: &Object, name: &str, args: &[ObjRef]) -> Result<Option<ObjRef>> {
    match lookup_str(obj.ty(), name)? {
        Some(f) => crate::attr::call_unbound(&f, obj, args, &[]).map(Some),
        None => Ok(None),
    }
}

/// The `__module__`-qualified name of a type as reprs print it (`__main__.P`, `int`).
pub fn type_qualified_name(ty: &TypeObject) -> String {
    let e = type_ext(ty);
    let q = e.qualname.clone().unwrap_or_else(|| ty.name.to_owned());
    match e.module.as_deref() {
        Some(m) if m != "builtins" => format!("{m}.{q}"),
        _ => q,
    }
}

/// `repr(type)`: `<class '__main__.P'>`, `<class 'int'>`.
pub fn type_repr(ty: &TypeObject) -> String {
    format!("<class '{}'>", type_qualified_name(ty))
}

/// Empty `__slots__` storage for an instance of `ty`.
pub fn empty_slots(ty: &TypeObject) -> InlineValues {
    InlineValues::new(slot_count(ty))
}

/// The number of `__slots__` values an instance of `ty` stores (the longest slot list along
/// its MRO; computed once per type: `__slots__` cannot change after the class statement).
fn slot_count(ty: &TypeObject) -> usize {
    *type_ext(ty).n_slots.get_or_init(|| {
        static_type(ty)
            .mro()
            .iter()
            .filter_map(|t| type_ext(t).slot_names.as_ref().map(Vec::len))
            .max()
            .unwrap_or(0)
    })
}

/// A new, empty instance of the heap (or exception) type `ty`: a fresh `__dict__` unless the
/// class uses `__slots__` only, and exception state for exception classes.
pub fn new_instance(ty: &'static TypeObject) -> ObjRef {
    if ty.is_subtype(&crate::exceptions::BASE_EXCEPTION_TYPE) {
        return crate::exceptions::new_exception(ty, new_tuple(Vec::new()));
    }
    let e = type_ext(ty);
    let attrs = if e.slot_names.is_some() {
        None
    } else {
        Some(InlineValues::new(e.keys.len()))
    };
    ObjRef::with_type(
        Instance {
            attrs,
            slots: empty_slots(ty),
            exc: None,
        },
        ty,
    )
}

fn int_result_to_usize(r: &Object, what: &str) -> Result<usize> {
    let Some(i) = r.downcast::<Int>() else {
        return type_err(format!(
            "'{}' object cannot be interpreted as an integer",
            tname(r)
        ));
    };
    if i.is_negative() {
        return err(ExcKind::ValueError, format!("{what}() should return >= 0"));
    }
    i.to_usize().ok_or_else(|| {
        PyErr::new(
            ExcKind::OverflowError,
            "cannot fit 'int' into an index-sized integer",
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Native data descriptors (getset) and slot members
// ---------------------------------------------------------------------------------------------

/// Getter of a native data descriptor.
pub type Getter = fn(&Object) -> Result<ObjRef>;
/// Setter of a native data descriptor (`None` deletes).
pub type Setter = fn(&Object, Option<&Object>) -> Result<()>;

/// A native attribute of a builtin type (`BaseException.args`): `getset_descriptor`.
pub struct GetSet {
    /// The attribute name.
    pub name: &'static str,
    /// The type defining it (for messages).
    pub owner: &'static str,
    /// Reads the attribute.
    pub get: Getter,
    /// Writes or deletes it; `None` = read-only.
    pub set: Option<Setter>,
}

/// `getset_descriptor`
pub static GETSET_TYPE: TypeObject = TypeObject::new_static::<GetSet>(
    "getset_descriptor",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(|o| {
            let g = o.downcast::<GetSet>().expect("getset");
            Ok(format!("<attribute '{}' of '{}' objects>", g.name, g.owner))
        }),
        hash: Some(identity_hash),
        ..Slots::EMPTY
    },
);

impl Payload for GetSet {
    fn type_object() -> &'static TypeObject {
        &GETSET_TYPE
    }
}

/// Adds a native data descriptor `name` to the builtin type `ty`.
pub fn add_getset(ty: &'static TypeObject, name: &'static str, get: Getter, set: Option<Setter>) {
    set_type_attr(
        ty,
        name,
        ObjRef::new(GetSet {
            name,
            owner: ty.name,
            get,
            set,
        }),
    );
}

/// A `__slots__` member: `member_descriptor`.
pub struct Member {
    /// The slot name.
    pub name: String,
    /// Index in [`Instance::slots`].
    pub index: usize,
    /// The class that declared it.
    pub owner: &'static TypeObject,
}

/// `member_descriptor`
pub static MEMBER_TYPE: TypeObject = TypeObject::new_static::<Member>(
    "member_descriptor",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(|o| {
            let m = o.downcast::<Member>().expect("member");
            Ok(format!(
                "<member '{}' of '{}' objects>",
                m.name, m.owner.name
            ))
        }),
        hash: Some(identity_hash),
        ..Slots::EMPTY
    },
);

impl Payload for Member {
    fn type_object() -> &'static TypeObject {
        &MEMBER_TYPE
    }
}

impl Member {
    fn storage<'a>(&self, obj: &'a Object) -> Result<&'a InlineValues> {
        if !obj.ty().is_subtype(self.owner) {
            return type_err(format!(
                "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
                self.name,
                self.owner.name,
                tname(obj)
            ));
        }
        obj.downcast::<Instance>()
            .map(|i| &i.slots)
            .filter(|_| self.index < slot_count(obj.ty()))
            .ok_or_else(|| PyErr::type_error("slot storage missing"))
    }

    /// Reads the slot of `obj` (lock-free, as instance attributes are).
    pub fn get(&self, obj: &Object) -> Result<ObjRef> {
        let v = self.storage(obj)?.get(obj, self.index);
        v.ok_or_else(|| {
            PyErr::new(
                ExcKind::AttributeError,
                format!("'{}' object has no attribute '{}'", tname(obj), self.name),
            )
        })
    }

    /// Writes (or with `None` deletes) the slot of `obj`.
    pub fn set(&self, obj: &Object, v: Option<ObjRef>) -> Result<()> {
        let storage = self.storage(obj)?;
        let deleting = v.is_none();
        // In the instance's critical section; the replaced value is dropped after it.
        let replaced = obj.with_lock(|| storage.set(obj, self.index, v));
        let was_set = replaced.was_set;
        drop(replaced.garbage);
        if deleting && !was_set {
            return err(
                ExcKind::AttributeError,
                format!("'{}' object has no attribute '{}'", tname(obj), self.name),
            );
        }
        Ok(())
    }
}

/// The hash of an object compared by identity (`object.__hash__`).
pub(crate) fn identity_hash(o: &Object) -> Result<i64> {
    let h = (o.id() as u64).rotate_right(4) as i64;
    Ok(if h == -1 { -2 } else { h })
}

// ---------------------------------------------------------------------------------------------
// staticmethod, classmethod, property
// ---------------------------------------------------------------------------------------------

/// `staticmethod(f)`
pub struct StaticMethod {
    /// `__func__`.
    pub func: ObjRef,
}

/// `classmethod(f)`
pub struct ClassMethod {
    /// `__func__`.
    pub func: ObjRef,
}

/// `staticmethod`
pub static STATICMETHOD_TYPE: TypeObject = TypeObject::new_static::<StaticMethod>(
    "staticmethod",
    Some(&OBJECT_TYPE),
    Slots {
        hash: Some(identity_hash),
        call: Some(|o, args, kw| {
            let f = &o.downcast::<StaticMethod>().expect("staticmethod").func;
            crate::call::call(f, args, kw)
        }),
        repr: Some(|o| {
            let f = &o.downcast::<StaticMethod>().expect("staticmethod").func;
            Ok(format!("<staticmethod({})>", f.repr()?))
        }),
        ..Slots::EMPTY
    },
);

/// `classmethod`
pub static CLASSMETHOD_TYPE: TypeObject = TypeObject::new_static::<ClassMethod>(
    "classmethod",
    Some(&OBJECT_TYPE),
    Slots {
        hash: Some(identity_hash),
        repr: Some(|o| {
            let f = &o.downcast::<ClassMethod>().expect("classmethod").func;
            Ok(format!("<classmethod({})>", f.repr()?))
        }),
        ..Slots::EMPTY
    },
);

impl Payload for StaticMethod {
    fn type_object() -> &'static TypeObject {
        &STATICMETHOD_TYPE
    }
}

impl Payload for ClassMethod {
    fn type_object() -> &'static TypeObject {
        &CLASSMETHOD_TYPE
    }
}

/// `staticmethod(f)`.
pub fn new_staticmethod(f: ObjRef) -> ObjRef {
    ObjRef::new(StaticMethod { func: f })
}

/// `classmethod(f)`.
pub fn new_classmethod(f: ObjRef) -> ObjRef {
    ObjRef::new(ClassMethod { func: f })
}

/// `property(fget, fset, fdel, doc)`
pub struct Property {
    /// The getter.
    pub fget: Option<ObjRef>,
    /// The setter.
    pub fset: Option<ObjRef>,
    /// The deleter.
    pub fdel: Option<ObjRef>,
    /// `__doc__`.
    pub doc: Option<ObjRef>,
    /// The attribute name (from `__set_name__`): lock-free reads, swapped writes.
    pub name: AtomicRef,
}

/// `property`
pub static PROPERTY_TYPE: TypeObject = TypeObject::new_static::<Property>(
    "property",
    Some(&OBJECT_TYPE),
    Slots {
        hash: Some(identity_hash),
        ..Slots::EMPTY
    },
);

impl Payload for Property {
    fn type_object() -> &'static TypeObject {
        &PROPERTY_TYPE
    }
}

impl Property {
    fn name_for_msg(&self) -> Result<String> {
        let n = self.name.get();
        if let Some(n) = n {
            return n.str();
        }
        if let Some(g) = &self.fget
            && let Some(n) = crate::attr::getattr_opt(g, intern("__name__"))?
        {
            return n.str();
        }
        Ok("?".into())
    }

    /// `property.__get__(obj)`.
    pub fn get(&self, obj: &Object) -> Result<ObjRef> {
        match &self.fget {
            Some(f) => crate::call::call(f, &[obj.to_ref()], &[]),
            None => err(
                ExcKind::AttributeError,
                format!(
                    "property '{}' of '{}' object has no getter",
                    self.name_for_msg()?,
                    tname(obj)
                ),
            ),
        }
    }

    /// `property.__set__(obj, v)` / `__delete__(obj)` (`v` = `None`).
    pub fn set(&self, obj: &Object, v: Option<ObjRef>) -> Result<()> {
        let (f, what) = match &v {
            Some(_) => (&self.fset, "setter"),
            None => (&self.fdel, "deleter"),
        };
        let Some(f) = f else {
            return err(
                ExcKind::AttributeError,
                format!(
                    "property '{}' of '{}' object has no {what}",
                    self.name_for_msg()?,
                    tname(obj)
                ),
            );
        };
        let mut args = vec![obj.to_ref()];
        args.extend(v);
        crate::call::call(f, &args, &[])?;
        Ok(())
    }
}

fn prop_of(o: &Object) -> Result<&Property> {
    o.downcast::<Property>().ok_or_else(|| {
        PyErr::type_error(format!(
            "descriptor requires a 'property' object but received a '{}'",
            tname(o)
        ))
    })
}

fn opt_arg(o: Option<&ObjRef>) -> Option<ObjRef> {
    o.filter(|x| !x.is(none())).cloned()
}

fn property_ctor(args: &Args<'_>) -> Result<ObjRef> {
    let a = Args {
        all: &args.all[1..],
        kwnames: args.kwnames,
    };
    a.only_kwargs("property", &["fget", "fset", "fdel", "doc"])?;
    a.check_pos("property", 0, 4)?;
    let fget = opt_arg(a.arg(0, "fget"));
    let mut doc = opt_arg(a.arg(3, "doc"));
    if doc.is_none()
        && let Some(g) = &fget
    {
        doc = crate::attr::getattr_opt(g, intern("__doc__"))?.filter(|d| !d.is(none()));
    }
    Ok(new_of(
        ctor_type(&args.all[0]),
        Property {
            fget,
            fset: opt_arg(a.arg(1, "fset")),
            fdel: opt_arg(a.arg(2, "fdel")),
            doc,
            name: AtomicRef::new(None),
        },
    ))
}

fn property_copy(args: &Args<'_>, which: usize) -> Result<ObjRef> {
    args.check(["getter", "setter", "deleter"][which], 2, 2)?;
    let p = prop_of(&args.all[0])?;
    let f = opt_arg(Some(&args.all[1]));
    let name = p.name.get();
    Ok(ObjRef::new(Property {
        fget: if which == 0 {
            f.clone()
        } else {
            p.fget.clone()
        },
        fset: if which == 1 {
            f.clone()
        } else {
            p.fset.clone()
        },
        fdel: if which == 2 { f } else { p.fdel.clone() },
        doc: p.doc.clone(),
        name: AtomicRef::new(name),
    }))
}

fn staticmethod_ctor(args: &Args<'_>) -> Result<ObjRef> {
    let a = Args {
        all: &args.all[1..],
        kwnames: args.kwnames,
    };
    a.check("staticmethod", 1, 1)?;
    Ok(new_of(
        ctor_type(&args.all[0]),
        StaticMethod {
            func: a.all[0].clone(),
        },
    ))
}

fn classmethod_ctor(args: &Args<'_>) -> Result<ObjRef> {
    let a = Args {
        all: &args.all[1..],
        kwnames: args.kwnames,
    };
    a.check("classmethod", 1, 1)?;
    Ok(new_of(
        ctor_type(&args.all[0]),
        ClassMethod {
            func: a.all[0].clone(),
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// super
// ---------------------------------------------------------------------------------------------

/// A `super` object.
pub struct Super {
    /// The class whose MRO successors are searched.
    pub this: &'static TypeObject,
    /// The bound object (an instance, or a class for `super(C, cls)`).
    pub obj: Option<ObjRef>,
    /// The type whose MRO is walked (`type(obj)`, or `obj` itself when it is a class).
    pub start: Option<&'static TypeObject>,
}

/// `super`
pub static SUPER_TYPE: TypeObject = TypeObject::new_static::<Super>(
    "super",
    Some(&OBJECT_TYPE),
    Slots {
        getattr: Some(super_getattr),
        hash: Some(identity_hash),
        repr: Some(|o| {
            let s = o.downcast::<Super>().expect("super");
            Ok(match s.start {
                Some(t) => format!("<super: <class '{}'>, <{} object>>", s.this.name, t.name),
                None => format!("<super: <class '{}'>, NULL>", s.this.name),
            })
        }),
        ..Slots::EMPTY
    },
);

impl Payload for Super {
    fn type_object() -> &'static TypeObject {
        &SUPER_TYPE
    }
}

fn super_getattr(o: &Object, name: &Object) -> Result<ObjRef> {
    let s = o.downcast::<Super>().expect("super");
    let n = as_str(name).unwrap_or("");
    if n == "__class__" {
        return Ok(SUPER_TYPE.as_object().to_ref());
    }
    if let (Some(start), Some(obj)) = (s.start, &s.obj) {
        let mro = static_type(start).mro();
        let pos = mro.iter().position(|t| std::ptr::eq(*t, s.this));
        if let Some(i) = pos {
            for t in &mro[i + 1..] {
                if let Some(v) = type_dict(t).get(name)? {
                    let inst = if obj.is(start.as_object()) {
                        None
                    } else {
                        Some(&**obj)
                    };
                    return crate::attr::descr_get(&v, inst, start);
                }
            }
        }
    }
    match n {
        "__thisclass__" => Ok(s.this.as_object().to_ref()),
        "__self__" => Ok(s.obj.clone().unwrap_or_else(none_ref)),
        "__self_class__" => Ok(s
            .start
            .map(|t| t.as_object().to_ref())
            .unwrap_or_else(none_ref)),
        _ => err(
            ExcKind::AttributeError,
            format!("'super' object has no attribute '{n}'"),
        ),
    }
}

fn super_ctor(args: &Args<'_>) -> Result<ObjRef> {
    let a = Args {
        all: &args.all[1..],
        kwnames: args.kwnames,
    };
    a.no_kwargs("super")?;
    let (cls, obj) = match a.pos().len() {
        0 => {
            let (c, o) = crate::eval::current_super_args()?;
            (c, Some(o))
        }
        1 => (a.all[0].clone(), None),
        2 => (a.all[0].clone(), Some(a.all[1].clone())),
        n => return type_err(format!("super() takes at most 2 arguments ({n} given)")),
    };
    let Some(this) = as_type(&cls) else {
        return type_err(format!(
            "super() argument 1 must be a type, not {}",
            tname(&cls)
        ));
    };
    let this = static_type(this);
    let obj = obj.filter(|o| !o.is(none()));
    let start = match &obj {
        None => None,
        Some(o) => {
            if o.ty().is_subtype(this) {
                Some(static_type(o.ty()))
            } else if let Some(t) = as_type(o).filter(|t| t.is_subtype(this)) {
                Some(static_type(t))
            } else {
                return type_err("super(type, obj): obj must be an instance or subtype of type");
            }
        }
    };
    Ok(ObjRef::new(Super { this, obj, start }))
}

// ---------------------------------------------------------------------------------------------
// Heap type slots: dispatch to dunders
// ---------------------------------------------------------------------------------------------

fn not_found(o: &Object, what: &str) -> PyErr {
    PyErr::type_error(format!("'{}' object {what}", tname(o)))
}

/// `name` defined by a heap class on `ty`'s MRO before the first builtin type.
pub fn heap_lookup(ty: &TypeObject, name: &str) -> Result<Option<ObjRef>> {
    let key = intern(name);
    for t in static_type(ty).mro() {
        if !t.is_heap() {
            return Ok(None);
        }
        if let Some(v) = type_dict(t).get(key)? {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// The `name` a heap type's slot calls, in one walk of the MRO: a heap class's definition
/// (before the first builtin type) first; else `None` when `base_has_slot` (the builtin base's
/// slot applies); else the definition further down the MRO (`object`'s method, say).
fn slot_dunder(ty: &TypeObject, name: &str, base_has_slot: bool) -> Result<Option<ObjRef>> {
    let key = intern(name);
    let mut in_heap_prefix = true;
    for t in static_type(ty).mro() {
        if in_heap_prefix && !t.is_heap() {
            if base_has_slot {
                return Ok(None);
            }
            in_heap_prefix = false;
        }
        if let Some(v) = type_dict(t).get(key)? {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// Calls `name` if a heap class defines it (see [`heap_lookup`]).
pub fn heap_dunder(o: &Object, name: &str, args: &[ObjRef]) -> Result<Option<ObjRef>> {
    match heap_lookup(o.ty(), name)? {
        Some(f) => crate::attr::call_unbound(&f, o, args, &[]).map(Some),
        None => Ok(None),
    }
}

fn text_result(r: ObjRef, what: &str) -> Result<String> {
    match as_str(&r) {
        Some(s) => Ok(s.to_owned()),
        None => type_err(format!("{what} returned non-string (type {})", tname(&r))),
    }
}

fn heap_repr(o: &Object) -> Result<String> {
    let base = static_base(o.ty()).slots.repr;
    match slot_dunder(o.ty(), "__repr__", base.is_some())? {
        Some(f) => text_result(crate::attr::call_unbound(&f, o, &[], &[])?, "__repr__"),
        None => base.map_or_else(|| default_repr(o), |f| f(o)),
    }
}

fn heap_str(o: &Object) -> Result<String> {
    let b = static_base(o.ty());
    let base_has = b.slots.str.is_some() || b.slots.repr.is_some();
    match slot_dunder(o.ty(), "__str__", base_has)? {
        Some(f) => text_result(crate::attr::call_unbound(&f, o, &[], &[])?, "__str__"),
        None => b.slots.str.map_or_else(|| heap_repr(o), |f| f(o)),
    }
}

fn heap_hash(o: &Object) -> Result<i64> {
    let base = static_base(o.ty()).slots.hash;
    match slot_dunder(o.ty(), "__hash__", base.is_some())? {
        Some(h) if h.is(none()) => type_err(format!("unhashable type: '{}'", tname(o))),
        Some(h) => {
            let r = crate::attr::call_unbound(&h, o, &[], &[])?;
            if r.downcast::<Int>().is_none() {
                return type_err("__hash__ method should return an integer");
            }
            r.hash()
        }
        None => base.map_or_else(|| identity_hash(o), |f| f(o)),
    }
}

fn cmp_name(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Lt => "__lt__",
        CompareOp::Le => "__le__",
        CompareOp::Eq => "__eq__",
        CompareOp::Ne => "__ne__",
        CompareOp::Gt => "__gt__",
        CompareOp::Ge => "__ge__",
    }
}

fn heap_richcompare(a: &Object, b: &Object, op: CompareOp) -> Result<ObjRef> {
    let base = static_base(a.ty()).slots.richcompare;
    match slot_dunder(a.ty(), cmp_name(op), base.is_some())? {
        Some(f) => crate::attr::call_unbound(&f, a, &[b.to_ref()], &[]),
        None => base.map_or_else(|| Ok(not_implemented().to_ref()), |f| f(a, b, op)),
    }
}

fn heap_bool(o: &Object) -> Result<bool> {
    if let Some(r) = heap_dunder(o, "__bool__", &[])? {
        if !std::ptr::eq(r.ty(), &weft_object::types::BOOL_TYPE) {
            return type_err(format!(
                "__bool__ should return bool, returned {}",
                tname(&r)
            ));
        }
        return r.is_true();
    }
    if let Some(r) = heap_dunder(o, "__len__", &[])? {
        return Ok(int_result_to_usize(&r, "__len__")? != 0);
    }
    let b = static_base(o.ty());
    if let Some(f) = b.slots.bool {
        return f(o);
    }
    if let Some(f) = b.slots.len {
        return Ok(f(o)? != 0);
    }
    Ok(true)
}

fn heap_len(o: &Object) -> Result<usize> {
    let base = static_base(o.ty()).slots.len;
    match slot_dunder(o.ty(), "__len__", base.is_some())? {
        Some(f) => {
            let r = crate::attr::call_unbound(&f, o, &[], &[])?;
            int_result_to_usize(&r, "__len__")
        }
        None => match base {
            Some(f) => f(o),
            None => type_err(format!("object of type '{}' has no len()", tname(o))),
        },
    }
}

fn heap_call(o: &Object, args: &[ObjRef], kwnames: &[ObjRef]) -> Result<ObjRef> {
    let base = static_base(o.ty()).slots.call;
    match slot_dunder(o.ty(), "__call__", base.is_some())? {
        Some(f) => crate::attr::call_unbound(&f, o, args, kwnames),
        None => match base {
            Some(f) => f(o, args, kwnames),
            None => Err(not_found(o, "is not callable")),
        },
    }
}

fn heap_iter(o: &Object) -> Result<ObjRef> {
    let base_has = static_base(o.ty()).slots.iter.is_some();
    if let Some(f) = slot_dunder(o.ty(), "__iter__", base_has)? {
        if f.is(none()) {
            return Err(not_found(o, "is not iterable"));
        }
        let it = crate::attr::call_unbound(&f, o, &[], &[])?;
        if !crate::ops::is_iterator(&it)? {
            return type_err(format!(
                "iter() returned non-iterator of type '{}'",
                tname(&it)
            ));
        }
        return Ok(it);
    }
    if o.ty().stores::<Instance>() && lookup_str(o.ty(), "__getitem__")?.is_some() {
        return Ok(crate::ops::seq_iter(o));
    }
    crate::ops::builtin_iter(o)
}

fn heap_next(o: &Object) -> Result<Option<ObjRef>> {
    let base = static_base(o.ty()).slots.next;
    match slot_dunder(o.ty(), "__next__", base.is_some())? {
        Some(f) => match crate::attr::call_unbound(&f, o, &[], &[]) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.kind == ExcKind::StopIteration => Ok(None),
            Err(e) => Err(e),
        },
        None => match base {
            Some(n) => n(o),
            None => Err(not_found(o, "is not an iterator")),
        },
    }
}

/// The subscript and `in` dunders of a heap type: a builtin layout (a subclass of `list`,
/// `dict`, ...) falls back to the builtin operation, an instance to the MRO's definition.
fn item_dunder(o: &Object, name: &str) -> Result<Option<ObjRef>> {
    slot_dunder(o.ty(), name, !o.ty().stores::<Instance>())
}

fn heap_getitem(o: &Object, k: &Object) -> Result<ObjRef> {
    match item_dunder(o, "__getitem__")? {
        Some(f) => crate::attr::call_unbound(&f, o, &[k.to_ref()], &[]),
        None => match crate::ops::builtin_getitem(o, k) {
            // `dict.__getitem__` of a subclass asks the class's `__missing__` for a missing
            // key.
            Err(e) if e.kind == ExcKind::KeyError && o.ty().stores::<PyDict>() => {
                match lookup(o.ty(), intern("__missing__"))? {
                    Some(m) => crate::attr::call_unbound(&m, o, &[k.to_ref()], &[]),
                    None => Err(e),
                }
            }
            r => r,
        },
    }
}

fn heap_setitem(o: &Object, k: &Object, v: Option<&Object>) -> Result<()> {
    let (name, args) = match v {
        Some(v) => ("__setitem__", vec![k.to_ref(), v.to_ref()]),
        None => ("__delitem__", vec![k.to_ref()]),
    };
    match item_dunder(o, name)? {
        Some(f) => crate::attr::call_unbound(&f, o, &args, &[]).map(drop),
        None => crate::ops::builtin_setitem(o, k, v),
    }
}

fn heap_contains(o: &Object, k: &Object) -> Result<bool> {
    match item_dunder(o, "__contains__")? {
        Some(f) => crate::attr::call_unbound(&f, o, &[k.to_ref()], &[])?.is_true(),
        None => crate::ops::builtin_contains(o, k),
    }
}

/// A unary number slot of a heap type: `name`, else the builtin base's slot (`pick`).
fn heap_unary(
    o: &Object,
    name: &str,
    sym: &str,
    pick: fn(&NumberSlots) -> Option<weft_object::UnaryFn>,
) -> Result<ObjRef> {
    let base = pick(&static_base(o.ty()).slots.number);
    match slot_dunder(o.ty(), name, base.is_some())? {
        Some(f) => crate::attr::call_unbound(&f, o, &[], &[]),
        None => match base {
            Some(f) => f(o),
            None => type_err(format!("bad operand type for {sym}: '{}'", tname(o))),
        },
    }
}

fn heap_int(o: &Object) -> Result<ObjRef> {
    for name in ["__int__", "__index__"] {
        if let Some(r) = heap_dunder(o, name, &[])? {
            if r.downcast::<Int>().is_none() {
                return type_err(format!("{name} returned non-int (type {})", tname(&r)));
            }
            return Ok(r);
        }
    }
    match static_base(o.ty()).slots.number.int {
        Some(f) => f(o),
        None => type_err(format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
            tname(o)
        )),
    }
}

fn heap_float(o: &Object) -> Result<ObjRef> {
    if let Some(r) = heap_dunder(o, "__float__", &[])? {
        if r.downcast::<f64>().is_none() {
            return type_err(format!(
                "{}.__float__ returned non-float (type {})",
                tname(o),
                tname(&r)
            ));
        }
        return Ok(r);
    }
    if let Some(r) = heap_dunder(o, "__index__", &[])? {
        if let Some(i) = r.downcast::<Int>() {
            return Ok(ObjRef::new(i.to_f64()?));
        }
        return type_err(format!("__index__ returned non-int (type {})", tname(&r)));
    }
    match static_base(o.ty()).slots.number.float {
        Some(f) => f(o),
        None => type_err(format!(
            "float() argument must be a string or a real number, not '{}'",
            tname(o)
        )),
    }
}

use weft_compiler::instr::BinaryOp as B;

/// The slots of every heap type.
pub const HEAP_SLOTS: Slots = Slots {
    hash: Some(heap_hash),
    repr: Some(heap_repr),
    str: Some(heap_str),
    richcompare: Some(heap_richcompare),
    bool: Some(heap_bool),
    len: Some(heap_len),
    getattr: None,
    setattr: None,
    call: Some(heap_call),
    iter: Some(heap_iter),
    next: Some(heap_next),
    getitem: Some(heap_getitem),
    setitem: Some(heap_setitem),
    contains: Some(heap_contains),
    number: NumberSlots {
        add: Some(|a, b| crate::ops::binary_op_slot(a, b, B::Add)),
        sub: Some(|a, b| crate::ops::binary_op_slot(a, b, B::Subtract)),
        mul: Some(|a, b| crate::ops::binary_op_slot(a, b, B::Multiply)),
        truediv: Some(|a, b| crate::ops::binary_op_slot(a, b, B::TrueDivide)),
        floordiv: Some(|a, b| crate::ops::binary_op_slot(a, b, B::FloorDivide)),
        modulo: Some(|a, b| crate::ops::binary_op_slot(a, b, B::Remainder)),
        pow: Some(|a, b| crate::ops::binary_op_slot(a, b, B::Power)),
        lshift: Some(|a, b| crate::ops::binary_op_slot(a, b, B::Lshift)),
        rshift: Some(|a, b| crate::ops::binary_op_slot(a, b, B::Rshift)),
        and: Some(|a, b| crate::ops::binary_op_slot(a, b, B::And)),
        or: Some(|a, b| crate::ops::binary_op_slot(a, b, B::Or)),
        xor: Some(|a, b| crate::ops::binary_op_slot(a, b, B::Xor)),
        neg: Some(|o| heap_unary(o, "__neg__", "unary -", |n| n.neg)),
        pos: Some(|o| heap_unary(o, "__pos__", "unary +", |n| n.pos)),
        abs: Some(|o| heap_unary(o, "__abs__", "abs()", |n| n.abs)),
        invert: Some(|o| heap_unary(o, "__invert__", "unary ~", |n| n.invert)),
        int: Some(heap_int),
        float: Some(heap_float),
    },
};

// ---------------------------------------------------------------------------------------------
// object's and type's methods
// ---------------------------------------------------------------------------------------------

fn default_repr(o: &Object) -> Result<String> {
    Ok(format!(
        "<{} object at {:#x}>",
        type_qualified_name(o.ty()),
        o.id()
    ))
}

fn self_arg<'a>(args: &Args<'a>, f: &str) -> Result<&'a ObjRef> {
    args.all.first().ok_or_else(|| {
        PyErr::type_error(format!(
            "descriptor '{f}' of 'object' object needs an argument"
        ))
    })
}

fn obj_repr(args: &Args<'_>) -> Result<ObjRef> {
    let s = self_arg(args, "__repr__")?;
    Ok(str_obj(&default_repr(s)?))
}

fn obj_str(args: &Args<'_>) -> Result<ObjRef> {
    let s = self_arg(args, "__str__")?;
    crate::ops::repr(s)
}

fn obj_hash(args: &Args<'_>) -> Result<ObjRef> {
    let s = self_arg(args, "__hash__")?;
    Ok(weft_object::int_from_i64(identity_hash(s)?))
}

fn obj_eq(args: &Args<'_>) -> Result<ObjRef> {
    args.check("__eq__", 2, 2)?;
    if args.all[0].is(&args.all[1]) {
        Ok(bool_obj(true))
    } else {
        Ok(not_implemented().to_ref())
    }
}

fn obj_ne(args: &Args<'_>) -> Result<ObjRef> {
    args.check("__ne__", 2, 2)?;
    let (a, b) = (&args.all[0], &args.all[1]);
    let r = match a.ty().slots.richcompare {
        Some(f) => f(a, b, CompareOp::Eq)?,
        None if a.is(b) => bool_obj(true),
        None => not_implemented().to_ref(),
    };
    if r.is(not_implemented()) {
        return Ok(r);
    }
    Ok(bool_obj(!r.is_true()?))
}

fn obj_not_impl(args: &Args<'_>) -> Result<ObjRef> {
    args.check("comparison", 2, 2)?;
    Ok(not_implemented().to_ref())
}

fn obj_format(args: &Args<'_>) -> Result<ObjRef> {
    args.check("__format__", 2, 2)?;
    let s = &args.all[0];
    let Some(spec) = as_str(&args.all[1]) else {
        return type_err(format!(
            "__format__() argument must be str, not {}",
            tname(&args.all[1])
        ));
    };
    if !spec.is_empty() {
        return type_err(format!(
            "unsupported format string passed to {}.__format__",
            tname(s)
        ));
    }
    crate::ops::str(s)
}

fn obj_getattribute(args: &Args<'_>) -> Result<ObjRef> {
    args.check("__getattribute__", 2, 2)?;
    let name = name_arg(&args.all[1])?;
    crate::attr::generic_getattr(&args.all[0], name)
}

fn obj_setattr(args: &Args<'_>) -> Result<ObjRef> {
    args.check("__setattr__", 3, 3)?;
    let name = name_arg(&args.all[1])?;
    crate::attr::generic_setattr(&args.all[0], name, Some(args.all[2].clone()))?;
    Ok(none_ref())
}

fn obj_delattr(args: &Args<'_>) -> Result<ObjRef> {
    args.check("__delattr__", 2, 2)?;
    let name = name_arg(&args.all[1])?;
    crate::attr::generic_setattr(&args.all[0], name, None)?;
    Ok(none_ref())
}

fn name_arg(o: &Object) -> Result<&Object> {
    if as_str(o).is_none() {
        return type_err(format!("attribute name must be string, not '{}'", tname(o)));
    }
    Ok(o)
}

fn obj_dir(args: &Args<'_>) -> Result<ObjRef> {
    let s = self_arg(args, "__dir__")?;
    let names = crate::attr::dir_default(s)?;
    Ok(new_list(names.iter().map(|n| str_obj(n)).collect()))
}

fn obj_init_subclass(args: &Args<'_>) -> Result<ObjRef> {
    if !args.kwnames.is_empty() || args.pos().len() > 1 {
        let name = args
            .all
            .first()
            .and_then(|c| as_type(c))
            .map(|t| t.name)
            .unwrap_or("object");
        return type_err(format!(
            "{name}.__init_subclass__() takes no keyword arguments"
        ));
    }
    Ok(none_ref())
}

/// Whether the type's `__new__`/`__init__` are `object`'s.
/// Whether the class attribute `attr` is `object`'s own `name`.
pub(crate) fn is_object_default(attr: &Object, name: &Object) -> bool {
    // `object`'s own `__init__` and `__new__` never change (a builtin type's attributes cannot
    // be set), and every instantiation asks about them: remember their addresses.
    static INIT: OnceLock<usize> = OnceLock::new();
    static NEW: OnceLock<usize> = OnceLock::new();
    let of_object = |n: &Object| {
        crate::core::lookup(&OBJECT_TYPE, n)
            .ok()
            .flatten()
            .map_or(0, |d| d.id())
    };
    let cached = if name.is(names::__init__()) {
        Some(&INIT)
    } else if name.is(names::__new__()) {
        Some(&NEW)
    } else {
        None
    };
    match cached {
        Some(c) => {
            let addr = match c.get() {
                Some(&a) => a,
                None => {
                    let a = of_object(name);
                    // Remembered only once `object` has it (after `install`).
                    if a != 0 {
                        let _ = c.set(a);
                    }
                    a
                }
            };
            addr != 0 && addr == attr.id()
        }
        None => of_object(name) == attr.id(),
    }
}

/// `object.__new__(cls, *args)`.
fn obj_new(args: &Args<'_>) -> Result<ObjRef> {
    let Some(cls) = args.all.first() else {
        return type_err("object.__new__(): not enough arguments");
    };
    let Some(ty) = as_type(cls) else {
        return type_err(format!(
            "object.__new__(X): X is not a type object ({})",
            tname(cls)
        ));
    };
    let ty = static_type(ty);
    let rest = &args.all[1..];
    if ty.stores::<Instance>() {
        if !rest.is_empty() {
            let new_overridden = !lookup(ty, names::__new__())?
                .is_some_and(|n| is_object_default(&n, names::__new__()));
            let init_default = lookup(ty, names::__init__())?
                .is_none_or(|n| is_object_default(&n, names::__init__()));
            if new_overridden {
                return type_err(
                    "object.__new__() takes exactly one argument (the type to instantiate)",
                );
            }
            if init_default {
                return type_err(format!("{}() takes no arguments", ty.name));
            }
        }
        return Ok(new_instance(ty));
    }
    if std::ptr::eq(ty, &OBJECT_TYPE) {
        return Ok(ObjRef::new(()));
    }
    // A subclass of a builtin type: its constructor makes the instance (empty for the
    // mutable containers, which `__init__` fills).
    let base = static_base(ty);
    // (A frozenset is filled by its constructor, a set by `set.__init__`.)
    let mutable = matches!(layout_of(base), Ok(Layout::List | Layout::Dict))
        || std::ptr::eq(base, &weft_containers::set::SET_TYPE);
    match type_ext(base).ctor.get() {
        Some(ctor) => {
            let mut all = Vec::with_capacity(rest.len() + 1);
            all.push(cls.clone());
            if mutable {
                return ctor(&Args::positional(&all));
            }
            all.extend_from_slice(rest);
            ctor(&Args {
                all: &all,
                kwnames: args.kwnames,
            })
        }
        None => type_err(format!("cannot create '{}' instances", ty.name)),
    }
}

/// `object.__init__(self, *args)`.
fn obj_init(args: &Args<'_>) -> Result<ObjRef> {
    let s = self_arg(args, "__init__")?;
    if args.all.len() > 1 && s.ty().stores::<Instance>() && !crate::exceptions::is_exception(s) {
        let ty = s.ty();
        let init_overridden = !lookup(ty, names::__init__())?
            .is_some_and(|n| is_object_default(&n, names::__init__()));
        let new_default =
            lookup(ty, names::__new__())?.is_none_or(|n| is_object_default(&n, names::__new__()));
        if init_overridden {
            return type_err(
                "object.__init__() takes exactly one argument (the instance to initialize)",
            );
        }
        if new_default {
            return type_err(format!("{}() takes no arguments", ty.name));
        }
    }
    Ok(none_ref())
}

fn type_mro(args: &Args<'_>) -> Result<ObjRef> {
    args.check("mro", 1, 1)?;
    let Some(t) = as_type(&args.all[0]) else {
        return type_err("descriptor 'mro' requires a 'type' object");
    };
    Ok(new_list(
        static_type(t)
            .mro()
            .iter()
            .map(|t| t.as_object().to_ref())
            .collect(),
    ))
}

fn type_subclasses(args: &Args<'_>) -> Result<ObjRef> {
    args.check("__subclasses__", 1, 1)?;
    let Some(t) = as_type(&args.all[0]) else {
        return type_err("descriptor '__subclasses__' requires a 'type' object");
    };
    let t = static_type(t);
    Ok(new_list(
        t.subclasses()
            .iter()
            .map(|c| c.as_object().to_ref())
            .collect(),
    ))
}

/// `type.__new__(meta, name, bases, namespace, **kwds)` (what a metaclass's `__new__` reaches
/// through `super()`), and `type.__new__(type, x)`.
fn type_new(args: &Args<'_>) -> Result<ObjRef> {
    let pos = args.pos();
    let Some(meta) = pos.first() else {
        return type_err("type.__new__(): not enough arguments");
    };
    let Some(m) = as_type(meta).filter(|m| m.is_subtype(&TYPE_TYPE)) else {
        return type_err(format!(
            "type.__new__(X): X is not a type object ({})",
            tname(meta)
        ));
    };
    let m = static_type(m);
    match &pos[1..] {
        [x] if args.kwnames.is_empty() => Ok(type_of(x)),
        [name, bases, ns] => {
            let Some(name) = as_str(name) else {
                return type_err(format!(
                    "type.__new__() argument 1 must be str, not {}",
                    tname(name)
                ));
            };
            let Some(bases) = as_tuple(bases) else {
                return type_err(format!(
                    "type.__new__() argument 2 must be tuple, not {}",
                    tname(bases)
                ));
            };
            if Dict::of(ns).is_none() {
                return type_err(format!(
                    "type.__new__() argument 3 must be dict, not {}",
                    tname(ns)
                ));
            }
            let kw: Vec<(ObjRef, ObjRef)> = args
                .kw()
                .map(|(k, v)| (intern(k).to_ref(), v.clone()))
                .collect();
            make_class_of(m, name, bases.as_slice(), ns, &kw)
        }
        _ => type_err("type.__new__() takes exactly 3 arguments (1 given)"),
    }
}

fn type_ctor_marker(_: &Args<'_>) -> Result<ObjRef> {
    type_err("type() takes 1 or 3 arguments")
}

fn object_ctor_marker(_: &Args<'_>) -> Result<ObjRef> {
    Ok(ObjRef::new(()))
}

/// Installs the methods of `object`, `type` and the descriptor types (once).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let o = &OBJECT_TYPE;
        set_type_attr(
            o,
            "__new__",
            new_staticmethod(new_builtin("__new__", obj_new)),
        );
        add_method(o, "__init__", obj_init);
        add_method(o, "__repr__", obj_repr);
        add_method(o, "__str__", obj_str);
        add_method(o, "__hash__", obj_hash);
        add_method(o, "__eq__", obj_eq);
        add_method(o, "__ne__", obj_ne);
        add_method(o, "__lt__", obj_not_impl);
        add_method(o, "__le__", obj_not_impl);
        add_method(o, "__gt__", obj_not_impl);
        add_method(o, "__ge__", obj_not_impl);
        add_method(o, "__format__", obj_format);
        add_method(o, "__getattribute__", obj_getattribute);
        add_method(o, "__setattr__", obj_setattr);
        add_method(o, "__delattr__", obj_delattr);
        add_method(o, "__dir__", obj_dir);
        crate::core::add_classmethod(o, "__init_subclass__", obj_init_subclass);
        set_type_attr(
            o,
            "__doc__",
            str_obj("The base class of the class hierarchy."),
        );
        set_ctor(o, object_ctor_marker);

        for t in [
            &weft_containers::LIST_TYPE,
            &weft_containers::dict::DICT_TYPE,
            &weft_containers::set::SET_TYPE,
        ] {
            if type_dict(t)
                .get(intern("__init__"))
                .ok()
                .flatten()
                .is_none()
            {
                add_method(t, "__init__", container_init);
            }
        }
        add_method(&TYPE_TYPE, "mro", type_mro);
        set_type_attr(
            &TYPE_TYPE,
            "__new__",
            new_staticmethod(new_builtin("__new__", type_new)),
        );
        // `type.__init__` accepts what `type.__new__` does and does nothing (so a metaclass's
        // `super().__init__(name, bases, ns)` works).
        add_method(&TYPE_TYPE, "__init__", |_| Ok(none_ref()));
        add_method(&TYPE_TYPE, "__call__", |a| {
            let Some(t) = a.all.first() else {
                return type_err("descriptor '__call__' of 'type' object needs an argument");
            };
            call_type(t, &a.all[1..], a.kwnames)
        });
        add_method(&TYPE_TYPE, "__subclasses__", type_subclasses);
        set_ctor(&TYPE_TYPE, type_ctor_marker);

        let p = &PROPERTY_TYPE;
        set_ctor(p, property_ctor);
        add_method(p, "getter", |a| property_copy(a, 0));
        add_method(p, "setter", |a| property_copy(a, 1));
        add_method(p, "deleter", |a| property_copy(a, 2));
        add_method(p, "__get__", |a| {
            a.check("__get__", 2, 3)?;
            let obj = &a.all[1];
            if obj.is(none()) {
                return Ok(a.all[0].clone());
            }
            prop_of(&a.all[0])?.get(obj)
        });
        add_method(p, "__set__", |a| {
            a.check("__set__", 3, 3)?;
            prop_of(&a.all[0])?.set(&a.all[1], Some(a.all[2].clone()))?;
            Ok(none_ref())
        });
        add_method(p, "__delete__", |a| {
            a.check("__delete__", 2, 2)?;
            prop_of(&a.all[0])?.set(&a.all[1], None)?;
            Ok(none_ref())
        });
        add_method(p, "__set_name__", |a| {
            a.check("__set_name__", 3, 3)?;
            let pr = prop_of(&a.all[0])?;
            pr.name.set(Some(a.all[2].clone()));
            Ok(none_ref())
        });
        add_getset(
            p,
            "fget",
            |o| Ok(prop_of(o)?.fget.clone().unwrap_or_else(none_ref)),
            None,
        );
        add_getset(
            p,
            "fset",
            |o| Ok(prop_of(o)?.fset.clone().unwrap_or_else(none_ref)),
            None,
        );
        add_getset(
            p,
            "fdel",
            |o| Ok(prop_of(o)?.fdel.clone().unwrap_or_else(none_ref)),
            None,
        );
        add_getset(
            p,
            "__doc__",
            |o| Ok(prop_of(o)?.doc.clone().unwrap_or_else(none_ref)),
            None,
        );

        set_ctor(&STATICMETHOD_TYPE, staticmethod_ctor);
        add_getset(
            &STATICMETHOD_TYPE,
            "__func__",
            |o| {
                o.downcast::<StaticMethod>()
                    .map(|s| s.func.clone())
                    .ok_or_else(|| PyErr::type_error("expected a staticmethod"))
            },
            None,
        );
        set_ctor(&CLASSMETHOD_TYPE, classmethod_ctor);
        add_getset(
            &CLASSMETHOD_TYPE,
            "__func__",
            |o| {
                o.downcast::<ClassMethod>()
                    .map(|s| s.func.clone())
                    .ok_or_else(|| PyErr::type_error("expected a classmethod"))
            },
            None,
        );
        set_ctor(&SUPER_TYPE, super_ctor);
        crate::exceptions::exc_type(ExcKind::Exception);
    });
}

// ---------------------------------------------------------------------------------------------
// Making classes
// ---------------------------------------------------------------------------------------------

/// C3 linearization of a class with `bases`: the MRO without the class itself.
fn c3(bases: &[&'static TypeObject]) -> Result<Vec<&'static TypeObject>> {
    let mut seqs: Vec<Vec<&'static TypeObject>> = bases
        .iter()
        .map(|b| static_type(b).mro().to_vec())
        .collect();
    seqs.push(bases.to_vec());
    let mut out = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let mut found = None;
        for s in &seqs {
            let cand = s[0];
            let in_tail = seqs
                .iter()
                .any(|t| t[1..].iter().any(|x| std::ptr::eq(*x, cand)));
            if !in_tail {
                found = Some(cand);
                break;
            }
        }
        let Some(c) = found else {
            let names: Vec<&str> = bases.iter().map(|b| b.name).collect();
            return type_err(format!(
                "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                names.join(", ")
            ));
        };
        out.push(c);
        for s in &mut seqs {
            if std::ptr::eq(s[0], c) {
                s.remove(0);
            }
        }
    }
}

/// The payload layout of instances of a class with these bases.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Layout {
    Instance,
    Int,
    Float,
    Str,
    Bytes,
    Tuple,
    List,
    Dict,
    Set,
    Property,
    ClassMethod,
    StaticMethod,
    /// Subclasses of `type` (metaclasses): their instances are type objects.
    Type,
}

fn layout_of(ty: &TypeObject) -> Result<Layout> {
    if std::ptr::eq(ty, &OBJECT_TYPE) || ty.stores::<Instance>() {
        return Ok(Layout::Instance);
    }
    if ty.stores::<TypeObject>() && ty.is_subtype(&TYPE_TYPE) {
        return Ok(Layout::Type);
    }
    let l = if std::ptr::eq(ty, &weft_object::types::BOOL_TYPE) {
        None
    } else if ty.stores::<Int>() {
        Some(Layout::Int)
    } else if ty.stores::<f64>() {
        Some(Layout::Float)
    } else if ty.stores::<PyStr>() {
        Some(Layout::Str)
    } else if ty.stores::<PyBytes>() {
        Some(Layout::Bytes)
    } else if ty.stores::<PyTuple>() {
        Some(Layout::Tuple)
    } else if ty.stores::<PyList>() {
        Some(Layout::List)
    } else if ty.stores::<Property>() {
        Some(Layout::Property)
    } else if ty.stores::<ClassMethod>() {
        Some(Layout::ClassMethod)
    } else if ty.stores::<StaticMethod>() {
        Some(Layout::StaticMethod)
    } else if ty.stores::<PyDict>() {
        Some(Layout::Dict)
    } else if ty.stores::<PySet>() {
        Some(Layout::Set)
    } else {
        None
    };
    l.ok_or_else(|| PyErr::type_error(format!("type '{}' is not an acceptable base type", ty.name)))
}

/// A new heap type (leaked: types live forever, see `TypeObject::new_heap`) with its MRO and
/// registered as a subclass of each of `bases`.
#[allow(clippy::too_many_arguments)]
fn new_type_object(
    meta: &'static TypeObject,
    name: &str,
    base: &'static TypeObject,
    layout: Layout,
    slots: Slots,
    ext: TypeExt,
    mro_tail: &[&'static TypeObject],
    bases: &[&'static TypeObject],
) -> &'static TypeObject {
    let ext = Box::new(ext);
    let b = Some(base);
    let m = meta;
    match layout {
        Layout::Instance => {
            TypeObject::new_heap_of::<Instance>(m, name, b, slots, ext, mro_tail, bases)
        }
        Layout::Int => TypeObject::new_heap_of::<Int>(m, name, b, slots, ext, mro_tail, bases),
        Layout::Float => TypeObject::new_heap_of::<f64>(m, name, b, slots, ext, mro_tail, bases),
        Layout::Str => TypeObject::new_heap_of::<PyStr>(m, name, b, slots, ext, mro_tail, bases),
        Layout::Bytes => {
            TypeObject::new_heap_of::<PyBytes>(m, name, b, slots, ext, mro_tail, bases)
        }
        Layout::Tuple => {
            TypeObject::new_heap_of::<PyTuple>(m, name, b, slots, ext, mro_tail, bases)
        }
        Layout::List => TypeObject::new_heap_of::<PyList>(m, name, b, slots, ext, mro_tail, bases),
        Layout::Dict => TypeObject::new_heap_of::<PyDict>(m, name, b, slots, ext, mro_tail, bases),
        Layout::Set => TypeObject::new_heap_of::<PySet>(m, name, b, slots, ext, mro_tail, bases),
        Layout::Property => {
            TypeObject::new_heap_of::<Property>(m, name, b, slots, ext, mro_tail, bases)
        }
        Layout::ClassMethod => {
            TypeObject::new_heap_of::<ClassMethod>(m, name, b, slots, ext, mro_tail, bases)
        }
        Layout::StaticMethod => {
            TypeObject::new_heap_of::<StaticMethod>(m, name, b, slots, ext, mro_tail, bases)
        }
        Layout::Type => {
            TypeObject::new_heap_of::<TypeObject>(m, name, b, slots, ext, mro_tail, bases)
        }
    }
}

/// The metaclass of a class made with `meta` (the one named, or `type`) and `bases`: the
/// most derived of `meta` and the bases' metaclasses. `TypeError` (CPython's message) when
/// they do not form a chain.
fn winner_metaclass(
    meta: &'static TypeObject,
    bases: &[&'static TypeObject],
) -> Result<&'static TypeObject> {
    let mut winner = meta;
    for b in bases {
        let bt = static_type(b.as_object().ty());
        if winner.is_subtype(bt) {
            continue;
        }
        if bt.is_subtype(winner) {
            winner = bt;
            continue;
        }
        return type_err(
            "metaclass conflict: the metaclass of a derived class must be a (non-strict) \
             subclass of the metaclasses of all its bases",
        );
    }
    Ok(winner)
}

fn str_list(o: &Object) -> Result<Vec<String>> {
    if let Some(s) = as_str(o) {
        return Ok(vec![s.to_owned()]);
    }
    let items = crate::ops::collect(o)?;
    items
        .iter()
        .map(|i| match as_str(i) {
            Some(s) => Ok(s.to_owned()),
            None => type_err(format!(
                "__slots__ items must be strings, not '{}'",
                tname(i)
            )),
        })
        .collect()
}

/// Makes a class: `type(name, bases, namespace)` and the class statement. `ns` is copied.
pub fn make_class(
    name: &str,
    bases: &[ObjRef],
    ns: &Object,
    kwds: &[(ObjRef, ObjRef)],
) -> Result<ObjRef> {
    make_class_of(&TYPE_TYPE, name, bases, ns, kwds)
}

/// [`make_class`] with the metaclass `meta` (`type.__new__(meta, name, bases, ns)`): the
/// class's type is the most derived of `meta` and its bases' metaclasses.
pub fn make_class_of(
    meta: &'static TypeObject,
    name: &str,
    bases: &[ObjRef],
    ns: &Object,
    kwds: &[(ObjRef, ObjRef)],
) -> Result<ObjRef> {
    install();
    let ns =
        Dict::of(ns).ok_or_else(|| PyErr::type_error("type.__new__() argument 3 must be dict"))?;
    let mut base_types: Vec<&'static TypeObject> = Vec::new();
    for b in bases {
        match as_type(b) {
            Some(t) => base_types.push(static_type(t)),
            None => {
                return type_err(format!("bases must be types, not {}", tname(b)));
            }
        }
    }
    if base_types.is_empty() {
        base_types.push(&OBJECT_TYPE);
    }
    let meta = winner_metaclass(meta, &base_types)?;
    for (i, b) in base_types.iter().enumerate() {
        if base_types[..i].iter().any(|x| std::ptr::eq(*x, *b)) {
            return type_err(format!("duplicate base class {}", b.name));
        }
    }
    // Layout: every base must agree (object is compatible with all).
    let mut layout = Layout::Instance;
    let mut solid: &'static TypeObject = base_types[0];
    for b in &base_types {
        let l = layout_of(b)?;
        if l != Layout::Instance {
            if layout != Layout::Instance && layout != l {
                return type_err("multiple bases have instance lay-out conflict");
            }
            layout = l;
            solid = b;
        }
    }
    let mut mro_tail = c3(&base_types)?;
    if layout == Layout::Instance {
        solid = base_types[0];
    }
    let _ = &mut mro_tail;

    let dict_obj = ns.copy();
    let d = Dict::of(&dict_obj).expect("dict copy");
    // __module__ / __qualname__ / __doc__
    let module = match d.get(intern("__module__"))? {
        Some(m) => as_str(&m).map(str::to_owned),
        None => {
            let m = crate::eval::current_globals()
                .and_then(|g| Dict::of(&g).and_then(|g| g.get(intern("__name__")).ok().flatten()));
            if let Some(m) = &m {
                d.set_item(intern("__module__").to_ref(), m.clone())?;
            }
            m.as_deref().and_then(as_str).map(str::to_owned)
        }
    };
    let qualname = match d.get(intern("__qualname__"))? {
        Some(q) => {
            let Some(s) = as_str(&q) else {
                return type_err(format!(
                    "type __qualname__ must be a str, not {}",
                    tname(&q)
                ));
            };
            let s = s.to_owned();
            let _ = d.del_item(intern("__qualname__"));
            s
        }
        None => name.to_owned(),
    };
    if d.get(intern("__doc__"))?.is_none() {
        d.set_item(intern("__doc__").to_ref(), none_ref())?;
    }
    // Implicit staticmethod / classmethod wrapping.
    if let Some(f) = d.get(intern("__new__"))?
        && crate::function::is_function(&f)
    {
        d.set_item(intern("__new__").to_ref(), new_staticmethod(f))?;
    }
    for n in ["__init_subclass__", "__class_getitem__"] {
        if let Some(f) = d.get(intern(n))?
            && crate::function::is_function(&f)
        {
            d.set_item(intern(n).to_ref(), new_classmethod(f))?;
        }
    }
    if d.get(intern("__eq__"))?.is_some() && d.get(intern("__hash__"))?.is_none() {
        d.set_item(intern("__hash__").to_ref(), none_ref())?;
    }

    // __slots__
    let mut own_slots: Vec<String> = Vec::new();
    let mut slot_names: Option<Vec<String>> = None;
    if layout == Layout::Instance {
        // Inherited slot storage: one lineage at most.
        let mut inherited: Vec<String> = Vec::new();
        let mut has_dict_base = false;
        for b in &base_types {
            let be = type_ext(b);
            match &be.slot_names {
                Some(v) if !v.is_empty() => {
                    if !inherited.is_empty() && *v != inherited {
                        let sub = v.len() > inherited.len() && v.starts_with(&inherited);
                        let sup = inherited.len() > v.len() && inherited.starts_with(v);
                        if !(sub || sup) {
                            return type_err("multiple bases have instance lay-out conflict");
                        }
                        if sub {
                            inherited = v.clone();
                        }
                    } else {
                        inherited = v.clone();
                    }
                }
                Some(_) => {}
                None => {
                    if !std::ptr::eq(*b, &OBJECT_TYPE) {
                        has_dict_base = true;
                        let n = slot_count(b);
                        if n > 0 && inherited.is_empty() {
                            // A dict-having subclass of a slotted class: keep its storage.
                            for t in static_type(b).mro() {
                                if let Some(v) = &type_ext(t).slot_names
                                    && v.len() == n
                                {
                                    inherited = v.clone();
                                    break;
                                }
                            }
                        }
                    }
                }
            }
        }
        if let Some(s) = d.get(intern("__slots__"))? {
            own_slots = str_list(&s)?;
            for n in &own_slots {
                let ok = !n.is_empty()
                    && n.chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() || c == '_')
                    && n.chars().all(|c| c.is_alphanumeric() || c == '_');
                if !ok {
                    return type_err("__slots__ must be identifiers");
                }
                if d.get(intern(n))?.is_some() && n != "__dict__" {
                    return err(
                        ExcKind::ValueError,
                        format!("'{n}' in __slots__ conflicts with class variable"),
                    );
                }
            }
            let wants_dict = own_slots.iter().any(|n| n == "__dict__");
            own_slots.retain(|n| n != "__dict__" && n != "__weakref__");
            if !has_dict_base && !wants_dict {
                let mut all = inherited.clone();
                all.extend(own_slots.iter().cloned());
                slot_names = Some(all);
            } else {
                // Instances have a __dict__: the declared names simply live there.
                own_slots.clear();
            }
        } else if !inherited.is_empty() && !has_dict_base {
            // No __slots__ of its own: instances get a __dict__ (and keep the inherited slots).
        }
        let _ = inherited;
    }

    let first_base = if layout == Layout::Instance {
        base_types[0]
    } else {
        solid
    };
    // Every heap type gets every slot trampoline: each looks its dunder up (through the type
    // attribute cache) when called, so a dunder added to, replaced on or deleted from the
    // class or a base after the class was made takes effect at once, as CPython's
    // `update_slot` makes it. Questions like "is it callable" ask the MRO, not the slot
    // (`is_callable`, `ops::is_iterator`, `ops::has_iter`).
    let slots = HEAP_SLOTS;
    let n_inherited = slot_names
        .as_ref()
        .map(|v| v.len() - own_slots.len())
        .unwrap_or(0);
    let ext = TypeExt {
        slot_names,
        module,
        qualname: Some(qualname),
        ..TypeExt::new(dict_obj.clone(), base_types.clone())
    };
    let ty = new_type_object(
        meta,
        name,
        first_base,
        layout,
        slots,
        ext,
        &mro_tail,
        &base_types,
    );
    for (i, n) in own_slots.iter().enumerate() {
        d.set_item(
            intern(n).to_ref(),
            ObjRef::new(Member {
                name: n.clone(),
                index: n_inherited + i,
                owner: ty,
            }),
        )?;
    }
    ty.modified();
    let cls = ty.as_object().to_ref();

    // __set_name__
    for (k, v) in d.items_vec() {
        if let Some(set_name) = lookup_str(v.ty(), "__set_name__")? {
            crate::attr::call_unbound(&set_name, &v, &[cls.clone(), k], &[])?;
        }
    }
    // __init_subclass__ of the parent
    let parent_init = {
        let mut found = None;
        for t in &static_type(ty).mro()[1..] {
            if let Some(v) = type_dict(t).get(intern("__init_subclass__"))? {
                found = Some(v);
                break;
            }
        }
        found
    };
    if let Some(f) = parent_init {
        let bound = crate::attr::descr_get(&f, None, ty)?;
        let mut all = Vec::new();
        let mut names = Vec::new();
        for (k, v) in kwds {
            all.push(v.clone());
            names.push(k.clone());
        }
        crate::call::call(&bound, &all, &names)?;
    } else if !kwds.is_empty() {
        return type_err(format!(
            "{name}.__init_subclass__() takes no keyword arguments"
        ));
    }
    Ok(cls)
}

/// `__build_class__(func, name, *bases, metaclass=None, **kwds)`: runs the class body `func`
/// with a fresh namespace and makes the class.
pub fn build_class(args: &Args<'_>) -> Result<ObjRef> {
    install();
    let pos = args.pos();
    if pos.len() < 2 {
        return type_err("__build_class__: not enough arguments");
    }
    let func = &pos[0];
    let Some(name) = as_str(&pos[1]) else {
        return type_err("__build_class__: name is not a string");
    };
    let bases = &pos[2..];
    let mut metaclass = None;
    let mut kwds = Vec::new();
    for (k, v) in args.kw() {
        if k == "metaclass" {
            metaclass = Some(v.clone());
        } else {
            kwds.push((intern(k).to_ref(), v.clone()));
        }
    }
    let ns = dict::new();
    let nsd = Dict::of(&ns).expect("dict");
    if let Some(f) = crate::function::Function::of(func) {
        let module = Dict::of(&f.globals).and_then(|g| g.get(intern("__name__")).ok().flatten());
        if let Some(m) = module {
            nsd.set_item(intern("__module__").to_ref(), m)?;
        }
        nsd.set_item(intern("__qualname__").to_ref(), str_obj(&f.qualname()))?;
    }
    // The metaclass: the one named, or `type`; when it is a type, the most derived of it and
    // the bases' metaclasses (CPython's `_PyType_CalculateMetaclass`).
    let meta: ObjRef = match &metaclass {
        Some(m) if as_type(m).is_none() => m.clone(),
        named => {
            let start = named
                .as_ref()
                .and_then(|m| as_type(m))
                .map_or(&TYPE_TYPE, |t| static_type(t));
            let mut base_types = Vec::with_capacity(bases.len());
            for b in bases {
                if let Some(t) = as_type(b) {
                    base_types.push(static_type(t));
                }
            }
            winner_metaclass(start, &base_types)?.as_object().to_ref()
        }
    };
    let kwnames: Vec<ObjRef> = kwds.iter().map(|(k, _)| k.clone()).collect();
    let kwvals: Vec<ObjRef> = kwds.iter().map(|(_, v)| v.clone()).collect();
    let b = new_tuple(bases.to_vec());
    // `__prepare__` of a metaclass that defines one makes the namespace.
    let prepared = match as_type(&meta) {
        Some(m) if !std::ptr::eq(m, &TYPE_TYPE) => {
            match crate::attr::getattr_opt(&meta, intern("__prepare__"))? {
                Some(prep) => {
                    let mut a = vec![pos[1].clone(), b.clone()];
                    a.extend(kwvals.iter().cloned());
                    Some(crate::call::call(&prep, &a, &kwnames)?)
                }
                None => None,
            }
        }
        _ => None,
    };
    let ns = match prepared {
        Some(p) => {
            // Carry over what was set above (`__module__`, `__qualname__`).
            for (k, v) in nsd.items_vec() {
                crate::ops::setitem(&p, &k, v)?;
            }
            p
        }
        None => ns,
    };
    let cell = crate::eval::run_class_body(func, &ns)?;
    let cls = if meta.is(TYPE_TYPE.as_object()) {
        make_class(name, bases, &ns, &kwds)?
    } else {
        let mut a = vec![pos[1].clone(), b, ns.clone()];
        a.extend(kwvals);
        crate::call::call(&meta, &a, &kwnames)?
    };
    if let Some(c) = cell.downcast::<crate::function::Cell>() {
        c.set(Some(cls.clone()));
    }
    Ok(cls)
}

/// `type(o)` as an object.
pub fn type_of(o: &Object) -> ObjRef {
    o.ty().as_object().to_ref()
}

/// Calls the type object `ty` (instantiation): heap types run `__new__` then `__init__`;
/// builtin types their [`crate::core::TypeExt::ctor`]; `type(x)` / `type(name, bases, dict)`.
/// `TypeError: cannot create 'X' instances` when there is no way to construct.
pub fn call_type(ty: &Object, args: &[ObjRef], kwnames: &[ObjRef]) -> Result<ObjRef> {
    install();
    let Some(t) = as_type(ty) else {
        return Err(not_found(ty, "is not callable"));
    };
    let t = static_type(t);
    let a = Args { all: args, kwnames };
    if std::ptr::eq(t, &TYPE_TYPE) {
        let pos = a.pos();
        if pos.len() == 1 && kwnames.is_empty() {
            return Ok(type_of(&pos[0]));
        }
        if pos.len() == 3 {
            let Some(name) = as_str(&pos[0]) else {
                return type_err(format!(
                    "type.__new__() argument 1 must be str, not {}",
                    tname(&pos[0])
                ));
            };
            let Some(bases) = as_tuple(&pos[1]) else {
                return type_err(format!(
                    "type.__new__() argument 2 must be tuple, not {}",
                    tname(&pos[1])
                ));
            };
            if Dict::of(&pos[2]).is_none() {
                return type_err(format!(
                    "type.__new__() argument 3 must be dict, not {}",
                    tname(&pos[2])
                ));
            }
            let kw: Vec<(ObjRef, ObjRef)> = a
                .kw()
                .map(|(k, v)| (intern(k).to_ref(), v.clone()))
                .collect();
            // A base with another metaclass: that metaclass makes the class (its `__new__`
            // and `__init__` run), as CPython's `type.__new__` defers to the winner.
            let mut base_types = Vec::with_capacity(bases.len());
            for b in bases.as_slice() {
                if let Some(t) = as_type(b) {
                    base_types.push(static_type(t));
                }
            }
            let winner = winner_metaclass(&TYPE_TYPE, &base_types)?;
            if !std::ptr::eq(winner, &TYPE_TYPE) {
                return call_type(winner.as_object(), args, kwnames);
            }
            return make_class(name, bases.as_slice(), &pos[2], &kw);
        }
        return type_err("type() takes 1 or 3 arguments");
    }
    // The arguments of `__new__` and of a builtin constructor: the type, then the call's.
    let with_type = || {
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(ty.to_ref());
        all.extend_from_slice(args);
        all
    };
    let e = type_ext(t);
    if !t.is_heap() && !t.stores::<Instance>() {
        if std::ptr::eq(t, &OBJECT_TYPE) {
            if !args.is_empty() {
                return type_err("object() takes no arguments");
            }
            return Ok(ObjRef::new(()));
        }
        return match e.ctor.get() {
            Some(ctor) => ctor(&Args {
                all: &with_type(),
                kwnames,
            }),
            None => type_err(format!("cannot create '{}' instances", t.name)),
        };
    }
    // The common case, a class whose `__new__` is `object`'s: the plan cached for the type's
    // version tag (what `__init__` is) spares two MRO lookups per instantiation.
    let plan = if t.stores::<Instance>() {
        match e.ctor_plan.read(t.version_tag()) {
            Some(plan) => Some(plan),
            None => {
                fill_ctor_plan(t, e)?;
                None
            }
        }
    } else {
        None
    };
    if let Some(plan) = plan
        && plan.data & PLAN_DEFAULT_NEW != 0
    {
        let init_default = plan.data & PLAN_DEFAULT_INIT != 0;
        if init_default && !args.is_empty() {
            return type_err(format!("{}() takes no arguments", t.name));
        }
        let obj = new_instance(t);
        if let Some(init) = plan.value.filter(|_| !init_default) {
            let r = crate::attr::call_unbound(&init, &obj, args, kwnames)?;
            if !r.is(none()) {
                return type_err(format!(
                    "__init__() should return None, not '{}'",
                    tname(&r)
                ));
            }
        }
        return Ok(obj);
    }
    // __new__
    let new = lookup(t, names::__new__())?;
    let obj = match &new {
        Some(n) if !is_object_default(n, names::__new__()) => {
            let f = match n.downcast::<StaticMethod>() {
                Some(s) => s.func.clone(),
                None => crate::attr::descr_get(n, None, t)?,
            };
            crate::call::call(&f, &with_type(), kwnames)?
        }
        _ => {
            if t.stores::<Instance>() {
                if !args.is_empty() {
                    let init_default = lookup(t, names::__init__())?
                        .is_none_or(|n| is_object_default(&n, names::__init__()));
                    if init_default {
                        return type_err(format!("{}() takes no arguments", t.name));
                    }
                }
                new_instance(t)
            } else {
                obj_new(&Args {
                    all: &with_type(),
                    kwnames,
                })?
            }
        }
    };
    if !obj.ty().is_subtype(t) {
        return Ok(obj);
    }
    // __init__
    if let Some(init) = lookup(obj.ty(), names::__init__())? {
        if is_object_default(&init, names::__init__()) {
            return Ok(obj);
        }
        let r = crate::attr::call_unbound(&init, &obj, args, kwnames)?;
        if !r.is(none()) {
            return type_err(format!(
                "__init__() should return None, not '{}'",
                tname(&r)
            ));
        }
    }
    Ok(obj)
}

/// [`TypeExt::ctor_plan`] bits.
const PLAN_DEFAULT_NEW: u32 = 1;
const PLAN_DEFAULT_INIT: u32 = 2;

/// Fills `t`'s constructor plan from its current MRO (the version tag is read first, so a
/// change during the lookups leaves a plan that never matches).
fn fill_ctor_plan(t: &'static TypeObject, e: &TypeExt) -> Result<()> {
    let version = t.version_tag();
    if version == 0 {
        return Ok(());
    }
    let new_default =
        lookup(t, names::__new__())?.is_none_or(|n| is_object_default(&n, names::__new__()));
    let init = lookup(t, names::__init__())?;
    let init_default = init
        .as_ref()
        .is_none_or(|i| is_object_default(i, names::__init__()));
    let mut data = 0;
    if new_default {
        data |= PLAN_DEFAULT_NEW;
    }
    if init_default {
        data |= PLAN_DEFAULT_INIT;
    }
    e.ctor_plan
        .fill(version, data, init.filter(|_| !init_default));
    Ok(())
}

/// `list.__init__`, `dict.__init__`, `set.__init__`: refill the container from the
/// arguments (what a subclass's `super().__init__(...)` reaches).
fn container_init(args: &Args<'_>) -> Result<ObjRef> {
    let Some(s) = args.all.first() else {
        return type_err("descriptor '__init__' needs an argument");
    };
    let pos = &args.pos()[1..];
    if let Some(d) = Dict::of(s) {
        if pos.len() > 1 {
            return type_err(format!(
                "dict expected at most 1 argument, got {}",
                pos.len()
            ));
        }
        if let Some(a) = pos.first() {
            if Dict::of(a).is_none() && lookup_str(a.ty(), "keys")?.is_some() {
                let keys = crate::call::call_method(a, "keys", &[])?;
                for k in crate::ops::collect(&keys)? {
                    let v = crate::ops::getitem(a, &k)?;
                    d.set_item(k, v)?;
                }
            } else {
                d.update(a)?;
            }
        }
        for (k, v) in args.kw() {
            d.set_item(str_obj(k), v.clone())?;
        }
        return Ok(none_ref());
    }
    let name = tname(s).to_owned();
    args.no_kwargs(&name)?;
    if pos.len() > 1 {
        return type_err(format!(
            "{name} expected at most 1 argument, got {}",
            pos.len()
        ));
    }
    if let Some(l) = weft_containers::List::of(s) {
        l.clear();
        if let Some(a) = pos.first() {
            l.extend_vec(crate::ops::collect(a)?)?;
        }
        return Ok(none_ref());
    }
    if let Some(st) = weft_containers::set::Set::of(s) {
        st.clear()?;
        if let Some(a) = pos.first() {
            for x in crate::ops::collect(a)? {
                st.add(&x)?;
            }
        }
        return Ok(none_ref());
    }
    type_err(format!(
        "descriptor '__init__' does not apply to a '{name}' object"
    ))
}

/// Puts `type`, `object`, `property`, `staticmethod`, `classmethod` and `super` into the
/// builtins namespace dict.
pub fn add_builtins(builtins: &Object) {
    install();
    let Some(d) = Dict::of(builtins) else { return };
    for t in [
        &TYPE_TYPE,
        &OBJECT_TYPE,
        &PROPERTY_TYPE,
        &STATICMETHOD_TYPE,
        &CLASSMETHOD_TYPE,
        &SUPER_TYPE,
    ] {
        let _ = d.set_item(intern(t.name).to_ref(), t.as_object().to_ref());
    }
    let _ = d.set_item(
        intern("__build_class__").to_ref(),
        new_builtin("__build_class__", build_class),
    );
}
