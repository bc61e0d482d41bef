//! Lookups into the generated Unicode tables ([`super::unicode_db`]), with ASCII fast paths.
//!
//! The tables come from CPython 3.11 (Unicode 14.0.0), so weft classifies and case-maps code
//! points exactly as the reference interpreter does, independently of the Unicode version
//! built into Rust's `char` methods.

use super::unicode_db as db;

/// Whether `c` lies in one of the sorted, disjoint, inclusive `ranges`.
fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    // The first range whose end is >= c.
    let i = ranges.partition_point(|&(_, hi)| hi < c);
    i < ranges.len() && ranges[i].0 <= c
}

/// `str.isprintable()` for one code point.
pub(crate) fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    in_ranges(db::PRINTABLE, c)
}

/// `str.isspace()` for one code point (also the whitespace of `split()`, `strip()`, `int()`).
pub(crate) fn is_space(c: char) -> bool {
    if c.is_ascii() {
        return matches!(
            c,
            ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '\x1c'..='\x1f'
        );
    }
    in_ranges(db::SPACE, c)
}

/// `str.isalpha()` for one code point.
pub(crate) fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_ranges(db::ALPHA, c)
}

/// `str.isdecimal()` for one code point.
pub(crate) fn is_decimal(c: char) -> bool {
    decimal_value(c).is_some()
}

/// The value of a decimal digit (any script), as `int()` and `float()` read it.
pub(crate) fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii() {
        return c.to_digit(10);
    }
    let c = c as u32;
    let i = db::DECIMAL_ZEROS.partition_point(|&z| z <= c);
    if i == 0 {
        return None;
    }
    let zero = db::DECIMAL_ZEROS[i - 1];
    if c - zero < 10 { Some(c - zero) } else { None }
}

/// `str.isdigit()` for one code point.
pub(crate) fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_ranges(db::DIGIT, c)
}

/// `str.isnumeric()` for one code point.
pub(crate) fn is_numeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_ranges(db::NUMERIC, c)
}

/// The uppercase flag CPython's `str.isupper()` reads per code point.
pub(crate) fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    in_ranges(db::UPPER, c)
}

/// The lowercase flag CPython's `str.islower()` reads per code point.
pub(crate) fn is_lower(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_lowercase();
    }
    in_ranges(db::LOWER, c)
}

/// Titlecase letters (category Lt).
pub(crate) fn is_title(c: char) -> bool {
    !c.is_ascii() && in_ranges(db::TITLE, c)
}

/// Cased code points (upper, lower or title).
pub(crate) fn is_cased(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_ranges(db::CASED, c)
}

/// Case-ignorable code points (used by the final sigma rule of `lower()`).
pub(crate) fn is_case_ignorable(c: char) -> bool {
    in_ranges(db::CASE_IGNORABLE, c)
}

/// Whether `c` may start an identifier (XID_Start or `_`).
pub(crate) fn is_id_start(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || c == '_';
    }
    in_ranges(db::ID_START, c)
}

/// Whether `c` may continue an identifier (XID_Continue).
pub(crate) fn is_id_continue(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    in_ranges(db::ID_CONTINUE, c)
}

/// Which case mapping to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CaseMap {
    /// Full lowercase mapping (no final-sigma context).
    Lower,
    /// Full uppercase mapping.
    Upper,
    /// Full titlecase mapping.
    Title,
    /// Full case folding.
    Fold,
}

/// Appends the full mapping of `c` under `map` to `out`.
pub(crate) fn push_mapped(map: CaseMap, c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(match map {
            CaseMap::Lower | CaseMap::Fold => c.to_ascii_lowercase(),
            CaseMap::Upper | CaseMap::Title => c.to_ascii_uppercase(),
        });
        return;
    }
    let (runs, multi) = match map {
        CaseMap::Lower => (db::LOWER_MAP_RUNS, db::LOWER_MAP_MULTI),
        CaseMap::Upper => (db::UPPER_MAP_RUNS, db::UPPER_MAP_MULTI),
        CaseMap::Title => (db::TITLE_MAP_RUNS, db::TITLE_MAP_MULTI),
        CaseMap::Fold => (db::FOLD_MAP_RUNS, db::FOLD_MAP_MULTI),
    };
    let cp = c as u32;
    if let Ok(i) = multi.binary_search_by_key(&cp, |&(k, _)| k) {
        out.push_str(multi[i].1);
        return;
    }
    let i = runs.partition_point(|&(first, _, _, _)| first <= cp);
    if i > 0 {
        let (first, last, stride, delta) = runs[i - 1];
        if cp <= last && (cp - first).is_multiple_of(stride) {
            let mapped = (cp as i64 + delta as i64) as u32;
            if let Some(m) = char::from_u32(mapped) {
                out.push(m);
                return;
            }
        }
    }
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_samples() {
        assert!(is_space('\u{3000}'));
        assert!(!is_space('\u{200b}'));
        assert!(is_printable('é'));
        assert!(!is_printable('\u{ad}'));
        assert_eq!(decimal_value('٣'), Some(3));
        assert_eq!(decimal_value('²'), None);
        assert!(is_digit('²') && !is_decimal('²'));
        assert!(is_numeric('½') && !is_digit('½'));
        assert!(is_title('ǅ') && is_cased('ǅ'));
        assert!(is_case_ignorable('\''));
        assert!(is_id_start('é') && !is_id_start('1') && is_id_continue('1'));
    }

    #[test]
    fn mapping_samples() {
        let map = |m, c| {
            let mut s = String::new();
            push_mapped(m, c, &mut s);
            s
        };
        assert_eq!(map(CaseMap::Upper, 'ß'), "SS");
        assert_eq!(map(CaseMap::Title, 'ß'), "Ss");
        assert_eq!(map(CaseMap::Fold, 'ß'), "ss");
        assert_eq!(map(CaseMap::Lower, 'ß'), "ß");
        assert_eq!(map(CaseMap::Lower, 'İ'), "i\u{307}");
        assert_eq!(map(CaseMap::Title, 'ǆ'), "ǅ");
        assert_eq!(map(CaseMap::Upper, 'ā'), "Ā");
        assert_eq!(map(CaseMap::Lower, 'Ā'), "ā");
        assert_eq!(map(CaseMap::Upper, 'ω'), "Ω");
    }
}
