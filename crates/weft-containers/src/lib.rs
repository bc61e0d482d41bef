//! # weft-containers — layer 3: tuple, list, dict, set and their iterators
//!
//! (Being written: modules `tuple`, `list`, `iter` — sequences; `dict`, `set` — hashed.)

pub mod dict;
pub mod iter;
pub mod list;
pub mod set;
pub mod tuple;

pub use list::{LIST_TYPE, List, PyList, empty_list, list_from_iterable, new_list};
pub use tuple::{PyTuple, Slice, TUPLE_TYPE, empty_tuple, new_tuple};

/// The compiled variant: `"gil"` or `"nogil"`.
pub const VARIANT: &str = weft_sync::VARIANT;
