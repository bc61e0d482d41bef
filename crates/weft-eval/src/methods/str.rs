//! Methods of `str`.

use weft_containers::new_list;
use weft_containers::tuple::as_tuple;
use weft_object::scalar::str as s;
use weft_object::types::{PyStr, STR_TYPE};
use weft_object::{ObjRef, bool_obj, int_from_i64, str_obj};

use crate::builtins::util::{for_each, index_i64, is_none, mcheck, opt_bound};
use crate::core::{
    Args, NativeFn, Result, add_classmethod, add_method, as_str, tname, type_err, value_err,
};

/// `self` of a str method.
fn this<'a>(a: &Args<'a>, name: &str) -> Result<&'a str> {
    match a.all.first().and_then(|o| o.downcast::<PyStr>()) {
        Some(p) => Ok(p.as_str()),
        None => type_err(format!(
            "descriptor '{name}' for 'str' objects doesn't apply to a '{}' object",
            a.all.first().map(|o| tname(o)).unwrap_or("NoneType")
        )),
    }
}

/// A required str argument of a method (`TypeError: must be str, not int`).
fn str_param(o: &ObjRef) -> Result<&str> {
    match as_str(o) {
        Some(x) => Ok(x),
        None => type_err(format!("must be str, not {}", tname(o))),
    }
}

/// Optional `chars`/`sep` argument: absent or `None` → `None`.
fn opt_str<'a>(o: Option<&'a ObjRef>, msg: &str) -> Result<Option<&'a str>> {
    match o {
        None => Ok(None),
        Some(o) if is_none(o) => Ok(None),
        Some(o) => match as_str(o) {
            Some(x) => Ok(Some(x)),
            None if msg.is_empty() => type_err(format!("must be str or None, not {}", tname(o))),
            None => type_err(format!("{msg} must be None or str")),
        },
    }
}

fn list_of(parts: Vec<&str>) -> ObjRef {
    new_list(parts.into_iter().map(str_obj).collect())
}

fn maxsplit(a: &Args<'_>) -> Result<isize> {
    match a.arg(2, "maxsplit") {
        None => Ok(-1),
        Some(m) => Ok(index_i64(m)? as isize),
    }
}

fn split(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("split", &["sep", "maxsplit"])?;
    a.check_pos("split", 1, 3)?;
    let me = this(a, "split")?;
    let sep = opt_str(a.arg(1, "sep"), "")?;
    Ok(list_of(s::split(me, sep, maxsplit(a)?)?))
}

fn rsplit(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("rsplit", &["sep", "maxsplit"])?;
    a.check_pos("rsplit", 1, 3)?;
    let me = this(a, "rsplit")?;
    let sep = opt_str(a.arg(1, "sep"), "")?;
    Ok(list_of(s::rsplit(me, sep, maxsplit(a)?)?))
}

fn join(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "str", "join", 1, 1)?;
    let me = this(a, "join")?;
    let mut parts: Vec<ObjRef> = Vec::new();
    let mut i = 0usize;
    let mut bad = None;
    for_each(&a.all[1], |x| {
        if as_str(&x).is_none() {
            bad = Some((i, tname(&x).to_owned()));
            return Ok(false);
        }
        parts.push(x);
        i += 1;
        Ok(true)
    })
    .map_err(|e| {
        if e.kind == weft_object::ExcKind::TypeError
            && e.object.is_none()
            && e.msg.ends_with("is not iterable")
        {
            weft_object::PyErr::type_error("can only join an iterable")
        } else {
            e
        }
    })?;
    if let Some((i, t)) = bad {
        return type_err(format!(
            "sequence item {i}: expected str instance, {t} found"
        ));
    }
    Ok(str_obj(s::join(
        me,
        parts.iter().map(|p| crate::core::str_of(p)),
    )))
}

fn strip_impl(
    a: &Args<'_>,
    name: &str,
    f: for<'x> fn(&'x str, Option<&str>) -> &'x str,
) -> Result<ObjRef> {
    mcheck(a, "str", name, 0, 1)?;
    let me = this(a, name)?;
    let chars = opt_str(a.all.get(1), "strip arg")?;
    let r = f(me, chars);
    if r.len() == me.len() {
        return Ok(a.all[0].clone());
    }
    Ok(str_obj(r))
}

fn strip(a: &Args<'_>) -> Result<ObjRef> {
    strip_impl(a, "strip", s::strip)
}
fn lstrip(a: &Args<'_>) -> Result<ObjRef> {
    strip_impl(a, "lstrip", s::lstrip)
}
fn rstrip(a: &Args<'_>) -> Result<ObjRef> {
    strip_impl(a, "rstrip", s::rstrip)
}

fn replace(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "str", "replace", 2, 3)?;
    let me = this(a, "replace")?;
    let arg_n = |i: usize| -> Result<&str> {
        match as_str(&a.all[i]) {
            Some(x) => Ok(x),
            None => type_err(format!(
                "replace() argument {i} must be str, not {}",
                tname(&a.all[i])
            )),
        }
    };
    let old = arg_n(1)?;
    let new = arg_n(2)?;
    let count = match a.all.get(3) {
        Some(c) => index_i64(c)? as isize,
        None => -1,
    };
    Ok(str_obj(s::replace(me, old, new, count)))
}

/// `(sub, start, end)` of the search methods.
fn search_args<'a>(
    a: &Args<'a>,
    name: &str,
) -> Result<(&'a str, &'a str, Option<isize>, Option<isize>)> {
    mcheck(a, "str", name, 1, 3)?;
    let me = this(a, name)?;
    let sub = str_param(&a.all[1])?;
    Ok((me, sub, opt_bound(a.all.get(2))?, opt_bound(a.all.get(3))?))
}

fn find(a: &Args<'_>) -> Result<ObjRef> {
    let (me, sub, st, en) = search_args(a, "find")?;
    Ok(int_from_i64(
        s::find(me, sub, st, en).map_or(-1, |i| i as i64),
    ))
}

fn rfind(a: &Args<'_>) -> Result<ObjRef> {
    let (me, sub, st, en) = search_args(a, "rfind")?;
    Ok(int_from_i64(
        s::rfind(me, sub, st, en).map_or(-1, |i| i as i64),
    ))
}

fn index(a: &Args<'_>) -> Result<ObjRef> {
    let (me, sub, st, en) = search_args(a, "index")?;
    Ok(int_from_i64(s::index(me, sub, st, en)? as i64))
}

fn rindex(a: &Args<'_>) -> Result<ObjRef> {
    let (me, sub, st, en) = search_args(a, "rindex")?;
    Ok(int_from_i64(s::rindex(me, sub, st, en)? as i64))
}

fn count(a: &Args<'_>) -> Result<ObjRef> {
    let (me, sub, st, en) = search_args(a, "count")?;
    Ok(int_from_i64(s::count(me, sub, st, en) as i64))
}

fn starts_ends(
    a: &Args<'_>,
    name: &str,
    f: fn(&str, &str, Option<isize>, Option<isize>) -> bool,
) -> Result<ObjRef> {
    mcheck(a, "str", name, 1, 3)?;
    let me = this(a, name)?;
    let st = opt_bound(a.all.get(2))?;
    let en = opt_bound(a.all.get(3))?;
    let what = &a.all[1];
    if let Some(t) = as_tuple(what) {
        for x in t.as_slice() {
            let Some(p) = as_str(x) else {
                return type_err(format!(
                    "tuple for {name} must only contain str, not {}",
                    tname(x)
                ));
            };
            if f(me, p, st, en) {
                return Ok(bool_obj(true));
            }
        }
        return Ok(bool_obj(false));
    }
    match as_str(what) {
        Some(p) => Ok(bool_obj(f(me, p, st, en))),
        None => type_err(format!(
            "{name} first arg must be str or a tuple of str, not {}",
            tname(what)
        )),
    }
}

fn startswith(a: &Args<'_>) -> Result<ObjRef> {
    starts_ends(a, "startswith", s::startswith)
}

fn endswith(a: &Args<'_>) -> Result<ObjRef> {
    starts_ends(a, "endswith", s::endswith)
}

macro_rules! case_method {
    ($fname:ident, $name:literal, $f:path) => {
        fn $fname(a: &Args<'_>) -> Result<ObjRef> {
            mcheck(a, "str", $name, 0, 0)?;
            Ok(str_obj($f(this(a, $name)?)))
        }
    };
}

case_method!(upper, "upper", s::upper);
case_method!(lower, "lower", s::lower);
case_method!(title, "title", s::title);
case_method!(capitalize, "capitalize", s::capitalize);
case_method!(swapcase, "swapcase", s::swapcase);
case_method!(casefold, "casefold", s::casefold);

macro_rules! pred_method {
    ($fname:ident, $name:literal, $f:path) => {
        fn $fname(a: &Args<'_>) -> Result<ObjRef> {
            mcheck(a, "str", $name, 0, 0)?;
            Ok(bool_obj($f(this(a, $name)?)))
        }
    };
}

pred_method!(isdigit, "isdigit", s::isdigit);
pred_method!(isdecimal, "isdecimal", s::isdecimal);
pred_method!(isnumeric, "isnumeric", s::isnumeric);
pred_method!(isalpha, "isalpha", s::isalpha);
pred_method!(isalnum, "isalnum", s::isalnum);
pred_method!(isspace, "isspace", s::isspace);
pred_method!(isupper, "isupper", s::isupper);
pred_method!(islower, "islower", s::islower);
pred_method!(istitle, "istitle", s::istitle);
pred_method!(isidentifier, "isidentifier", s::isidentifier);
pred_method!(isprintable, "isprintable", s::isprintable);
pred_method!(isascii, "isascii", s::isascii);

/// `(width, fillchar)` of the padding methods.
fn pad_args(a: &Args<'_>, name: &str) -> Result<(usize, char)> {
    mcheck(a, "str", name, 1, 2)?;
    let w = index_i64(&a.all[1])?;
    let fill = match a.all.get(2) {
        None => ' ',
        Some(f) => {
            let Some(fs) = as_str(f) else {
                return type_err(format!("{name}() argument 2 must be str, not {}", tname(f)));
            };
            let mut it = fs.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => c,
                _ => return type_err("The fill character must be exactly one character long"),
            }
        }
    };
    Ok((w.max(0) as usize, fill))
}

fn center(a: &Args<'_>) -> Result<ObjRef> {
    let (w, f) = pad_args(a, "center")?;
    Ok(str_obj(s::center(this(a, "center")?, w, f)))
}

fn ljust(a: &Args<'_>) -> Result<ObjRef> {
    let (w, f) = pad_args(a, "ljust")?;
    Ok(str_obj(s::ljust(this(a, "ljust")?, w, f)))
}

fn rjust(a: &Args<'_>) -> Result<ObjRef> {
    let (w, f) = pad_args(a, "rjust")?;
    Ok(str_obj(s::rjust(this(a, "rjust")?, w, f)))
}

fn zfill(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "str", "zfill", 1, 1)?;
    let w = index_i64(&a.all[1])?;
    Ok(str_obj(s::zfill(this(a, "zfill")?, w.max(0) as usize)))
}

/// `str.partition` / `rpartition` of the scalar layer.
type PartitionFn =
    for<'x> fn(&'x str, &str) -> weft_object::scalar::ScalarResult<(&'x str, &'x str, &'x str)>;

fn partition_impl(a: &Args<'_>, name: &str, f: PartitionFn) -> Result<ObjRef> {
    mcheck(a, "str", name, 1, 1)?;
    let me = this(a, name)?;
    let sep = str_param(&a.all[1])?;
    let (x, y, z) = f(me, sep)?;
    Ok(crate::core::tuple(vec![str_obj(x), str_obj(y), str_obj(z)]))
}

fn partition(a: &Args<'_>) -> Result<ObjRef> {
    partition_impl(a, "partition", s::partition)
}

fn rpartition(a: &Args<'_>) -> Result<ObjRef> {
    partition_impl(a, "rpartition", s::rpartition)
}

fn splitlines(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("splitlines", &["keepends"])?;
    a.check_pos("splitlines", 1, 2)?;
    let me = this(a, "splitlines")?;
    let keep = match a.arg(1, "keepends") {
        Some(k) => k.is_true()?,
        None => false,
    };
    Ok(list_of(s::splitlines(me, keep)))
}

fn expandtabs(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("expandtabs", &["tabsize"])?;
    a.check_pos("expandtabs", 1, 2)?;
    let me = this(a, "expandtabs")?;
    let ts = match a.arg(1, "tabsize") {
        Some(t) => index_i64(t)? as isize,
        None => 8,
    };
    Ok(str_obj(s::expandtabs(me, ts)))
}

fn encode(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("encode", &["encoding", "errors"])?;
    a.check_pos("encode", 1, 3)?;
    let me = this(a, "encode")?;
    let enc = match a.arg(1, "encoding") {
        Some(e) => crate::builtins::util::str_arg(e, "encode() argument 'encoding'")?,
        None => "utf-8",
    };
    let errs = match a.arg(2, "errors") {
        Some(e) => crate::builtins::util::str_arg(e, "encode() argument 'errors'")?,
        None => "strict",
    };
    let b = super::encode_str(me, enc, errs)?;
    Ok(ObjRef::new(weft_object::types::PyBytes::new(b)))
}

fn format(a: &Args<'_>) -> Result<ObjRef> {
    let me = this(a, "format")?;
    let rest = crate::builtins::util::rest(a);
    super::str_format(me, &rest)
}

fn format_map(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "str", "format_map", 1, 1)?;
    let me = this(a, "format_map")?;
    super::format::format_with(me, &[], Some(&a.all[1]), &[])
}

fn remove_affix(
    a: &Args<'_>,
    name: &str,
    f: for<'x> fn(&'x str, &str) -> &'x str,
) -> Result<ObjRef> {
    mcheck(a, "str", name, 1, 1)?;
    let me = this(a, name)?;
    let Some(p) = as_str(&a.all[1]) else {
        return type_err(format!(
            "{name}() argument must be str, not {}",
            tname(&a.all[1])
        ));
    };
    Ok(str_obj(f(me, p)))
}

fn removeprefix(a: &Args<'_>) -> Result<ObjRef> {
    remove_affix(a, "removeprefix", s::removeprefix)
}

fn removesuffix(a: &Args<'_>) -> Result<ObjRef> {
    remove_affix(a, "removesuffix", s::removesuffix)
}

/// `str.maketrans(x[, y[, z]])`.
fn maketrans(a: &Args<'_>) -> Result<ObjRef> {
    let p = a.all.get(1..).unwrap_or(&[]);
    let d = weft_containers::dict::new();
    let dd = weft_containers::dict::Dict::of(&d).expect("dict");
    match p.len() {
        1 => {
            let Some(src) = weft_containers::dict::Dict::of(&p[0]) else {
                return type_err("if you give only one argument to maketrans it must be a dict");
            };
            for (k, v) in src.items_vec() {
                let key = match as_str(&k) {
                    Some(ks) => {
                        let mut it = ks.chars();
                        match (it.next(), it.next()) {
                            (Some(c), None) => int_from_i64(c as i64),
                            _ => {
                                return value_err(
                                    "string keys in translate table must be of length 1",
                                );
                            }
                        }
                    }
                    None if k.downcast::<weft_object::scalar::int::Int>().is_some() => k.clone(),
                    None => return type_err("keys in translate table must be strings or integers"),
                };
                dd.set_item(key, v)?;
            }
        }
        2 | 3 => {
            let x = str_param(&p[0])?;
            let y = str_param(&p[1])?;
            if x.chars().count() != y.chars().count() {
                return value_err("the first two maketrans arguments must have equal length");
            }
            for (cx, cy) in x.chars().zip(y.chars()) {
                dd.set_item(int_from_i64(cx as i64), int_from_i64(cy as i64))?;
            }
            if let Some(z) = p.get(2) {
                for c in str_param(z)?.chars() {
                    dd.set_item(int_from_i64(c as i64), weft_object::none().to_ref())?;
                }
            }
        }
        n => return type_err(format!("maketrans expected at most 3 arguments, got {n}")),
    }
    Ok(d)
}

fn translate(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "str", "translate", 1, 1)?;
    let me = this(a, "translate")?;
    let table = &a.all[1];
    let mut out = String::with_capacity(me.len());
    for c in me.chars() {
        match crate::ops::getitem(table, &int_from_i64(c as i64)) {
            Ok(v) => {
                if is_none(&v) {
                    continue;
                } else if let Some(t) = as_str(&v) {
                    out.push_str(t);
                } else if let Some(i) = v.downcast::<weft_object::scalar::int::Int>() {
                    match i
                        .as_i64()
                        .and_then(|i| u32::try_from(i).ok())
                        .and_then(char::from_u32)
                    {
                        Some(ch) => out.push(ch),
                        None => return value_err("character mapping must be in range(0x110000)"),
                    }
                } else {
                    return type_err("character mapping must return integer, None or str");
                }
            }
            Err(e)
                if e.kind == weft_object::ExcKind::LookupError
                    || e.kind == weft_object::ExcKind::KeyError
                    || e.kind == weft_object::ExcKind::IndexError =>
            {
                out.push(c)
            }
            Err(e) => return Err(e),
        }
    }
    Ok(str_obj(out))
}

fn str_dunder_format(a: &Args<'_>) -> Result<ObjRef> {
    mcheck(a, "str", "__format__", 1, 1)?;
    let me = this(a, "__format__")?;
    let spec = match as_str(&a.all[1]) {
        Some(x) => x,
        None => {
            return type_err(format!(
                "__format__() argument must be str, not {}",
                tname(&a.all[1])
            ));
        }
    };
    Ok(str_obj(s::format(me, spec)?))
}

/// Installs the methods of `str`.
pub(super) fn install() {
    let methods: &[(&'static str, NativeFn)] = &[
        ("split", split),
        ("rsplit", rsplit),
        ("join", join),
        ("strip", strip),
        ("lstrip", lstrip),
        ("rstrip", rstrip),
        ("replace", replace),
        ("find", find),
        ("rfind", rfind),
        ("index", index),
        ("rindex", rindex),
        ("count", count),
        ("startswith", startswith),
        ("endswith", endswith),
        ("upper", upper),
        ("lower", lower),
        ("title", title),
        ("capitalize", capitalize),
        ("swapcase", swapcase),
        ("casefold", casefold),
        ("isdigit", isdigit),
        ("isdecimal", isdecimal),
        ("isnumeric", isnumeric),
        ("isalpha", isalpha),
        ("isalnum", isalnum),
        ("isspace", isspace),
        ("isupper", isupper),
        ("islower", islower),
        ("istitle", istitle),
        ("isidentifier", isidentifier),
        ("isprintable", isprintable),
        ("isascii", isascii),
        ("center", center),
        ("ljust", ljust),
        ("rjust", rjust),
        ("zfill", zfill),
        ("partition", partition),
        ("rpartition", rpartition),
        ("splitlines", splitlines),
        ("expandtabs", expandtabs),
        ("encode", encode),
        ("format", format),
        ("format_map", format_map),
        ("removeprefix", removeprefix),
        ("removesuffix", removesuffix),
        ("translate", translate),
        ("__format__", str_dunder_format),
    ];
    for (n, f) in methods {
        add_method(&STR_TYPE, n, *f);
    }
    add_classmethod(&STR_TYPE, "maketrans", maketrans);
}
