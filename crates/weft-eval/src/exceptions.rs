//! Exception objects: the builtin hierarchy (every builtin exception type stores a
//! [`crate::core::Instance`] with exception state, so user subclasses are ordinary classes),
//! conversion between [`PyErr`] and exception objects, `args`, `__cause__`, `__context__`,
//! `__traceback__` and `str`/`repr` of exceptions.
//!
//! Exception instances keep their mutable state in [`ExcState`]'s mutex; the lock is only held
//! for plain reads and writes of those fields, never across a call into Python code.

use std::sync::Once;

use weft_object::guarded::Guarded;

use weft_containers::tuple::as_tuple;
use weft_containers::{dict::Dict, new_tuple};
use weft_object::inline_values::InlineValues;
use weft_object::types::{OBJECT_TYPE, as_type};
use weft_object::{ExcKind, ObjRef, Object, Payload, PyErr, Slots, TypeObject, intern, none};

use crate::class::identity_hash;
use crate::core::{
    Args, ExcInner, ExcState, Instance, Result, TbEntry, add_method, set_type_attr, static_type,
    str_obj, tname, type_err, type_ext,
};

impl Payload for Instance {
    fn type_object() -> &'static TypeObject {
        &BASE_EXCEPTION_TYPE
    }
}

const EXC_SLOTS: Slots = Slots {
    repr: Some(exc_repr),
    str: Some(exc_str),
    hash: Some(identity_hash),
    ..Slots::EMPTY
};

macro_rules! exc_types {
    ($( $stat:ident, $name:literal, $base:ident ; )*) => {
        $(
            #[doc = concat!("`", $name, "`")]
            pub static $stat: TypeObject =
                TypeObject::new_static::<Instance>($name, Some(&$base), EXC_SLOTS);
        )*
        /// Every builtin exception type, base classes before their subclasses.
        static ALL_TYPES: &[&TypeObject] = &[$(&$stat),*];
    };
}

exc_types! {
    BASE_EXCEPTION_TYPE, "BaseException", OBJECT_TYPE;
    SYSTEM_EXIT_TYPE, "SystemExit", BASE_EXCEPTION_TYPE;
    KEYBOARD_INTERRUPT_TYPE, "KeyboardInterrupt", BASE_EXCEPTION_TYPE;
    GENERATOR_EXIT_TYPE, "GeneratorExit", BASE_EXCEPTION_TYPE;
    EXCEPTION_TYPE, "Exception", BASE_EXCEPTION_TYPE;
    STOP_ITERATION_TYPE, "StopIteration", EXCEPTION_TYPE;
    STOP_ASYNC_ITERATION_TYPE, "StopAsyncIteration", EXCEPTION_TYPE;
    ARITHMETIC_ERROR_TYPE, "ArithmeticError", EXCEPTION_TYPE;
    FLOATING_POINT_ERROR_TYPE, "FloatingPointError", ARITHMETIC_ERROR_TYPE;
    OVERFLOW_ERROR_TYPE, "OverflowError", ARITHMETIC_ERROR_TYPE;
    ZERO_DIVISION_ERROR_TYPE, "ZeroDivisionError", ARITHMETIC_ERROR_TYPE;
    ASSERTION_ERROR_TYPE, "AssertionError", EXCEPTION_TYPE;
    ATTRIBUTE_ERROR_TYPE, "AttributeError", EXCEPTION_TYPE;
    BUFFER_ERROR_TYPE, "BufferError", EXCEPTION_TYPE;
    EOF_ERROR_TYPE, "EOFError", EXCEPTION_TYPE;
    IMPORT_ERROR_TYPE, "ImportError", EXCEPTION_TYPE;
    MODULE_NOT_FOUND_ERROR_TYPE, "ModuleNotFoundError", IMPORT_ERROR_TYPE;
    LOOKUP_ERROR_TYPE, "LookupError", EXCEPTION_TYPE;
    INDEX_ERROR_TYPE, "IndexError", LOOKUP_ERROR_TYPE;
    KEY_ERROR_TYPE, "KeyError", LOOKUP_ERROR_TYPE;
    MEMORY_ERROR_TYPE, "MemoryError", EXCEPTION_TYPE;
    NAME_ERROR_TYPE, "NameError", EXCEPTION_TYPE;
    UNBOUND_LOCAL_ERROR_TYPE, "UnboundLocalError", NAME_ERROR_TYPE;
    OS_ERROR_TYPE, "OSError", EXCEPTION_TYPE;
    FILE_NOT_FOUND_ERROR_TYPE, "FileNotFoundError", OS_ERROR_TYPE;
    FILE_EXISTS_ERROR_TYPE, "FileExistsError", OS_ERROR_TYPE;
    PERMISSION_ERROR_TYPE, "PermissionError", OS_ERROR_TYPE;
    IS_A_DIRECTORY_ERROR_TYPE, "IsADirectoryError", OS_ERROR_TYPE;
    NOT_A_DIRECTORY_ERROR_TYPE, "NotADirectoryError", OS_ERROR_TYPE;
    TIMEOUT_ERROR_TYPE, "TimeoutError", OS_ERROR_TYPE;
    BLOCKING_IO_ERROR_TYPE, "BlockingIOError", OS_ERROR_TYPE;
    CHILD_PROCESS_ERROR_TYPE, "ChildProcessError", OS_ERROR_TYPE;
    CONNECTION_ERROR_TYPE, "ConnectionError", OS_ERROR_TYPE;
    BROKEN_PIPE_ERROR_TYPE, "BrokenPipeError", CONNECTION_ERROR_TYPE;
    CONNECTION_ABORTED_ERROR_TYPE, "ConnectionAbortedError", CONNECTION_ERROR_TYPE;
    CONNECTION_REFUSED_ERROR_TYPE, "ConnectionRefusedError", CONNECTION_ERROR_TYPE;
    CONNECTION_RESET_ERROR_TYPE, "ConnectionResetError", CONNECTION_ERROR_TYPE;
    INTERRUPTED_ERROR_TYPE, "InterruptedError", OS_ERROR_TYPE;
    PROCESS_LOOKUP_ERROR_TYPE, "ProcessLookupError", OS_ERROR_TYPE;
    REFERENCE_ERROR_TYPE, "ReferenceError", EXCEPTION_TYPE;
    RUNTIME_ERROR_TYPE, "RuntimeError", EXCEPTION_TYPE;
    NOT_IMPLEMENTED_ERROR_TYPE, "NotImplementedError", RUNTIME_ERROR_TYPE;
    RECURSION_ERROR_TYPE, "RecursionError", RUNTIME_ERROR_TYPE;
    BROKEN_BARRIER_ERROR_TYPE, "BrokenBarrierError", RUNTIME_ERROR_TYPE;
    SYNTAX_ERROR_TYPE, "SyntaxError", EXCEPTION_TYPE;
    INDENTATION_ERROR_TYPE, "IndentationError", SYNTAX_ERROR_TYPE;
    TAB_ERROR_TYPE, "TabError", INDENTATION_ERROR_TYPE;
    SYSTEM_ERROR_TYPE, "SystemError", EXCEPTION_TYPE;
    TYPE_ERROR_TYPE, "TypeError", EXCEPTION_TYPE;
    VALUE_ERROR_TYPE, "ValueError", EXCEPTION_TYPE;
    UNICODE_ERROR_TYPE, "UnicodeError", VALUE_ERROR_TYPE;
    UNICODE_DECODE_ERROR_TYPE, "UnicodeDecodeError", UNICODE_ERROR_TYPE;
    UNICODE_ENCODE_ERROR_TYPE, "UnicodeEncodeError", UNICODE_ERROR_TYPE;
    UNICODE_TRANSLATE_ERROR_TYPE, "UnicodeTranslateError", UNICODE_ERROR_TYPE;
    WARNING_TYPE, "Warning", EXCEPTION_TYPE;
    USER_WARNING_TYPE, "UserWarning", WARNING_TYPE;
    DEPRECATION_WARNING_TYPE, "DeprecationWarning", WARNING_TYPE;
    PENDING_DEPRECATION_WARNING_TYPE, "PendingDeprecationWarning", WARNING_TYPE;
    RUNTIME_WARNING_TYPE, "RuntimeWarning", WARNING_TYPE;
    SYNTAX_WARNING_TYPE, "SyntaxWarning", WARNING_TYPE;
    FUTURE_WARNING_TYPE, "FutureWarning", WARNING_TYPE;
    IMPORT_WARNING_TYPE, "ImportWarning", WARNING_TYPE;
    UNICODE_WARNING_TYPE, "UnicodeWarning", WARNING_TYPE;
    BYTES_WARNING_TYPE, "BytesWarning", WARNING_TYPE;
    RESOURCE_WARNING_TYPE, "ResourceWarning", WARNING_TYPE;
    ENCODING_WARNING_TYPE, "EncodingWarning", WARNING_TYPE;
}

/// The builtin exception type for `kind`.
pub fn exc_type(kind: ExcKind) -> &'static TypeObject {
    ensure_init();
    exc_type_raw(kind)
}

/// The [`ExcKind`] naming exactly the builtin type `ty`, if any.
fn kind_of_type(ty: &TypeObject) -> Option<ExcKind> {
    ExcKind::ALL
        .into_iter()
        .find(|k| std::ptr::eq(exc_type_raw(*k), ty))
}

fn exc_type_raw(kind: ExcKind) -> &'static TypeObject {
    match kind {
        ExcKind::TypeError => &TYPE_ERROR_TYPE,
        ExcKind::ValueError => &VALUE_ERROR_TYPE,
        ExcKind::ZeroDivisionError => &ZERO_DIVISION_ERROR_TYPE,
        ExcKind::OverflowError => &OVERFLOW_ERROR_TYPE,
        ExcKind::MemoryError => &MEMORY_ERROR_TYPE,
        ExcKind::KeyError => &KEY_ERROR_TYPE,
        ExcKind::IndexError => &INDEX_ERROR_TYPE,
        ExcKind::AttributeError => &ATTRIBUTE_ERROR_TYPE,
        ExcKind::RuntimeError => &RUNTIME_ERROR_TYPE,
        ExcKind::StopIteration => &STOP_ITERATION_TYPE,
        ExcKind::NotImplementedError => &NOT_IMPLEMENTED_ERROR_TYPE,
        ExcKind::UnicodeDecodeError => &UNICODE_DECODE_ERROR_TYPE,
        ExcKind::UnicodeEncodeError => &UNICODE_ENCODE_ERROR_TYPE,
        ExcKind::RecursionError => &RECURSION_ERROR_TYPE,
        ExcKind::BaseException => &BASE_EXCEPTION_TYPE,
        ExcKind::Exception => &EXCEPTION_TYPE,
        ExcKind::NameError => &NAME_ERROR_TYPE,
        ExcKind::UnboundLocalError => &UNBOUND_LOCAL_ERROR_TYPE,
        ExcKind::AssertionError => &ASSERTION_ERROR_TYPE,
        ExcKind::ImportError => &IMPORT_ERROR_TYPE,
        ExcKind::ModuleNotFoundError => &MODULE_NOT_FOUND_ERROR_TYPE,
        ExcKind::LookupError => &LOOKUP_ERROR_TYPE,
        ExcKind::ArithmeticError => &ARITHMETIC_ERROR_TYPE,
        ExcKind::GeneratorExit => &GENERATOR_EXIT_TYPE,
        ExcKind::KeyboardInterrupt => &KEYBOARD_INTERRUPT_TYPE,
        ExcKind::SystemExit => &SYSTEM_EXIT_TYPE,
        ExcKind::OSError => &OS_ERROR_TYPE,
        ExcKind::FileNotFoundError => &FILE_NOT_FOUND_ERROR_TYPE,
        ExcKind::EOFError => &EOF_ERROR_TYPE,
        ExcKind::UnicodeError => &UNICODE_ERROR_TYPE,
        ExcKind::SyntaxError => &SYNTAX_ERROR_TYPE,
        ExcKind::StopAsyncIteration => &STOP_ASYNC_ITERATION_TYPE,
        ExcKind::BrokenBarrierError => &BROKEN_BARRIER_ERROR_TYPE,
    }
}

/// The nearest builtin class of the exception type `ty` that an [`ExcKind`] names.
pub fn kind_of(ty: &TypeObject) -> ExcKind {
    for t in static_type(ty).mro() {
        if let Some(k) = kind_of_type(t) {
            return k;
        }
    }
    ExcKind::Exception
}

// ---------------------------------------------------------------------------------------------
// Creating exception objects
// ---------------------------------------------------------------------------------------------

/// A new exception instance of `ty` (an exception type: builtin or a subclass) with `args`,
/// without running `__init__`.
pub fn new_exception(ty: &'static TypeObject, args: ObjRef) -> ObjRef {
    ObjRef::with_type(
        Instance {
            attrs: Some(InlineValues::with_dict(weft_containers::dict::new())),
            slots: crate::class::empty_slots(ty),
            exc: Some(ExcState {
                inner: Guarded::new(ExcInner {
                    args,
                    traceback: Vec::new(),
                    cause: None,
                    context: None,
                    suppress_context: false,
                }),
            }),
        },
        ty,
    )
}

/// The exception object of `err`, made on first need (`err.object`, else a new instance of
/// `exc_type(err.kind)` with args `(err.arg,)`, `(err.msg,)` or `()` when the message is
/// empty).
pub fn materialize(err: &PyErr) -> ObjRef {
    if let Some(o) = &err.object {
        return o.clone();
    }
    let ty = exc_type(err.kind);
    let args = if let Some(a) = &err.arg {
        new_tuple(vec![a.clone()])
    } else if err.kind == ExcKind::KeyError
        && err.msg.len() >= 2
        && err.msg.starts_with('\'')
        && err.msg.ends_with('\'')
    {
        // The lower layers write a KeyError's message as it prints: the repr of its text.
        new_tuple(vec![str_obj(&err.msg[1..err.msg.len() - 1])])
    } else if err.msg.is_empty() {
        new_tuple(Vec::new())
    } else {
        new_tuple(vec![str_obj(&err.msg)])
    };
    new_exception(ty, args)
}

/// A `PyErr` raising the exception object `exc` (kind = its nearest builtin class).
pub fn from_object(exc: ObjRef) -> PyErr {
    let kind = kind_of(exc.ty());
    let msg = exc.str().unwrap_or_default();
    let arg = if kind == ExcKind::StopIteration || kind == ExcKind::KeyError {
        args_vec(&exc).into_iter().next()
    } else {
        None
    };
    PyErr {
        kind,
        msg,
        arg,
        object: Some(exc),
    }
}

/// Whether `o` is an exception instance (of `BaseException` or a subclass).
pub fn is_exception(o: &Object) -> bool {
    state_of(o).is_some()
}

/// Whether `o` is an exception class (`BaseException` or a subclass).
pub fn is_exception_type(o: &Object) -> bool {
    as_type(o).is_some_and(|t| t.is_subtype(&BASE_EXCEPTION_TYPE))
}

fn state_of(o: &Object) -> Option<&ExcState> {
    o.downcast::<Instance>().and_then(|i| i.exc.as_ref())
}

/// Runs `f` on the state of the exception `exc` inside `exc`'s critical section; `None` for
/// a non-exception.
///
/// # Safety
/// `f` clones, moves and compares references and traceback entries only (no Python code, no
/// other section, no blocking) and drops no object reference: it returns what it replaces,
/// for the caller to drop after the section.
unsafe fn with_state<R>(exc: &Object, f: impl FnOnce(&mut ExcInner) -> R) -> Option<R> {
    let st = state_of(exc)?;
    // SAFETY: `exc` holds `st.inner` (found through `exc` itself); `f` as the caller promises.
    Some(unsafe { st.inner.with(exc, f) })
}

/// The `args` tuple of an exception (empty for a non-exception).
pub fn args_of(exc: &Object) -> ObjRef {
    // SAFETY: a clone.
    unsafe { with_state(exc, |i| i.args.clone()) }.unwrap_or_else(|| new_tuple(Vec::new()))
}

fn args_vec(exc: &Object) -> Vec<ObjRef> {
    let a = args_of(exc);
    as_tuple(&a)
        .map(|t| t.as_slice().to_vec())
        .unwrap_or_default()
}

/// Appends a traceback entry (the unwinding adds the raising frame first, then each caller).
pub fn add_traceback(exc: &Object, entry: TbEntry) {
    // Stored outermost first: each caller goes in front of the frames below it.
    // SAFETY: moves a traceback entry (file and function names) in.
    unsafe { with_state(exc, |i| i.traceback.insert(0, entry)) };
}

/// The traceback entries, outermost call first (the order CPython prints them).
pub fn traceback_of(exc: &Object) -> Vec<TbEntry> {
    // SAFETY: clones traceback entries.
    unsafe { with_state(exc, |i| i.traceback.clone()) }.unwrap_or_default()
}

/// Replaces the traceback entries (outermost first); `with_traceback`, `__traceback__ = x`.
pub fn set_traceback(exc: &Object, entries: Vec<TbEntry>) {
    // SAFETY: moves entries in and the old ones out (dropped after the section; they hold
    // no object references anyway).
    drop(unsafe { with_state(exc, |i| std::mem::replace(&mut i.traceback, entries)) });
}

/// Sets `__context__` (implicit chaining), unless it would create a cycle.
pub fn set_context(exc: &Object, context: Option<ObjRef>) {
    if state_of(exc).is_none() {
        return;
    }
    if let Some(c) = &context {
        if c.is(exc) {
            return;
        }
        // Break a cycle: if `exc` is somewhere on `c`'s context chain, cut the link to it.
        let mut cur = c.clone();
        let mut steps = 0;
        // SAFETY: a clone.
        while let Some(next) = unsafe { with_state(&cur, |i| i.context.clone()) } {
            match next {
                Some(n) if n.is(exc) => {
                    // SAFETY: a move out (dropped after the section).
                    drop(unsafe { with_state(&cur, |i| i.context.take()) });
                    break;
                }
                Some(n) => cur = n,
                None => break,
            }
            steps += 1;
            if steps > 10_000 {
                break;
            }
        }
    }
    // SAFETY: moves the new context in and the old one out (dropped after the section).
    drop(unsafe { with_state(exc, |i| std::mem::replace(&mut i.context, context)) });
}

/// Sets `__cause__` (and `__suppress_context__`), for `raise ... from cause`.
pub fn set_cause(exc: &Object, cause: Option<ObjRef>) {
    // SAFETY: moves the new cause in and the old one out (dropped after the section).
    drop(unsafe {
        with_state(exc, |i| {
            i.suppress_context = true;
            std::mem::replace(&mut i.cause, cause)
        })
    });
}

/// `__cause__`, `__context__` and `__suppress_context__`.
pub fn chain_of(exc: &Object) -> (Option<ObjRef>, Option<ObjRef>, bool) {
    // SAFETY: clones.
    unsafe {
        with_state(exc, |i| {
            (i.cause.clone(), i.context.clone(), i.suppress_context)
        })
    }
    .unwrap_or((None, None, false))
}

// ---------------------------------------------------------------------------------------------
// str / repr
// ---------------------------------------------------------------------------------------------

fn is_sub(o: &Object, ty: &TypeObject) -> bool {
    o.ty().is_subtype(ty)
}

/// `BaseException.__str__` (with the `KeyError`, `OSError`, `SyntaxError` and
/// `UnicodeError` variants).
fn exc_str(o: &Object) -> Result<String> {
    let args = args_vec(o);
    if is_sub(o, &KEY_ERROR_TYPE) && args.len() == 1 {
        return args[0].repr();
    }
    if is_sub(o, &OS_ERROR_TYPE) && (2..=3).contains(&args.len()) {
        let mut s = format!("[Errno {}] {}", args[0].str()?, args[1].str()?);
        if args.len() == 3 {
            s.push_str(": ");
            s.push_str(&args[2].repr()?);
        }
        return Ok(s);
    }
    if is_sub(o, &SYNTAX_ERROR_TYPE)
        && args.len() == 2
        && let Some(t) = as_tuple(&args[1])
    {
        let msg = args[0].str()?;
        let field = |i: usize| {
            t.get(i)
                .filter(|f| !f.is(none()))
                .map(|f| f.str())
                .transpose()
        };
        return Ok(match (field(0)?, field(1)?) {
            (Some(f), Some(l)) => {
                let base = f.rsplit('/').next().unwrap_or(&f).to_owned();
                format!("{msg} ({base}, line {l})")
            }
            (Some(f), None) => format!("{msg} ({f})"),
            (None, Some(l)) => format!("{msg} (line {l})"),
            (None, None) => msg,
        });
    }
    match args.len() {
        0 => Ok(String::new()),
        1 => args[0].str(),
        _ => args_of(o).repr(),
    }
}

fn exc_repr(o: &Object) -> Result<String> {
    let name = o.ty().name;
    let args = args_vec(o);
    if args.len() == 1 {
        Ok(format!("{name}({})", args[0].repr()?))
    } else {
        Ok(format!("{name}{}", args_of(o).repr()?))
    }
}

// ---------------------------------------------------------------------------------------------
// Methods and attributes
// ---------------------------------------------------------------------------------------------

fn self_exc<'a>(args: &Args<'a>, fname: &str) -> Result<&'a ObjRef> {
    match args.all.first() {
        Some(s) if is_exception(s) => Ok(s),
        Some(s) => type_err(format!(
            "descriptor '{fname}' requires a 'BaseException' object but received a '{}'",
            tname(s)
        )),
        None => type_err(format!("descriptor '{fname}' needs an argument")),
    }
}

fn m_new(args: &Args<'_>) -> Result<ObjRef> {
    let Some(cls) = args.all.first() else {
        return type_err("BaseException.__new__(): not enough arguments");
    };
    let Some(ty) = as_type(cls) else {
        return type_err(format!(
            "BaseException.__new__(X): X is not a type object ({})",
            tname(cls)
        ));
    };
    let ty = static_type(ty);
    if !ty.is_subtype(&BASE_EXCEPTION_TYPE) || !ty.stores::<Instance>() {
        return type_err(format!(
            "BaseException.__new__({}) is not safe, use {}.__new__()",
            ty.name, ty.name
        ));
    }
    let pos = &args.pos()[1..];
    Ok(new_exception(ty, new_tuple(pos.to_vec())))
}

fn m_init(args: &Args<'_>) -> Result<ObjRef> {
    let s = self_exc(args, "__init__")?;
    let is_import = is_sub(s, &IMPORT_ERROR_TYPE);
    if is_import {
        args.only_kwargs("ImportError", &["name", "path"])?;
        if let Some(d) = instance_dict(s) {
            for (n, v) in args.kw() {
                d.set_item(intern(n).to_ref(), v.clone())?;
            }
        }
    } else if !args.kwnames.is_empty() {
        return type_err(format!("{}() takes no keyword arguments", s.ty().name));
    }
    let pos = args.pos()[1..].to_vec();
    let args = new_tuple(pos);
    // SAFETY: moves the new args in and the old ones out (dropped after the section).
    drop(unsafe { with_state(s, |i| std::mem::replace(&mut i.args, args)) });
    Ok(none().to_ref())
}

fn instance_dict(o: &Object) -> Option<Dict<'_>> {
    o.downcast::<Instance>()
        .and_then(|i| i.attrs.as_ref()?.dict())
        .and_then(|d| Dict::of(d))
}

fn m_str(args: &Args<'_>) -> Result<ObjRef> {
    let s = self_exc(args, "__str__")?;
    Ok(str_obj(&exc_str(s)?))
}

fn m_repr(args: &Args<'_>) -> Result<ObjRef> {
    let s = self_exc(args, "__repr__")?;
    Ok(str_obj(&exc_repr(s)?))
}

fn m_with_traceback(args: &Args<'_>) -> Result<ObjRef> {
    args.check("with_traceback", 2, 2)?;
    let s = self_exc(args, "with_traceback")?;
    set_tb_attr(s, Some(&args.all[1]))?;
    Ok(s.clone())
}

fn m_add_note(args: &Args<'_>) -> Result<ObjRef> {
    args.check("add_note", 2, 2)?;
    let s = self_exc(args, "add_note")?;
    let note = &args.all[1];
    if crate::core::as_str(note).is_none() {
        return type_err(format!("note must be a str, not '{}'", tname(note)));
    }
    let Some(d) = instance_dict(s) else {
        return Ok(none().to_ref());
    };
    let key = intern("__notes__");
    let list = match d.get(key)? {
        Some(l) => l,
        None => {
            let l = weft_containers::empty_list();
            d.set_item(key.to_ref(), l.clone())?;
            l
        }
    };
    match weft_containers::List::of(&list) {
        Some(l) => l.append(note.clone())?,
        None => return type_err("Cannot add note: __notes__ is not a list"),
    }
    Ok(none().to_ref())
}

/// A traceback object: what `__traceback__` returns (one entry, linked by `tb_next`).
pub struct Traceback {
    /// The entries, outermost first.
    pub entries: std::sync::Arc<[TbEntry]>,
    /// The entry this object stands for.
    pub index: usize,
}

/// `traceback`
pub static TRACEBACK_TYPE: TypeObject = TypeObject::new_static::<Traceback>(
    "traceback",
    Some(&OBJECT_TYPE),
    Slots {
        getattr: Some(tb_getattr),
        hash: Some(identity_hash),
        ..Slots::EMPTY
    },
);

impl Payload for Traceback {
    fn type_object() -> &'static TypeObject {
        &TRACEBACK_TYPE
    }
}

fn tb_getattr(o: &Object, name: &Object) -> Result<ObjRef> {
    let tb = o.downcast::<Traceback>().expect("traceback");
    let e = &tb.entries[tb.index];
    match crate::core::as_str(name).unwrap_or("") {
        "tb_lineno" => Ok(weft_object::int_from_i64(e.line as i64)),
        "tb_next" => Ok(if tb.index + 1 < tb.entries.len() {
            ObjRef::new(Traceback {
                entries: tb.entries.clone(),
                index: tb.index + 1,
            })
        } else {
            none().to_ref()
        }),
        "tb_frame" | "tb_lasti" => Ok(none().to_ref()),
        "__class__" => Ok(TRACEBACK_TYPE.as_object().to_ref()),
        n => Err(PyErr::new(
            ExcKind::AttributeError,
            format!("'traceback' object has no attribute '{n}'"),
        )),
    }
}

fn tb_value(exc: &Object) -> ObjRef {
    let entries = traceback_of(exc);
    if entries.is_empty() {
        none().to_ref()
    } else {
        ObjRef::new(Traceback {
            entries: entries.into(),
            index: 0,
        })
    }
}

fn set_tb_attr(exc: &Object, v: Option<&Object>) -> Result<()> {
    match v {
        None => type_err("can't delete __traceback__ attribute"),
        Some(v) if v.is(none()) => {
            set_traceback(exc, Vec::new());
            Ok(())
        }
        Some(v) => match v.downcast::<Traceback>() {
            Some(tb) => {
                set_traceback(exc, tb.entries[tb.index..].to_vec());
                Ok(())
            }
            None => type_err("__traceback__ must be a traceback or None"),
        },
    }
}

fn opt(o: Option<ObjRef>) -> ObjRef {
    o.unwrap_or_else(|| none().to_ref())
}

fn arg_n(exc: &Object, i: usize) -> ObjRef {
    opt(args_vec(exc).get(i).cloned())
}

/// A value stored in the instance dict by a setter, else `default`.
fn dict_or(exc: &Object, key: &str, default: impl FnOnce() -> ObjRef) -> Result<ObjRef> {
    if let Some(d) = instance_dict(exc)
        && let Some(v) = d.get(intern(key))?
    {
        return Ok(v);
    }
    Ok(default())
}

fn store_in_dict(exc: &Object, key: &str, v: Option<&Object>) -> Result<()> {
    if let Some(d) = instance_dict(exc) {
        match v {
            Some(v) => d.set_item(intern(key).to_ref(), v.to_ref())?,
            None => {
                let _ = d.del_item(intern(key));
            }
        }
    }
    Ok(())
}

fn install_getsets() {
    use crate::class::add_getset;
    let b = &BASE_EXCEPTION_TYPE;
    add_getset(
        b,
        "args",
        |o| Ok(args_of(o)),
        Some(|o, v| {
            let Some(v) = v else {
                return type_err("args may not be deleted");
            };
            let items = crate::ops::collect(v)?;
            let args = new_tuple(items);
            // SAFETY: moves the new args in and the old ones out (dropped after the section).
            drop(unsafe { with_state(o, |i| std::mem::replace(&mut i.args, args)) });
            Ok(())
        }),
    );
    add_getset(b, "__traceback__", |o| Ok(tb_value(o)), Some(set_tb_attr));
    add_getset(
        b,
        "__cause__",
        |o| Ok(opt(chain_of(o).0)),
        Some(|o, v| {
            let v = match v {
                None => return type_err("__cause__ may not be deleted"),
                Some(v) if v.is(none()) => None,
                Some(v) if is_exception(v) => Some(v.to_ref()),
                Some(_) => {
                    return type_err("exception cause must be None or derive from BaseException");
                }
            };
            set_cause(o, v);
            Ok(())
        }),
    );
    add_getset(
        b,
        "__context__",
        |o| Ok(opt(chain_of(o).1)),
        Some(|o, v| {
            let v = match v {
                None => return type_err("__context__ may not be deleted"),
                Some(v) if v.is(none()) => None,
                Some(v) if is_exception(v) => Some(v.to_ref()),
                Some(_) => {
                    return type_err("exception context must be None or derive from BaseException");
                }
            };
            // SAFETY: moves the new context in and the old one out (dropped after it).
            drop(unsafe { with_state(o, |i| std::mem::replace(&mut i.context, v)) });
            Ok(())
        }),
    );
    add_getset(
        b,
        "__suppress_context__",
        |o| Ok(weft_object::bool_obj(chain_of(o).2)),
        Some(|o, v| {
            let t = match v {
                Some(v) => v.is_true()?,
                None => false,
            };
            // SAFETY: stores a flag.
            unsafe { with_state(o, |i| i.suppress_context = t) };
            Ok(())
        }),
    );
    add_getset(
        &STOP_ITERATION_TYPE,
        "value",
        |o| dict_or(o, "value", || arg_n(o, 0)),
        Some(|o, v| store_in_dict(o, "value", v)),
    );
    add_getset(
        &SYSTEM_EXIT_TYPE,
        "code",
        |o| {
            dict_or(o, "code", || {
                let a = args_vec(o);
                match a.len() {
                    0 => none().to_ref(),
                    1 => a[0].clone(),
                    _ => args_of(o),
                }
            })
        },
        Some(|o, v| store_in_dict(o, "code", v)),
    );
    add_getset(
        &IMPORT_ERROR_TYPE,
        "name",
        |o| dict_or(o, "name", || none().to_ref()),
        Some(|o, v| store_in_dict(o, "name", v)),
    );
    add_getset(
        &IMPORT_ERROR_TYPE,
        "path",
        |o| dict_or(o, "path", || none().to_ref()),
        Some(|o, v| store_in_dict(o, "path", v)),
    );
    add_getset(
        &IMPORT_ERROR_TYPE,
        "msg",
        |o| dict_or(o, "msg", || arg_n(o, 0)),
        Some(|o, v| store_in_dict(o, "msg", v)),
    );
    add_getset(
        &OS_ERROR_TYPE,
        "errno",
        |o| dict_or(o, "errno", || os_field(o, 0)),
        Some(|o, v| store_in_dict(o, "errno", v)),
    );
    add_getset(
        &OS_ERROR_TYPE,
        "strerror",
        |o| dict_or(o, "strerror", || os_field(o, 1)),
        Some(|o, v| store_in_dict(o, "strerror", v)),
    );
    add_getset(
        &OS_ERROR_TYPE,
        "filename",
        |o| dict_or(o, "filename", || os_field(o, 2)),
        Some(|o, v| store_in_dict(o, "filename", v)),
    );
    /// `errno`, `strerror` and `filename` from the args of `OSError(errno, strerror[, filename])`.
    fn os_field(o: &Object, i: usize) -> ObjRef {
        let a = args_vec(o);
        opt(a.get(i).filter(|_| (2..=3).contains(&a.len())).cloned())
    }
    fn syntax_field(o: &Object, i: usize) -> ObjRef {
        let a = args_vec(o);
        a.get(1)
            .and_then(|t| as_tuple(t).and_then(|t| t.get(i).cloned()))
            .unwrap_or_else(|| none().to_ref())
    }
    add_getset(
        &SYNTAX_ERROR_TYPE,
        "msg",
        |o| dict_or(o, "msg", || arg_n(o, 0)),
        Some(|o, v| store_in_dict(o, "msg", v)),
    );
    add_getset(
        &SYNTAX_ERROR_TYPE,
        "filename",
        |o| dict_or(o, "filename", || syntax_field(o, 0)),
        Some(|o, v| store_in_dict(o, "filename", v)),
    );
    add_getset(
        &SYNTAX_ERROR_TYPE,
        "lineno",
        |o| dict_or(o, "lineno", || syntax_field(o, 1)),
        Some(|o, v| store_in_dict(o, "lineno", v)),
    );
    add_getset(
        &SYNTAX_ERROR_TYPE,
        "offset",
        |o| dict_or(o, "offset", || syntax_field(o, 2)),
        Some(|o, v| store_in_dict(o, "offset", v)),
    );
    add_getset(
        &SYNTAX_ERROR_TYPE,
        "text",
        |o| dict_or(o, "text", || syntax_field(o, 3)),
        Some(|o, v| store_in_dict(o, "text", v)),
    );
}

fn ensure_init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for t in ALL_TYPES {
            let _ = type_ext(t);
        }
        let b = &BASE_EXCEPTION_TYPE;
        set_type_attr(
            b,
            "__new__",
            crate::class::new_staticmethod(crate::core::new_builtin("__new__", m_new)),
        );
        add_method(b, "__init__", m_init);
        add_method(b, "__str__", m_str);
        add_method(b, "__repr__", m_repr);
        add_method(b, "with_traceback", m_with_traceback);
        add_method(b, "add_note", m_add_note);
        install_getsets();
    });
}

/// Puts every builtin exception class into the builtins namespace dict.
pub fn add_builtins(builtins: &Object) {
    ensure_init();
    let Some(d) = Dict::of(builtins) else { return };
    for t in ALL_TYPES {
        if std::ptr::eq(*t, &BROKEN_BARRIER_ERROR_TYPE) {
            continue;
        }
        let _ = d.set_item(intern(t.name).to_ref(), t.as_object().to_ref());
    }
    let _ = d.set_item(
        intern("EnvironmentError").to_ref(),
        OS_ERROR_TYPE.as_object().to_ref(),
    );
    let _ = d.set_item(
        intern("IOError").to_ref(),
        OS_ERROR_TYPE.as_object().to_ref(),
    );
}
