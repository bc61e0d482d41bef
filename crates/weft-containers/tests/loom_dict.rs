//! Loom models of `dict`'s lock-free lookups against its writers, on the real code paths
//! (`Dict::get` → read section → probe → `clone_token`; `set_item` / `del_item` under the
//! dict's lock; the sharing flag; replaced tables and removed keys and values released
//! through `reclaim::Bag` and `weft_sync::qsbr`). Run by `cargo xtask loom` (both variants);
//! alone: `RUSTFLAGS="--cfg weft_loom" cargo test -p weft-containers --release --test loom_dict`.
//!
//! The dict holds five entries, filling its first table; the writer inserts a sixth (moving to
//! a bigger table and retiring the old one) and then deletes the first, reclaiming as it goes,
//! while a reader looks up the first key and then the sixth. Checked over every interleaving
//! loom explores:
//! * the lookup of key 1 finds its value alive or finds no entry (the delete), never another
//!   value; the lookup of key 6 finds its value or nothing;
//! * consistency with the writer's order: a reader that saw key 1 deleted then sees key 6
//!   (inserted before the delete);
//! * no table is read after it is freed (`Header::live` in `dict/table.rs`) and no key or
//!   value is read after it is dropped (the items' liveness flags);
//! * the deleted key and value are dropped exactly once, after the reader is done with them;
//!   nothing else is dropped until the dict is.
//!
//! Breaks checked by hand (each restored afterwards), with what loom reported:
//! * `Bag::drop` running the bag at once instead of deferring (`self.deferred` ignored):
//!   "Causality violation: Concurrent read and write accesses to `UnsafeCell`" on the
//!   deleted value's liveness flag (the reader's `check` against the value's drop).
//! * `Sharing::note_read` not setting the flag (so the owner's writes never defer): the same.
//! * `Dict::replace_table` publishing the new table with `Relaxed` instead of `Release`: the
//!   reader reaches the new table without seeing it built ("Causality violation: Concurrent
//!   load and mut accesses" on an index slot created by `Table::alloc`, and a concurrent
//!   read of its liveness flag). This needs four preemptions: the model passes at the
//!   default three (6 s) and fails with `LOOM_MAX_PREEMPTIONS=4` (the correct code then takes
//!   45 s, too slow for every CI run, so the default stays 3).
//!
//! Not caught: `Table::append_at` publishing the index slot `Relaxed`. In this scenario the
//! sixth entry is the only plain append, and a reader that sees its index slot but not the
//! entry's key treats the entry as deleted — a miss that is indistinguishable from a lookup
//! before the insert (the later delete, a release, orders everything after it).
#![cfg(weft_loom)]

mod model_support;

use model_support::{
    attach_main, check, drops, init_statics, item, join, reader_exit, reader_online,
};
use weft_containers::dict::{self, Dict};
use weft_sync::shim::{model, thread};

/// The value stored under key `k` (item ids: keys 1..=6, values 9..=14).
fn value_id(k: usize) -> usize {
    8 + k
}

fn writer_reclaims() {
    #[cfg(feature = "nogil")]
    weft_sync::qsbr::reclaim_now();
}

#[test]
fn lookup_races_insert_with_resize_and_delete() {
    model(|| {
        init_statics();
        let g = attach_main();
        let d = dict::new();
        let keys: Vec<_> = (1..=6).map(item).collect();
        {
            let dict = Dict::of(&d).expect("a dict");
            for k in &keys[..5] {
                let v = item(value_id(check(k)));
                dict.set_item(k.clone(), v).expect("insert");
            }
        }
        let (d2, k1, k6) = (d.clone(), keys[0].clone(), keys[5].clone());
        let reader = thread::spawn(move || {
            reader_online();
            let dict = Dict::of(&d2).expect("a dict");
            let first = dict.get(&k1).expect("lookup of key 1");
            let sixth = dict.get(&k6).expect("lookup of key 6");
            let ids = (first.as_deref().map(check), sixth.as_deref().map(check));
            drop((first, sixth, k1, k6));
            reader_exit();
            ids
        });
        let dict = Dict::of(&d).expect("a dict");
        dict.set_item(keys[5].clone(), item(value_id(6)))
            .expect("insert key 6");
        writer_reclaims();
        dict.del_item(&keys[0]).expect("delete key 1");
        writer_reclaims();
        let (first, sixth) = join(reader);
        assert!(
            first.is_none() || first == Some(value_id(1)),
            "key 1: its value or no entry, got {first:?}"
        );
        assert!(
            sixth.is_none() || sixth == Some(value_id(6)),
            "key 6: its value or no entry, got {sixth:?}"
        );
        if first.is_none() {
            assert_eq!(
                sixth,
                Some(value_id(6)),
                "a reader that saw key 1 deleted sees key 6, inserted before the delete"
            );
        }
        writer_reclaims();
        assert_eq!(drops(value_id(1)), 1, "the deleted value is dropped once");
        assert_eq!(dict.len(), 5);
        for k in 2..=6 {
            assert_eq!(
                drops(value_id(k)),
                0,
                "value {} is still in the dict",
                value_id(k)
            );
        }
        drop(keys);
        writer_reclaims();
        assert_eq!(
            drops(1),
            1,
            "the deleted key is dropped once, with our reference"
        );
        drop(d);
        writer_reclaims();
        for k in 1..=6 {
            assert_eq!(
                (drops(k), drops(value_id(k))),
                (1, 1),
                "key {k} and its value"
            );
        }
        drop(g);
    });
}
