//! Printing exceptions the way CPython does: `Traceback (most recent call last):`, one
//! `  File "x.py", line N, in f` entry per frame with its source line, chained exceptions
//! (`The above exception was the direct cause of the following exception:` / `During handling
//! of the above exception, another exception occurred:`), and the final `Type: message` line.

use weft_object::Object;

/// The full report for the exception object `exc`, as CPython's default excepthook prints it.
pub fn format_exception(exc: &Object) -> String {
    let _ = exc;
    todo!("traceback::format_exception")
}
