//! Attribute access: the generic lookup with descriptors (CPython's
//! `PyObject_GenericGetAttr`), `getattr`/`setattr`/`delattr`, and `LOAD_METHOD`'s unbound-method
//! shortcut.
//!
//! Lookup order for `obj.name`: a data descriptor found on the type's MRO (`property`, a
//! `__slots__` member), then the instance `__dict__`, then a non-data descriptor or plain
//! class attribute (functions bind to `obj`, `classmethod` to the type, `staticmethod`
//! unwraps, native methods bind), then `__getattr__`. Type objects look up their own MRO first,
//! then the metatype's.

use weft_containers::dict::Dict;
use weft_containers::new_tuple;
use weft_object::inline_values::InlineValues;
use weft_object::types::{PyStr, as_type};
use weft_object::{ExcKind, ObjRef, Object, PyErr, TypeObject, intern, none};

use crate::class::{
    ClassMethod, GETSET_TYPE, GetSet, MEMBER_TYPE, Member, PROPERTY_TYPE, Property, StaticMethod,
};
use crate::core::{
    Builtin, BuiltinKind, Instance, METHOD_DESCRIPTOR_TYPE, Module, Result, as_str, bind_builtin,
    lookup, lookup_str, names, static_type, str_obj, tname, type_dict, type_err, type_ext,
};

fn attr_error(msg: String) -> PyErr {
    PyErr::new(ExcKind::AttributeError, msg)
}

fn check_name(name: &Object) -> Result<&str> {
    match as_str(name) {
        Some(s) => Ok(s),
        None => type_err(format!(
            "attribute name must be string, not '{}'",
            tname(name)
        )),
    }
}

/// A heap type's own `name` hook (`__getattribute__`, `__setattr__`, `__delattr__`), when a
/// class overrides `object`'s.
pub(crate) fn user_hook(ty: &TypeObject, name: &str) -> Result<Option<ObjRef>> {
    if !ty.is_heap() {
        return Ok(None);
    }
    let Some(bit) = crate::core::HOOK_NAMES.iter().position(|h| *h == name) else {
        return find_user_hook(ty, name);
    };
    let hooks = crate::core::attr_hooks(ty, || {
        let mut bits = 0;
        for (i, h) in crate::core::HOOK_NAMES.iter().enumerate() {
            if find_user_hook(ty, h)?.is_some() {
                bits |= 1 << i;
            }
        }
        Ok(bits)
    })?;
    if hooks & (1 << bit) == 0 {
        return Ok(None);
    }
    find_user_hook(ty, name)
}

/// The MRO walk behind [`user_hook`].
fn find_user_hook(ty: &TypeObject, name: &str) -> Result<Option<ObjRef>> {
    let key = intern(name);
    match lookup(ty, key)? {
        Some(v) if crate::class::is_object_default(&v, key) => Ok(None),
        found => Ok(found),
    }
}

/// `getattr(obj, name)`; `name` is a `str`. `AttributeError` with CPython's message when
/// missing (`'Foo' object has no attribute 'bar'`, `type object 'Foo' has no attribute 'x'`,
/// `module 'm' has no attribute 'x'`).
pub fn getattr(obj: &Object, name: &Object) -> Result<ObjRef> {
    check_name(name)?;
    if let Some(f) = obj.ty().slots.getattr {
        return f(obj, name);
    }
    if let Some(t) = as_type(obj) {
        return type_getattr(static_type(t), name);
    }
    let ty = obj.ty();
    if !ty.is_heap() {
        return generic_getattr(obj, name);
    }
    let r = match user_hook(ty, "__getattribute__")? {
        Some(f) => call_unbound(&f, obj, &[name.to_ref()], &[]),
        None => generic_getattr(obj, name),
    };
    match r {
        Err(e) if e.kind == ExcKind::AttributeError => match lookup(ty, names::__getattr__())? {
            Some(f) => call_unbound(&f, obj, &[name.to_ref()], &[]),
            None => Err(e),
        },
        r => r,
    }
}

/// [`getattr`] with a Rust string name.
pub fn getattr_str(obj: &Object, name: &str) -> Result<ObjRef> {
    getattr(obj, weft_object::intern(name))
}

/// `getattr(obj, name, None)`-like: `Ok(None)` when the attribute is missing (only an
/// `AttributeError` is swallowed; other errors propagate).
pub fn getattr_opt(obj: &Object, name: &Object) -> Result<Option<ObjRef>> {
    match getattr(obj, name) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.kind == ExcKind::AttributeError => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether the class attribute `a` is a data descriptor (has `__set__`/`__delete__`).
pub fn is_data_descr(a: &Object) -> Result<bool> {
    let t = a.ty();
    if std::ptr::eq(t, &GETSET_TYPE)
        || std::ptr::eq(t, &MEMBER_TYPE)
        || std::ptr::eq(t, &PROPERTY_TYPE)
    {
        return Ok(true);
    }
    if t.is_heap() {
        return Ok(
            lookup(t, names::__set__())?.is_some() || lookup(t, names::__delete__())?.is_some()
        );
    }
    Ok(false)
}

/// The descriptor protocol's `__get__`: the class attribute `attr` as seen through `inst`
/// (an instance of `ty`), or through the class `ty` itself when `inst` is `None`.
pub fn descr_get(attr: &ObjRef, inst: Option<&Object>, ty: &'static TypeObject) -> Result<ObjRef> {
    let at = attr.ty();
    if crate::function::is_function(attr) {
        return Ok(match inst {
            Some(i) => crate::function::new_method(attr.clone(), i.to_ref()),
            None => attr.clone(),
        });
    }
    if std::ptr::eq(at, &METHOD_DESCRIPTOR_TYPE) {
        let b = attr.downcast::<Builtin>().expect("method descriptor");
        if b.bound.is_some() {
            return Ok(attr.clone());
        }
        return Ok(match (b.kind, inst) {
            (BuiltinKind::Method, Some(i)) => bind_builtin(b, i.to_ref()),
            (BuiltinKind::ClassMethod, _) => bind_builtin(b, ty.as_object().to_ref()),
            _ => attr.clone(),
        });
    }
    if let Some(s) = attr.downcast::<StaticMethod>() {
        return Ok(s.func.clone());
    }
    if let Some(c) = attr.downcast::<ClassMethod>() {
        return Ok(crate::function::new_method(
            c.func.clone(),
            ty.as_object().to_ref(),
        ));
    }
    if let Some(p) = attr.downcast::<Property>() {
        return match inst {
            Some(i) => p.get(i),
            None => Ok(attr.clone()),
        };
    }
    if let Some(g) = attr.downcast::<GetSet>() {
        return match inst {
            Some(i) => (g.get)(i),
            None => Ok(attr.clone()),
        };
    }
    if let Some(m) = attr.downcast::<Member>() {
        return match inst {
            Some(i) => m.get(i),
            None => Ok(attr.clone()),
        };
    }
    if at.is_heap()
        && let Some(get) = lookup(at, names::__get__())?
    {
        let i = inst.map(|i| i.to_ref()).unwrap_or_else(|| none().to_ref());
        return call_unbound(&get, attr, &[i, ty.as_object().to_ref()], &[]);
    }
    Ok(attr.clone())
}

/// Whether the class attribute `attr` is called as `attr(obj, *args)`: a plain function or an
/// unbound native method descriptor.
pub(crate) fn is_plain_method(attr: &Object) -> bool {
    crate::function::is_function(attr)
        || (std::ptr::eq(attr.ty(), &METHOD_DESCRIPTOR_TYPE)
            && attr
                .downcast::<Builtin>()
                .is_some_and(|b| b.kind == BuiltinKind::Method && b.bound.is_none()))
}

/// Calls the class attribute `attr` as a method of `obj`: `attr(obj, *args)` for plain
/// functions and native method descriptors, else through the descriptor protocol.
pub fn call_unbound(
    attr: &ObjRef,
    obj: &Object,
    args: &[ObjRef],
    kwnames: &[ObjRef],
) -> Result<ObjRef> {
    if is_plain_method(attr) {
        return crate::call::call_with_self(attr, obj.to_ref(), args, kwnames);
    }
    let bound = descr_get(attr, Some(obj), static_type(obj.ty()))?;
    crate::call::call(&bound, args, kwnames)
}

// ---------------------------------------------------------------------------------------------
// Instance attribute storage: inline values under the class's shared keys, or the instance's
// dict once one was made (see `weft_object::inline_values`).
// ---------------------------------------------------------------------------------------------

/// The attribute storage of `obj`, if it is an instance with one (not `__slots__`-only).
pub(crate) fn instance_attrs(obj: &Object) -> Option<&InlineValues> {
    obj.downcast::<Instance>()?.attrs.as_ref()
}

/// The interned string equal to the `str` `name`: shared keys compare names by identity.
fn canonical_name(name: &Object) -> &Object {
    match name.downcast::<PyStr>() {
        Some(s) if !s.is_interned() => intern(s.as_str()),
        _ => name,
    }
}

/// The instance's own attribute `name` (not the class's), if set.
fn instance_get(obj: &Object, attrs: &InlineValues, name: &Object) -> Result<Option<ObjRef>> {
    if let Some(d) = attrs.dict() {
        return Dict::of(d).expect("instance dict").get(name);
    }
    Ok(type_ext(obj.ty())
        .keys
        .index(canonical_name(name))
        .and_then(|i| attrs.get(obj, i)))
}

/// The instance's `__dict__`, made from its inline values on first use.
fn instance_dict(obj: &Object, attrs: &InlineValues) -> ObjRef {
    obj.with_lock(|| materialize(obj, attrs))
}

/// [`instance_dict`] for a caller inside the instance's critical section.
fn materialize(obj: &Object, attrs: &InlineValues) -> ObjRef {
    attrs
        .materialize(|items| {
            let keys = &type_ext(obj.ty()).keys;
            let d = weft_containers::dict::new();
            let dv = Dict::of(&d).expect("dict");
            for (i, v) in items {
                dv.set_item(keys.name(i).to_ref(), v)
                    .expect("str keys never fail");
            }
            d
        })
        .clone()
}

/// Sets (`Some`) or deletes (`None`) the instance's own attribute `name`, in the instance's
/// critical section. A name the shared keys cannot take (full, or not a str that can be
/// interned) moves the instance to a dict. Deleting a missing attribute is an
/// `AttributeError`.
fn instance_set(
    obj: &Object,
    attrs: &InlineValues,
    name: &Object,
    value: Option<ObjRef>,
) -> Result<()> {
    let missing = || {
        attr_error(format!(
            "'{}' object has no attribute '{}'",
            tname(obj),
            crate::core::str_of(name)
        ))
    };
    let set_in_dict = |d: &ObjRef, value: Option<ObjRef>| {
        let d = Dict::of(d).expect("instance dict");
        match value {
            Some(v) => d.set_item(name.to_ref(), v),
            None => d.del_item(name).map_err(|_| missing()),
        }
    };
    if let Some(d) = attrs.dict() {
        return set_in_dict(d, value);
    }
    let key = canonical_name(name);
    let keys = &type_ext(obj.ty()).keys;
    let index = match value {
        Some(_) => keys.index_or_add(key),
        None => keys.index(key),
    };
    let mut garbage = None;
    let r = obj.with_lock(|| match (attrs.dict(), index) {
        (Some(d), _) => set_in_dict(d, value),
        (None, Some(i)) => {
            let deleting = value.is_none();
            let replaced = attrs.set(obj, i, value);
            garbage = replaced.garbage;
            if !replaced.was_set && deleting {
                return Err(missing());
            }
            Ok(())
        }
        (None, None) if value.is_none() => Err(missing()),
        (None, None) => set_in_dict(&materialize(obj, attrs), value),
    });
    // Dropped outside the critical section: a drop can run `__del__`.
    drop(garbage);
    r
}

/// `object.__getattribute__`: data descriptors, the instance dict, then class attributes.
pub fn generic_getattr(obj: &Object, name: &Object) -> Result<ObjRef> {
    let n = check_name(name)?;
    let ty = static_type(obj.ty());
    if n == "__class__" {
        return Ok(ty.as_object().to_ref());
    }
    let attr = lookup(ty, name)?;
    if let Some(a) = &attr
        && is_data_descr(a)?
    {
        return descr_get(a, Some(obj), ty);
    }
    if let Some(attrs) = instance_attrs(obj) {
        if let Some(v) = instance_get(obj, attrs, name)? {
            return Ok(v);
        }
        if n == "__dict__" {
            return Ok(instance_dict(obj, attrs));
        }
    }
    if let Some(a) = &attr {
        return descr_get(a, Some(obj), ty);
    }
    Err(attr_error(format!(
        "'{}' object has no attribute '{}'",
        tname(obj),
        n
    )))
}

fn type_getattr(t: &'static TypeObject, name: &Object) -> Result<ObjRef> {
    let n = check_name(name)?;
    let e = type_ext(t);
    match n {
        "__name__" => return Ok(str_obj(t.name)),
        "__qualname__" => return Ok(str_obj(e.qualname.as_deref().unwrap_or(t.name))),
        "__module__" => {
            if let Some(m) = type_dict(t).get(name)? {
                return Ok(m);
            }
            return Ok(str_obj(e.module.as_deref().unwrap_or("builtins")));
        }
        "__mro__" => {
            return Ok(new_tuple(
                t.mro().iter().map(|x| x.as_object().to_ref()).collect(),
            ));
        }
        "__bases__" => {
            return Ok(new_tuple(
                e.bases.iter().map(|x| x.as_object().to_ref()).collect(),
            ));
        }
        "__base__" => {
            return Ok(match t.base {
                Some(b) => b.as_object().to_ref(),
                None => none().to_ref(),
            });
        }
        "__dict__" => return Ok(Dict::of(&e.dict).expect("type dict").copy()),
        "__doc__" => {
            return Ok(type_dict(t).get(name)?.unwrap_or_else(|| none().to_ref()));
        }
        "__class__" => return Ok(t.as_object().ty().as_object().to_ref()),
        _ => {}
    }
    // The metaclass's attribute: a data descriptor there wins over the class's own (`type`'s
    // own data descriptors are the special names handled above).
    let meta = static_type(t.as_object().ty());
    let meta_attr = if meta.is_heap() {
        lookup(meta, name)?
    } else {
        None
    };
    if let Some(a) = &meta_attr
        && is_data_descr(a)?
    {
        return descr_get(a, Some(t.as_object()), meta);
    }
    if let Some(a) = lookup(t, name)? {
        return descr_get(&a, None, t);
    }
    let meta_attr = match meta_attr {
        Some(a) => Some(a),
        None if !meta.is_heap() => lookup(meta, name)?,
        None => None,
    };
    if let Some(a) = meta_attr {
        return descr_get(&a, Some(t.as_object()), meta);
    }
    Err(attr_error(format!(
        "type object '{}' has no attribute '{}'",
        t.name, n
    )))
}

/// `obj.name = value`.
pub fn setattr(obj: &Object, name: &Object, value: ObjRef) -> Result<()> {
    set_or_del(obj, name, Some(value))
}

/// `del obj.name`.
pub fn delattr(obj: &Object, name: &Object) -> Result<()> {
    set_or_del(obj, name, None)
}

fn set_or_del(obj: &Object, name: &Object, value: Option<ObjRef>) -> Result<()> {
    check_name(name)?;
    if let Some(f) = obj.ty().slots.setattr {
        return f(obj, name, value.as_deref());
    }
    if let Some(t) = as_type(obj) {
        return type_setattr(static_type(t), name, value);
    }
    let hook = if value.is_some() {
        "__setattr__"
    } else {
        "__delattr__"
    };
    if let Some(f) = user_hook(obj.ty(), hook)? {
        let mut args = vec![name.to_ref()];
        args.extend(value);
        call_unbound(&f, obj, &args, &[])?;
        return Ok(());
    }
    generic_setattr(obj, name, value)
}

fn type_setattr(t: &'static TypeObject, name: &Object, value: Option<ObjRef>) -> Result<()> {
    let n = check_name(name)?;
    if !t.is_heap() {
        return type_err(format!(
            "cannot set '{n}' attribute of immutable type '{}'",
            t.name
        ));
    }
    if matches!(
        n,
        "__name__" | "__qualname__" | "__mro__" | "__bases__" | "__base__" | "__dict__"
    ) {
        return type_err(format!("cannot set '{n}' attribute of type '{}'", t.name));
    }
    match value {
        Some(v) => crate::core::set_type_attr_obj(t, name.to_ref(), v),
        None => crate::core::del_type_attr(t, name)
            .map_err(|_| attr_error(format!("type object '{}' has no attribute '{n}'", t.name))),
    }
}

/// `object.__setattr__` / `object.__delattr__` (`value` = `None`): data descriptors, then the
/// instance dict.
pub fn generic_setattr(obj: &Object, name: &Object, value: Option<ObjRef>) -> Result<()> {
    let n = check_name(name)?;
    let ty = static_type(obj.ty());
    let attr = lookup(ty, name)?;
    if let Some(a) = &attr {
        if let Some(p) = a.downcast::<Property>() {
            return p.set(obj, value);
        }
        if let Some(m) = a.downcast::<Member>() {
            return m.set(obj, value);
        }
        if let Some(g) = a.downcast::<GetSet>() {
            return match g.set {
                Some(s) => s(obj, value.as_deref()),
                None => Err(attr_error(format!(
                    "attribute '{}' of '{}' objects is not writable",
                    g.name, g.owner
                ))),
            };
        }
        if a.ty().is_heap() {
            let hook = if value.is_some() {
                "__set__"
            } else {
                "__delete__"
            };
            if let Some(f) = lookup_str(a.ty(), hook)? {
                let mut args = vec![obj.to_ref()];
                args.extend(value);
                call_unbound(&f, a, &args, &[])?;
                return Ok(());
            }
        }
    }
    if n == "__class__" {
        return match value {
            Some(v) => set_class(obj, &v),
            None => type_err("can't delete __class__ attribute"),
        };
    }
    if let Some(attrs) = instance_attrs(obj) {
        if n == "__dict__" {
            return type_err("__dict__ assignment is not supported");
        }
        return instance_set(obj, attrs, name, value);
    }
    if attr.is_some() && !obj.ty().stores::<Instance>() && !obj.ty().is_heap() {
        return Err(attr_error(format!(
            "'{}' object attribute '{n}' is read-only",
            tname(obj)
        )));
    }
    Err(attr_error(format!(
        "'{}' object has no attribute '{n}'",
        tname(obj)
    )))
}

/// `obj.__class__ = cls`, with CPython's rules: `cls` must be a class, both the old and the new
/// class must be made by class statements, and their instances must have the same layout
/// (here: both plain instances with the same `__slots__`). An instance keeping its attributes
/// inline (under the old class's shared keys) moves them to its own dict first, since the
/// new class's keys number names differently.
fn set_class(obj: &Object, value: &Object) -> Result<()> {
    let Some(new) = as_type(value) else {
        return type_err(format!(
            "__class__ must be set to a class, not '{}' object",
            tname(value)
        ));
    };
    let new = static_type(new);
    let old = static_type(obj.ty());
    if !new.is_heap() || !old.is_heap() {
        return type_err(
            "__class__ assignment only supported for mutable types or ModuleType subclasses",
        );
    }
    let same_slots = |a: &'static TypeObject, b: &'static TypeObject| {
        let slots = |t: &'static TypeObject| {
            t.mro()
                .iter()
                .find_map(|c| type_ext(c).slot_names.clone())
                .unwrap_or_default()
        };
        slots(a) == slots(b) && type_ext(a).slot_names.is_some() == type_ext(b).slot_names.is_some()
    };
    let exception_state =
        |t: &'static TypeObject| crate::exceptions::is_exception_type(t.as_object());
    if !(old.stores::<Instance>()
        && new.stores::<Instance>()
        && same_slots(old, new)
        && exception_state(old) == exception_state(new))
    {
        return type_err(format!(
            "__class__ assignment: '{}' object layout differs from '{}'",
            new.name, old.name
        ));
    }
    if let Some(attrs) = instance_attrs(obj) {
        instance_dict(obj, attrs);
    }
    // SAFETY: both types store `Instance` (checked above) and types are immortal.
    unsafe { obj.set_type(new) };
    Ok(())
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
    let ty = obj.ty();
    if ty.slots.getattr.is_some() || as_type(obj).is_some() || as_str(name).is_none() {
        return getattr(obj, name).map(Method::Value);
    }
    if user_hook(ty, "__getattribute__")?.is_some() {
        return getattr(obj, name).map(Method::Value);
    }
    if let Some(a) = lookup(ty, name)?
        && is_plain_method(&a)
    {
        if let Some(attrs) = instance_attrs(obj)
            && let Some(v) = instance_get(obj, attrs, name)?
        {
            return Ok(Method::Value(v));
        }
        return Ok(Method::Unbound(a));
    }
    getattr(obj, name).map(Method::Value)
}

/// `dir(obj)`: the sorted attribute names (instance dict, class and bases; for a type, its
/// MRO's dicts; for a module, its namespace).
pub fn dir(obj: &Object) -> Result<Vec<String>> {
    if as_type(obj).is_none()
        && let Some(f) = user_hook(obj.ty(), "__dir__")?
    {
        let r = call_unbound(&f, obj, &[], &[])?;
        let mut names = Vec::new();
        for x in crate::ops::collect(&r)? {
            names.push(x.str()?);
        }
        names.sort();
        return Ok(names);
    }
    dir_default(obj)
}

/// `object.__dir__`: the names of the instance dict and the class's MRO dicts, sorted.
pub fn dir_default(obj: &Object) -> Result<Vec<String>> {
    fn add_keys(names: &mut Vec<String>, d: &Object) {
        if let Some(d) = Dict::of(d) {
            names.extend(
                d.keys_vec()
                    .iter()
                    .filter_map(|k| as_str(k).map(str::to_owned)),
            );
        }
    }
    let mut names: Vec<String> = Vec::new();
    if let Some(m) = obj.downcast::<Module>() {
        add_keys(&mut names, &m.dict);
    } else if let Some(t) = as_type(obj) {
        for x in static_type(t).mro() {
            add_keys(&mut names, &type_ext(x).dict);
        }
    } else {
        if let Some(attrs) = instance_attrs(obj) {
            match attrs.dict() {
                Some(d) => add_keys(&mut names, d),
                None => {
                    let keys = &type_ext(obj.ty()).keys;
                    for (i, _) in attrs.items(obj) {
                        names.push(crate::core::str_of(keys.name(i)).to_owned());
                    }
                }
            }
        }
        for x in static_type(obj.ty()).mro() {
            add_keys(&mut names, &type_ext(x).dict);
        }
        names.push("__class__".into());
    }
    names.sort();
    names.dedup();
    Ok(names)
}
