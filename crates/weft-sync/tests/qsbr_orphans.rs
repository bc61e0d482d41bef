//! Regression: items handed to the global list by threads that go offline or exit must not be
//! freed by a scan that began before they were tagged (a reader that came online after the
//! scan looked at its record may still hold them). Readers check a canary that the free
//! function clobbers; a use-after-free shows up as a failed assertion (or a crash).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering};

use weft_sync::qsbr;

struct Node {
    magic: AtomicU64,
}

const MAGIC: u64 = 0xfeed_beef;

unsafe fn free_node(p: *mut ()) {
    // SAFETY: `p` came from Box::into_raw in `writer` and QSBR frees it exactly once.
    let b = unsafe { Box::from_raw(p as *mut Node) };
    b.magic.store(0xdead, Ordering::Relaxed);
}

fn reader(head: &AtomicPtr<Node>, stop: &AtomicBool, iters: u64) {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) && n < iters {
        qsbr::online();
        let p = head.load(Ordering::Acquire);
        // SAFETY: read while online: QSBR keeps `p` alive until we go offline.
        let node = unsafe { &*p };
        for _ in 0..20 {
            std::hint::spin_loop();
        }
        assert_eq!(node.magic.load(Ordering::Relaxed), MAGIC, "use after free");
        qsbr::offline();
        n += 1;
    }
}

#[test]
fn orphans_are_not_freed_under_late_readers() {
    let head = Arc::new(AtomicPtr::new(Box::into_raw(Box::new(Node {
        magic: AtomicU64::new(MAGIC),
    }))));
    let stop = Arc::new(AtomicBool::new(false));
    let mut hs = vec![];
    for _ in 0..2 {
        let (head, stop) = (head.clone(), stop.clone());
        hs.push(std::thread::spawn(move || reader(&head, &stop, u64::MAX)));
    }
    {
        // Short-lived readers: each exits (goes offline) after a while.
        let (head, stop) = (head.clone(), stop.clone());
        hs.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let (h2, s2) = (head.clone(), stop.clone());
                std::thread::spawn(move || reader(&h2, &s2, 1000))
                    .join()
                    .unwrap();
            }
        }));
    }
    let writers: Vec<_> = (0..2)
        .map(|_| {
            let head = head.clone();
            std::thread::spawn(move || {
                // Short-lived writers: their pending items become orphans when they exit.
                for _ in 0..15 {
                    let head = head.clone();
                    std::thread::spawn(move || {
                        for _ in 0..2_000 {
                            let new = Box::into_raw(Box::new(Node {
                                magic: AtomicU64::new(MAGIC),
                            }));
                            let old = head.swap(new, Ordering::AcqRel);
                            // SAFETY: `old` is unlinked; free_node frees a Box<Node>.
                            unsafe { qsbr::retire(old as *mut (), free_node) };
                            qsbr::poll();
                        }
                    })
                    .join()
                    .unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    for h in hs {
        h.join().unwrap();
    }
    let last = head.swap(std::ptr::null_mut(), Ordering::AcqRel);
    // SAFETY: every other thread is gone.
    drop(unsafe { Box::from_raw(last) });
}
