//! Pure value semantics of Python's immutable scalars: `int`, `float`, `str` and `bytes`.
//!
//! Nothing here knows about the object header, type objects or reference counts: these are
//! the operations on plain Rust values (`Int`, `f64`, `&str`, `&[u8]`) that a Python object
//! wrapper calls into. Every behaviour (results, rounding, error kinds and messages) follows
//! CPython 3.11; the golden tests under `tests/data/` were produced by CPython itself.
//!
//! Errors are reported as a [`ScalarError`]: an [`ErrorKind`] naming the Python exception
//! class and the message CPython prints. The runtime maps them onto exception objects.
//!
//! Module map:
//! - [`int`]: the arbitrary-precision [`Int`](int::Int) (inline `i64`, bigint on overflow).
//! - [`float`]: `f64` operations with Python semantics (repr, `//`, `%`, `**`, `round`, parse).
//! - [`str`](mod@self::str): str helpers (repr, indexing, methods, case mapping, predicates, padding).
//! - [`bytes`]: bytes helpers (repr, hex, search, codecs).
//! - [`format_spec`]: the `format()` mini-language, shared by int, float and str.
//! - [`percent`]: the `%` (printf-style) formatting core.
//! - [`hash`]: CPython's numeric hash and weft's string hash.

pub mod bytes;
pub mod float;
pub mod format_spec;
pub mod hash;
pub mod int;
pub mod percent;
pub mod str;
mod unicode;
mod unicode_db;

pub use unicode_db::UNICODE_VERSION;

use core::fmt;

/// The Python exception class a [`ScalarError`] stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `ZeroDivisionError`.
    ZeroDivisionError,
    /// `OverflowError`.
    OverflowError,
    /// `ValueError`.
    ValueError,
    /// `TypeError`.
    TypeError,
    /// `MemoryError` (a result too large to build; CPython would try to allocate it).
    MemoryError,
    /// `UnicodeDecodeError` (a subclass of `ValueError`); see [`bytes::DecodeError`].
    UnicodeDecodeError,
    /// `UnicodeEncodeError` (a subclass of `ValueError`); see [`bytes::EncodeError`].
    UnicodeEncodeError,
}

impl ErrorKind {
    /// The Python name of the exception class, e.g. `"ValueError"`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::ZeroDivisionError => "ZeroDivisionError",
            ErrorKind::OverflowError => "OverflowError",
            ErrorKind::ValueError => "ValueError",
            ErrorKind::TypeError => "TypeError",
            ErrorKind::MemoryError => "MemoryError",
            ErrorKind::UnicodeDecodeError => "UnicodeDecodeError",
            ErrorKind::UnicodeEncodeError => "UnicodeEncodeError",
        }
    }
}

/// An error from a scalar operation: the Python exception class and its message.
///
/// `message` is exactly what `str(exc)` prints in CPython 3.11 (it may be empty, as for the
/// `MemoryError` of a gigantic shift).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScalarError {
    /// Which exception class to raise.
    pub kind: ErrorKind,
    /// The exception message.
    pub message: String,
}

/// The message of the [`ErrorKind::ValueError`] that signals "this result is a complex number"
/// (a negative float raised to a non-integral power). Python returns a `complex` there; weft's
/// scalar layer has no complex type, so it reports this error and the caller decides.
pub const COMPLEX_RESULT: &str = "negative number cannot be raised to a fractional power";

impl ScalarError {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ScalarError {
            kind,
            message: message.into(),
        }
    }

    /// A `ZeroDivisionError`.
    pub fn zero_division(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ZeroDivisionError, message)
    }

    /// An `OverflowError`.
    pub fn overflow(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::OverflowError, message)
    }

    /// A `ValueError`.
    pub fn value(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ValueError, message)
    }

    /// A `TypeError`.
    pub fn type_error(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::TypeError, message)
    }

    /// A `MemoryError` with CPython's empty message.
    pub fn memory() -> Self {
        Self::new(ErrorKind::MemoryError, "")
    }

    /// True for the "result would be complex" signal of float `**` (see [`COMPLEX_RESULT`]).
    pub fn is_complex_result(&self) -> bool {
        self.kind == ErrorKind::ValueError && self.message == COMPLEX_RESULT
    }
}

impl fmt::Display for ScalarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(self.kind.name())
        } else {
            write!(f, "{}: {}", self.kind.name(), self.message)
        }
    }
}

impl std::error::Error for ScalarError {}

/// Shorthand for results of scalar operations.
pub type ScalarResult<T> = Result<T, ScalarError>;
