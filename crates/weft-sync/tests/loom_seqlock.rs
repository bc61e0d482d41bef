//! Loom model of [`weft_sync::seqlock::SeqLock`]: a reader that validates never sees the data
//! words of two different writes, with two writers racing to claim the entry. Run with
//! `RUSTFLAGS="--cfg weft_loom" cargo test -p weft-sync --release --test loom_seqlock`.
#![cfg(weft_loom)]

use weft_sync::seqlock::SeqLock;
use weft_sync::shim::atomic::{AtomicU32, Ordering};
use weft_sync::shim::{Arc, thread};

/// Two data words that every write sets to the same value.
struct Entry {
    lock: SeqLock,
    a: AtomicU32,
    b: AtomicU32,
}

impl Entry {
    fn write(&self, v: u32) -> bool {
        let Some(s) = self.lock.try_claim() else {
            return false;
        };
        self.a.store(v, Ordering::Relaxed);
        self.b.store(v, Ordering::Relaxed);
        self.lock.publish(s);
        true
    }

    fn read(&self) -> Option<(u32, u32)> {
        let s = self.lock.begin()?;
        let a = self.a.load(Ordering::Relaxed);
        let b = self.b.load(Ordering::Relaxed);
        self.lock.validate(s).then_some((a, b))
    }
}

#[test]
fn validated_reads_see_one_write() {
    loom::model(|| {
        let e = Arc::new(Entry {
            lock: SeqLock::new(),
            a: AtomicU32::new(0),
            b: AtomicU32::new(0),
        });
        let writers: Vec<_> = [1u32, 2]
            .into_iter()
            .map(|v| {
                let e = e.clone();
                thread::spawn(move || e.write(v))
            })
            .collect();
        if let Some((a, b)) = e.read() {
            assert_eq!(a, b, "a torn read validated");
        }
        let wrote: Vec<bool> = writers.into_iter().map(|w| w.join().unwrap()).collect();
        assert!(
            wrote.iter().any(|w| *w),
            "one writer at least claims the entry"
        );
        // After both writers are done, a read validates and sees a value some writer stored.
        let (a, b) = e.read().expect("no writer inside any more");
        assert_eq!(a, b);
        assert!(a == 1 || a == 2);
    });
}
