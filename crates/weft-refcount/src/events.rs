//! `tracing` events of the count protocol, at `trace` level under target `weft::refcount`.
//! Only slow paths emit them; with no subscriber each costs one relaxed load.

use std::ptr::NonNull;

use crate::RefCount;

pub(crate) fn merge(obj: NonNull<RefCount>, total: i32) {
    tracing::trace!(target: "weft::refcount", obj = ?obj.as_ptr(), total, "merge");
}

pub(crate) fn queued(obj: NonNull<RefCount>, owner: u32) {
    tracing::trace!(target: "weft::refcount", obj = ?obj.as_ptr(), owner, "queue to owner");
}

pub(crate) fn helped(obj: NonNull<RefCount>, owner: u32, why: &'static str) {
    tracing::trace!(target: "weft::refcount", obj = ?obj.as_ptr(), owner, why, "merged for owner");
}
