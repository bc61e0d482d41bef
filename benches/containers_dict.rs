//! dict benchmarks.
//!
//! * `dict/single`: one thread; `get` (int and str keys), overwrite, insert + delete on a dict
//!   of 1 000 entries, each beside the same operation on a `std::collections::HashMap` (the
//!   floor: no objects, no reference counts, no locks).
//! * `dict/read-scaling`: T threads (1, 2) each doing lookups, either all in one shared dict
//!   (created by another thread, so every reference taken is a non-owner one) or each in a
//!   dict of its own. The time is wall time per lookup *per thread*: perfect scaling keeps it
//!   flat from 1 to 2 threads. In the gil build the threads take turns under the GIL.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use weft_containers::dict::{self, Dict};
use weft_object::{ObjRef, int_from_i64, str_obj};

const N: usize = 1_000;

fn int_keys() -> Vec<ObjRef> {
    (0..N as i64).map(|k| int_from_i64(1_000 + k)).collect()
}

fn filled(keys: &[ObjRef]) -> ObjRef {
    let o = dict::new();
    let d = Dict::of(&o).unwrap();
    for (n, k) in keys.iter().enumerate() {
        d.set_item(k.clone(), int_from_i64(100_000 + n as i64))
            .unwrap();
    }
    o
}

fn single(c: &mut Criterion) {
    let attached = weft_refcount::attach();
    let mut g = c.benchmark_group("dict/single");
    let keys = int_keys();
    let o = filled(&keys);
    let d = Dict::of(&o).unwrap();
    let hm: HashMap<i64, i64> = (0..N as i64).map(|k| (1_000 + k, 100_000 + k)).collect();

    let mut i = 0usize;
    g.bench_function("get-int", |b| {
        b.iter(|| {
            i = (i + 1) % N;
            black_box(d.get(black_box(&keys[i])).unwrap())
        })
    });
    g.bench_function("get-int/std-HashMap", |b| {
        b.iter(|| {
            i = (i + 1) % N;
            black_box(hm.get(&black_box(1_000 + i as i64)).copied())
        })
    });

    let skeys: Vec<ObjRef> = (0..N).map(|k| str_obj(format!("name_{k}"))).collect();
    let so = filled(&skeys);
    let sd = Dict::of(&so).unwrap();
    let shm: HashMap<String, i64> = (0..N).map(|k| (format!("name_{k}"), k as i64)).collect();
    let names: Vec<String> = (0..N).map(|k| format!("name_{k}")).collect();
    g.bench_function("get-str", |b| {
        b.iter(|| {
            i = (i + 1) % N;
            black_box(sd.get(black_box(&skeys[i])).unwrap())
        })
    });
    g.bench_function("get-str/std-HashMap", |b| {
        b.iter(|| {
            i = (i + 1) % N;
            black_box(shm.get(black_box(names[i].as_str())).copied())
        })
    });

    let v = int_from_i64(7_000_000);
    let mut hm2 = hm.clone();
    g.bench_function("set-existing", |b| {
        b.iter(|| {
            i = (i + 1) % N;
            d.set_item(keys[i].clone(), v.clone()).unwrap()
        })
    });
    g.bench_function("set-existing/std-HashMap", |b| {
        b.iter(|| {
            i = (i + 1) % N;
            black_box(hm2.insert(black_box(1_000 + i as i64), 7))
        })
    });

    let extra: Vec<ObjRef> = (0..64).map(|k| int_from_i64(10_000_000 + k)).collect();
    g.bench_function("insert+delete", |b| {
        b.iter(|| {
            i = (i + 1) % extra.len();
            d.set_item(extra[i].clone(), v.clone()).unwrap();
            d.del_item(&extra[i]).unwrap();
        })
    });
    g.bench_function("insert+delete/std-HashMap", |b| {
        b.iter(|| {
            i = (i + 1) % extra.len();
            hm2.insert(black_box(10_000_000 + i as i64), 7);
            black_box(hm2.remove(&(10_000_000 + i as i64)))
        })
    });
    g.finish();
    drop(attached);
}

/// `threads` threads each do `iters` lookups; returns the wall time from when all are ready
/// to when all are done.
fn readers(threads: usize, shared: bool, iters: u64) -> Duration {
    let keys = Arc::new(int_keys());
    // Made by this (unattached) thread: for the readers every reference is a non-owner one.
    let common = filled(&keys);
    let start = Arc::new(Barrier::new(threads + 1));
    let end = Arc::new(Barrier::new(threads + 1));
    let hs: Vec<_> = (0..threads)
        .map(|t| {
            let (keys, common, start, end) =
                (keys.clone(), common.clone(), start.clone(), end.clone());
            std::thread::spawn(move || {
                let g = weft_refcount::attach();
                let own = if shared { common } else { filled(&keys) };
                let d = Dict::of(&own).unwrap();
                g.blocking(|| start.wait());
                let mut k = t * 97;
                for n in 0..iters {
                    k = (k + 1) % N;
                    black_box(d.get(&keys[k]).unwrap());
                    if n % 256 == 0 {
                        g.check_point();
                    }
                }
                g.blocking(|| end.wait());
                drop(own);
                drop(g);
                weft_refcount::thread_exit();
            })
        })
        .collect();
    start.wait();
    let t0 = Instant::now();
    end.wait();
    let dt = t0.elapsed();
    for h in hs {
        h.join().unwrap();
    }
    dt
}

fn read_scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("dict/read-scaling");
    for threads in [1usize, 2] {
        for shared in [true, false] {
            let name = format!("{}-{threads}t", if shared { "shared" } else { "private" });
            g.bench_function(name, |b| {
                b.iter_custom(|iters| readers(threads, shared, iters))
            });
        }
    }
    g.finish();
}

// criterion's macros generate undocumented items.
#[allow(missing_docs)]
mod harness {
    use super::*;
    criterion_group!(benches, single, read_scaling);
}
criterion_main!(harness::benches);
