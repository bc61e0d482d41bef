//! Compile errors: `SyntaxError` (and its subclasses) with CPython's position and layout.

use core::fmt;

/// The Python exception class a [`CompileError`] stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `SyntaxError`: the parser or the compiler refused the program.
    SyntaxError,
    /// `IndentationError` (a subclass of `SyntaxError`): unexpected or missing indentation.
    IndentationError,
    /// `TabError` (a subclass of `IndentationError`): tabs and spaces mixed inconsistently.
    TabError,
    /// `RecursionError`: the program nests too deeply to compile (CPython: "maximum
    /// recursion depth exceeded during compilation").
    RecursionError,
    /// `SystemError`: an internal inconsistency of the compiler (a bug in weft, never the
    /// program's fault). Reported instead of panicking.
    SystemError,
}

impl ErrorKind {
    /// `SyntaxError` or one of its subclasses (errors with a source position).
    pub fn is_syntax_error(self) -> bool {
        matches!(
            self,
            ErrorKind::SyntaxError | ErrorKind::IndentationError | ErrorKind::TabError
        )
    }

    /// The Python name of the exception class, e.g. `"SyntaxError"`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::SyntaxError => "SyntaxError",
            ErrorKind::IndentationError => "IndentationError",
            ErrorKind::TabError => "TabError",
            ErrorKind::RecursionError => "RecursionError",
            ErrorKind::SystemError => "SystemError",
        }
    }
}

/// An error raised while compiling: what CPython raises as a `SyntaxError` (or subclass).
///
/// Positions follow the attributes of CPython's `SyntaxError`: `line` is 1-based, `column` is
/// the 1-based *character* offset (`SyntaxError.offset`), and `end_line`/`end_column` are the
/// same for the end of the offending range (exclusive), when known.
///
/// `Display` prints the layout of CPython's traceback for a syntax error:
///
/// ```text
///   File "x.py", line 3
///     def f(:
///           ^
/// SyntaxError: invalid syntax
/// ```
///
/// A `RecursionError` or `SystemError` prints only `Class: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// The exception class.
    pub kind: ErrorKind,
    /// The message (`SyntaxError.msg`).
    pub message: String,
    /// The file name given to [`compile`](crate::compile).
    pub filename: String,
    /// 1-based line of the error.
    pub line: u32,
    /// 1-based character column of the error start (`SyntaxError.offset`); 0 when unknown.
    pub column: u32,
    /// 1-based line of the end of the error range.
    pub end_line: u32,
    /// 1-based character column just past the error range; `None` prints no caret (as CPython
    /// does for `unexpected indent`).
    pub end_column: Option<u32>,
    /// The source line the error is on, without its line terminator (`SyntaxError.text`).
    pub text: Option<String>,
}

impl CompileError {
    /// The exception message alone (what `str(exc)` would start with).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.kind.is_syntax_error() {
            return write!(f, "{}: {}", self.kind.name(), self.message);
        }
        writeln!(f, "  File \"{}\", line {}", self.filename, self.line)?;
        if let Some(text) = &self.text {
            let trimmed = text.trim_start_matches([' ', '\t', '\x0c']);
            let stripped_chars = text.chars().count() - trimmed.chars().count();
            writeln!(f, "    {trimmed}")?;
            if let Some(end) = self.end_column
                && self.column > 0
            {
                let line_chars = text.chars().count() as u32;
                let mut end = if self.end_line > self.line {
                    line_chars + 1
                } else {
                    end
                };
                if end <= self.column {
                    end = self.column + 1;
                }
                let col = (self.column - 1) as usize;
                if col >= stripped_chars {
                    let start = col - stripped_chars;
                    let width = (end - self.column) as usize;
                    let mut caret = String::from("    ");
                    for c in trimmed.chars().take(start) {
                        caret.push(if c.is_whitespace() { c } else { ' ' });
                    }
                    // Pad when the column lies past the end of the text (an error at EOF).
                    let have = trimmed.chars().take(start).count();
                    caret.extend(core::iter::repeat_n(' ', start - have));
                    caret.extend(core::iter::repeat_n('^', width.max(1)));
                    writeln!(f, "{caret}")?;
                }
            }
        }
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for CompileError {}
