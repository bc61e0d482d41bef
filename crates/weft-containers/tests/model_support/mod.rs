//! Shared pieces of the containers' loom models (`loom_list.rs`, `loom_dict.rs`): a payload
//! type whose objects know whether they were freed, a per-execution drop log, and the thread
//! set-up the models share. Only built under `--cfg weft_loom`.
#![allow(dead_code)]

use loom::sync::atomic::{AtomicUsize, Ordering};
use weft_object::types::OBJECT_TYPE;
use weft_object::{ObjRef, Object, Payload, PyResult, Slots, TypeObject};
use weft_sync::shim::UnsafeCell;

/// Ids of items run from 1 to `MAX_ID - 1`.
pub const MAX_ID: usize = 16;

/// The payload of the model's items: an id (also its hash) and a liveness flag in loom's
/// `UnsafeCell`. Dropping the payload writes the flag; [`check`] reads it. A drop that is not
/// ordered after a reader's check is a data race loom reports; a check after the drop fails.
pub struct Item {
    id: usize,
    alive: UnsafeCell<bool>,
}

// SAFETY: `alive` is written only by `Drop` (exclusive access) and read through references
// to a live object; whether the runtime keeps that promise is exactly what loom checks.
unsafe impl Sync for Item {}

impl Drop for Item {
    fn drop(&mut self) {
        self.alive.with_mut(|a| {
            // SAFETY: loom checks this write against every reader's `check`.
            unsafe {
                assert!(*a, "item {} dropped twice", self.id);
                *a = false;
            }
        });
        DROPS[self.id].fetch_add(1, Ordering::Relaxed);
    }
}

fn item_hash(o: &Object) -> PyResult<i64> {
    Ok(o.downcast::<Item>().expect("an item").id as i64)
}

weft_sync::shim_static! {
    /// The items' type: hashable by id, compared by identity (no `richcompare` slot).
    static ITEM_TYPE: TypeObject = TypeObject::new_static::<Item>(
        "item",
        Some(&OBJECT_TYPE),
        Slots {
            hash: Some(item_hash),
            ..Slots::EMPTY
        },
    );
}

impl Payload for Item {
    fn type_object() -> &'static TypeObject {
        &ITEM_TYPE
    }
}

loom::lazy_static! {
    /// How many times item `id` was dropped, in this execution.
    static ref DROPS: [AtomicUsize; MAX_ID] = std::array::from_fn(|_| AtomicUsize::new(0));
}

/// A new item object with `id` (its only reference).
pub fn item(id: usize) -> ObjRef {
    assert!(id > 0 && id < MAX_ID);
    ObjRef::new(Item {
        id,
        alive: UnsafeCell::new(true),
    })
}

/// The id of a live item, asserting (as a read loom checks) that it has not been freed.
pub fn check(o: &Object) -> usize {
    let it = o.downcast::<Item>().expect("an item");
    // SAFETY: loom checks this read against the drop's write.
    let alive = it.alive.with(|a| unsafe { *a });
    assert!(alive, "reader saw item {} after it was freed", it.id);
    it.id
}

/// How many times item `id` has been dropped.
pub fn drops(id: usize) -> usize {
    DROPS[id].load(Ordering::SeqCst)
}

/// Builds, on the model's main thread, every lazy static the model's threads will use, so
/// that no spawned thread initialises one: loom orders every later access of a lazy static
/// after its initialisation, which would add happens-before edges the real statics do not
/// have (and could hide a missing ordering).
pub fn init_statics() {
    let _: &TypeObject = &ITEM_TYPE;
    let _ = drops(1);
    let _ = weft_sync::qsbr::pending();
    let _ = weft_refcount::Registry::global();
    let _ = weft_object::types::TYPE_TYPE.name;
}

/// nogil: the main thread attaches, so that what it creates is owned by it (the containers'
/// private-until-shared path). gil: it does not, so each container operation takes the GIL
/// for its own duration and the other thread can run between them.
pub fn attach_main() -> Option<weft_refcount::AttachGuard> {
    if cfg!(feature = "nogil") {
        Some(weft_refcount::attach())
    } else {
        None
    }
}

/// Joins `h` without holding the GIL (a no-op in nogil, where attached threads do not
/// exclude each other, but harmless).
pub fn join<T>(h: loom::thread::JoinHandle<T>) -> T {
    weft_refcount::blocking(|| h.join().unwrap())
}

/// nogil: the reader thread comes online in QSBR, which lets it read lock-free (in the real
/// runtime attaching does this; the loom build leaves QSBR out of attach). gil: nothing (reads
/// run under the GIL).
pub fn reader_online() {
    #[cfg(feature = "nogil")]
    weft_sync::qsbr::online();
}

/// The end of a reader thread: nogil: a quiescent point (the eval breaker's check point),
/// then offline; both: the thread leaves the runtime (`weft_refcount::thread_exit`, as thread
/// runners do). Ending the thread state here rather than in its thread-local destructor
/// matters to loom: it drops a thread's thread-locals in an unspecified order, and two whose
/// destructors touch modelled state (the refcount thread state, the QSBR participant) would
/// make the model nondeterministic.
pub fn reader_exit() {
    #[cfg(feature = "nogil")]
    {
        weft_sync::qsbr::quiescent();
        weft_sync::qsbr::offline();
    }
    weft_refcount::thread_exit();
}
