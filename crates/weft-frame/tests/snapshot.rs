//! Snapshots of every thread's stack: busy threads answer at safe points, blocked and idle
//! threads need not, silent threads are reported without hanging (both variants).
//!
//! A snapshot waits for every thread with frames, so the tests here run one at a time.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex, mpsc};
use std::time::{Duration, Instant};

use weft_frame::{
    CodeInfo, FrameInit, LineTable, SnapshotStatus, ThreadSnapshot, snapshot_all_threads,
    with_stack,
};
use weft_object::none;

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Lines: instructions 0..10 on line `base`, 10..20 on `base + 1`, 20.. on `base + 2`.
fn code(name: &str, base: u32) -> Arc<CodeInfo> {
    Arc::new(
        CodeInfo::new(name, "snap.py", base)
            .with_locals(["x"])
            .with_stack_size(2)
            .with_lines(LineTable::new(vec![
                (0, base),
                (10, base + 1),
                (20, base + 2),
            ])),
    )
}

fn push(name: &str, base: u32, ip: u32) {
    with_stack(|ds| {
        ds.push(FrameInit::new(
            code(name, base),
            none().to_ref(),
            none().to_ref(),
        ))
        .unwrap();
        ds.set_ip(ip);
    });
}

fn named<'a>(snap: &'a [ThreadSnapshot], prefix: &str) -> Vec<&'a ThreadSnapshot> {
    snap.iter()
        .filter(|t| {
            t.thread_name
                .as_deref()
                .is_some_and(|n| n.starts_with(prefix))
        })
        .collect()
}

fn frame_names(t: &ThreadSnapshot) -> Vec<&str> {
    t.frames.iter().map(|f| f.name()).collect()
}

#[test]
fn snapshot_of_eight_busy_threads() {
    let _s = serial();
    const N: usize = 8;
    let stop = Arc::new(AtomicBool::new(false));
    let ready = Arc::new(AtomicUsize::new(0));
    let spins = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..N)
        .map(|i| {
            let (stop, ready, spins) = (stop.clone(), ready.clone(), spins.clone());
            std::thread::Builder::new()
                .name(format!("busy-{i}"))
                .spawn(move || {
                    let attached = weft_refcount::attach();
                    push(&format!("main_{i}"), 100, 12); // line 101
                    push(&format!("work_{i}"), 200, 25); // line 202
                    push(&format!("leaf_{i}"), 300, 0);
                    ready.fetch_add(1, Ordering::SeqCst);
                    let mut ip = 0;
                    while !stop.load(Ordering::Relaxed) {
                        ip = (ip + 7) % 30;
                        with_stack(|ds| {
                            ds.set_ip(ip);
                            ds.push_value(None);
                            ds.pop_value();
                        });
                        spins.fetch_add(1, Ordering::Relaxed);
                        // The eval breaker.
                        weft_frame::safe_point();
                        attached.check_point();
                    }
                    with_stack(|ds| ds.pop_all());
                })
                .unwrap()
        })
        .collect();
    while ready.load(Ordering::SeqCst) < N {
        std::thread::sleep(Duration::from_millis(1));
    }
    for round in 0..3 {
        let t0 = Instant::now();
        let snap = snapshot_all_threads(Duration::from_secs(30));
        let elapsed = t0.elapsed();
        let busy = named(&snap, "busy-");
        assert_eq!(busy.len(), N, "round {round}: {snap:#?}");
        for t in &busy {
            let i: usize = t.thread_name.as_deref().unwrap()["busy-".len()..]
                .parse()
                .unwrap();
            assert_eq!(t.status, SnapshotStatus::AtSafePoint, "{t:#?}");
            assert_eq!(
                frame_names(t),
                [
                    format!("main_{i}"),
                    format!("work_{i}"),
                    format!("leaf_{i}")
                ]
            );
            assert_eq!(t.frames[0].line(), 101);
            assert_eq!(t.frames[1].line(), 202);
            assert!((300..=302).contains(&t.frames[2].line()), "{t:#?}");
            assert!(t.frames.iter().all(|f| f.filename() == "snap.py"));
        }
        let ids: std::collections::HashSet<u64> = busy.iter().map(|t| t.stack_id).collect();
        assert_eq!(ids.len(), N);
        assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
        eprintln!("round {round}: snapshot of {N} busy threads took {elapsed:?}");
    }
    assert!(spins.load(Ordering::Relaxed) > 0);
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn blocked_threads_answer_without_running() {
    let _s = serial();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let entered = Arc::new(Barrier::new(2));
    let e2 = entered.clone();
    let t = std::thread::Builder::new()
        .name("blocked-0".into())
        .spawn(move || {
            let _attached = weft_refcount::attach();
            push("outer", 10, 0);
            push("waiting", 20, 15);
            weft_frame::blocking(|| {
                e2.wait();
                release_rx.recv().unwrap();
            });
            with_stack(|ds| {
                ds.pop_all();
            });
        })
        .unwrap();
    entered.wait();
    let t0 = Instant::now();
    let snap = snapshot_all_threads(Duration::from_secs(30));
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
    let blocked = named(&snap, "blocked-");
    assert_eq!(blocked.len(), 1, "{snap:#?}");
    assert_eq!(blocked[0].status, SnapshotStatus::Blocked);
    assert_eq!(frame_names(blocked[0]), ["outer", "waiting"]);
    assert_eq!(blocked[0].frames[1].line(), 21);
    release_tx.send(()).unwrap();
    t.join().unwrap();
}

#[test]
fn silent_threads_are_reported_not_waited_for_forever() {
    let _s = serial();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let (ready_tx, ready_rx) = mpsc::channel::<()>();
    let t = std::thread::Builder::new()
        .name("silent-0".into())
        .spawn(move || {
            push("stuck", 1, 0);
            ready_tx.send(()).unwrap();
            // Blocks without going through weft_frame::blocking: never answers.
            release_rx.recv().unwrap();
            with_stack(|ds| ds.pop_all());
        })
        .unwrap();
    ready_rx.recv().unwrap();
    let t0 = Instant::now();
    let snap = snapshot_all_threads(Duration::from_millis(200));
    let elapsed = t0.elapsed();
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    let silent = named(&snap, "silent-");
    assert_eq!(silent.len(), 1, "{snap:#?}");
    assert_eq!(silent[0].status, SnapshotStatus::NoAnswer);
    assert!(silent[0].frames.is_empty());
    release_tx.send(()).unwrap();
    t.join().unwrap();
}

#[test]
fn idle_threads_and_the_caller() {
    let _s = serial();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let (ready_tx, ready_rx) = mpsc::channel::<()>();
    let t = std::thread::Builder::new()
        .name("idle-0".into())
        .spawn(move || {
            push("once", 1, 0);
            with_stack(|ds| ds.pop());
            ready_tx.send(()).unwrap();
            release_rx.recv().unwrap();
        })
        .unwrap();
    ready_rx.recv().unwrap();
    // The caller's own frames are in the snapshot too.
    push("caller_outer", 50, 3);
    push("caller_inner", 60, 12);
    let t0 = Instant::now();
    let snap = snapshot_all_threads(Duration::from_secs(30));
    assert!(t0.elapsed() < Duration::from_secs(5));
    let idle = named(&snap, "idle-");
    assert_eq!(idle.len(), 1);
    assert_eq!(idle[0].status, SnapshotStatus::Idle);
    assert!(idle[0].frames.is_empty());
    let me = with_stack(|ds| ds.id());
    let mine: Vec<_> = snap.iter().filter(|t| t.stack_id == me).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].status, SnapshotStatus::AtSafePoint);
    assert_eq!(frame_names(mine[0]), ["caller_outer", "caller_inner"]);
    assert_eq!(mine[0].frames[1].line(), 61);
    assert_eq!(mine[0].thread_id, std::thread::current().id());
    with_stack(|ds| ds.pop_all());
    release_tx.send(()).unwrap();
    t.join().unwrap();
    // An exited thread's stack is gone from later snapshots.
    let snap = snapshot_all_threads(Duration::from_secs(30));
    assert!(named(&snap, "idle-").is_empty());
}

#[test]
fn concurrent_requesters_do_not_wait_for_each_other() {
    let _s = serial();
    const R: usize = 3;
    let start = Arc::new(Barrier::new(R));
    let threads: Vec<_> = (0..R)
        .map(|i| {
            let start = start.clone();
            std::thread::Builder::new()
                .name(format!("requester-{i}"))
                .spawn(move || {
                    let _attached = weft_refcount::attach();
                    push(&format!("req_{i}"), 1, 0);
                    weft_frame::blocking(|| start.wait());
                    let mut seen = 0;
                    for _ in 0..20 {
                        let snap = snapshot_all_threads(Duration::from_secs(30));
                        let reqs = named(&snap, "requester-");
                        assert_eq!(reqs.len(), R, "{snap:#?}");
                        for t in reqs {
                            assert_ne!(t.status, SnapshotStatus::NoAnswer, "{t:#?}");
                            assert_eq!(t.frames.len(), 1);
                            assert!(t.frames[0].name().starts_with("req_"));
                        }
                        seen += 1;
                    }
                    // Others may still be asking: stay answerable until all are done.
                    weft_frame::blocking(|| start.wait());
                    with_stack(|ds| ds.pop_all());
                    seen
                })
                .unwrap()
        })
        .collect();
    let t0 = Instant::now();
    for t in threads {
        assert_eq!(t.join().unwrap(), 20);
    }
    assert!(t0.elapsed() < Duration::from_secs(20), "{:?}", t0.elapsed());
}
