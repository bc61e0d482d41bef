//! The `signal` module: Python signal handlers over `weft_sync::signals`.
//!
//! The OS handler only records a signal and trips the eval breaker; [`check_signals`] runs
//! the Python handlers on the main thread, from the eval loop's check point and from the
//! main thread's blocking waits (`time.sleep`, lock waits and therefore `join` and
//! `Event.wait`, reads from stdin), which wake up for signals. The default `SIGINT` handler,
//! `default_int_handler`, raises `KeyboardInterrupt`; uncaught, the CLI then ends the
//! process by `SIGINT` as CPython 3.13 does (the parent sees status 130 / -2).
//!
//! The table of Python handlers (one entry per signal number: `SIG_DFL` (0), `SIG_IGN` (1),
//! a callable, or `None` for a handler weft did not install) is process state behind a
//! weft-sync shim lock; only the main thread changes it.
//!
//! Differences from CPython: the constants are plain ints (CPython's `Signals`/`Handlers`
//! are `IntEnum`s, and weft has no `enum` yet); `setitimer`, `sigwait` and friends are absent.

use weft_sync::shim::Mutex;
use weft_sync::signals::{self as os, Disposition, NSIG};

use weft_object::scalar::int::Int;
use weft_object::{ExcKind, ObjRef, Object, PyErr, int_from_i64, none};

use super::io::os_error;
use super::str_obj;
use crate::core::{Args, Global, Result, module_add_fn, module_set, new_builtin, new_module};

/// The Python handler of each signal: `None` until first looked at (then the OS disposition
/// decides: `SIG_DFL`, `SIG_IGN`, or `None` for a foreign handler).
static HANDLERS: Mutex<Vec<Option<ObjRef>>> = Mutex::new(Vec::new());

/// Registered `pthread_t`s of Python threads, by `_thread.get_ident()` (for `pthread_kill`).
static THREADS: Mutex<Vec<(u64, u64)>> = Mutex::new(Vec::new());

static DEFAULT_INT_HANDLER: Global = Global::new();

const SIG_DFL: i64 = 0;
const SIG_IGN: i64 = 1;

/// The signal names and numbers of Linux (the module's `SIG*` constants).
const NAMES: &[(&str, i32)] = &[
    ("SIGHUP", 1),
    ("SIGINT", 2),
    ("SIGQUIT", 3),
    ("SIGILL", 4),
    ("SIGTRAP", 5),
    ("SIGABRT", 6),
    ("SIGIOT", 6),
    ("SIGBUS", 7),
    ("SIGFPE", 8),
    ("SIGKILL", 9),
    ("SIGUSR1", 10),
    ("SIGSEGV", 11),
    ("SIGUSR2", 12),
    ("SIGPIPE", 13),
    ("SIGALRM", 14),
    ("SIGTERM", 15),
    ("SIGSTKFLT", 16),
    ("SIGCHLD", 17),
    ("SIGCONT", 18),
    ("SIGSTOP", 19),
    ("SIGTSTP", 20),
    ("SIGTTIN", 21),
    ("SIGTTOU", 22),
    ("SIGURG", 23),
    ("SIGXCPU", 24),
    ("SIGXFSZ", 25),
    ("SIGVTALRM", 26),
    ("SIGPROF", 27),
    ("SIGWINCH", 28),
    ("SIGIO", 29),
    ("SIGPOLL", 29),
    ("SIGPWR", 30),
    ("SIGSYS", 31),
    ("SIGRTMIN", 34),
    ("SIGRTMAX", 64),
];

/// The builtin `signal.default_int_handler`.
pub fn default_int_handler_object() -> &'static Object {
    DEFAULT_INT_HANDLER.get(|| new_builtin("default_int_handler", default_int_handler))
}

/// `default_int_handler(signalnum, frame)`: raises `KeyboardInterrupt`.
fn default_int_handler(a: &Args<'_>) -> Result<ObjRef> {
    a.no_kwargs("default_int_handler")?;
    if a.all.len() != 2 {
        return Err(PyErr::type_error(format!(
            "default_int_handler expected 2 arguments, got {}",
            a.all.len()
        )));
    }
    Err(PyErr::new(ExcKind::KeyboardInterrupt, ""))
}

fn handlers() -> weft_sync::shim::MutexGuard<'static, Vec<Option<ObjRef>>> {
    let mut g = HANDLERS.lock().unwrap_or_else(|p| p.into_inner());
    if g.is_empty() {
        g.resize(NSIG as usize, None);
    }
    g
}

/// The Python-visible handler of `sig` (from the table, else from the OS disposition).
fn handler_of(sig: i32) -> ObjRef {
    if let Some(h) = handlers()[sig as usize].clone() {
        return h;
    }
    match os::disposition(sig) {
        Ok(Disposition::Default) => int_from_i64(SIG_DFL),
        Ok(Disposition::Ignore) => int_from_i64(SIG_IGN),
        _ => none().to_ref(),
    }
}

/// Replaces the table entry of `sig`, dropping the old one outside the lock.
fn set_handler(sig: i32, h: ObjRef) {
    let old = handlers()[sig as usize].replace(h);
    drop(old);
}

/// Installs CPython's start-up handlers (the CLI calls this; embedders may not): `SIGINT`
/// raises `KeyboardInterrupt` unless the process was started with it ignored, `SIGXFSZ` is
/// ignored (a too-large write then fails with `EFBIG`), `SIGPIPE` stays ignored (Rust's
/// runtime ignores it, so a closed pipe is `BrokenPipeError`).
pub fn install_default_handlers() {
    if matches!(os::disposition(libc_sigint()), Ok(Disposition::Default))
        && os::set_disposition(libc_sigint(), Disposition::Handler).is_ok()
    {
        set_handler(libc_sigint(), default_int_handler_object().to_ref());
    }
    let _ = os::set_disposition(25, Disposition::Ignore);
}

const fn libc_sigint() -> i32 {
    2
}

/// Records the calling Python thread's `pthread_t` under its `_thread` ident (until
/// [`unregister_thread`]), for `signal.pthread_kill`.
pub fn register_thread(ident: u64) {
    let mut g = THREADS.lock().unwrap_or_else(|p| p.into_inner());
    g.push((ident, os::pthread_self()));
}

/// Forgets the calling thread's entry (before it exits).
pub fn unregister_thread(ident: u64) {
    let mut g = THREADS.lock().unwrap_or_else(|p| p.into_inner());
    g.retain(|&(i, _)| i != ident);
}

/// Runs the Python handlers of the signals that arrived, on the main thread (elsewhere, and
/// when nothing is pending, it returns at once). A handler that raises stops the run (the
/// signals not yet handled run at the next check) and its exception is returned.
pub fn check_signals() -> Result<()> {
    if !os::pending() || !os::is_main_thread() || !os::begin_take() {
        return Ok(());
    }
    for sig in 1..NSIG {
        if !os::take(sig) {
            continue;
        }
        let h = handlers()[sig as usize].clone();
        let Some(h) = h else { continue };
        if h.downcast::<Int>().is_some() || h.is(none()) {
            continue;
        }
        let frame = current_frame();
        if let Err(e) = crate::call::call(&h, &[int_from_i64(sig as i64), frame], &[]) {
            os::retrip();
            return Err(e);
        }
    }
    Ok(())
}

/// The frame object of the running Python frame (`None` when there is none).
fn current_frame() -> ObjRef {
    super::sys::current_frame().unwrap_or_else(|| none().to_ref())
}

/// A signal number argument: an int in `1..NSIG`.
fn signum(o: &Object) -> Result<i32> {
    let Some(i) = o.downcast::<Int>() else {
        return Err(PyErr::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            o.ty().name
        )));
    };
    match i.as_i64() {
        Some(v) if v >= 1 && v < NSIG as i64 => Ok(v as i32),
        Some(v) if i32::try_from(v).is_ok() => {
            Err(PyErr::value_error("signal number out of range"))
        }
        _ => Err(PyErr::new(
            ExcKind::OverflowError,
            "Python int too large to convert to C int",
        )),
    }
}

fn s_signal(a: &Args<'_>) -> Result<ObjRef> {
    a.check("signal", 2, 2)?;
    let sig = signum(&a.all[0])?;
    let h = &a.all[1];
    if !os::is_main_thread() {
        return Err(PyErr::value_error(
            "signal only works in main thread of the main interpreter",
        ));
    }
    let disp = match h.downcast::<Int>().and_then(Int::as_i64) {
        Some(SIG_DFL) => Disposition::Default,
        Some(SIG_IGN) => Disposition::Ignore,
        _ if crate::builtins::is_callable(h)? => Disposition::Handler,
        _ => {
            return Err(PyErr::type_error(
                "signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object",
            ));
        }
    };
    let old = handler_of(sig);
    os::set_disposition(sig, disp).map_err(|e| os_error(&e, None))?;
    set_handler(sig, h.clone());
    Ok(old)
}

fn s_getsignal(a: &Args<'_>) -> Result<ObjRef> {
    a.check("getsignal", 1, 1)?;
    Ok(handler_of(signum(&a.all[0])?))
}

fn s_raise_signal(a: &Args<'_>) -> Result<ObjRef> {
    a.check("raise_signal", 1, 1)?;
    let sig = signum(&a.all[0])?;
    os::raise_signal(sig).map_err(|e| os_error(&e, None))?;
    // The handler has run (raise is synchronous): run the Python one now, as CPython does.
    check_signals()?;
    Ok(none().to_ref())
}

fn s_alarm(a: &Args<'_>) -> Result<ObjRef> {
    a.check("alarm", 1, 1)?;
    let secs = match a.all[0].downcast::<Int>() {
        Some(i) => i
            .as_i64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| {
                PyErr::new(
                    ExcKind::OverflowError,
                    "Python int too large to convert to C unsigned int",
                )
            })?,
        None => {
            return Err(PyErr::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                a.all[0].ty().name
            )));
        }
    };
    Ok(int_from_i64(os::alarm(secs) as i64))
}

fn s_pthread_kill(a: &Args<'_>) -> Result<ObjRef> {
    a.check("pthread_kill", 2, 2)?;
    let ident = match a.all[0].downcast::<Int>().and_then(Int::as_i64) {
        Some(v) => v as u64,
        None => {
            return Err(PyErr::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                a.all[0].ty().name
            )));
        }
    };
    let sig = match a.all[1].downcast::<Int>().and_then(Int::as_i64) {
        Some(v) if (0..NSIG as i64).contains(&v) => v as i32,
        _ => return Err(PyErr::value_error("signal number out of range")),
    };
    let thread = {
        let g = THREADS.lock().unwrap_or_else(|p| p.into_inner());
        g.iter().rev().find(|&&(i, _)| i == ident).map(|&(_, t)| t)
    };
    // An unknown ident is a thread that is not running: ESRCH, as pthread_kill answers.
    let Some(thread) = thread else {
        return Err(super::io::os_error_from(3, "No such process", None));
    };
    os::pthread_kill(thread, sig).map_err(|e| os_error(&e, None))?;
    check_signals()?;
    Ok(none().to_ref())
}

fn s_set_wakeup_fd(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("set_wakeup_fd", &["warn_on_full_buffer"])?;
    a.check_pos("set_wakeup_fd", 1, 1)?;
    let fd = match a.all[0].downcast::<Int>().and_then(Int::as_i64) {
        Some(v) => i32::try_from(v).map_err(|_| {
            PyErr::new(
                ExcKind::OverflowError,
                "Python int too large to convert to C int",
            )
        })?,
        None => {
            return Err(PyErr::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                a.all[0].ty().name
            )));
        }
    };
    if !os::is_main_thread() {
        return Err(PyErr::value_error(
            "set_wakeup_fd only works in main thread of the main interpreter",
        ));
    }
    match os::set_wakeup_fd(fd) {
        Ok(old) => Ok(int_from_i64(old as i64)),
        Err(Some(e)) => Err(os_error(&e, None)),
        Err(None) => Err(PyErr::value_error(format!(
            "the fd {fd} must be in non-blocking mode"
        ))),
    }
}

fn s_strsignal(a: &Args<'_>) -> Result<ObjRef> {
    a.check("strsignal", 1, 1)?;
    let sig = signum(&a.all[0])?;
    Ok(match os::strsignal(sig) {
        Some(s) => str_obj(s),
        None => none().to_ref(),
    })
}

fn s_valid_signals(a: &Args<'_>) -> Result<ObjRef> {
    a.check("valid_signals", 0, 0)?;
    let items: Vec<ObjRef> = os::valid_signals()
        .into_iter()
        .map(|s| int_from_i64(s as i64))
        .collect();
    let set = weft_containers::set::new_set();
    for i in items {
        weft_containers::set::Set::of(&set).expect("set").add(&i)?;
    }
    Ok(set)
}

/// A new `signal` module.
pub fn make_module() -> ObjRef {
    let m = new_module("signal");
    for &(name, n) in NAMES {
        module_set(&m, name, int_from_i64(n as i64));
    }
    module_set(&m, "SIG_DFL", int_from_i64(SIG_DFL));
    module_set(&m, "SIG_IGN", int_from_i64(SIG_IGN));
    module_set(&m, "NSIG", int_from_i64(NSIG as i64));
    module_set(&m, "SIG_BLOCK", int_from_i64(0));
    module_set(&m, "SIG_UNBLOCK", int_from_i64(1));
    module_set(&m, "SIG_SETMASK", int_from_i64(2));
    module_set(
        &m,
        "default_int_handler",
        default_int_handler_object().to_ref(),
    );
    module_add_fn(&m, "signal", s_signal);
    module_add_fn(&m, "getsignal", s_getsignal);
    module_add_fn(&m, "raise_signal", s_raise_signal);
    module_add_fn(&m, "alarm", s_alarm);
    module_add_fn(&m, "pthread_kill", s_pthread_kill);
    module_add_fn(&m, "set_wakeup_fd", s_set_wakeup_fd);
    module_add_fn(&m, "strsignal", s_strsignal);
    module_add_fn(&m, "valid_signals", s_valid_signals);
    m
}
