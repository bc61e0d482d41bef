//! Python exceptions as seen from layer 2: the exception class and its message.
//!
//! The eval loop (layer 5) turns these into exception objects with tracebacks; below it an
//! error is a value, never a panic.

use std::fmt;

use crate::scalar::{ErrorKind, ScalarError};

/// The builtin exception classes the lower layers raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum ExcKind {
    TypeError,
    ValueError,
    ZeroDivisionError,
    OverflowError,
    MemoryError,
    KeyError,
    IndexError,
    AttributeError,
    RuntimeError,
    StopIteration,
    NotImplementedError,
    UnicodeDecodeError,
    UnicodeEncodeError,
    RecursionError,
    BaseException,
    Exception,
    NameError,
    UnboundLocalError,
    AssertionError,
    ImportError,
    ModuleNotFoundError,
    LookupError,
    ArithmeticError,
    GeneratorExit,
    KeyboardInterrupt,
    SystemExit,
    OSError,
    FileNotFoundError,
    EOFError,
    UnicodeError,
    SyntaxError,
    StopAsyncIteration,
    BrokenBarrierError,
}

impl ExcKind {
    /// Every kind, in declaration order.
    pub const ALL: [ExcKind; 33] = [
        ExcKind::TypeError,
        ExcKind::ValueError,
        ExcKind::ZeroDivisionError,
        ExcKind::OverflowError,
        ExcKind::MemoryError,
        ExcKind::KeyError,
        ExcKind::IndexError,
        ExcKind::AttributeError,
        ExcKind::RuntimeError,
        ExcKind::StopIteration,
        ExcKind::NotImplementedError,
        ExcKind::UnicodeDecodeError,
        ExcKind::UnicodeEncodeError,
        ExcKind::RecursionError,
        ExcKind::BaseException,
        ExcKind::Exception,
        ExcKind::NameError,
        ExcKind::UnboundLocalError,
        ExcKind::AssertionError,
        ExcKind::ImportError,
        ExcKind::ModuleNotFoundError,
        ExcKind::LookupError,
        ExcKind::ArithmeticError,
        ExcKind::GeneratorExit,
        ExcKind::KeyboardInterrupt,
        ExcKind::SystemExit,
        ExcKind::OSError,
        ExcKind::FileNotFoundError,
        ExcKind::EOFError,
        ExcKind::UnicodeError,
        ExcKind::SyntaxError,
        ExcKind::StopAsyncIteration,
        ExcKind::BrokenBarrierError,
    ];

    /// The class name, as Python prints it.
    pub fn name(self) -> &'static str {
        match self {
            ExcKind::TypeError => "TypeError",
            ExcKind::ValueError => "ValueError",
            ExcKind::ZeroDivisionError => "ZeroDivisionError",
            ExcKind::OverflowError => "OverflowError",
            ExcKind::MemoryError => "MemoryError",
            ExcKind::KeyError => "KeyError",
            ExcKind::IndexError => "IndexError",
            ExcKind::AttributeError => "AttributeError",
            ExcKind::RuntimeError => "RuntimeError",
            ExcKind::StopIteration => "StopIteration",
            ExcKind::NotImplementedError => "NotImplementedError",
            ExcKind::UnicodeDecodeError => "UnicodeDecodeError",
            ExcKind::UnicodeEncodeError => "UnicodeEncodeError",
            ExcKind::RecursionError => "RecursionError",
            ExcKind::BaseException => "BaseException",
            ExcKind::Exception => "Exception",
            ExcKind::NameError => "NameError",
            ExcKind::UnboundLocalError => "UnboundLocalError",
            ExcKind::AssertionError => "AssertionError",
            ExcKind::ImportError => "ImportError",
            ExcKind::ModuleNotFoundError => "ModuleNotFoundError",
            ExcKind::LookupError => "LookupError",
            ExcKind::ArithmeticError => "ArithmeticError",
            ExcKind::GeneratorExit => "GeneratorExit",
            ExcKind::KeyboardInterrupt => "KeyboardInterrupt",
            ExcKind::SystemExit => "SystemExit",
            ExcKind::OSError => "OSError",
            ExcKind::FileNotFoundError => "FileNotFoundError",
            ExcKind::EOFError => "EOFError",
            ExcKind::UnicodeError => "UnicodeError",
            ExcKind::SyntaxError => "SyntaxError",
            ExcKind::StopAsyncIteration => "StopAsyncIteration",
            ExcKind::BrokenBarrierError => "BrokenBarrierError",
        }
    }
}

/// A raised Python exception: class and message (`str(exc)`), plus the objects the upper layers
/// attach.
///
/// Below the eval loop an error is just `kind` and `msg`. Two optional objects let an exception
/// cross the lower layers without losing anything: `arg`, the exception's single argument when
/// it is an object rather than text (a `KeyError`'s key, a `StopIteration`'s value), and
/// `object`, the Python exception instance itself once the eval layer has made one (a user
/// `__eq__` raising inside a dict lookup). When `object` is set it is the exception; `kind` is
/// then its nearest builtin class that [`ExcKind`] names.
#[derive(Clone, Debug)]
pub struct PyErr {
    /// The exception class (the nearest builtin one, when `object` is a user exception).
    pub kind: ExcKind,
    /// The message.
    pub msg: String,
    /// The exception's argument when it is an object (`KeyError(key)`, `StopIteration(value)`).
    pub arg: Option<crate::ObjRef>,
    /// The Python exception object, when one exists.
    pub object: Option<crate::ObjRef>,
}

impl PartialEq for PyErr {
    fn eq(&self, other: &PyErr) -> bool {
        fn same(a: &Option<crate::ObjRef>, b: &Option<crate::ObjRef>) -> bool {
            match (a, b) {
                (None, None) => true,
                (Some(x), Some(y)) => x.is(y),
                _ => false,
            }
        }
        self.kind == other.kind
            && self.msg == other.msg
            && same(&self.arg, &other.arg)
            && same(&self.object, &other.object)
    }
}

impl Eq for PyErr {}

/// Result of an operation that may raise.
pub type PyResult<T> = Result<T, PyErr>;

impl PyErr {
    /// An exception of `kind` with `msg`.
    pub fn new(kind: ExcKind, msg: impl Into<String>) -> PyErr {
        PyErr {
            kind,
            msg: msg.into(),
            arg: None,
            object: None,
        }
    }

    /// A `TypeError`.
    pub fn type_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::TypeError, msg)
    }

    /// An exception of `kind` whose argument is the object `arg` (`msg` is its repr or str, as
    /// the exception would print it).
    pub fn with_arg(kind: ExcKind, msg: impl Into<String>, arg: crate::ObjRef) -> PyErr {
        PyErr {
            arg: Some(arg),
            ..PyErr::new(kind, msg)
        }
    }

    /// A `ValueError`.
    pub fn value_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::ValueError, msg)
    }
}

impl From<ScalarError> for PyErr {
    fn from(e: ScalarError) -> PyErr {
        let kind = match e.kind {
            ErrorKind::ZeroDivisionError => ExcKind::ZeroDivisionError,
            ErrorKind::OverflowError => ExcKind::OverflowError,
            ErrorKind::ValueError => ExcKind::ValueError,
            ErrorKind::TypeError => ExcKind::TypeError,
            ErrorKind::MemoryError => ExcKind::MemoryError,
            ErrorKind::UnicodeDecodeError => ExcKind::UnicodeDecodeError,
            ErrorKind::UnicodeEncodeError => ExcKind::UnicodeEncodeError,
        };
        PyErr::new(kind, e.message)
    }
}

impl fmt::Display for PyErr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.msg.is_empty() {
            f.write_str(self.kind.name())
        } else {
            write!(f, "{}: {}", self.kind.name(), self.msg)
        }
    }
}

impl std::error::Error for PyErr {}
