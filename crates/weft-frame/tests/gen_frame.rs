//! Generator frames: the image moves bitwise between the generator and the data stack, and
//! the state word hands the image to one claimant at a time.

#![cfg(not(weft_loom))]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use weft_frame::{CodeInfo, FrameImage, FrameInit, GenFrame, GenState, with_stack};
use weft_object::{ObjRef, int_from_i64, none};

fn code() -> Arc<CodeInfo> {
    Arc::new(
        CodeInfo::new("g", "t.py", 1)
            .with_locals(["a", "b", "c"])
            .with_stack_size(3),
    )
}

fn init(c: &Arc<CodeInfo>) -> FrameInit {
    FrameInit::new(c.clone(), none().to_ref(), none().to_ref())
}

/// A value whose reference count the test can watch: a fresh (mortal) object.
fn fresh() -> ObjRef {
    int_from_i64(1 << 40)
}

fn int_of(v: &ObjRef) -> i64 {
    v.repr().unwrap().parse().unwrap()
}

#[test]
fn image_round_trip_moves_values_without_cloning() {
    let c = code();
    let v = fresh();
    let before = v.count();
    let mut image = FrameImage::new(vec![Some(int_from_i64(1)), Some(v.clone())], 3, 6);
    assert_eq!(v.count(), before + 1);
    let frame = GenFrame::new(image);
    let mut claim = frame.try_claim().expect("free");
    assert_eq!(claim.prev(), GenState::Created);
    assert_eq!(frame.state(), GenState::Running);
    assert_eq!(frame.try_claim().unwrap_err(), GenState::Running);
    with_stack(|ds| {
        ds.push_image(init(&c), &mut claim).unwrap();
        // Moved, not copied: the image is empty, the count unchanged.
        assert!(claim.fixed().iter().all(Option::is_none));
        assert_eq!(v.count(), before + 1);
        assert!(ds.local(1).is_some_and(|x| x.is(&v)));
        ds.set_local(2, Some(int_from_i64(3)));
        ds.push_value(Some(int_from_i64(7)));
        ds.push_value(Some(v.clone()));
        ds.set_ip(11);
        ds.pop_into_image(&mut claim);
        assert_eq!(ds.depth(), 0);
    });
    assert_eq!(v.count(), before + 2);
    assert_eq!(claim.ip(), 11);
    assert_eq!(claim.stack().len(), 2);
    assert!(
        claim.fixed()[2]
            .as_ref()
            .is_some_and(|x| x.is(&int_from_i64(3)))
    );
    claim.release(GenState::Suspended);
    assert_eq!(frame.state(), GenState::Suspended);
    // Back on a stack, with its depth and instruction pointer.
    let mut claim = frame.try_claim().expect("suspended");
    assert_eq!(claim.prev(), GenState::Suspended);
    with_stack(|ds| {
        ds.push_image(init(&c), &mut claim).unwrap();
        assert_eq!(ds.value_depth(), 2);
        assert_eq!(ds.ip(), 11);
        // A pop releases what the frame holds, once.
        ds.pop();
    });
    assert_eq!(v.count(), before);
    claim.release(GenState::Finished);
    assert_eq!(frame.try_claim().unwrap_err(), GenState::Finished);
    image = FrameImage::new(vec![Some(v.clone())], 3, 6);
    drop(GenFrame::new(image));
    assert_eq!(
        v.count(),
        before,
        "an unstarted image releases its arguments"
    );
}

#[test]
fn a_dropped_claim_goes_back_to_its_state() {
    let frame = GenFrame::new(FrameImage::new(vec![], 1, 2));
    drop(frame.try_claim().unwrap());
    assert_eq!(frame.state(), GenState::Created);
    frame.try_claim().unwrap().release(GenState::Suspended);
    drop(frame.try_claim().unwrap());
    assert_eq!(frame.state(), GenState::Suspended);
}

#[test]
fn one_claimant_at_a_time_across_threads() {
    // Each thread claims, pops the counter off the image's value stack, pushes one more and
    // releases; a claim that was not exclusive would lose updates (or pop an empty stack).
    let frame = Arc::new(GenFrame::new(FrameImage::new(vec![], 0, 1)));
    {
        let mut claim = frame.try_claim().unwrap();
        claim.push_value(Some(int_from_i64(0)));
        claim.release(GenState::Suspended);
    }
    let refused = Arc::new(AtomicUsize::new(0));
    let per_thread = 5_000;
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let frame = frame.clone();
            let refused = refused.clone();
            std::thread::spawn(move || {
                let mut done = 0;
                while done < per_thread {
                    match frame.try_claim() {
                        Ok(mut claim) => {
                            let n = int_of(&claim.pop_value().expect("bound"));
                            claim.push_value(Some(int_from_i64(n + 1)));
                            claim.release(GenState::Suspended);
                            done += 1;
                        }
                        Err(GenState::Running) => {
                            refused.fetch_add(1, Ordering::Relaxed);
                            std::hint::spin_loop();
                        }
                        Err(s) => panic!("unexpected state {s:?}"),
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let claim = frame.try_claim().unwrap();
    assert_eq!(int_of(claim.stack()[0].as_ref().unwrap()), 4 * per_thread);
}
