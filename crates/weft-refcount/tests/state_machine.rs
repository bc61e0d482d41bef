//! Property test: random sequences of clone / drop / hand-off / check point / attach / detach
//! across three threads, checked against a model of the true count after every step.
//!
//! Invariants: an object is never freed while the model says it is referenced, never freed
//! twice, and once every thread has passed a check point (or detached) an object whose model
//! count is zero has been freed. In the gil build frees are immediate, so "freed" must equal
//! "model count is zero" after every step.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use proptest::prelude::*;
use weft_refcount::{AttachGuard, Brc, attach};

const THREADS: usize = 3;

struct Tracked {
    id: usize,
    frees: Arc<Vec<AtomicUsize>>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.frees[self.id].fetch_add(1, Ordering::SeqCst);
    }
}

#[derive(Clone, Debug)]
enum Op {
    Create(usize),
    Clone(usize, usize),
    Drop(usize, usize),
    Send(usize, usize, usize),
    CheckPoint(usize),
    Attach(usize),
    Detach(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let t = 0..THREADS;
    let h = 0usize..64;
    prop_oneof![
        2 => t.clone().prop_map(Op::Create),
        3 => (t.clone(), h.clone()).prop_map(|(t, h)| Op::Clone(t, h)),
        3 => (t.clone(), h.clone()).prop_map(|(t, h)| Op::Drop(t, h)),
        3 => (t.clone(), t.clone(), h).prop_map(|(a, b, h)| Op::Send(a, b, h)),
        1 => t.clone().prop_map(Op::CheckPoint),
        1 => t.clone().prop_map(Op::Attach),
        1 => t.prop_map(Op::Detach),
    ]
}

enum Cmd {
    Create(usize, Arc<Vec<AtomicUsize>>),
    Clone(usize),
    Drop(usize),
    Take(usize, Sender<Option<(usize, Brc<Tracked>)>>),
    Give(usize, Brc<Tracked>),
    CheckPoint,
    Attach,
    Detach,
    Stop,
}

/// A worker owns handles `(object id, Brc)` and executes commands one at a time.
fn worker(rx: Receiver<Cmd>, ack: Sender<Vec<usize>>) {
    let mut held: Vec<(usize, Brc<Tracked>)> = Vec::new();
    let mut guard: Option<AttachGuard> = Some(attach());
    loop {
        // Wait for work. In the gil build an attached idle worker would hold the GIL that the
        // others need, so it waits detached; in the nogil build it stays attached, so objects
        // queued to it wait in its queue until its next check point.
        let cmd = match &guard {
            Some(g) if !cfg!(feature = "nogil") => g.blocking(|| rx.recv()),
            _ => rx.recv(),
        };
        let Ok(cmd) = cmd else { break };
        match cmd {
            Cmd::Create(id, frees) => held.push((id, Brc::new(Tracked { id, frees }))),
            Cmd::Clone(h) => {
                if !held.is_empty() {
                    let (id, b) = &held[h % held.len()];
                    let c = (*b).clone();
                    assert_eq!(c.id, *id);
                    held.push((*id, c));
                }
            }
            Cmd::Drop(h) => {
                if !held.is_empty() {
                    let n = held.len();
                    held.swap_remove(h % n);
                }
            }
            Cmd::Take(h, back) => {
                let x = if held.is_empty() {
                    None
                } else {
                    let n = held.len();
                    Some(held.swap_remove(h % n))
                };
                back.send(x).unwrap();
            }
            Cmd::Give(id, b) => held.push((id, b)),
            Cmd::CheckPoint => {
                if let Some(g) = &guard {
                    g.check_point();
                }
            }
            Cmd::Attach => {
                if guard.is_none() {
                    guard = Some(attach());
                }
            }
            Cmd::Detach => guard = None,
            Cmd::Stop => {
                held.clear();
                drop(guard);
                weft_refcount::thread_exit();
                ack.send(Vec::new()).unwrap();
                return;
            }
        }
        ack.send(held.iter().map(|(id, _)| *id).collect()).unwrap();
    }
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let frees: Arc<Vec<AtomicUsize>> =
        Arc::new((0..ops.len() + 1).map(|_| AtomicUsize::new(0)).collect());
    let mut txs = Vec::new();
    let mut acks = Vec::new();
    let mut joins = Vec::new();
    for _ in 0..THREADS {
        let (tx, rx) = channel();
        let (atx, arx) = channel();
        joins.push(std::thread::spawn(move || worker(rx, atx)));
        txs.push(tx);
        acks.push(arx);
    }
    // What each worker holds, by object id, as last reported.
    let mut held: Vec<Vec<usize>> = vec![Vec::new(); THREADS];
    let mut created = 0usize;
    let do_cmd = |t: usize, c: Cmd, held: &mut Vec<Vec<usize>>| {
        txs[t].send(c).unwrap();
        held[t] = acks[t].recv().unwrap();
    };
    let check =
        |held: &Vec<Vec<usize>>, created: usize, settled: bool| -> Result<(), TestCaseError> {
            for id in 0..created {
                let refs = held.iter().flatten().filter(|&&x| x == id).count();
                let f = frees[id].load(Ordering::SeqCst);
                prop_assert!(f <= 1, "object {} freed {} times", id, f);
                if f == 1 {
                    prop_assert_eq!(refs, 0, "object {} freed while referenced", id);
                }
                if (settled || !cfg!(feature = "nogil")) && refs == 0 {
                    prop_assert_eq!(f, 1, "object {} unreferenced but not freed", id);
                }
            }
            Ok(())
        };
    for op in ops {
        match op {
            Op::Create(t) => {
                do_cmd(t, Cmd::Create(created, frees.clone()), &mut held);
                created += 1;
            }
            Op::Clone(t, h) => do_cmd(t, Cmd::Clone(h), &mut held),
            Op::Drop(t, h) => do_cmd(t, Cmd::Drop(h), &mut held),
            Op::Send(a, b, h) => {
                let (btx, brx) = channel();
                do_cmd(a, Cmd::Take(h, btx), &mut held);
                if let Some((id, x)) = brx.recv().unwrap() {
                    do_cmd(b, Cmd::Give(id, x), &mut held);
                }
            }
            Op::CheckPoint(t) => do_cmd(t, Cmd::CheckPoint, &mut held),
            Op::Attach(t) => do_cmd(t, Cmd::Attach, &mut held),
            Op::Detach(t) => do_cmd(t, Cmd::Detach, &mut held),
        }
        check(&held, created, false)?;
    }
    // Settle: every thread passes a check point; then every unreferenced object is gone.
    for t in 0..THREADS {
        do_cmd(t, Cmd::CheckPoint, &mut held);
    }
    check(&held, created, true)?;
    for t in 0..THREADS {
        do_cmd(t, Cmd::Stop, &mut held);
    }
    for j in joins {
        j.join().unwrap();
    }
    check(&held, created, true)?;
    for id in 0..created {
        prop_assert_eq!(frees[id].load(Ordering::SeqCst), 1, "object {} leaked", id);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
    #[test]
    fn counts_match_the_model(ops in proptest::collection::vec(op(), 1..120)) {
        run(ops)?;
    }
}
