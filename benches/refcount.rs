//! Reference-count benchmarks: weft's `Brc` (owner and non-owner paths) and `ObjRef` against
//! `Rc` and `Arc`, one clone + drop pair per iteration.
//!
//! In the nogil build the owner pair is a plain add and subtract on the owner's local count;
//! the non-owner pair is two atomic read-modify-writes on the shared count. In the gil build
//! both are plain operations under the GIL (the bench thread holds it).

use std::hint::black_box;
use std::rc::Rc;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use weft_refcount::Brc;

fn pairs(c: &mut Criterion) {
    let _attached = weft_refcount::attach();
    let mut g = c.benchmark_group("refcount/pair");
    let rc = Rc::new(1u64);
    g.bench_function("Rc", |b| {
        b.iter(|| drop(black_box(Rc::clone(black_box(&rc)))))
    });
    let arc = Arc::new(1u64);
    g.bench_function("Arc", |b| {
        b.iter(|| drop(black_box(Arc::clone(black_box(&arc)))))
    });
    let owned = Brc::new(1u64);
    g.bench_function("Brc-owner", |b| {
        b.iter(|| drop(black_box(Brc::clone(black_box(&owned)))))
    });
    // Created by another (attached) thread that stays alive: this thread is a non-owner.
    let (tx, rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let keeper = std::thread::spawn(move || {
        let _g = weft_refcount::attach();
        tx.send(Brc::new(1u64)).unwrap();
        _g.blocking(|| done_rx.recv().ok());
    });
    let foreign = _attached.blocking(|| rx.recv().unwrap());
    g.bench_function("Brc-non-owner", |b| {
        b.iter(|| drop(black_box(Brc::clone(black_box(&foreign)))))
    });
    let obj = weft_object::int_from_i64(1 << 40);
    g.bench_function("ObjRef-owner", |b| {
        b.iter(|| drop(black_box(black_box(&obj).clone())))
    });
    g.finish();
    drop(foreign);
    done_tx.send(()).unwrap();
    _attached.blocking(|| keeper.join().unwrap());
}

// criterion's macros generate undocumented items.
#[allow(missing_docs)]
mod harness {
    use super::*;
    criterion_group!(benches, pairs);
}
criterion_main!(harness::benches);
