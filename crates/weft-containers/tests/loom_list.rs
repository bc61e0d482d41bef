//! Loom models of `list`'s lock-free readers against its writers, on the real code paths
//! (`List::get_index` → `PyList::read_lock_free`, `List::append` / `List::set` in critical
//! sections, the private-until-shared flag, garbage retired through `weft_sync::qsbr`).
//! Run by `cargo xtask loom` (both variants); alone:
//! `RUSTFLAGS="--cfg weft_loom" cargo test -p weft-containers --release --test loom_list`.
//!
//! What is checked, over every interleaving loom explores (3 preemptions):
//! * a reader sees the old or the new item, never a third value, and never an item that was
//!   freed (items carry a liveness flag in loom's `UnsafeCell`, see `model_support`);
//! * a buffer replaced by growth is never read after it is freed (the buffer's own loom-only
//!   liveness flag, `Header::live` in `list.rs`);
//! * a replaced item is dropped exactly once, and while the reader may still hold the pointer
//!   it loaded (before its quiescent point) it is not dropped at all, even though the writer
//!   reclaims concurrently.
//!
//! Each model fails when the protocol is broken; checked by hand, with the loom report seen:
//! * `Garbage::finish_slow` freeing at once instead of retiring (`deferred` ignored):
//!   `reader_races_set` fails ("Causality violation: Concurrent read and write accesses to
//!   `UnsafeCell`" on item 1's liveness flag: the reader's `check` against the drop);
//!   `reader_races_growth` fails the same way on the old buffer's `Header::live` (the
//!   reader's `check_live` against `Buf::free`).
//! * `List::note_read` not marking the list shared (so the owner's writes are never
//!   deferred, and growth moves the buffer at once): both models fail the same way.
//! * The writer's `Release` store of the new buffer pointer weakened to `Relaxed` in
//!   `resize_locked`: `reader_races_growth` fails ("Causality violation: Concurrent load and
//!   mut accesses" on a slot of the new buffer, which the reader reaches without seeing it
//!   built). This one needs four preemptions, hence that model's bound.
#![cfg(weft_loom)]

mod model_support;

use model_support::{
    attach_main, check, drops, init_statics, item, join, reader_exit, reader_online,
};
use weft_containers::{List, new_list};
use weft_sync::shim::{model, model_with_preemptions, thread};

/// Reclaims on the writer's side while the reader may still be reading: items and buffers
/// whose grace period is over are freed here (nogil); nothing to do in the gil build.
fn writer_reclaims() {
    #[cfg(feature = "nogil")]
    weft_sync::qsbr::reclaim_now();
}

/// A reader of `l[0]` and `l[1]` races an append that outgrows the one-slot buffer (a new
/// buffer, the old one retired — or, while the list is still private to its creator, resized
/// "in place", which under loom is a move that frees the old buffer at once), followed by the
/// writer's reclamation. Four preemptions: a reader that loads the new buffer between the
/// writer's publication of it and of the new length needs one more than the default three.
#[test]
fn reader_races_growth() {
    model_with_preemptions(4, || {
        init_statics();
        let g = attach_main();
        let l = new_list(vec![item(1)]);
        let l2 = l.clone();
        let reader = thread::spawn(move || {
            reader_online();
            let list = List::of(&l2).expect("a list");
            let first = list.get_index(0).expect("l[0] exists throughout");
            let second = list.get_index(1);
            let ids = (check(&first), second.as_deref().map(check));
            drop((first, second));
            reader_exit();
            ids
        });
        let list = List::of(&l).expect("a list");
        list.append(item(2)).expect("append");
        writer_reclaims();
        let (first, second) = join(reader);
        assert_eq!(first, 1, "l[0] is always item 1");
        assert!(
            second.is_none() || second == Some(2),
            "l[1] is absent or item 2"
        );
        writer_reclaims();
        assert_eq!(
            (drops(1), drops(2)),
            (0, 0),
            "no item of the list is dropped"
        );
        assert_eq!(list.len(), 2);
        drop(l);
        writer_reclaims();
        assert_eq!((drops(1), drops(2)), (1, 1), "freed with the list, once");
        drop(g);
    });
}

/// A reader of `l[0]` races `l[0] = item 3`, which replaces item 1 (the list's only reference
/// to it), followed by the writer's reclamation: the reader gets item 1 or item 3, alive, and
/// item 1 is dropped exactly once, never while the reader may hold it.
#[test]
fn reader_races_set() {
    model(|| {
        init_statics();
        let g = attach_main();
        let l = new_list(vec![item(1), item(2)]);
        let l2 = l.clone();
        let reader = thread::spawn(move || {
            reader_online();
            let list = List::of(&l2).expect("a list");
            let x = list.get_index(0).expect("l[0] exists throughout");
            let id = check(&x);
            drop(x);
            reader_exit();
            id
        });
        let list = List::of(&l).expect("a list");
        list.set(0, item(3)).expect("set");
        writer_reclaims();
        let id = join(reader);
        assert!(id == 1 || id == 3, "the old or the new item, got {id}");
        writer_reclaims();
        assert_eq!(drops(1), 1, "the replaced item is dropped exactly once");
        assert_eq!((drops(2), drops(3)), (0, 0));
        drop(l);
        writer_reclaims();
        assert_eq!((drops(1), drops(2), drops(3)), (1, 1, 1));
        drop(g);
    });
}
