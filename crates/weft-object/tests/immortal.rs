//! Immortal objects made at run time (`intern`, `into_immortal`) never change count, whichever
//! thread takes or drops a reference — including references taken on one thread and dropped
//! on the creator's (in the nogil build the creator used to stay the owner and count them).

use std::sync::mpsc;

use weft_object::{ObjRef, intern, str_obj};

#[test]
fn references_moving_to_the_creator_thread_leave_an_immortal_object_alone() {
    let _g = weft_refcount::attach();
    let name = intern("weft_immortal_test_name");
    let made = str_obj("made immortal at run time").into_immortal();
    let (tx, rx) = mpsc::channel::<Vec<ObjRef>>();
    let worker = std::thread::spawn(move || {
        let _g = weft_refcount::attach();
        for _ in 0..50 {
            let refs: Vec<ObjRef> = (0..100)
                .flat_map(|_| [name.to_ref(), made.to_ref()])
                .collect();
            tx.send(refs).unwrap();
        }
    });
    let mut dropped = 0;
    // Detached while waiting: in the gil build the worker needs the GIL.
    while let Ok(refs) = weft_refcount::blocking(|| rx.recv()) {
        dropped += refs.len();
        drop(refs); // dropped on the creator (former owner) thread
        assert_eq!(name.count(), usize::MAX);
    }
    weft_refcount::blocking(|| worker.join()).unwrap();
    assert_eq!(dropped, 10_000);
    // The creator's own extra drops do nothing either.
    for _ in 0..10 {
        drop(made.to_ref());
    }
    assert_eq!(made.count(), usize::MAX);
    assert_eq!(made.repr().unwrap(), "'made immortal at run time'");
    assert!(std::ptr::eq(intern("weft_immortal_test_name"), name));
}
