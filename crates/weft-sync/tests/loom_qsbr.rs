//! Loom models of [`weft_sync::qsbr`]: a retired node is never freed while a reader that
//! loaded it before the unlink still looks at it — including a reader that comes online
//! concurrently with the unlink and the scan — and is freed exactly once. Run with
//! `RUSTFLAGS="--cfg weft_loom" cargo test -p weft-sync --release --test loom_qsbr`.
//!
//! The node's payload sits in loom's `UnsafeCell`: the free function writes it, readers read
//! it, so a free that is not ordered after a reader's look is reported as a data race.
#![cfg(weft_loom)]

use weft_sync::qsbr::{Domain, Participant};
use weft_sync::shim::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use weft_sync::shim::{Arc, UnsafeCell, model, thread};

struct Node {
    /// `true` once freed.
    dead: UnsafeCell<bool>,
    frees: AtomicUsize,
}

fn node() -> *mut Node {
    Box::into_raw(Box::new(Node {
        dead: UnsafeCell::new(false),
        frees: AtomicUsize::new(0),
    }))
}

/// # Safety
/// `p` is a node made by [`node`] that the model deallocates only at its end.
unsafe fn free_node(p: *mut ()) {
    // SAFETY: per the contract.
    let n = unsafe { &*(p as *const Node) };
    // SAFETY: loom checks this write against every reader's read.
    n.dead.with_mut(|d| unsafe { *d = true });
    n.frees.fetch_add(1, Ordering::Relaxed);
}

fn look(n: &Node) {
    // SAFETY: loom checks the read; the protocol promises no concurrent free.
    let dead = n.dead.with(|d| unsafe { *d });
    assert!(!dead, "reader saw a freed node");
}

/// Owns the nodes' memory for the duration of one execution.
struct Nodes(Vec<*mut Node>);

impl Drop for Nodes {
    fn drop(&mut self) {
        for &p in &self.0 {
            // SAFETY: made by `node`; the model's threads have all finished.
            drop(unsafe { Box::from_raw(p) });
        }
    }
}

fn scenario(reader_online_early: bool) {
    let d = Domain::new();
    let (a, b) = (node(), node());
    let nodes = Nodes(vec![a, b]);
    let slot = Arc::new(AtomicPtr::new(a));
    let ready = Arc::new(AtomicBool::new(false));
    let reader = {
        let (d, slot, ready) = (d.clone(), slot.clone(), ready.clone());
        thread::spawn(move || {
            let part = Participant::new(&d);
            part.online();
            ready.store(true, Ordering::Release);
            let n = slot.load(Ordering::Acquire);
            // SAFETY: loaded while online; valid until our quiescent point.
            look(unsafe { &*n });
            part.quiescent();
            // A second read after the quiescent point, then exit (offline).
            let n = slot.load(Ordering::Acquire);
            // SAFETY: as above.
            look(unsafe { &*n });
        })
    };
    let writer = {
        let (d, slot) = (d.clone(), slot.clone());
        thread::spawn(move || {
            if reader_online_early {
                while !ready.load(Ordering::Acquire) {
                    thread::yield_now();
                }
            }
            let part = Participant::new(&d);
            let old = slot.swap(b, Ordering::AcqRel);
            // SAFETY: `old` is unlinked; free_node only marks it.
            unsafe { part.retire(old as *mut (), free_node) };
            part.reclaim_now();
        })
    };
    reader.join().unwrap();
    writer.join().unwrap();
    let part = Participant::new(&d);
    part.reclaim_now();
    drop(part);
    // SAFETY: nodes live until `nodes` drops.
    let (fa, fb) = unsafe { (&*a, &*b) };
    assert_eq!(
        fa.frees.load(Ordering::Relaxed),
        1,
        "retired node freed exactly once"
    );
    assert_eq!(fb.frees.load(Ordering::Relaxed), 0, "live node not freed");
    assert_eq!(d.orphaned(), 0);
    drop(d);
    drop(nodes);
}

#[test]
fn reader_online_races_unlink_and_scan() {
    model(|| scenario(false));
}

#[test]
fn reader_online_before_unlink() {
    model(|| scenario(true));
}

/// The writer is online, retires, and goes offline (handing its item to the domain); the
/// reader reclaims after its own quiescent point, possibly freeing the item on its thread.
#[test]
fn hand_over_and_reader_side_reclaim() {
    model(|| {
        let d = Domain::new();
        let (a, b) = (node(), node());
        let nodes = Nodes(vec![a, b]);
        let slot = Arc::new(AtomicPtr::new(a));
        let reader = {
            let (d, slot) = (d.clone(), slot.clone());
            thread::spawn(move || {
                let part = Participant::new(&d);
                part.online();
                let n = slot.load(Ordering::Acquire);
                // SAFETY: loaded while online; valid until our quiescent point.
                look(unsafe { &*n });
                part.quiescent();
                part.reclaim_now();
            })
        };
        let writer = {
            let (d, slot) = (d.clone(), slot.clone());
            thread::spawn(move || {
                let part = Participant::new(&d);
                part.online();
                let old = slot.swap(b, Ordering::AcqRel);
                // SAFETY: `old` is unlinked; free_node only marks it.
                unsafe { part.retire(old as *mut (), free_node) };
                part.offline();
                assert_eq!(part.pending(), 0, "handed over");
            })
        };
        reader.join().unwrap();
        writer.join().unwrap();
        Participant::new(&d).reclaim_now();
        // SAFETY: nodes live until `nodes` drops.
        let fa = unsafe { &*a };
        assert_eq!(fa.frees.load(Ordering::Relaxed), 1);
        assert_eq!(d.orphaned(), 0);
        drop(d);
        drop(nodes);
    });
}
