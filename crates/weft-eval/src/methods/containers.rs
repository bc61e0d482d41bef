//! Methods of `list`, `tuple`, `dict`, `set` and `frozenset`.

use weft_containers::dict::{self, DICT_TYPE, Dict};
use weft_containers::set::{FROZENSET_TYPE, SET_TYPE, Set};
use weft_containers::{LIST_TYPE, List, TUPLE_TYPE};
use weft_object::{ObjRef, Object, PyErr, bool_obj};

use crate::builtins::util::{index_i64, is_exact, mcheck, none_ref, opt_bound, usize_ref};
use crate::core::{Args, NativeFn, Result, add_classmethod, add_method, tname, tuple, type_err};

fn descr_err<T>(name: &str, ty: &str, o: &Object) -> Result<T> {
    type_err(format!(
        "descriptor '{name}' for '{ty}' objects doesn't apply to a '{}' object",
        tname(o)
    ))
}

// ----- list ----------------------------------------------------------------------------------

fn lst<'a>(a: &Args<'a>, name: &str) -> Result<List<'a>> {
    match List::of(&a.all[0]) {
        Some(l) => Ok(l),
        None => descr_err(name, "list", &a.all[0]),
    }
}

fn list_append(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "list", "append", 1, 1)?;
    lst(a, "append")?.append(a.all[1].clone())?;
    Ok(none_ref())
}

fn list_extend(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "list", "extend", 1, 1)?;
    lst(a, "extend")?.extend(&a.all[1])?;
    Ok(none_ref())
}

fn list_insert(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "list", "insert", 2, 2)?;
    let i = crate::builtins::util::index_clamped(&a.all[1])?;
    lst(a, "insert")?.insert(i, a.all[2].clone())?;
    Ok(none_ref())
}

fn list_pop(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "list", "pop", 0, 1)?;
    let i = match a.all.get(1) {
        Some(i) => Some(index_i64(i)?),
        None => None,
    };
    lst(a, "pop")?.pop(i)
}

fn list_remove(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "list", "remove", 1, 1)?;
    lst(a, "remove")?.remove(&a.all[1])?;
    Ok(none_ref())
}

fn list_index(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "list", "index", 1, 3)?;
    let st = opt_bound(a.all.get(2))?.map(|v| v as i64);
    let en = opt_bound(a.all.get(3))?.map(|v| v as i64);
    Ok(usize_ref(lst(a, "index")?.index(&a.all[1], st, en)?))
}

fn list_count(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "list", "count", 1, 1)?;
    Ok(usize_ref(lst(a, "count")?.count(&a.all[1])?))
}

fn list_sort(a: &Args<'_>) -> Result<ObjRef> {
    if a.pos().len() > 1 {
        return type_err("sort() takes no positional arguments");
    }
    a.only_kwargs("sort", &["key", "reverse"])?;
    let l = lst(a, "sort")?;
    crate::builtins::sort_list_pub(l, a.get_kw("key"), a.get_kw("reverse"))?;
    Ok(none_ref())
}

fn list_reverse(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "list", "reverse", 0, 0)?;
    lst(a, "reverse")?.reverse();
    Ok(none_ref())
}

fn list_copy(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "list", "copy", 0, 0)?;
    Ok(lst(a, "copy")?.copy())
}

fn list_reversed(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "list", "__reversed__", 0, 0)?;
    lst(a, "__reversed__")?;
    Ok(weft_containers::iter::list_reversed(&a.all[0]))
}

fn dict_reversed(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "dict", "__reversed__", 0, 0)?;
    let mut keys = dct(a, "__reversed__")?.keys_vec();
    keys.reverse();
    Ok(weft_containers::iter::list_iter(
        &weft_containers::new_list(keys),
    ))
}

fn list_clear(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "list", "clear", 0, 0)?;
    lst(a, "clear")?.clear();
    Ok(none_ref())
}

// ----- tuple ---------------------------------------------------------------------------------

fn tuple_count(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "tuple", "count", 1, 1)?;
    if weft_containers::tuple::as_tuple(&a.all[0]).is_none() {
        return descr_err("count", "tuple", &a.all[0]);
    }
    Ok(usize_ref(weft_containers::tuple::tuple_count(
        &a.all[0], &a.all[1],
    )?))
}

fn tuple_index(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "tuple", "index", 1, 3)?;
    if weft_containers::tuple::as_tuple(&a.all[0]).is_none() {
        return descr_err("index", "tuple", &a.all[0]);
    }
    let st = opt_bound(a.all.get(2))?.map(|v| v as i64);
    let en = opt_bound(a.all.get(3))?.map(|v| v as i64);
    Ok(usize_ref(weft_containers::tuple::tuple_index(
        &a.all[0], &a.all[1], st, en,
    )?))
}

// ----- dict ----------------------------------------------------------------------------------

fn dct<'a>(a: &Args<'a>, name: &str) -> Result<Dict<'a>> {
    match Dict::of(&a.all[0]) {
        Some(d) => Ok(d),
        None => descr_err(name, "dict", &a.all[0]),
    }
}

fn dict_get(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "dict", "get", 1, 2)?;
    let d = dct(a, "get")?;
    Ok(d.get(&a.all[1])?
        .unwrap_or_else(|| a.all.get(2).cloned().unwrap_or_else(none_ref)))
}

fn dict_setdefault(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "dict", "setdefault", 1, 2)?;
    let d = dct(a, "setdefault")?;
    let default = a.all.get(2).cloned().unwrap_or_else(none_ref);
    d.setdefault(&a.all[1], &default)
}

fn dict_pop(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "dict", "pop", 1, 2)?;
    let d = dct(a, "pop")?;
    d.pop(&a.all[1], a.all.get(2).map(|o| &**o))
}

fn dict_popitem(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "dict", "popitem", 0, 0)?;
    let (k, v) = dct(a, "popitem")?.popitem().map_err(|e| {
        if e.kind == weft_object::ExcKind::KeyError && e.arg.is_none() && e.object.is_none() {
            PyErr::new(
                weft_object::ExcKind::KeyError,
                "popitem(): dictionary is empty",
            )
        } else {
            e
        }
    })?;
    Ok(tuple(vec![k, v]))
}

fn dict_update(a: &Args<'_>) -> Result<ObjRef> {
    let d = dct(a, "update")?;
    let n = a.pos().len();
    if n > 2 {
        return type_err(format!("update expected at most 1 argument, got {}", n - 1));
    }
    if n == 2 {
        crate::builtins::dict_fill_pub(d, &a.all[1])?;
    }
    for (k, v) in a.kw() {
        d.set_item(weft_object::intern(k).to_ref(), v.clone())?;
    }
    Ok(none_ref())
}

fn dict_keys(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "dict", "keys", 0, 0)?;
    Ok(dct(a, "keys")?.keys())
}

fn dict_values(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "dict", "values", 0, 0)?;
    Ok(dct(a, "values")?.values())
}

fn dict_items(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "dict", "items", 0, 0)?;
    Ok(dct(a, "items")?.items())
}

fn dict_copy(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "dict", "copy", 0, 0)?;
    Ok(dct(a, "copy")?.copy())
}

fn dict_clear(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "dict", "clear", 0, 0)?;
    dct(a, "clear")?.clear();
    Ok(none_ref())
}

fn dict_fromkeys(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "dict", "fromkeys", 1, 2)?;
    let p = &a.all[1..];
    let value = p.get(1).cloned().unwrap_or_else(none_ref);
    let cls = &a.all[0];
    let is_dict = weft_object::types::as_type(cls).is_some_and(|t| std::ptr::eq(t, &DICT_TYPE));
    let d = if is_dict {
        dict::new()
    } else {
        crate::call::call0(cls)?
    };
    match Dict::of(&d) {
        // A subclass may override __setitem__: only the exact type takes the fast path.
        Some(dd) if is_exact(&d, &DICT_TYPE) => {
            crate::builtins::util::for_each(&p[0], |k| {
                dd.set_item(k, value.clone())?;
                Ok(true)
            })?;
        }
        _ => {
            crate::builtins::util::for_each(&p[0], |k| {
                crate::ops::setitem(&d, &k, value.clone())?;
                Ok(true)
            })?;
        }
    }
    Ok(d)
}

// ----- set / frozenset -----------------------------------------------------------------------

fn st<'a>(a: &Args<'a>, name: &str) -> Result<Set<'a>> {
    match Set::of(&a.all[0]) {
        Some(s) => Ok(s),
        None => descr_err(name, "set", &a.all[0]),
    }
}

fn set_add(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "set", "add", 1, 1)?;
    st(a, "add")?.add(&a.all[1])?;
    Ok(none_ref())
}

fn set_discard(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "set", "discard", 1, 1)?;
    st(a, "discard")?.discard(&a.all[1])?;
    Ok(none_ref())
}

fn set_remove(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "set", "remove", 1, 1)?;
    st(a, "remove")?.remove(&a.all[1])?;
    Ok(none_ref())
}

fn set_pop(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "set", "pop", 0, 0)?;
    st(a, "pop")?.pop().map_err(|e| {
        if e.kind == weft_object::ExcKind::KeyError && e.arg.is_none() && e.object.is_none() {
            PyErr::new(weft_object::ExcKind::KeyError, "pop from an empty set")
        } else {
            e
        }
    })
}

fn set_clear(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "set", "clear", 0, 0)?;
    st(a, "clear")?.clear()?;
    Ok(none_ref())
}

fn set_copy(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "set", "copy", 0, 0)?;
    st(a, "copy")?.copy()
}

fn set_update(a: &Args<'_>) -> Result<ObjRef> {
    a.no_kwargs("update")?;
    let s = st(a, "update")?;
    for o in &a.all[1..] {
        s.update(o)?;
    }
    Ok(none_ref())
}

/// `s.op(*others)` returning a new set.
fn multi(a: &Args<'_>, name: &str, f: fn(Set<'_>, &Object) -> Result<ObjRef>) -> Result<ObjRef> {
    a.no_kwargs(name)?;
    let s = st(a, name)?;
    if a.all.len() == 1 {
        return s.copy();
    }
    let mut acc = f(s, &a.all[1])?;
    for o in &a.all[2..] {
        let next = f(Set::of(&acc).expect("set result"), o)?;
        acc = next;
    }
    Ok(acc)
}

fn set_union(a: &Args<'_>) -> Result<ObjRef> {
    multi(a, "union", |s, o| s.union(o))
}

fn set_intersection(a: &Args<'_>) -> Result<ObjRef> {
    multi(a, "intersection", |s, o| s.intersection(o))
}

fn set_difference(a: &Args<'_>) -> Result<ObjRef> {
    multi(a, "difference", |s, o| s.difference(o))
}

fn set_symmetric_difference(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "set", "symmetric_difference", 1, 1)?;
    st(a, "symmetric_difference")?.symmetric_difference(&a.all[1])
}

fn set_intersection_update(a: &Args<'_>) -> Result<ObjRef> {
    a.no_kwargs("intersection_update")?;
    let s = st(a, "intersection_update")?;
    for o in &a.all[1..] {
        s.intersection_update(o)?;
    }
    Ok(none_ref())
}

fn set_difference_update(a: &Args<'_>) -> Result<ObjRef> {
    a.no_kwargs("difference_update")?;
    let s = st(a, "difference_update")?;
    for o in &a.all[1..] {
        s.difference_update(o)?;
    }
    Ok(none_ref())
}

fn set_symmetric_difference_update(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "set", "symmetric_difference_update", 1, 1)?;
    st(a, "symmetric_difference_update")?.symmetric_difference_update(&a.all[1])?;
    Ok(none_ref())
}

fn set_issubset(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "set", "issubset", 1, 1)?;
    Ok(bool_obj(st(a, "issubset")?.issubset(&a.all[1])?))
}

fn set_issuperset(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "set", "issuperset", 1, 1)?;
    Ok(bool_obj(st(a, "issuperset")?.issuperset(&a.all[1])?))
}

fn set_isdisjoint(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "set", "isdisjoint", 1, 1)?;
    Ok(bool_obj(st(a, "isdisjoint")?.isdisjoint(&a.all[1])?))
}

/// Installs the methods of the containers.
pub(super) fn install() {
    let list: &[(&'static str, NativeFn)] = &[
        ("append", list_append),
        ("extend", list_extend),
        ("insert", list_insert),
        ("pop", list_pop),
        ("remove", list_remove),
        ("index", list_index),
        ("count", list_count),
        ("sort", list_sort),
        ("reverse", list_reverse),
        ("copy", list_copy),
        ("clear", list_clear),
        ("__reversed__", list_reversed),
    ];
    for (n, f) in list {
        add_method(&LIST_TYPE, n, *f);
    }
    add_method(&TUPLE_TYPE, "count", tuple_count);
    add_method(&TUPLE_TYPE, "index", tuple_index);
    let dict: &[(&'static str, NativeFn)] = &[
        ("get", dict_get),
        ("setdefault", dict_setdefault),
        ("pop", dict_pop),
        ("popitem", dict_popitem),
        ("update", dict_update),
        ("keys", dict_keys),
        ("values", dict_values),
        ("items", dict_items),
        ("copy", dict_copy),
        ("clear", dict_clear),
        ("__reversed__", dict_reversed),
    ];
    for (n, f) in dict {
        add_method(&DICT_TYPE, n, *f);
    }
    add_classmethod(&DICT_TYPE, "fromkeys", dict_fromkeys);
    let both: &[(&'static str, NativeFn)] = &[
        ("copy", set_copy),
        ("union", set_union),
        ("intersection", set_intersection),
        ("difference", set_difference),
        ("symmetric_difference", set_symmetric_difference),
        ("issubset", set_issubset),
        ("issuperset", set_issuperset),
        ("isdisjoint", set_isdisjoint),
    ];
    for (n, f) in both {
        add_method(&SET_TYPE, n, *f);
        add_method(&FROZENSET_TYPE, n, *f);
    }
    let mutating: &[(&'static str, NativeFn)] = &[
        ("add", set_add),
        ("discard", set_discard),
        ("remove", set_remove),
        ("pop", set_pop),
        ("clear", set_clear),
        ("update", set_update),
        ("intersection_update", set_intersection_update),
        ("difference_update", set_difference_update),
        (
            "symmetric_difference_update",
            set_symmetric_difference_update,
        ),
    ];
    for (n, f) in mutating {
        add_method(&SET_TYPE, n, *f);
    }
}
