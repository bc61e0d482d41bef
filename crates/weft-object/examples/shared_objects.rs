//! Eight threads create objects, share them through a common pool and drop them; at the end
//! the program prints how each object was freed — by its owner's plain decrement, by the
//! decrement that completed a merge, or from a merge queue — and checks that the three add up
//! to the number of objects created.
//!
//! `cargo run --release -p weft-object --example shared_objects` (gil build)
//! `cargo run --release -p weft-object --features nogil --example shared_objects`

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use weft_object::types::OBJECT_TYPE;
use weft_object::{ObjRef, Payload, Slots, TypeObject};
use weft_sync::stats::{self, Event};

static DROPPED: AtomicUsize = AtomicUsize::new(0);

struct Item(u64);

impl Drop for Item {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

static ITEM_TYPE: TypeObject =
    TypeObject::new_static::<Item>("Item", Some(&OBJECT_TYPE), Slots::EMPTY);

impl Payload for Item {
    fn type_object() -> &'static TypeObject {
        &ITEM_TYPE
    }
}

fn main() {
    const THREADS: u64 = 8;
    const PER_THREAD: u64 = 200_000;
    let before = stats::snapshot();
    let pool: Arc<Vec<Mutex<Option<ObjRef>>>> =
        Arc::new((0..1024).map(|_| Mutex::new(None)).collect());
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let pool = pool.clone();
            std::thread::spawn(move || {
                let g = weft_refcount::attach();
                let mut sum = 0u64;
                let mut borrowed: std::collections::VecDeque<ObjRef> = Default::default();
                for i in 0..PER_THREAD {
                    let obj = ObjRef::new(Item(i));
                    // Every fourth object goes into the shared pool, displacing one that
                    // another thread probably created; the rest die young on their owner.
                    if i % 4 == 0 {
                        let slot = ((i / 4 * 7 + t * 131) % 1024) as usize;
                        let old = pool[slot].lock().unwrap().replace(obj.clone());
                        if let Some(o) = old {
                            sum += o.downcast::<Item>().unwrap().0;
                        }
                    }
                    // Every fourth object (offset by one) borrows a pooled object for a while:
                    // a non-owner reference, counted in the shared count.
                    if i % 4 == 1 {
                        let slot = ((i * 13 + t * 17) % 1024) as usize;
                        if let Some(o) = pool[slot].lock().unwrap().clone() {
                            borrowed.push_back(o);
                        }
                        if borrowed.len() > 32 {
                            borrowed.pop_front();
                        }
                    }
                    drop(obj);
                    if i % 256 == 0 {
                        g.check_point();
                    }
                }
                drop(borrowed);
                drop(g);
                weft_refcount::thread_exit();
                sum
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    for slot in pool.iter() {
        slot.lock().unwrap().take();
    }
    weft_refcount::thread_exit();
    let d = stats::snapshot().since(&before);
    let created = THREADS * PER_THREAD;
    let (owner, merge, queue) = (
        d.get(Event::FreedByOwner),
        d.get(Event::FreedByMerge),
        d.get(Event::FreedByQueue),
    );
    println!(
        "weft {} build: {THREADS} threads, {created} objects created",
        weft_object::VARIANT
    );
    println!("  freed by owner: {owner:>9}");
    println!("  freed by merge: {merge:>9}");
    println!("  freed by queue: {queue:>9}");
    println!("  total freed:    {:>9}", owner + merge + queue);
    println!(
        "  merges {}, queued decrefs {}, merged for a parked/exited owner {}, shared-count ops {}",
        d.get(Event::Merge),
        d.get(Event::Queue),
        d.get(Event::HelpedMerge),
        d.get(Event::SharedRcOp)
    );
    let dropped = DROPPED.load(Ordering::Relaxed) as u64;
    assert_eq!(
        dropped, created,
        "every object's payload dropped exactly once"
    );
    assert_eq!(
        owner + merge + queue,
        created,
        "every object freed exactly once"
    );
    println!("ok: all {created} objects freed exactly once");
}
