//! Inline instance values under shared keys: indexes, growth, deletion, insertion order,
//! materialization, and readers racing with a writer that replaces, deletes and grows.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use weft_object::inline_values::{InlineValues, MAX_KEYS, SharedKeys};
use weft_object::types::PyStr;
use weft_object::{ObjRef, int_from_i64, intern, str_obj};

fn text(o: &ObjRef) -> String {
    o.downcast::<PyStr>().expect("a str").as_str().to_owned()
}

#[test]
fn shared_keys_give_stable_indexes_to_immortal_names_only() {
    let k = SharedKeys::new();
    let (a, b) = (intern("iv_a"), intern("iv_b"));
    assert_eq!(k.index_or_add(a), Some(0));
    assert_eq!(k.index_or_add(b), Some(1));
    assert_eq!(k.index_or_add(a), Some(0));
    assert_eq!(k.index(b), Some(1));
    assert!(std::ptr::eq(k.name(1), b));
    let mortal = str_obj("iv_mortal");
    assert_eq!(
        k.index_or_add(&mortal),
        None,
        "a mortal name's address may be reused"
    );
    for i in 2..MAX_KEYS {
        assert_eq!(k.index_or_add(intern(&format!("iv_key{i}"))), Some(i));
    }
    assert_eq!(k.index_or_add(intern("iv_one_too_many")), None);
    assert_eq!(k.len(), MAX_KEYS);
}

#[test]
fn values_set_get_delete_grow_and_keep_insertion_order() {
    let _g = weft_refcount::attach();
    let o = str_obj("owner");
    let v = InlineValues::new(0);
    assert!(v.get(&o, 0).is_none() && v.items(&o).is_empty());
    assert!(
        !v.set(&o, 5, Some(str_obj("five"))).was_set,
        "nothing was set before"
    );
    assert!(!v.set(&o, 1, Some(str_obj("one"))).was_set);
    assert!(
        v.set(&o, 5, Some(str_obj("FIVE"))).was_set,
        "replacing reports the old value"
    );
    assert_eq!(text(&v.get(&o, 5).unwrap()), "FIVE");
    assert!(
        !v.set(&o, 20, Some(str_obj("twenty"))).was_set,
        "grows past the first buffer"
    );
    assert_eq!(text(&v.get(&o, 1).unwrap()), "one", "values survive growth");
    let order: Vec<usize> = v.items(&o).iter().map(|(i, _)| *i).collect();
    assert_eq!(order, [5, 1, 20], "insertion order, not index order");
    assert!(v.set(&o, 5, None).was_set);
    assert!(!v.set(&o, 5, None).was_set, "deleting twice finds nothing");
    assert!(v.get(&o, 5).is_none());
    drop(v.set(&o, 5, Some(str_obj("again"))));
    let order: Vec<usize> = v.items(&o).iter().map(|(i, _)| *i).collect();
    assert_eq!(order, [1, 20, 5]);
    let value = int_from_i64(12345);
    drop(v.set(&o, 2, Some(value.clone())));
    let before = value.count();
    drop(v);
    assert_eq!(
        value.count(),
        before - 1,
        "dropping the storage drops its references"
    );
}

#[test]
fn materializing_hands_the_values_over_once() {
    let _g = weft_refcount::attach();
    let o = str_obj("owner");
    let v = InlineValues::new(4);
    drop(v.set(&o, 3, Some(str_obj("c"))));
    drop(v.set(&o, 0, Some(str_obj("a"))));
    let calls = AtomicUsize::new(0);
    let made = v.materialize(|items| {
        calls.fetch_add(1, Ordering::Relaxed);
        let texts: Vec<String> = items.iter().map(|(_, o)| text(o)).collect();
        str_obj(texts.join(","))
    });
    assert_eq!(text(made), "c,a");
    let again = v.materialize(|_| unreachable!("made once"));
    assert!(again.is(v.dict().unwrap()));
    assert_eq!(calls.load(Ordering::Relaxed), 1);
    assert!(
        v.get(&o, 3).is_none() && v.items(&o).is_empty(),
        "the dict is the storage now"
    );
}

#[test]
fn readers_racing_with_a_writer_see_only_stored_values() {
    const ROUNDS: usize = 3_000;
    let owner = Arc::new(str_obj("owner of the critical section"));
    let v = Arc::new(InlineValues::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (v, stop, started, owner) =
                (v.clone(), stop.clone(), started.clone(), owner.clone());
            std::thread::spawn(move || {
                let g = weft_refcount::attach();
                started.fetch_add(1, Ordering::AcqRel);
                let mut reads = 0usize;
                loop {
                    for i in 0..8 {
                        if let Some(x) = v.get(&owner, i) {
                            let t = text(&x);
                            let (slot, n) = t.split_once(':').expect("slot:round");
                            assert_eq!(slot.parse::<usize>().unwrap(), i, "{t}");
                            assert!(n.parse::<usize>().unwrap() < ROUNDS, "{t}");
                            reads += 1;
                        }
                    }
                    g.check_point();
                    weft_refcount::blocking(std::thread::yield_now);
                    if stop.load(Ordering::Acquire) || reads >= 400_000 {
                        break;
                    }
                }
            })
        })
        .collect();
    while started.load(Ordering::Acquire) < 2 {
        std::thread::yield_now();
    }
    {
        let g = weft_refcount::attach();
        for round in 0..ROUNDS {
            // Replaced values the writer must drop come out of the critical section.
            let garbage = owner.with_lock(|| {
                // Slot 0 is replaced every round, slot 7 appears late (growth), slot 3 comes
                // and goes.
                let mut g = vec![
                    v.set(&owner, 0, Some(str_obj(format!("0:{round}"))))
                        .garbage,
                ];
                if round == ROUNDS / 2 {
                    g.push(
                        v.set(&owner, 7, Some(str_obj(format!("7:{round}"))))
                            .garbage,
                    );
                }
                let three = (round % 3 != 0).then(|| str_obj(format!("3:{round}")));
                g.push(v.set(&owner, 3, three).garbage);
                g
            });
            drop(garbage);
            if round % 50 == 0 {
                g.check_point();
            }
        }
    }
    stop.store(true, Ordering::Release);
    for r in readers {
        r.join().unwrap();
    }
    let _g = weft_refcount::attach();
    assert_eq!(
        text(&v.get(&owner, 0).unwrap()),
        format!("0:{}", ROUNDS - 1)
    );
    assert!(v.get(&owner, 7).is_some());
}

#[test]
fn private_values_are_handed_back_and_shared_ones_wait_for_the_grace_period() {
    let _g = weft_refcount::attach();
    let owner = Arc::new(str_obj("private owner"));
    let v = Arc::new(InlineValues::new(0));
    drop(v.set(&owner, 0, Some(str_obj("first"))));
    let r = v.set(&owner, 0, Some(str_obj("second")));
    assert!(r.was_set);
    assert_eq!(
        r.garbage.as_ref().map(text).as_deref(),
        Some("first"),
        "the owner's own write hands the old value back to drop at once"
    );
    drop(r);
    assert!(!v.is_shared());
    // A read from another thread marks the values shared...
    {
        let (v, owner) = (v.clone(), owner.clone());
        let reader = std::thread::spawn(move || {
            let _g = weft_refcount::attach();
            assert_eq!(text(&v.get(&owner, 0).unwrap()), "second");
        });
        // Detached while waiting: the reader needs the GIL in the gil build.
        weft_refcount::blocking(|| reader.join()).unwrap();
    }
    let r = v.set(&owner, 0, Some(str_obj("third")));
    assert!(r.was_set);
    if cfg!(feature = "nogil") {
        // ...and from then on replaced values go through QSBR.
        assert!(v.is_shared());
        assert!(
            r.garbage.is_none(),
            "a shared value waits for the grace period"
        );
    } else {
        assert!(
            !v.is_shared(),
            "the gil build has no owners: nothing is ever shared"
        );
        assert!(r.garbage.is_some());
    }
}
