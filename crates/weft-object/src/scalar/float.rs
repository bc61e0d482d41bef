//! Python's `float` semantics on plain `f64` values.
//!
//! `repr` gives CPython's shortest round-trip form (`0.1`, `1e+16`, `1e-05`, `-0.0`, `inf`);
//! `//`, `%` and `divmod` follow Python's sign rules (the remainder takes the divisor's
//! sign); `**` has Python's special cases and errors; `round(x, n)` is correctly rounded
//! (half to even on the exact binary value); `hash` agrees with the int hash on integral
//! values; `parse` is `float(s)`. Decimal digit generation relies on Rust's float formatting,
//! which is exact and rounds half to even, like the David Gay conversions CPython uses.

use core::cmp::Ordering;

use num_bigint::{BigInt, BigUint};
use num_integer::Integer;
use num_traits::{One, ToPrimitive};

use super::int::{self, Int};
use super::{COMPLEX_RESULT, ScalarError, ScalarResult, format_spec, hash, unicode};

/// Splits a finite float into `(negative, mantissa, exponent)` with
/// `|x| == mantissa * 2^exponent` and `mantissa < 2^53` (zero gives mantissa 0).
pub fn decompose(x: f64) -> (bool, u64, i32) {
    let bits = x.to_bits();
    let neg = bits >> 63 == 1;
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    if biased == 0 {
        (neg, frac, -1074)
    } else {
        (neg, frac | (1 << 52), biased - 1075)
    }
}

/// The shortest decimal digits that round-trip to `x` (finite, `x >= 0`), and the position
/// of the decimal point: `x ≈ 0.DIGITS × 10^decpt`. Zero gives `("0", 1)`.
pub(crate) fn shortest_digits(x: f64) -> (String, i32) {
    let (digits, decpt) = split_exp(&format!("{:e}", x));
    // When `x` lies exactly halfway between two shortest candidates, Rust picks the larger
    // one; CPython (David Gay's mode 0) picks the one with an even last digit.
    let last = digits.as_bytes()[digits.len() - 1];
    if last % 2 == 1 && digits.len() <= 17 {
        let k = decpt - digits.len() as i32;
        let (_, m, e) = decompose(x);
        // 2x = (2D ± 1) * 10^k needs the powers of two to match exactly.
        if m != 0 && m.trailing_zeros() as i32 + e + 1 == k {
            let d: u64 = digits.parse().unwrap_or(0);
            for delta in [-1i64, 1] {
                let t = (2 * d as i128 + delta as i128) as u128;
                if is_exact_half(m, e, t, k) {
                    let cand = (d as i64 + delta).to_string();
                    if cand.len() == digits.len()
                        && !cand.ends_with('0')
                        && format!("{cand}e{k}").parse::<f64>() == Ok(x)
                    {
                        return (cand, decpt);
                    }
                }
            }
        }
    }
    (digits, decpt)
}

/// Whether `2 * m * 2^e == t * 10^k` exactly.
fn is_exact_half(m: u64, e: i32, t: u128, k: i32) -> bool {
    let mut lhs = BigUint::from(m);
    let mut rhs = BigUint::from(t);
    let e1 = e + 1;
    if e1 >= 0 {
        lhs <<= e1 as u32;
    } else {
        rhs <<= (-e1) as u32;
    }
    let p = num_traits::pow(BigUint::from(10u32), k.unsigned_abs() as usize);
    if k >= 0 {
        rhs *= p;
    } else {
        lhs *= p;
    }
    lhs == rhs
}

/// `x` (finite, `>= 0`) correctly rounded to `n >= 1` significant digits (half to even),
/// trailing zeros kept, with the decimal point position as in [`shortest_digits`].
pub(crate) fn significant_digits(x: f64, n: usize) -> (String, i32) {
    split_exp(&format!("{:.*e}", n - 1, x))
}

/// Splits Rust's `D.DDDDeX` form into the digits and `X + 1`.
fn split_exp(s: &str) -> (String, i32) {
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    if digits.bytes().all(|b| b == b'0') {
        return ("0".repeat(digits.len().max(1)), 1);
    }
    (digits, exp + 1)
}

/// How a finite, non-negative float is spelled: the integer-part digits (grouping applies
/// to them) and the rest (decimal point, fraction, exponent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rendered {
    /// Integer-part digits, at least one.
    pub int_part: String,
    /// Everything after the integer part: `.5`, `e+16`, `.500e-03`, or empty.
    pub rest: String,
}

/// Renders `x` (finite, `>= 0`) in CPython's `PyOS_double_to_string` modes: `'e'`, `'f'`,
/// `'g'` with `precision`, or `'r'` (shortest repr digits, precision ignored).
/// `add_dot_0` appends `.0` to results that would otherwise look like ints (and makes `'g'`
/// switch to exponent form one digit earlier, as CPython's untyped format does); `alt` is
/// the `#` flag (keep trailing zeros, always show a decimal point).
pub(crate) fn render(
    x: f64,
    mode: char,
    precision: usize,
    add_dot_0: bool,
    alt: bool,
    upper: bool,
) -> Rendered {
    let e_char = if upper { 'E' } else { 'e' };
    let exponent = |exp: i32| -> String {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{e_char}{sign}{:02}", exp.unsigned_abs())
    };
    match mode {
        'e' => {
            let (digits, decpt) = significant_digits(x, precision + 1);
            let mut rest = String::new();
            if precision > 0 {
                rest.push('.');
                rest.push_str(&digits[1..]);
            } else if alt {
                rest.push('.');
            }
            rest.push_str(&exponent(decpt - 1));
            Rendered {
                int_part: digits[..1].to_string(),
                rest,
            }
        }
        'f' => {
            let s = format!("{:.*}", precision, x);
            let (int_part, frac) = s.split_once('.').unwrap_or((&s, ""));
            let rest = if precision > 0 {
                format!(".{frac}")
            } else if alt {
                ".".to_string()
            } else {
                String::new()
            };
            Rendered {
                int_part: int_part.to_string(),
                rest,
            }
        }
        _ => {
            // 'g' and 'r'.
            let (mut digits, decpt, use_exp, min_digits) = if mode == 'r' {
                let (d, p) = shortest_digits(x);
                let use_exp = p <= -4 || p > 16;
                (d, p, use_exp, 0)
            } else {
                let p = precision.max(1);
                let (d, dp) = significant_digits(x, p);
                let limit = p as i32 - i32::from(add_dot_0);
                let use_exp = dp <= -4 || dp > limit;
                (d, dp, use_exp, if alt { p } else { 0 })
            };
            if x == 0.0 {
                digits = "0".to_string();
            }
            while digits.len() > 1 && digits.len() > min_digits && digits.ends_with('0') {
                digits.pop();
            }
            while digits.len() < min_digits {
                digits.push('0');
            }
            let decpt = if x == 0.0 { 1 } else { decpt };
            if use_exp {
                let mut rest = String::new();
                if digits.len() > 1 {
                    rest.push('.');
                    rest.push_str(&digits[1..]);
                } else if alt {
                    rest.push('.');
                }
                rest.push_str(&exponent(decpt - 1));
                return Rendered {
                    int_part: digits[..1].to_string(),
                    rest,
                };
            }
            let (int_part, frac) = if decpt <= 0 {
                (
                    "0".to_string(),
                    format!("{}{}", "0".repeat(decpt.unsigned_abs() as usize), digits),
                )
            } else if decpt as usize >= digits.len() {
                let zeros = "0".repeat(decpt as usize - digits.len());
                (format!("{digits}{zeros}"), String::new())
            } else {
                (
                    digits[..decpt as usize].to_string(),
                    digits[decpt as usize..].to_string(),
                )
            };
            let rest = if !frac.is_empty() {
                format!(".{frac}")
            } else if add_dot_0 {
                ".0".to_string()
            } else if alt {
                ".".to_string()
            } else {
                String::new()
            };
            Rendered { int_part, rest }
        }
    }
}

/// `repr(x)` (and `str(x)`): CPython's shortest round-trip spelling.
pub fn repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let r = render(x.abs(), 'r', 0, true, false, false);
    let sign = if x.is_sign_negative() { "-" } else { "" };
    format!("{sign}{}{}", r.int_part, r.rest)
}

/// `format(x, spec)`: the format-spec mini-language for floats.
pub fn format(x: f64, spec: &str) -> ScalarResult<String> {
    format_spec::format_float_spec(x, spec)
}

/// `a / b`.
pub fn truediv(a: f64, b: f64) -> ScalarResult<f64> {
    if b == 0.0 {
        return Err(ScalarError::zero_division("float division by zero"));
    }
    Ok(a / b)
}

/// The shared core of `//`, `%` and `divmod` for a non-zero divisor.
fn divmod_core(vx: f64, wx: f64) -> (f64, f64) {
    let mut m = vx % wx;
    let mut div = (vx - m) / wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    let floordiv = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 { f + 1.0 } else { f }
    } else {
        0.0f64.copysign(vx / wx)
    };
    (floordiv, m)
}

/// `a // b` (rounds toward negative infinity).
pub fn floordiv(a: f64, b: f64) -> ScalarResult<f64> {
    if b == 0.0 {
        return Err(ScalarError::zero_division("float floor division by zero"));
    }
    Ok(divmod_core(a, b).0)
}

/// `a % b` (the result has the sign of `b`).
pub fn modulo(a: f64, b: f64) -> ScalarResult<f64> {
    if b == 0.0 {
        return Err(ScalarError::zero_division("float modulo"));
    }
    let mut m = a % b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
        }
    } else {
        m = 0.0f64.copysign(b);
    }
    Ok(m)
}

/// `divmod(a, b)`.
pub fn divmod(a: f64, b: f64) -> ScalarResult<(f64, f64)> {
    if b == 0.0 {
        return Err(ScalarError::zero_division("float divmod()"));
    }
    Ok(divmod_core(a, b))
}

fn is_odd_integer(w: f64) -> bool {
    w.abs() % 2.0 == 1.0
}

/// `a ** b` with Python's special cases. A negative base with a non-integral exponent has
/// a complex result in Python: that is reported as the ValueError [`COMPLEX_RESULT`]
/// (check with [`ScalarError::is_complex_result`]).
pub fn pow(iv: f64, iw: f64) -> ScalarResult<f64> {
    if iw == 0.0 {
        return Ok(1.0);
    }
    if iv.is_nan() {
        return Ok(iv);
    }
    if iw.is_nan() {
        return Ok(if iv == 1.0 { 1.0 } else { iw });
    }
    if iw.is_infinite() {
        let v = iv.abs();
        return Ok(if v == 1.0 {
            1.0
        } else if (iw > 0.0) == (v > 1.0) {
            f64::INFINITY
        } else {
            0.0
        });
    }
    if iv.is_infinite() {
        let odd = is_odd_integer(iw);
        return Ok(if iw > 0.0 {
            if odd { iv } else { iv.abs() }
        } else if odd {
            0.0f64.copysign(iv)
        } else {
            0.0
        });
    }
    if iv == 0.0 {
        if iw < 0.0 {
            return Err(ScalarError::zero_division(
                "0.0 cannot be raised to a negative power",
            ));
        }
        return Ok(if is_odd_integer(iw) { iv } else { 0.0 });
    }
    let mut v = iv;
    let mut negate = false;
    if v < 0.0 {
        if iw != iw.floor() {
            return Err(ScalarError::value(COMPLEX_RESULT));
        }
        v = -v;
        negate = is_odd_integer(iw);
    }
    if v == 1.0 {
        return Ok(if negate { -1.0 } else { 1.0 });
    }
    let r = v.powf(iw);
    if r.is_infinite() {
        return Err(ScalarError::overflow(
            "(34, 'Numerical result out of range')",
        ));
    }
    Ok(if negate { -r } else { r })
}

/// Largest `ndigits` for which `round(x, ndigits)` can change a float.
const NDIGITS_MAX: i64 = 323;
/// Smallest `ndigits` for which `round(x, ndigits)` can be non-zero.
const NDIGITS_MIN: i64 = -308;

/// `q = round_half_even(num / den)` for naturals.
fn div_round_half_even(num: &BigUint, den: &BigUint) -> BigUint {
    let (q, r) = num.div_rem(den);
    let twice = &r << 1u32;
    match twice.cmp(den) {
        Ordering::Greater => q + 1u32,
        Ordering::Equal if q.is_odd() => q + 1u32,
        _ => q,
    }
}

/// `round(x, ndigits)`: `x` rounded to a multiple of `10^-ndigits`, correctly (half to
/// even on the exact value); callers clamp huge `ndigits` to the `i64` range.
pub fn round(x: f64, ndigits: i64) -> ScalarResult<f64> {
    if !x.is_finite() || x == 0.0 {
        return Ok(x);
    }
    if ndigits > NDIGITS_MAX {
        return Ok(x);
    }
    if ndigits < NDIGITS_MIN {
        return Ok(0.0 * x);
    }
    let (neg, mant, exp) = decompose(x);
    let mant = BigUint::from(mant);
    let ten = BigUint::from(10u32);
    let r = if ndigits >= 0 {
        if exp >= 0 {
            return Ok(x);
        }
        let p = num_traits::pow(ten, ndigits as usize);
        let q = div_round_half_even(&(mant * &p), &(BigUint::one() << (-exp) as u32));
        int::ratio_to_f64(&q, &p)
    } else {
        let p = num_traits::pow(ten, (-ndigits) as usize);
        let (num, den) = if exp >= 0 {
            (mant << exp as u32, p.clone())
        } else {
            (mant, &p << (-exp) as u32)
        };
        let q = div_round_half_even(&num, &den);
        Int::from_bigint(BigInt::from(q * p)).to_f64().ok()
    };
    let r = r.ok_or_else(|| ScalarError::overflow("rounded value too large to represent"))?;
    Ok(if neg { -r } else { r })
}

/// `round(x)` with no `ndigits`: the nearest int, ties to even.
pub fn round_to_int(x: f64) -> ScalarResult<Int> {
    Int::from_f64(x.round_ties_even())
}

/// `int(x)`: truncation toward zero, with CPython's errors for NaN and infinities.
pub fn to_int(x: f64) -> ScalarResult<Int> {
    Int::from_f64(x)
}

/// `hash(x)`; `None` for NaN, which Python hashes by object identity.
pub fn hash(x: f64) -> Option<i64> {
    hash::hash_f64(x)
}

/// `x.is_integer()`.
pub fn is_integer(x: f64) -> bool {
    x.is_finite() && x == x.trunc()
}

/// `x.as_integer_ratio()`: the exact value as a fraction in lowest terms, positive
/// denominator.
pub fn as_integer_ratio(x: f64) -> ScalarResult<(Int, Int)> {
    if x.is_nan() {
        return Err(ScalarError::value("cannot convert NaN to integer ratio"));
    }
    if x.is_infinite() {
        return Err(ScalarError::overflow(
            "cannot convert Infinity to integer ratio",
        ));
    }
    if x == 0.0 {
        return Ok((Int::ZERO, Int::ONE));
    }
    let (neg, mant, exp) = decompose(x);
    let (n, d) = if exp >= 0 {
        (BigInt::from(mant) << exp as u32, BigInt::one())
    } else {
        let tz = mant.trailing_zeros().min((-exp) as u32);
        (
            BigInt::from(mant >> tz),
            BigInt::one() << ((-exp) as u32 - tz),
        )
    };
    let n = if neg { -n } else { n };
    Ok((Int::from_bigint(n), Int::from_bigint(d)))
}

/// Compares a float with an int exactly; `None` when `x` is NaN.
pub fn cmp_int(x: f64, i: &Int) -> Option<Ordering> {
    i.cmp_f64(x).map(Ordering::reverse)
}

/// Converts `x` to the nearest `i64` when it is integral and in range (a fast path for
/// callers that want to treat integral floats as ints).
pub fn to_exact_i64(x: f64) -> Option<i64> {
    if is_integer(x) && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&x) {
        x.to_i64()
    } else {
        None
    }
}

/// `float(s)`: surrounding whitespace, a sign, decimal digits of any script, single
/// underscores between digits, an exponent, and `inf`/`infinity`/`nan` in any case.
pub fn parse(s: &str) -> ScalarResult<f64> {
    let invalid = || {
        ScalarError::value(format!(
            "could not convert string to float: {}",
            super::str::repr(s)
        ))
    };
    let t: String = if s.is_ascii() {
        s.to_string()
    } else {
        s.chars()
            .map(|c| {
                if c.is_ascii() {
                    c
                } else if unicode::is_space(c) {
                    ' '
                } else if let Some(d) = unicode::decimal_value(c) {
                    char::from(b'0' + d as u8)
                } else {
                    '?'
                }
            })
            .collect()
    };
    let t = t.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r'));
    let bytes = t.as_bytes();
    let mut clean = String::with_capacity(t.len());
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let prev_digit = i > 0 && bytes[i - 1].is_ascii_digit();
            let next_digit = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !(prev_digit && next_digit) {
                return Err(invalid());
            }
            continue;
        }
        clean.push(b as char);
    }
    let (negative, body) = match clean.as_bytes().first() {
        Some(b'-') => (true, &clean[1..]),
        Some(b'+') => (false, &clean[1..]),
        _ => (false, &clean[..]),
    };
    let lower = body.to_ascii_lowercase();
    let magnitude = match lower.as_str() {
        "inf" | "infinity" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => {
            // Only plain decimal syntax: digits, an optional point, an optional exponent.
            let ok = !body.is_empty()
                && body
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
                && body
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_digit() || b == b'.');
            if !ok {
                return Err(invalid());
            }
            body.parse::<f64>().map_err(|_| invalid())?
        }
    };
    Ok(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_samples() {
        for (x, s) in [
            (0.1, "0.1"),
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-5, "1e-05"),
            (1e-4, "0.0001"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (123456789.125, "123456789.125"),
        ] {
            assert_eq!(repr(x), s);
        }
    }

    #[test]
    fn division_rules() {
        assert_eq!(floordiv(7.5, -2.0).unwrap(), -4.0);
        assert_eq!(modulo(7.5, -2.0).unwrap(), -0.5);
        assert_eq!(modulo(-5.0, f64::INFINITY).unwrap(), f64::INFINITY);
        assert!(modulo(0.0, -5.0).unwrap().is_sign_negative());
        assert_eq!(
            floordiv(1.0, 0.0).unwrap_err().message,
            "float floor division by zero"
        );
        assert_eq!(modulo(1.0, 0.0).unwrap_err().message, "float modulo");
        assert_eq!(divmod(1.0, 0.0).unwrap_err().message, "float divmod()");
    }

    #[test]
    fn pow_rules() {
        assert!(pow(-8.0, 1.0 / 3.0).unwrap_err().is_complex_result());
        assert_eq!(pow(-2.0, 3.0).unwrap(), -8.0);
        assert_eq!(pow(f64::NAN, 0.0).unwrap(), 1.0);
        assert_eq!(
            pow(2.0, 10000.0).unwrap_err().kind,
            super::super::ErrorKind::OverflowError
        );
    }

    #[test]
    fn round_rules() {
        assert_eq!(round(2.675, 2).unwrap(), 2.67);
        assert_eq!(round(15.0, -1).unwrap(), 20.0);
        assert_eq!(round(5.0, -1).unwrap(), 0.0);
        assert!(round(-0.4, 0).unwrap().is_sign_negative());
        assert!(round(f64::MAX, -308).is_err());
        assert_eq!(round_to_int(2.5).unwrap(), Int::from(2));
    }

    #[test]
    fn parse_rules() {
        assert_eq!(parse(" 1_000.5 ").unwrap(), 1000.5);
        assert_eq!(parse("-iNfinity").unwrap(), f64::NEG_INFINITY);
        assert!(parse("nan").unwrap().is_nan());
        assert!(parse("1__0").is_err());
        assert!(parse("0x10").is_err());
        assert_eq!(parse("١.٥").unwrap(), 1.5);
        assert_eq!(
            parse("x").unwrap_err().message,
            "could not convert string to float: 'x'"
        );
    }

    #[test]
    fn ratio() {
        let (n, d) = as_integer_ratio(0.75).unwrap();
        assert_eq!((n, d), (Int::from(3), Int::from(4)));
        let (n, d) = as_integer_ratio(-1e20).unwrap();
        assert_eq!(n, Int::parse("-100000000000000000000", 10).unwrap());
        assert_eq!(d, Int::ONE);
    }

    #[test]
    fn render_modes() {
        let r = render(123.0, 'g', 3, true, false, false);
        assert_eq!((r.int_part.as_str(), r.rest.as_str()), ("1", ".23e+02"));
        let r = render(1.0, 'g', 3, false, true, false);
        assert_eq!((r.int_part.as_str(), r.rest.as_str()), ("1", ".00"));
        let r = render(0.0, 'e', 2, false, false, true);
        assert_eq!((r.int_part.as_str(), r.rest.as_str()), ("0", ".00E+00"));
    }
}
