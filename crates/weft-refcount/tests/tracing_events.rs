//! The count protocol's slow paths emit `tracing` events (nogil build; the gil build has no
//! merges or queues).
#![cfg(feature = "nogil")]

use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use weft_refcount::{Brc, attach};

/// Records the `message` of every event under target `weft::refcount`.
struct Collect(Arc<Mutex<Vec<String>>>);

struct Msg(String);
impl Visit for Msg {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl Subscriber for Collect {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        m.target().starts_with("weft::")
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, e: &Event<'_>) {
        let mut m = Msg(String::new());
        e.record(&mut m);
        self.0.lock().unwrap().push(m.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn queue_and_merge_are_traced() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sub = Collect(seen.clone());
    tracing::subscriber::with_default(sub, || {
        let g = attach();
        let a = Brc::new(5u32);
        let b = a.clone();
        // A non-owner drops a reference counted in our local count while we stay attached
        // (we wait by spinning, not through `blocking`, which would let it merge for us):
        // the object is queued to us.
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let d2 = done.clone();
        let h = std::thread::spawn(move || {
            drop(b);
            d2.store(true, std::sync::atomic::Ordering::Release);
        });
        while !done.load(std::sync::atomic::Ordering::Acquire) {
            std::thread::yield_now();
        }
        h.join().unwrap();
        assert_eq!(g.queued(), 1);
        drop(a);
        // The queue is drained at the check point: a merge.
        assert_eq!(g.check_point().freed, 1);
    });
    let seen = seen.lock().unwrap();
    // `with_default` is per-thread: only this thread's events (the merge) are recorded.
    assert!(seen.iter().any(|m| m == "merge"), "events: {seen:?}");
}
