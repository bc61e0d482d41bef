//! Atomic object slots: readers racing with writers on both kinds see only stored values, a
//! private `BiasedRef` drops what it replaces at once and a shared one waits for the grace
//! period, `take` and `get_or_init`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use weft_object::atomic_ref::{AtomicRef, BiasedRef};
use weft_object::types::PyStr;
use weft_object::{ObjRef, str_obj};

fn text(o: &ObjRef) -> String {
    o.downcast::<PyStr>().expect("a str").as_str().to_owned()
}

/// What the two slot kinds have in common, for one race test.
trait Slot: Send + Sync + 'static {
    fn read(&self) -> Option<ObjRef>;
    fn write(&self, v: Option<ObjRef>);
}

impl Slot for AtomicRef {
    fn read(&self) -> Option<ObjRef> {
        self.get()
    }
    fn write(&self, v: Option<ObjRef>) {
        self.set(v)
    }
}

impl Slot for BiasedRef {
    fn read(&self) -> Option<ObjRef> {
        self.get()
    }
    fn write(&self, v: Option<ObjRef>) {
        self.set(v)
    }
}

/// Two writers store `w:round` (and sometimes empty the slot) while two readers check every
/// value they load; the slot is made on the test thread, which writes too (the maker's
/// private path racing with other threads).
fn race<S: Slot>(slot: S) {
    const ROUNDS: usize = 3_000;
    let slot = Arc::new(slot);
    let stop = Arc::new(AtomicBool::new(false));
    let started = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (slot, stop, started) = (slot.clone(), stop.clone(), started.clone());
            std::thread::spawn(move || {
                let g = weft_refcount::attach();
                started.fetch_add(1, Ordering::AcqRel);
                let mut reads = 0usize;
                while !stop.load(Ordering::Acquire) && reads < 400_000 {
                    for _ in 0..16 {
                        if let Some(x) = slot.read() {
                            let t = text(&x);
                            let (w, n) = t.split_once(':').expect("writer:round");
                            assert!(w == "0" || w == "1", "{t}");
                            assert!(n.parse::<usize>().unwrap() < ROUNDS, "{t}");
                            reads += 1;
                        }
                    }
                    g.check_point();
                    weft_refcount::blocking(std::thread::yield_now);
                }
            })
        })
        .collect();
    while started.load(Ordering::Acquire) < 2 {
        std::thread::yield_now();
    }
    let other = {
        let slot = slot.clone();
        std::thread::spawn(move || {
            let g = weft_refcount::attach();
            for round in 0..ROUNDS {
                slot.write(Some(str_obj(format!("1:{round}"))));
                if round % 50 == 0 {
                    g.check_point();
                }
            }
        })
    };
    {
        let g = weft_refcount::attach();
        for round in 0..ROUNDS {
            let v = (round % 7 != 0).then(|| str_obj(format!("0:{round}")));
            slot.write(v);
            if round % 50 == 0 {
                g.check_point();
            }
        }
        weft_refcount::blocking(|| other.join()).unwrap();
        slot.write(Some(str_obj(format!("0:{}", ROUNDS - 1))));
    }
    stop.store(true, Ordering::Release);
    for r in readers {
        r.join().unwrap();
    }
    let _g = weft_refcount::attach();
    assert_eq!(
        text(&slot.read().expect("set")),
        format!("0:{}", ROUNDS - 1)
    );
}

#[test]
fn atomic_ref_readers_see_only_stored_values() {
    let _g = weft_refcount::attach();
    let slot = AtomicRef::new(None);
    drop(_g);
    race(slot);
}

#[test]
fn biased_ref_readers_see_only_stored_values() {
    let _g = weft_refcount::attach();
    let slot = BiasedRef::new(Some(str_obj("0:0")));
    drop(_g);
    race(slot);
}

#[test]
fn a_private_slot_drops_at_once_and_a_shared_one_after_the_grace_period() {
    let g = weft_refcount::attach();
    let slot = Arc::new(BiasedRef::new(None));
    let x = str_obj("watched");
    slot.set(Some(x.clone()));
    let with_slot = x.count();
    slot.set(Some(str_obj("next")));
    assert_eq!(x.count(), with_slot - 1, "the maker's write drops at once");
    assert!(!slot.is_shared());
    {
        let slot = slot.clone();
        let reader = std::thread::spawn(move || {
            let _g = weft_refcount::attach();
            assert_eq!(text(&slot.get().unwrap()), "next");
        });
        // Detached while waiting: the reader needs the GIL in the gil build.
        weft_refcount::blocking(|| reader.join()).unwrap();
    }
    slot.set(Some(x.clone()));
    let with_slot = x.count();
    slot.set(Some(str_obj("last")));
    if cfg!(feature = "nogil") {
        assert!(slot.is_shared(), "another thread's read shares the slot");
        assert_eq!(x.count(), with_slot, "a shared slot's old value waits");
        // Other tests' threads take part in the grace period too: give them time.
        for _ in 0..100_000 {
            if x.count() < with_slot {
                break;
            }
            g.check_point();
            weft_refcount::blocking(std::thread::yield_now);
        }
        assert_eq!(
            x.count(),
            with_slot - 1,
            "...until the grace period is over"
        );
    } else {
        assert!(
            !slot.is_shared(),
            "the gil build has no private slots to share"
        );
        assert_eq!(x.count(), with_slot - 1);
    }
}

#[test]
fn take_empties_and_get_or_init_fills_once() {
    let _g = weft_refcount::attach();
    let b = BiasedRef::new(Some(str_obj("a")));
    assert_eq!(b.take().as_ref().map(text).as_deref(), Some("a"));
    assert!(b.is_none() && b.take().is_none() && b.get().is_none());
    let a = AtomicRef::new(Some(str_obj("b")));
    assert_eq!(a.take().as_ref().map(text).as_deref(), Some("b"));
    assert!(a.is_none());
    let first = a.get_or_init(|| str_obj("made"));
    let again = a.get_or_init(|| panic!("already made"));
    assert!(first.is(&again));
    assert_eq!(text(&a.get().unwrap()), "made");
}
