//! The `_thread` module: OS threads running Python callables, locks (`allocate_lock`,
//! `RLock`), thread identity, and thread-local objects (`_local`).
//!
//! Every wait goes through [`weft_frame::blocking`], so a waiting thread holds neither the GIL
//! (gil build) nor back memory reclamation (nogil build). Locks are a `std` mutex-protected
//! state plus a condition variable; the mutex is only held for a few instructions, never across
//! a call into Python.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use weft_sync::shim::{Condvar, Mutex, MutexGuard};

use crate::modules::str_obj;
use weft_containers::dict::{self, Dict};
use weft_object::scalar::int::Int;
use weft_object::types::{FLOAT_TYPE, OBJECT_TYPE};
use weft_object::{
    ExcKind, ObjRef, Object, Payload, PyErr, Slots, TypeObject, bool_obj, int_from_i64, none,
};

use super::io::native_getattr;
use crate::core::{
    Args, Result, add_method, as_str, module_add_fn, module_set, new_module, set_ctor, type_err,
    value_err,
};

/// Native stack size of threads started by `_thread.start_new_thread`.
pub const THREAD_STACK_SIZE: usize = 32 << 20;

/// The largest timeout `acquire` accepts (`_thread.TIMEOUT_MAX`).
pub const TIMEOUT_MAX: f64 = 4_294_967.0;

static NEXT_IDENT: AtomicU64 = AtomicU64::new(1);
static RUNNING: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static IDENT: u64 = NEXT_IDENT.fetch_add(1, Ordering::Relaxed);
    /// This thread's attribute dicts of `_local` objects, by the objects' serial numbers.
    static LOCALS: RefCell<HashMap<u64, ObjRef>> = RefCell::new(HashMap::new());
}

/// `_thread.get_ident()` of the calling thread.
pub fn get_ident() -> u64 {
    IDENT.with(|i| *i)
}

/// Drops the calling thread's `_local` dicts (thread runners call this before the thread's
/// states end, so the objects are released while the thread is still attached).
pub fn clear_thread_locals() {
    let maps = LOCALS.try_with(|m| std::mem::take(&mut *m.borrow_mut()));
    drop(maps);
}

/// Spawns an OS thread with a native stack of `stack` bytes that runs `f` attached, with the
/// recursion limit of `sys.setrecursionlimit` and the eval loop's stack budget, then ends the
/// thread's data stack and thread state. Returns the join handle.
pub fn spawn_python_thread(
    stack: usize,
    f: impl FnOnce() + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            {
                let _g = weft_refcount::attach();
                crate::eval::set_native_stack_size(stack);
                weft_frame::with_stack(|ds| ds.set_recursion_limit(super::sys::recursion_limit()));
                super::signal::register_thread(get_ident());
                f();
                super::signal::unregister_thread(get_ident());
                clear_thread_locals();
                weft_frame::thread_exit();
            }
            weft_refcount::thread_exit();
        })
}

fn start_new_thread(a: &Args<'_>) -> Result<ObjRef> {
    a.no_kwargs("start_new_thread")?;
    a.check_pos("start_new_thread", 2, 3)?;
    let func = a.all[0].clone();
    let args = a.all[1].clone();
    if weft_containers::tuple::as_tuple(&args).is_none() {
        return type_err("2nd arg must be a tuple");
    }
    let kwargs = match a.all.get(2) {
        Some(k) if !k.is(none()) => {
            if Dict::of(k).is_none() {
                return type_err("optional 3rd arg must be a dictionary");
            }
            Some(k.clone())
        }
        _ => None,
    };
    let (tx, rx) = std::sync::mpsc::channel::<u64>();
    RUNNING.fetch_add(1, Ordering::SeqCst);
    let spawned = spawn_python_thread(THREAD_STACK_SIZE, move || {
        let _ = tx.send(get_ident());
        let r = crate::call::call_ex(&func, &args, kwargs.as_deref());
        if let Err(e) = r
            && e.kind != ExcKind::SystemExit
        {
            let exc = crate::exceptions::materialize(&e);
            if !crate::interp::is_system_exit(&exc) {
                let fr = func.repr().unwrap_or_else(|_| "<object>".to_owned());
                let text = format!(
                    "Exception ignored in thread started by: {fr}\n{}",
                    crate::traceback::format_exception(&exc)
                );
                let _ = super::write_stderr(&text);
            }
        }
        drop((func, args, kwargs));
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    });
    match spawned {
        Ok(_) => {}
        Err(_) => {
            RUNNING.fetch_sub(1, Ordering::SeqCst);
            return Err(PyErr::new(ExcKind::RuntimeError, "can't start new thread"));
        }
    }
    let ident = weft_frame::blocking(|| rx.recv().unwrap_or(0));
    Ok(int_from_i64(ident as i64))
}

fn t_get_ident(a: &Args<'_>) -> Result<ObjRef> {
    a.check("get_ident", 0, 0)?;
    Ok(int_from_i64(get_ident() as i64))
}

fn t_count(a: &Args<'_>) -> Result<ObjRef> {
    a.check("_count", 0, 0)?;
    Ok(int_from_i64(RUNNING.load(Ordering::SeqCst) as i64))
}

fn t_format_exc(a: &Args<'_>) -> Result<ObjRef> {
    a.check("_format_exception", 1, 1)?;
    Ok(str_obj(crate::traceback::format_exception(&a.all[0])))
}

fn t_write_stderr(a: &Args<'_>) -> Result<ObjRef> {
    a.check("_write_stderr", 1, 1)?;
    let s = as_str(&a.all[0]).ok_or_else(|| PyErr::type_error("str expected"))?;
    super::write_stderr(s)?;
    Ok(none().to_ref())
}

// ---------------------------------------------------------------------------------------------
// Locks
// ---------------------------------------------------------------------------------------------

/// The state of a lock behind a mutex, and the condition variable its waiters wait on.
struct LockState<T> {
    state: Mutex<T>,
    cv: Condvar,
}

impl<T> LockState<T> {
    const fn new(v: T) -> LockState<T> {
        LockState {
            state: Mutex::new(v),
            cv: Condvar::new(),
        }
    }

    fn state(&self) -> MutexGuard<'_, T> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `take` on the state until it succeeds, waiting (detached) between tries when
    /// `blocking`, for at most `timeout` (`None`: forever); returns whether it succeeded.
    ///
    /// On the main thread the wait wakes up for signals (it waits in slices of
    /// `weft_sync::signals::MAIN_WAIT_SLICE` and looks at the pending flag): the Python
    /// handlers run, an exception one raises is returned, and otherwise the wait goes on until
    /// the same deadline (as CPython's `acquire`).
    fn acquire(
        &self,
        blocking: bool,
        timeout: Option<Duration>,
        mut take: impl FnMut(&mut T) -> bool,
    ) -> Result<bool> {
        if take(&mut self.state()) {
            return Ok(true);
        }
        if !blocking {
            return Ok(false);
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        let main = weft_sync::signals::is_main_thread();
        loop {
            // `None`: a signal is pending (main thread only).
            let got = weft_frame::blocking(|| {
                let mut g = self.state();
                loop {
                    if take(&mut g) {
                        return Some(true);
                    }
                    if !main {
                        match wait_until(&self.cv, g, deadline) {
                            Some(next) => g = next,
                            None => return Some(false),
                        }
                        continue;
                    }
                    if weft_sync::signals::pending() {
                        return None;
                    }
                    let slice = Instant::now() + weft_sync::signals::MAIN_WAIT_SLICE;
                    let until = deadline.map_or(slice, |d| d.min(slice));
                    match wait_until(&self.cv, g, Some(until)) {
                        Some(next) => g = next,
                        None if deadline.is_some_and(|d| Instant::now() >= d) => {
                            // One last try at the deadline.
                            return Some(take(&mut self.state()));
                        }
                        None => g = self.state(),
                    }
                }
            });
            match got {
                Some(b) => return Ok(b),
                None => super::signal::check_signals()?,
            }
        }
    }
}

/// `_thread.lock`: a non-reentrant lock any thread may release.
pub struct PyLock(LockState<bool>);

impl PyLock {
    /// A new unlocked lock.
    pub fn new() -> PyLock {
        PyLock(LockState::new(false))
    }

    fn state(&self) -> MutexGuard<'_, bool> {
        self.0.state()
    }

    /// Acquires: `timeout` `None` waits forever; returns whether the lock was taken. On the
    /// main thread a signal handler that raises (`KeyboardInterrupt`) ends the wait with its
    /// exception.
    pub fn acquire(&self, blocking: bool, timeout: Option<Duration>) -> Result<bool> {
        self.0
            .acquire(blocking, timeout, |locked| !std::mem::replace(locked, true))
    }

    /// Releases; `false` when it was not locked.
    pub fn release(&self) -> bool {
        let mut g = self.state();
        if !*g {
            return false;
        }
        *g = false;
        drop(g);
        self.0.cv.notify_one();
        true
    }

    /// Whether the lock is held.
    pub fn is_locked(&self) -> bool {
        *self.state()
    }
}

impl Default for PyLock {
    fn default() -> Self {
        PyLock::new()
    }
}

/// `_thread.lock`
pub static LOCK_TYPE: TypeObject = TypeObject::new_static::<PyLock>(
    "lock",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(|o| {
            let l = o.downcast::<PyLock>().expect("lock");
            Ok(format!(
                "<{} _thread.lock object at {:#x}>",
                if l.is_locked() { "locked" } else { "unlocked" },
                o.id()
            ))
        }),
        hash: Some(crate::class::identity_hash),
        ..Slots::EMPTY
    },
);

impl Payload for PyLock {
    fn type_object() -> &'static TypeObject {
        &LOCK_TYPE
    }
}

/// Parses `acquire(blocking=True, timeout=-1)`.
fn acquire_args(a: &Args<'_>) -> Result<(bool, Option<Duration>)> {
    a.only_kwargs("acquire", &["blocking", "timeout"])?;
    a.check_pos("acquire", 1, 3)?;
    let blocking = match a.arg(1, "blocking") {
        Some(b) => b.is_true()?,
        None => true,
    };
    let timeout = match a.arg(2, "timeout") {
        None => -1.0,
        Some(t) => {
            if let Some(f) = t.downcast::<f64>() {
                *f
            } else if let Some(i) = t.downcast::<Int>() {
                i.to_f64().map_err(PyErr::from)?
            } else {
                return type_err(format!(
                    "'{}' object cannot be interpreted as an integer",
                    t.ty().name
                ));
            }
        }
    };
    if timeout != -1.0 && !blocking {
        return value_err("can't specify a timeout for a non-blocking call");
    }
    if timeout < 0.0 && timeout != -1.0 {
        return value_err("timeout value must be a non-negative number");
    }
    if timeout > TIMEOUT_MAX {
        return Err(PyErr::new(
            ExcKind::OverflowError,
            "timeout value is too large",
        ));
    }
    let t = if timeout < 0.0 {
        None
    } else {
        Some(Duration::from_secs_f64(timeout))
    };
    Ok((blocking, t))
}

fn lock_of<'a>(a: &Args<'a>) -> Result<&'a PyLock> {
    a.all
        .first()
        .and_then(|o| o.downcast::<PyLock>())
        .ok_or_else(|| PyErr::type_error("descriptor requires a '_thread.lock' object"))
}

fn lock_acquire(a: &Args<'_>) -> Result<ObjRef> {
    let l = lock_of(a)?;
    let (b, t) = acquire_args(a)?;
    Ok(bool_obj(l.acquire(b, t)?))
}

fn lock_enter(a: &Args<'_>) -> Result<ObjRef> {
    let l = lock_of(a)?;
    l.acquire(true, None)?;
    Ok(bool_obj(true))
}

fn lock_release(a: &Args<'_>) -> Result<ObjRef> {
    let l = lock_of(a)?;
    if !l.release() {
        return Err(PyErr::new(ExcKind::RuntimeError, "release unlocked lock"));
    }
    Ok(none().to_ref())
}

fn lock_locked(a: &Args<'_>) -> Result<ObjRef> {
    Ok(bool_obj(lock_of(a)?.is_locked()))
}

fn allocate_lock(a: &Args<'_>) -> Result<ObjRef> {
    a.check("allocate_lock", 0, 0)?;
    Ok(ObjRef::new(PyLock::new()))
}

/// `_thread.RLock`: a reentrant lock owned by the thread that acquired it.
pub struct PyRLock(
    /// (owner ident or 0, recursion count)
    LockState<(u64, u64)>,
);

/// `_thread.RLock`
pub static RLOCK_TYPE: TypeObject = TypeObject::new_static::<PyRLock>(
    "RLock",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(|o| {
            let l = o.downcast::<PyRLock>().expect("rlock");
            let (owner, count) = *l.0.state();
            Ok(format!(
                "<{} _thread.RLock object owner={} count={} at {:#x}>",
                if count > 0 { "locked" } else { "unlocked" },
                owner,
                count,
                o.id()
            ))
        }),
        hash: Some(crate::class::identity_hash),
        ..Slots::EMPTY
    },
);

impl Payload for PyRLock {
    fn type_object() -> &'static TypeObject {
        &RLOCK_TYPE
    }
}

fn rlock_of<'a>(a: &Args<'a>) -> Result<&'a PyRLock> {
    a.all
        .first()
        .and_then(|o| o.downcast::<PyRLock>())
        .ok_or_else(|| PyErr::type_error("descriptor requires a '_thread.RLock' object"))
}

impl PyRLock {
    fn acquire(&self, blocking: bool, timeout: Option<Duration>) -> Result<bool> {
        let me = get_ident();
        self.0.acquire(blocking, timeout, |g| {
            if g.1 == 0 {
                *g = (me, 1);
            } else if g.0 == me {
                g.1 += 1;
            } else {
                return false;
            }
            true
        })
    }

    fn release(&self) -> Result<()> {
        let mut g = self.0.state();
        if g.1 == 0 || g.0 != get_ident() {
            return Err(PyErr::new(
                ExcKind::RuntimeError,
                "cannot release un-acquired lock",
            ));
        }
        g.1 -= 1;
        if g.1 == 0 {
            g.0 = 0;
            drop(g);
            self.0.cv.notify_one();
        }
        Ok(())
    }
}

fn rlock_new(a: &Args<'_>) -> Result<ObjRef> {
    // args.all[0] is the type.
    let _ = a;
    Ok(ObjRef::new(PyRLock(LockState::new((0, 0)))))
}

fn rlock_acquire(a: &Args<'_>) -> Result<ObjRef> {
    let l = rlock_of(a)?;
    let (b, t) = acquire_args(a)?;
    Ok(bool_obj(l.acquire(b, t)?))
}

fn rlock_enter(a: &Args<'_>) -> Result<ObjRef> {
    rlock_of(a)?.acquire(true, None)?;
    Ok(bool_obj(true))
}

fn rlock_release(a: &Args<'_>) -> Result<ObjRef> {
    rlock_of(a)?.release()?;
    Ok(none().to_ref())
}

fn rlock_is_owned(a: &Args<'_>) -> Result<ObjRef> {
    let l = rlock_of(a)?;
    let g = l.0.state();
    Ok(bool_obj(g.1 > 0 && g.0 == get_ident()))
}

/// `_release_save()`: fully releases an owned RLock, returning (count, owner) (for
/// `Condition.wait` on an RLock).
fn rlock_release_save(a: &Args<'_>) -> Result<ObjRef> {
    let l = rlock_of(a)?;
    let mut g = l.0.state();
    if g.1 == 0 {
        return Err(PyErr::new(
            ExcKind::RuntimeError,
            "cannot release un-acquired lock",
        ));
    }
    let saved = *g;
    *g = (0, 0);
    drop(g);
    l.0.cv.notify_one();
    Ok(crate::core::tuple(vec![
        int_from_i64(saved.1 as i64),
        int_from_i64(saved.0 as i64),
    ]))
}

/// `_acquire_restore((count, owner))`.
fn rlock_acquire_restore(a: &Args<'_>) -> Result<ObjRef> {
    let l = rlock_of(a)?;
    a.check("_acquire_restore", 2, 2)?;
    let t = weft_containers::tuple::as_tuple(&a.all[1])
        .ok_or_else(|| PyErr::type_error("tuple expected"))?;
    let count = t
        .get(0)
        .and_then(|c| c.downcast::<Int>())
        .and_then(Int::as_i64)
        .unwrap_or(1) as u64;
    // The lock must be held again whatever happens: an exception from a signal handler
    // that ran during the wait is raised once it is.
    let mut raised = None;
    loop {
        match l.acquire(true, None) {
            Ok(_) => break,
            Err(e) => raised = raised.or(Some(e)),
        }
    }
    let mut g = l.0.state();
    g.1 = count.max(1);
    drop(g);
    match raised {
        Some(e) => Err(e),
        None => Ok(none().to_ref()),
    }
}

// ---------------------------------------------------------------------------------------------
// _local
// ---------------------------------------------------------------------------------------------

/// `_thread._local`: attributes are per thread.
pub struct PyLocal {
    serial: u64,
}

static NEXT_LOCAL: AtomicU64 = AtomicU64::new(1);

/// `_thread._local`
pub static LOCAL_TYPE: TypeObject = TypeObject::new_static::<PyLocal>(
    "_thread._local",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(|o| Ok(format!("<_thread._local object at {:#x}>", o.id()))),
        hash: Some(crate::class::identity_hash),
        getattr: Some(local_getattr),
        setattr: Some(local_setattr),
        ..Slots::EMPTY
    },
);

impl Payload for PyLocal {
    fn type_object() -> &'static TypeObject {
        &LOCAL_TYPE
    }
}

fn local_dict(o: &Object) -> ObjRef {
    let serial = o.downcast::<PyLocal>().expect("local").serial;
    LOCALS.with(|m| {
        if let Some(d) = m.borrow().get(&serial) {
            return d.clone();
        }
        let d = dict::new();
        m.borrow_mut().insert(serial, d.clone());
        d
    })
}

fn local_getattr(o: &Object, name: &Object) -> Result<ObjRef> {
    let d = local_dict(o);
    if as_str(name) == Some("__dict__") {
        return Ok(d);
    }
    if let Some(v) = Dict::of(&d).expect("dict").get(name)? {
        return Ok(v);
    }
    native_getattr(o, name, |_| None).map_err(|mut e| {
        e.msg = format!(
            "'_thread._local' object has no attribute '{}'",
            as_str(name).unwrap_or("?")
        );
        e
    })
}

fn local_setattr(o: &Object, name: &Object, value: Option<&Object>) -> Result<()> {
    if as_str(name) == Some("__dict__") {
        return Err(PyErr::new(
            ExcKind::AttributeError,
            "'_thread._local' object attribute '__dict__' is read-only",
        ));
    }
    let d = local_dict(o);
    let d = Dict::of(&d).expect("dict");
    match value {
        Some(v) => d.set_item(name.to_ref(), v.to_ref()),
        None => d.del_item(name).map_err(|_| {
            PyErr::new(
                ExcKind::AttributeError,
                format!(
                    "'_thread._local' object has no attribute '{}'",
                    as_str(name).unwrap_or("?")
                ),
            )
        }),
    }
}

fn local_new(a: &Args<'_>) -> Result<ObjRef> {
    let _ = a;
    Ok(ObjRef::new(PyLocal {
        serial: NEXT_LOCAL.fetch_add(1, Ordering::Relaxed),
    }))
}

/// Installs the lock types' methods and constructors (once, at start-up).
pub fn install() {
    for (n, f) in [
        ("acquire", lock_acquire as crate::core::NativeFn),
        ("acquire_lock", lock_acquire),
        ("__enter__", lock_enter),
        ("release", lock_release),
        ("release_lock", lock_release),
        ("__exit__", lock_release),
        ("locked", lock_locked),
        ("locked_lock", lock_locked),
    ] {
        add_method(&LOCK_TYPE, n, f);
    }
    set_ctor(&LOCK_TYPE, |a| {
        let _ = a;
        Ok(ObjRef::new(PyLock::new()))
    });
    for (n, f) in [
        ("acquire", rlock_acquire as crate::core::NativeFn),
        ("__enter__", rlock_enter),
        ("release", rlock_release),
        ("__exit__", rlock_release),
        ("_is_owned", rlock_is_owned),
        ("_release_save", rlock_release_save),
        ("_acquire_restore", rlock_acquire_restore),
    ] {
        add_method(&RLOCK_TYPE, n, f);
    }
    set_ctor(&RLOCK_TYPE, rlock_new);
    set_ctor(&LOCAL_TYPE, local_new);
}

/// A new `_thread` module.
pub fn make_module() -> ObjRef {
    let m = new_module("_thread");
    module_add_fn(&m, "start_new_thread", start_new_thread);
    module_add_fn(&m, "start_new", start_new_thread);
    module_add_fn(&m, "allocate_lock", allocate_lock);
    module_add_fn(&m, "allocate", allocate_lock);
    module_add_fn(&m, "get_ident", t_get_ident);
    module_add_fn(&m, "get_native_id", t_get_ident);
    module_add_fn(&m, "_count", t_count);
    module_add_fn(&m, "_format_exception", t_format_exc);
    module_add_fn(&m, "_write_stderr", t_write_stderr);
    module_set(&m, "LockType", LOCK_TYPE.as_object().to_ref());
    module_set(&m, "lock", LOCK_TYPE.as_object().to_ref());
    module_set(&m, "RLock", RLOCK_TYPE.as_object().to_ref());
    module_set(&m, "_local", LOCAL_TYPE.as_object().to_ref());
    module_set(&m, "TIMEOUT_MAX", ObjRef::new(TIMEOUT_MAX));
    module_set(
        &m,
        "error",
        crate::exceptions::exc_type(ExcKind::RuntimeError)
            .as_object()
            .to_ref(),
    );
    let _ = &FLOAT_TYPE;
    m
}

/// Waits on `cv` (giving up `g` meanwhile) until notified or until `deadline`; `None` when the
/// deadline has passed. Spurious wake-ups return too: callers re-check their condition.
fn wait_until<'a, T>(
    cv: &Condvar,
    g: MutexGuard<'a, T>,
    deadline: Option<Instant>,
) -> Option<MutexGuard<'a, T>> {
    match deadline {
        None => Some(cv.wait(g).unwrap_or_else(|p| p.into_inner())),
        Some(d) => {
            let now = Instant::now();
            if now >= d {
                return None;
            }
            Some(
                cv.wait_timeout(g, d - now)
                    .unwrap_or_else(|p| p.into_inner())
                    .0,
            )
        }
    }
}
