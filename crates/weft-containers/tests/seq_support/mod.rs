//! Helpers shared by the sequence tests (`tuple_*`, `list_*`, `iter_*`, `seq_*`): the Python
//! thread discipline (attach, check points, blocking), int helpers, and a tracked object type
//! whose frees are counted.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use weft_containers::list::List;
use weft_object::scalar::int::Int;
use weft_object::types::OBJECT_TYPE;
use weft_object::{ObjRef, Object, Payload, Slots, TypeObject, int_from_i64};

/// A thread running "Python": attached (holding the GIL in the gil build) and online for
/// lock-free reads (QSBR). Check points also pass a QSBR quiescent point; blocking waits go
/// offline and detach, as the runtime does for Python threads.
pub struct PyThread {
    guard: weft_refcount::AttachGuard,
}

impl PyThread {
    /// Attaches the calling thread and brings it online.
    pub fn attach() -> PyThread {
        let guard = weft_refcount::attach();
        weft_sync::qsbr::online();
        PyThread { guard }
    }

    /// The eval breaker's check point (GIL switch, merges) and a quiescent point.
    pub fn check_point(&self) {
        weft_sync::qsbr::quiescent();
        self.guard.check_point();
    }

    /// Runs a blocking `f` offline and detached.
    pub fn blocking<R>(&self, f: impl FnOnce() -> R) -> R {
        weft_sync::qsbr::offline();
        let r = self.guard.blocking(f);
        weft_sync::qsbr::online();
        r
    }
}

impl Drop for PyThread {
    fn drop(&mut self) {
        weft_sync::qsbr::offline();
    }
}

/// An int object.
pub fn int(v: i64) -> ObjRef {
    int_from_i64(v)
}

/// The value of an int object.
pub fn val(o: &Object) -> i64 {
    o.downcast::<Int>()
        .and_then(Int::as_i64)
        .expect("an int object")
}

/// The values of a list of ints.
pub fn vals(l: &Object) -> Vec<i64> {
    List::of(l)
        .expect("a list")
        .to_vec()
        .iter()
        .map(|o| val(o))
        .collect()
}

/// A list of int objects.
pub fn int_list(vs: &[i64]) -> ObjRef {
    weft_containers::new_list(vs.iter().map(|&v| int(v)).collect())
}

/// Frees of [`Tracked`] objects so far.
pub static TRACKED_FREED: AtomicUsize = AtomicUsize::new(0);
/// [`Tracked`] objects made so far.
pub static TRACKED_MADE: AtomicUsize = AtomicUsize::new(0);

const LIVE: u64 = 0x11fe_11fe_11fe_11fe;
const DEAD: u64 = 0xdead_dead_dead_dead;

/// An object type whose payload checks it is alive when used and counts its frees: a reader
/// that got a freed object (or a double free) trips the assertions.
pub struct Tracked {
    magic: AtomicU64,
    /// A serial number.
    pub serial: u64,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let m = self.magic.swap(DEAD, Ordering::SeqCst);
        assert_eq!(
            m, LIVE,
            "tracked object freed twice (serial {})",
            self.serial
        );
        TRACKED_FREED.fetch_add(1, Ordering::SeqCst);
    }
}

weft_sync::shim_static! {
    /// `tracked`
    pub static TRACKED_TYPE: TypeObject =
        TypeObject::new_static::<Tracked>("tracked", Some(&OBJECT_TYPE), Slots::EMPTY);
}

impl Payload for Tracked {
    fn type_object() -> &'static TypeObject {
        &TRACKED_TYPE
    }
}

/// A new tracked object.
pub fn tracked(serial: u64) -> ObjRef {
    TRACKED_MADE.fetch_add(1, Ordering::SeqCst);
    ObjRef::new(Tracked {
        magic: AtomicU64::new(LIVE),
        serial,
    })
}

/// Asserts `o` is a live tracked object and returns its serial.
pub fn check_tracked(o: &Object) -> u64 {
    let t = o.downcast::<Tracked>().expect("a tracked object");
    assert_eq!(
        t.magic.load(Ordering::SeqCst),
        LIVE,
        "reader got a freed object (serial {})",
        t.serial
    );
    t.serial
}

/// Frees everything QSBR still holds that can be freed now (this thread's quiescent point
/// included).
pub fn drain_qsbr() {
    for _ in 0..4 {
        weft_sync::qsbr::quiescent();
        weft_sync::qsbr::reclaim_now();
    }
}

/// Drains QSBR until `done()` holds: other online threads of the test process (tests run in
/// parallel) must pass quiescent points first. Panics after 20 s.
pub fn drain_until(mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    loop {
        drain_qsbr();
        if done() {
            return;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "deferred releases never ran"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}
