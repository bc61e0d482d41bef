//! Hashes: CPython's numeric hash (so `hash(1) == hash(1.0)`) and weft's string hash.
//!
//! # Numeric hash
//! For a rational number `x = n / d`, CPython defines `hash(x)` as `n * d^-1` modulo the
//! Mersenne prime `P = 2^61 - 1`, with the sign of `x`; infinities hash to `±314159`, and a
//! result of `-1` becomes `-2` (`-1` is the C-level error marker). Ints and integral floats
//! therefore hash equally, and every float `m * 2^e` hashes to `m * 2^(e mod 61) mod P`
//! because `2^61 ≡ 1 (mod P)`.
//!
//! # String hash
//! CPython randomises `str`/`bytes` hashes per process (SipHash with a random key), so no
//! program can depend on their values. weft uses a fast *deterministic* hash instead
//! ([`hash_bytes`], [`hash_str`]); it is not equal to any CPython hash and never returns `-1`.

use num_bigint::BigInt;
use num_bigint::Sign;

/// Number of bits of the hash modulus: `P = 2^61 - 1`.
pub const MODULUS_BITS: u32 = 61;
/// The numeric hash modulus `P = 2^61 - 1` (`sys.hash_info.modulus`).
pub const MODULUS: u64 = (1 << MODULUS_BITS) - 1;
/// `hash(float('inf'))` (`sys.hash_info.inf`); `-INF` for negative infinity.
pub const INF: i64 = 314_159;

/// Maps the reserved value `-1` to `-2`.
#[inline]
pub fn fix(h: i64) -> i64 {
    if h == -1 { -2 } else { h }
}

/// `hash(n)` for an int that fits in an `i64`.
#[inline]
pub fn hash_i64(n: i64) -> i64 {
    let m = n.unsigned_abs() % MODULUS;
    let h = m as i64;
    fix(if n < 0 { -h } else { h })
}

/// `hash(n)` for a big int.
pub fn hash_bigint(n: &BigInt) -> i64 {
    let mut acc: u64 = 0;
    // Most significant digit first: acc = acc * 2^64 + d (mod P).
    let digits: Vec<u64> = n.iter_u64_digits().collect();
    for &d in digits.iter().rev() {
        let wide = ((acc as u128) << 64) | d as u128;
        acc = (wide % MODULUS as u128) as u64;
    }
    let h = acc as i64;
    fix(if n.sign() == Sign::Minus { -h } else { h })
}

/// `2^k mod P` for `0 <= k < 61`.
#[inline]
fn pow2_mod(k: u32) -> u64 {
    (1u64 << k) % MODULUS
}

/// `hash(x)` for a float. `None` for NaN: since Python 3.10 a NaN hashes by object identity,
/// so the caller must hash the object's address instead.
pub fn hash_f64(x: f64) -> Option<i64> {
    if x.is_nan() {
        return None;
    }
    if x.is_infinite() {
        return Some(if x > 0.0 { INF } else { -INF });
    }
    if x == 0.0 {
        return Some(0);
    }
    let (neg, mant, exp) = super::float::decompose(x);
    let e = exp.rem_euclid(MODULUS_BITS as i32) as u32;
    let m = mant % MODULUS;
    let h = ((m as u128 * pow2_mod(e) as u128) % MODULUS as u128) as i64;
    Some(fix(if neg { -h } else { h }))
}

/// The hash of a `(numerator, denominator)` pair given as `n mod P` and `d mod P` with a sign:
/// `hash(Fraction(n, d))`. `None` when `d ≡ 0 (mod P)` (CPython then hashes as infinity).
pub fn hash_ratio_mod(neg: bool, n_mod: u64, d_mod: u64) -> Option<i64> {
    if d_mod == 0 {
        return None;
    }
    // d^(P-2) is the inverse of d modulo the prime P.
    let mut base = d_mod as u128;
    let mut e = MODULUS - 2;
    let mut inv: u128 = 1;
    let p = MODULUS as u128;
    while e > 0 {
        if e & 1 == 1 {
            inv = inv * base % p;
        }
        base = base * base % p;
        e >>= 1;
    }
    let h = (n_mod as u128 * inv % p) as i64;
    Some(fix(if neg { -h } else { h }))
}

const K0: u64 = 0x9E37_79B9_7F4A_7C15;
const K1: u64 = 0xBF58_476D_1CE4_E5B9;
const K2: u64 = 0x94D0_49BB_1331_11EB;

#[inline]
fn mix(h: u64, v: u64) -> u64 {
    let x = (h ^ v).wrapping_mul(K1);
    x.rotate_left(31).wrapping_mul(K0)
}

/// weft's deterministic hash of a byte string (not CPython-compatible; never `-1`).
pub fn hash_bytes(data: &[u8]) -> i64 {
    let mut h = K2 ^ (data.len() as u64).wrapping_mul(K0);
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(w));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
    }
    // Final avalanche.
    h ^= h >> 33;
    h = h.wrapping_mul(K1);
    h ^= h >> 29;
    h = h.wrapping_mul(K2);
    h ^= h >> 32;
    fix(h as i64)
}

/// weft's deterministic hash of a str (see the module docs); equals [`hash_bytes`] of its
/// UTF-8 encoding, and is never `-1`.
pub fn hash_str(s: &str) -> i64 {
    hash_bytes(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_samples() {
        assert_eq!(hash_i64(-1), -2);
        assert_eq!(hash_i64(i64::MIN), -4);
        assert_eq!(hash_i64(MODULUS as i64), 0);
        assert_eq!(hash_f64(0.5), Some(1 << 60));
        assert_eq!(hash_f64(-1.0), Some(-2));
        assert_eq!(hash_f64(f64::NEG_INFINITY), Some(-INF));
        assert_eq!(hash_f64(f64::NAN), None);
        assert_eq!(
            hash_f64(2f64.powi(70)),
            Some(hash_bigint(&(BigInt::from(1) << 70usize)))
        );
        // hash(Fraction(1, 2)) == hash(0.5)
        assert_eq!(hash_ratio_mod(false, 1, 2), hash_f64(0.5));
    }

    #[test]
    fn string_hash_is_deterministic_and_spread() {
        assert_eq!(hash_str("abc"), hash_bytes(b"abc"));
        assert_ne!(hash_str("abc"), hash_str("abd"));
        assert_ne!(hash_str(""), hash_str("\0"));
        assert_ne!(hash_str("a"), -1);
    }
}
