//! Methods of `int`, `float` and `bytes`.

use std::borrow::Cow;

use weft_containers::new_list;
use weft_containers::tuple::as_tuple;
use weft_object::scalar::bytes as sb;
use weft_object::scalar::float;
use weft_object::scalar::int::Int;
use weft_object::types::{BYTES_TYPE, FLOAT_TYPE, INT_TYPE, PyBytes};
use weft_object::{ExcKind, ObjRef, bool_obj, int_from_i64, str_obj};

use crate::builtins::util::{index_i64, int_ref, is_none, mcheck, opt_bound, str_arg};
use crate::core::{
    Args, NativeFn, Result, add_classmethod, add_method, as_str, err, tname, tuple, type_err,
    value_err,
};

// ----- int -----------------------------------------------------------------------------------

fn this_int<'a>(a: &Args<'a>, name: &str) -> Result<&'a Int> {
    match a.all[0].downcast::<Int>() {
        Some(i) => Ok(i),
        None => type_err(format!(
            "descriptor '{name}' for 'int' objects doesn't apply to a '{}' object",
            tname(&a.all[0])
        )),
    }
}

fn int_bit_length(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "int", "bit_length", 0, 0)?;
    Ok(int_from_i64(this_int(a, "bit_length")?.bit_length() as i64))
}

fn int_bit_count(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "int", "bit_count", 0, 0)?;
    Ok(int_from_i64(this_int(a, "bit_count")?.bit_count() as i64))
}

fn int_conjugate(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "int", "conjugate", 0, 0)?;
    Ok(int_ref(this_int(a, "conjugate")?.clone()))
}

fn int_as_integer_ratio(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "int", "as_integer_ratio", 0, 0)?;
    Ok(tuple(vec![
        int_ref(this_int(a, "as_integer_ratio")?.clone()),
        int_from_i64(1),
    ]))
}

fn byteorder(a: &Args<'_>, i: usize) -> Result<bool> {
    match a.arg(i, "byteorder") {
        None => Ok(true),
        Some(o) => match as_str(o) {
            Some("big") => Ok(true),
            Some("little") => Ok(false),
            Some(_) => value_err("byteorder must be either 'little' or 'big'"),
            None => type_err(format!(
                "to_bytes() argument 'byteorder' must be str, not {}",
                tname(o)
            )),
        },
    }
}

fn int_to_bytes(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("to_bytes", &["length", "byteorder", "signed"])?;
    let v = this_int(a, "to_bytes")?;
    let length = match a.arg(1, "length") {
        Some(l) => index_i64(l)?,
        None => 1,
    };
    if length < 0 {
        return value_err("length argument must be non-negative");
    }
    let big = byteorder(a, 2)?;
    let signed = match a.get_kw("signed") {
        Some(s) => s.is_true()?,
        None => false,
    };
    if v.is_negative() && !signed {
        return err(
            ExcKind::OverflowError,
            "can't convert negative int to unsigned",
        );
    }
    let length = length as usize;
    // Two's complement modulo 256**length.
    let modulus = Int::from_i64(1).shl(&Int::from_i64(8 * length as i64))?;
    let mut x = v.modulo(&modulus)?;
    let fits = if signed {
        let half = Int::from_i64(1).shl(&Int::from_i64((8 * length as i64 - 1).max(0)))?;
        if length == 0 {
            v.is_zero()
        } else {
            v.neg() <= half && *v < half
        }
    } else {
        *v < modulus
    };
    if !fits {
        return err(ExcKind::OverflowError, "int too big to convert");
    }
    let base = Int::from_i64(256);
    let mut out = vec![0u8; length];
    for b in out.iter_mut().rev() {
        let (q, r) = x.divmod(&base)?;
        *b = r.as_i64().unwrap_or(0) as u8;
        x = q;
    }
    if !big {
        out.reverse();
    }
    Ok(ObjRef::new(PyBytes::new(out)))
}

fn int_from_bytes(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("from_bytes", &["bytes", "byteorder", "signed"])?;
    let Some(src) = a.arg(1, "bytes") else {
        return type_err("from_bytes() missing required argument 'bytes' (pos 1)");
    };
    let data: Vec<u8> = match src.downcast::<PyBytes>() {
        Some(b) => b.as_bytes().to_vec(),
        None => crate::builtins::util::bytes_from_ints(src)?,
    };
    let big = byteorder(a, 2)?;
    let signed = match a.get_kw("signed") {
        Some(s) => s.is_true()?,
        None => false,
    };
    let mut bytes = data;
    if !big {
        bytes.reverse();
    }
    let mut acc = Int::from_i64(0);
    let base = Int::from_i64(256);
    for b in &bytes {
        acc = acc.mul(&base).add(&Int::from_i64(*b as i64));
    }
    if signed && bytes.first().is_some_and(|b| b & 0x80 != 0) {
        let modulus = Int::from_i64(1).shl(&Int::from_i64(8 * bytes.len() as i64))?;
        acc = acc.sub(&modulus);
    }
    Ok(int_ref(acc))
}

// ----- float ---------------------------------------------------------------------------------

fn this_float(a: &Args<'_>, name: &str) -> Result<f64> {
    match a.all[0].downcast::<f64>() {
        Some(f) => Ok(*f),
        None => type_err(format!(
            "descriptor '{name}' for 'float' objects doesn't apply to a '{}' object",
            tname(&a.all[0])
        )),
    }
}

fn float_is_integer(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "float", "is_integer", 0, 0)?;
    Ok(bool_obj(float::is_integer(this_float(a, "is_integer")?)))
}

fn float_as_integer_ratio(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "float", "as_integer_ratio", 0, 0)?;
    let (n, d) = float::as_integer_ratio(this_float(a, "as_integer_ratio")?)?;
    Ok(tuple(vec![int_ref(n), int_ref(d)]))
}

fn float_conjugate(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "float", "conjugate", 0, 0)?;
    Ok(ObjRef::new(this_float(a, "conjugate")?))
}

fn float_hex(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "float", "hex", 0, 0)?;
    let x = this_float(a, "hex")?;
    Ok(str_obj(float_to_hex(x)))
}

/// `float.hex()`: `[-]0x1.<13 hex digits>p<exp>`.
fn float_to_hex(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0x0.0p+0");
    }
    let bits = x.abs().to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i64;
    let mant = bits & ((1u64 << 52) - 1);
    let (lead, exp) = if exp_bits == 0 {
        (0, -1022)
    } else {
        (1, exp_bits - 1023)
    };
    let frac = format!("{mant:013x}");
    let esign = if exp >= 0 { "+" } else { "-" };
    format!("{sign}0x{lead}.{frac}p{esign}{}", exp.abs())
}

// ----- bytes ---------------------------------------------------------------------------------

fn this_bytes<'a>(a: &Args<'a>, name: &str) -> Result<&'a [u8]> {
    match a.all[0].downcast::<PyBytes>() {
        Some(b) => Ok(b.as_bytes()),
        None => type_err(format!(
            "descriptor '{name}' for 'bytes' objects doesn't apply to a '{}' object",
            tname(&a.all[0])
        )),
    }
}

fn bytes_param(o: &ObjRef) -> Result<&[u8]> {
    match o.downcast::<PyBytes>() {
        Some(b) => Ok(b.as_bytes()),
        None => type_err(format!(
            "a bytes-like object is required, not '{}'",
            tname(o)
        )),
    }
}

fn new_bytes(v: Vec<u8>) -> ObjRef {
    ObjRef::new(PyBytes::new(v))
}

fn bytes_decode(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("decode", &["encoding", "errors"])?;
    a.check_pos("decode", 1, 3)?;
    let b = this_bytes(a, "decode")?;
    let enc = match a.arg(1, "encoding") {
        Some(e) => str_arg(e, "decode() argument 'encoding'")?,
        None => "utf-8",
    };
    let errs = match a.arg(2, "errors") {
        Some(e) => str_arg(e, "decode() argument 'errors'")?,
        None => "strict",
    };
    Ok(str_obj(crate::builtins::decode_pub(b, enc, errs)?))
}

fn bytes_hex(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("hex", &["sep", "bytes_per_sep"])?;
    let b = this_bytes(a, "hex")?;
    let sep = match a.arg(1, "sep") {
        None => None,
        Some(s) => {
            let text: String = if let Some(t) = as_str(s) {
                t.to_owned()
            } else if let Some(bb) = s.downcast::<PyBytes>() {
                String::from_utf8_lossy(bb.as_bytes()).into_owned()
            } else {
                return type_err("sep must be str or bytes.");
            };
            let mut it = text.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => Some(c),
                _ => return value_err("sep must be length 1."),
            }
        }
    };
    let per = match a.arg(2, "bytes_per_sep") {
        Some(n) => index_i64(n)? as isize,
        None => 1,
    };
    Ok(str_obj(sb::hex(b, sep, per)?))
}

fn bytes_fromhex(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "bytes", "fromhex", 1, 1)?;
    let s = str_arg(&a.all[1], "fromhex() argument")?;
    Ok(new_bytes(sb::fromhex(s)?))
}

fn bytes_split(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("split", &["sep", "maxsplit"])?;
    let b = this_bytes(a, "split")?;
    let sep = match a.arg(1, "sep") {
        Some(s) if !is_none(s) => Some(bytes_param(s)?),
        _ => None,
    };
    let max = match a.arg(2, "maxsplit") {
        Some(m) => index_i64(m)? as isize,
        None => -1,
    };
    let parts = sb::split(b, sep, max)?;
    Ok(new_list(
        parts.into_iter().map(|p| new_bytes(p.to_vec())).collect(),
    ))
}

fn bytes_join(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "bytes", "join", 1, 1)?;
    let sep = this_bytes(a, "join")?;
    let items = crate::builtins::util::collect(&a.all[1])?;
    let mut parts = Vec::with_capacity(items.len());
    for (i, x) in items.iter().enumerate() {
        match x.downcast::<PyBytes>() {
            Some(b) => parts.push(b.as_bytes()),
            None => {
                return type_err(format!(
                    "sequence item {i}: expected a bytes-like object, {} found",
                    tname(x)
                ));
            }
        }
    }
    Ok(new_bytes(sb::join(sep, parts.iter().copied())))
}

fn strip_impl(
    a: &Args<'_>,
    name: &str,
    f: for<'x> fn(&'x [u8], Option<&[u8]>) -> &'x [u8],
) -> Result<ObjRef> {
    mcheck(a, "bytes", name, 0, 1)?;
    let b = this_bytes(a, name)?;
    let chars = match a.all.get(1) {
        Some(c) if !is_none(c) => Some(bytes_param(c)?),
        _ => None,
    };
    Ok(new_bytes(f(b, chars).to_vec()))
}

fn bytes_strip(a: &Args<'_>) -> Result<ObjRef> {
    strip_impl(a, "strip", sb::strip)
}
fn bytes_lstrip(a: &Args<'_>) -> Result<ObjRef> {
    strip_impl(a, "lstrip", sb::lstrip)
}
fn bytes_rstrip(a: &Args<'_>) -> Result<ObjRef> {
    strip_impl(a, "rstrip", sb::rstrip)
}

/// `bytes.startswith` / `endswith` of the scalar layer.
type AffixFn = fn(&[u8], &[u8], Option<isize>, Option<isize>) -> bool;

/// `(haystack, needle, start, end)` of the bytes search methods (an int needle is one byte).
type SearchArgs<'a> = (&'a [u8], Cow<'a, [u8]>, Option<isize>, Option<isize>);

fn affix(a: &Args<'_>, name: &str, f: AffixFn) -> Result<ObjRef> {
    mcheck(a, "bytes", name, 1, 3)?;
    let b = this_bytes(a, name)?;
    let st = opt_bound(a.all.get(2))?;
    let en = opt_bound(a.all.get(3))?;
    if let Some(t) = as_tuple(&a.all[1]) {
        for x in t.as_slice() {
            if f(b, bytes_param(x)?, st, en) {
                return Ok(bool_obj(true));
            }
        }
        return Ok(bool_obj(false));
    }
    match a.all[1].downcast::<PyBytes>() {
        Some(p) => Ok(bool_obj(f(b, p.as_bytes(), st, en))),
        None => type_err(format!(
            "{name} first arg must be bytes or a tuple of bytes, not {}",
            tname(&a.all[1])
        )),
    }
}

fn bytes_startswith(a: &Args<'_>) -> Result<ObjRef> {
    affix(a, "startswith", sb::startswith)
}
fn bytes_endswith(a: &Args<'_>) -> Result<ObjRef> {
    affix(a, "endswith", sb::endswith)
}

fn bytes_search<'a>(a: &Args<'a>, name: &str) -> Result<SearchArgs<'a>> {
    mcheck(a, "bytes", name, 1, 3)?;
    let b = this_bytes(a, name)?;
    let sub = match a.all[1].downcast::<PyBytes>() {
        Some(p) => Cow::Borrowed(p.as_bytes()),
        None => match a.all[1].downcast::<Int>().and_then(Int::as_i64) {
            Some(v) if (0..256).contains(&v) => Cow::Owned(vec![v as u8]),
            Some(_) => return value_err("byte must be in range(0, 256)"),
            None => {
                return type_err(format!(
                    "argument should be integer or bytes-like object, not '{}'",
                    tname(&a.all[1])
                ));
            }
        },
    };
    Ok((b, sub, opt_bound(a.all.get(2))?, opt_bound(a.all.get(3))?))
}

fn bytes_find(a: &Args<'_>) -> Result<ObjRef> {
    let (b, s, st, en) = bytes_search(a, "find")?;
    Ok(int_from_i64(
        sb::find(b, &s, st, en).map_or(-1, |i| i as i64),
    ))
}

fn bytes_rfind(a: &Args<'_>) -> Result<ObjRef> {
    let (b, s, st, en) = bytes_search(a, "rfind")?;
    Ok(int_from_i64(
        sb::rfind(b, &s, st, en).map_or(-1, |i| i as i64),
    ))
}

fn bytes_index(a: &Args<'_>) -> Result<ObjRef> {
    let (b, s, st, en) = bytes_search(a, "index")?;
    Ok(int_from_i64(sb::index(b, &s, st, en)? as i64))
}

fn bytes_count(a: &Args<'_>) -> Result<ObjRef> {
    let (b, s, st, en) = bytes_search(a, "count")?;
    Ok(int_from_i64(sb::count(b, &s, st, en) as i64))
}

fn bytes_replace(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "bytes", "replace", 2, 3)?;
    let b = this_bytes(a, "replace")?;
    let old = bytes_param(&a.all[1])?;
    let new = bytes_param(&a.all[2])?;
    let mut count = match a.all.get(3) {
        Some(c) => index_i64(c)?,
        None => -1,
    };
    let mut out = Vec::with_capacity(b.len());
    if old.is_empty() {
        // Insert `new` before every byte and at the end, `count` times at most.
        for &c in b {
            if count != 0 {
                out.extend_from_slice(new);
                count -= 1;
            }
            out.push(c);
        }
        if count != 0 {
            out.extend_from_slice(new);
        }
        return Ok(new_bytes(out));
    }
    let mut i = 0;
    while i < b.len() {
        if count != 0 && b[i..].starts_with(old) {
            out.extend_from_slice(new);
            i += old.len();
            count -= 1;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(new_bytes(out))
}

fn bytes_upper(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "bytes", "upper", 0, 0)?;
    Ok(new_bytes(this_bytes(a, "upper")?.to_ascii_uppercase()))
}

fn bytes_lower(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "bytes", "lower", 0, 0)?;
    Ok(new_bytes(this_bytes(a, "lower")?.to_ascii_lowercase()))
}

/// Installs the methods of `int`, `bool`'s inherited ones, `float` and `bytes`.
pub(super) fn install() {
    let ints: &[(&'static str, NativeFn)] = &[
        ("bit_length", int_bit_length),
        ("bit_count", int_bit_count),
        ("conjugate", int_conjugate),
        ("as_integer_ratio", int_as_integer_ratio),
        ("to_bytes", int_to_bytes),
    ];
    for (n, f) in ints {
        add_method(&INT_TYPE, n, *f);
    }
    add_classmethod(&INT_TYPE, "from_bytes", int_from_bytes);
    let floats: &[(&'static str, NativeFn)] = &[
        ("is_integer", float_is_integer),
        ("as_integer_ratio", float_as_integer_ratio),
        ("conjugate", float_conjugate),
        ("hex", float_hex),
    ];
    for (n, f) in floats {
        add_method(&FLOAT_TYPE, n, *f);
    }
    let bytes: &[(&'static str, NativeFn)] = &[
        ("decode", bytes_decode),
        ("hex", bytes_hex),
        ("split", bytes_split),
        ("join", bytes_join),
        ("strip", bytes_strip),
        ("lstrip", bytes_lstrip),
        ("rstrip", bytes_rstrip),
        ("startswith", bytes_startswith),
        ("endswith", bytes_endswith),
        ("find", bytes_find),
        ("rfind", bytes_rfind),
        ("index", bytes_index),
        ("count", bytes_count),
        ("replace", bytes_replace),
        ("upper", bytes_upper),
        ("lower", bytes_lower),
    ];
    for (n, f) in bytes {
        add_method(&BYTES_TYPE, n, *f);
    }
    add_classmethod(&BYTES_TYPE, "fromhex", bytes_fromhex);
}
