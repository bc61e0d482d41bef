//! Files and the standard streams: the objects behind `sys.stdout`/`sys.stderr`/`sys.stdin`,
//! and the file type `open()` returns (text or binary, modes `r`, `w`, `a`, `x`, `+`).

use std::io::{Read, Seek, SeekFrom, Write};

use crate::modules::str_obj;
use weft_containers::new_list;
use weft_object::types::{OBJECT_TYPE, PyBytes, PyStr};
use weft_object::{
    ExcKind, ObjRef, Object, Payload, PyErr, Slots, TypeObject, bool_obj, int_from_i64, none,
};

use crate::core::{Args, Global, Result, add_method, as_str, type_err, value_err};

// ---------------------------------------------------------------------------------------------
// Attribute lookup for the native types of this module tree
// ---------------------------------------------------------------------------------------------

/// Attribute lookup for native types whose instances have a few computed attributes
/// (`extra`) and methods in their type dict: `extra` first, then `object.__getattribute__`.
pub(crate) fn native_getattr(
    obj: &Object,
    name: &Object,
    extra: impl FnOnce(&str) -> Option<Result<ObjRef>>,
) -> Result<ObjRef> {
    match extra(as_str(name).unwrap_or("")) {
        Some(r) => r,
        None => crate::attr::generic_getattr(obj, name),
    }
}

// ---------------------------------------------------------------------------------------------
// Standard streams
// ---------------------------------------------------------------------------------------------

/// `sys.stdout`, `sys.stderr`, `sys.stdin`: the process's file descriptors 0, 1, 2.
pub struct StdStream {
    /// The file descriptor.
    pub fd: i32,
}

/// The type of the standard stream objects (`_io.TextIOWrapper` in CPython).
pub static STD_STREAM_TYPE: TypeObject = TypeObject::new_static::<StdStream>(
    "TextIOWrapper",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(|o| {
            let s = o.downcast::<StdStream>().expect("stream");
            Ok(format!(
                "<_io.TextIOWrapper name='{}' mode='{}' encoding='utf-8'>",
                s.name(),
                s.mode()
            ))
        }),
        hash: Some(crate::class::identity_hash),
        getattr: Some(|o, n| {
            native_getattr(o, n, |n| {
                let s = o.downcast::<StdStream>().expect("stream");
                match n {
                    "name" => Some(Ok(str_obj(s.name()))),
                    "encoding" => Some(Ok(str_obj("utf-8"))),
                    "closed" => Some(Ok(bool_obj(false))),
                    "mode" => Some(Ok(str_obj(s.mode()))),
                    _ => None,
                }
            })
        }),
        ..Slots::EMPTY
    },
);

impl StdStream {
    fn name(&self) -> &'static str {
        ["<stdin>", "<stdout>", "<stderr>"]
            .get(self.fd as usize)
            .copied()
            .unwrap_or("?")
    }

    fn mode(&self) -> &'static str {
        if self.fd == 0 { "r" } else { "w" }
    }
}

impl Payload for StdStream {
    fn type_object() -> &'static TypeObject {
        &STD_STREAM_TYPE
    }
}

static STDIN: Global = Global::new();
static STDOUT: Global = Global::new();
static STDERR: Global = Global::new();

/// The original `sys.stdin` object.
pub fn stdin_object() -> &'static Object {
    STDIN.get(|| ObjRef::new(StdStream { fd: 0 }))
}

/// The original `sys.stdout` object.
pub fn stdout_object() -> &'static Object {
    STDOUT.get(|| ObjRef::new(StdStream { fd: 1 }))
}

/// The original `sys.stderr` object.
pub fn stderr_object() -> &'static Object {
    STDERR.get(|| ObjRef::new(StdStream { fd: 2 }))
}

fn stream_of<'a>(args: &Args<'a>, fname: &str) -> Result<&'a StdStream> {
    args.all
        .first()
        .and_then(|o| o.downcast::<StdStream>())
        .ok_or_else(|| {
            PyErr::type_error(format!(
                "descriptor '{fname}' requires a 'TextIOWrapper' object"
            ))
        })
}

fn stream_write(args: &Args<'_>) -> Result<ObjRef> {
    let s = stream_of(args, "write")?;
    args.check("write", 2, 2)?;
    let text = args.all[1].downcast::<PyStr>().ok_or_else(|| {
        PyErr::type_error(format!(
            "write() argument must be str, not {}",
            args.all[1].ty().name
        ))
    })?;
    match s.fd {
        1 => super::write_real_stdout(text.as_str())?,
        2 => super::write_real_stderr(text.as_str()),
        _ => return Err(not_writable()),
    }
    Ok(int_from_i64(text.char_len() as i64))
}

fn stream_flush(args: &Args<'_>) -> Result<ObjRef> {
    let _ = stream_of(args, "flush")?;
    super::flush_stdout()?;
    Ok(none().to_ref())
}

fn stream_fileno(args: &Args<'_>) -> Result<ObjRef> {
    let s = stream_of(args, "fileno")?;
    Ok(int_from_i64(s.fd as i64))
}

fn stream_isatty(args: &Args<'_>) -> Result<ObjRef> {
    use std::io::IsTerminal;
    let s = stream_of(args, "isatty")?;
    Ok(bool_obj(match s.fd {
        0 => std::io::stdin().is_terminal(),
        1 => std::io::stdout().is_terminal(),
        _ => std::io::stderr().is_terminal(),
    }))
}

fn stream_readline(args: &Args<'_>) -> Result<ObjRef> {
    let s = stream_of(args, "readline")?;
    if s.fd != 0 {
        return Err(not_readable());
    }
    Ok(str_obj(read_stdin_line()?.unwrap_or_default()))
}

fn stream_read(args: &Args<'_>) -> Result<ObjRef> {
    let s = stream_of(args, "read")?;
    if s.fd != 0 {
        return Err(not_readable());
    }
    let mut bytes = Vec::new();
    while read_stdin_chunk(&mut bytes)? {}
    Ok(str_obj(String::from_utf8_lossy(&bytes)))
}

fn stream_readlines(args: &Args<'_>) -> Result<ObjRef> {
    let _ = stream_of(args, "readlines")?;
    let mut lines = Vec::new();
    while let Some(l) = read_stdin_line()? {
        lines.push(str_obj(l));
    }
    Ok(new_list(lines))
}

/// Bytes read from fd 0 and not yet consumed. Reads go through here rather than std's
/// buffered `Stdin`, so "is there input?" can be asked of the descriptor (the main thread
/// waits for it in slices, running signal handlers in between).
static STDIN_BUF: weft_sync::shim::Mutex<Vec<u8>> = weft_sync::shim::Mutex::new(Vec::new());

/// Moves what is buffered, then the next chunk read from stdin, onto `out`; `false` at end of
/// input. Detached while it waits; on the main thread a signal handler's exception
/// (`KeyboardInterrupt`) ends the wait.
fn read_stdin_chunk(out: &mut Vec<u8>) -> Result<bool> {
    {
        let mut b = STDIN_BUF.lock().unwrap_or_else(|p| p.into_inner());
        if !b.is_empty() {
            out.append(&mut b);
            return Ok(true);
        }
    }
    wait_stdin_readable()?;
    // Larger than std's buffer, so `Stdin` reads straight into it and keeps nothing itself.
    let mut chunk = vec![0u8; 64 * 1024];
    let n = weft_frame::blocking(|| {
        loop {
            match std::io::stdin().lock().read(&mut chunk) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                r => return r,
            }
        }
    })
    .map_err(io_error)?;
    out.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

/// On the main thread: waits until stdin has input (or end of input, or an error), running
/// signal handlers while it waits.
fn wait_stdin_readable() -> Result<()> {
    if !weft_sync::signals::is_main_thread() {
        return Ok(());
    }
    loop {
        let ready = weft_frame::blocking(|| {
            weft_sync::signals::wait_readable(0, weft_sync::signals::MAIN_WAIT_SLICE)
        });
        if ready {
            return Ok(());
        }
        super::signal::check_signals()?;
    }
}

/// Reads one line from the process's stdin, detached while it waits; `None` at end of input.
/// Invalid UTF-8 becomes U+FFFD.
pub fn read_stdin_line() -> Result<Option<String>> {
    let mut acc = Vec::new();
    loop {
        if let Some(i) = acc.iter().position(|&b| b == b'\n') {
            let rest = acc.split_off(i + 1);
            if !rest.is_empty() {
                let mut b = STDIN_BUF.lock().unwrap_or_else(|p| p.into_inner());
                let mut tail = std::mem::take(&mut *b);
                *b = rest;
                b.append(&mut tail);
            }
            return Ok(Some(String::from_utf8_lossy(&acc).into_owned()));
        }
        if !read_stdin_chunk(&mut acc)? {
            return Ok(if acc.is_empty() {
                None
            } else {
                Some(String::from_utf8_lossy(&acc).into_owned())
            });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

struct FileState {
    file: Option<std::fs::File>,
    /// Bytes read from the file but not yet consumed (reads go through this buffer).
    rbuf: Vec<u8>,
}

/// A file opened by `open()`.
pub struct PyFile {
    name: ObjRef,
    mode: String,
    binary: bool,
    readable: bool,
    writable: bool,
    /// The OS file and its buffers: a blocking lock (held across the file's system calls),
    /// like CPython's buffered I/O lock, waited on detached (see [`PyFile::lock`]).
    state: weft_sync::Mutex<FileState>,
}

/// The slots of both file types.
const FILE_SLOTS: Slots = Slots {
    repr: Some(file_repr),
    hash: Some(crate::class::identity_hash),
    getattr: Some(file_getattr),
    iter: Some(|o| Ok(o.to_ref())),
    next: Some(file_next),
    ..Slots::EMPTY
};

/// The type of text files (`_io.TextIOWrapper`).
pub static FILE_TYPE: TypeObject =
    TypeObject::new_static::<PyFile>("TextIOWrapper", Some(&OBJECT_TYPE), FILE_SLOTS);

/// The type of binary files (`_io.BufferedReader`/`BufferedWriter` in CPython).
pub static BINARY_FILE_TYPE: TypeObject =
    TypeObject::new_static::<PyFile>("BufferedReader", Some(&OBJECT_TYPE), FILE_SLOTS);

impl Payload for PyFile {
    fn type_object() -> &'static TypeObject {
        &FILE_TYPE
    }
}

fn file_repr(o: &Object) -> Result<String> {
    let f = o.downcast::<PyFile>().expect("file");
    let name = f.name.repr()?;
    if f.binary {
        Ok(format!("<_io.{} name={}>", o.ty().name, name))
    } else {
        Ok(format!(
            "<_io.TextIOWrapper name={} mode='{}' encoding='UTF-8'>",
            name, f.mode
        ))
    }
}

fn file_getattr(o: &Object, name: &Object) -> Result<ObjRef> {
    native_getattr(o, name, |n| {
        let f = o.downcast::<PyFile>().expect("file");
        match n {
            "closed" => Some(Ok(bool_obj(f.lock().file.is_none()))),
            "name" => Some(Ok(f.name.clone())),
            "mode" => Some(Ok(str_obj(&f.mode))),
            "encoding" if !f.binary => Some(Ok(str_obj("UTF-8"))),
            _ => None,
        }
    })
}

impl PyFile {
    /// The file's state, locked. Uncontended: one CAS. Contended: the thread waits detached,
    /// with its critical sections suspended (`weft_frame::blocking`), so the holder, which may
    /// need the GIL or an object lock to finish its call, is never waited on by a thread that
    /// holds those.
    fn lock(&self) -> weft_sync::MutexGuard<'_, FileState> {
        if let Some(g) = self.state.try_lock() {
            return g;
        }
        weft_frame::blocking(|| self.state.lock())
    }
}

/// An `OSError` (or subclass) for a failed operation on `path`, in CPython's wording:
/// `[Errno 2] No such file or directory: 'x'` (an exception object with `errno`, `strerror`
/// and `filename`).
pub fn os_error(e: &std::io::Error, path: Option<&str>) -> PyErr {
    let errno = e.raw_os_error().unwrap_or(0);
    let text = strerror(e);
    os_error_from(errno, &text, path)
}

/// An `OSError` (or the subclass CPython picks for `errno`) with `(errno, strerror[,
/// filename])` as its arguments.
pub fn os_error_from(errno: i32, text: &str, path: Option<&str>) -> PyErr {
    use crate::exceptions as e;
    let ty: &'static TypeObject = match errno {
        2 => &e::FILE_NOT_FOUND_ERROR_TYPE,
        17 => &e::FILE_EXISTS_ERROR_TYPE,
        1 | 13 => &e::PERMISSION_ERROR_TYPE,
        20 => &e::NOT_A_DIRECTORY_ERROR_TYPE,
        21 => &e::IS_A_DIRECTORY_ERROR_TYPE,
        3 => &e::PROCESS_LOOKUP_ERROR_TYPE,
        4 => &e::INTERRUPTED_ERROR_TYPE,
        10 => &e::CHILD_PROCESS_ERROR_TYPE,
        11 | 114 | 115 => &e::BLOCKING_IO_ERROR_TYPE,
        32 | 108 => &e::BROKEN_PIPE_ERROR_TYPE,
        103 => &e::CONNECTION_ABORTED_ERROR_TYPE,
        104 => &e::CONNECTION_RESET_ERROR_TYPE,
        110 => &e::TIMEOUT_ERROR_TYPE,
        111 => &e::CONNECTION_REFUSED_ERROR_TYPE,
        _ => &e::OS_ERROR_TYPE,
    };
    let mut args = vec![int_from_i64(errno as i64), str_obj(text)];
    if let Some(p) = path {
        args.push(str_obj(p));
    }
    let exc = crate::exceptions::new_exception(ty, crate::core::tuple(args));
    crate::exceptions::from_object(exc)
}

fn strerror(e: &std::io::Error) -> String {
    // std's Display is "<text> (os error N)"; keep the text.
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

fn io_error(e: std::io::Error) -> PyErr {
    os_error(&e, None)
}

/// `open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None)`.
pub fn open(args: &Args<'_>) -> Result<ObjRef> {
    args.only_kwargs(
        "open",
        &["file", "mode", "buffering", "encoding", "errors", "newline"],
    )?;
    args.check_pos("open", 1, 6)?;
    let file = args
        .arg(0, "file")
        .ok_or_else(|| PyErr::type_error("open() missing required argument 'file' (pos 1)"))?;
    let path = match as_str(file) {
        Some(s) => s.to_owned(),
        None => {
            if let Some(b) = file.downcast::<PyBytes>() {
                String::from_utf8_lossy(b.as_bytes()).into_owned()
            } else {
                return type_err(format!(
                    "expected str, bytes or os.PathLike object, not {}",
                    file.ty().name
                ));
            }
        }
    };
    let mode = match args.arg(1, "mode") {
        None => "r".to_owned(),
        Some(m) => match as_str(m) {
            Some(s) => s.to_owned(),
            None => {
                return type_err(format!(
                    "open() argument 'mode' must be str, not {}",
                    m.ty().name
                ));
            }
        },
    };
    let mut kind = None;
    let (mut binary, mut text, mut plus) = (false, false, false);
    for c in mode.chars() {
        match c {
            'r' | 'w' | 'a' | 'x' if kind.is_none() => kind = Some(c),
            'b' if !binary => binary = true,
            't' if !text => text = true,
            '+' if !plus => plus = true,
            _ => return value_err(format!("invalid mode: '{mode}'")),
        }
    }
    if binary && text {
        return value_err("can't have text and binary mode at once");
    }
    let Some(kind) = kind else {
        return value_err(
            "Must have exactly one of create/read/write/append mode and at most one plus",
        );
    };
    if binary
        && let Some(e) = args.arg(3, "encoding")
        && !e.is(none())
    {
        return value_err("binary mode doesn't take an encoding argument");
    }
    if path.contains('\0') {
        return value_err("embedded null byte");
    }
    let mut oo = std::fs::OpenOptions::new();
    match kind {
        'r' => {
            oo.read(true).write(plus);
        }
        'w' => {
            oo.write(true).create(true).truncate(true).read(plus);
        }
        'a' => {
            oo.append(true).create(true).read(plus);
        }
        _ => {
            oo.write(true).create_new(true).read(plus);
        }
    }
    let f = weft_frame::blocking(|| oo.open(&path)).map_err(|e| os_error(&e, Some(&path)))?;
    if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(os_error_from(21, "Is a directory", Some(&path)));
    }
    let pf = PyFile {
        name: file.to_ref(),
        mode: if binary {
            mode.clone()
        } else {
            mode.replace('t', "")
        },
        binary,
        readable: kind == 'r' || plus,
        writable: kind != 'r' || plus,
        state: weft_sync::Mutex::new(FileState {
            file: Some(f),
            rbuf: Vec::new(),
        }),
    };
    Ok(if binary {
        ObjRef::with_type(pf, &BINARY_FILE_TYPE)
    } else {
        ObjRef::new(pf)
    })
}

fn file_of<'a>(args: &Args<'a>, fname: &str) -> Result<&'a PyFile> {
    args.all
        .first()
        .and_then(|o| o.downcast::<PyFile>())
        .ok_or_else(|| PyErr::type_error(format!("descriptor '{fname}' requires a file object")))
}

fn closed_err() -> PyErr {
    PyErr::value_error("I/O operation on closed file.")
}

/// `io.UnsupportedOperation(msg)` (an `OSError` and a `ValueError`), or a plain `OSError`
/// when the `io` module cannot be loaded.
fn unsupported(msg: &str) -> PyErr {
    let ty = crate::import::import_module("io")
        .ok()
        .and_then(|m| crate::attr::getattr_str(&m, "UnsupportedOperation").ok())
        .and_then(|t| weft_object::types::as_type(&t).map(crate::core::static_type));
    match ty {
        Some(ty) => crate::exceptions::from_object(crate::exceptions::new_exception(
            ty,
            crate::core::tuple(vec![str_obj(msg)]),
        )),
        None => PyErr::new(ExcKind::OSError, msg),
    }
}

fn not_readable() -> PyErr {
    unsupported("not readable")
}

fn not_writable() -> PyErr {
    unsupported("not writable")
}

/// Reads more of the file into the read buffer; `false` at end of file.
fn fill(st: &mut FileState) -> Result<bool> {
    let f = st.file.as_mut().ok_or_else(closed_err)?;
    let mut chunk = vec![0u8; 65536];
    let n = f.read(&mut chunk).map_err(io_error)?;
    st.rbuf.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

/// Consumes and returns up to `limit` bytes (all when `None`), stopping after the first
/// newline when `line`, or less at end of file.
fn read_until(st: &mut FileState, limit: Option<usize>, line: bool) -> Result<Vec<u8>> {
    loop {
        let avail = limit.map_or(st.rbuf.len(), |n| n.min(st.rbuf.len()));
        let end = line
            .then(|| st.rbuf[..avail].iter().position(|&b| b == b'\n'))
            .flatten()
            .map(|i| i + 1)
            .or(limit.filter(|&n| st.rbuf.len() >= n));
        if let Some(end) = end {
            let rest = st.rbuf.split_off(end);
            return Ok(std::mem::replace(&mut st.rbuf, rest));
        }
        if !fill(st)? {
            return Ok(std::mem::take(&mut st.rbuf));
        }
    }
}

/// Consumes and returns the UTF-8 bytes of up to `n` characters (fewer at end of file).
fn read_chars(st: &mut FileState, n: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut chars = 0;
    loop {
        // Take whole characters: stop before the lead byte of character `n + 1`.
        let mut end = 0;
        while end < st.rbuf.len() {
            if st.rbuf[end] & 0xC0 != 0x80 {
                if chars == n {
                    break;
                }
                chars += 1;
            }
            end += 1;
        }
        out.extend(st.rbuf.drain(..end));
        if !st.rbuf.is_empty() || !fill(st)? {
            return Ok(out);
        }
    }
}

fn decode(f: &PyFile, bytes: Vec<u8>) -> Result<ObjRef> {
    if f.binary {
        return Ok(ObjRef::new(PyBytes::new(bytes)));
    }
    let s = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let pos = e.utf8_error().valid_up_to();
            let b = e.as_bytes()[pos];
            return Err(PyErr::new(
                ExcKind::UnicodeDecodeError,
                format!(
                    "'utf-8' codec can't decode byte {b:#04x} in position {pos}: invalid start byte"
                ),
            ));
        }
    };
    // Universal newlines.
    let s = if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s
    };
    Ok(str_obj(s))
}

fn opt_size(args: &Args<'_>, i: usize, name: &str) -> Result<Option<usize>> {
    match args.arg(i, name) {
        None => Ok(None),
        Some(v) if v.is(none()) => Ok(None),
        Some(v) => match v.downcast::<weft_object::scalar::int::Int>() {
            Some(n) => Ok(n.as_i64().filter(|&n| n >= 0).map(|n| n as usize)),
            None => type_err(format!(
                "argument should be integer or None, not '{}'",
                v.ty().name
            )),
        },
    }
}

fn file_read(args: &Args<'_>) -> Result<ObjRef> {
    let f = file_of(args, "read")?;
    let limit = opt_size(args, 1, "size")?;
    if !f.readable {
        return Err(not_readable());
    }
    let bytes = {
        let mut st = f.lock();
        if st.file.is_none() {
            return Err(closed_err());
        }
        match limit {
            Some(n) if !f.binary => read_chars(&mut st, n)?,
            _ => read_until(&mut st, limit, false)?,
        }
    };
    decode(f, bytes)
}

fn file_readline(args: &Args<'_>) -> Result<ObjRef> {
    let f = file_of(args, "readline")?;
    let limit = opt_size(args, 1, "size")?;
    if !f.readable {
        return Err(not_readable());
    }
    let bytes = {
        let mut st = f.lock();
        read_until(&mut st, limit, true)?
    };
    decode(f, bytes)
}

fn file_next(o: &Object) -> Result<Option<ObjRef>> {
    let f = o.downcast::<PyFile>().expect("file");
    if !f.readable {
        return Err(not_readable());
    }
    let bytes = {
        let mut st = f.lock();
        read_until(&mut st, None, true)?
    };
    if bytes.is_empty() {
        return Ok(None);
    }
    decode(f, bytes).map(Some)
}

fn file_readlines(args: &Args<'_>) -> Result<ObjRef> {
    file_of(args, "readlines")?;
    let mut out = Vec::new();
    while let Some(l) = file_next(&args.all[0])? {
        out.push(l);
    }
    Ok(new_list(out))
}

fn write_bytes(f: &PyFile, data: &[u8]) -> Result<()> {
    let mut st = f.lock();
    // Like CPython's text files, a write after a read goes where the read-ahead left the
    // file position (for files under the read-ahead size: the end).
    let file = st.file.as_mut().ok_or_else(closed_err)?;
    file.write_all(data).map_err(io_error)?;
    st.rbuf.clear();
    Ok(())
}

fn file_write(args: &Args<'_>) -> Result<ObjRef> {
    let f = file_of(args, "write")?;
    args.check("write", 2, 2)?;
    if f.lock().file.is_none() {
        return Err(closed_err());
    }
    if !f.writable {
        return Err(not_writable());
    }
    let v = &args.all[1];
    if f.binary {
        let b = v.downcast::<PyBytes>().ok_or_else(|| {
            PyErr::type_error(format!(
                "a bytes-like object is required, not '{}'",
                v.ty().name
            ))
        })?;
        write_bytes(f, b.as_bytes())?;
        Ok(int_from_i64(b.as_bytes().len() as i64))
    } else {
        let s = v.downcast::<PyStr>().ok_or_else(|| {
            PyErr::type_error(format!("write() argument must be str, not {}", v.ty().name))
        })?;
        write_bytes(f, s.as_str().as_bytes())?;
        Ok(int_from_i64(s.char_len() as i64))
    }
}

fn file_writelines(args: &Args<'_>) -> Result<ObjRef> {
    args.check("writelines", 2, 2)?;
    let it = crate::ops::iter(&args.all[1])?;
    while let Some(x) = crate::ops::next(&it)? {
        file_write(&Args::positional(&[args.all[0].clone(), x]))?;
    }
    Ok(none().to_ref())
}

fn file_close(args: &Args<'_>) -> Result<ObjRef> {
    let f = file_of(args, "close")?;
    let file = {
        let mut st = f.lock();
        st.rbuf.clear();
        st.file.take()
    };
    if let Some(mut file) = file {
        let _ = file.flush();
    }
    Ok(none().to_ref())
}

fn file_flush(args: &Args<'_>) -> Result<ObjRef> {
    let f = file_of(args, "flush")?;
    let mut st = f.lock();
    let file = st.file.as_mut().ok_or_else(closed_err)?;
    file.flush().map_err(io_error)?;
    Ok(none().to_ref())
}

fn file_enter(args: &Args<'_>) -> Result<ObjRef> {
    let f = file_of(args, "__enter__")?;
    if f.lock().file.is_none() {
        return Err(closed_err());
    }
    Ok(args.all[0].clone())
}

fn file_iter(args: &Args<'_>) -> Result<ObjRef> {
    let _ = file_of(args, "__iter__")?;
    Ok(args.all[0].clone())
}

fn file_next_method(args: &Args<'_>) -> Result<ObjRef> {
    match file_next(&args.all[0])? {
        Some(v) => Ok(v),
        None => Err(PyErr::new(ExcKind::StopIteration, "")),
    }
}

fn file_seek(args: &Args<'_>) -> Result<ObjRef> {
    let f = file_of(args, "seek")?;
    args.check("seek", 2, 3)?;
    let off = args.all[1]
        .downcast::<weft_object::scalar::int::Int>()
        .and_then(|i| i.as_i64())
        .ok_or_else(|| PyErr::type_error("an integer is required"))?;
    let whence = match args.all.get(2) {
        Some(w) => w
            .downcast::<weft_object::scalar::int::Int>()
            .and_then(|i| i.as_i64())
            .unwrap_or(0),
        None => 0,
    };
    let mut st = f.lock();
    let pending = st.rbuf.len() as i64;
    st.rbuf.clear();
    let file = st.file.as_mut().ok_or_else(closed_err)?;
    let pos = match whence {
        0 => SeekFrom::Start(off.max(0) as u64),
        1 => SeekFrom::Current(off - pending),
        2 => SeekFrom::End(off),
        _ => return value_err(format!("invalid whence ({whence}, should be 0, 1 or 2)")),
    };
    let p = file.seek(pos).map_err(io_error)?;
    Ok(int_from_i64(p as i64))
}

fn file_tell(args: &Args<'_>) -> Result<ObjRef> {
    let f = file_of(args, "tell")?;
    let mut st = f.lock();
    let pending = st.rbuf.len() as u64;
    let file = st.file.as_mut().ok_or_else(closed_err)?;
    let p = file.stream_position().map_err(io_error)?;
    Ok(int_from_i64(p.saturating_sub(pending) as i64))
}

fn file_readable(args: &Args<'_>) -> Result<ObjRef> {
    Ok(bool_obj(file_of(args, "readable")?.readable))
}

fn file_writable(args: &Args<'_>) -> Result<ObjRef> {
    Ok(bool_obj(file_of(args, "writable")?.writable))
}

fn file_fileno(args: &Args<'_>) -> Result<ObjRef> {
    use std::os::fd::AsRawFd;
    let f = file_of(args, "fileno")?;
    let st = f.lock();
    let file = st.file.as_ref().ok_or_else(closed_err)?;
    Ok(int_from_i64(file.as_raw_fd() as i64))
}

/// Installs the methods of the stream and file types (once, at start-up).
pub fn install() {
    add_method(&STD_STREAM_TYPE, "write", stream_write);
    add_method(&STD_STREAM_TYPE, "flush", stream_flush);
    add_method(&STD_STREAM_TYPE, "fileno", stream_fileno);
    add_method(&STD_STREAM_TYPE, "isatty", stream_isatty);
    add_method(&STD_STREAM_TYPE, "readline", stream_readline);
    add_method(&STD_STREAM_TYPE, "read", stream_read);
    add_method(&STD_STREAM_TYPE, "readlines", stream_readlines);
    for ty in [&FILE_TYPE, &BINARY_FILE_TYPE] {
        add_method(ty, "read", file_read);
        add_method(ty, "readline", file_readline);
        add_method(ty, "readlines", file_readlines);
        add_method(ty, "write", file_write);
        add_method(ty, "writelines", file_writelines);
        add_method(ty, "close", file_close);
        add_method(ty, "flush", file_flush);
        add_method(ty, "__enter__", file_enter);
        add_method(ty, "__exit__", file_close);
        add_method(ty, "__iter__", file_iter);
        add_method(ty, "__next__", file_next_method);
        add_method(ty, "seek", file_seek);
        add_method(ty, "tell", file_tell);
        add_method(ty, "readable", file_readable);
        add_method(ty, "writable", file_writable);
        add_method(ty, "fileno", file_fileno);
    }
}
