//! Safe snapshots of every thread's stack, answered at safe points.
//!
//! Every data stack registers a [`ThreadRecord`] in a global registry. The record holds the
//! thread's *published* stack (code and line per frame) under a mutex; only the owning thread
//! writes it, and only from its own frames, at moments when it is not changing them:
//!
//! * at a **safe point** ([`safe_point`]) when a snapshot was requested since its last answer;
//! * on entering [`blocking`], so a thread that waits (for a lock, I/O, a join, the GIL of a
//!   switch it asked for itself) never makes a snapshot wait for it;
//! * when its stack becomes empty (the thread is then *idle* and answers "no frames").
//!
//! A requester ([`snapshot_all_threads`]) bumps the global request number, answers for its own
//! thread, then — detached, through [`blocking`], so it holds neither the GIL nor any thread
//! up — waits on each record until that thread has answered this request, is blocked, is idle
//! or has exited, or until the deadline passes (the thread is then reported as
//! [`SnapshotStatus::NoAnswer`]). It never reads another thread's frames.
//!
//! Publishing is incremental: frames below the top cannot change until they are the top again,
//! so the owner republishes only the frames from the lowest depth its stack reached since the
//! last publication. Entering [`blocking`] in a deep stack therefore costs O(frames changed),
//! not O(depth).

use std::cell::Cell;
use std::sync::{Arc, PoisonError};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use weft_sync::shim::atomic::{AtomicBool, AtomicU64, Ordering};
use weft_sync::shim::{Condvar, Mutex, MutexGuard};

use crate::code::CodeInfo;
use crate::stack::{DataStack, existing_stack};

/// One frame as a snapshot or traceback shows it: its code and current line.
#[derive(Clone, Debug)]
pub struct FrameSummary {
    code: Arc<CodeInfo>,
    line: u32,
}

impl FrameSummary {
    pub(crate) fn new(code: Arc<CodeInfo>, line: u32) -> FrameSummary {
        FrameSummary { code, line }
    }

    /// The code's name.
    pub fn name(&self) -> &str {
        self.code.name()
    }

    /// The code's file name.
    pub fn filename(&self) -> &str {
        self.code.filename()
    }

    /// The line the frame was at.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// The code.
    pub fn code(&self) -> &Arc<CodeInfo> {
        &self.code
    }
}

/// How a thread's entry in a snapshot was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapshotStatus {
    /// The thread published its stack at a safe point after the request.
    AtSafePoint,
    /// The thread is blocked (in [`blocking`]); its stack is as it was when it blocked.
    Blocked,
    /// The thread has no frames.
    Idle,
    /// The thread did not reach a safe point before the deadline; no frames are reported.
    NoAnswer,
}

/// One thread's stack in a snapshot.
#[derive(Clone, Debug)]
pub struct ThreadSnapshot {
    /// The id of the thread's data stack ([`DataStack::id`]).
    pub stack_id: u64,
    /// The thread.
    pub thread_id: ThreadId,
    /// The thread's name, if it has one.
    pub thread_name: Option<String>,
    /// How the entry was obtained.
    pub status: SnapshotStatus,
    /// The frames, outermost first (empty for [`SnapshotStatus::Idle`] and
    /// [`SnapshotStatus::NoAnswer`]).
    pub frames: Vec<FrameSummary>,
}

/// A thread's entry in the registry: what other threads may know about its stack.
pub(crate) struct ThreadRecord {
    stack_id: u64,
    thread_id: ThreadId,
    thread_name: Option<String>,
    /// The stack is empty. Written by the owner on the 0 <-> 1 depth transitions.
    idle: AtomicBool,
    state: Mutex<Published>,
    answered: Condvar,
}

struct Published {
    /// The latest request this thread answered.
    answered: u64,
    /// Inside [`blocking`].
    blocked: bool,
    /// Left the registry.
    exited: bool,
    /// Requesters waiting on `answered` (so owners signal only when someone listens).
    waiters: u32,
    /// The published stack, outermost first.
    frames: Vec<FrameSummary>,
}

/// The latest snapshot request. Bumped by requesters; read by every safe point.
static REQUEST: AtomicU64 = AtomicU64::new(0);

static REGISTRY: Mutex<Vec<Arc<ThreadRecord>>> = Mutex::new(Vec::new());

std::thread_local! {
    /// The latest request the calling thread answered (or had nothing to answer).
    static ANSWERED: Cell<u64> = const { Cell::new(0) };
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The data under these locks stays consistent at every panic point.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Registers a new (empty) stack of the calling thread.
pub(crate) fn register(stack_id: u64) -> Arc<ThreadRecord> {
    let mut registry = lock(&REGISTRY);
    // An empty stack is a true answer to every request made so far.
    let answered = REQUEST.load(Ordering::SeqCst);
    let _ = ANSWERED.try_with(|c| c.set(answered));
    let current = std::thread::current();
    let record = Arc::new(ThreadRecord {
        stack_id,
        thread_id: current.id(),
        thread_name: current.name().map(str::to_owned),
        idle: AtomicBool::new(true),
        state: Mutex::new(Published {
            answered,
            blocked: false,
            exited: false,
            waiters: 0,
            frames: Vec::new(),
        }),
        answered: Condvar::new(),
    });
    registry.push(record.clone());
    record
}

/// Removes a stack's record (its thread is done with it).
pub(crate) fn unregister(record: &Arc<ThreadRecord>) {
    record.update(|st| {
        st.exited = true;
        st.frames = Vec::new();
    });
    lock(&REGISTRY).retain(|r| !Arc::ptr_eq(r, record));
}

impl ThreadRecord {
    /// Marks the stack empty or not. Becoming idle is ordered (SeqCst) before the owner's
    /// next read of [`REQUEST`], so a requester that still sees the thread busy is sure to
    /// get an answer (see [`answer_if_requested`]).
    pub(crate) fn set_idle(&self, idle: bool) {
        if idle {
            self.idle.store(true, Ordering::SeqCst);
        } else {
            self.idle.store(false, Ordering::Relaxed);
        }
    }

    /// Changes the published state and wakes requesters waiting on it.
    fn update(&self, f: impl FnOnce(&mut Published)) {
        let mut st = lock(&self.state);
        f(&mut st);
        if st.waiters > 0 {
            self.answered.notify_all();
        }
    }

    /// Waits until this thread answered request `epoch` (or needs not), or until `deadline`.
    /// `None` when the thread exited.
    fn wait_answer(&self, epoch: u64, deadline: Instant) -> Option<ThreadSnapshot> {
        let mut st = lock(&self.state);
        let mut waiting = false;
        let status = loop {
            if st.exited {
                break None;
            }
            if self.idle.load(Ordering::SeqCst) {
                break Some(SnapshotStatus::Idle);
            }
            if st.answered >= epoch {
                break Some(SnapshotStatus::AtSafePoint);
            }
            if st.blocked {
                break Some(SnapshotStatus::Blocked);
            }
            let now = Instant::now();
            if now >= deadline {
                break Some(SnapshotStatus::NoAnswer);
            }
            if !waiting {
                st.waiters += 1;
                waiting = true;
            }
            st = self
                .answered
                .wait_timeout(st, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        };
        if waiting {
            st.waiters -= 1;
        }
        let status = status?;
        let frames = match status {
            SnapshotStatus::AtSafePoint | SnapshotStatus::Blocked => st.frames.clone(),
            SnapshotStatus::Idle | SnapshotStatus::NoAnswer => Vec::new(),
        };
        if status == SnapshotStatus::NoAnswer {
            tracing::debug!(
                target: "weft::frame",
                stack = self.stack_id,
                "thread did not answer a stack snapshot in time"
            );
        }
        Some(ThreadSnapshot {
            stack_id: self.stack_id,
            thread_id: self.thread_id,
            thread_name: self.thread_name.clone(),
            status,
            frames,
        })
    }
}

/// The eval loop's safe point for snapshots: if a snapshot was requested since this thread
/// last answered, publishes its stack. One relaxed load and one thread-local read otherwise.
///
/// The eval loop calls it at its eval breaker, next to [`weft_refcount::AttachGuard::check_point`],
/// after storing the current instruction pointer ([`DataStack::set_ip`]). Call it outside any
/// [`DataStack`] method (it is a no-op, answering later, if the stack is busy).
#[inline]
pub fn safe_point() {
    let req = REQUEST.load(Ordering::Relaxed);
    if ANSWERED.try_with(Cell::get).is_ok_and(|a| a != req) {
        safe_point_slow(req);
    }
}

#[cold]
#[inline(never)]
fn safe_point_slow(req: u64) {
    match existing_stack() {
        Some(ds) => answer(&ds, req),
        // No stack, nothing to publish (and nobody waits for a thread without a record).
        None => {
            let _ = ANSWERED.try_with(|c| c.set(req));
        }
    }
}

/// Publishes `ds` as the answer to requests up to `req`.
fn answer(ds: &DataStack, req: u64) {
    let record = ds.record();
    let mut st = lock(&record.state);
    if !ds.publish(&mut st.frames) {
        return;
    }
    st.answered = st.answered.max(req);
    if st.waiters > 0 {
        record.answered.notify_all();
    }
    drop(st);
    let _ = ANSWERED.try_with(|c| c.set(req));
}

/// Answers a pending request (called by the owner when its stack just became empty).
pub(crate) fn answer_if_requested(ds: &DataStack) {
    let req = REQUEST.load(Ordering::SeqCst);
    if ANSWERED.try_with(Cell::get).ok() != Some(req) {
        answer(ds, req);
    }
}

/// Runs a blocking `f` the way every blocking call of a Python thread must: publishes the
/// thread's stack (so snapshots do not wait for it), then runs `f` fully detached through
/// [`weft_refcount::blocking`] (releasing the GIL in the gil build) with the thread's
/// critical sections suspended ([`weft_object::critical_section::blocking`]: a thread never
/// blocks holding an object lock), then marks the thread running again. Nests; only the
/// outermost call publishes and suspends.
pub fn blocking<R>(f: impl FnOnce() -> R) -> R {
    let ds = existing_stack();
    let outermost = ds.as_deref().is_none_or(|d| d.blocked().get() == 0);
    let _blocked = ds.as_deref().map(Blocked::enter);
    if outermost {
        weft_object::critical_section::blocking(f)
    } else {
        weft_refcount::blocking(f)
    }
}

/// The calling thread is inside [`blocking`] while this lives.
struct Blocked<'a> {
    ds: &'a DataStack,
}

impl<'a> Blocked<'a> {
    fn enter(ds: &'a DataStack) -> Blocked<'a> {
        let n = ds.blocked().get();
        ds.blocked().set(n + 1);
        if n == 0 {
            let record = ds.record();
            let mut st = lock(&record.state);
            // If the stack is busy (a bug in the caller) the thread is not marked blocked;
            // snapshots then report it as not answering.
            if ds.publish(&mut st.frames) {
                st.blocked = true;
                if st.waiters > 0 {
                    record.answered.notify_all();
                }
            }
        }
        Blocked { ds }
    }
}

impl Drop for Blocked<'_> {
    fn drop(&mut self) {
        let n = self.ds.blocked().get() - 1;
        self.ds.blocked().set(n);
        if n == 0 {
            // A request made while we were blocked was answered by the blocked state; one that
            // a requester has not looked at yet is answered at our next safe point, since our
            // ANSWERED is not advanced here.
            lock(&self.ds.record().state).blocked = false;
        }
    }
}

/// Takes a snapshot of every thread's stack (the calling thread's included): code name, file
/// and line per frame, outermost first. Backs `sys._current_frames()` and the tracebacks of
/// hung threads.
///
/// Each thread answers at its next safe point, or has already answered by being blocked or
/// idle. Threads that do not answer within `timeout` are reported with
/// [`SnapshotStatus::NoAnswer`] and no frames: the call never hangs and never reads a stack
/// its owner may be changing. The caller waits detached ([`blocking`]), so in the gil build the
/// other threads get the GIL to reach their safe points.
pub fn snapshot_all_threads(timeout: Duration) -> Vec<ThreadSnapshot> {
    let start = Instant::now();
    let deadline = start
        .checked_add(timeout)
        .unwrap_or_else(|| start + Duration::from_secs(3600 * 24 * 365));
    let epoch = REQUEST.fetch_add(1, Ordering::SeqCst) + 1;
    weft_sync::breaker::request_all();
    tracing::debug!(target: "weft::frame", epoch, "stack snapshot requested");
    // Our own answer: we are at a safe point by definition.
    safe_point();
    let records = lock(&REGISTRY).clone();
    let out: Vec<ThreadSnapshot> = blocking(|| {
        records
            .iter()
            .filter_map(|r| r.wait_answer(epoch, deadline))
            .collect()
    });
    tracing::debug!(
        target: "weft::frame",
        epoch,
        threads = out.len(),
        no_answer = out.iter().filter(|t| t.status == SnapshotStatus::NoAnswer).count(),
        elapsed_us = start.elapsed().as_micros() as u64,
        "stack snapshot taken"
    );
    out
}

/// Number of data stacks registered (threads that have one).
pub fn registered_stacks() -> usize {
    lock(&REGISTRY).len()
}
