//! Property tests for the scalar semantics: algebraic identities and round trips that must
//! hold for every input, complementing the CPython-generated golden files.

use num_bigint::{BigInt, Sign};
use proptest::prelude::*;

use weft_object::scalar::bytes::{self, Codec};
use weft_object::scalar::int::Int;
use weft_object::scalar::percent::{PercentArgs, PercentValue, percent_format};
use weft_object::scalar::{float, hash, str as pystr};

fn big_int() -> impl Strategy<Value = Int> {
    prop_oneof![
        any::<i64>().prop_map(Int::from),
        (-1000i64..1000).prop_map(Int::from),
        (any::<bool>(), prop::collection::vec(any::<u64>(), 1..5)).prop_map(|(neg, digits)| {
            let sign = if neg { Sign::Minus } else { Sign::Plus };
            let words: Vec<u32> = digits
                .iter()
                .flat_map(|d| [*d as u32, (*d >> 32) as u32])
                .collect();
            Int::from(BigInt::from_slice(sign, &words))
        }),
    ]
}

fn finite_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        (-1e6f64..1e6),
        (-1000i64..1000).prop_map(|v| v as f64 / 8.0),
    ]
    .prop_filter("finite", |x| x.is_finite())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn floor_division_identity(a in big_int(), b in big_int()) {
        prop_assume!(!b.is_zero());
        let q = a.floordiv(&b).unwrap();
        let r = a.modulo(&b).unwrap();
        prop_assert_eq!(q.mul(&b).add(&r), a.clone());
        // The remainder has the divisor's sign and a smaller magnitude.
        prop_assert!(r.is_zero() || r.is_negative() == b.is_negative());
        prop_assert!(r.abs() < b.abs());
        prop_assert_eq!(a.divmod(&b).unwrap(), (q, r));
    }

    #[test]
    fn ring_identities(a in big_int(), b in big_int(), c in big_int()) {
        prop_assert_eq!(a.add(&b).sub(&b), a.clone());
        prop_assert_eq!(a.mul(&b.add(&c)), a.mul(&b).add(&a.mul(&c)));
        prop_assert_eq!(a.neg().neg(), a.clone());
        prop_assert_eq!(a.invert(), a.neg().sub(&Int::ONE));
        // (a & b) + (a | b) == a + b, and xor is its own inverse.
        prop_assert_eq!(a.bitand(&b).add(&a.bitor(&b)), a.add(&b));
        prop_assert_eq!(a.bitxor(&b).bitxor(&b), a.clone());
    }

    #[test]
    fn shifts_are_multiplication_and_floor_division(a in big_int(), n in 0u32..200) {
        let count = Int::from(n);
        let p = Int::from(2).pow(&count).unwrap();
        let weft_object::scalar::int::PowResult::Int(p) = p else { unreachable!() };
        let l = a.shl(&count).unwrap();
        prop_assert_eq!(&l, &a.mul(&p));
        prop_assert_eq!(l.shr(&count).unwrap(), a.clone());
        prop_assert_eq!(a.shr(&count).unwrap(), a.floordiv(&p).unwrap());
    }

    #[test]
    fn int_text_round_trips(a in big_int()) {
        let s = a.to_string();
        prop_assert_eq!(Int::parse_with_limit(&s, 10, 0).unwrap(), a.clone());
        prop_assert_eq!(Int::parse(&a.hex(), 0).unwrap(), a.clone());
        prop_assert_eq!(Int::parse(&a.oct(), 0).unwrap(), a.clone());
        prop_assert_eq!(Int::parse(&a.bin(), 0).unwrap(), a.clone());
        prop_assert_eq!(Int::parse(&a.to_str_radix(36), 36).unwrap(), a.clone());
        let grouped = a.format(",").unwrap().replace(',', "");
        prop_assert_eq!(grouped, s.clone());
        let args = [PercentValue::Int(a.clone())];
        prop_assert_eq!(percent_format("%d", PercentArgs::Tuple(&args)).unwrap(), s);
    }

    #[test]
    fn int_hash_is_reduction_mod_p(a in big_int()) {
        let p = Int::from(hash::MODULUS);
        let r = a.abs().modulo(&p).unwrap();
        let r = if a.is_negative() { r.neg() } else { r };
        let expected = r.as_i64().unwrap();
        let expected = if expected == -1 { -2 } else { expected };
        prop_assert_eq!(a.hash(), expected);
    }

    #[test]
    fn integral_floats_hash_and_compare_like_ints(x in finite_f64()) {
        let t = x.trunc();
        let i = Int::from_f64(t).unwrap();
        prop_assert_eq!(Some(i.hash()), float::hash(t));
        prop_assert_eq!(i.cmp_f64(t), Some(std::cmp::Ordering::Equal));
        prop_assert_eq!(i.to_f64().unwrap(), t);
        prop_assert_eq!(float::cmp_int(x, &i), x.partial_cmp(&t));
    }

    #[test]
    fn float_repr_round_trips(x in any::<u64>().prop_map(f64::from_bits)) {
        prop_assume!(!x.is_nan());
        let r = float::repr(x);
        let back = float::parse(&r).unwrap();
        prop_assert_eq!(back.to_bits(), x.to_bits(), "{}", r);
        // repr never has more than 17 significant digits.
        let mantissa: String = r.split('e').next().unwrap().chars().filter(char::is_ascii_digit).collect();
        let significant = mantissa.trim_start_matches('0').trim_end_matches('0');
        prop_assert!(significant.len() <= 17, "{}", r);
    }

    #[test]
    fn round_matches_fixed_formatting(x in -1e12f64..1e12, n in 0i64..12) {
        let via_text = float::parse(&format!("{:.*}", n as usize, x)).unwrap();
        prop_assert_eq!(float::round(x, n).unwrap(), via_text);
    }

    #[test]
    fn float_division_rules(a in finite_f64(), b in finite_f64()) {
        prop_assume!(b != 0.0);
        let (q, r) = float::divmod(a, b).unwrap();
        prop_assert_eq!(q.to_bits(), float::floordiv(a, b).unwrap().to_bits());
        prop_assert_eq!(r.to_bits(), float::modulo(a, b).unwrap().to_bits());
        prop_assert!(r == 0.0 || (r < 0.0) == (b < 0.0));
        prop_assert!(r.abs() <= b.abs());
        prop_assert_eq!(q, q.floor());
    }

    #[test]
    fn ratio_is_exact(x in finite_f64()) {
        let (n, d) = float::as_integer_ratio(x).unwrap();
        prop_assert_eq!(n.truediv(&d).unwrap(), x);
    }

    #[test]
    fn int_true_division_is_correctly_rounded(k in big_int(), b in big_int()) {
        prop_assume!(!b.is_zero());
        // An exact quotient must come back as the int's own correct rounding.
        let a = k.mul(&b);
        match k.to_f64() {
            Ok(expected) => prop_assert_eq!(a.truediv(&b).unwrap(), expected),
            Err(_) => prop_assert!(a.truediv(&b).is_err()),
        }
    }

    #[test]
    fn str_split_join(parts in prop::collection::vec("[a-zé😀 ]{0,4}", 1..6)) {
        let joined = pystr::join(",", parts.iter().map(String::as_str));
        let back = pystr::split(&joined, Some(","), -1).unwrap();
        prop_assert_eq!(&back, &parts);
        prop_assert_eq!(pystr::rsplit(&joined, Some(","), -1).unwrap(), back);
        prop_assert_eq!(pystr::count(&joined, ",", None, None), parts.len() - 1);
    }

    #[test]
    fn str_find_agrees_with_slicing(s in "[abé😀]{0,12}", sub in "[abé😀]{0,2}", st in -15isize..15, en in -15isize..15) {
        let idx = pystr::CharIndex::new(&s);
        let (a, b) = pystr::adjust_indices(Some(st), Some(en), idx.len);
        let expected = if b < a || b - a < pystr::char_count(&sub) {
            None
        } else {
            let region = idx.slice(&s, a, b);
            region.find(sub.as_str()).map(|byte| a + pystr::char_count(&region[..byte]))
        };
        prop_assert_eq!(pystr::find(&s, &sub, Some(st), Some(en)), expected);
        if let Some(i) = pystr::rfind(&s, &sub, Some(st), Some(en)) {
            prop_assert!(pystr::startswith(&s, &sub, Some(i as isize), None));
        }
    }

    #[test]
    fn str_hash_never_minus_one(s in ".{0,16}") {
        prop_assert_ne!(pystr::hash(&s), -1);
        prop_assert_eq!(pystr::hash(&s), pystr::hash(&s.clone()));
    }

    #[test]
    fn codecs_round_trip(s in ".{0,16}") {
        let utf8 = bytes::encode(&s, Codec::Utf8).unwrap();
        prop_assert_eq!(bytes::decode(&utf8, Codec::Utf8).unwrap(), s.clone());
        match bytes::encode(&s, Codec::Latin1) {
            Ok(b) => prop_assert_eq!(bytes::decode(&b, Codec::Latin1).unwrap(), s.clone()),
            Err(e) => prop_assert!(s.chars().nth(e.start).is_some_and(|c| c as u32 > 0xff)),
        }
        let h = bytes::hex(&utf8, None, 1).unwrap();
        prop_assert_eq!(bytes::fromhex(&h).unwrap(), utf8);
    }
}
