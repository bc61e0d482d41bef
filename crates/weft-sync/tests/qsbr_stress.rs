//! Stress tests of [`weft_sync::qsbr`] with exact invariants.
//!
//! Writers replace nodes in shared slots and retire the old ones; readers load nodes lock-free,
//! look at them for a while and then pass a quiescent point. A node's free function marks it
//! dead (and counts the call) instead of deallocating it, so a reader can check — before its
//! quiescent point — that nothing it loaded was freed under it. At the end every retired node
//! has been freed exactly once.
#![cfg(not(weft_loom))]

use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

use weft_sync::qsbr::{Domain, Participant};

struct Node {
    value: u64,
    dead: AtomicBool,
    frees: AtomicUsize,
}

/// Every node ever made, so the test can deallocate them at the end (free functions only mark
/// nodes dead: reading a really freed node would be undefined behaviour, not a test failure).
static ALL: Mutex<Vec<usize>> = Mutex::new(Vec::new());

fn node(value: u64) -> *mut Node {
    let p = Box::into_raw(Box::new(Node {
        value,
        dead: AtomicBool::new(false),
        frees: AtomicUsize::new(0),
    }));
    ALL.lock().unwrap().push(p as usize);
    p
}

/// # Safety
/// `p` is a `Node` made by [`node`], still allocated (nodes are only deallocated by
/// [`release_all`]).
unsafe fn free_node(p: *mut ()) {
    // SAFETY: per the contract.
    let n = unsafe { &*(p as *const Node) };
    n.dead.store(true, Ordering::SeqCst);
    n.frees.fetch_add(1, Ordering::SeqCst);
}

/// Deallocates the nodes made by this test whose addresses are in `mine`.
fn release(mine: &[usize]) {
    let mut all = ALL.lock().unwrap();
    for &a in mine {
        // SAFETY: made by `node` with Box::new; no thread uses it any more.
        drop(unsafe { Box::from_raw(a as *mut Node) });
    }
    all.retain(|a| !mine.contains(a));
}

fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

struct Shared {
    slots: Vec<AtomicPtr<Node>>,
    retired: AtomicUsize,
    stop: AtomicBool,
}

/// Stops every thread when dropped, also when a thread panics (so a failure never hangs).
struct StopOnDrop<'a>(&'a AtomicBool, bool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        if self.1 || std::thread::panicking() {
            self.0.store(true, Ordering::Relaxed);
        }
    }
}

/// Reads a few slots, holding every loaded node until the end of the batch; checks each is
/// alive right before the quiescent point.
fn read_batch(s: &Shared, p: &Participant, rng: &mut u64) {
    let mut held: [*const Node; 4] = [std::ptr::null(); 4];
    for h in &mut held {
        let i = (xorshift(rng) % s.slots.len() as u64) as usize;
        *h = s.slots[i].load(Ordering::Acquire);
        // SAFETY: loaded while online; QSBR keeps it allocated (and, if the protocol holds,
        // not even logically freed) until our next quiescent point.
        let n = unsafe { &**h };
        assert!(
            !n.dead.load(Ordering::SeqCst),
            "node freed while a reader held it"
        );
        std::hint::black_box(n.value);
    }
    for _ in 0..(xorshift(rng) % 50) {
        std::hint::spin_loop();
    }
    for &h in &held {
        // SAFETY: as above.
        let n = unsafe { &*h };
        assert!(
            !n.dead.load(Ordering::SeqCst),
            "node freed before the reader's quiescent point"
        );
    }
    p.quiescent();
}

fn run(readers: usize, writers: usize, replacements: usize, toggles: bool) {
    let domain = Domain::new();
    let slots = (0..16).map(|i| AtomicPtr::new(node(i))).collect();
    let s = Arc::new(Shared {
        slots,
        retired: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    });
    let start = Arc::new(Barrier::new(readers + writers));
    let mut hs = Vec::new();
    for r in 0..readers {
        let (s, d, start) = (s.clone(), domain.clone(), start.clone());
        hs.push(thread::spawn(move || {
            let _stop = StopOnDrop(&s.stop, false);
            let p = Participant::new(&d);
            p.online();
            start.wait();
            let mut rng = 0x9e37_79b9_7f4a_7c15 ^ (r as u64 + 1);
            let mut batches = 0u64;
            while !s.stop.load(Ordering::Relaxed) {
                read_batch(&s, &p, &mut rng);
                batches += 1;
                if toggles && batches.is_multiple_of(97) {
                    p.offline();
                    thread::yield_now();
                    p.online();
                }
            }
        }));
    }
    let writers_done = Arc::new(AtomicUsize::new(0));
    for w in 0..writers {
        let (s, d, start, done) = (
            s.clone(),
            domain.clone(),
            start.clone(),
            writers_done.clone(),
        );
        hs.push(thread::spawn(move || {
            let mut stop = StopOnDrop(&s.stop, false);
            let p = Participant::new(&d);
            p.online();
            start.wait();
            let mut rng = 0x2545_f491_4f6c_dd1d ^ (w as u64 + 7);
            for k in 0..replacements {
                let i = (xorshift(&mut rng) % s.slots.len() as u64) as usize;
                let old = s.slots[i].swap(node(k as u64), Ordering::AcqRel);
                // SAFETY: `old` was unlinked by the swap; free_node only marks it.
                unsafe { p.retire(old as *mut (), free_node) };
                s.retired.fetch_add(1, Ordering::Relaxed);
                // Writers read too, and pass quiescent points.
                read_batch(&s, &p, &mut rng);
                if k.is_multiple_of(64) {
                    p.poll();
                }
            }
            stop.1 = done.fetch_add(1, Ordering::SeqCst) + 1 == writers;
            // Exiting hands anything not yet freed to the domain.
        }));
    }
    for h in hs {
        h.join().unwrap();
    }
    // Everyone is gone: everything retired can be freed now.
    let p = Participant::new(&domain);
    p.reclaim_now();
    assert_eq!(domain.orphaned(), 0);
    drop(p);
    let mine: Vec<usize> = {
        let current: Vec<usize> = s
            .slots
            .iter()
            .map(|a| a.load(Ordering::Relaxed) as usize)
            .collect();
        let all = ALL.lock().unwrap();
        let mut freed = 0;
        let mut mine = Vec::new();
        for &a in all.iter() {
            // SAFETY: still allocated (only `release` deallocates).
            let n = unsafe { &*(a as *const Node) };
            if current.contains(&a) {
                assert_eq!(n.frees.load(Ordering::SeqCst), 0, "live node freed");
                mine.push(a);
            } else if n.frees.load(Ordering::SeqCst) > 0 || n.dead.load(Ordering::SeqCst) {
                assert_eq!(n.frees.load(Ordering::SeqCst), 1, "node freed twice");
                freed += 1;
                mine.push(a);
            }
        }
        assert_eq!(
            freed,
            s.retired.load(Ordering::SeqCst),
            "every retired node freed"
        );
        mine
    };
    release(&mine);
}

/// Tests in this file share `ALL`; run them one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

#[test]
fn readers_never_see_freed_nodes() {
    let _s = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    run(3, 2, 5_000, false);
}

#[test]
fn readers_going_offline_and_online() {
    let _s = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    run(3, 3, 3_000, true);
}

#[test]
fn many_writers_few_readers() {
    let _s = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    run(1, 6, 1_500, true);
}

/// Single-threaded bookkeeping: an online thread's own retired items wait for its own
/// quiescent point; an offline thread's wait for nobody.
#[test]
fn own_quiescent_point_gates_own_items() {
    let _s = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let d = Domain::new();
    let p = Participant::new(&d);
    p.online();
    let n = node(1);
    // SAFETY: `n` is not shared at all; free_node only marks it.
    unsafe { p.retire(n as *mut (), free_node) };
    assert_eq!(p.pending(), 1);
    // Not a quiescent point: our record predates the retire.
    assert_eq!(p.reclaim_now(), 0);
    // SAFETY: not freed (only `release` deallocates).
    assert!(!unsafe { &*n }.dead.load(Ordering::SeqCst));
    // Quiescent points scan at a limited rate; enough of them free it.
    for _ in 0..16 {
        p.quiescent();
    }
    assert_eq!(p.pending(), 0);
    // SAFETY: as above.
    assert_eq!(unsafe { &*n }.frees.load(Ordering::SeqCst), 1);

    // Another online thread that never passes a quiescent point holds items back.
    let other = {
        let d = d.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
        let h = thread::spawn(move || {
            let q = Participant::new(&d);
            q.online();
            tx.send(()).unwrap();
            go_rx.recv().unwrap();
            q.quiescent();
            go_rx.recv().unwrap();
        });
        rx.recv().unwrap();
        (h, go_tx)
    };
    let m = node(2);
    // SAFETY: as above.
    unsafe { p.retire(m as *mut (), free_node) };
    for _ in 0..16 {
        p.quiescent();
    }
    assert_eq!(p.pending(), 1, "held back by the other online thread");
    other.1.send(()).unwrap();
    // Wait until the other thread's quiescent point is visible, then reclaim.
    let mut tries = 0;
    while p.pending() != 0 {
        p.quiescent();
        p.reclaim_now();
        tries += 1;
        assert!(tries < 1_000_000, "never reclaimed");
        thread::yield_now();
    }
    other.1.send(()).unwrap();
    other.0.join().unwrap();

    // Offline: retire then reclaim frees at once (no other thread online).
    p.offline();
    let k = node(3);
    // SAFETY: as above.
    unsafe { p.retire(k as *mut (), free_node) };
    assert_eq!(p.reclaim_now(), 1);
    drop(p);
    drop(d);
    release(&[n as usize, m as usize, k as usize]);
}
