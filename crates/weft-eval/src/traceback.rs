//! Printing exceptions the way CPython does: `Traceback (most recent call last):`, one
//! `  File "x.py", line N, in f` entry per frame with its source line, chained exceptions
//! (`The above exception was the direct cause of the following exception:` / `During handling
//! of the above exception, another exception occurred:`), and the final `Type: message` line.

use std::collections::HashMap;
use std::sync::Arc;

use weft_sync::shim::Mutex;

use weft_object::{ObjRef, Object};

use crate::core::{TbEntry, type_ext};

/// The lines of a source file, or `None` when it could not be read.
type SourceLines = Option<Arc<Vec<String>>>;

/// Source files read for tracebacks, by name (a file is read once per process).
static SOURCE_CACHE: Mutex<Option<HashMap<String, SourceLines>>> = Mutex::new(None);

/// Registers the text of a file that is not on disk (`-c` code, stdin, embedded modules), so
/// tracebacks can show its lines.
pub fn register_source(filename: &str, source: &str) {
    SOURCE_CACHE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(filename.to_owned(), Some(split_lines(source)));
}

fn split_lines(source: &str) -> Arc<Vec<String>> {
    Arc::new(source.lines().map(str::to_owned).collect())
}

/// Line `line` (1-based) of `filename`, stripped of surrounding whitespace, when readable.
pub fn source_line(filename: &str, line: u32) -> Option<String> {
    if line == 0 {
        return None;
    }
    let lines = {
        let mut g = SOURCE_CACHE.lock().unwrap_or_else(|p| p.into_inner());
        let cache = g.get_or_insert_with(HashMap::new);
        if let Some(v) = cache.get(filename) {
            v.clone()
        } else {
            let v = if filename.starts_with('<') {
                None
            } else {
                std::fs::read(filename)
                    .ok()
                    .map(|b| split_lines(&String::from_utf8_lossy(&b)))
            };
            cache.insert(filename.to_owned(), v.clone());
            v
        }
    }?;
    let l = lines.get(line as usize - 1)?.trim();
    if l.is_empty() {
        None
    } else {
        Some(l.to_owned())
    }
}

/// The name an exception's class prints as on the last line: `ValueError` for builtins and
/// classes of `__main__`, `module.Qualname` for classes of other modules.
pub fn exception_type_name(exc: &Object) -> String {
    let ty = exc.ty();
    let ext = type_ext(ty);
    let qual = ext.qualname.clone().unwrap_or_else(|| ty.name.to_owned());
    match ext.module.as_deref() {
        Some("__main__") | Some("builtins") | None => qual,
        Some(m) => format!("{m}.{qual}"),
    }
}

/// The last line of the report: `Type: message` (just `Type` when `str(exc)` is empty).
pub fn format_exception_only(exc: &Object) -> String {
    let name = exception_type_name(exc);
    let se = crate::exceptions::exc_type(weft_object::ExcKind::SyntaxError);
    let syntax_msg = if exc.ty().is_subtype(se)
        && let Ok(Some(m)) = crate::attr::getattr_opt(exc, weft_object::intern("msg"))
        && let Some(m) = crate::core::as_str(&m)
    {
        Some(m.to_owned())
    } else {
        None
    };
    let msg = match syntax_msg.map_or_else(|| exc.str(), Ok) {
        Ok(s) => s,
        Err(_) => "<exception str() failed>".to_owned(),
    };
    if msg.is_empty() {
        format!("{name}\n")
    } else {
        format!("{name}: {msg}\n")
    }
}

/// The `Traceback (most recent call last):` block of `entries` (outermost first), without
/// the final line. Runs of more than three identical entries are folded as CPython does.
pub fn format_entries(entries: &[TbEntry]) -> String {
    let mut out = String::new();
    if entries.is_empty() {
        return out;
    }
    out.push_str("Traceback (most recent call last):\n");
    let mut last: Option<&TbEntry> = None;
    let mut repeat = 0usize;
    let flush_repeat = |out: &mut String, repeat: usize| {
        if repeat > 3 {
            let n = repeat - 3;
            out.push_str(&format!(
                "  [Previous line repeated {} more time{}]\n",
                n,
                if n == 1 { "" } else { "s" }
            ));
        }
    };
    for e in entries {
        let same =
            last.is_some_and(|l| l.filename == e.filename && l.name == e.name && l.line == e.line);
        if same {
            repeat += 1;
            if repeat > 3 {
                continue;
            }
        } else {
            flush_repeat(&mut out, repeat);
            repeat = 1;
        }
        last = Some(e);
        out.push_str(&format!(
            "  File \"{}\", line {}, in {}\n",
            e.filename, e.line, e.name
        ));
        if let Some(src) = source_line(&e.filename, e.line) {
            out.push_str(&format!("    {src}\n"));
        }
    }
    flush_repeat(&mut out, repeat);
    out
}

/// The full report for the exception object `exc`, as CPython's default excepthook prints it.
pub fn format_exception(exc: &Object) -> String {
    let mut out = String::new();
    let mut seen: Vec<usize> = Vec::new();
    format_chain(exc, &mut out, &mut seen, 0);
    out
}

fn format_chain(exc: &Object, out: &mut String, seen: &mut Vec<usize>, depth: usize) {
    seen.push(exc.id());
    if !crate::exceptions::is_exception(exc) {
        out.push_str(&format_exception_only(exc));
        return;
    }
    let (cause, context, suppress) = crate::exceptions::chain_of(exc);
    // Guard against runaway chains (each link is printed once anyway).
    if depth < 100 {
        if let Some(c) = cause.filter(|c| !seen.contains(&c.id())) {
            format_chain(&c, out, seen, depth + 1);
            out.push_str(
                "\nThe above exception was the direct cause of the following exception:\n\n",
            );
        } else if !suppress && let Some(c) = context.filter(|c| !seen.contains(&c.id())) {
            format_chain(&c, out, seen, depth + 1);
            out.push_str(
                "\nDuring handling of the above exception, another exception occurred:\n\n",
            );
        }
    }
    let entries = crate::exceptions::traceback_of(exc);
    out.push_str(&format_entries(&entries));
    out.push_str(&format_syntax_error_detail(exc));
    out.push_str(&format_exception_only(exc));
}

/// For a `SyntaxError` raised at run time (by `compile`/`exec`/import of a bad module): the
/// `File "x", line N` / source / caret lines from its attributes, when it has them.
fn format_syntax_error_detail(exc: &Object) -> String {
    let se = crate::exceptions::exc_type(weft_object::ExcKind::SyntaxError);
    if !exc.ty().is_subtype(se) {
        return String::new();
    }
    let get = |n: &str| -> Option<ObjRef> {
        crate::attr::getattr_opt(exc, weft_object::intern(n))
            .ok()
            .flatten()
            .filter(|v| !v.is(weft_object::none()))
    };
    let Some(filename) = get("filename").and_then(|f| crate::core::as_str(&f).map(str::to_owned))
    else {
        return String::new();
    };
    let line = get("lineno")
        .and_then(|l| {
            l.downcast::<weft_object::scalar::int::Int>()
                .and_then(|i| i.as_i64())
        })
        .unwrap_or(0);
    let mut out = format!("  File \"{filename}\", line {line}\n");
    if let Some(text) = get("text").and_then(|t| crate::core::as_str(&t).map(str::to_owned)) {
        let trimmed = text.trim_end_matches('\n');
        let stripped = trimmed.trim_start();
        out.push_str(&format!("    {stripped}\n"));
        if let Some(off) = get("offset").and_then(|l| {
            l.downcast::<weft_object::scalar::int::Int>()
                .and_then(|i| i.as_i64())
        }) && off > 0
        {
            let lead = trimmed.chars().count() - stripped.chars().count();
            let col = (off as usize).saturating_sub(1).saturating_sub(lead);
            out.push_str(&format!("    {}^\n", " ".repeat(col)));
        }
    }
    out
}
