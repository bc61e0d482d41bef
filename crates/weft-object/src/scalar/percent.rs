//! The core of printf-style `str % args` formatting.
//!
//! Supported: `%s %r %a %c %d %i %u %o %x %X %e %E %f %F %g %G %%`, mapping keys
//! `%(name)s`, flags `-+ #0`, width and precision (also `*`), and the ignored length
//! modifiers `h l L`. Argument handling (tuple, single value, mapping), the order in which
//! errors are detected, and every message follow CPython 3.11.
//!
//! The formatter does not know Python objects: each argument implements [`PercentArg`],
//! which answers `str()`, `repr()` and the numeric view of the value. [`PercentValue`] is a
//! ready-made implementation for plain scalars.

use super::float;
use super::int::{self, Int};
use super::{ScalarError, ScalarResult};

/// The numeric nature of a `%` argument.
#[derive(Clone, Debug, PartialEq)]
pub enum NumberView {
    /// An int, or anything with `__index__` (bool included).
    Int(Int),
    /// A float, or anything with only `__float__`/`__int__` (used for `%d` by truncation,
    /// refused by `%x`/`%o`).
    Float(f64),
    /// Not a number.
    NotNumber,
}

/// What the formatter needs to know about one argument.
pub trait PercentArg {
    /// The Python type name, for error messages (`"str"`, `"float"`, ...).
    fn type_name(&self) -> String;
    /// `str(self)`.
    fn str(&self) -> ScalarResult<String>;
    /// `repr(self)`.
    fn repr(&self) -> ScalarResult<String>;
    /// `ascii(self)`: by default `repr(self)` with non-ASCII characters escaped.
    fn ascii(&self) -> ScalarResult<String> {
        Ok(super::str::escape_non_ascii(&self.repr()?))
    }
    /// The numeric view of the value.
    fn number(&self) -> ScalarResult<NumberView>;
    /// The character when the value is a str of exactly one code point.
    fn single_char(&self) -> Option<char>;
}

/// The right operand of `%`.
pub enum PercentArgs<'a, A> {
    /// A tuple: its items are the arguments.
    Tuple(&'a [A]),
    /// Any other single object (not a tuple, not a mapping).
    Single(&'a A),
    /// A mapping (not a tuple or str): `%(key)s` looks keys up with `lookup`, and a plain
    /// `%s` formats the mapping object itself.
    Mapping {
        /// The mapping object.
        mapping: &'a A,
        /// `mapping[key]`; its error (usually a `KeyError`) is the caller's to report, so
        /// it is passed through unchanged.
        lookup: &'a dyn Fn(&str) -> ScalarResult<A>,
    },
}

/// A plain scalar implementing [`PercentArg`] with Python's `str`/`repr` rules.
#[derive(Clone, Debug, PartialEq)]
pub enum PercentValue {
    /// `None`.
    None,
    /// A bool.
    Bool(bool),
    /// An int.
    Int(Int),
    /// A float.
    Float(f64),
    /// A str.
    Str(String),
}

impl PercentArg for PercentValue {
    fn type_name(&self) -> String {
        match self {
            PercentValue::None => "NoneType",
            PercentValue::Bool(_) => "bool",
            PercentValue::Int(_) => "int",
            PercentValue::Float(_) => "float",
            PercentValue::Str(_) => "str",
        }
        .to_string()
    }

    fn str(&self) -> ScalarResult<String> {
        match self {
            PercentValue::Str(s) => Ok(s.clone()),
            other => other.repr(),
        }
    }

    fn repr(&self) -> ScalarResult<String> {
        Ok(match self {
            PercentValue::None => "None".to_string(),
            PercentValue::Bool(b) => if *b { "True" } else { "False" }.to_string(),
            PercentValue::Int(i) => i.to_str_checked(int::max_str_digits())?,
            PercentValue::Float(x) => float::repr(*x),
            PercentValue::Str(s) => super::str::repr(s),
        })
    }

    fn number(&self) -> ScalarResult<NumberView> {
        Ok(match self {
            PercentValue::Bool(b) => NumberView::Int(Int::from(*b)),
            PercentValue::Int(i) => NumberView::Int(i.clone()),
            PercentValue::Float(x) => NumberView::Float(*x),
            _ => NumberView::NotNumber,
        })
    }

    fn single_char(&self) -> Option<char> {
        match self {
            PercentValue::Str(s) => {
                let mut it = s.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) => Some(c),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

#[derive(Default)]
struct Flags {
    ljust: bool,
    sign: bool,
    blank: bool,
    alt: bool,
    zero: bool,
}

enum Which {
    Tuple(usize),
    Whole,
    Owned,
}

struct Args<'a, A> {
    args: &'a PercentArgs<'a, A>,
    owned: Option<A>,
    arglen: isize,
    argidx: isize,
}

impl<'a, A: PercentArg> Args<'a, A> {
    fn next(&mut self) -> ScalarResult<Which> {
        if self.argidx < self.arglen {
            let i = self.argidx;
            self.argidx += 1;
            if self.arglen < 0 {
                return Ok(if self.owned.is_some() {
                    Which::Owned
                } else {
                    Which::Whole
                });
            }
            return Ok(Which::Tuple(i as usize));
        }
        Err(ScalarError::type_error(
            "not enough arguments for format string",
        ))
    }

    fn get(&self, w: &Which) -> &A {
        match (w, self.args) {
            (Which::Owned, _) => self.owned.as_ref().expect("owned argument"),
            (Which::Tuple(i), PercentArgs::Tuple(t)) => &t[*i],
            (_, PercentArgs::Single(a)) => a,
            (_, PercentArgs::Mapping { mapping, .. }) => mapping,
            (Which::Whole, PercentArgs::Tuple(_)) => unreachable!("a tuple is never used whole"),
        }
    }

    fn star(&mut self) -> ScalarResult<isize> {
        let w = self.next()?;
        let a = self.get(&w);
        match a.number()? {
            NumberView::Int(i) => {
                // CPython reads the value as a C int.
                i.as_i64()
                    .and_then(|v| i32::try_from(v).ok())
                    .map(|v| v as isize)
                    .ok_or_else(|| {
                        ScalarError::overflow("Python int too large to convert to C int")
                    })
            }
            _ => Err(ScalarError::type_error("* wants int")),
        }
    }
}

/// Pads `body` to `width` with spaces (left-justified with the `-` flag).
fn pad_text(out: &mut String, body: &str, width: usize, ljust: bool) {
    let n = width.saturating_sub(body.chars().count());
    if !ljust {
        out.extend(core::iter::repeat_n(' ', n));
    }
    out.push_str(body);
    if ljust {
        out.extend(core::iter::repeat_n(' ', n));
    }
}

/// Lays out a number: sign and prefix, then zeros (with `0` and no `-`), then the body.
fn pad_number(out: &mut String, sign: &str, prefix: &str, body: &str, width: usize, f: &Flags) {
    let len = sign.len() + prefix.len() + body.chars().count();
    let n = width.saturating_sub(len);
    if f.ljust {
        out.push_str(sign);
        out.push_str(prefix);
        out.push_str(body);
        out.extend(core::iter::repeat_n(' ', n));
    } else if f.zero {
        out.push_str(sign);
        out.push_str(prefix);
        out.extend(core::iter::repeat_n('0', n));
        out.push_str(body);
    } else {
        out.extend(core::iter::repeat_n(' ', n));
        out.push_str(sign);
        out.push_str(prefix);
        out.push_str(body);
    }
}

fn sign_for(negative: bool, f: &Flags) -> &'static str {
    if negative {
        "-"
    } else if f.sign {
        "+"
    } else if f.blank {
        " "
    } else {
        ""
    }
}

/// `fmt % args` (printf-style formatting), see the module docs.
pub fn percent_format<A: PercentArg>(fmt: &str, args: PercentArgs<'_, A>) -> ScalarResult<String> {
    let is_dict = matches!(args, PercentArgs::Mapping { .. });
    let (arglen, argidx) = match args {
        PercentArgs::Tuple(t) => (t.len() as isize, 0),
        _ => (-1, -2),
    };
    let mut st = Args {
        args: &args,
        owned: None,
        arglen,
        argidx,
    };
    let chars: Vec<char> = fmt.chars().collect();
    let n = chars.len();
    let mut out = String::with_capacity(fmt.len() + 16);
    let incomplete = || ScalarError::value("incomplete format");
    let mut pos = 0;
    while pos < n {
        let c = chars[pos];
        if c != '%' {
            out.push(c);
            pos += 1;
            continue;
        }
        pos += 1;
        if pos >= n {
            return Err(incomplete());
        }
        if chars[pos] == '%' {
            out.push('%');
            pos += 1;
            continue;
        }
        // Mapping key.
        if chars[pos] == '(' {
            let PercentArgs::Mapping { lookup, .. } = &args else {
                return Err(ScalarError::type_error("format requires a mapping"));
            };
            pos += 1;
            let key_start = pos;
            let mut depth = 1;
            while pos < n {
                match chars[pos] {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                pos += 1;
            }
            if pos >= n {
                return Err(ScalarError::value("incomplete format key"));
            }
            let key: String = chars[key_start..pos].iter().collect();
            pos += 1;
            st.owned = Some(lookup(&key)?);
            st.arglen = -1;
            st.argidx = -2;
        }
        // Flags.
        let mut f = Flags::default();
        while pos < n {
            match chars[pos] {
                '-' => f.ljust = true,
                '+' => f.sign = true,
                ' ' => f.blank = true,
                '#' => f.alt = true,
                '0' => f.zero = true,
                _ => break,
            }
            pos += 1;
        }
        // Width.
        let mut width: usize = 0;
        if pos < n && chars[pos] == '*' {
            let w = st.star()?;
            if w < 0 {
                f.ljust = true;
            }
            width = w.unsigned_abs();
            pos += 1;
        } else {
            while pos < n && chars[pos].is_ascii_digit() {
                width = width
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(chars[pos] as usize - '0' as usize))
                    .filter(|&v| v <= i32::MAX as usize)
                    .ok_or_else(|| ScalarError::value("width too big"))?;
                pos += 1;
            }
        }
        // Precision.
        let mut prec: Option<usize> = None;
        if pos < n && chars[pos] == '.' {
            pos += 1;
            if pos < n && chars[pos] == '*' {
                let p = st.star()?;
                prec = Some(p.max(0) as usize);
                pos += 1;
            } else {
                let mut p: usize = 0;
                while pos < n && chars[pos].is_ascii_digit() {
                    p = p
                        .checked_mul(10)
                        .and_then(|v| v.checked_add(chars[pos] as usize - '0' as usize))
                        .filter(|&v| v <= i32::MAX as usize)
                        .ok_or_else(|| ScalarError::value("precision too big"))?;
                    pos += 1;
                }
                prec = Some(p);
            }
        }
        if pos < n && matches!(chars[pos], 'h' | 'l' | 'L') {
            pos += 1;
        }
        if pos >= n {
            return Err(incomplete());
        }
        if width > super::format_spec::MAX_WIDTH
            || prec.unwrap_or(0) > super::format_spec::MAX_WIDTH
        {
            return Err(ScalarError::memory());
        }
        let conv = chars[pos];
        let conv_index = pos;
        pos += 1;
        let which = st.next()?;
        let arg = st.get(&which);
        match conv {
            's' | 'r' | 'a' => {
                let mut text = match conv {
                    's' => arg.str()?,
                    'r' => arg.repr()?,
                    _ => arg.ascii()?,
                };
                if let Some(p) = prec
                    && let Some((i, _)) = text.char_indices().nth(p)
                {
                    text.truncate(i);
                }
                pad_text(&mut out, &text, width, f.ljust);
            }
            'c' => {
                let ch = match arg.single_char() {
                    Some(ch) => ch,
                    None => match arg.number()? {
                        NumberView::Int(i) => i
                            .as_i64()
                            .and_then(|v| u32::try_from(v).ok())
                            .and_then(char::from_u32)
                            .ok_or_else(|| {
                                ScalarError::overflow("%c arg not in range(0x110000)")
                            })?,
                        _ => return Err(ScalarError::type_error("%c requires int or char")),
                    },
                };
                pad_text(&mut out, ch.encode_utf8(&mut [0; 4]), width, f.ljust);
            }
            'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
                let integral_only = matches!(conv, 'o' | 'x' | 'X');
                let wrong = || {
                    let what = if integral_only {
                        "an integer"
                    } else {
                        "a real number"
                    };
                    ScalarError::type_error(format!(
                        "%{conv} format: {what} is required, not {}",
                        arg.type_name()
                    ))
                };
                let value = match arg.number()? {
                    NumberView::Int(i) => i,
                    NumberView::Float(x) if !integral_only => Int::from_f64(x)?,
                    _ => return Err(wrong()),
                };
                let (radix, prefix) = match conv {
                    'o' => (8, "0o"),
                    'x' => (16, "0x"),
                    'X' => (16, "0X"),
                    _ => (10, ""),
                };
                let mut digits = if radix == 10 {
                    value.abs().to_str_checked(int::max_str_digits())?
                } else {
                    value.magnitude_str_radix(radix)
                };
                if conv == 'X' {
                    digits.make_ascii_uppercase();
                }
                if let Some(p) = prec
                    && digits.len() < p
                {
                    digits = format!("{}{digits}", "0".repeat(p - digits.len()));
                }
                let sign = sign_for(value.is_negative(), &f);
                let prefix = if f.alt { prefix } else { "" };
                pad_number(&mut out, sign, prefix, &digits, width, &f);
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let x = match arg.number()? {
                    NumberView::Float(x) => x,
                    NumberView::Int(i) => i.to_f64()?,
                    NumberView::NotNumber => {
                        return Err(ScalarError::type_error(format!(
                            "must be real number, not {}",
                            arg.type_name()
                        )));
                    }
                };
                let upper = conv.is_ascii_uppercase();
                let body = if x.is_finite() {
                    let r = float::render(
                        x.abs(),
                        conv.to_ascii_lowercase(),
                        prec.unwrap_or(6),
                        false,
                        f.alt,
                        upper,
                    );
                    format!("{}{}", r.int_part, r.rest)
                } else if x.is_nan() {
                    if upper { "NAN" } else { "nan" }.to_string()
                } else if upper {
                    "INF".to_string()
                } else {
                    "inf".to_string()
                };
                let negative = x.is_sign_negative() && !x.is_nan();
                pad_number(&mut out, sign_for(negative, &f), "", &body, width, &f);
            }
            other => {
                let shown = if (' '..='~').contains(&other) {
                    other
                } else {
                    '?'
                };
                return Err(ScalarError::value(format!(
                    "unsupported format character '{shown}' (0x{:x}) at index {conv_index}",
                    other as u32
                )));
            }
        }
        st.owned = None;
    }
    if st.argidx < st.arglen && !is_dict {
        return Err(ScalarError::type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(f: &str, args: &[PercentValue]) -> ScalarResult<String> {
        percent_format(f, PercentArgs::Tuple(args))
    }

    #[test]
    fn basics() {
        let i = |v: i64| PercentValue::Int(Int::from(v));
        assert_eq!(
            fmt(
                "%5.2f|%-4d|%x",
                &[PercentValue::Float(2.34567), i(7), i(255)]
            )
            .unwrap(),
            " 2.35|7   |ff"
        );
        assert_eq!(fmt("%#05x %+.3d", &[i(255), i(-5)]).unwrap(), "0x0ff -005");
        assert_eq!(
            fmt(
                "%r %s",
                &[PercentValue::Str("a".into()), PercentValue::None]
            )
            .unwrap(),
            "'a' None"
        );
        assert_eq!(
            fmt("%c%c", &[i(65), PercentValue::Str("b".into())]).unwrap(),
            "Ab"
        );
        assert_eq!(fmt("100%%", &[]).unwrap(), "100%");
        assert_eq!(
            fmt("%s", &[]).unwrap_err().message,
            "not enough arguments for format string"
        );
        assert_eq!(
            fmt("%s", &[i(1), i(2)]).unwrap_err().message,
            "not all arguments converted during string formatting"
        );
        assert_eq!(
            fmt("%y", &[i(1)]).unwrap_err().message,
            "unsupported format character 'y' (0x79) at index 1"
        );
    }

    #[test]
    fn mapping() {
        let whole = PercentValue::Str("{...}".into());
        let lookup = |k: &str| -> ScalarResult<PercentValue> {
            if k == "a" {
                Ok(PercentValue::Int(Int::from(1)))
            } else {
                Err(ScalarError::value(format!("KeyError {k}")))
            }
        };
        let args = PercentArgs::Mapping {
            mapping: &whole,
            lookup: &lookup,
        };
        assert_eq!(percent_format("%(a)03d", args).unwrap(), "001");
        let args = PercentArgs::Mapping {
            mapping: &whole,
            lookup: &lookup,
        };
        assert_eq!(percent_format("%s", args).unwrap(), "{...}");
        let args = PercentArgs::Mapping {
            mapping: &whole,
            lookup: &lookup,
        };
        assert!(percent_format("%(a)s %s", args).is_err());
    }
}
