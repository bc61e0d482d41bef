//! # weft-containers — layer 3: tuple, list, dict, set and their iterators
//!
//! (Being written: modules `tuple`, `list`, `iter` — sequences; `dict`, `set` — hashed.)

#![cfg_attr(weft_loom, allow(dead_code, unused_imports))]

#[cfg(not(weft_loom))]
pub mod dict;
#[cfg(not(weft_loom))]
pub mod iter;
#[cfg(not(weft_loom))]
pub mod list;
#[cfg(not(weft_loom))]
pub mod set;
#[cfg(not(weft_loom))]
pub mod tuple;

#[cfg(not(weft_loom))]
pub use list::{LIST_TYPE, List, PyList, empty_list, list_from_iterable, new_list};
#[cfg(not(weft_loom))]
pub use tuple::{PyTuple, Slice, TUPLE_TYPE, empty_tuple, new_tuple};

/// The compiled variant: `"gil"` or `"nogil"`.
pub const VARIANT: &str = weft_sync::VARIANT;
