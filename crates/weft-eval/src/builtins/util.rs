//! Small helpers shared by the builtins and the methods of the builtin types: argument
//! conversion (`__index__`), iteration over any iterable, and object creation for subtypes.

use weft_containers::List;
use weft_containers::tuple::as_tuple;
use weft_object::scalar::int::Int;
use weft_object::types::{PyStr, as_type};
use weft_object::{ExcKind, ObjRef, Object, Payload, PyErr, TypeObject};

use crate::core::{Result, lookup_str, static_type, tname, type_err};

/// The int value of `o` through `__index__` (ints and bools directly).
/// `TypeError: 'float' object cannot be interpreted as an integer` otherwise.
pub(crate) fn index_int(o: &Object) -> Result<Int> {
    match try_index(o)? {
        Some(i) => Ok(i),
        None => type_err(format!(
            "'{}' object cannot be interpreted as an integer",
            tname(o)
        )),
    }
}

/// `Some(int)` if `o` is an int or has `__index__`; `None` if it has neither.
pub(crate) fn try_index(o: &Object) -> Result<Option<Int>> {
    if let Some(i) = o.downcast::<Int>() {
        return Ok(Some(i.clone()));
    }
    if let Some(m) = lookup_str(o.ty(), "__index__")? {
        let r = crate::call::call(&m, &[o.to_ref()], &[])?;
        return match r.downcast::<Int>() {
            Some(i) => Ok(Some(i.clone())),
            None => type_err(format!("__index__ returned non-int (type {})", tname(&r))),
        };
    }
    Ok(None)
}

/// `o` as an `i64` through `__index__`; `OverflowError` when it does not fit.
pub(crate) fn index_i64(o: &Object) -> Result<i64> {
    let i = index_int(o)?;
    i.as_i64().ok_or_else(|| {
        PyErr::new(
            ExcKind::OverflowError,
            "Python int too large to convert to C ssize_t",
        )
    })
}

/// `o` as an `i64` through `__index__`, clamped to the `i64` range (slice bounds).
pub(crate) fn index_clamped(o: &Object) -> Result<i64> {
    let i = index_int(o)?;
    Ok(clamp_int(&i))
}

/// `i` clamped to the `i64` range.
pub(crate) fn clamp_int(i: &Int) -> i64 {
    match i.as_i64() {
        Some(v) => v,
        None if i.is_negative() => i64::MIN,
        None => i64::MAX,
    }
}

/// A slice bound: `None` → `None`, else its index value clamped to the `i64` range.
pub(crate) fn slice_bound(o: &Object) -> Result<Option<i64>> {
    if is_none(o) {
        return Ok(None);
    }
    match try_index(o)? {
        Some(i) => Ok(Some(clamp_int(&i))),
        None => type_err("slice indices must be integers or None or have an __index__ method"),
    }
}

/// An optional slice-like bound argument: absent or `None` → `None`, else its index value
/// clamped (`str.find(sub, start, end)`).
pub(crate) fn opt_bound(o: Option<&ObjRef>) -> Result<Option<isize>> {
    match o {
        None => Ok(None),
        Some(o) => Ok(slice_bound(o)?.map(|v| v as isize)),
    }
}

/// Calls the special method `name` of `o`'s type with `o` and `extra`, if it exists.
pub(crate) fn call_special(o: &Object, name: &str, extra: &[ObjRef]) -> Result<Option<ObjRef>> {
    match lookup_str(o.ty(), name)? {
        Some(m) => {
            let mut a = Vec::with_capacity(extra.len() + 1);
            a.push(o.to_ref());
            a.extend_from_slice(extra);
            crate::call::call(&m, &a, &[]).map(Some)
        }
        None => Ok(None),
    }
}

/// The bytes of an iterable of ints (`bytes([1, 2])`, `int.from_bytes([1, 2])`):
/// `ValueError: bytes must be in range(0, 256)` for any other value.
pub(crate) fn bytes_from_ints(o: &Object) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for x in collect(o)? {
        match index_int(&x)?.as_i64() {
            Some(v) if (0..256).contains(&v) => out.push(v as u8),
            _ => return Err(PyErr::value_error("bytes must be in range(0, 256)")),
        }
    }
    Ok(out)
}

/// Whether `o` is `None`.
pub(crate) fn is_none(o: &Object) -> bool {
    o.is(weft_object::none())
}

/// `None` as an owned reference.
pub(crate) fn none_ref() -> ObjRef {
    weft_object::none().to_ref()
}

/// Calls `f` on every item of the iterable `o` until it returns `false`. An exact dict, set,
/// frozenset or dict view is read as one consistent copy first (`sum(d.values())`,
/// `max(s)`, `str.join(d)` see one state of it while other threads mutate it; see
/// [`crate::ops::container_snapshot`]); [`for_each_lazy`] iterates them instead.
pub(crate) fn for_each(o: &Object, mut f: impl FnMut(ObjRef) -> Result<bool>) -> Result<()> {
    if let Some(items) = crate::ops::container_snapshot(o) {
        for x in items {
            if !f(x)? {
                break;
            }
        }
        return Ok(());
    }
    for_each_lazy(o, f)
}

/// [`for_each`] without the copy of dicts and sets: for loops that usually stop early
/// (`any`, `all`), which iterate like a `for` loop.
pub(crate) fn for_each_lazy(o: &Object, mut f: impl FnMut(ObjRef) -> Result<bool>) -> Result<()> {
    if let Some(t) = as_tuple(o) {
        for x in t.as_slice() {
            if !f(x.clone())? {
                break;
            }
        }
        return Ok(());
    }
    if let Some(l) = List::of(o) {
        let mut i = 0;
        while let Some(x) = l.get_index(i) {
            if !f(x)? {
                break;
            }
            i += 1;
        }
        return Ok(());
    }
    let it = crate::ops::iter(o)?;
    while let Some(x) = crate::ops::next(&it)? {
        if !f(x)? {
            break;
        }
    }
    Ok(())
}

pub(crate) use crate::ops::collect;

/// The call's arguments without the first one (a constructor's type object, a method's
/// `self`).
pub(crate) fn rest<'a>(args: &crate::core::Args<'a>) -> crate::core::Args<'a> {
    crate::core::Args {
        all: &args.all[1..],
        kwnames: args.kwnames,
    }
}

/// The type object `args.all[0]` of a constructor call.
pub(crate) fn ctor_type(o: &Object) -> &'static TypeObject {
    static_type(as_type(o).unwrap_or(o.ty()))
}

/// A new object holding `value`, of type `ty` when `ty` stores a `T` (a subtype of a builtin
/// type), else of `T`'s own type.
pub(crate) fn new_of<T: Payload>(ty: &'static TypeObject, value: T) -> ObjRef {
    if ty.stores::<T>() {
        ObjRef::with_type(value, ty)
    } else {
        ObjRef::new(value)
    }
}

/// The text of a str argument, or `TypeError: <what> must be str, not int`.
pub(crate) fn str_arg<'a>(o: &'a Object, what: &str) -> Result<&'a str> {
    match o.downcast::<PyStr>() {
        Some(s) => Ok(s.as_str()),
        None => type_err(format!("{what} must be str, not {}", tname(o))),
    }
}

/// Whether `o` is exactly of type `ty` (not a subtype).
pub(crate) fn is_exact(o: &Object, ty: &TypeObject) -> bool {
    std::ptr::eq(o.ty(), ty)
}

/// An `int` object.
pub(crate) fn int_ref(i: Int) -> ObjRef {
    weft_object::int_obj(i)
}

/// An `int` object from a `usize`.
pub(crate) fn usize_ref(n: usize) -> ObjRef {
    weft_object::int_from_i64(n as i64)
}

/// Checks a builtin method's argument count, `self` excluded: between `min` and `max`
/// arguments after `self` and no keywords, with CPython's messages (`str.upper() takes no
/// arguments (1 given)`, `list.append() takes exactly one argument (0 given)`, `insert
/// expected 2 arguments, got 1`).
pub(crate) fn mcheck(
    a: &crate::core::Args<'_>,
    owner: &str,
    name: &str,
    min: usize,
    max: usize,
) -> Result<()> {
    if !a.kwnames.is_empty() {
        return type_err(format!("{owner}.{name}() takes no keyword arguments"));
    }
    let n = a.all.len().saturating_sub(1);
    if n >= min && n <= max {
        return Ok(());
    }
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    let msg = if min == max && min == 0 {
        format!("{owner}.{name}() takes no arguments ({n} given)")
    } else if min == max && min == 1 {
        format!("{owner}.{name}() takes exactly one argument ({n} given)")
    } else if min == max {
        format!("{name} expected {min} argument{}, got {n}", plural(min))
    } else if n < min {
        format!(
            "{name} expected at least {min} argument{}, got {n}",
            plural(min)
        )
    } else {
        format!(
            "{name} expected at most {max} argument{}, got {n}",
            plural(max)
        )
    };
    type_err(msg)
}
