//! The builtin scalar types (`type`, `object`, `NoneType`, `NotImplementedType`, `int`,
//! `bool`, `float`, `str`, `bytes`) and their slots. The value semantics live in
//! [`crate::scalar`]; this module wraps them as objects.

use std::cmp::Ordering;
use weft_sync::shim::atomic::{AtomicI64, AtomicUsize, Ordering as AtomicOrdering};

use crate::error::{PyErr, PyResult};
use crate::object::{CompareOp, NumberSlots, ObjRef, Object, Payload, Slots, TypeObject};
use crate::scalar::int::{Int, PowResult};
use crate::scalar::{self, float};
use crate::singletons::{bool_obj, int_obj, not_implemented};

weft_sync::shim_static! {
    /// `type`
    pub static TYPE_TYPE: TypeObject = TypeObject::new_static::<TypeObject>(
        "type",
        Some(&OBJECT_TYPE),
        Slots {
            repr: Some(type_repr),
            ..Slots::EMPTY
        },
    );
}
weft_sync::shim_static! {
    /// `object`
    pub static OBJECT_TYPE: TypeObject = TypeObject::new_static::<()>("object", None, Slots::EMPTY);
}
weft_sync::shim_static! {
    /// `NoneType`
    pub static NONE_TYPE: TypeObject = TypeObject::new_static::<()>(
        "NoneType",
        Some(&OBJECT_TYPE),
        Slots {
            repr: Some(|_| Ok("None".into())),
            bool: Some(|_| Ok(false)),
            hash: Some(identity_hash),
            ..Slots::EMPTY
        },
    );
}
weft_sync::shim_static! {
    /// `NotImplementedType`
    pub static NOT_IMPLEMENTED_TYPE: TypeObject = TypeObject::new_static::<()>(
        "NotImplementedType",
        Some(&OBJECT_TYPE),
        Slots {
            repr: Some(|_| Ok("NotImplemented".into())),
            hash: Some(identity_hash),
            ..Slots::EMPTY
        },
    );
}

const INT_SLOTS: Slots = Slots {
    hash: Some(|o| Ok(int_of(o).hash())),
    // `str`/`repr` of an int obey the digit limit (`sys.set_int_max_str_digits`).
    repr: Some(|o| Ok(int_of(o).to_decimal_string()?)),
    richcompare: Some(int_richcompare),
    bool: Some(|o| Ok(int_of(o).to_bool())),
    number: NumberSlots {
        add: Some(|a, b| num_binary(a, b, |x, y| Ok(x.add(y)), |x, y| Ok(x + y))),
        sub: Some(|a, b| num_binary(a, b, |x, y| Ok(x.sub(y)), |x, y| Ok(x - y))),
        mul: Some(|a, b| num_binary(a, b, |x, y| Ok(x.mul(y)), |x, y| Ok(x * y))),
        floordiv: Some(|a, b| num_binary(a, b, |x, y| x.floordiv(y), float::floordiv)),
        modulo: Some(|a, b| num_binary(a, b, |x, y| x.modulo(y), float::modulo)),
        truediv: Some(num_truediv),
        pow: Some(num_pow),
        lshift: Some(|a, b| int_binary(a, b, |x, y| x.shl(y))),
        rshift: Some(|a, b| int_binary(a, b, |x, y| x.shr(y))),
        and: Some(|a, b| int_binary(a, b, |x, y| Ok(x.bitand(y)))),
        or: Some(|a, b| int_binary(a, b, |x, y| Ok(x.bitor(y)))),
        xor: Some(|a, b| int_binary(a, b, |x, y| Ok(x.bitxor(y)))),
        neg: Some(|a| Ok(int_obj(int_of(a).neg()))),
        pos: Some(|a| Ok(int_obj(int_of(a).clone()))),
        abs: Some(|a| Ok(int_obj(int_of(a).abs()))),
        invert: Some(|a| Ok(int_obj(int_of(a).invert()))),
        int: Some(|a| Ok(int_obj(int_of(a).clone()))),
        float: Some(|a| Ok(ObjRef::new(int_of(a).to_f64()?))),
    },
    ..Slots::EMPTY
};

weft_sync::shim_static! {
    /// `int`
    pub static INT_TYPE: TypeObject =
        TypeObject::new_static_pooled::<Int>("int", Some(&OBJECT_TYPE), INT_SLOTS);
}
weft_sync::shim_static! {
    /// `bool` (a subtype of `int` storing an [`Int`] 0 or 1)
    pub static BOOL_TYPE: TypeObject = TypeObject::new_static::<Int>(
        "bool",
        Some(&INT_TYPE),
        Slots {
            repr: Some(|o| Ok(if int_of(o).to_bool() { "True" } else { "False" }.into())),
            number: NumberSlots {
                and: Some(|a, b| bool_bitop(a, b, |x, y| x & y, INT_SLOTS.number.and)),
                or: Some(|a, b| bool_bitop(a, b, |x, y| x | y, INT_SLOTS.number.or)),
                xor: Some(|a, b| bool_bitop(a, b, |x, y| x ^ y, INT_SLOTS.number.xor)),
                ..INT_SLOTS.number
            },
            ..INT_SLOTS
        },
    );
}

/// `&`, `|`, `^` of two bools is a bool; with any other int the int result.
fn bool_bitop(
    a: &Object,
    b: &Object,
    op: fn(bool, bool) -> bool,
    int_op: Option<crate::object::BinaryFn>,
) -> PyResult<ObjRef> {
    let bool_type: &TypeObject = &BOOL_TYPE;
    if std::ptr::eq(a.ty(), bool_type) && std::ptr::eq(b.ty(), bool_type) {
        return Ok(bool_obj(op(int_of(a).to_bool(), int_of(b).to_bool())));
    }
    match int_op {
        Some(f) => f(a, b),
        None => Ok(not_implemented().to_ref()),
    }
}
weft_sync::shim_static! {
    /// `float`
    pub static FLOAT_TYPE: TypeObject = TypeObject::new_static_pooled::<f64>(
        "float",
        Some(&OBJECT_TYPE),
        Slots {
            hash: Some(|o| Ok(float::hash(float_of(o)).unwrap_or_else(|| identity_hash_value(o)))),
            repr: Some(|o| Ok(float::repr(float_of(o)))),
            richcompare: Some(float_richcompare),
            bool: Some(|o| Ok(float_of(o) != 0.0)),
            number: NumberSlots {
                add: INT_SLOTS.number.add,
                sub: INT_SLOTS.number.sub,
                mul: INT_SLOTS.number.mul,
                floordiv: INT_SLOTS.number.floordiv,
                modulo: INT_SLOTS.number.modulo,
                truediv: Some(num_truediv),
                pow: Some(num_pow),
                neg: Some(|a| Ok(ObjRef::new(-float_of(a)))),
                pos: Some(|a| Ok(ObjRef::new(float_of(a)))),
                abs: Some(|a| Ok(ObjRef::new(float_of(a).abs()))),
                int: Some(|a| Ok(int_obj(float::to_int(float_of(a))?))),
                float: Some(|a| Ok(ObjRef::new(float_of(a)))),
                ..NumberSlots::EMPTY
            },
            ..Slots::EMPTY
        },
    );
}
weft_sync::shim_static! {
    /// `str`
    pub static STR_TYPE: TypeObject = TypeObject::new_static::<PyStr>(
        "str",
        Some(&OBJECT_TYPE),
        Slots {
            hash: Some(|o| Ok(str_of(o).hash())),
            repr: Some(|o| Ok(scalar::str::repr(str_of(o).as_str()))),
            str: Some(|o| Ok(str_of(o).as_str().to_owned())),
            richcompare: Some(|a, b, op| match b.downcast::<PyStr>() {
                Some(y) => Ok(bool_obj(op.test(str_of(a).as_str().cmp(y.as_str())))),
                None => Ok(not_implemented().to_ref()),
            }),
            len: Some(|o| Ok(str_of(o).char_len())),
            iter: Some(|o| {
                Ok(ObjRef::new(StrIter {
                    s: o.to_ref(),
                    pos: AtomicUsize::new(0),
                }))
            }),
            contains: Some(|a, b| match b.downcast::<PyStr>() {
                Some(y) => Ok(str_of(a).as_str().contains(y.as_str())),
                None => Err(PyErr::type_error(format!(
                    "'in <string>' requires string as left operand, not {}",
                    b.ty().name
                ))),
            }),
            number: NumberSlots {
                add: Some(|a, b| match b.downcast::<PyStr>() {
                    Some(y) => {
                        let mut s = String::with_capacity(str_of(a).as_str().len() + y.as_str().len());
                        s.push_str(str_of(a).as_str());
                        s.push_str(y.as_str());
                        Ok(ObjRef::new(PyStr::new(s)))
                    }
                    None => Ok(not_implemented().to_ref()),
                }),
                ..NumberSlots::EMPTY
            },
            ..Slots::EMPTY
        },
    );
}
weft_sync::shim_static! {
    /// `bytes`
    pub static BYTES_TYPE: TypeObject = TypeObject::new_static::<PyBytes>(
        "bytes",
        Some(&OBJECT_TYPE),
        Slots {
            hash: Some(|o| Ok(bytes_of(o).hash())),
            repr: Some(|o| Ok(scalar::bytes::repr(bytes_of(o).as_bytes()))),
            richcompare: Some(|a, b, op| match b.downcast::<PyBytes>() {
                Some(y) => Ok(bool_obj(op.test(bytes_of(a).as_bytes().cmp(y.as_bytes())))),
                None => Ok(not_implemented().to_ref()),
            }),
            len: Some(|o| Ok(bytes_of(o).as_bytes().len())),
            iter: Some(|o| {
                Ok(ObjRef::new(BytesIter {
                    b: o.to_ref(),
                    pos: AtomicUsize::new(0),
                }))
            }),
            ..Slots::EMPTY
        },
    );
}

impl Payload for Int {
    fn type_object() -> &'static TypeObject {
        &INT_TYPE
    }

    #[inline(always)]
    fn reuse_block() -> Option<std::ptr::NonNull<u8>> {
        crate::free_list::reuse::<Int>()
    }
}

impl Payload for f64 {
    fn type_object() -> &'static TypeObject {
        &FLOAT_TYPE
    }

    #[inline(always)]
    fn reuse_block() -> Option<std::ptr::NonNull<u8>> {
        crate::free_list::reuse::<f64>()
    }
}

impl Payload for () {
    fn type_object() -> &'static TypeObject {
        &OBJECT_TYPE
    }
}

/// The payload of a `str`: the text (UTF-8), its length in code points, and its hash, computed
/// on first use and cached.
#[derive(Debug)]
pub struct PyStr {
    s: Box<str>,
    /// The length in code points, with [`INTERNED`] as its top bit.
    chars: usize,
    hash: AtomicI64,
}

/// Top bit of [`PyStr::chars`]: the string is the interned one for its text (made by
/// [`crate::intern`]), so identity comparison against other interned strings is equality.
const INTERNED: usize = 1 << (usize::BITS - 1);

/// "Not computed yet": Python hashes are never -1.
const NO_HASH: i64 = -1;

impl PyStr {
    /// Wraps `s`.
    pub fn new(s: impl Into<Box<str>>) -> PyStr {
        let s = s.into();
        PyStr {
            chars: scalar::str::char_count(&s),
            s,
            hash: AtomicI64::new(NO_HASH),
        }
    }

    /// The interned string's payload (only [`crate::intern`] makes these).
    pub(crate) fn new_interned(s: &str) -> PyStr {
        let mut p = PyStr::new(s);
        p.chars |= INTERNED;
        p
    }

    /// Whether this is the interned string for its text (see [`crate::intern`]).
    #[inline]
    pub fn is_interned(&self) -> bool {
        self.chars & INTERNED != 0
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.s
    }

    /// Length in code points (`len()`).
    pub fn char_len(&self) -> usize {
        self.chars & !INTERNED
    }

    /// Whether every character is ASCII (then indexing is by byte).
    pub fn is_ascii(&self) -> bool {
        self.char_len() == self.s.len()
    }

    /// The hash (cached after the first call; racing first calls compute the same value).
    pub fn hash(&self) -> i64 {
        let h = self.hash.load(AtomicOrdering::Relaxed);
        if h != NO_HASH {
            return h;
        }
        let h = scalar::str::hash(&self.s);
        self.hash.store(h, AtomicOrdering::Relaxed);
        h
    }
}

impl Payload for PyStr {
    fn type_object() -> &'static TypeObject {
        &STR_TYPE
    }
}

/// The payload of a `bytes`: the bytes and their cached hash.
#[derive(Debug)]
pub struct PyBytes {
    b: Box<[u8]>,
    hash: AtomicI64,
}

impl PyBytes {
    /// Wraps `b`.
    pub fn new(b: impl Into<Box<[u8]>>) -> PyBytes {
        PyBytes {
            b: b.into(),
            hash: AtomicI64::new(NO_HASH),
        }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.b
    }

    /// The hash (cached).
    pub fn hash(&self) -> i64 {
        let h = self.hash.load(AtomicOrdering::Relaxed);
        if h != NO_HASH {
            return h;
        }
        let h = scalar::bytes::hash(&self.b);
        self.hash.store(h, AtomicOrdering::Relaxed);
        h
    }
}

impl Payload for PyBytes {
    fn type_object() -> &'static TypeObject {
        &BYTES_TYPE
    }
}

fn type_repr(o: &Object) -> PyResult<String> {
    let Some(t) = as_type(o) else {
        return Ok("<class '?'>".into());
    };
    if let Some(hook) = TYPE_REPR_HOOK.get()
        && let Some(r) = hook(t)
    {
        return Ok(r);
    }
    Ok(format!("<class '{}'>", t.name))
}

/// An upper layer's `repr` for type objects (`<class '__main__.P'>` needs the module, which
/// only the eval layer knows). Returning `None` falls back to `<class 'name'>`. Set once.
pub static TYPE_REPR_HOOK: std::sync::OnceLock<fn(&TypeObject) -> Option<String>> =
    std::sync::OnceLock::new();

/// The object as a type object, if it is one.
pub fn as_type(o: &Object) -> Option<&TypeObject> {
    if o.ty().is_subtype(&TYPE_TYPE) {
        // SAFETY: instances of `type` are `TypeObject`s, whose header is the first field of a
        // repr(C) struct.
        Some(unsafe { &*(o as *const Object as *const TypeObject) })
    } else {
        None
    }
}

fn identity_hash_value(o: &Object) -> i64 {
    // CPython rotates the address by 4 bits; any stable function of identity will do.
    let h = (o.id() as u64).rotate_right(4) as i64;
    if h == -1 { -2 } else { h }
}

fn identity_hash(o: &Object) -> PyResult<i64> {
    Ok(identity_hash_value(o))
}

fn int_of(o: &Object) -> &Int {
    o.downcast::<Int>().expect("int slot on a non-int")
}

fn float_of(o: &Object) -> f64 {
    *o.downcast::<f64>().expect("float slot on a non-float")
}

fn str_of(o: &Object) -> &PyStr {
    o.downcast::<PyStr>().expect("str slot on a non-str")
}

fn bytes_of(o: &Object) -> &PyBytes {
    o.downcast::<PyBytes>().expect("bytes slot on a non-bytes")
}

/// A numeric operand: int (bool included) or float.
enum Num<'a> {
    Int(&'a Int),
    Float(f64),
}

fn num(o: &Object) -> Option<Num<'_>> {
    if let Some(i) = o.downcast::<Int>() {
        Some(Num::Int(i))
    } else {
        o.downcast::<f64>().map(|f| Num::Float(*f))
    }
}

fn num_binary(
    a: &Object,
    b: &Object,
    on_int: fn(&Int, &Int) -> scalar::ScalarResult<Int>,
    on_float: fn(f64, f64) -> scalar::ScalarResult<f64>,
) -> PyResult<ObjRef> {
    let (Some(x), Some(y)) = (num(a), num(b)) else {
        return Ok(not_implemented().to_ref());
    };
    Ok(match (x, y) {
        (Num::Int(x), Num::Int(y)) => int_obj(on_int(x, y)?),
        (Num::Int(x), Num::Float(y)) => ObjRef::new(on_float(x.to_f64()?, y)?),
        (Num::Float(x), Num::Int(y)) => ObjRef::new(on_float(x, y.to_f64()?)?),
        (Num::Float(x), Num::Float(y)) => ObjRef::new(on_float(x, y)?),
    })
}

fn int_binary(
    a: &Object,
    b: &Object,
    f: fn(&Int, &Int) -> scalar::ScalarResult<Int>,
) -> PyResult<ObjRef> {
    match (a.downcast::<Int>(), b.downcast::<Int>()) {
        (Some(x), Some(y)) => Ok(int_obj(f(x, y)?)),
        _ => Ok(not_implemented().to_ref()),
    }
}

fn num_truediv(a: &Object, b: &Object) -> PyResult<ObjRef> {
    let (Some(x), Some(y)) = (num(a), num(b)) else {
        return Ok(not_implemented().to_ref());
    };
    Ok(ObjRef::new(match (x, y) {
        (Num::Int(x), Num::Int(y)) => x.truediv(y)?,
        (Num::Int(x), Num::Float(y)) => float::truediv(x.to_f64()?, y)?,
        (Num::Float(x), Num::Int(y)) => float::truediv(x, y.to_f64()?)?,
        (Num::Float(x), Num::Float(y)) => float::truediv(x, y)?,
    }))
}

fn num_pow(a: &Object, b: &Object) -> PyResult<ObjRef> {
    let (Some(x), Some(y)) = (num(a), num(b)) else {
        return Ok(not_implemented().to_ref());
    };
    Ok(match (x, y) {
        (Num::Int(x), Num::Int(y)) => match x.pow(y)? {
            PowResult::Int(i) => int_obj(i),
            PowResult::Float(f) => ObjRef::new(f),
        },
        (Num::Int(x), Num::Float(y)) => ObjRef::new(float::pow(x.to_f64()?, y)?),
        (Num::Float(x), Num::Int(y)) => ObjRef::new(float::pow(x, y.to_f64()?)?),
        (Num::Float(x), Num::Float(y)) => ObjRef::new(float::pow(x, y)?),
    })
}

fn int_richcompare(a: &Object, b: &Object, op: CompareOp) -> PyResult<ObjRef> {
    let x = int_of(a);
    let ord = match num(b) {
        Some(Num::Int(y)) => Some(x.cmp(y)),
        Some(Num::Float(y)) => x.cmp_f64(y),
        None => return Ok(not_implemented().to_ref()),
    };
    Ok(bool_obj(compare_partial(ord, op)))
}

fn float_richcompare(a: &Object, b: &Object, op: CompareOp) -> PyResult<ObjRef> {
    let x = float_of(a);
    let ord = match num(b) {
        Some(Num::Float(y)) => x.partial_cmp(&y),
        Some(Num::Int(y)) => float::cmp_int(x, y),
        None => return Ok(not_implemented().to_ref()),
    };
    Ok(bool_obj(compare_partial(ord, op)))
}

/// NaN compares unequal to everything: only `!=` is true.
fn compare_partial(ord: Option<Ordering>, op: CompareOp) -> bool {
    match ord {
        Some(o) => op.test(o),
        None => op == CompareOp::Ne,
    }
}

/// The iterator of a `str`: one-character strings. Shared between threads, every character is
/// produced exactly once (positions are claimed with a compare-and-swap on the byte offset).
pub struct StrIter {
    s: ObjRef,
    pos: AtomicUsize,
}

weft_sync::shim_static! {
    /// `str_iterator`
    pub static STR_ITER_TYPE: TypeObject = TypeObject::new_static::<StrIter>(
        "str_iterator",
        Some(&OBJECT_TYPE),
        Slots {
            iter: Some(|o| Ok(o.to_ref())),
            next: Some(str_iter_next),
            ..Slots::EMPTY
        },
    );
}

impl Payload for StrIter {
    fn type_object() -> &'static TypeObject {
        &STR_ITER_TYPE
    }
}

fn str_iter_next(o: &Object) -> PyResult<Option<ObjRef>> {
    let it = o.downcast::<StrIter>().expect("str_iterator");
    let text = str_of(&it.s).as_str();
    let mut pos = it.pos.load(AtomicOrdering::Relaxed);
    loop {
        let Some(c) = text.get(pos..).and_then(|t| t.chars().next()) else {
            return Ok(None);
        };
        let next = pos + c.len_utf8();
        match it.pos.compare_exchange_weak(
            pos,
            next,
            AtomicOrdering::Relaxed,
            AtomicOrdering::Relaxed,
        ) {
            Ok(_) => return Ok(Some(char_obj(c))),
            Err(p) => pos = p,
        }
    }
}

/// A one-character `str` (Latin-1 characters are made once and kept, as CPython does).
pub fn char_obj(c: char) -> ObjRef {
    weft_sync::shim_static! {
        static LATIN1: std::sync::OnceLock<Vec<&'static Object>> = std::sync::OnceLock::new();
    }
    if (c as u32) < 256 {
        let table = LATIN1.get_or_init(|| {
            (0u32..256)
                .map(|i| {
                    let ch = char::from_u32(i).expect("Latin-1 is valid");
                    ObjRef::new(PyStr::new(ch.to_string())).into_immortal()
                })
                .collect()
        });
        return table[c as usize].to_ref();
    }
    ObjRef::new(PyStr::new(c.to_string()))
}

/// The iterator of a `bytes`: ints. Positions are claimed atomically, as for [`StrIter`].
pub struct BytesIter {
    b: ObjRef,
    pos: AtomicUsize,
}

weft_sync::shim_static! {
    /// `bytes_iterator`
    pub static BYTES_ITER_TYPE: TypeObject = TypeObject::new_static::<BytesIter>(
        "bytes_iterator",
        Some(&OBJECT_TYPE),
        Slots {
            iter: Some(|o| Ok(o.to_ref())),
            next: Some(|o| {
                let it = o.downcast::<BytesIter>().expect("bytes_iterator");
                let bytes = bytes_of(&it.b).as_bytes();
                let i = it.pos.fetch_add(1, AtomicOrdering::Relaxed);
                Ok(bytes
                    .get(i)
                    .map(|&b| crate::singletons::int_from_i64(b as i64)))
            }),
            ..Slots::EMPTY
        },
    );
}

impl Payload for BytesIter {
    fn type_object() -> &'static TypeObject {
        &BYTES_ITER_TYPE
    }
}
