//! The `slice` type and the `Ellipsis` singleton.

use weft_object::{
    CompareOp, ObjRef, Object, Payload, PyObj, Slots, TypeObject, not_implemented,
    types::OBJECT_TYPE,
};

use super::util::{is_none, none_ref};
use crate::core::{Args, Result, str_of, tuple, type_err};

/// A `slice` object: `start`, `stop`, `step` (any objects, usually ints or `None`).
pub struct PySlice {
    /// `start`.
    pub start: ObjRef,
    /// `stop`.
    pub stop: ObjRef,
    /// `step`.
    pub step: ObjRef,
}

impl Payload for PySlice {
    fn type_object() -> &'static TypeObject {
        &SLICE_TYPE
    }
}

/// `slice`
pub static SLICE_TYPE: TypeObject = TypeObject::new_static::<PySlice>(
    "slice",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(slice_repr),
        richcompare: Some(slice_richcompare),
        getattr: Some(slice_getattr),
        ..Slots::EMPTY
    },
);

fn slice_of(o: &Object) -> &PySlice {
    o.downcast::<PySlice>().expect("slice slot on a non-slice")
}

fn slice_repr(o: &Object) -> Result<String> {
    let s = slice_of(o);
    Ok(format!(
        "slice({}, {}, {})",
        s.start.repr()?,
        s.stop.repr()?,
        s.step.repr()?
    ))
}

fn as_tuple3(s: &PySlice) -> ObjRef {
    tuple(vec![s.start.clone(), s.stop.clone(), s.step.clone()])
}

fn slice_richcompare(a: &Object, b: &Object, op: CompareOp) -> Result<ObjRef> {
    let Some(y) = b.downcast::<PySlice>() else {
        return Ok(not_implemented().to_ref());
    };
    as_tuple3(slice_of(a)).compare(&as_tuple3(y), op)
}

fn slice_getattr(o: &Object, name: &Object) -> Result<ObjRef> {
    let s = slice_of(o);
    match str_of(name) {
        "start" => Ok(s.start.clone()),
        "stop" => Ok(s.stop.clone()),
        "step" => Ok(s.step.clone()),
        _ => crate::attr::generic_getattr(o, name),
    }
}

/// `slice(stop)` / `slice(start, stop[, step])`.
pub fn slice_new(args: &Args<'_>) -> Result<ObjRef> {
    let a = super::util::rest(args);
    a.check("slice", 1, 3)?;
    let p = a.pos();
    let (start, stop, step) = match p.len() {
        1 => (none_ref(), p[0].clone(), none_ref()),
        2 => (p[0].clone(), p[1].clone(), none_ref()),
        _ => (p[0].clone(), p[1].clone(), p[2].clone()),
    };
    Ok(ObjRef::new(PySlice { start, stop, step }))
}

/// `slice.indices(length)`.
pub fn slice_indices(args: &Args<'_>) -> Result<ObjRef> {
    super::util::mcheck(args, "slice", "indices", 1, 1)?;
    let Some(s) = args.all[0].downcast::<PySlice>() else {
        return type_err("descriptor 'indices' for 'slice' objects doesn't apply to this object");
    };
    let len = super::util::index_int(&args.all[1])?;
    if len.is_negative() {
        return Err(weft_object::PyErr::value_error(
            "length should not be negative",
        ));
    }
    let len = len
        .to_usize()
        .unwrap_or(isize::MAX as usize)
        .min(isize::MAX as usize);
    let sl = make_slice(&s.start, &s.stop, &s.step)?;
    let ix = sl.indices(len)?;
    Ok(tuple(vec![
        weft_object::int_from_i64(ix.start),
        weft_object::int_from_i64(ix.stop),
        weft_object::int_from_i64(ix.step),
    ]))
}

/// Resolves a slice object to integer bounds.
pub(crate) fn resolve(o: &Object) -> Option<Result<weft_containers::Slice>> {
    let s = o.downcast::<PySlice>()?;
    if is_none(&s.start) && is_none(&s.stop) && is_none(&s.step) {
        return Some(Ok(weft_containers::Slice::default()));
    }
    Some(make_slice(&s.start, &s.stop, &s.step))
}

/// A [`Slice`](weft_containers::Slice) from three bound objects.
fn make_slice(start: &Object, stop: &Object, step: &Object) -> Result<weft_containers::Slice> {
    use super::util::slice_bound;
    Ok(weft_containers::Slice::new(
        slice_bound(start)?,
        slice_bound(stop)?,
        slice_bound(step)?,
    ))
}

/// `ellipsis`
pub static ELLIPSIS_TYPE: TypeObject = TypeObject::new_static::<()>(
    "ellipsis",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(|_| Ok("Ellipsis".into())),
        hash: Some(|o| Ok((o.id() as i64) >> 4)),
        ..Slots::EMPTY
    },
);

/// The `Ellipsis` singleton.
pub static ELLIPSIS: PyObj<()> = PyObj::immortal((), &ELLIPSIS_TYPE);
