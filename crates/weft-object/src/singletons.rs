//! Immortal objects: `None`, `NotImplemented`, `True`, `False`, the small ints `-5..=256`,
//! and interned strings. Their counts never change, so every thread can use them without
//! writing to a shared cache line.

use std::collections::HashMap;
use std::mem::MaybeUninit;
use std::sync::OnceLock;

use weft_sync::shim::Mutex;

use crate::object::{ObjRef, Object, PyObj};
use crate::scalar::int::Int;
use crate::types::{BOOL_TYPE, INT_TYPE, NONE_TYPE, NOT_IMPLEMENTED_TYPE, PyStr};

weft_sync::shim_static! {
    static NONE: PyObj<()> = PyObj::immortal((), &NONE_TYPE);
    static NOT_IMPLEMENTED: PyObj<()> = PyObj::immortal((), &NOT_IMPLEMENTED_TYPE);
    static FALSE: PyObj<Int> = PyObj::immortal(Int::from_i64(0), &BOOL_TYPE);
    static TRUE: PyObj<Int> = PyObj::immortal(Int::from_i64(1), &BOOL_TYPE);
}

/// Smallest cached int.
pub const SMALL_INT_MIN: i64 = -5;
/// Largest cached int.
pub const SMALL_INT_MAX: i64 = 256;
const N_SMALL: usize = (SMALL_INT_MAX - SMALL_INT_MIN + 1) as usize;

weft_sync::shim_static! {
    static SMALL_INTS: [PyObj<Int>; N_SMALL] = {
        let mut a: [MaybeUninit<PyObj<Int>>; N_SMALL] = [const { MaybeUninit::uninit() }; N_SMALL];
        let mut i = 0;
        while i < N_SMALL {
            a[i] = MaybeUninit::new(PyObj::immortal(
                Int::from_i64(SMALL_INT_MIN + i as i64),
                &INT_TYPE,
            ));
            i += 1;
        }
        // SAFETY: every element was initialised by the loop above; MaybeUninit<T> has T's layout.
        unsafe { std::mem::transmute::<[MaybeUninit<PyObj<Int>>; N_SMALL], [PyObj<Int>; N_SMALL]>(a) }
    };
}

/// `None`.
pub fn none() -> &'static Object {
    &NONE
}

/// `NotImplemented`.
pub fn not_implemented() -> &'static Object {
    &NOT_IMPLEMENTED
}

/// `True` or `False`.
pub fn bool_ref(b: bool) -> &'static Object {
    if b { &TRUE } else { &FALSE }
}

/// `True` or `False` as an owned reference (immortal: costs no count traffic).
pub fn bool_obj(b: bool) -> ObjRef {
    bool_ref(b).to_ref()
}

/// The cached immortal int object for `v`, if `v` is small.
pub fn small_int(v: i64) -> Option<&'static Object> {
    if (SMALL_INT_MIN..=SMALL_INT_MAX).contains(&v) {
        Some(&SMALL_INTS[(v - SMALL_INT_MIN) as usize])
    } else {
        None
    }
}

/// An int object: the cached one for small values, a new one otherwise.
pub fn int_obj(v: Int) -> ObjRef {
    if let Some(o) = v.as_i64().and_then(small_int) {
        return o.to_ref();
    }
    ObjRef::new(v)
}

/// An int object from an `i64`.
pub fn int_from_i64(v: i64) -> ObjRef {
    match small_int(v) {
        Some(o) => o.to_ref(),
        None => ObjRef::new(Int::from_i64(v)),
    }
}

/// A new `str` object.
pub fn str_obj(s: impl Into<Box<str>>) -> ObjRef {
    ObjRef::new(PyStr::new(s))
}

/// The interned (immortal, unique) `str` object equal to `s`: the same object for equal
/// strings, so names compare by identity.
pub fn intern(s: &str) -> &'static Object {
    // A per-thread cache in front of the global table: the runtime interns the same few names
    // (attribute and dunder names) over and over, from every thread, and the global table's
    // lock would serialise them.
    weft_sync::shim_thread_local! {
        static CACHE: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, &'static Object>> =
            std::cell::RefCell::new(rustc_hash::FxHashMap::default());
    }
    let cached = CACHE
        .try_with(|c| c.borrow().get(s).copied())
        .ok()
        .flatten();
    if let Some(o) = cached {
        return o;
    }
    let o = intern_global(s);
    let _ = CACHE.try_with(|c| c.borrow_mut().insert(s.into(), o));
    o
}

fn intern_global(s: &str) -> &'static Object {
    // Under loom a lazy static per model execution (interned objects hold loom atomics).
    weft_sync::shim_static! {
        static TABLE: OnceLock<Mutex<HashMap<&'static str, &'static Object>>> = OnceLock::new();
    }
    let table = TABLE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(o) = table.lock().unwrap_or_else(|e| e.into_inner()).get(s) {
        return o;
    }
    // Made immortal *outside* the table lock: in the gil build a detached thread takes the GIL
    // to do it, and an attached thread holding the GIL may be waiting for the table lock
    // (a lock-order deadlock the type cache's race test found). A string that loses a race
    // with another thread interning the same text stays allocated (immortal, never used):
    // bounded by the number of such races.
    let obj = ObjRef::new(PyStr::new_interned(s)).into_immortal();
    let mut t = table.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(o) = t.get(s) {
        return o;
    }
    let key: &'static str = obj
        .downcast::<PyStr>()
        .expect("interned object is a str")
        .as_str();
    t.insert(key, obj);
    obj
}
