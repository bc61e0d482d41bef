//! The global QSBR API ([`weft_sync::qsbr::retire`], [`quiescent`], ...) as the runtime uses
//! it: threads go online, retire, pass quiescent points and exit without leaking; items are
//! freed exactly once. One test per binary: the global domain is process-wide.
#![cfg(not(weft_loom))]

use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use weft_sync::qsbr;

static FREED: AtomicUsize = AtomicUsize::new(0);

struct Node {
    dead: AtomicBool,
}

/// # Safety
/// `p` is a leaked `Box<Node>` (nodes are deallocated only after the test's final check).
unsafe fn mark_dead(p: *mut ()) {
    // SAFETY: per the contract.
    let n = unsafe { &*(p as *const Node) };
    assert!(!n.dead.swap(true, Ordering::SeqCst), "freed twice");
    FREED.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn global_api_threads_exit_without_leaks() {
    const THREADS: usize = 4;
    const ROUNDS: usize = 5_000;
    let slot = Arc::new(AtomicPtr::new(Box::into_raw(Box::new(Node {
        dead: AtomicBool::new(false),
    }))));
    let all = Arc::new(std::sync::Mutex::new(vec![
        slot.load(Ordering::Relaxed) as usize
    ]));
    let barrier = Arc::new(Barrier::new(THREADS));
    let hs: Vec<_> = (0..THREADS)
        .map(|t| {
            let (slot, all, barrier) = (slot.clone(), all.clone(), barrier.clone());
            thread::spawn(move || {
                qsbr::online();
                qsbr::online(); // idempotent
                assert!(qsbr::is_online());
                barrier.wait();
                for k in 0..ROUNDS {
                    // Read.
                    let p = slot.load(Ordering::Acquire);
                    // SAFETY: loaded while online, before our next quiescent point.
                    assert!(!unsafe { &*p }.dead.load(Ordering::SeqCst));
                    if (k + t) % 3 == 0 {
                        let new = Box::into_raw(Box::new(Node {
                            dead: AtomicBool::new(false),
                        }));
                        all.lock().unwrap().push(new as usize);
                        let old = slot.swap(new, Ordering::AcqRel);
                        // SAFETY: unlinked by the swap; mark_dead only marks.
                        unsafe { qsbr::retire(old as *mut (), mark_dead) };
                    }
                    // SAFETY: still before the quiescent point.
                    assert!(!unsafe { &*p }.dead.load(Ordering::SeqCst));
                    qsbr::quiescent();
                    if k.is_multiple_of(500) {
                        qsbr::offline();
                        assert!(!qsbr::is_online());
                        qsbr::online();
                    }
                }
                // Leave some items pending at exit: the thread hands them over.
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let retired = all.lock().unwrap().len() - 1;
    // This thread never went online; every other thread has exited.
    qsbr::reclaim_now();
    assert_eq!(qsbr::pending(), 0);
    assert_eq!(FREED.load(Ordering::SeqCst), retired);
    let live = slot.load(Ordering::Relaxed) as usize;
    for &a in all.lock().unwrap().iter() {
        // SAFETY: every node was made with Box::new and no thread uses it any more.
        let n = unsafe { Box::from_raw(a as *mut Node) };
        assert_eq!(n.dead.load(Ordering::SeqCst), a != live);
    }
}
