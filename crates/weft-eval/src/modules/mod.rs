//! Native modules: `sys`, `time`, `math`, `os` (with `os.path`), `_thread`, `signal`; and `threading`,
//! written in Python on top of `_thread` and embedded in the binary.
//!
//! Standard output is buffered here, behind one lock: [`write_stdout`] appends to the buffer
//! (flushing when it grows past a few KiB, at each newline when stdout is a terminal, and
//! after every write in unbuffered mode, `weft -u`); [`write_stderr`] flushes stdout first so
//! the two streams interleave in program order. A program that assigns `sys.stdout = obj`
//! redirects `print` to `obj.write`.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use weft_sync::shim::{Mutex, MutexGuard};

use weft_containers::dict::Dict;
use weft_object::{ExcKind, ObjRef, Object, PyErr, intern};

use crate::core::{Args, Result};

pub mod io;
pub mod math;
pub mod os;
pub mod signal;
pub mod sys;
pub mod thread;
pub mod time;

/// A new `str` object from anything string-like.
pub(crate) fn str_obj(s: impl AsRef<str>) -> ObjRef {
    weft_object::str_obj(s.as_ref())
}

/// The Python source of the `threading` module, compiled and run on first import.
pub const THREADING_SOURCE: &str = include_str!("threading.py");

/// The Python source of the `io` module (`StringIO`, `BytesIO`, `UnsupportedOperation`).
pub const IO_SOURCE: &str = include_str!("io.py");

// ---------------------------------------------------------------------------------------------
// Standard streams
// ---------------------------------------------------------------------------------------------

struct OutBuf {
    buf: Vec<u8>,
    /// Whether fd 1 is a terminal (line buffering), probed on first write.
    tty: Option<bool>,
}

/// Process state, not a Python object: weft-sync's shim lock (see `tests/tidy.rs`).
static STDOUT_BUF: Mutex<OutBuf> = Mutex::new(OutBuf {
    buf: Vec::new(),
    tty: None,
});
static UNBUFFERED: AtomicBool = AtomicBool::new(false);

/// Threshold past which the stdout buffer is written out.
const STDOUT_FLUSH_AT: usize = 8192;

/// Turns the buffering of stdout off (`weft -u`) or back on.
pub fn set_unbuffered(on: bool) {
    UNBUFFERED.store(on, Ordering::Relaxed);
    if on {
        let _ = flush_stdout();
    }
}

fn lock_out() -> MutexGuard<'static, OutBuf> {
    STDOUT_BUF.lock().unwrap_or_else(|p| p.into_inner())
}

/// Writes the buffer out. On failure (a closed pipe: `EPIPE`, since the process ignores
/// `SIGPIPE`; a full disk: `ENOSPC`) the unwritten bytes stay buffered when `keep` (an
/// explicit flush, as CPython's buffered writer keeps them, so the flush at exit fails
/// again) and are dropped otherwise (a flush forced by a write, which CPython also loses).
fn drain(out: &mut OutBuf, keep: bool) -> std::io::Result<()> {
    if out.buf.is_empty() {
        return Ok(());
    }
    // Straight to fd 1: std's `Stdout` would keep the bytes in a buffer of its own, out of
    // reach of the error reporting here.
    let mut written = 0;
    let result = loop {
        if written == out.buf.len() {
            break Ok(());
        }
        match weft_sync::fd::write(1, &out.buf[written..]) {
            Ok(0) => break Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => written += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    if result.is_ok() || !keep {
        out.buf.clear();
    } else {
        out.buf.drain(..written);
    }
    result
}

/// The `OSError` (`BrokenPipeError` for `EPIPE`) for a failed write to a standard stream.
fn stream_error(e: &std::io::Error) -> PyErr {
    io::os_error(e, None)
}

/// Writes `s` to the process's real stdout, through the buffer (ignores `sys.stdout`). A
/// failed write raises `OSError` (`BrokenPipeError` for a closed pipe).
pub fn write_real_stdout(s: &str) -> Result<()> {
    let mut out = lock_out();
    out.buf.extend_from_slice(s.as_bytes());
    let tty = *out
        .tty
        .get_or_insert_with(|| std::io::stdout().is_terminal());
    if UNBUFFERED.load(Ordering::Relaxed)
        || out.buf.len() >= STDOUT_FLUSH_AT
        || (tty && s.contains('\n'))
    {
        drain(&mut out, false).map_err(|e| stream_error(&e))?;
    }
    Ok(())
}

/// Writes `s` to the process's real stderr (after flushing stdout; ignores `sys.stderr`).
pub fn write_real_stderr(s: &str) {
    {
        // Stdout first, so the streams interleave in program order; a failure here is the
        // next explicit flush's (or the exit's) to report.
        let mut out = lock_out();
        let _ = drain(&mut out, true);
    }
    let mut se = std::io::stderr().lock();
    let _ = se.write_all(s.as_bytes());
    let _ = se.flush();
}

/// `sys.<name>` when it was replaced by a program (not the original stream object).
fn redirected(name: &str, original: &Object) -> Option<ObjRef> {
    let sys = sys::sys_module_if_made()?;
    let m = sys.downcast::<crate::core::Module>()?;
    let v = Dict::of(&m.dict)?.get(intern(name)).ok()??;
    if v.is(original) { None } else { Some(v) }
}

/// Writes `s` to `sys.stdout` (the real stdout, buffered, unless a program replaced
/// `sys.stdout` with another object: then its `write`).
pub fn write_stdout(s: &str) -> Result<()> {
    if let Some(obj) = redirected("stdout", io::stdout_object()) {
        if obj.is(weft_object::none()) {
            // `sys.stdout = None`: output is dropped, as CPython's print does.
            return Ok(());
        }
        crate::call::call_method(&obj, "write", &[str_obj(s)])?;
        return Ok(());
    }
    write_real_stdout(s)
}

/// Writes `s` to `sys.stderr` (unbuffered), flushing stdout first.
pub fn write_stderr(s: &str) -> Result<()> {
    if let Some(obj) = redirected("stderr", io::stderr_object()) {
        if obj.is(weft_object::none()) {
            return Ok(());
        }
        let _ = flush_stdout();
        crate::call::call_method(&obj, "write", &[str_obj(s)])?;
        return Ok(());
    }
    write_real_stderr(s);
    Ok(())
}

/// Flushes the buffered stdout (`print(flush=True)`, `sys.stdout.flush()`, exit). A failed
/// write raises `OSError` (`BrokenPipeError` for a closed pipe) and keeps the unwritten
/// bytes buffered, as CPython does.
pub fn flush_stdout() -> Result<()> {
    let mut out = lock_out();
    drain(&mut out, true).map_err(|e| stream_error(&e))
}

/// The flush of stdout at exit: a failure prints CPython's `Exception ignored on flushing
/// sys.stdout:` report on stderr and gives exit status 120 (`None` when the flush worked).
pub fn flush_stdout_at_exit() -> Option<i32> {
    let e = flush_stdout().err()?;
    // Nothing can be written to stdout any more: drop what is left, so that the report
    // below (which flushes stdout first) does not try again.
    lock_out().buf.clear();
    let exc = crate::exceptions::materialize(&e);
    write_real_stderr(&format!(
        "Exception ignored on flushing sys.stdout:\n{}",
        crate::traceback::format_exception_only(&exc)
    ));
    Some(120)
}

/// The builtin `open(file, mode='r', encoding=None, newline=None)` (text files, and binary
/// modes returning bytes).
pub fn open(args: &Args<'_>) -> Result<ObjRef> {
    io::open(args)
}

/// The native (or embedded Python) module `name`, freshly made, or `None` when there is no
/// such builtin module; the import system caches it in `sys.modules`.
pub fn builtin_module(name: &str) -> Option<Result<ObjRef>> {
    Some(match name {
        "sys" => Ok(sys::sys_module().to_ref()),
        "time" => Ok(time::make_module()),
        "math" => Ok(math::make_module()),
        "os" => Ok(os::make_module()),
        "os.path" | "posixpath" => Ok(os::path_module()),
        "_thread" => Ok(thread::make_module()),
        "signal" | "_signal" => Ok(signal::make_module()),
        "threading" => python_module("threading", "<frozen threading>", THREADING_SOURCE),
        "io" => python_module("io", "<frozen io>", IO_SOURCE),
        "builtins" => Ok(ObjRef::new(crate::core::Module {
            name: "builtins".to_owned(),
            dict: crate::builtins::builtins_dict().to_ref(),
        })),
        _ => return None,
    })
}

/// Names of the modules [`builtin_module`] can make (`sys.builtin_module_names`).
pub const BUILTIN_MODULE_NAMES: &[&str] = &[
    "_thread",
    "builtins",
    "io",
    "math",
    "os",
    "signal",
    "sys",
    "threading",
    "time",
];

/// Compiles and runs embedded Python `source` as module `name`, registered in `sys.modules`
/// before it runs (like any import).
fn python_module(name: &str, filename: &str, source: &str) -> Result<ObjRef> {
    let code = weft_compiler::compile(source, filename, weft_compiler::Mode::Exec)
        .map_err(|e| PyErr::new(ExcKind::SyntaxError, format!("embedded module {name}: {e}")))?;
    crate::traceback::register_source(filename, source);
    let module = crate::core::new_module(name);
    crate::core::module_set(&module, "__file__", str_obj(filename));
    crate::import::exec_module_code(&module, code)?;
    Ok(module)
}

/// `input(prompt)`: reads a line from stdin (detached while it waits).
pub fn input(prompt: Option<&Object>) -> Result<ObjRef> {
    if let Some(p) = prompt {
        let text = crate::ops::str(p)?;
        write_stdout(crate::core::str_of(&text))?;
    }
    flush_stdout()?;
    let stdin_obj = redirected("stdin", io::stdin_object());
    if let Some(obj) = stdin_obj {
        let line = crate::call::call_method(&obj, "readline", &[])?;
        let s = crate::core::as_str(&line).unwrap_or("").to_owned();
        if s.is_empty() {
            return Err(PyErr::new(ExcKind::EOFError, "EOF when reading a line"));
        }
        return Ok(str_obj(s.strip_suffix('\n').unwrap_or(&s)));
    }
    let line = io::read_stdin_line()?;
    match line {
        None => Err(PyErr::new(ExcKind::EOFError, "EOF when reading a line")),
        Some(s) => Ok(str_obj(s.strip_suffix('\n').unwrap_or(&s))),
    }
}
