//! Debug builds catch a count going below zero with a panic that names the object's type.

use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};

use weft_refcount::{RcVTable, RefCount, with_thread};

#[repr(C)]
struct Raw {
    rc: RefCount,
    freed: AtomicUsize,
}

unsafe fn mark(p: NonNull<RefCount>) {
    // SAFETY: the Raw objects in these tests are leaked, so always valid.
    unsafe { p.cast::<Raw>().as_ref() }
        .freed
        .fetch_add(1, Ordering::SeqCst);
}

unsafe fn name(_: NonNull<RefCount>) -> String {
    "Gadget".into()
}

static VT: RcVTable = RcVTable {
    free: mark,
    type_name: name,
};

fn leaked(rc: RefCount) -> &'static Raw {
    Box::leak(Box::new(Raw {
        rc,
        freed: AtomicUsize::new(0),
    }))
}

fn decref(r: &'static Raw) {
    // SAFETY: deliberately misused in these tests; the object is leaked, so the memory stays
    // valid and only the count's own check is exercised.
    with_thread(|ts| unsafe { ts.decref(NonNull::from(&r.rc), &VT) });
}

#[test]
#[cfg_attr(not(debug_assertions), ignore = "the check is a debug-build check")]
#[should_panic(expected = "reference count of a `Gadget` object went below zero")]
fn owner_decref_too_many_panics_with_type_name() {
    let _g = weft_refcount::attach();
    let r = leaked(with_thread(RefCount::new));
    decref(r);
    assert_eq!(r.freed.load(Ordering::SeqCst), 1);
    decref(r);
}

#[test]
#[cfg_attr(not(debug_assertions), ignore = "the check is a debug-build check")]
#[should_panic(expected = "reference count of a `Gadget` object went below zero")]
fn shared_decref_too_many_panics_with_type_name() {
    let r = leaked(RefCount::new_unowned());
    decref(r);
    assert_eq!(r.freed.load(Ordering::SeqCst), 1);
    decref(r);
}

#[test]
fn immortal_objects_ignore_counting() {
    let r = leaked(RefCount::new_unowned());
    r.rc.make_immortal();
    for _ in 0..10 {
        decref(r);
        with_thread(|ts| r.rc.incref(ts));
    }
    assert!(r.rc.is_immortal());
    assert_eq!(with_thread(|ts| r.rc.get(ts)), usize::MAX);
    assert_eq!(r.freed.load(Ordering::SeqCst), 0);
}

#[test]
fn flags_round_trip() {
    let r = leaked(RefCount::new_unowned());
    assert!(!r.rc.is_deferred());
    r.rc.set_deferred(true);
    assert!(r.rc.is_deferred());
    for bit in 0..4 {
        r.rc.set_user_flag(bit, true);
        assert!(r.rc.user_flag(bit));
    }
    r.rc.set_user_flag(2, false);
    assert!(!r.rc.user_flag(2) && r.rc.user_flag(3));
    r.rc.set_deferred(false);
    assert!(!r.rc.is_deferred() && r.rc.user_flag(0));
    // Flags never disturb the count.
    decref(r);
    assert_eq!(r.freed.load(Ordering::SeqCst), 1);
}
