//! Python `bytes` semantics over byte slices: repr, hex, searching, splitting, stripping,
//! and the strict `utf-8`, `ascii` and `latin-1` codecs with CPython's error reports.
//!
//! Positions (`start`/`end` arguments, results) are byte indices with Python's slice
//! clamping ([`super::str::adjust_indices`]). Whitespace for bytes is ASCII whitespace
//! (`b' \t\n\r\x0b\x0c'`), as in CPython.

use core::fmt;

use super::str::adjust_indices;
use super::{ErrorKind, ScalarError, ScalarResult, hash as numhash};

/// `repr(b)`: `b'...'` with `\\`, the quote, `\t`, `\n`, `\r` escaped and other bytes
/// outside `0x20..0x7f` as `\xNN`; double quotes when `b` has `'` and no `"`.
pub fn repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote as char);
    out
}

/// weft's deterministic bytes hash (not CPython's randomised one; never `-1`).
pub fn hash(b: &[u8]) -> i64 {
    numhash::hash_bytes(b)
}

/// `b.hex()`, or `b.hex(sep, bytes_per_sep)` with a separator every `|bytes_per_sep|`
/// bytes counted from the right (positive) or the left (negative). `sep` must be ASCII.
pub fn hex(b: &[u8], sep: Option<char>, bytes_per_sep: isize) -> ScalarResult<String> {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(b.len() * 3);
    let sep = match sep {
        Some(c) if !c.is_ascii() => return Err(ScalarError::value("sep must be ASCII.")),
        Some(c) if bytes_per_sep != 0 => Some(c),
        _ => None,
    };
    let group = bytes_per_sep.unsigned_abs().max(1);
    for (i, &byte) in b.iter().enumerate() {
        if let Some(s) = sep
            && i > 0
        {
            let boundary = if bytes_per_sep > 0 {
                (b.len() - i).is_multiple_of(group)
            } else {
                i % group == 0
            };
            if boundary {
                out.push(s);
            }
        }
        out.push(DIGITS[(byte >> 4) as usize] as char);
        out.push(DIGITS[(byte & 15) as usize] as char);
    }
    Ok(out)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// `bytes.fromhex(s)`: pairs of hex digits, ASCII whitespace allowed between pairs.
pub fn fromhex(s: &str) -> ScalarResult<Vec<u8>> {
    let err = |pos: usize| {
        ScalarError::value(format!(
            "non-hexadecimal number found in fromhex() arg at position {pos}"
        ))
    };
    if let Some(i) = s.chars().position(|c| !c.is_ascii()) {
        return Err(err(i));
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 2);
    let mut i = 0;
    while i < b.len() {
        if is_space(b[i]) {
            i += 1;
            continue;
        }
        let hi = (b[i] as char).to_digit(16).ok_or_else(|| err(i))?;
        let lo = b
            .get(i + 1)
            .and_then(|&c| (c as char).to_digit(16))
            .ok_or_else(|| err(i + 1))?;
        out.push((hi * 16 + lo) as u8);
        i += 2;
    }
    Ok(out)
}

fn find_sub(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    if needle.len() > hay.len() {
        return None;
    }
    if needle.len() == 1 {
        return hay.iter().position(|&c| c == needle[0]);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind_sub(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(hay.len());
    }
    if needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn range(
    len: usize,
    start: Option<isize>,
    end: Option<isize>,
    min: usize,
) -> Option<(usize, usize)> {
    let (s, e) = adjust_indices(start, end, len);
    if e < s || e - s < min {
        None
    } else {
        Some((s, e))
    }
}

/// `b.find(sub, start, end)`, or `None` for -1.
pub fn find(b: &[u8], sub: &[u8], start: Option<isize>, end: Option<isize>) -> Option<usize> {
    let (s, e) = range(b.len(), start, end, sub.len())?;
    find_sub(&b[s..e], sub).map(|i| i + s)
}

/// `b.rfind(sub, start, end)`, or `None` for -1.
pub fn rfind(b: &[u8], sub: &[u8], start: Option<isize>, end: Option<isize>) -> Option<usize> {
    let (s, e) = range(b.len(), start, end, sub.len())?;
    rfind_sub(&b[s..e], sub).map(|i| i + s)
}

/// `b.index(sub, start, end)`: a `ValueError` when absent.
pub fn index(
    b: &[u8],
    sub: &[u8],
    start: Option<isize>,
    end: Option<isize>,
) -> ScalarResult<usize> {
    find(b, sub, start, end).ok_or_else(|| ScalarError::value("subsection not found"))
}

/// `b.count(sub, start, end)`: non-overlapping occurrences.
pub fn count(b: &[u8], sub: &[u8], start: Option<isize>, end: Option<isize>) -> usize {
    let Some((s, e)) = range(b.len(), start, end, sub.len()) else {
        return 0;
    };
    let hay = &b[s..e];
    if sub.is_empty() {
        return hay.len() + 1;
    }
    let mut n = 0;
    let mut i = 0;
    while let Some(k) = find_sub(&hay[i..], sub) {
        n += 1;
        i += k + sub.len();
    }
    n
}

/// `b.startswith(prefix, start, end)` for one prefix.
pub fn startswith(b: &[u8], prefix: &[u8], start: Option<isize>, end: Option<isize>) -> bool {
    range(b.len(), start, end, prefix.len()).is_some_and(|(s, e)| b[s..e].starts_with(prefix))
}

/// `b.endswith(suffix, start, end)` for one suffix.
pub fn endswith(b: &[u8], suffix: &[u8], start: Option<isize>, end: Option<isize>) -> bool {
    range(b.len(), start, end, suffix.len()).is_some_and(|(s, e)| b[s..e].ends_with(suffix))
}

/// `b.split(sep, maxsplit)`: on runs of ASCII whitespace when `sep` is `None`.
pub fn split<'a>(b: &'a [u8], sep: Option<&[u8]>, maxsplit: isize) -> ScalarResult<Vec<&'a [u8]>> {
    let mut left = if maxsplit < 0 {
        usize::MAX
    } else {
        maxsplit as usize
    };
    let mut out = Vec::new();
    match sep {
        Some([]) => return Err(ScalarError::value("empty separator")),
        Some(sep) => {
            let mut rest = b;
            while left > 0 {
                match find_sub(rest, sep) {
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
            let mut rest = lstrip(b, None);
            while !rest.is_empty() {
                if left == 0 {
                    out.push(rest);
                    break;
                }
                match rest.iter().position(|&c| is_space(c)) {
                    Some(i) => {
                        out.push(&rest[..i]);
                        rest = lstrip(&rest[i..], None);
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

fn strip_set(chars: Option<&[u8]>) -> impl Fn(u8) -> bool + '_ {
    move |c| match chars {
        None => is_space(c),
        Some(set) => set.contains(&c),
    }
}

/// `b.lstrip(chars)`.
pub fn lstrip<'a>(b: &'a [u8], chars: Option<&[u8]>) -> &'a [u8] {
    let p = strip_set(chars);
    let i = b.iter().position(|&c| !p(c)).unwrap_or(b.len());
    &b[i..]
}

/// `b.rstrip(chars)`.
pub fn rstrip<'a>(b: &'a [u8], chars: Option<&[u8]>) -> &'a [u8] {
    let p = strip_set(chars);
    let i = b.iter().rposition(|&c| !p(c)).map_or(0, |i| i + 1);
    &b[..i]
}

/// `b.strip(chars)`.
pub fn strip<'a>(b: &'a [u8], chars: Option<&[u8]>) -> &'a [u8] {
    rstrip(lstrip(b, chars), chars)
}

/// `sep.join(items)`.
pub fn join<'a, I>(sep: &[u8], items: I) -> Vec<u8>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(sep);
        }
        out.extend_from_slice(item);
    }
    out
}

// ----- codecs ------------------------------------------------------------------------------

/// The codecs implemented here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    /// UTF-8.
    Utf8,
    /// 7-bit ASCII.
    Ascii,
    /// ISO-8859-1.
    Latin1,
}

impl Codec {
    /// Looks an encoding name up the way Python normalises names (case, `-`, `_`, spaces):
    /// `utf-8`, `utf8`, `u8`, `ascii`, `us-ascii`, `latin-1`, `latin1`, `iso-8859-1`,
    /// `l1`, ... `None` means CPython would raise `LookupError: unknown encoding: NAME`
    /// (for the codecs weft has not implemented here).
    pub fn lookup(name: &str) -> Option<Codec> {
        let norm: String = name
            .trim()
            .chars()
            .map(|c| match c {
                '-' | ' ' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        match norm.as_str() {
            "utf_8" | "utf8" | "u8" | "utf" | "cp65001" => Some(Codec::Utf8),
            "ascii" | "us_ascii" | "646" | "us" | "ansi_x3.4_1968" | "iso646_us" => {
                Some(Codec::Ascii)
            }
            "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859"
            | "cp819" | "iso_ir_100" => Some(Codec::Latin1),
            _ => None,
        }
    }

    /// The canonical name CPython uses in messages: `utf-8`, `ascii`, `latin-1`.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
        }
    }
}

/// A strict decoding failure: the data of a `UnicodeDecodeError`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// The codec name (`utf-8`, `ascii`).
    pub encoding: &'static str,
    /// The first offending byte index.
    pub start: usize,
    /// One past the last offending byte.
    pub end: usize,
    /// Why: `invalid start byte`, `invalid continuation byte`, `unexpected end of data`,
    /// `ordinal not in range(128)`.
    pub reason: &'static str,
    /// The byte at `start` (shown when the range is one byte long).
    pub byte: u8,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.end == self.start + 1 {
            write!(
                f,
                "'{}' codec can't decode byte 0x{:02x} in position {}: {}",
                self.encoding, self.byte, self.start, self.reason
            )
        } else {
            write!(
                f,
                "'{}' codec can't decode bytes in position {}-{}: {}",
                self.encoding,
                self.start,
                self.end - 1,
                self.reason
            )
        }
    }
}

impl From<DecodeError> for ScalarError {
    fn from(e: DecodeError) -> ScalarError {
        ScalarError::new(ErrorKind::UnicodeDecodeError, e.to_string())
    }
}

/// A strict encoding failure: the data of a `UnicodeEncodeError`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError {
    /// The codec name (`ascii`, `latin-1`).
    pub encoding: &'static str,
    /// The first offending code-point index.
    pub start: usize,
    /// One past the last offending code point of the run.
    pub end: usize,
    /// Why: `ordinal not in range(128)` or `ordinal not in range(256)`.
    pub reason: &'static str,
    /// The code point at `start`.
    pub ch: char,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.end == self.start + 1 {
            let v = self.ch as u32;
            let esc = if v <= 0xff {
                format!("\\x{v:02x}")
            } else if v <= 0xffff {
                format!("\\u{v:04x}")
            } else {
                format!("\\U{v:08x}")
            };
            write!(
                f,
                "'{}' codec can't encode character '{esc}' in position {}: {}",
                self.encoding, self.start, self.reason
            )
        } else {
            write!(
                f,
                "'{}' codec can't encode characters in position {}-{}: {}",
                self.encoding,
                self.start,
                self.end - 1,
                self.reason
            )
        }
    }
}

impl From<EncodeError> for ScalarError {
    fn from(e: EncodeError) -> ScalarError {
        ScalarError::new(ErrorKind::UnicodeEncodeError, e.to_string())
    }
}

/// `b.decode(codec)` with `errors='strict'`.
pub fn decode(b: &[u8], codec: Codec) -> Result<String, DecodeError> {
    match codec {
        Codec::Utf8 => match core::str::from_utf8(b) {
            Ok(s) => Ok(s.to_string()),
            Err(e) => {
                let start = e.valid_up_to();
                let byte = b[start];
                let (end, reason) = match e.error_len() {
                    None => (b.len(), "unexpected end of data"),
                    Some(n) => {
                        let invalid_start = matches!(byte, 0x80..=0xc1 | 0xf5..=0xff);
                        if invalid_start {
                            (start + 1, "invalid start byte")
                        } else {
                            (start + n, "invalid continuation byte")
                        }
                    }
                };
                Err(DecodeError {
                    encoding: "utf-8",
                    start,
                    end,
                    reason,
                    byte,
                })
            }
        },
        Codec::Ascii => match b.iter().position(|&c| c >= 0x80) {
            None => Ok(b.iter().map(|&c| c as char).collect()),
            Some(i) => Err(DecodeError {
                encoding: "ascii",
                start: i,
                end: i + 1,
                reason: "ordinal not in range(128)",
                byte: b[i],
            }),
        },
        Codec::Latin1 => Ok(b.iter().map(|&c| c as char).collect()),
    }
}

/// `s.encode(codec)` with `errors='strict'`; the error spans the whole run of unencodable
/// code points, as CPython reports it.
pub fn encode(s: &str, codec: Codec) -> Result<Vec<u8>, EncodeError> {
    let (limit, reason) = match codec {
        Codec::Utf8 => return Ok(s.as_bytes().to_vec()),
        Codec::Ascii => (0x80u32, "ordinal not in range(128)"),
        Codec::Latin1 => (0x100u32, "ordinal not in range(256)"),
    };
    let mut out = Vec::with_capacity(s.len());
    let mut it = s.chars().enumerate().peekable();
    while let Some((i, c)) = it.next() {
        if (c as u32) < limit {
            out.push(c as u32 as u8);
            continue;
        }
        let mut end = i + 1;
        while let Some(&(_, d)) = it.peek() {
            if (d as u32) < limit {
                break;
            }
            it.next();
            end += 1;
        }
        return Err(EncodeError {
            encoding: codec.name(),
            start: i,
            end,
            reason,
            ch: c,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_and_hex() {
        assert_eq!(repr(b"\x00'\""), "b'\\x00\\'\"'");
        assert_eq!(repr(b"it's"), "b\"it's\"");
        assert_eq!(hex(b"abcde", Some('-'), 2).unwrap(), "61-6263-6465");
        assert_eq!(hex(b"abcde", Some('-'), -2).unwrap(), "6162-6364-65");
        assert!(hex(b"", Some('é'), 1).is_err());
        assert_eq!(fromhex(" ab  cd\n").unwrap(), [0xab, 0xcd]);
        assert_eq!(
            fromhex("ab cx").unwrap_err().message,
            "non-hexadecimal number found in fromhex() arg at position 4"
        );
    }

    #[test]
    fn codecs() {
        let e = decode(b"\xe2\x82x", Codec::Utf8).unwrap_err();
        assert_eq!(
            e.to_string(),
            "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte"
        );
        let e = decode(b"a\xff", Codec::Utf8).unwrap_err();
        assert_eq!(
            e.to_string(),
            "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte"
        );
        let e = encode("aéb€", Codec::Latin1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "'latin-1' codec can't encode character '\\u20ac' in position 3: ordinal not in range(256)"
        );
        assert_eq!(Codec::lookup("UTF-8"), Some(Codec::Utf8));
        assert_eq!(Codec::lookup("foo"), None);
        assert_eq!(decode(b"\xe9", Codec::Latin1).unwrap(), "é");
    }

    #[test]
    fn searching_and_splitting() {
        assert_eq!(find(b"abcabc", b"c", Some(3), None), Some(5));
        assert_eq!(rfind(b"abcabc", b"ab", None, None), Some(3));
        assert_eq!(count(b"aaaa", b"aa", None, None), 2);
        assert_eq!(
            split(b" a \x1c", None, -1).unwrap(),
            [&b"a"[..], &b"\x1c"[..]]
        );
        assert_eq!(strip(b"\x1c a", None), b"\x1c a");
        assert_eq!(join(b", ", [&b"a"[..], b"b"]), b"a, b");
    }
}
