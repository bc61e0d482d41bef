//! Sequence benchmarks: `list` append / index / iterate on one thread against a
//! `Vec<Arc<_>>` floor, and read scaling — T threads (1, 2) reading one shared list against T
//! threads reading private lists, reported as time per read per thread (flat = perfect
//! scaling).
//!
//! Items are small ints (immortal), so the numbers measure the container, not reference-count
//! traffic on shared items. Bench threads are attached (in the gil build they hold the GIL and
//! switch at check points, so two readers share one core's worth of GIL) and online for
//! lock-free reads.

use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use weft_containers::iter::list_iter;
use weft_containers::{List, empty_list, new_list};
use weft_object::{ObjRef, int_from_i64};

const N: usize = 1000;

fn attach() -> weft_refcount::AttachGuard {
    let g = weft_refcount::attach();
    weft_sync::qsbr::online();
    g
}

fn ints(n: usize) -> Vec<ObjRef> {
    (0..n).map(|i| int_from_i64((i % 200) as i64)).collect()
}

fn single_thread(c: &mut Criterion) {
    let _g = attach();
    let mut g = c.benchmark_group("seq/single");
    let items = ints(N);

    // Append N items to a fresh list (per item).
    g.bench_function("list_append", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let rounds = iters.div_ceil(N as u64);
            for _ in 0..rounds {
                let o = empty_list();
                let l = List::of(&o).unwrap();
                let t = Instant::now();
                for x in &items {
                    l.append(black_box(x.clone())).unwrap();
                }
                total += t.elapsed();
            }
            total.mul_f64(iters as f64 / (rounds * N as u64) as f64)
        })
    });
    g.bench_function("vec_arc_push", |b| {
        let arcs: Vec<Arc<i64>> = (0..N as i64).map(Arc::new).collect();
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let rounds = iters.div_ceil(N as u64);
            for _ in 0..rounds {
                let mut v: Vec<Arc<i64>> = Vec::new();
                let t = Instant::now();
                for x in &arcs {
                    v.push(black_box(x.clone()));
                }
                total += t.elapsed();
                black_box(&v);
            }
            total.mul_f64(iters as f64 / (rounds * N as u64) as f64)
        })
    });

    let o = new_list(items.clone());
    let l = List::of(&o).unwrap();
    g.bench_function("list_index", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 7) % N;
            black_box(l.get(black_box(i as i64)).unwrap())
        })
    });
    let arcs: Vec<Arc<i64>> = (0..N as i64).map(Arc::new).collect();
    g.bench_function("vec_arc_index", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 7) % N;
            black_box(black_box(&arcs)[black_box(i)].clone())
        })
    });
    g.bench_function("list_iterate_per_item", |b| {
        b.iter_custom(|iters| {
            let rounds = iters.div_ceil(N as u64);
            let t = Instant::now();
            for _ in 0..rounds {
                let it = list_iter(&o);
                let next = it.ty().slots.next.unwrap();
                while let Some(x) = next(&it).unwrap() {
                    black_box(x);
                }
            }
            t.elapsed()
                .mul_f64(iters as f64 / (rounds * N as u64) as f64)
        })
    });
    g.bench_function("vec_arc_iterate_per_item", |b| {
        b.iter_custom(|iters| {
            let rounds = iters.div_ceil(N as u64);
            let t = Instant::now();
            for _ in 0..rounds {
                for x in black_box(&arcs).iter() {
                    black_box(x.clone());
                }
            }
            t.elapsed()
                .mul_f64(iters as f64 / (rounds * N as u64) as f64)
        })
    });
    g.bench_function("list_pop_append", |b| {
        b.iter(|| {
            let x = l.pop(None).unwrap();
            l.append(black_box(x)).unwrap();
        })
    });
    g.finish();
}

/// Runs `threads` attached threads, each doing `iters` reads of `lists[t]`, and returns the
/// wall time of the parallel phase (time per read per thread once criterion divides).
fn parallel_reads(lists: &[ObjRef], threads: usize, iters: u64) -> Duration {
    let start = Arc::new(Barrier::new(threads + 1));
    let done = Arc::new(Barrier::new(threads + 1));
    let hs: Vec<_> = (0..threads)
        .map(|t| {
            let list = lists[t % lists.len()].clone();
            let (start, done) = (start.clone(), done.clone());
            std::thread::spawn(move || {
                let g = attach();
                let l = List::of(&list).unwrap();
                g.blocking(|| start.wait());
                let mut i = t * 13;
                for k in 0..iters {
                    i = (i + 7) % N;
                    black_box(l.get_index(i));
                    if k % 256 == 0 {
                        weft_sync::qsbr::quiescent();
                        g.check_point();
                    }
                }
                g.blocking(|| done.wait());
                weft_sync::qsbr::offline();
            })
        })
        .collect();
    start.wait();
    let t0 = Instant::now();
    done.wait();
    let el = t0.elapsed();
    for h in hs {
        h.join().unwrap();
    }
    el
}

fn read_scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("seq/read_scaling");
    let shared = vec![new_list(ints(N))];
    let private: Vec<ObjRef> = (0..2).map(|_| new_list(ints(N))).collect();
    for threads in [1usize, 2] {
        g.bench_with_input(
            BenchmarkId::new("shared_list", threads),
            &threads,
            |b, &t| b.iter_custom(|iters| parallel_reads(&shared, t, iters)),
        );
        g.bench_with_input(
            BenchmarkId::new("private_lists", threads),
            &threads,
            |b, &t| b.iter_custom(|iters| parallel_reads(&private, t, iters)),
        );
    }
    g.finish();
}

// criterion's macros generate undocumented items.
#[allow(missing_docs)]
mod harness {
    use super::*;
    criterion_group!(benches, single_thread, read_scaling);
}
criterion_main!(harness::benches);
