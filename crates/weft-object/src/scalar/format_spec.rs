//! The format-spec mini-language of `format()` and `str.format` (PEP 3101, 378, 515, 682):
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
//!
//! [`FormatSpec::parse`] reads a spec as CPython 3.11 does (including its error messages);
//! [`format_int`], [`format_float`] and [`format_str`] render the three scalar kinds. `'n'`
//! behaves as in the C locale (no grouping), which is what CPython does unless a program
//! calls `locale.setlocale`.

use super::float::{self, Rendered};
use super::int::{self, Int};
use super::{ScalarError, ScalarResult};

/// The largest width or precision a spec may ask for (2^28 code points); larger requests
/// raise `MemoryError` up front instead of trying to build the string.
pub const MAX_WIDTH: usize = 1 << 28;

fn check_size(spec: &FormatSpec) -> ScalarResult<()> {
    if spec.width.unwrap_or(0) > MAX_WIDTH || spec.precision.unwrap_or(0) > MAX_WIDTH {
        return Err(ScalarError::memory());
    }
    Ok(())
}

/// Which kind of value a spec will format; it sets the defaults (`'d'`/`'>'` for ints,
/// no type/`'>'` for floats, `'s'`/`'<'` for strings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecKind {
    /// An int (or bool).
    Int,
    /// A float.
    Float,
    /// A str.
    Str,
}

/// The alignment of the formatted value within its width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// `<`.
    Left,
    /// `>`.
    Right,
    /// `^`.
    Center,
    /// `=`: padding between the sign (and prefix) and the digits.
    AfterSign,
}

/// The sign option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignMode {
    /// `-`: a sign only for negative values (the default).
    Minus,
    /// `+`: a sign for every value.
    Plus,
    /// ` `: a space for non-negative values.
    Space,
}

/// The thousands separator option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// `,` every three digits.
    Comma,
    /// `_` every three decimal digits, or every four binary/octal/hex digits.
    Underscore,
}

/// A parsed format spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatSpec {
    /// The fill character (`' '` unless given, `'0'` with the `0` flag).
    pub fill: char,
    /// The alignment; `None` means the kind's default.
    pub align: Option<Align>,
    /// The sign option, when given.
    pub sign: Option<SignMode>,
    /// `z`: show negative zero (after rounding) as positive zero.
    pub no_neg_zero: bool,
    /// `#`: the alternate form.
    pub alternate: bool,
    /// The minimum width, in code points.
    pub width: Option<usize>,
    /// The thousands separator.
    pub grouping: Option<Grouping>,
    /// The precision.
    pub precision: Option<usize>,
    /// The presentation type (`None` when the spec gives none; for str and int specs the
    /// parse fills in the kind's default `'s'` / `'d'`).
    pub ty: Option<char>,
}

fn is_align(c: char) -> Option<Align> {
    match c {
        '<' => Some(Align::Left),
        '>' => Some(Align::Right),
        '^' => Some(Align::Center),
        '=' => Some(Align::AfterSign),
        _ => None,
    }
}

/// Reads a decimal integer at `chars[*pos..]`; `Ok(None)` when there is no digit.
fn get_integer(chars: &[char], pos: &mut usize) -> ScalarResult<Option<usize>> {
    let mut value: usize = 0;
    let mut any = false;
    while let Some(d) = chars.get(*pos).and_then(|c| c.to_digit(10)) {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(d as usize))
            .filter(|&v| v <= isize::MAX as usize)
            .ok_or_else(|| ScalarError::value("Too many decimal digits in format string"))?;
        any = true;
        *pos += 1;
    }
    Ok(any.then_some(value))
}

impl FormatSpec {
    /// Parses `spec` for a value of `kind` whose Python type is called `type_name` (used in
    /// error messages). An empty spec parses to the defaults; callers usually treat an
    /// empty spec as `str(value)` before getting here, as CPython does.
    pub fn parse(spec: &str, kind: SpecKind, type_name: &str) -> ScalarResult<FormatSpec> {
        let chars: Vec<char> = spec.chars().collect();
        let end = chars.len();
        let mut pos = 0;
        let mut fill = ' ';
        let mut fill_given = false;
        let mut align = None;
        if end >= 2 && is_align(chars[1]).is_some() {
            fill = chars[0];
            fill_given = true;
            align = is_align(chars[1]);
            pos = 2;
        } else if end >= 1 && is_align(chars[0]).is_some() {
            align = is_align(chars[0]);
            pos = 1;
        }
        let mut sign = None;
        if let Some(&c) = chars.get(pos) {
            sign = match c {
                '+' => Some(SignMode::Plus),
                '-' => Some(SignMode::Minus),
                ' ' => Some(SignMode::Space),
                _ => None,
            };
            if sign.is_some() {
                pos += 1;
            }
        }
        let mut no_neg_zero = false;
        if chars.get(pos) == Some(&'z') {
            no_neg_zero = true;
            pos += 1;
        }
        let mut alternate = false;
        if chars.get(pos) == Some(&'#') {
            alternate = true;
            pos += 1;
        }
        if !fill_given && chars.get(pos) == Some(&'0') {
            fill = '0';
            if align.is_none() && kind != SpecKind::Str {
                align = Some(Align::AfterSign);
            }
            pos += 1;
        }
        let width = get_integer(&chars, &mut pos)?;
        let both = || ScalarError::value("Cannot specify both ',' and '_'.");
        let mut grouping = None;
        if chars.get(pos) == Some(&',') {
            grouping = Some(Grouping::Comma);
            pos += 1;
        }
        if chars.get(pos) == Some(&'_') {
            if grouping.is_some() {
                return Err(both());
            }
            grouping = Some(Grouping::Underscore);
            pos += 1;
        }
        if chars.get(pos) == Some(&',') && grouping == Some(Grouping::Underscore) {
            return Err(both());
        }
        let mut precision = None;
        if chars.get(pos) == Some(&'.') {
            pos += 1;
            precision = get_integer(&chars, &mut pos)?;
            if precision.is_none() {
                return Err(ScalarError::value("Format specifier missing precision"));
            }
        }
        if end - pos > 1 {
            return Err(ScalarError::value(format!(
                "Invalid format specifier '{spec}' for object of type '{type_name}'"
            )));
        }
        let mut ty = chars.get(pos).copied();
        if ty.is_none() {
            ty = match kind {
                SpecKind::Int => Some('d'),
                SpecKind::Float => None,
                SpecKind::Str => Some('s'),
            };
        }
        if let Some(g) = grouping {
            let ok = match ty {
                None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => true,
                Some('b' | 'o' | 'x' | 'X') => g == Grouping::Underscore,
                _ => false,
            };
            if !ok {
                let g = if g == Grouping::Comma { ',' } else { '_' };
                return Err(ScalarError::value(format!(
                    "Cannot specify '{g}' with {}.",
                    quote_type(ty.unwrap_or('s'))
                )));
            }
        }
        Ok(FormatSpec {
            fill,
            align,
            sign,
            no_neg_zero,
            alternate,
            width,
            grouping,
            precision,
            ty,
        })
    }
}

/// `'c'`, or `'\x..'` for a type character that is not printable ASCII, as CPython quotes
/// presentation types in messages.
fn quote_type(c: char) -> String {
    if (' '..'\x7f').contains(&c) && c != ' ' {
        format!("'{c}'")
    } else {
        format!("'\\x{:x}'", c as u32)
    }
}

fn unknown_code(ty: char, type_name: &str) -> ScalarError {
    let code = if (' '..'\x7f').contains(&ty) && ty != ' ' {
        format!("'{ty}'")
    } else {
        format!("'\\x{:x}'", ty as u32)
    };
    ScalarError::value(format!(
        "Unknown format code {code} for object of type '{type_name}'"
    ))
}

/// Groups `digits` (ASCII) from the right in groups of `size` separated by `sep`,
/// left-padding with zeros until the result is at least `min_width` characters (without
/// ever starting with a separator), as CPython's zero-padded grouping does.
pub(crate) fn group_digits(digits: &str, sep: char, size: usize, min_width: usize) -> String {
    let bytes = digits.as_bytes();
    let mut out: Vec<char> = Vec::with_capacity(bytes.len() + bytes.len() / size + 1);
    let mut pos = bytes.len();
    let mut min_width = min_width as isize;
    loop {
        let l = pos.max(min_width.max(1) as usize).min(size);
        for _ in 0..l {
            if pos > 0 {
                pos -= 1;
                out.push(bytes[pos] as char);
            } else {
                out.push('0');
            }
        }
        min_width -= l as isize;
        if pos == 0 && min_width <= 0 {
            break;
        }
        out.push(sep);
        min_width -= 1;
    }
    out.iter().rev().collect()
}

/// The pieces of a formatted number, before padding.
pub(crate) struct NumberParts<'a> {
    /// `""`, `"-"`, `"+"` or `" "`.
    pub sign: &'a str,
    /// `""` or a base prefix such as `"0x"`.
    pub prefix: &'a str,
    /// Integer-part digits (grouping and zero padding apply here).
    pub digits: &'a str,
    /// Whatever follows the integer part (fraction, exponent, `%`, or `inf`).
    pub rest: &'a str,
    /// Separator and group size, when grouping.
    pub grouping: Option<(char, usize)>,
}

/// Pads `s` to `width` code points with `fill` according to `align` (`AfterSign` means
/// right here; callers handle sign-aware padding themselves).
pub(crate) fn pad(s: &str, fill: char, align: Align, width: usize) -> String {
    let len = s.chars().count();
    if len >= width {
        return s.to_string();
    }
    let n = width - len;
    let (left, right) = match align {
        Align::Left => (0, n),
        Align::Right | Align::AfterSign => (n, 0),
        Align::Center => (n / 2, n - n / 2),
    };
    let mut out = String::with_capacity(s.len() + n * fill.len_utf8());
    out.extend(core::iter::repeat_n(fill, left));
    out.push_str(s);
    out.extend(core::iter::repeat_n(fill, right));
    out
}

/// Lays a number out within the spec's width: grouping, zero padding, alignment.
pub(crate) fn layout_number(p: &NumberParts<'_>, spec: &FormatSpec) -> String {
    let align = spec.align.unwrap_or(Align::Right);
    let width = spec.width.unwrap_or(0);
    let fixed = p.sign.len() + p.prefix.len() + p.rest.chars().count();
    let digits = match p.grouping {
        Some((sep, size)) => {
            let min_width = if spec.fill == '0' && align == Align::AfterSign {
                width.saturating_sub(fixed)
            } else {
                0
            };
            group_digits(p.digits, sep, size, min_width)
        }
        None => p.digits.to_string(),
    };
    let len = fixed + digits.chars().count();
    let n = width.saturating_sub(len);
    let mut out = String::with_capacity(len + n * spec.fill.len_utf8());
    let fill = |out: &mut String, k: usize| out.extend(core::iter::repeat_n(spec.fill, k));
    match align {
        Align::Left => {
            out.push_str(p.sign);
            out.push_str(p.prefix);
            out.push_str(&digits);
            out.push_str(p.rest);
            fill(&mut out, n);
        }
        Align::Right => {
            fill(&mut out, n);
            out.push_str(p.sign);
            out.push_str(p.prefix);
            out.push_str(&digits);
            out.push_str(p.rest);
        }
        Align::Center => {
            fill(&mut out, n / 2);
            out.push_str(p.sign);
            out.push_str(p.prefix);
            out.push_str(&digits);
            out.push_str(p.rest);
            fill(&mut out, n - n / 2);
        }
        Align::AfterSign => {
            out.push_str(p.sign);
            out.push_str(p.prefix);
            fill(&mut out, n);
            out.push_str(&digits);
            out.push_str(p.rest);
        }
    }
    out
}

fn sign_str(negative: bool, sign: Option<SignMode>) -> &'static str {
    if negative {
        "-"
    } else {
        match sign {
            Some(SignMode::Plus) => "+",
            Some(SignMode::Space) => " ",
            _ => "",
        }
    }
}

/// `format(value, spec)` for an int, with the type name `"int"` in messages and the
/// process-wide digit limit ([`int::max_str_digits`]) for decimal output.
pub fn format_int(value: &Int, spec: &FormatSpec) -> ScalarResult<String> {
    format_int_named(value, spec, "int")
}

/// [`format_int`] with the Python type name to use in error messages (e.g. `"bool"`).
pub fn format_int_named(value: &Int, spec: &FormatSpec, type_name: &str) -> ScalarResult<String> {
    check_size(spec)?;
    let ty = spec.ty.unwrap_or('d');
    match ty {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            return format_float(value.to_f64()?, spec);
        }
        _ => return Err(unknown_code(ty, type_name)),
    }
    if spec.precision.is_some() {
        return Err(ScalarError::value(
            "Precision not allowed in integer format specifier",
        ));
    }
    if spec.no_neg_zero {
        return Err(ScalarError::value(
            "Negative zero coercion (z) not allowed in integer format specifier",
        ));
    }
    if ty == 'c' {
        if spec.sign.is_some() {
            return Err(ScalarError::value(
                "Sign not allowed with integer format specifier 'c'",
            ));
        }
        if spec.alternate {
            return Err(ScalarError::value(
                "Alternate form (#) not allowed with integer format specifier 'c'",
            ));
        }
        let v = value
            .as_i64()
            .ok_or_else(|| ScalarError::overflow("Python int too large to convert to C long"))?;
        let c = u32::try_from(v)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| ScalarError::overflow("%c arg not in range(0x110000)"))?;
        let digits = c.to_string();
        let parts = NumberParts {
            sign: "",
            prefix: "",
            digits: &digits,
            rest: "",
            grouping: None,
        };
        return Ok(layout_number(&parts, spec));
    }
    let (radix, prefix) = match ty {
        'b' => (2, "0b"),
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
    if ty == 'X' {
        digits.make_ascii_uppercase();
    }
    let grouping = match spec.grouping {
        Some(Grouping::Comma) => Some((',', 3)),
        Some(Grouping::Underscore) => Some(('_', if radix == 10 { 3 } else { 4 })),
        None => None,
    };
    let parts = NumberParts {
        sign: sign_str(value.is_negative(), spec.sign),
        prefix: if spec.alternate { prefix } else { "" },
        digits: &digits,
        rest: "",
        grouping,
    };
    Ok(layout_number(&parts, spec))
}

/// `format(x, spec)` for a float.
pub fn format_float(x: f64, spec: &FormatSpec) -> ScalarResult<String> {
    format_float_named(x, spec, "float")
}

/// [`format_float`] with the Python type name to use in error messages.
pub fn format_float_named(x: f64, spec: &FormatSpec, type_name: &str) -> ScalarResult<String> {
    check_size(spec)?;
    let mut add_dot_0 = false;
    let mut ty = match spec.ty {
        None => {
            add_dot_0 = true;
            'r'
        }
        Some('n') => 'g',
        Some(c @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%')) => c,
        Some(c) => return Err(unknown_code(c, type_name)),
    };
    let mut val = x;
    let mut suffix = "";
    if ty == '%' {
        ty = 'f';
        val *= 100.0;
        suffix = "%";
    }
    let precision = match spec.precision {
        Some(p) => {
            if ty == 'r' {
                ty = 'g';
            }
            p
        }
        None if ty == 'r' => 0,
        None => 6,
    };
    if precision > i32::MAX as usize {
        return Err(ScalarError::value("precision too big"));
    }
    let upper = ty.is_ascii_uppercase();
    let mode = ty.to_ascii_lowercase();
    let mut negative = val.is_sign_negative() && !val.is_nan();
    let (digits, rest, grouping) = if val.is_finite() {
        let Rendered { int_part, rest } =
            float::render(val.abs(), mode, precision, add_dot_0, spec.alternate, upper);
        if negative && spec.no_neg_zero {
            let mantissa_end = rest.find(['e', 'E']).unwrap_or(rest.len());
            let zero = int_part.bytes().all(|b| b == b'0')
                && rest[..mantissa_end].bytes().all(|b| b == b'0' || b == b'.');
            if zero {
                negative = false;
            }
        }
        let grouping = match spec.grouping {
            Some(Grouping::Comma) => Some((',', 3)),
            Some(Grouping::Underscore) => Some(('_', 3)),
            None => None,
        };
        (int_part, format!("{rest}{suffix}"), grouping)
    } else {
        let word = match (val.is_nan(), upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        };
        (String::new(), format!("{word}{suffix}"), None)
    };
    let parts = NumberParts {
        sign: sign_str(negative, spec.sign),
        prefix: "",
        digits: &digits,
        rest: &rest,
        grouping,
    };
    Ok(layout_number(&parts, spec))
}

/// `format(s, spec)` for a str.
pub fn format_str(s: &str, spec: &FormatSpec) -> ScalarResult<String> {
    format_str_named(s, spec, "str")
}

/// [`format_str`] with the Python type name to use in error messages.
pub fn format_str_named(s: &str, spec: &FormatSpec, type_name: &str) -> ScalarResult<String> {
    check_size(spec)?;
    match spec.ty {
        None | Some('s') => {}
        Some(c) => return Err(unknown_code(c, type_name)),
    }
    match spec.sign {
        Some(SignMode::Space) => {
            return Err(ScalarError::value(
                "Space not allowed in string format specifier",
            ));
        }
        Some(_) => {
            return Err(ScalarError::value(
                "Sign not allowed in string format specifier",
            ));
        }
        None => {}
    }
    if spec.no_neg_zero {
        return Err(ScalarError::value(
            "Negative zero coercion (z) not allowed in string format specifier",
        ));
    }
    if spec.alternate {
        return Err(ScalarError::value(
            "Alternate form (#) not allowed in string format specifier",
        ));
    }
    if spec.align == Some(Align::AfterSign) {
        return Err(ScalarError::value(
            "'=' alignment not allowed in string format specifier",
        ));
    }
    let s = match spec.precision {
        Some(p) => match s.char_indices().nth(p) {
            Some((i, _)) => &s[..i],
            None => s,
        },
        None => s,
    };
    Ok(pad(
        s,
        spec.fill,
        spec.align.unwrap_or(Align::Left),
        spec.width.unwrap_or(0),
    ))
}

/// `format(value, spec)` for an int, parsing `spec` (an empty spec is `str(value)`).
pub fn format_int_spec(value: &Int, spec: &str) -> ScalarResult<String> {
    if spec.is_empty() {
        return value.to_str_checked(int::max_str_digits());
    }
    format_int(value, &FormatSpec::parse(spec, SpecKind::Int, "int")?)
}

/// `format(x, spec)` for a float, parsing `spec` (an empty spec is `str(x)`).
pub fn format_float_spec(x: f64, spec: &str) -> ScalarResult<String> {
    if spec.is_empty() {
        return Ok(float::repr(x));
    }
    format_float(x, &FormatSpec::parse(spec, SpecKind::Float, "float")?)
}

/// `format(s, spec)` for a str, parsing `spec` (an empty spec is `s` itself).
pub fn format_str_spec(s: &str, spec: &str) -> ScalarResult<String> {
    if spec.is_empty() {
        return Ok(s.to_string());
    }
    format_str(s, &FormatSpec::parse(spec, SpecKind::Str, "str")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_with_min_width() {
        assert_eq!(group_digits("1234", ',', 3, 0), "1,234");
        assert_eq!(group_digits("1234", ',', 3, 8), "0,001,234");
        assert_eq!(group_digits("1234", ',', 3, 10), "00,001,234");
        assert_eq!(group_digits("12", ',', 3, 5), "0,012");
        assert_eq!(group_digits("123456", ',', 3, 0), "123,456");
    }

    #[test]
    fn samples() {
        let i = |v: i64, s: &str| format_int_spec(&Int::from(v), s).unwrap();
        assert_eq!(i(123, ">10,d"), "       123");
        assert_eq!(i(1234567, ","), "1,234,567");
        assert_eq!(i(255, "#010x"), "0x000000ff");
        assert_eq!(i(-255, "#x"), "-0xff");
        assert_eq!(i(65, "c"), "A");
        assert_eq!(format_str_spec("x", "^9").unwrap(), "    x    ");
        assert_eq!(format_float_spec(1.5, "%").unwrap(), "150.000000%");
        assert_eq!(format_float_spec(123.0, ".3").unwrap(), "1.23e+02");
        assert_eq!(format_float_spec(-0.0, "z").unwrap(), "0.0");
        assert_eq!(
            format_float_spec(f64::INFINITY, "010,").unwrap(),
            "0000000inf"
        );
        assert_eq!(
            format_int_spec(&Int::from(1), ",x").unwrap_err().message,
            "Cannot specify ',' with 'x'."
        );
    }
}
