//! Python `str` semantics over Rust strings.
//!
//! Python strings are sequences of code points and index by code point; Rust's `&str` is
//! UTF-8. [`CharIndex`] converts between the two (O(1) for ASCII strings, which should cache
//! it). All positions taken and returned by the functions here (`find`, `count`, `start`
//! and `end` arguments, ...) are code-point indices, with Python's slice clamping.
//!
//! Classification (`isalpha`, `isspace`, `isprintable`, ...) and case mapping (`upper`,
//! `lower` with the final-sigma rule, `casefold`, `title`, ...) use tables generated from
//! CPython 3.11 itself (Unicode 14.0.0), not Rust's `char` methods, so results match the
//! reference interpreter exactly.
//!
//! Differences from CPython: a Rust `String` cannot hold lone surrogates (`'\ud800'`), so
//! those strings cannot be represented here at all; everything else matches.
//!
//! [`hash`] is a fast deterministic hash, *not* CPython's (CPython randomises str hashes
//! per process, so no program can rely on their values); it never returns `-1`.

use super::unicode::{self, CaseMap};
use super::{ScalarError, ScalarResult, format_spec, hash as numhash};

pub use super::percent::{NumberView, PercentArg, PercentArgs, PercentValue, percent_format};

// ----- repr ------------------------------------------------------------------------------

fn push_hex_escape(out: &mut String, c: char) {
    let v = c as u32;
    if v <= 0xff {
        out.push_str(&format!("\\x{v:02x}"));
    } else if v <= 0xffff {
        out.push_str(&format!("\\u{v:04x}"));
    } else {
        out.push_str(&format!("\\U{v:08x}"));
    }
}

fn repr_impl(s: &str, ascii_only: bool) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c < ' ' || c == '\x7f' => push_hex_escape(&mut out, c),
            c if c.is_ascii() => out.push(c),
            c if !ascii_only && unicode::is_printable(c) => out.push(c),
            c => push_hex_escape(&mut out, c),
        }
    }
    out.push(quote);
    out
}

/// `repr(s)`: quoted with `'` unless `s` contains `'` and no `"`; backslash, the quote,
/// `\t`, `\n`, `\r` escaped; other non-printable code points as `\xNN`, `\uNNNN` or
/// `\UNNNNNNNN` (printable per CPython's `str.isprintable`).
pub fn repr(s: &str) -> String {
    repr_impl(s, false)
}

/// `ascii(s)`: like [`repr`] but every non-ASCII code point is escaped.
pub fn ascii(s: &str) -> String {
    repr_impl(s, true)
}

/// `ascii(obj)` given `repr(obj)`: escapes the non-ASCII code points of `repr_text`
/// (backslashreplace), leaving everything else alone.
pub fn escape_non_ascii(repr_text: &str) -> String {
    let mut out = String::with_capacity(repr_text.len());
    for c in repr_text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            push_hex_escape(&mut out, c);
        }
    }
    out
}

/// weft's deterministic str hash (see the module docs).
pub fn hash(s: &str) -> i64 {
    numhash::hash_str(s)
}

/// `format(s, spec)`.
pub fn format(s: &str, spec: &str) -> ScalarResult<String> {
    format_spec::format_str_spec(s, spec)
}

// ----- code point indexing ---------------------------------------------------------------

/// Code-point length and ASCII-ness of a string: what makes code-point indexing O(1) for
/// ASCII strings. Compute once (O(n)) and keep it with the string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CharIndex {
    /// The number of code points.
    pub len: usize,
    /// Whether every code point is ASCII (then byte offsets equal code-point offsets).
    pub ascii: bool,
}

impl CharIndex {
    /// Measures `s`.
    pub fn new(s: &str) -> CharIndex {
        let ascii = s.is_ascii();
        let len = if ascii { s.len() } else { s.chars().count() };
        CharIndex { len, ascii }
    }

    /// The byte offset of code point `i` (`i <= len`; `len` gives `s.len()`).
    pub fn byte_offset(&self, s: &str, i: usize) -> usize {
        if self.ascii {
            return i.min(s.len());
        }
        if i >= self.len {
            return s.len();
        }
        s.char_indices().nth(i).map_or(s.len(), |(b, _)| b)
    }

    /// The code-point index of byte offset `b` (a char boundary).
    pub fn char_offset(&self, s: &str, b: usize) -> usize {
        if self.ascii {
            b
        } else {
            s[..b].chars().count()
        }
    }

    /// `s[i]` for `0 <= i < len`.
    pub fn char_at(&self, s: &str, i: usize) -> Option<char> {
        if i >= self.len {
            return None;
        }
        if self.ascii {
            return Some(s.as_bytes()[i] as char);
        }
        s.chars().nth(i)
    }

    /// `s[start:end]` for code-point bounds (clamped to the length).
    pub fn slice<'a>(&self, s: &'a str, start: usize, end: usize) -> &'a str {
        let end = end.min(self.len);
        let start = start.min(end);
        if self.ascii {
            return &s[start..end];
        }
        &s[self.byte_offset(s, start)..self.byte_offset(s, end)]
    }
}

/// The number of code points in `s`.
pub fn char_count(s: &str) -> usize {
    CharIndex::new(s).len
}

/// Normalises a Python index (negative counts from the end) into `0..len`; `None` when out
/// of range (`IndexError: string index out of range` for the caller).
pub fn normalize_index(i: isize, len: usize) -> Option<usize> {
    let j = if i < 0 { i + len as isize } else { i };
    if j >= 0 && (j as usize) < len {
        Some(j as usize)
    } else {
        None
    }
}

/// CPython's `ADJUST_INDICES` for the `start`/`end` arguments of `find`, `count`,
/// `startswith`...: negative values count from the end and clamp at 0, `end` clamps at
/// `len`. `start` is *not* clamped to `len`, so `start > end` means an empty range that
/// even `''` does not match.
pub fn adjust_indices(start: Option<isize>, end: Option<isize>, len: usize) -> (usize, usize) {
    let len_i = len as isize;
    let fix = |v: isize| -> usize {
        if v < 0 {
            (v + len_i).max(0) as usize
        } else {
            v as usize
        }
    };
    let s = fix(start.unwrap_or(0));
    let e = match end {
        None => len,
        Some(e) if e > len_i => len,
        Some(e) => fix(e),
    };
    (s, e)
}

/// The byte range of the adjusted code-point range `[start, end)`, or `None` when
/// `end - start < min_len`.
fn byte_range(
    s: &str,
    idx: &CharIndex,
    start: Option<isize>,
    end: Option<isize>,
    min_len: usize,
) -> Option<(usize, usize, usize)> {
    let (st, en) = adjust_indices(start, end, idx.len);
    if en < st || en - st < min_len {
        return None;
    }
    Some((idx.byte_offset(s, st), idx.byte_offset(s, en), st))
}

// ----- searching -------------------------------------------------------------------------

/// `s.find(sub, start, end)`: the code-point index of the first match, or `None` (-1).
pub fn find(s: &str, sub: &str, start: Option<isize>, end: Option<isize>) -> Option<usize> {
    let idx = CharIndex::new(s);
    let sub_len = char_count(sub);
    let (b0, b1, st) = byte_range(s, &idx, start, end, sub_len)?;
    let hay = &s[b0..b1];
    hay.find(sub).map(|b| st + CharIndex::new(&hay[..b]).len)
}

/// `s.rfind(sub, start, end)`: the code-point index of the last match, or `None` (-1).
pub fn rfind(s: &str, sub: &str, start: Option<isize>, end: Option<isize>) -> Option<usize> {
    let idx = CharIndex::new(s);
    let sub_len = char_count(sub);
    let (b0, b1, st) = byte_range(s, &idx, start, end, sub_len)?;
    let hay = &s[b0..b1];
    hay.rfind(sub).map(|b| st + CharIndex::new(&hay[..b]).len)
}

fn not_found() -> ScalarError {
    ScalarError::value("substring not found")
}

/// `s.index(sub, start, end)`: like [`find`] but a `ValueError` when absent.
pub fn index(s: &str, sub: &str, start: Option<isize>, end: Option<isize>) -> ScalarResult<usize> {
    find(s, sub, start, end).ok_or_else(not_found)
}

/// `s.rindex(sub, start, end)`: like [`rfind`] but a `ValueError` when absent.
pub fn rindex(s: &str, sub: &str, start: Option<isize>, end: Option<isize>) -> ScalarResult<usize> {
    rfind(s, sub, start, end).ok_or_else(not_found)
}

/// `s.count(sub, start, end)`: non-overlapping matches (`len + 1` for an empty `sub`).
pub fn count(s: &str, sub: &str, start: Option<isize>, end: Option<isize>) -> usize {
    let idx = CharIndex::new(s);
    let sub_len = char_count(sub);
    let Some((b0, b1, _)) = byte_range(s, &idx, start, end, sub_len) else {
        return 0;
    };
    let hay = &s[b0..b1];
    if sub.is_empty() {
        return char_count(hay) + 1;
    }
    hay.matches(sub).count()
}

/// `s.startswith(prefix, start, end)` for one prefix (the caller loops over a tuple).
pub fn startswith(s: &str, prefix: &str, start: Option<isize>, end: Option<isize>) -> bool {
    let idx = CharIndex::new(s);
    match byte_range(s, &idx, start, end, char_count(prefix)) {
        Some((b0, b1, _)) => s[b0..b1].starts_with(prefix),
        None => false,
    }
}

/// `s.endswith(suffix, start, end)` for one suffix (the caller loops over a tuple).
pub fn endswith(s: &str, suffix: &str, start: Option<isize>, end: Option<isize>) -> bool {
    let idx = CharIndex::new(s);
    match byte_range(s, &idx, start, end, char_count(suffix)) {
        Some((b0, b1, _)) => s[b0..b1].ends_with(suffix),
        None => false,
    }
}

/// `s.replace(old, new, count)`; a negative `count` replaces every occurrence. An empty
/// `old` inserts `new` before every code point and at the end.
pub fn replace(s: &str, old: &str, new: &str, count: isize) -> String {
    let limit = if count < 0 {
        usize::MAX
    } else {
        count as usize
    };
    if limit == 0 {
        return s.to_string();
    }
    if old.is_empty() {
        let mut out = String::with_capacity(s.len() + new.len() * (s.len() + 1).min(limit));
        let mut done = 0;
        for (i, c) in s.char_indices() {
            if done == limit {
                out.push_str(&s[i..]);
                return out;
            }
            out.push_str(new);
            out.push(c);
            done += 1;
        }
        if done < limit {
            out.push_str(new);
        }
        return out;
    }
    if limit == usize::MAX {
        return s.replace(old, new);
    }
    s.replacen(old, new, limit)
}

// ----- splitting and joining ----------------------------------------------------------------

fn empty_separator() -> ScalarError {
    ScalarError::value("empty separator")
}

/// `s.split(sep, maxsplit)`; `sep == None` splits on runs of whitespace and drops empty
/// strings; a negative `maxsplit` means no limit.
pub fn split<'a>(s: &'a str, sep: Option<&str>, maxsplit: isize) -> ScalarResult<Vec<&'a str>> {
    let mut left = if maxsplit < 0 {
        usize::MAX
    } else {
        maxsplit as usize
    };
    let mut out = Vec::new();
    match sep {
        Some("") => return Err(empty_separator()),
        Some(sep) => {
            let mut rest = s;
            while left > 0 {
                match rest.find(sep) {
                    Some(i) => {
                        out.push(&rest[..i]);
                        rest = &rest[i + sep.len()..];
                        left -= 1;
                    }
                    None => break,
                }
            }
            out.push(rest);
        }
        None => {
            let mut rest = s.trim_start_matches(unicode::is_space);
            while !rest.is_empty() {
                if left == 0 {
                    out.push(rest);
                    break;
                }
                match rest.find(unicode::is_space) {
                    Some(i) => {
                        out.push(&rest[..i]);
                        rest = rest[i..].trim_start_matches(unicode::is_space);
                        left -= 1;
                    }
                    None => {
                        out.push(rest);
                        break;
                    }
                }
            }
        }
    }
    Ok(out)
}

/// `s.rsplit(sep, maxsplit)`: like [`split`] but splitting from the right.
pub fn rsplit<'a>(s: &'a str, sep: Option<&str>, maxsplit: isize) -> ScalarResult<Vec<&'a str>> {
    let mut left = if maxsplit < 0 {
        usize::MAX
    } else {
        maxsplit as usize
    };
    let mut out = Vec::new();
    match sep {
        Some("") => return Err(empty_separator()),
        Some(sep) => {
            let mut rest = s;
            while left > 0 {
                match rest.rfind(sep) {
                    Some(i) => {
                        out.push(&rest[i + sep.len()..]);
                        rest = &rest[..i];
                        left -= 1;
                    }
                    None => break,
                }
            }
            out.push(rest);
        }
        None => {
            let mut rest = s.trim_end_matches(unicode::is_space);
            while !rest.is_empty() {
                if left == 0 {
                    out.push(rest);
                    break;
                }
                match rest.rfind(unicode::is_space) {
                    Some(i) => {
                        let ws_len = rest[i..].chars().next().map_or(1, char::len_utf8);
                        out.push(&rest[i + ws_len..]);
                        rest = rest[..i].trim_end_matches(unicode::is_space);
                        left -= 1;
                    }
                    None => {
                        out.push(rest);
                        break;
                    }
                }
            }
        }
    }
    out.reverse();
    Ok(out)
}

/// `sep.join(items)`.
pub fn join<'a, I>(sep: &str, items: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    out
}

/// `s.partition(sep)`: `(before, sep, after)`, or `(s, "", "")` when `sep` is absent.
pub fn partition<'a>(s: &'a str, sep: &str) -> ScalarResult<(&'a str, &'a str, &'a str)> {
    if sep.is_empty() {
        return Err(empty_separator());
    }
    Ok(match s.find(sep) {
        Some(i) => (&s[..i], &s[i..i + sep.len()], &s[i + sep.len()..]),
        None => (s, "", ""),
    })
}

/// `s.rpartition(sep)`: `(before, sep, after)` at the last match, or `("", "", s)`.
pub fn rpartition<'a>(s: &'a str, sep: &str) -> ScalarResult<(&'a str, &'a str, &'a str)> {
    if sep.is_empty() {
        return Err(empty_separator());
    }
    Ok(match s.rfind(sep) {
        Some(i) => (&s[..i], &s[i..i + sep.len()], &s[i + sep.len()..]),
        None => ("", "", s),
    })
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// `s.splitlines(keepends)`: splits at `\n`, `\r`, `\r\n`, `\v`, `\f`, `\x1c`-`\x1e`,
/// `\x85`, U+2028 and U+2029.
pub fn splitlines(s: &str, keepends: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if !is_line_break(c) {
            continue;
        }
        let mut eol = i + c.len_utf8();
        if c == '\r' && it.peek().map(|&(_, n)| n) == Some('\n') {
            it.next();
            eol += 1;
        }
        out.push(if keepends {
            &s[start..eol]
        } else {
            &s[start..i]
        });
        start = eol;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// `s.expandtabs(tabsize)`: tabs to spaces up to the next multiple of `tabsize` (columns
/// restart after `\n` and `\r`); a `tabsize <= 0` removes tabs.
pub fn expandtabs(s: &str, tabsize: isize) -> String {
    let mut out = String::with_capacity(s.len());
    let mut col: usize = 0;
    for c in s.chars() {
        match c {
            '\t' => {
                if tabsize > 0 {
                    let n = tabsize as usize - col % tabsize as usize;
                    out.extend(core::iter::repeat_n(' ', n));
                    col += n;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    out
}

// ----- stripping -----------------------------------------------------------------------------

fn strip_pred(chars: Option<&str>) -> impl Fn(char) -> bool + '_ {
    move |c| match chars {
        None => unicode::is_space(c),
        Some(set) => set.contains(c),
    }
}

/// `s.strip(chars)`: whitespace when `chars` is `None`.
pub fn strip<'a>(s: &'a str, chars: Option<&str>) -> &'a str {
    s.trim_matches(strip_pred(chars))
}

/// `s.lstrip(chars)`.
pub fn lstrip<'a>(s: &'a str, chars: Option<&str>) -> &'a str {
    s.trim_start_matches(strip_pred(chars))
}

/// `s.rstrip(chars)`.
pub fn rstrip<'a>(s: &'a str, chars: Option<&str>) -> &'a str {
    s.trim_end_matches(strip_pred(chars))
}

/// `s.removeprefix(prefix)`.
pub fn removeprefix<'a>(s: &'a str, prefix: &str) -> &'a str {
    s.strip_prefix(prefix).unwrap_or(s)
}

/// `s.removesuffix(suffix)`.
pub fn removesuffix<'a>(s: &'a str, suffix: &str) -> &'a str {
    s.strip_suffix(suffix).unwrap_or(s)
}

// ----- padding ---------------------------------------------------------------------------

fn padded(s: &str, left: usize, right: usize, fill: char) -> String {
    let mut out = String::with_capacity(s.len() + (left + right) * fill.len_utf8());
    out.extend(core::iter::repeat_n(fill, left));
    out.push_str(s);
    out.extend(core::iter::repeat_n(fill, right));
    out
}

/// `s.center(width, fill)` (CPython puts the odd extra fill character on the right
/// unless both the margin and the width are odd).
pub fn center(s: &str, width: usize, fill: char) -> String {
    let len = char_count(s);
    if len >= width {
        return s.to_string();
    }
    let marg = width - len;
    let left = marg / 2 + (marg & width & 1);
    padded(s, left, marg - left, fill)
}

/// `s.ljust(width, fill)`.
pub fn ljust(s: &str, width: usize, fill: char) -> String {
    let len = char_count(s);
    padded(s, 0, width.saturating_sub(len), fill)
}

/// `s.rjust(width, fill)`.
pub fn rjust(s: &str, width: usize, fill: char) -> String {
    let len = char_count(s);
    padded(s, width.saturating_sub(len), 0, fill)
}

/// `s.zfill(width)`: zeros on the left, after a leading sign.
pub fn zfill(s: &str, width: usize) -> String {
    let len = char_count(s);
    if len >= width {
        return s.to_string();
    }
    let n = width - len;
    let mut out = String::with_capacity(width + s.len());
    let rest = match s.as_bytes().first() {
        Some(&b) if b == b'+' || b == b'-' => {
            out.push(b as char);
            &s[1..]
        }
        _ => s,
    };
    out.extend(core::iter::repeat_n('0', n));
    out.push_str(rest);
    out
}

// ----- case mapping ----------------------------------------------------------------------

/// Lowercase of the code point at `chars[i]`, with the final-sigma rule for U+03A3.
fn push_lower_at(chars: &[char], i: usize, out: &mut String) {
    let c = chars[i];
    if c != '\u{3a3}' {
        unicode::push_mapped(CaseMap::Lower, c, out);
        return;
    }
    let mut j = i;
    let mut final_sigma = false;
    while j > 0 {
        j -= 1;
        let p = chars[j];
        if !unicode::is_case_ignorable(p) {
            final_sigma = unicode::is_cased(p);
            break;
        }
    }
    if final_sigma {
        let mut k = i + 1;
        while k < chars.len() && unicode::is_case_ignorable(chars[k]) {
            k += 1;
        }
        final_sigma = k == chars.len() || !unicode::is_cased(chars[k]);
    }
    out.push(if final_sigma { '\u{3c2}' } else { '\u{3c3}' });
}

/// `s.lower()` (full mappings, final sigma).
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for i in 0..chars.len() {
        push_lower_at(&chars, i, &mut out);
    }
    out
}

fn map_all(s: &str, map: CaseMap) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        unicode::push_mapped(map, c, &mut out);
    }
    out
}

/// `s.upper()` (full mappings: `'ß'.upper() == 'SS'`).
pub fn upper(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    map_all(s, CaseMap::Upper)
}

/// `s.casefold()`.
pub fn casefold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    map_all(s, CaseMap::Fold)
}

/// `s.title()`: titlecase after uncased characters, lowercase after cased ones.
pub fn title(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut previous_is_cased = false;
    for (i, &c) in chars.iter().enumerate() {
        if previous_is_cased {
            push_lower_at(&chars, i, &mut out);
        } else {
            unicode::push_mapped(CaseMap::Title, c, &mut out);
        }
        previous_is_cased = unicode::is_cased(c);
    }
    out
}

/// `s.capitalize()`: the first character titlecased, the rest lowercased.
pub fn capitalize(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if i == 0 {
            unicode::push_mapped(CaseMap::Title, c, &mut out);
        } else {
            push_lower_at(&chars, i, &mut out);
        }
    }
    out
}

/// `s.swapcase()`: uppercase characters lowered, lowercase ones uppered, others kept.
pub fn swapcase(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if unicode::is_upper(c) {
            push_lower_at(&chars, i, &mut out);
        } else if unicode::is_lower(c) {
            unicode::push_mapped(CaseMap::Upper, c, &mut out);
        } else {
            out.push(c);
        }
    }
    out
}

// ----- predicates ------------------------------------------------------------------------

fn all_nonempty(s: &str, pred: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(pred)
}

/// `s.isspace()`.
pub fn isspace(s: &str) -> bool {
    all_nonempty(s, unicode::is_space)
}

/// `s.isalpha()`.
pub fn isalpha(s: &str) -> bool {
    all_nonempty(s, unicode::is_alpha)
}

/// `s.isalnum()`: every character alphabetic, decimal, digit or numeric.
pub fn isalnum(s: &str) -> bool {
    all_nonempty(s, |c| {
        unicode::is_alpha(c)
            || unicode::is_decimal(c)
            || unicode::is_digit(c)
            || unicode::is_numeric(c)
    })
}

/// `s.isdecimal()`.
pub fn isdecimal(s: &str) -> bool {
    all_nonempty(s, unicode::is_decimal)
}

/// `s.isdigit()`.
pub fn isdigit(s: &str) -> bool {
    all_nonempty(s, unicode::is_digit)
}

/// `s.isnumeric()`.
pub fn isnumeric(s: &str) -> bool {
    all_nonempty(s, unicode::is_numeric)
}

/// `s.isprintable()` (true for the empty string).
pub fn isprintable(s: &str) -> bool {
    s.chars().all(unicode::is_printable)
}

/// `s.isascii()` (true for the empty string).
pub fn isascii(s: &str) -> bool {
    s.is_ascii()
}

/// `s.isupper()`: at least one cased character and no lowercase or titlecase ones.
pub fn isupper(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if unicode::is_lower(c) || unicode::is_title(c) {
            return false;
        }
        if unicode::is_upper(c) {
            cased = true;
        }
    }
    cased
}

/// `s.islower()`: at least one cased character and no uppercase or titlecase ones.
pub fn islower(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if unicode::is_upper(c) || unicode::is_title(c) {
            return false;
        }
        if unicode::is_lower(c) {
            cased = true;
        }
    }
    cased
}

/// `s.istitle()`: uppercase/titlecase characters only after uncased ones, lowercase only
/// after cased ones, and at least one cased character.
pub fn istitle(s: &str) -> bool {
    let mut cased = false;
    let mut previous_is_cased = false;
    for c in s.chars() {
        if unicode::is_upper(c) || unicode::is_title(c) {
            if previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            cased = true;
        } else if unicode::is_lower(c) {
            if !previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            cased = true;
        } else {
            previous_is_cased = false;
        }
    }
    cased
}

/// `s.isidentifier()`: XID_Start (or `_`) then XID_Continue characters.
pub fn isidentifier(s: &str) -> bool {
    let mut it = s.chars();
    match it.next() {
        Some(c) if unicode::is_id_start(c) => it.all(unicode::is_id_continue),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_quotes_and_escapes() {
        assert_eq!(repr("a'b"), "\"a'b\"");
        assert_eq!(repr("a'b\""), "'a\\'b\"'");
        assert_eq!(repr("\t\n\r\x00\x7f\\"), "'\\t\\n\\r\\x00\\x7f\\\\'");
        assert_eq!(
            repr("é\u{ad}\u{2028}\u{e0001}"),
            "'é\\xad\\u2028\\U000e0001'"
        );
        assert_eq!(ascii("é"), "'\\xe9'");
    }

    #[test]
    fn indexing() {
        let s = "aé€😀b";
        let idx = CharIndex::new(s);
        assert_eq!(idx.len, 5);
        assert_eq!(idx.char_at(s, 3), Some('😀'));
        assert_eq!(idx.slice(s, 1, 4), "é€😀");
        assert_eq!(normalize_index(-1, 5), Some(4));
        assert_eq!(normalize_index(5, 5), None);
    }

    #[test]
    fn searching() {
        assert_eq!(find("aé€😀b", "b", None, None), Some(4));
        assert_eq!(find("abc", "", Some(3), None), Some(3));
        assert_eq!(find("abc", "", Some(4), None), None);
        assert_eq!(count("abc", "", None, None), 4);
        assert_eq!(count("abc", "", Some(5), None), 0);
        assert!(startswith("abc", "", Some(3), None));
        assert!(!startswith("abc", "", Some(4), None));
        assert_eq!(rfind("abcabc", "bc", None, Some(-1)), Some(1));
        assert_eq!(replace("abc", "", "-", 2), "-a-bc");
        assert_eq!(replace("", "", "x", -1), "x");
    }

    #[test]
    fn splitting() {
        assert_eq!(split("  a b  c  ", None, 1).unwrap(), ["a", "b  c  "]);
        assert_eq!(rsplit("  a b  c  ", None, 1).unwrap(), ["  a b", "c"]);
        assert_eq!(rsplit("a,b,,c", Some(","), 2).unwrap(), ["a,b", "", "c"]);
        assert!(split("", None, -1).unwrap().is_empty());
        assert_eq!(split("", Some(","), -1).unwrap(), [""]);
        assert!(split("a", Some(""), -1).is_err());
        assert_eq!(splitlines("a\r\nb\u{85}c\n", false), ["a", "b", "c"]);
        assert_eq!(splitlines("a\r\nb", true), ["a\r\n", "b"]);
    }

    #[test]
    fn casing() {
        assert_eq!(lower("ΑΣ ΑΣ"), "ας ας");
        assert_eq!(title("ΑΣ ΑΣ"), "Ας Ας");
        assert_eq!(upper("straße"), "STRASSE");
        assert_eq!(casefold("Straße"), "strasse");
        assert_eq!(capitalize("ǆa"), "ǅa");
        assert_eq!(swapcase("aΣ"), "Aς");
        assert_eq!(title("a's"), "A'S");
    }

    #[test]
    fn predicates() {
        assert!(istitle("Hello World"));
        assert!(!istitle("Hello world"));
        assert!(isupper("ABC1"));
        assert!(!isupper("123"));
        assert!(isidentifier("_é1"));
        assert!(!isidentifier("1a"));
        assert!(isnumeric("½") && !isdigit("½"));
        assert!(isprintable(""));
    }

    #[test]
    fn padding() {
        assert_eq!(center("abc", 6, ' '), " abc  ");
        assert_eq!(center("ab", 5, '*'), "**ab*");
        assert_eq!(zfill("-42", 6), "-00042");
        assert_eq!(expandtabs("ab\r\tc", 8), "ab\r        c");
    }
}
