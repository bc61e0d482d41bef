//! Constructors of the builtin types (`int(...)`, `list(...)`, ...), registered with
//! [`crate::core::set_ctor`]: each receives the type object as `args.all[0]`.

use weft_containers::dict::{self, Dict};
use weft_containers::list::PyList;
use weft_containers::set as wset;
use weft_containers::tuple::{PyTuple, as_tuple};
use weft_object::scalar::bytes::{self as sbytes, Codec};
use weft_object::scalar::float;
use weft_object::scalar::int::Int;
use weft_object::types::{BYTES_TYPE, INT_TYPE, PyBytes, PyStr, STR_TYPE};
use weft_object::{ExcKind, ObjRef, Object, PyErr, bool_obj};

use super::util::{
    call_special, collect, ctor_type, index_int, int_ref, is_exact, new_of, rest, try_index,
};
use crate::core::{Args, Result, as_str, err, tname, type_err, value_err};
use crate::{call, ops};

/// `int(x=0)` / `int(x, base=10)`.
pub(super) fn int_new(args: &Args<'_>) -> Result<ObjRef> {
    let ty = ctor_type(&args.all[0]);
    let a = rest(args);
    a.only_kwargs("int", &["base"])?;
    if a.pos().len() > 2 {
        return type_err(format!(
            "int() takes at most 2 arguments ({} given)",
            a.all.len()
        ));
    }
    let x = a.pos().first();
    let base = a.arg(1, "base");
    let v = match (x, base) {
        (None, None) => Int::from_i64(0),
        (None, Some(_)) => return type_err("int() missing string argument"),
        (Some(x), Some(b)) => {
            let b = index_int(b)?;
            let b = match b.as_i64() {
                Some(b) if b == 0 || (2..=36).contains(&b) => b as u32,
                _ => return value_err("int() base must be >= 2 and <= 36, or 0"),
            };
            if let Some(s) = as_str(x) {
                Int::parse(s, b)?
            } else if let Some(by) = x.downcast::<PyBytes>() {
                parse_bytes_int(by.as_bytes(), b)?
            } else {
                return type_err("int() can't convert non-string with explicit base");
            }
        }
        (Some(x), None) => to_int(x)?,
    };
    if std::ptr::eq(ty, &INT_TYPE) || !ty.stores::<Int>() {
        Ok(int_ref(v))
    } else {
        Ok(ObjRef::with_type(v, ty))
    }
}

fn parse_bytes_int(b: &[u8], base: u32) -> Result<Int> {
    let invalid = || {
        PyErr::value_error(format!(
            "invalid literal for int() with base {base}: {}",
            sbytes::repr(b)
        ))
    };
    let s = std::str::from_utf8(b)
        .ok()
        .filter(|s| s.is_ascii())
        .ok_or_else(invalid)?;
    match Int::parse(s, base) {
        Ok(v) => Ok(v),
        // The digit limit (`sys.set_int_max_str_digits`) reports itself, as for `str`.
        Err(e) if e.message.starts_with("Exceeds the limit") => Err(e.into()),
        Err(_) => Err(invalid()),
    }
}

/// `int(x)` for one argument.
pub(crate) fn to_int(x: &Object) -> Result<Int> {
    if let Some(i) = x.downcast::<Int>() {
        return Ok(i.clone());
    }
    if let Some(f) = x.downcast::<f64>() {
        return Ok(float::to_int(*f)?);
    }
    if let Some(s) = as_str(x) {
        return Ok(Int::parse(s, 10)?);
    }
    if let Some(b) = x.downcast::<PyBytes>() {
        return parse_bytes_int(b.as_bytes(), 10);
    }
    if let Some(r) = call_special(x, "__int__", &[])? {
        return match r.downcast::<Int>() {
            Some(i) => Ok(i.clone()),
            None => type_err(format!("__int__ returned non-int (type {})", tname(&r))),
        };
    }
    if let Some(i) = try_index(x)? {
        return Ok(i);
    }
    if let Some(r) = call_special(x, "__trunc__", &[])? {
        return match r.downcast::<Int>() {
            Some(i) => Ok(i.clone()),
            None => match try_index(&r)? {
                Some(i) => Ok(i),
                None => type_err(format!(
                    "__trunc__ returned non-Integral (type {})",
                    tname(&r)
                )),
            },
        };
    }
    type_err(format!(
        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
        tname(x)
    ))
}

/// `float(x=0.0)`.
pub(super) fn float_new(args: &Args<'_>) -> Result<ObjRef> {
    let ty = ctor_type(&args.all[0]);
    let a = rest(args);
    a.check("float", 0, 1)?;
    let v = match a.all.first() {
        None => 0.0,
        Some(x) => to_float(x)?,
    };
    Ok(new_of(ty, v))
}

/// `float(x)` for one argument.
pub(crate) fn to_float(x: &Object) -> Result<f64> {
    if let Some(f) = x.downcast::<f64>() {
        return Ok(*f);
    }
    if let Some(i) = x.downcast::<Int>() {
        return Ok(i.to_f64()?);
    }
    if let Some(s) = as_str(x) {
        return Ok(float::parse(s)?);
    }
    if let Some(b) = x.downcast::<PyBytes>() {
        let s = String::from_utf8_lossy(b.as_bytes());
        return float::parse(&s).map_err(|_| {
            PyErr::value_error(format!(
                "could not convert string to float: {}",
                sbytes::repr(b.as_bytes())
            ))
        });
    }
    if let Some(r) = call_special(x, "__float__", &[])? {
        return match r.downcast::<f64>() {
            Some(f) => Ok(*f),
            None => type_err(format!(
                "{}.__float__ returned non-float (type {})",
                tname(x),
                tname(&r)
            )),
        };
    }
    if let Some(i) = try_index(x)? {
        return Ok(i.to_f64()?);
    }
    type_err(format!(
        "float() argument must be a string or a real number, not '{}'",
        tname(x)
    ))
}

/// `str(object='')` / `str(bytes, encoding, errors)`.
pub(super) fn str_new(args: &Args<'_>) -> Result<ObjRef> {
    let ty = ctor_type(&args.all[0]);
    let a = rest(args);
    a.only_kwargs("str", &["object", "encoding", "errors"])?;
    if a.pos().len() > 3 {
        return type_err(format!(
            "str() takes at most 3 arguments ({} given)",
            a.all.len()
        ));
    }
    let obj = a.arg(0, "object");
    let encoding = a.arg(1, "encoding");
    let errors = a.arg(2, "errors");
    let s: ObjRef = match (obj, encoding.is_some() || errors.is_some()) {
        (None, _) => weft_object::str_obj(""),
        (Some(o), false) => ops::str(o)?,
        (Some(o), true) => {
            let enc = match encoding {
                Some(e) => super::util::str_arg(e, "str() argument 'encoding'")?,
                None => "utf-8",
            };
            let errs = match errors {
                Some(e) => super::util::str_arg(e, "str() argument 'errors'")?,
                None => "strict",
            };
            if as_str(o).is_some() {
                return type_err("decoding str is not supported");
            }
            let Some(b) = o.downcast::<PyBytes>() else {
                return type_err(format!(
                    "decoding to str: need a bytes-like object, {} found",
                    tname(o)
                ));
            };
            weft_object::str_obj(decode(b.as_bytes(), enc, errs)?)
        }
    };
    if std::ptr::eq(ty, &STR_TYPE) || !ty.stores::<PyStr>() {
        Ok(s)
    } else {
        Ok(ObjRef::with_type(PyStr::new(crate::core::str_of(&s)), ty))
    }
}

/// An error handler name that is not known (CPython asks for it only when an error occurs).
fn unknown_handler(errors: &str) -> PyErr {
    PyErr::new(
        ExcKind::LookupError,
        format!("unknown error handler name '{errors}'"),
    )
}

/// Decodes `b` with the codec `enc` and error handler `errors`: `strict`, `ignore`,
/// `replace` (one U+FFFD per maximal invalid sequence, as CPython), `backslashreplace`
/// (`\xNN` per byte). `surrogateescape` and `surrogatepass` would need lone surrogates,
/// which weft's `str` (UTF-8) cannot hold: they fail like `strict`.
pub(crate) fn decode(b: &[u8], enc: &str, errors: &str) -> Result<String> {
    let Some(codec) = Codec::lookup(enc) else {
        return err(ExcKind::LookupError, format!("unknown encoding: {enc}"));
    };
    let first = match sbytes::decode(b, codec) {
        Ok(s) => return Ok(s),
        Err(e) => e,
    };
    match errors {
        "ignore" | "replace" | "backslashreplace" => {}
        "strict" | "surrogateescape" | "surrogatepass" => {
            return Err(weft_object::scalar::ScalarError::from(first).into());
        }
        "xmlcharrefreplace" | "namereplace" => {
            return type_err("don't know how to handle UnicodeDecodeError in error callback");
        }
        _ => return Err(unknown_handler(errors)),
    }
    let mut out = String::new();
    let mut rest = b;
    loop {
        match sbytes::decode(rest, codec) {
            Ok(s) => {
                out.push_str(&s);
                return Ok(out);
            }
            Err(e) => {
                let good = sbytes::decode(&rest[..e.start], codec).unwrap_or_default();
                out.push_str(&good);
                let end = e.end.clamp(e.start + 1, rest.len());
                match errors {
                    "replace" => out.push('\u{FFFD}'),
                    "backslashreplace" => {
                        for byte in &rest[e.start..end] {
                            out.push_str(&format!("\\x{byte:02x}"));
                        }
                    }
                    _ => {}
                }
                rest = &rest[end..];
            }
        }
    }
}

/// Encodes `s` with the codec `enc` and error handler `errors`: `strict`, `ignore`,
/// `replace` (`?`), `backslashreplace` (`\xNN`, `\uNNNN`, `\UNNNNNNNN`),
/// `xmlcharrefreplace` (`&#N;`). `surrogateescape`/`surrogatepass` only matter for lone
/// surrogates, which weft's `str` cannot hold: they act like `strict`.
pub(crate) fn encode(s: &str, enc: &str, errors: &str) -> Result<Vec<u8>> {
    let Some(codec) = Codec::lookup(enc) else {
        return err(ExcKind::LookupError, format!("unknown encoding: {enc}"));
    };
    let first = match sbytes::encode(s, codec) {
        Ok(b) => return Ok(b),
        Err(e) => e,
    };
    match errors {
        "ignore" | "replace" | "backslashreplace" | "xmlcharrefreplace" => {}
        "strict" | "surrogateescape" | "surrogatepass" | "namereplace" => {
            return Err(weft_object::scalar::ScalarError::from(first).into());
        }
        _ => return Err(unknown_handler(errors)),
    }
    let mut out = Vec::new();
    let mut buf = [0u8; 4];
    for c in s.chars() {
        match sbytes::encode(c.encode_utf8(&mut buf), codec) {
            Ok(b) => out.extend_from_slice(&b),
            Err(_) => {
                let n = c as u32;
                let text = match errors {
                    "replace" => "?".to_owned(),
                    "backslashreplace" if n < 0x100 => format!("\\x{n:02x}"),
                    "backslashreplace" if n < 0x10000 => format!("\\u{n:04x}"),
                    "backslashreplace" => format!("\\U{n:08x}"),
                    "xmlcharrefreplace" => format!("&#{n};"),
                    _ => String::new(),
                };
                out.extend_from_slice(text.as_bytes());
            }
        }
    }
    Ok(out)
}

/// `bool(x=False)`.
pub(super) fn bool_new(args: &Args<'_>) -> Result<ObjRef> {
    let a = rest(args);
    a.check("bool", 0, 1)?;
    Ok(bool_obj(match a.all.first() {
        None => false,
        Some(x) => ops::is_true(x)?,
    }))
}

/// `bytes()`, `bytes(int)`, `bytes(str, encoding[, errors])`, `bytes(iterable_of_ints)`.
pub(super) fn bytes_new(args: &Args<'_>) -> Result<ObjRef> {
    let ty = ctor_type(&args.all[0]);
    let a = rest(args);
    a.only_kwargs("bytes", &["source", "encoding", "errors"])?;
    let src = a.arg(0, "source");
    let enc = a.arg(1, "encoding");
    let errors = a.arg(2, "errors");
    let v: Vec<u8> = match src {
        None => {
            if enc.is_some() || errors.is_some() {
                return type_err(if enc.is_some() {
                    "encoding without a string argument"
                } else {
                    "errors without a string argument"
                });
            }
            Vec::new()
        }
        Some(s) => {
            if let Some(text) = as_str(s) {
                let Some(e) = enc else {
                    return type_err("string argument without an encoding");
                };
                let e = super::util::str_arg(e, "bytes() argument 'encoding'")?;
                let errs = match errors {
                    Some(x) => super::util::str_arg(x, "bytes() argument 'errors'")?,
                    None => "strict",
                };
                encode(text, e, errs)?
            } else if enc.is_some() {
                return type_err("encoding without a string argument");
            } else if errors.is_some() {
                return type_err("errors without a string argument");
            } else if let Some(b) = s.downcast::<PyBytes>() {
                if is_exact(s, &BYTES_TYPE) && std::ptr::eq(ty, &BYTES_TYPE) {
                    return Ok(s.clone());
                }
                b.as_bytes().to_vec()
            } else if let Some(n) = s.downcast::<Int>() {
                if n.is_negative() {
                    return value_err("negative count");
                }
                let Some(n) = n.to_usize() else {
                    return err(
                        ExcKind::OverflowError,
                        "cannot fit 'int' into an index-sized integer",
                    );
                };
                vec![0u8; n]
            } else if let Some(r) = call_special(s, "__bytes__", &[])? {
                match r.downcast::<PyBytes>() {
                    Some(b) => b.as_bytes().to_vec(),
                    None => {
                        return type_err(format!(
                            "__bytes__ returned non-bytes (type {})",
                            tname(&r)
                        ));
                    }
                }
            } else if !crate::ops::has_iter(s)? {
                return type_err(format!("cannot convert '{}' object to bytes", tname(s)));
            } else {
                super::util::bytes_from_ints(s)?
            }
        }
    };
    Ok(new_of(ty, PyBytes::new(v)))
}

/// `list(iterable=())`.
pub(super) fn list_new(args: &Args<'_>) -> Result<ObjRef> {
    let ty = ctor_type(&args.all[0]);
    let a = rest(args);
    a.no_kwargs("list")?;
    a.check_pos("list", 0, 1)?;
    let items = match a.all.first() {
        None => Vec::new(),
        Some(x) => collect(x)?,
    };
    Ok(new_of(ty, PyList::from_vec(items)))
}

/// `tuple(iterable=())`.
pub(super) fn tuple_new(args: &Args<'_>) -> Result<ObjRef> {
    let ty = ctor_type(&args.all[0]);
    let a = rest(args);
    a.no_kwargs("tuple")?;
    a.check_pos("tuple", 0, 1)?;
    let exact = std::ptr::eq(ty, &weft_containers::TUPLE_TYPE);
    match a.all.first() {
        None if exact => Ok(weft_containers::empty_tuple()),
        None => Ok(new_of(ty, PyTuple::new(Vec::new()))),
        Some(x) if exact && is_exact(x, &weft_containers::TUPLE_TYPE) => Ok(x.clone()),
        Some(x) if exact => Ok(weft_containers::new_tuple(collect(x)?)),
        Some(x) => {
            let items = match as_tuple(x) {
                Some(t) => t.as_slice().to_vec(),
                None => collect(x)?,
            };
            Ok(new_of(ty, PyTuple::new(items)))
        }
    }
}

/// Fills the dict `d` from `src` (a dict, a mapping with `keys()`, or pairs).
pub(crate) fn dict_fill(d: Dict<'_>, src: &Object) -> Result<()> {
    if Dict::of(src).is_some() {
        return d.update(src);
    }
    if let Some(keys) = crate::attr::getattr_opt(src, weft_object::intern("keys"))? {
        let ks = call::call0(&keys)?;
        for k in collect(&ks)? {
            let v = ops::getitem(src, &k)?;
            d.set_item(k, v)?;
        }
        return Ok(());
    }
    // Pairs: check each element for a clear message.
    let mut i = 0usize;
    super::util::for_each(src, |item| {
        let kv = match collect(&item) {
            Ok(kv) => kv,
            Err(e) if e.kind == ExcKind::TypeError && e.object.is_none() => {
                return type_err(format!(
                    "cannot convert dictionary update sequence element #{i} to a sequence"
                ));
            }
            Err(e) => return Err(e),
        };
        if kv.len() != 2 {
            return value_err(format!(
                "dictionary update sequence element #{i} has length {}; 2 is required",
                kv.len()
            ));
        }
        let mut kv = kv.into_iter();
        let (k, v) = (kv.next().expect("key"), kv.next().expect("value"));
        d.set_item(k, v)?;
        i += 1;
        Ok(true)
    })
}

/// `dict(**kwargs)`, `dict(mapping, **kwargs)`, `dict(iterable, **kwargs)`.
pub(super) fn dict_new(args: &Args<'_>) -> Result<ObjRef> {
    let ty = ctor_type(&args.all[0]);
    if !std::ptr::eq(ty, &dict::DICT_TYPE) {
        // A subclass: an empty instance, which `dict.__init__` fills.
        return Ok(new_of(ty, dict::PyDict::empty()));
    }
    let a = rest(args);
    if a.pos().len() > 1 {
        return type_err(format!(
            "dict expected at most 1 argument, got {}",
            a.pos().len()
        ));
    }
    let d = dict::new();
    {
        let dd = Dict::of(&d).expect("dict");
        if let Some(src) = a.pos().first() {
            dict_fill(dd, src)?;
        }
        for (k, v) in a.kw() {
            dd.set_item(weft_object::intern(k).to_ref(), v.clone())?;
        }
    }
    Ok(d)
}

/// `set(iterable=())`.
pub(super) fn set_new(args: &Args<'_>) -> Result<ObjRef> {
    let ty = ctor_type(&args.all[0]);
    if !std::ptr::eq(ty, &wset::SET_TYPE) {
        // A subclass: an empty instance, which `set.__init__` fills.
        return Ok(new_of(ty, wset::PySet::empty()));
    }
    let a = rest(args);
    a.no_kwargs("set")?;
    a.check_pos("set", 0, 1)?;
    match a.all.first() {
        None => Ok(wset::new_set()),
        Some(x) => wset::set_from_iter(x),
    }
}

/// `frozenset(iterable=())`.
pub(super) fn frozenset_new(args: &Args<'_>) -> Result<ObjRef> {
    let ty = ctor_type(&args.all[0]);
    let a = rest(args);
    a.no_kwargs("frozenset")?;
    a.check_pos("frozenset", 0, 1)?;
    if !std::ptr::eq(ty, &wset::FROZENSET_TYPE) {
        return wset::frozenset_of_type(ty, a.all.first().map(|o| &**o));
    }
    match a.all.first() {
        None => Ok(wset::new_frozenset()),
        Some(x) => wset::frozenset_from_iter(x),
    }
}
