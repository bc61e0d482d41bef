//! Multi-thread stress tests of `list`, `tuple` and their iterators, with exact invariants.
//!
//! Worker threads behave like Python threads: they attach (in the gil build: hold the GIL),
//! are online for lock-free reads, pass check points regularly (GIL switch + quiescent
//! point), and wait on barriers detached. In the nogil build the same code runs in parallel.

mod seq_support;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use seq_support::{PyThread, check_tracked, int, tracked, val, vals};
use weft_containers::iter::{list_iter, list_reversed, tuple_iter};
use weft_containers::{List, empty_list, new_list, new_tuple};
use weft_object::{ExcKind, ObjRef};

const THREADS: usize = 8;

fn spawn_all<T: Send + 'static>(
    n: usize,
    f: impl Fn(usize, &PyThread, &Barrier) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let f = Arc::new(f);
    let barrier = Arc::new(Barrier::new(n));
    let hs: Vec<_> = (0..n)
        .map(|t| {
            let (f, barrier) = (f.clone(), barrier.clone());
            thread::spawn(move || {
                let py = PyThread::attach();
                py.blocking(|| barrier.wait());
                f(t, &py, &barrier)
            })
        })
        .collect();
    hs.into_iter().map(|h| h.join().unwrap()).collect()
}

#[test]
fn concurrent_appends_are_all_there_once() {
    const PER: usize = 3000;
    let o = empty_list();
    let shared = o.clone();
    spawn_all(THREADS, move |t, py, _| {
        let l = List::of(&shared).unwrap();
        for k in 0..PER {
            l.append(int((t * PER + k) as i64)).unwrap();
            if k.is_multiple_of(64) {
                py.check_point();
            }
        }
    });
    let mut got = vals(&o);
    assert_eq!(got.len(), THREADS * PER, "exact length");
    got.sort();
    assert_eq!(
        got,
        (0..(THREADS * PER) as i64).collect::<Vec<_>>(),
        "each item once"
    );
}

#[test]
fn shared_iterator_yields_each_item_once() {
    const N: i64 = 20_000;
    for make in [
        list_iter as fn(&weft_object::Object) -> ObjRef,
        list_reversed,
    ] {
        let o = new_list((0..N).map(int).collect());
        let it = make(&o);
        let got = spawn_all(THREADS, move |_, py, _| {
            let mut mine = Vec::new();
            let next = it.ty().slots.next.unwrap();
            while let Some(x) = next(&it).unwrap() {
                mine.push(val(&x));
                if mine.len().is_multiple_of(128) {
                    py.check_point();
                }
            }
            // Exhaustion is sticky.
            assert!(next(&it).unwrap().is_none());
            mine
        });
        let total: usize = got.iter().map(Vec::len).sum();
        let set: HashSet<i64> = got.iter().flatten().copied().collect();
        assert_eq!(total, N as usize, "no duplicates, no skips");
        assert_eq!(set.len(), N as usize);
        assert!(set.iter().all(|v| (0..N).contains(v)));
    }
    // Tuples too.
    let t = new_tuple((0..N).map(int).collect());
    let it = tuple_iter(&t);
    let got = spawn_all(THREADS, move |_, _, _| {
        let next = it.ty().slots.next.unwrap();
        let mut mine = Vec::new();
        while let Some(x) = next(&it).unwrap() {
            mine.push(val(&x));
        }
        mine
    });
    let mut all: Vec<i64> = got.into_iter().flatten().collect();
    all.sort();
    assert_eq!(all, (0..N).collect::<Vec<_>>());
}

#[test]
fn cross_extend_does_not_deadlock() {
    const ROUNDS: usize = 2000;
    let a = new_list(vec![int(1)]);
    let b = new_list(vec![int(2)]);
    let (a2, b2) = (a.clone(), b.clone());
    spawn_all(2, move |t, py, _| {
        let (x, y) = if t == 0 { (&a2, &b2) } else { (&b2, &a2) };
        let (lx, ly) = (List::of(x).unwrap(), List::of(y).unwrap());
        for k in 0..ROUNDS {
            lx.extend(y).unwrap();
            if lx.len() > 64 {
                lx.clear();
                lx.append(int(t as i64)).unwrap();
            }
            // Sometimes the other direction and self-extension, too.
            if k.is_multiple_of(7) {
                ly.extend(x).unwrap();
                lx.extend(x).unwrap();
            }
            if ly.len() > 64 {
                ly.clear();
            }
            if k.is_multiple_of(16) {
                py.check_point();
            }
        }
    });
    assert!(List::of(&a).unwrap().len() <= 256);
    assert!(List::of(&b).unwrap().len() <= 256);
}

/// Readers index and iterate while writers append, pop, insert, assign and clear. Readers see
/// only live objects (tracked: a freed object trips an assertion) and only `IndexError`s.
/// Every object is freed exactly once at the end.
#[test]
fn readers_and_writers_never_crash() {
    const WRITERS: usize = 3;
    const READERS: usize = 5;
    const OPS: usize = 15_000;
    let made_before = seq_support::TRACKED_MADE.load(Ordering::SeqCst);
    let freed_before = seq_support::TRACKED_FREED.load(Ordering::SeqCst);
    let made = Arc::new(AtomicUsize::new(0));
    {
        let o = new_list((0..64).map(|i| tracked(i as u64)).collect());
        made.fetch_add(64, Ordering::SeqCst);
        let shared = o.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let writers_left = Arc::new(AtomicUsize::new(WRITERS));
        let made2 = made.clone();
        spawn_all(WRITERS + READERS, move |t, py, _| {
            let l = List::of(&shared).unwrap();
            let mut rng = 0x9e37_79b9_7f4a_7c15u64 ^ (t as u64 * 0x1234_5678 + 1);
            let mut next = move || {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                rng
            };
            if t < WRITERS {
                for k in 0..OPS {
                    let r = next();
                    let serial = (t * OPS + k) as u64 + 1000;
                    match r % 10 {
                        0..=2 => {
                            l.append(tracked(serial)).unwrap();
                            made2.fetch_add(1, Ordering::Relaxed);
                        }
                        3 | 4 => match l.pop(None) {
                            Ok(x) => drop(check_tracked(&x)),
                            Err(e) => assert_eq!(e.kind, ExcKind::IndexError),
                        },
                        5 => {
                            l.insert((r >> 8) as i64 % 70 - 35, tracked(serial))
                                .unwrap();
                            made2.fetch_add(1, Ordering::Relaxed);
                        }
                        6 => {
                            made2.fetch_add(1, Ordering::Relaxed);
                            if let Err(e) = l.set((r >> 8) as i64 % 64, tracked(serial)) {
                                assert_eq!(e.kind, ExcKind::IndexError);
                            }
                        }
                        7 => {
                            if let Err(e) = l.del((r >> 8) as i64 % 64) {
                                assert_eq!(e.kind, ExcKind::IndexError);
                            }
                        }
                        8 if r.is_multiple_of(97) => l.clear(),
                        _ => {
                            if l.len() > 200 {
                                l.del_slice(&weft_containers::Slice::new(Some(0), Some(100), None))
                                    .unwrap();
                            }
                        }
                    }
                    if k.is_multiple_of(32) {
                        py.check_point();
                    }
                }
                if writers_left.fetch_sub(1, Ordering::SeqCst) == 1 {
                    stop.store(true, Ordering::SeqCst);
                }
            } else {
                let mut reads = 0u64;
                // At least one round (under the GIL a reader may first run after the writers).
                let mut last = false;
                while !last {
                    last = stop.load(Ordering::SeqCst);
                    let r = next();
                    if r.is_multiple_of(8) {
                        // Iterate (the list changes under the iterator: no error, live items).
                        let it = list_iter(&shared);
                        let nx = it.ty().slots.next.unwrap();
                        while let Some(x) = nx(&it).unwrap() {
                            check_tracked(&x);
                            reads += 1;
                        }
                    } else {
                        match l.get((r >> 8) as i64 % 80 - 20) {
                            Ok(x) => {
                                check_tracked(&x);
                                // Hold it across other reads, then check it again.
                                let _ = l.get(0);
                                check_tracked(&x);
                            }
                            Err(e) => {
                                assert_eq!(e.kind, ExcKind::IndexError);
                                assert_eq!(e.msg, "list index out of range");
                            }
                        }
                        reads += 1;
                    }
                    if reads.is_multiple_of(64) {
                        py.check_point();
                    }
                }
                assert!(reads > 0);
            }
        });
        // Every item left is live.
        for x in List::of(&o).unwrap().to_vec() {
            check_tracked(&x);
        }
    }
    let made = made.load(Ordering::SeqCst);
    // Other tests of this binary may run tracked objects too: compare deltas.
    seq_support::drain_until(|| {
        seq_support::TRACKED_FREED.load(Ordering::SeqCst) - freed_before
            >= seq_support::TRACKED_MADE.load(Ordering::SeqCst) - made_before
    });
    assert_eq!(
        seq_support::TRACKED_FREED.load(Ordering::SeqCst) - freed_before,
        made,
        "every object freed exactly once"
    );
}

/// Concurrent sorts, reverses and readers on one list: sorts that overlap another mutation
/// raise `list modified during sort` and restore their items; nothing is lost or duplicated.
#[test]
fn concurrent_sorts_keep_the_items() {
    const N: i64 = 500;
    let o = new_list((0..N).rev().map(int).collect());
    let shared = o.clone();
    spawn_all(4, move |t, py, _| {
        let l = List::of(&shared).unwrap();
        for k in 0..200 {
            match (t + k) % 3 {
                0 => match l.sort(k.is_multiple_of(2)) {
                    Ok(()) => {}
                    Err(e) => assert_eq!(e.msg, "list modified during sort"),
                },
                1 => l.reverse(),
                _ => {
                    let _ = l.get(k as i64 % N);
                }
            }
            py.check_point();
        }
    });
    let mut got = vals(&o);
    got.sort();
    assert_eq!(got, (0..N).collect::<Vec<_>>());
}
