//! # weft-containers — layer 3: tuple, list, dict, set and their iterators
//!
//! (Being written: modules `tuple`, `list`, `iter` — sequences; `dict`, `set` — hashed.)
//!
//! ## Under loom
//! The crate builds whole under `--cfg weft_loom` (both variants): atomics, cells and
//! thread-locals come from [`weft_sync::shim`], the static types and the shared empty tables
//! are [`weft_sync::shim_static!`]s (plain statics in normal builds), and freed buffers and
//! tables go through [`weft_sync::shim::dealloc`]. Under loom only, list item buffers and dict
//! tables carry a liveness flag that lock-free readers check, so a model reports a reader that
//! touches freed memory. The models are `tests/loom_list.rs` and `tests/loom_dict.rs`; see
//! ARCHITECTURE.md, "Model checking with loom".

pub mod dict;
pub mod iter;
pub mod list;
pub mod set;
pub mod tuple;

pub use list::{LIST_TYPE, List, PyList, empty_list, list_from_iterable, new_list};
pub use tuple::{PyTuple, Slice, TUPLE_TYPE, empty_tuple, new_tuple};

/// The compiled variant: `"gil"` or `"nogil"`.
pub const VARIANT: &str = weft_sync::VARIANT;
