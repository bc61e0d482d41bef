//! Python's `int`: an arbitrary-precision integer with an inline `i64` fast path.
//!
//! [`Int`] stores values that fit in an `i64` inline and everything else as a boxed
//! [`BigInt`]; the representation is always normalised (a value that fits in `i64` is never
//! stored big), so derived equality is value equality. Every operation follows CPython 3.11:
//! floor division and modulo round toward negative infinity, true division is correctly
//! rounded even for huge operands, shifts and bitwise operations act on the infinite two's
//! complement representation, and errors carry CPython's exception class and message.
//!
//! Limits that CPython does not have: results that would need more than [`MAX_BITS`] bits
//! (`1 << 2**40`, `10 ** 10**12`) fail fast with `MemoryError` instead of trying to allocate.

use core::cmp::Ordering;
use core::fmt;
use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{Pow, Signed, ToPrimitive, Zero};

use super::{ScalarError, ScalarResult, float, format_spec, hash};

/// CPython's default `sys.get_int_max_str_digits()`: decimal conversions of longer ints fail.
pub const DEFAULT_MAX_STR_DIGITS: usize = 4300;

static MAX_STR_DIGITS: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_STR_DIGITS);

/// The process-wide limit on decimal digits for int <-> str conversions
/// (`sys.get_int_max_str_digits()`); `0` means unlimited.
pub fn max_str_digits() -> usize {
    MAX_STR_DIGITS.load(AtomicOrdering::Relaxed)
}

/// Sets the limit returned by [`max_str_digits`] (`sys.set_int_max_str_digits(n)`; the
/// caller validates `n`, which CPython requires to be 0 or at least 640).
pub fn set_max_str_digits(n: usize) {
    MAX_STR_DIGITS.store(n, AtomicOrdering::Relaxed);
}

/// The largest result, in bits, that an operation will build (2^32 bits = 512 MiB); larger
/// results raise `MemoryError` up front.
pub const MAX_BITS: u64 = 1 << 32;

/// A Python `int` value.
#[derive(Clone, PartialEq, Eq)]
pub struct Int(Repr);

#[derive(Clone, PartialEq, Eq)]
enum Repr {
    Small(i64),
    Big(Box<BigInt>),
}

/// The result of `int ** int`: an int, or a float when the exponent is negative.
#[derive(Clone, Debug, PartialEq)]
pub enum PowResult {
    /// A non-negative exponent gives an int.
    Int(Int),
    /// A negative exponent gives a float (`2 ** -1 == 0.5`).
    Float(f64),
}

fn zero_div_mod() -> ScalarError {
    ScalarError::zero_division("integer division or modulo by zero")
}

fn int_too_large() -> ScalarError {
    ScalarError::overflow("int too large to convert to float")
}

fn limit_to_str_error(limit: usize) -> ScalarError {
    ScalarError::value(format!(
        "Exceeds the limit ({limit} digits) for integer string conversion; \
         use sys.set_int_max_str_digits() to increase the limit"
    ))
}

impl Int {
    /// The int `0`.
    pub const ZERO: Int = Int(Repr::Small(0));
    /// The int `1`.
    pub const ONE: Int = Int(Repr::Small(1));

    /// An int from an `i64` (always inline).
    #[inline]
    pub const fn from_i64(v: i64) -> Int {
        Int(Repr::Small(v))
    }

    /// An int from a big integer, normalised.
    pub fn from_bigint(b: BigInt) -> Int {
        match b.to_i64() {
            Some(v) => Int(Repr::Small(v)),
            None => Int(Repr::Big(Box::new(b))),
        }
    }

    /// The value as an `i64`, when it fits.
    #[inline]
    pub fn as_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Small(v) => Some(*v),
            Repr::Big(_) => None,
        }
    }

    /// The value as a `BigInt` (borrowed when already big).
    pub fn as_bigint(&self) -> Cow<'_, BigInt> {
        match &self.0 {
            Repr::Small(v) => Cow::Owned(BigInt::from(*v)),
            Repr::Big(b) => Cow::Borrowed(b),
        }
    }

    /// The value as an owned `BigInt`.
    pub fn to_bigint(&self) -> BigInt {
        self.as_bigint().into_owned()
    }

    /// The value as an `i128`, when it fits.
    pub fn to_i128(&self) -> Option<i128> {
        match &self.0 {
            Repr::Small(v) => Some(*v as i128),
            Repr::Big(b) => b.to_i128(),
        }
    }

    /// The value as a `usize`, when it fits (negative values do not).
    pub fn to_usize(&self) -> Option<usize> {
        match &self.0 {
            Repr::Small(v) => usize::try_from(*v).ok(),
            Repr::Big(b) => b.to_usize(),
        }
    }

    /// The value as a `u32` digit value, used by `chr()`-like conversions.
    pub fn to_u32(&self) -> Option<u32> {
        self.as_i64().and_then(|v| u32::try_from(v).ok())
    }

    /// Whether the value is stored inline (fits in `i64`).
    #[inline]
    pub fn is_small(&self) -> bool {
        matches!(self.0, Repr::Small(_))
    }

    /// `self == 0`.
    #[inline]
    pub fn is_zero(&self) -> bool {
        matches!(self.0, Repr::Small(0))
    }

    /// `self < 0`.
    #[inline]
    pub fn is_negative(&self) -> bool {
        match &self.0 {
            Repr::Small(v) => *v < 0,
            Repr::Big(b) => b.sign() == Sign::Minus,
        }
    }

    /// `-1`, `0` or `1`.
    pub fn signum(&self) -> i32 {
        match &self.0 {
            Repr::Small(v) => v.signum() as i32,
            Repr::Big(b) => {
                if b.sign() == Sign::Minus {
                    -1
                } else {
                    1
                }
            }
        }
    }

    /// `bool(self)`.
    #[inline]
    pub fn to_bool(&self) -> bool {
        !self.is_zero()
    }

    /// `int.bit_length()`: bits of `abs(self)` without sign and leading zeros.
    pub fn bit_length(&self) -> u64 {
        match &self.0 {
            Repr::Small(v) => 64 - v.unsigned_abs().leading_zeros() as u64,
            Repr::Big(b) => b.bits(),
        }
    }

    /// `int.bit_count()`: the number of ones in `abs(self)`.
    pub fn bit_count(&self) -> u64 {
        match &self.0 {
            Repr::Small(v) => v.unsigned_abs().count_ones() as u64,
            Repr::Big(b) => b.iter_u64_digits().map(|d| d.count_ones() as u64).sum(),
        }
    }

    // ----- arithmetic -------------------------------------------------------------------

    /// `self + other`.
    pub fn add(&self, other: &Int) -> Int {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0)
            && let Some(r) = a.checked_add(*b)
        {
            return Int::from_i64(r);
        }
        Int::from_bigint(&*self.as_bigint() + &*other.as_bigint())
    }

    /// `self - other`.
    pub fn sub(&self, other: &Int) -> Int {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0)
            && let Some(r) = a.checked_sub(*b)
        {
            return Int::from_i64(r);
        }
        Int::from_bigint(&*self.as_bigint() - &*other.as_bigint())
    }

    /// `self * other`.
    pub fn mul(&self, other: &Int) -> Int {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0)
            && let Some(r) = a.checked_mul(*b)
        {
            return Int::from_i64(r);
        }
        Int::from_bigint(&*self.as_bigint() * &*other.as_bigint())
    }

    /// `self // other` (rounds toward negative infinity).
    pub fn floordiv(&self, other: &Int) -> ScalarResult<Int> {
        if other.is_zero() {
            return Err(zero_div_mod());
        }
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0)
            && let Some(q) = a.checked_div(*b)
        {
            let adjust = (a % b != 0) && ((*a < 0) != (*b < 0));
            return Ok(Int::from_i64(if adjust { q - 1 } else { q }));
        }
        Ok(Int::from_bigint(
            self.as_bigint().div_floor(&other.as_bigint()),
        ))
    }

    /// `self % other` (the result has the sign of `other`).
    pub fn modulo(&self, other: &Int) -> ScalarResult<Int> {
        if other.is_zero() {
            return Err(ScalarError::zero_division("integer modulo by zero"));
        }
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0) {
            let r = a.checked_rem(*b).unwrap_or(0);
            let fix = r != 0 && ((r < 0) != (*b < 0));
            // r + b cannot overflow when r and b have opposite signs.
            return Ok(Int::from_i64(if fix { r + b } else { r }));
        }
        Ok(Int::from_bigint(
            self.as_bigint().mod_floor(&other.as_bigint()),
        ))
    }

    /// `divmod(self, other)`.
    pub fn divmod(&self, other: &Int) -> ScalarResult<(Int, Int)> {
        if other.is_zero() {
            return Err(zero_div_mod());
        }
        if let (Repr::Small(_), Repr::Small(_)) = (&self.0, &other.0) {
            return Ok((self.floordiv(other)?, self.modulo(other)?));
        }
        let (q, r) = self.as_bigint().div_mod_floor(&other.as_bigint());
        Ok((Int::from_bigint(q), Int::from_bigint(r)))
    }

    /// `self / other`: the correctly rounded float quotient.
    pub fn truediv(&self, other: &Int) -> ScalarResult<f64> {
        if other.is_zero() {
            return Err(ScalarError::zero_division("division by zero"));
        }
        const EXACT: u64 = 1 << 53;
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0)
            && a.unsigned_abs() <= EXACT
            && b.unsigned_abs() <= EXACT
        {
            return Ok(*a as f64 / *b as f64);
        }
        let a = self.as_bigint();
        let b = other.as_bigint();
        let negative = (a.sign() == Sign::Minus) != (b.sign() == Sign::Minus);
        let q = ratio_to_f64(a.magnitude(), b.magnitude()).ok_or_else(|| {
            ScalarError::overflow("integer division result too large for a float")
        })?;
        Ok(if negative { -q } else { q })
    }

    /// `-self`.
    pub fn neg(&self) -> Int {
        match &self.0 {
            Repr::Small(v) => match v.checked_neg() {
                Some(r) => Int::from_i64(r),
                None => Int::from_bigint(-BigInt::from(*v)),
            },
            Repr::Big(b) => Int::from_bigint(-(**b).clone()),
        }
    }

    /// `abs(self)`.
    pub fn abs(&self) -> Int {
        if self.is_negative() {
            self.neg()
        } else {
            self.clone()
        }
    }

    /// `~self` (`-self - 1`).
    pub fn invert(&self) -> Int {
        match &self.0 {
            Repr::Small(v) => Int::from_i64(!v),
            Repr::Big(b) => Int::from_bigint(-(**b).clone() - 1),
        }
    }

    /// `self ** exp`. A negative exponent gives a float computed as
    /// `float(self) ** float(exp)`, with float's errors (`0 ** -1` is a `ZeroDivisionError`).
    pub fn pow(&self, exp: &Int) -> ScalarResult<PowResult> {
        if exp.is_negative() {
            let base = self.to_f64()?;
            let e = exp.to_f64()?;
            return float::pow(base, e).map(PowResult::Float);
        }
        // Trivial bases first: they never grow.
        match self.as_i64() {
            Some(0) => return Ok(PowResult::Int(Int::from_i64(exp.is_zero() as i64))),
            Some(1) => return Ok(PowResult::Int(Int::ONE)),
            Some(-1) => {
                let odd = exp.is_odd();
                return Ok(PowResult::Int(Int::from_i64(if odd { -1 } else { 1 })));
            }
            _ => {}
        }
        let Some(e) = exp.as_i64() else {
            return Err(ScalarError::memory());
        };
        let e = e as u64;
        if let (Repr::Small(b), Ok(e32)) = (&self.0, u32::try_from(e))
            && let Some(r) = b.checked_pow(e32)
        {
            return Ok(PowResult::Int(Int::from_i64(r)));
        }
        // A lower bound on the result's size: (bits - 1) * e + 1.
        let bits = self.bit_length();
        if (bits - 1).saturating_mul(e).saturating_add(1) > MAX_BITS {
            return Err(ScalarError::memory());
        }
        let r: BigInt = Pow::pow(&*self.as_bigint(), e);
        Ok(PowResult::Int(Int::from_bigint(r)))
    }

    /// `pow(self, exp, modulus)`; a negative exponent uses the modular inverse of `self`.
    pub fn pow_mod(&self, exp: &Int, modulus: &Int) -> ScalarResult<Int> {
        if modulus.is_zero() {
            return Err(ScalarError::value("pow() 3rd argument cannot be 0"));
        }
        let negative_output = modulus.is_negative();
        let m = modulus.abs();
        if m == Int::ONE {
            return Ok(Int::ZERO);
        }
        let mut base = self.modulo(&m)?;
        let mut e = exp.clone();
        if e.is_negative() {
            let inv = base.as_bigint().modinv(&m.as_bigint()).ok_or_else(|| {
                ScalarError::value("base is not invertible for the given modulus")
            })?;
            base = Int::from_bigint(inv);
            e = e.neg();
        }
        let r = match (&base.0, &e.0, &m.0) {
            (Repr::Small(b), Repr::Small(x), Repr::Small(n)) => {
                Int::from_i64(small_modpow(*b as u64, *x as u64, *n as u64) as i64)
            }
            _ => Int::from_bigint(base.as_bigint().modpow(&e.as_bigint(), &m.as_bigint())),
        };
        if negative_output && !r.is_zero() {
            Ok(r.sub(&m))
        } else {
            Ok(r)
        }
    }

    fn is_odd(&self) -> bool {
        match &self.0 {
            Repr::Small(v) => v & 1 == 1,
            Repr::Big(b) => b.is_odd(),
        }
    }

    // ----- shifts and bitwise -----------------------------------------------------------

    /// `self << count`.
    pub fn shl(&self, count: &Int) -> ScalarResult<Int> {
        if count.is_negative() {
            return Err(ScalarError::value("negative shift count"));
        }
        if self.is_zero() {
            return Ok(Int::ZERO);
        }
        let Some(n) = count.as_i64() else {
            // CPython splits the count into 30-bit digit words; a word count beyond the
            // machine word is an OverflowError, anything else a failed allocation.
            let words = count.floordiv(&Int::from_i64(30))?;
            if words.as_i64().is_none() {
                return Err(ScalarError::overflow("too many digits in integer"));
            }
            return Err(ScalarError::memory());
        };
        let n = n as u64;
        if let Repr::Small(v) = self.0
            && n < 64
        {
            let r = v << n;
            if r >> n == v {
                return Ok(Int::from_i64(r));
            }
        }
        if self.bit_length().saturating_add(n) > MAX_BITS {
            return Err(ScalarError::memory());
        }
        Ok(Int::from_bigint(&*self.as_bigint() << n))
    }

    /// `self >> count` (rounds toward negative infinity).
    pub fn shr(&self, count: &Int) -> ScalarResult<Int> {
        if count.is_negative() {
            return Err(ScalarError::value("negative shift count"));
        }
        let n = match count.as_i64() {
            Some(n) if (n as u64) < self.bit_length() + 1 => n as u64,
            _ => return Ok(Int::from_i64(if self.is_negative() { -1 } else { 0 })),
        };
        match &self.0 {
            Repr::Small(v) => Ok(Int::from_i64(v >> n.min(63))),
            Repr::Big(b) => Ok(Int::from_bigint(&**b >> n)),
        }
    }

    /// `self & other`.
    pub fn bitand(&self, other: &Int) -> Int {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0) {
            return Int::from_i64(a & b);
        }
        Int::from_bigint(&*self.as_bigint() & &*other.as_bigint())
    }

    /// `self | other`.
    pub fn bitor(&self, other: &Int) -> Int {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0) {
            return Int::from_i64(a | b);
        }
        Int::from_bigint(&*self.as_bigint() | &*other.as_bigint())
    }

    /// `self ^ other`.
    pub fn bitxor(&self, other: &Int) -> Int {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0) {
            return Int::from_i64(a ^ b);
        }
        Int::from_bigint(&*self.as_bigint() ^ &*other.as_bigint())
    }

    // ----- floats -----------------------------------------------------------------------

    /// `float(self)`: correctly rounded (half to even); `OverflowError` when it would be
    /// infinite.
    pub fn to_f64(&self) -> ScalarResult<f64> {
        match &self.0 {
            Repr::Small(v) => Ok(*v as f64),
            Repr::Big(b) => {
                let m = biguint_to_f64(b.magnitude()).ok_or_else(int_too_large)?;
                Ok(if b.sign() == Sign::Minus { -m } else { m })
            }
        }
    }

    /// `int(x)` for a float: truncates toward zero. NaN is a `ValueError`, infinities an
    /// `OverflowError`, as in CPython.
    pub fn from_f64(x: f64) -> ScalarResult<Int> {
        if x.is_nan() {
            return Err(ScalarError::value("cannot convert float NaN to integer"));
        }
        if x.is_infinite() {
            return Err(ScalarError::overflow(
                "cannot convert float infinity to integer",
            ));
        }
        Ok(Int::from_integral_f64(x.trunc()))
    }

    /// The exact int value of a finite float that has no fractional part.
    pub(crate) fn from_integral_f64(t: f64) -> Int {
        const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
        if (-LIMIT..LIMIT).contains(&t) {
            return Int::from_i64(t as i64);
        }
        let (neg, mant, exp) = float::decompose(t);
        // |t| >= 2^63 so exp > 0.
        let mag = BigInt::from(mant) << exp as u32;
        Int::from_bigint(if neg { -mag } else { mag })
    }

    /// Compares `self` with a float exactly (no rounding); `None` when `x` is NaN.
    pub fn cmp_f64(&self, x: f64) -> Option<Ordering> {
        if x.is_nan() {
            return None;
        }
        if x.is_infinite() {
            return Some(if x > 0.0 {
                Ordering::Less
            } else {
                Ordering::Greater
            });
        }
        if let Repr::Small(v) = self.0
            && v.unsigned_abs() <= 1 << 53
        {
            return (v as f64).partial_cmp(&x);
        }
        let t = x.trunc();
        match self.cmp(&Int::from_integral_f64(t)) {
            Ordering::Equal => 0.0f64.partial_cmp(&(x - t)),
            other => Some(other),
        }
    }

    /// `self == x` for a float, exactly.
    pub fn eq_f64(&self, x: f64) -> bool {
        self.cmp_f64(x) == Some(Ordering::Equal)
    }

    // ----- hashing and text -------------------------------------------------------------

    /// `hash(self)`: CPython's numeric hash (equal to `hash(float(self))` when exact).
    pub fn hash(&self) -> i64 {
        match &self.0 {
            Repr::Small(v) => hash::hash_i64(*v),
            Repr::Big(b) => hash::hash_bigint(b),
        }
    }

    /// The digits of `abs(self)` in `radix` (2..=36), lowercase, without sign or prefix.
    pub fn magnitude_str_radix(&self, radix: u32) -> String {
        match &self.0 {
            Repr::Small(v) if radix == 10 => v.unsigned_abs().to_string(),
            Repr::Small(v) if radix == 16 => format!("{:x}", v.unsigned_abs()),
            Repr::Small(v) if radix == 8 => format!("{:o}", v.unsigned_abs()),
            Repr::Small(v) if radix == 2 => format!("{:b}", v.unsigned_abs()),
            Repr::Small(v) => BigUint::from(v.unsigned_abs()).to_str_radix(radix),
            Repr::Big(b) => b.magnitude().to_str_radix(radix),
        }
    }

    /// The value in `radix` (2..=36), lowercase, with a leading `-` when negative and no
    /// prefix.
    pub fn to_str_radix(&self, radix: u32) -> String {
        let digits = self.magnitude_str_radix(radix);
        if self.is_negative() {
            format!("-{digits}")
        } else {
            digits
        }
    }

    fn prefixed(&self, radix: u32, prefix: &str) -> String {
        let digits = self.magnitude_str_radix(radix);
        let sign = if self.is_negative() { "-" } else { "" };
        format!("{sign}{prefix}{digits}")
    }

    /// `hex(self)`, e.g. `-0x1f`.
    pub fn hex(&self) -> String {
        self.prefixed(16, "0x")
    }

    /// `oct(self)`, e.g. `0o17`.
    pub fn oct(&self) -> String {
        self.prefixed(8, "0o")
    }

    /// `bin(self)`, e.g. `-0b101`.
    pub fn bin(&self) -> String {
        self.prefixed(2, "0b")
    }

    /// `str(self)` / `repr(self)` under CPython's integer string conversion length limit
    /// (`sys.get_int_max_str_digits()`; `0` means unlimited): `ValueError` when the decimal
    /// form has more than `max_digits` digits. `Display` has no limit.
    pub fn to_str_checked(&self, max_digits: usize) -> ScalarResult<String> {
        if max_digits > 0
            && let Repr::Big(b) = &self.0
        {
            // A quick lower bound on the digit count avoids converting gigantic ints.
            let bits = b.bits();
            let at_least = ((bits - 1) as f64 * core::f64::consts::LOG10_2) as u64 + 1;
            if at_least > max_digits as u64 + 1 {
                return Err(limit_to_str_error(max_digits));
            }
            let s = b.to_string();
            let digits = s.len() - usize::from(self.is_negative());
            if digits > max_digits {
                return Err(limit_to_str_error(max_digits));
            }
            return Ok(s);
        }
        Ok(self.to_string())
    }

    /// `str(self)` under the process-wide digit limit ([`max_str_digits`]).
    pub fn to_decimal_string(&self) -> ScalarResult<String> {
        self.to_str_checked(max_str_digits())
    }

    /// `int(s, base)` under the process-wide digit limit ([`max_str_digits`]); see
    /// [`Int::parse_with_limit`].
    pub fn parse(s: &str, base: u32) -> ScalarResult<Int> {
        Int::parse_with_limit(s, base, max_str_digits())
    }

    /// `int(s, base)`: base 0 (literal rules: prefixes, no leading zeros) or 2..=36;
    /// surrounding whitespace, one sign, `0x`/`0o`/`0b` prefixes matching the base, single
    /// underscores between digits (and after a prefix), and decimal digits of any script.
    /// Strings of more than `max_digits` digits (`0` = unlimited) are refused for bases
    /// that are not powers of two, as CPython's `sys.set_int_max_str_digits` does.
    pub fn parse_with_limit(s: &str, base: u32, max_digits: usize) -> ScalarResult<Int> {
        if base == 1 || base > 36 {
            return Err(ScalarError::value(
                "int() base must be >= 2 and <= 36, or 0",
            ));
        }
        let invalid = || {
            let mut r = super::str::repr(s);
            if let Some((i, _)) = r.char_indices().nth(200) {
                r.truncate(i);
            }
            ScalarError::value(format!("invalid literal for int() with base {base}: {r}"))
        };
        // Normalise to ASCII: any whitespace becomes ' ', any decimal digit its ASCII digit,
        // other non-ASCII characters something that is not a digit.
        let t: Vec<u8> = if s.is_ascii() {
            s.as_bytes().to_vec()
        } else {
            s.chars()
                .map(|c| {
                    if c.is_ascii() {
                        c as u8
                    } else if super::unicode::is_space(c) {
                        b' '
                    } else if let Some(d) = super::unicode::decimal_value(c) {
                        b'0' + d as u8
                    } else {
                        b'?'
                    }
                })
                .collect()
        };
        let is_ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r');
        let mut i = 0;
        while i < t.len() && is_ws(t[i]) {
            i += 1;
        }
        let mut negative = false;
        if i < t.len() && (t[i] == b'+' || t[i] == b'-') {
            negative = t[i] == b'-';
            i += 1;
        }
        let at = |k: usize| t.get(k).copied().unwrap_or(0);
        let mut base = base;
        let mut nonzero_is_error = false;
        if base == 0 {
            base = match (at(i), at(i + 1).to_ascii_lowercase()) {
                (b'0', b'x') => 16,
                (b'0', b'o') => 8,
                (b'0', b'b') => 2,
                (b'0', _) => {
                    nonzero_is_error = true;
                    10
                }
                _ => 10,
            };
        }
        if at(i) == b'0' {
            let p = at(i + 1).to_ascii_lowercase();
            if (base == 16 && p == b'x') || (base == 8 && p == b'o') || (base == 2 && p == b'b') {
                i += 2;
                if at(i) == b'_' {
                    i += 1;
                }
            }
        }
        let digit_value = |b: u8| -> Option<u32> { (b as char).to_digit(base) };
        if at(i) == b'_' {
            return Err(invalid());
        }
        // Scan digits and single underscores between digits.
        let mut digits: Vec<u8> = Vec::with_capacity(t.len() - i);
        while i < t.len() {
            let b = t[i];
            if b == b'_' {
                if digit_value(at(i + 1)).is_some() {
                    i += 1;
                    continue;
                }
                break;
            }
            if digit_value(b).is_none() {
                break;
            }
            digits.push(b);
            i += 1;
        }
        if max_digits > 0 && !base.is_power_of_two() && digits.len() > max_digits {
            return Err(ScalarError::value(format!(
                "Exceeds the limit ({max_digits} digits) for integer string conversion: \
                 value has {} digits; use sys.set_int_max_str_digits() to increase the limit",
                digits.len()
            )));
        }
        while i < t.len() && is_ws(t[i]) {
            i += 1;
        }
        if digits.is_empty() || i != t.len() {
            return Err(invalid());
        }
        let mag = parse_digits(&digits, base);
        if nonzero_is_error && !mag.is_zero() {
            return Err(invalid());
        }
        Ok(if negative { mag.neg() } else { mag })
    }

    /// `format(self, spec)`: the format-spec mini-language for ints (types `b c d o x X n`,
    /// none, and the float types `e E f F g G %` which format `float(self)`).
    pub fn format(&self, spec: &str) -> ScalarResult<String> {
        format_spec::format_int_spec(self, spec)
    }
}

/// Digits (ASCII, valid in `base`) to a non-negative int.
fn parse_digits(digits: &[u8], base: u32) -> Int {
    let mut acc: u64 = 0;
    let mut fits = true;
    for &d in digits {
        let v = (d as char).to_digit(base).unwrap_or(0) as u64;
        match acc.checked_mul(base as u64).and_then(|a| a.checked_add(v)) {
            Some(a) => acc = a,
            None => {
                fits = false;
                break;
            }
        }
    }
    if fits && acc <= i64::MAX as u64 {
        return Int::from_i64(acc as i64);
    }
    let text = core::str::from_utf8(digits).unwrap_or("0");
    let big = BigUint::parse_bytes(text.as_bytes(), base).unwrap_or_default();
    Int::from_bigint(BigInt::from(big))
}

/// `b^e mod n` for `n < 2^63`, `b < n`.
fn small_modpow(b: u64, mut e: u64, n: u64) -> u64 {
    let n128 = n as u128;
    let mut base = b as u128 % n128;
    let mut acc: u128 = 1 % n128;
    while e > 0 {
        if e & 1 == 1 {
            acc = acc * base % n128;
        }
        base = base * base % n128;
        e >>= 1;
    }
    acc as u64
}

/// `x * 2^e` for an exactly representable result (or an overflow to infinity).
pub(crate) fn ldexp(mut x: f64, mut e: i64) -> f64 {
    let p1023 = f64::from_bits(0x7FE0_0000_0000_0000); // 2^1023
    let m1022 = f64::from_bits(0x0010_0000_0000_0000); // 2^-1022
    while e > 1023 {
        x *= p1023;
        e -= 1023;
        if x.is_infinite() {
            return x;
        }
    }
    while e < -1022 {
        x *= m1022;
        e += 1022;
        if x == 0.0 {
            return x;
        }
    }
    x * f64::from_bits(((e + 1023) as u64) << 52)
}

/// A big natural number to the nearest float (ties to even); `None` when that is infinite.
fn biguint_to_f64(m: &BigUint) -> Option<f64> {
    let bits = m.bits();
    if bits <= 64 {
        return m.to_u64().map(|v| v as f64);
    }
    if bits > 1025 {
        return None;
    }
    let shift = bits - 64;
    let mut top = (m >> shift).to_u64().unwrap_or(u64::MAX);
    // Round to odd: a sticky low bit keeps the u64 -> f64 rounding correct.
    if m.trailing_zeros().unwrap_or(0) < shift {
        top |= 1;
    }
    let r = ldexp(top as f64, shift as i64);
    if r.is_infinite() { None } else { Some(r) }
}

/// The correctly rounded (ties to even) float value of `n / d` for naturals, `d > 0`;
/// `None` when it overflows.
pub(crate) fn ratio_to_f64(n: &BigUint, d: &BigUint) -> Option<f64> {
    if n.is_zero() {
        return Some(0.0);
    }
    let nb = n.bits() as i64;
    let db = d.bits() as i64;
    // Scale so the integer quotient has 55 or 56 bits.
    let s = db - nb + 55;
    let (q, r) = if s >= 0 {
        (n << s as u64).div_rem(d)
    } else {
        n.div_rem(&(d << (-s) as u64))
    };
    let q = q.to_u64().unwrap_or(u64::MAX);
    let sticky = !r.is_zero();
    let qbits = 64 - q.leading_zeros() as i64;
    // The value lies in [2^e, 2^(e+1)).
    let e = qbits - 1 - s;
    if e > 1023 {
        return None;
    }
    // Exponent of the last kept bit: 53 significant bits, fewer for subnormals.
    let lsb = (e - 52).max(-1074);
    let drop = lsb + s;
    if drop >= 57 {
        return Some(0.0);
    }
    let drop = drop as u32;
    let mut m = q >> drop;
    let rem = q & ((1u64 << drop) - 1);
    let half = 1u64 << (drop - 1);
    if rem > half || (rem == half && (sticky || m & 1 == 1)) {
        m += 1;
    }
    let v = ldexp(m as f64, lsb);
    if v.is_infinite() { None } else { Some(v) }
}

impl Default for Int {
    fn default() -> Self {
        Int::ZERO
    }
}

impl PartialOrd for Int {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Int {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => a.cmp(b),
            // A big value is beyond every small one, in the direction of its sign.
            (Repr::Small(_), Repr::Big(b)) => {
                if b.sign() == Sign::Minus {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (Repr::Big(a), Repr::Small(_)) => {
                if a.sign() == Sign::Minus {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (Repr::Big(a), Repr::Big(b)) => a.cmp(b),
        }
    }
}

impl core::hash::Hash for Int {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        state.write_i64(Int::hash(self));
    }
}

impl fmt::Display for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Small(v) => fmt::Display::fmt(v, f),
            Repr::Big(b) => fmt::Display::fmt(b, f),
        }
    }
}

impl fmt::Debug for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

macro_rules! from_prim {
    ($($t:ty),*) => {$(
        impl From<$t> for Int {
            fn from(v: $t) -> Int {
                match i64::try_from(v) {
                    Ok(s) => Int::from_i64(s),
                    Err(_) => Int::from_bigint(BigInt::from(v)),
                }
            }
        }
    )*};
}
from_prim!(
    i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, i128, u128
);

impl From<bool> for Int {
    fn from(v: bool) -> Int {
        Int::from_i64(v as i64)
    }
}

impl From<BigInt> for Int {
    fn from(v: BigInt) -> Int {
        Int::from_bigint(v)
    }
}

impl From<&BigInt> for Int {
    fn from(v: &BigInt) -> Int {
        Int::from_bigint(v.clone())
    }
}

macro_rules! binop {
    ($tr:ident, $m:ident) => {
        impl core::ops::$tr<&Int> for &Int {
            type Output = Int;
            fn $m(self, rhs: &Int) -> Int {
                Int::$m(self, rhs)
            }
        }
        impl core::ops::$tr<Int> for Int {
            type Output = Int;
            fn $m(self, rhs: Int) -> Int {
                Int::$m(&self, &rhs)
            }
        }
    };
}
binop!(Add, add);
binop!(Sub, sub);
binop!(Mul, mul);
binop!(BitAnd, bitand);
binop!(BitOr, bitor);
binop!(BitXor, bitxor);

impl core::ops::Neg for &Int {
    type Output = Int;
    fn neg(self) -> Int {
        Int::neg(self)
    }
}

impl core::ops::Neg for Int {
    type Output = Int;
    fn neg(self) -> Int {
        Int::neg(&self)
    }
}

impl core::ops::Not for &Int {
    type Output = Int;
    fn not(self) -> Int {
        self.invert()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(v: i64) -> Int {
        Int::from(v)
    }

    fn big(s: &str) -> Int {
        Int::parse_with_limit(s, 10, 0).unwrap()
    }

    #[test]
    fn normalisation() {
        let a = i(i64::MAX).add(&i(1));
        assert!(!a.is_small());
        assert!(a.sub(&i(1)).is_small());
        assert_eq!(i(i64::MIN).neg().to_string(), "9223372036854775808");
        assert_eq!(i(i64::MIN).neg().neg(), i(i64::MIN));
        assert!(i(i64::MIN).neg().neg().is_small());
    }

    #[test]
    fn floor_semantics() {
        assert_eq!(i(-7).floordiv(&i(2)).unwrap(), i(-4));
        assert_eq!(i(-7).modulo(&i(2)).unwrap(), i(1));
        assert_eq!(i(7).modulo(&i(-2)).unwrap(), i(-1));
        assert_eq!(i(i64::MIN).floordiv(&i(-1)).unwrap(), i(i64::MIN).neg());
        assert_eq!(i(i64::MIN).modulo(&i(-1)).unwrap(), i(0));
        let e = i(1).floordiv(&i(0)).unwrap_err();
        assert_eq!(e.message, "integer division or modulo by zero");
        assert_eq!(
            i(1).modulo(&i(0)).unwrap_err().message,
            "integer modulo by zero"
        );
    }

    #[test]
    fn true_division() {
        assert_eq!(i(1).truediv(&i(3)).unwrap(), 1.0 / 3.0);
        assert_eq!(
            big(&"9".repeat(400))
                .truediv(&big(&"3".repeat(400)))
                .unwrap(),
            3.0
        );
        assert!(big(&"9".repeat(400)).truediv(&i(1)).is_err());
        assert_eq!(i(0).truediv(&i(-5)).unwrap().to_bits(), (-0.0f64).to_bits());
        let tiny = i(1).truediv(&i(1).shl(&i(1074)).unwrap()).unwrap();
        assert_eq!(tiny, 5e-324);
    }

    #[test]
    fn pow_variants() {
        assert_eq!(i(2).pow(&i(10)).unwrap(), PowResult::Int(i(1024)));
        assert_eq!(i(2).pow(&i(-1)).unwrap(), PowResult::Float(0.5));
        assert_eq!(
            i(0).pow(&i(-1)).unwrap_err().kind,
            super::super::ErrorKind::ZeroDivisionError
        );
        assert_eq!(i(3).pow_mod(&i(-1), &i(7)).unwrap(), i(5));
        assert_eq!(i(3).pow_mod(&i(2), &i(-7)).unwrap(), i(-5));
        assert_eq!(
            i(2).pow_mod(&i(-1), &i(4)).unwrap_err().message,
            "base is not invertible for the given modulus"
        );
        assert_eq!(
            i(2).pow(&i(1 << 40)).unwrap_err().kind,
            super::super::ErrorKind::MemoryError
        );
    }

    #[test]
    fn float_conversions() {
        assert_eq!(
            big("9007199254740993").to_f64().unwrap(),
            9007199254740992.0
        );
        assert_eq!(
            big("9007199254740995").to_f64().unwrap(),
            9007199254740996.0
        );
        assert_eq!(Int::from_f64(-2.5).unwrap(), i(-2));
        assert_eq!(Int::from_f64(1e20).unwrap(), big("100000000000000000000"));
        assert_eq!(i(1).cmp_f64(1.5), Some(Ordering::Less));
        assert_eq!(
            big("9007199254740993").cmp_f64(9007199254740992.0),
            Some(Ordering::Greater)
        );
        assert_eq!(i(0).cmp_f64(f64::NAN), None);
    }

    #[test]
    fn parsing() {
        assert_eq!(Int::parse(" -0x_1f ", 0).unwrap(), i(-31));
        assert_eq!(Int::parse("1_000", 10).unwrap(), i(1000));
        assert_eq!(Int::parse("٣٤", 10).unwrap(), i(34));
        assert!(Int::parse("1__0", 10).is_err());
        assert!(Int::parse("010", 0).is_err());
        assert_eq!(Int::parse("000", 0).unwrap(), i(0));
        assert_eq!(
            Int::parse("x", 10).unwrap_err().message,
            "invalid literal for int() with base 10: 'x'"
        );
    }

    #[test]
    fn text() {
        assert_eq!(i(-31).hex(), "-0x1f");
        assert_eq!(i(8).oct(), "0o10");
        assert_eq!(i(5).bin(), "0b101");
        assert!(big(&"1".repeat(4301)).to_str_checked(4300).is_err());
        assert!(big(&"1".repeat(4300)).to_str_checked(4300).is_ok());
    }
}
