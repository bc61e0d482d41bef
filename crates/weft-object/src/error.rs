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
}

impl ExcKind {
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
        }
    }
}

/// A raised Python exception: class and message (`str(exc)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyErr {
    /// The exception class.
    pub kind: ExcKind,
    /// The message.
    pub msg: String,
}

/// Result of an operation that may raise.
pub type PyResult<T> = Result<T, PyErr>;

impl PyErr {
    /// An exception of `kind` with `msg`.
    pub fn new(kind: ExcKind, msg: impl Into<String>) -> PyErr {
        PyErr {
            kind,
            msg: msg.into(),
        }
    }

    /// A `TypeError`.
    pub fn type_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::TypeError, msg)
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
