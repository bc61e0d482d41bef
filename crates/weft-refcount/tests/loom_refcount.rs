//! Loom models of the count protocol (run by `cargo xtask loom`, both variants).
//!
//! Each model checks that an object is freed exactly once and never while a reference is
//! still held, over every interleaving loom explores.
#![cfg(weft_loom)]

use std::ptr::NonNull;

use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use loom::thread;
use weft_refcount::{Brc, RcVTable, RefCount, attach, with_thread};
use weft_sync::shim::model;

/// Counts its drops.
struct Tracker(Arc<AtomicUsize>);

impl Drop for Tracker {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn tracker() -> (Arc<AtomicUsize>, Tracker) {
    let n = Arc::new(AtomicUsize::new(0));
    (n.clone(), Tracker(n))
}

/// The owner drops its reference while a non-owner drops the one it got through a shared
/// handle: covers owner-vs-non-owner decref, merge (owner's local count reaching zero while
/// the shared count is positive) and the last decref happening on either thread.
#[test]
fn owner_decref_races_non_owner_decref() {
    model(|| {
        let g = attach();
        let (freed, t) = tracker();
        let a = Arc::new(Brc::new(t));
        let a2 = a.clone();
        let h = thread::spawn(move || {
            let c = (*a2).clone(); // non-owner incref
            drop(a2);
            drop(c);
        });
        drop(a);
        g.blocking(|| h.join().unwrap());
        g.check_point();
        assert_eq!(freed.load(Ordering::SeqCst), 1);
        drop(g);
    });
}

/// A non-owner drops a reference counted in the owner's local count: it must queue the object
/// to the owner, which merges and frees it at a check point. The owner checks concurrently.
#[test]
fn queue_to_owner_then_check_point() {
    model(|| {
        let g = attach();
        let (freed, t) = tracker();
        let a = Brc::new(t);
        let b = a.clone();
        let h = thread::spawn(move || drop(b));
        drop(a);
        g.check_point();
        // Not freed early: if the non-owner has not dropped yet, its reference is alive.
        let early = freed.load(Ordering::SeqCst);
        g.blocking(|| h.join().unwrap());
        g.check_point();
        assert!(early <= 1);
        assert_eq!(freed.load(Ordering::SeqCst), 1);
        drop(g);
    });
}

/// The owner thread exits while a non-owner drops the last reference: whatever the order, the
/// queue is drained at exit or the non-owner merges for the dead owner.
#[test]
fn owner_exits_with_queued_objects() {
    model(|| {
        let (freed, t) = tracker();
        let slot: Arc<loom::sync::Mutex<Option<Brc<Tracker>>>> =
            Arc::new(loom::sync::Mutex::new(None));
        let s2 = slot.clone();
        let owner = thread::spawn(move || {
            let g = attach();
            let a = Brc::new(t);
            *s2.lock().unwrap() = Some(a.clone());
            drop(a);
            drop(g); // detaches
            weft_refcount::thread_exit(); // drains and leaves the registry
        });
        loop {
            let b = slot.lock().unwrap().take();
            if let Some(b) = b {
                drop(b);
                break;
            }
            thread::yield_now();
        }
        owner.join().unwrap();
        assert_eq!(freed.load(Ordering::SeqCst), 1);
    });
}

/// An attached owner exits without detaching first while holding queued objects.
#[test]
fn attached_owner_exits() {
    model(|| {
        let (freed, t) = tracker();
        let (tx_done, b) = {
            let slot = Arc::new(loom::sync::Mutex::new(None));
            let s2 = slot.clone();
            let h = thread::spawn(move || {
                let g = attach();
                let a = Brc::new(t);
                *s2.lock().unwrap() = Some(a.clone());
                std::mem::forget(g); // still attached when the thread ends
                drop(a);
                // Loom runs thread-local destructors after `join` returns; run the exit
                // path explicitly, as weft's thread runner does.
                weft_refcount::thread_exit();
            });
            (h, slot)
        };
        let dropper = thread::spawn(move || {
            loop {
                let x = b.lock().unwrap().take();
                if let Some(x) = x {
                    drop(x);
                    break;
                }
                thread::yield_now();
            }
        });
        tx_done.join().unwrap();
        dropper.join().unwrap();
        assert_eq!(freed.load(Ordering::SeqCst), 1);
    });
}

/// An owner parked in a blocking call must not keep garbage alive: the last reference
/// dropped by another thread frees the object before the owner resumes.
#[test]
fn parked_owner_does_not_hold_garbage() {
    model(|| {
        let (freed, t) = tracker();
        let parked = Arc::new(AtomicBool::new(false));
        let resume = Arc::new(AtomicBool::new(false));
        let slot = Arc::new(loom::sync::Mutex::new(None));
        let (p2, r2, s2) = (parked.clone(), resume.clone(), slot.clone());
        let owner = thread::spawn(move || {
            let g = attach();
            let a = Brc::new(t);
            *s2.lock().unwrap() = Some(a.clone());
            drop(a);
            g.blocking(|| {
                p2.store(true, Ordering::SeqCst);
                while !r2.load(Ordering::SeqCst) {
                    thread::yield_now();
                }
            });
            drop(g);
        });
        while !parked.load(Ordering::SeqCst) {
            thread::yield_now();
        }
        let b = slot.lock().unwrap().take().unwrap();
        drop(b);
        // The owner is still parked: the object must already be gone.
        assert_eq!(freed.load(Ordering::SeqCst), 1);
        resume.store(true, Ordering::SeqCst);
        owner.join().unwrap();
        assert_eq!(freed.load(Ordering::SeqCst), 1);
    });
}

/// A raw object whose "free" only marks it, so that a racing reader's memory stays valid
/// (in the runtime, QSBR keeps it valid).
#[repr(C)]
struct Raw {
    rc: RefCount,
    freed: AtomicUsize,
}

unsafe fn mark_freed(p: NonNull<RefCount>) {
    // SAFETY: every Raw outlives the model body (it is kept in an Arc).
    let raw = unsafe { p.cast::<Raw>().as_ref() };
    raw.freed.fetch_add(1, Ordering::SeqCst);
}

unsafe fn raw_name(_: NonNull<RefCount>) -> String {
    "Raw".into()
}

static RAW_VT: RcVTable = RcVTable {
    free: mark_freed,
    type_name: raw_name,
};

/// `try_incref` racing the final decref: either the reader gets a reference (and the object
/// is not freed until the reader drops it) or it is told no.
#[test]
fn try_incref_races_final_decref() {
    model(|| {
        let g = attach();
        let raw = Arc::new(Raw {
            rc: with_thread(RefCount::new),
            freed: AtomicUsize::new(0),
        });
        let r2 = raw.clone();
        let reader = thread::spawn(move || {
            with_thread(|ts| {
                if r2.rc.try_incref(ts) {
                    assert_eq!(r2.freed.load(Ordering::SeqCst), 0, "freed under a reader");
                    // SAFETY: we hold the reference try_incref gave us.
                    unsafe { ts.decref(NonNull::from(&r2.rc), &RAW_VT) };
                }
            });
        });
        // SAFETY: the creator's reference.
        with_thread(|ts| unsafe { ts.decref(NonNull::from(&raw.rc), &RAW_VT) });
        g.blocking(|| reader.join().unwrap());
        g.check_point();
        assert_eq!(raw.freed.load(Ordering::SeqCst), 1);
        drop(g);
    });
}

/// A reader that already holds a shared reference races the owner's final local decref with
/// its own try_incref + decref pair.
#[test]
fn try_incref_with_shared_reference() {
    model(|| {
        let g = attach();
        let raw = Arc::new(Raw {
            rc: with_thread(RefCount::new),
            freed: AtomicUsize::new(0),
        });
        let r2 = raw.clone();
        // Give the reader a reference of its own, counted in the owner's local count.
        with_thread(|ts| r2.rc.incref(ts));
        let reader = thread::spawn(move || {
            with_thread(|ts| {
                let extra = r2.rc.try_incref(ts);
                if extra {
                    // SAFETY: the reference try_incref gave us.
                    unsafe { ts.decref(NonNull::from(&r2.rc), &RAW_VT) };
                }
                assert_eq!(r2.freed.load(Ordering::SeqCst), 0);
                // SAFETY: the reference handed to us.
                unsafe { ts.decref(NonNull::from(&r2.rc), &RAW_VT) };
            });
        });
        // SAFETY: the creator's reference.
        with_thread(|ts| unsafe { ts.decref(NonNull::from(&raw.rc), &RAW_VT) });
        g.blocking(|| reader.join().unwrap());
        g.check_point();
        assert_eq!(raw.freed.load(Ordering::SeqCst), 1);
        drop(g);
    });
}
