//! Per-thread free lists of `int` and `float` objects: blocks are reused, bounded, per thread,
//! and objects made from reused blocks are whole (both variants).

use weft_object::free_list::{CAPACITY, pooled};
use weft_object::scalar::int::Int;
use weft_object::{ObjRef, int_from_i64};

fn attach() -> weft_refcount::AttachGuard {
    weft_refcount::attach()
}

#[test]
fn a_freed_float_block_is_reused() {
    let _g = attach();
    let before = pooled::<f64>();
    let a = ObjRef::new(1.25f64);
    let after_alloc = pooled::<f64>();
    assert!(after_alloc == before.saturating_sub(1));
    drop(a);
    assert_eq!(
        pooled::<f64>(),
        after_alloc + 1,
        "the block went to the list"
    );
    let b = ObjRef::new(-3.5f64);
    assert_eq!(pooled::<f64>(), after_alloc, "and came back from it");
    assert_eq!(*b.downcast::<f64>().unwrap(), -3.5);
    assert_eq!(b.count(), 1);
    assert_eq!(b.ty().name, "float");
}

#[test]
fn ints_outside_the_cache_are_pooled_and_whole() {
    let _g = attach();
    let vals: Vec<ObjRef> = (0..100).map(|i| int_from_i64(1_000_000 + i)).collect();
    let n = pooled::<Int>();
    drop(vals);
    assert_eq!(pooled::<Int>(), (n + 100).min(CAPACITY as usize));
    // Reused blocks hold the new values, with fresh headers.
    let again: Vec<ObjRef> = (0..100).map(|i| int_from_i64(-5_000_000 - i)).collect();
    for (i, v) in again.iter().enumerate() {
        assert_eq!(
            v.downcast::<Int>().unwrap().as_i64(),
            Some(-5_000_000 - i as i64)
        );
        assert_eq!(v.count(), 1);
        assert_eq!(v.repr().unwrap(), (-5_000_000 - i as i64).to_string());
    }
}

#[test]
fn a_list_keeps_at_most_its_capacity() {
    let _g = attach();
    let many: Vec<ObjRef> = (0..CAPACITY as usize + 500)
        .map(|i| ObjRef::new(i as f64))
        .collect();
    drop(many);
    assert_eq!(pooled::<f64>(), CAPACITY as usize);
}

#[test]
fn big_ints_made_without_the_pool_are_freed_into_it() {
    let _g = attach();
    // An `int` allocated by `ObjRef::new` (a boxed block) has the same layout.
    let n = pooled::<Int>();
    let big = ObjRef::new(Int::from_i64(7).shl(&Int::from_i64(100)).unwrap());
    drop(big);
    assert_eq!(pooled::<Int>(), (n + 1).min(CAPACITY as usize));
}

#[test]
fn objects_freed_on_another_thread_join_that_threads_list() {
    let _g = attach();
    let objs: Vec<ObjRef> = (0..64).map(|i| ObjRef::new(i as f64 + 0.5)).collect();
    let mine = pooled::<f64>();
    let h = std::thread::spawn(move || {
        let _g = attach();
        let sum: f64 = objs.iter().map(|o| *o.downcast::<f64>().unwrap()).sum();
        assert_eq!(sum, (0..64).map(|i| i as f64 + 0.5).sum::<f64>());
        drop(objs);
        // nogil: the objects are owned by the first thread, so their last reference may be
        // merged and freed by either thread; either way each block lands in exactly one list.
        weft_refcount::with_thread(|ts| ts.check_point());
        pooled::<f64>()
    });
    // Detached while waiting: in the gil build the other thread needs the GIL.
    let theirs = weft_refcount::blocking(|| h.join().unwrap());
    weft_refcount::with_thread(|ts| ts.check_point());
    let here = pooled::<f64>() - mine;
    assert!(
        theirs + here >= 64 || theirs + here >= CAPACITY as usize,
        "{theirs} + {here}"
    );
}
