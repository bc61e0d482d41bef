//! Native modules: `sys`, `time`, `math`, `os` (with `os.path`), `_thread`; and `threading`,
//! written in Python on top of `_thread` and embedded in the binary.

use weft_object::{ObjRef, Object};

use crate::core::{Args, Result};

/// Writes `s` to `sys.stdout` (the real stdout, buffered, unless a program replaced
/// `sys.stdout` with another object: then its `write`).
pub fn write_stdout(s: &str) -> Result<()> {
    let _ = s;
    todo!("modules::write_stdout")
}

/// Writes `s` to `sys.stderr` (unbuffered), flushing stdout first.
pub fn write_stderr(s: &str) -> Result<()> {
    let _ = s;
    todo!("modules::write_stderr")
}

/// Flushes the buffered stdout (`print(flush=True)`, exit, before stderr output).
pub fn flush_stdout() -> Result<()> {
    todo!("modules::flush_stdout")
}

/// The builtin `open(file, mode='r', encoding=None, newline=None)` (text files, and binary
/// modes returning bytes).
pub fn open(args: &Args<'_>) -> Result<ObjRef> {
    let _ = args;
    todo!("modules::open")
}

/// The native (or embedded Python) module `name`, freshly made, or `None` when there is no
/// such builtin module; the import system caches it in `sys.modules`.
pub fn builtin_module(name: &str) -> Option<Result<ObjRef>> {
    let _ = name;
    todo!("modules::builtin_module")
}

/// `input(prompt)`: reads a line from stdin (detached while it waits).
pub fn input(prompt: Option<&Object>) -> Result<ObjRef> {
    let _ = prompt;
    todo!("modules::input")
}
