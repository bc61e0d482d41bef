//! # weft-object — layer 2 of the weft runtime
//!
//! * [`Object`]: the header every Python object starts with — reference count
//!   ([`weft_refcount::RefCount`]), per-object mutex (nogil build only), type pointer:
//!   **24 bytes in the nogil build, 16 in the gil build** (CPython's free-threaded header is
//!   32). [`ObjRef`] is an owned reference, [`PyObj<T>`] a typed object.
//! * [`TypeObject`] with [`Slots`]: the operations the runtime calls directly (hash, repr,
//!   rich comparison, attribute access, call, iteration, the number protocol, ...).
//! * [`critical_section`]: one- and two-object critical sections over the per-object mutex,
//!   with suspension on blocking and re-entry, compiled out in the gil build.
//! * The immutable scalars: `None`, `NotImplemented`, `bool`, `int` (small ints `-5..=256`
//!   immortal; a bigint past `i64`), `float`, `str` (hash cached; [`intern`]ed strings
//!   immortal) and `bytes` ([`types`], [`singletons`]), over the value semantics in [`scalar`].
//! * [`PyErr`]: exceptions as values.
//! * [`atomic_ref`]: a mutable field holding one reference, read lock-free and written by
//!   an atomic swap, the replaced reference released through QSBR; [`guarded`]: larger
//!   state under its object's critical section.
//!
//! ## Under loom
//! The whole crate builds under `--cfg weft_loom`: its atomics, cells and thread-locals come
//! from [`weft_sync::shim`], and its statics holding atomics (the static type objects, `None`,
//! the bools, the small ints, the type attribute cache, the intern table) are declared with
//! [`weft_sync::shim_static!`]: plain statics with `const` initialisers in normal builds (no
//! change to any access path), lazy statics built once per model execution under loom. Object
//! memory is released through [`weft_sync::shim::free_box`], which under loom keeps it until
//! the execution ends so that a use-after-free in a model shows as a failed check, not as
//! corrupted checker state. See `weft-object/tests/loom_*.rs` and ARCHITECTURE.md.

pub mod atomic_ref;
pub mod critical_section;
mod error;
pub mod free_list;
pub mod guarded;
pub mod inline_values;
mod object;
pub mod scalar;
pub mod singletons;
pub mod site_cache;
pub mod type_cache;
pub mod types;

pub use error::{ExcKind, PyErr, PyResult};
pub use object::{
    BinaryFn, BoolFn, CallFn, CompareOp, ContainsFn, GetAttrFn, GetItemFn, HashFn, LenFn, NextFn,
    NumberSlots, ObjRef, Object, Payload, PyObj, RichCompareFn, SetAttrFn, SetItemFn, Slots,
    TextFn, TypeFlags, TypeObject, UnaryFn,
};
pub use singletons::{bool_obj, int_from_i64, int_obj, intern, none, not_implemented, str_obj};

/// Number of critical sections (active or suspended) on the calling thread's stack; always 0
/// in the gil build, where sections compile away.
pub fn critical_section_depth() -> usize {
    #[cfg(feature = "nogil")]
    {
        critical_section::depth()
    }
    #[cfg(not(feature = "nogil"))]
    {
        0
    }
}

/// The compiled variant: `"gil"` or `"nogil"`.
pub const VARIANT: &str = weft_sync::VARIANT;
