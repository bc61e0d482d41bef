//! Native modules: `sys`, `time`, `math`, `os` (with `os.path`), `_thread`; and `threading`,
//! written in Python on top of `_thread` and embedded in the binary.
//!
//! Standard output is buffered here, behind one lock: [`write_stdout`] appends to the buffer
//! (flushing when it grows past a few KiB, at each newline when stdout is a terminal, and
//! after every write in unbuffered mode, `weft -u`); [`write_stderr`] flushes stdout first so
//! the two streams interleave in program order. A program that assigns `sys.stdout = obj`
//! redirects `print` to `obj.write`.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use weft_containers::dict::Dict;
use weft_object::{ExcKind, ObjRef, Object, PyErr, intern};

use crate::core::{Args, Result};

pub mod io;
pub mod math;
pub mod os;
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

fn lock_out() -> std::sync::MutexGuard<'static, OutBuf> {
    STDOUT_BUF.lock().unwrap_or_else(|p| p.into_inner())
}

fn drain(out: &mut OutBuf) {
    if out.buf.is_empty() {
        return;
    }
    let mut so = std::io::stdout().lock();
    // A closed pipe (`weft x.py | head`) must not panic: drop the output.
    let _ = so.write_all(&out.buf);
    let _ = so.flush();
    out.buf.clear();
}

/// Writes `s` to the process's real stdout, through the buffer (ignores `sys.stdout`).
pub fn write_real_stdout(s: &str) {
    let mut out = lock_out();
    out.buf.extend_from_slice(s.as_bytes());
    let tty = *out
        .tty
        .get_or_insert_with(|| std::io::stdout().is_terminal());
    if UNBUFFERED.load(Ordering::Relaxed)
        || out.buf.len() >= STDOUT_FLUSH_AT
        || (tty && s.contains('\n'))
    {
        drain(&mut out);
    }
}

/// Writes `s` to the process's real stderr (after flushing stdout; ignores `sys.stderr`).
pub fn write_real_stderr(s: &str) {
    {
        let mut out = lock_out();
        drain(&mut out);
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
    write_real_stdout(s);
    Ok(())
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

/// Flushes the buffered stdout (`print(flush=True)`, exit, before stderr output).
pub fn flush_stdout() -> Result<()> {
    let mut out = lock_out();
    drain(&mut out);
    Ok(())
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
