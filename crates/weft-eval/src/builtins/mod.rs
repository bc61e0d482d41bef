//! The `builtins` module: functions (`print`, `len`, `range`, ...), the builtin types under
//! their Python names, the exception classes, and the iterator types the functions return
//! (`range`, `enumerate`, `zip`, `map`, `filter`, `reversed`), plus `slice`.
//!
//! Submodules: [`range`] (the `range` type and its iterators), [`iters`] (`enumerate`, `zip`,
//! `map`, `filter`, `reversed`, `callable_iterator`), [`mod@slice`] (`slice`, `Ellipsis`),
//! `funcs` (the builtin functions) and `ctors` (the constructors of the builtin types).

use weft_containers::dict::Dict;
use weft_object::{ExcKind, ObjRef, Object, PyErr, TypeObject, intern, types};

use crate::core::{Global, Result, new_builtin, set_ctor};

mod ctors;
mod funcs;
pub mod iters;
pub mod range;
pub mod slice;
pub(crate) mod util;

/// The builtins namespace (a dict), made on first use. Immortal.
pub fn builtins_dict() -> &'static Object {
    static DICT: Global = Global::new();
    DICT.get(make_builtins)
}

fn make_builtins() -> ObjRef {
    crate::methods::install_all();
    install_ctors();
    let d = weft_containers::dict::new();
    let dict = Dict::of(&d).expect("dict");
    let set = |name: &str, v: ObjRef| {
        dict.set_item(intern(name).to_ref(), v)
            .expect("str keys never fail");
    };
    set("__name__", weft_object::str_obj("builtins"));
    set("__doc__", weft_object::none().to_ref());
    for (name, f) in funcs::FUNCTIONS {
        set(name, new_builtin(name, *f));
    }
    let type_names: &[&'static TypeObject] = &[
        &types::INT_TYPE,
        &types::FLOAT_TYPE,
        &types::STR_TYPE,
        &types::BOOL_TYPE,
        &types::BYTES_TYPE,
        &weft_containers::LIST_TYPE,
        &weft_containers::TUPLE_TYPE,
        &weft_containers::dict::DICT_TYPE,
        &weft_containers::set::SET_TYPE,
        &weft_containers::set::FROZENSET_TYPE,
        &range::RANGE_TYPE,
        &iters::ENUMERATE_TYPE,
        &iters::ZIP_TYPE,
        &iters::MAP_TYPE,
        &iters::FILTER_TYPE,
        &iters::REVERSED_TYPE,
        &slice::SLICE_TYPE,
    ];
    for t in type_names {
        set(t.name, t.as_object().to_ref());
    }
    set("Ellipsis", ellipsis().to_ref());
    set("NotImplemented", weft_object::not_implemented().to_ref());
    set("__debug__", weft_object::bool_obj(true));
    crate::class::add_builtins(&d);
    crate::exceptions::add_builtins(&d);
    d
}

/// Registers the constructors and the methods of the types defined here. Idempotent.
fn install_ctors() {
    use crate::core::add_method;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        set_ctor(&types::INT_TYPE, ctors::int_new);
        set_ctor(&types::FLOAT_TYPE, ctors::float_new);
        set_ctor(&types::STR_TYPE, ctors::str_new);
        set_ctor(&types::BOOL_TYPE, ctors::bool_new);
        set_ctor(&types::BYTES_TYPE, ctors::bytes_new);
        set_ctor(&weft_containers::LIST_TYPE, ctors::list_new);
        set_ctor(&weft_containers::TUPLE_TYPE, ctors::tuple_new);
        set_ctor(&weft_containers::dict::DICT_TYPE, ctors::dict_new);
        set_ctor(&weft_containers::set::SET_TYPE, ctors::set_new);
        set_ctor(&weft_containers::set::FROZENSET_TYPE, ctors::frozenset_new);
        set_ctor(&range::RANGE_TYPE, range::range_new);
        set_ctor(&iters::ENUMERATE_TYPE, iters::enumerate_new);
        set_ctor(&iters::ZIP_TYPE, iters::zip_new);
        set_ctor(&iters::MAP_TYPE, iters::map_new);
        set_ctor(&iters::FILTER_TYPE, iters::filter_new);
        set_ctor(&iters::REVERSED_TYPE, iters::reversed_new);
        set_ctor(&slice::SLICE_TYPE, slice::slice_new);
        add_method(&range::RANGE_TYPE, "count", range::range_count);
        add_method(&range::RANGE_TYPE, "index", range::range_index);
        add_method(&slice::SLICE_TYPE, "indices", slice::slice_indices);
        for t in [
            &range::RANGE_ITER_TYPE,
            &range::LONGRANGE_ITER_TYPE,
            &iters::ENUMERATE_TYPE,
            &iters::ZIP_TYPE,
            &iters::MAP_TYPE,
            &iters::FILTER_TYPE,
            &iters::REVERSED_TYPE,
            &iters::CALLABLE_ITER_TYPE,
            // The lower layers' iterators.
            &types::STR_ITER_TYPE,
            &types::BYTES_ITER_TYPE,
            &weft_containers::iter::TUPLE_ITER_TYPE,
            &weft_containers::iter::LIST_ITER_TYPE,
            &weft_containers::iter::LIST_REVITER_TYPE,
            &weft_containers::set::SET_ITER_TYPE,
            &weft_containers::dict::DICT_KEYITER_TYPE,
            &weft_containers::dict::DICT_VALUEITER_TYPE,
            &weft_containers::dict::DICT_ITEMITER_TYPE,
        ] {
            add_method(t, "__next__", dunder_next);
            add_method(t, "__iter__", dunder_iter);
        }
    });
}

/// `it.__next__()` for native iterators: the `next` slot, `StopIteration` when exhausted.
pub(crate) fn dunder_next(args: &crate::core::Args<'_>) -> Result<ObjRef> {
    util::mcheck(args, args.all[0].ty().name, "__next__", 0, 0)?;
    let it = &args.all[0];
    match it.ty().slots.next {
        Some(f) => match f(it)? {
            Some(x) => Ok(x),
            None => Err(PyErr::new(ExcKind::StopIteration, "")),
        },
        None => crate::core::type_err(format!("'{}' object is not an iterator", it.ty().name)),
    }
}

/// `it.__iter__()` for native iterators: the iterator itself.
pub(crate) fn dunder_iter(args: &crate::core::Args<'_>) -> Result<ObjRef> {
    util::mcheck(args, args.all[0].ty().name, "__iter__", 0, 0)?;
    Ok(args.all[0].clone())
}

/// The `Ellipsis` singleton.
pub fn ellipsis() -> &'static Object {
    &slice::ELLIPSIS
}

/// A new `slice(start, stop, step)` object (`BUILD_SLICE`).
pub fn new_slice(start: ObjRef, stop: ObjRef, step: ObjRef) -> ObjRef {
    ObjRef::new(slice::PySlice { start, stop, step })
}

/// The slice `o` resolved to integer bounds (indices via `__index__`), if `o` is a slice.
pub fn slice_of(o: &Object) -> Option<Result<weft_containers::Slice>> {
    slice::resolve(o)
}

pub(crate) use ctors::{
    decode as decode_pub, dict_fill as dict_fill_pub, encode as encode_pub,
    to_float as to_float_pub, to_int as to_int_pub,
};
pub(crate) use funcs::is_callable;
pub(crate) use funcs::sort_list as sort_list_pub;
