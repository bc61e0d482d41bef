//! The per-object mutex against `std::sync::Mutex` and `parking_lot::Mutex`.
//!
//! * `mutex/uncontended`: lock, increment the protected `u64`, unlock, on one thread.
//! * `mutex/contended-2t`: two threads each do `OPS` lock/increment/unlock on one shared mutex;
//!   reported per operation (total wall time of a batch divided by both threads' operations).

use criterion::{BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

/// The operations the benchmarks need from each mutex.
trait BenchMutex: Send + Sync + 'static {
    fn new() -> Self;
    fn incr(&self);
    fn value(&self) -> u64;
}

impl BenchMutex for weft_sync::Mutex<u64> {
    fn new() -> Self {
        weft_sync::Mutex::new(0)
    }
    #[inline]
    fn incr(&self) {
        *self.lock() += 1;
    }
    fn value(&self) -> u64 {
        *self.lock()
    }
}

impl BenchMutex for std::sync::Mutex<u64> {
    fn new() -> Self {
        std::sync::Mutex::new(0)
    }
    #[inline]
    fn incr(&self) {
        *self.lock().unwrap() += 1;
    }
    fn value(&self) -> u64 {
        *self.lock().unwrap()
    }
}

impl BenchMutex for parking_lot::Mutex<u64> {
    fn new() -> Self {
        parking_lot::Mutex::new(0)
    }
    #[inline]
    fn incr(&self) {
        *self.lock() += 1;
    }
    fn value(&self) -> u64 {
        *self.lock()
    }
}

fn uncontended<M: BenchMutex>(c: &mut Criterion, name: &str) {
    let mut g = c.benchmark_group("mutex/uncontended");
    g.throughput(Throughput::Elements(1));
    let m = M::new();
    g.bench_function(BenchmarkId::from_parameter(name), |b| {
        b.iter(|| black_box(&m).incr())
    });
    g.finish();
    black_box(m.value());
}

/// Operations per thread in one contended batch.
const OPS: u64 = 250_000;

/// Two threads hammer one mutex; returns the wall time for `iters` operations in total.
fn contended_batch<M: BenchMutex>(iters: u64) -> Duration {
    let m = Arc::new(M::new());
    let per_thread = iters.div_ceil(2);
    let start = Arc::new(Barrier::new(3));
    let hs: Vec<_> = (0..2)
        .map(|_| {
            let (m, start) = (m.clone(), start.clone());
            thread::spawn(move || {
                start.wait();
                for _ in 0..per_thread {
                    m.incr();
                }
            })
        })
        .collect();
    start.wait();
    let t0 = Instant::now();
    for h in hs {
        h.join().unwrap();
    }
    let elapsed = t0.elapsed();
    assert_eq!(m.value(), 2 * per_thread);
    elapsed
}

fn contended<M: BenchMutex>(c: &mut Criterion, name: &str) {
    let mut g = c.benchmark_group("mutex/contended-2t");
    g.throughput(Throughput::Elements(1));
    g.bench_function(BenchmarkId::from_parameter(name), |b| {
        // `iters` operations in batches of 2 * OPS, each batch on two fresh threads, so the
        // thread start-up is amortised over many operations.
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut left = iters;
            while left > 0 {
                let n = left.min(2 * OPS);
                total += contended_batch::<M>(n);
                left -= n;
            }
            total
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    uncontended::<weft_sync::Mutex<u64>>(c, "weft");
    uncontended::<std::sync::Mutex<u64>>(c, "std");
    uncontended::<parking_lot::Mutex<u64>>(c, "parking_lot");
    contended::<weft_sync::Mutex<u64>>(c, "weft");
    contended::<std::sync::Mutex<u64>>(c, "std");
    contended::<parking_lot::Mutex<u64>>(c, "parking_lot");
}

fn main() {
    // What `criterion_group!`/`criterion_main!` expand to, written out so that no undocumented
    // public function is generated.
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
}
