//! The builtin functions.

use weft_compiler::instr::{BinaryOp, CompareOp};
use weft_containers::dict::Dict;
use weft_containers::{List, new_list};
use weft_object::scalar::float;
use weft_object::scalar::int::Int;
use weft_object::types::{BYTES_TYPE, FLOAT_TYPE, INT_TYPE, PyBytes, PyStr, STR_TYPE};
use weft_object::{ExcKind, ObjRef, Object, PyErr, bool_obj, int_from_i64, str_obj};

use super::util::{
    call_special, collect, for_each, index_i64, index_int, int_ref, is_exact, is_none, none_ref,
};
use crate::core::{Args, NativeFn, Result, as_str, err, lookup_str, tname, type_err, value_err};
use crate::{attr, call, ops};

/// Every builtin function, by name.
pub(super) const FUNCTIONS: &[(&str, NativeFn)] = &[
    ("print", print),
    ("len", len),
    ("sorted", sorted),
    ("min", min),
    ("max", max),
    ("sum", sum),
    ("any", any),
    ("all", all),
    ("abs", abs),
    ("round", round),
    ("divmod", divmod),
    ("pow", pow),
    ("isinstance", isinstance),
    ("issubclass", issubclass),
    ("getattr", getattr),
    ("setattr", setattr),
    ("hasattr", hasattr),
    ("delattr", delattr),
    ("id", id),
    ("hash", hash),
    ("repr", repr),
    ("ascii", ascii),
    ("chr", chr),
    ("ord", ord),
    ("hex", hex),
    ("bin", bin),
    ("oct", oct),
    ("format", format),
    ("vars", vars),
    ("dir", dir),
    ("iter", iter),
    ("next", next),
    ("callable", callable),
    ("globals", globals),
    ("locals", locals),
    ("input", input),
    ("open", open),
    ("exec", exec),
    ("eval", eval),
    ("compile", compile),
    ("__build_class__", build_class),
    ("__import__", import),
    ("exit", exit),
    ("quit", exit),
];

/// `exit(code=None)` / `quit(code=None)`: raises `SystemExit(code)`.
fn exit(args: &Args<'_>) -> Result<ObjRef> {
    args.only_kwargs("exit", &["code"])?;
    args.check_pos("exit", 0, 1)?;
    match args.arg(0, "code") {
        None => Err(PyErr::new(ExcKind::SystemExit, "")),
        Some(code) => {
            let msg = code.str()?;
            Err(PyErr::with_arg(ExcKind::SystemExit, msg, code.clone()))
        }
    }
}

fn print(args: &Args<'_>) -> Result<ObjRef> {
    args.only_kwargs("print", &["sep", "end", "file", "flush"])?;
    let text_arg = |name: &str, default: &str| -> Result<String> {
        match args.get_kw(name) {
            None => Ok(default.to_owned()),
            Some(v) if is_none(v) => Ok(default.to_owned()),
            Some(v) => match as_str(v) {
                Some(s) => Ok(s.to_owned()),
                None => type_err(format!("{name} must be None or a string, not {}", tname(v))),
            },
        }
    };
    let sep = text_arg("sep", " ")?;
    let end = text_arg("end", "\n")?;
    let file = args.get_kw("file").filter(|f| !is_none(f));
    let flush = match args.get_kw("flush") {
        Some(f) => f.is_true()?,
        None => false,
    };
    match file {
        None => {
            let mut out = String::new();
            for (i, a) in args.pos().iter().enumerate() {
                if i > 0 {
                    out.push_str(&sep);
                }
                let s = ops::str(a)?;
                out.push_str(crate::core::str_of(&s));
            }
            out.push_str(&end);
            crate::modules::write_stdout(&out)?;
            if flush {
                crate::modules::flush_stdout()?;
            }
        }
        Some(f) => {
            for (i, a) in args.pos().iter().enumerate() {
                if i > 0 {
                    call::call_method(f, "write", &[str_obj(sep.as_str())])?;
                }
                let s = ops::str(a)?;
                call::call_method(f, "write", &[s])?;
            }
            call::call_method(f, "write", &[str_obj(end.as_str())])?;
            if flush {
                call::call_method(f, "flush", &[])?;
            }
        }
    }
    Ok(none_ref())
}

fn len(args: &Args<'_>) -> Result<ObjRef> {
    args.check("len", 1, 1)?;
    Ok(int_from_i64(ops::len(&args.all[0])? as i64))
}

/// `sorted(iterable, /, *, key=None, reverse=False)`.
fn sorted(args: &Args<'_>) -> Result<ObjRef> {
    let n = args.pos().len();
    if n != 1 {
        return type_err(format!("sorted expected 1 argument, got {n}"));
    }
    args.only_kwargs("sort", &["key", "reverse"])?;
    let l = new_list(collect(&args.all[0])?);
    sort_list(
        List::of(&l).expect("list"),
        args.get_kw("key"),
        args.get_kw("reverse"),
    )?;
    Ok(l)
}

/// `list.sort(key=..., reverse=...)` on `l` (shared with the `list.sort` method).
pub(crate) fn sort_list(l: List<'_>, key: Option<&ObjRef>, reverse: Option<&ObjRef>) -> Result<()> {
    let reverse = match reverse {
        Some(r) => r.is_true()?,
        None => false,
    };
    match key.filter(|k| !is_none(k)) {
        None => l.sort(reverse),
        Some(k) => l.sort_by_key(&mut |x| call::call1(k, x.to_ref()), reverse),
    }
}

fn min(args: &Args<'_>) -> Result<ObjRef> {
    min_max(args, "min", CompareOp::Lt)
}

fn max(args: &Args<'_>) -> Result<ObjRef> {
    min_max(args, "max", CompareOp::Gt)
}

fn min_max(args: &Args<'_>, name: &str, op: CompareOp) -> Result<ObjRef> {
    let pos = args.pos();
    if pos.is_empty() {
        return type_err(format!("{name} expected at least 1 argument, got 0"));
    }
    for (k, _) in args.kw() {
        if k != "key" && k != "default" {
            return type_err(format!("'{k}' is an invalid keyword argument for {name}()"));
        }
    }
    let key = args.get_kw("key").filter(|k| !is_none(k));
    let default = args.get_kw("default");
    if pos.len() > 1 && default.is_some() {
        return type_err(format!(
            "Cannot specify a default for {name}() with multiple positional arguments"
        ));
    }
    let mut best: Option<(ObjRef, ObjRef)> = None;
    let mut consider = |x: ObjRef| -> Result<bool> {
        let k = match key {
            Some(f) => call::call1(f, x.clone())?,
            None => x.clone(),
        };
        let better = match &best {
            None => true,
            Some((bk, _)) => ops::compare(&k, bk, op)?.is_true()?,
        };
        if better {
            best = Some((k, x));
        }
        Ok(true)
    };
    if pos.len() == 1 {
        for_each(&pos[0], &mut consider)?;
    } else {
        for x in pos {
            consider(x.clone())?;
        }
    }
    match best {
        Some((_, x)) => Ok(x),
        None => match default {
            Some(d) => Ok(d.clone()),
            None => value_err(format!("{name}() arg is an empty sequence")),
        },
    }
}

fn sum(args: &Args<'_>) -> Result<ObjRef> {
    args.only_kwargs("sum", &["start"])?;
    match args.pos().len() {
        0 => return type_err("sum() takes at least 1 positional argument (0 given)"),
        n if n > 2 => return type_err(format!("sum() takes at most 2 arguments ({n} given)")),
        _ => {}
    }
    let start = args.arg(1, "start").cloned();
    if let Some(s) = &start {
        if s.is_instance(&STR_TYPE) {
            return type_err("sum() can't sum strings [use ''.join(seq) instead]");
        }
        if s.is_instance(&BYTES_TYPE) {
            return type_err("sum() can't sum bytes [use b''.join(seq) instead]");
        }
    }
    enum Acc {
        Int(Int),
        Float(f64),
        Obj(ObjRef),
    }
    let mut acc = match start {
        None => Acc::Int(Int::from_i64(0)),
        Some(s) if is_exact(&s, &INT_TYPE) => Acc::Int(s.downcast::<Int>().expect("int").clone()),
        Some(s) if is_exact(&s, &FLOAT_TYPE) => Acc::Float(*s.downcast::<f64>().expect("float")),
        Some(s) => Acc::Obj(s),
    };
    for_each(&args.all[0], |x| {
        acc = match std::mem::replace(&mut acc, Acc::Obj(none_ref())) {
            Acc::Int(a)
                if is_exact(&x, &INT_TYPE) || is_exact(&x, &weft_object::types::BOOL_TYPE) =>
            {
                Acc::Int(a.add(x.downcast::<Int>().expect("int")))
            }
            Acc::Int(a) if is_exact(&x, &FLOAT_TYPE) => {
                Acc::Float(a.to_f64()? + *x.downcast::<f64>().expect("float"))
            }
            Acc::Float(a) if is_exact(&x, &FLOAT_TYPE) => {
                Acc::Float(a + *x.downcast::<f64>().expect("float"))
            }
            Acc::Float(a)
                if is_exact(&x, &INT_TYPE) || is_exact(&x, &weft_object::types::BOOL_TYPE) =>
            {
                Acc::Float(a + x.downcast::<Int>().expect("int").to_f64()?)
            }
            Acc::Int(a) => Acc::Obj(ops::binary_op(&int_ref(a), &x, BinaryOp::Add)?),
            Acc::Float(a) => Acc::Obj(ops::binary_op(&ObjRef::new(a), &x, BinaryOp::Add)?),
            Acc::Obj(a) => Acc::Obj(ops::binary_op(&a, &x, BinaryOp::Add)?),
        };
        Ok(true)
    })?;
    Ok(match acc {
        Acc::Int(i) => int_ref(i),
        Acc::Float(f) => ObjRef::new(f),
        Acc::Obj(o) => o,
    })
}

fn any(args: &Args<'_>) -> Result<ObjRef> {
    args.check("any", 1, 1)?;
    let mut r = false;
    super::util::for_each_lazy(&args.all[0], |x| {
        if x.is_true()? {
            r = true;
            return Ok(false);
        }
        Ok(true)
    })?;
    Ok(bool_obj(r))
}

fn all(args: &Args<'_>) -> Result<ObjRef> {
    args.check("all", 1, 1)?;
    let mut r = true;
    super::util::for_each_lazy(&args.all[0], |x| {
        if !x.is_true()? {
            r = false;
            return Ok(false);
        }
        Ok(true)
    })?;
    Ok(bool_obj(r))
}

fn abs(args: &Args<'_>) -> Result<ObjRef> {
    args.check("abs", 1, 1)?;
    let x = &args.all[0];
    if let Some(f) = x.ty().slots.number.abs {
        return f(x);
    }
    match call_special(x, "__abs__", &[])? {
        Some(r) => Ok(r),
        None => type_err(format!("bad operand type for abs(): '{}'", tname(x))),
    }
}

fn round(args: &Args<'_>) -> Result<ObjRef> {
    args.only_kwargs("round", &["number", "ndigits"])?;
    if args.all.len() > 2 {
        return type_err(format!(
            "round() takes at most 2 arguments ({} given)",
            args.all.len()
        ));
    }
    let Some(x) = args.arg(0, "number") else {
        return type_err("round() missing required argument 'number' (pos 1)");
    };
    let nd = args.arg(1, "ndigits").filter(|n| !is_none(n));
    let extra: Vec<ObjRef> = nd.into_iter().cloned().collect();
    // A subclass's own `__round__` wins over the builtin rounding.
    if x.ty().is_heap()
        && let Some(r) = call_special(x, "__round__", &extra)?
    {
        return Ok(r);
    }
    if let Some(f) = x.downcast::<f64>() {
        return match nd {
            None => Ok(int_ref(float::round_to_int(*f)?)),
            Some(n) => {
                let n = super::util::clamp_int(&index_int(n)?);
                Ok(ObjRef::new(float::round(*f, n)?))
            }
        };
    }
    if let Some(i) = x.downcast::<Int>() {
        return match nd {
            None => Ok(int_ref(i.clone())),
            Some(n) => {
                let n = index_int(n)?;
                if !n.is_negative() {
                    return Ok(int_ref(i.clone()));
                }
                Ok(int_ref(round_int(i, &n.neg())?))
            }
        };
    }
    match call_special(x, "__round__", &extra)? {
        Some(r) => Ok(r),
        None => type_err(format!("type {} doesn't define __round__ method", tname(x))),
    }
}

/// `round(i, -digits)` for an int: to a multiple of `10**digits`, ties to even.
fn round_int(i: &Int, digits: &Int) -> Result<Int> {
    let Some(d) = digits.to_u32() else {
        return Ok(Int::from_i64(0));
    };
    let p = match Int::from_i64(10).pow(&Int::from_i64(d as i64))? {
        weft_object::scalar::int::PowResult::Int(p) => p,
        weft_object::scalar::int::PowResult::Float(_) => return Ok(Int::from_i64(0)),
    };
    let (q, r) = i.divmod(&p)?;
    let twice = r.add(&r);
    let odd = q.bitand(&Int::from_i64(1)) == Int::from_i64(1);
    let up = twice > p || (twice == p && odd);
    let q = if up { q.add(&Int::from_i64(1)) } else { q };
    Ok(q.mul(&p))
}

fn divmod(args: &Args<'_>) -> Result<ObjRef> {
    args.check("divmod", 2, 2)?;
    let (a, b) = (&args.all[0], &args.all[1]);
    let num = |o: &Object| -> Option<Result<f64>> {
        if let Some(f) = o.downcast::<f64>() {
            Some(Ok(*f))
        } else {
            o.downcast::<Int>().map(|i| i.to_f64().map_err(PyErr::from))
        }
    };
    // `a.__divmod__(b)`, then `b.__rdivmod__(a)`: `None` when neither answers.
    let special = || -> Result<Option<ObjRef>> {
        for (x, y, name) in [(a, b, "__divmod__"), (b, a, "__rdivmod__")] {
            if let Some(r) = call_special(x, name, std::slice::from_ref(y))?
                && !r.is(weft_object::not_implemented())
            {
                return Ok(Some(r));
            }
        }
        Ok(None)
    };
    if (a.ty().is_heap() || b.ty().is_heap())
        && let Some(r) = special()?
    {
        return Ok(r);
    }
    if let (Some(x), Some(y)) = (a.downcast::<Int>(), b.downcast::<Int>()) {
        let (q, r) = x.divmod(y)?;
        return Ok(crate::core::tuple(vec![int_ref(q), int_ref(r)]));
    }
    if (a.downcast::<f64>().is_some() || b.downcast::<f64>().is_some())
        && let (Some(x), Some(y)) = (num(a), num(b))
    {
        let (q, r) = float::divmod(x?, y?)?;
        return Ok(crate::core::tuple(vec![ObjRef::new(q), ObjRef::new(r)]));
    }
    if let Some(r) = special()? {
        return Ok(r);
    }
    type_err(format!(
        "unsupported operand type(s) for divmod(): '{}' and '{}'",
        tname(a),
        tname(b)
    ))
}

fn pow(args: &Args<'_>) -> Result<ObjRef> {
    args.only_kwargs("pow", &["base", "exp", "mod"])?;
    args.check_pos("pow", 0, 3)?;
    let (Some(base), Some(exp)) = (args.arg(0, "base"), args.arg(1, "exp")) else {
        return type_err("pow() missing required argument 'exp' (pos 2)");
    };
    match args.arg(2, "mod").filter(|m| !is_none(m)) {
        None => ops::binary_op(base, exp, BinaryOp::Power),
        Some(m) => {
            match (
                base.downcast::<Int>(),
                exp.downcast::<Int>(),
                m.downcast::<Int>(),
            ) {
                (Some(b), Some(e), Some(md)) => Ok(int_ref(b.pow_mod(e, md)?)),
                _ if base.ty().is_heap() => {
                    if let Some(r) = call_special(base, "__pow__", &[exp.clone(), m.clone()])?
                        && !r.is(weft_object::not_implemented())
                    {
                        return Ok(r);
                    }
                    type_err("pow() 3rd argument not allowed unless all arguments are integers")
                }
                _ => type_err("pow() 3rd argument not allowed unless all arguments are integers"),
            }
        }
    }
}

fn isinstance(args: &Args<'_>) -> Result<ObjRef> {
    args.check("isinstance", 2, 2)?;
    Ok(bool_obj(ops::isinstance(&args.all[0], &args.all[1])?))
}

fn issubclass(args: &Args<'_>) -> Result<ObjRef> {
    args.check("issubclass", 2, 2)?;
    Ok(bool_obj(ops::issubclass(&args.all[0], &args.all[1])?))
}

fn attr_name(o: &Object) -> Result<&Object> {
    if o.downcast::<PyStr>().is_some() {
        Ok(o)
    } else {
        type_err(format!("attribute name must be string, not '{}'", tname(o)))
    }
}

fn getattr(args: &Args<'_>) -> Result<ObjRef> {
    args.no_kwargs("getattr")?;
    let n = args.all.len();
    if !(2..=3).contains(&n) {
        return type_err(format!(
            "getattr expected {} arguments, got {n}",
            if n < 2 { "at least 2" } else { "at most 3" }
        ));
    }
    let name = attr_name(&args.all[1])?;
    if n == 3 {
        return Ok(attr::getattr_opt(&args.all[0], name)?.unwrap_or_else(|| args.all[2].clone()));
    }
    attr::getattr(&args.all[0], name)
}

fn setattr(args: &Args<'_>) -> Result<ObjRef> {
    args.check("setattr", 3, 3)?;
    attr::setattr(&args.all[0], attr_name(&args.all[1])?, args.all[2].clone())?;
    Ok(none_ref())
}

fn hasattr(args: &Args<'_>) -> Result<ObjRef> {
    args.check("hasattr", 2, 2)?;
    Ok(bool_obj(
        attr::getattr_opt(&args.all[0], attr_name(&args.all[1])?)?.is_some(),
    ))
}

fn delattr(args: &Args<'_>) -> Result<ObjRef> {
    args.check("delattr", 2, 2)?;
    attr::delattr(&args.all[0], attr_name(&args.all[1])?)?;
    Ok(none_ref())
}

fn id(args: &Args<'_>) -> Result<ObjRef> {
    args.check("id", 1, 1)?;
    Ok(int_ref(Int::from(args.all[0].id())))
}

fn hash(args: &Args<'_>) -> Result<ObjRef> {
    args.check("hash", 1, 1)?;
    Ok(int_from_i64(args.all[0].hash()?))
}

fn repr(args: &Args<'_>) -> Result<ObjRef> {
    args.check("repr", 1, 1)?;
    ops::repr(&args.all[0])
}

fn ascii(args: &Args<'_>) -> Result<ObjRef> {
    args.check("ascii", 1, 1)?;
    let r = ops::repr(&args.all[0])?;
    let s = crate::core::str_of(&r);
    if s.is_ascii() {
        return Ok(r);
    }
    Ok(str_obj(weft_object::scalar::str::escape_non_ascii(s)))
}

fn chr(args: &Args<'_>) -> Result<ObjRef> {
    args.check("chr", 1, 1)?;
    let i = index_int(&args.all[0])?;
    let Some(v) = i.as_i64() else {
        return err(
            ExcKind::OverflowError,
            "Python int too large to convert to C int",
        );
    };
    if !(0..0x110000).contains(&v) {
        return value_err("chr() arg not in range(0x110000)");
    }
    match char::from_u32(v as u32) {
        Some(c) => Ok(str_obj(c.to_string())),
        None => value_err(format!(
            "chr() arg {v:#x} is a surrogate, which weft's str cannot hold"
        )),
    }
}

fn ord(args: &Args<'_>) -> Result<ObjRef> {
    args.check("ord", 1, 1)?;
    let x = &args.all[0];
    if let Some(s) = x.downcast::<PyStr>() {
        let mut it = s.as_str().chars();
        return match (it.next(), it.next()) {
            (Some(c), None) => Ok(int_from_i64(c as i64)),
            _ => type_err(format!(
                "ord() expected a character, but string of length {} found",
                s.char_len()
            )),
        };
    }
    if let Some(b) = x.downcast::<PyBytes>() {
        return match b.as_bytes() {
            [c] => Ok(int_from_i64(*c as i64)),
            v => type_err(format!(
                "ord() expected a character, but string of length {} found",
                v.len()
            )),
        };
    }
    type_err(format!(
        "ord() expected string of length 1, but {} found",
        tname(x)
    ))
}

fn hex(args: &Args<'_>) -> Result<ObjRef> {
    args.check("hex", 1, 1)?;
    Ok(str_obj(index_int(&args.all[0])?.hex()))
}

fn bin(args: &Args<'_>) -> Result<ObjRef> {
    args.check("bin", 1, 1)?;
    Ok(str_obj(index_int(&args.all[0])?.bin()))
}

fn oct(args: &Args<'_>) -> Result<ObjRef> {
    args.check("oct", 1, 1)?;
    Ok(str_obj(index_int(&args.all[0])?.oct()))
}

fn format(args: &Args<'_>) -> Result<ObjRef> {
    args.check("format", 1, 2)?;
    let spec = match args.all.get(1) {
        None => "",
        Some(s) => match as_str(s) {
            Some(s) => s,
            None => {
                return type_err(format!("format() argument 2 must be str, not {}", tname(s)));
            }
        },
    };
    ops::format(&args.all[0], spec)
}

fn vars(args: &Args<'_>) -> Result<ObjRef> {
    args.check("vars", 0, 1)?;
    match args.all.first() {
        None => crate::eval::current_locals(),
        Some(o) => match attr::getattr_opt(o, weft_object::intern("__dict__"))? {
            Some(d) => Ok(d),
            None => type_err("vars() argument must have __dict__ attribute"),
        },
    }
}

fn dir(args: &Args<'_>) -> Result<ObjRef> {
    args.check("dir", 0, 1)?;
    let names = match args.all.first() {
        Some(o) => {
            if let Some(r) = call_special(o, "__dir__", &[])? {
                let l = new_list(collect(&r)?);
                sort_list(List::of(&l).expect("list"), None, None)?;
                return Ok(l);
            }
            attr::dir(o)?
        }
        None => {
            let locals = crate::eval::current_locals()?;
            let mut v: Vec<String> = match Dict::of(&locals) {
                Some(d) => d
                    .keys_vec()
                    .iter()
                    .filter_map(|k| as_str(k).map(str::to_owned))
                    .collect(),
                None => collect(&locals)?
                    .iter()
                    .filter_map(|k| as_str(k).map(str::to_owned))
                    .collect(),
            };
            v.sort();
            v
        }
    };
    Ok(new_list(names.into_iter().map(str_obj).collect()))
}

fn iter(args: &Args<'_>) -> Result<ObjRef> {
    args.check("iter", 1, 2)?;
    if args.all.len() == 2 {
        let f = &args.all[0];
        if !is_callable(f)? {
            return type_err("iter(v, w): v must be callable");
        }
        return Ok(super::iters::callable_iter(f.clone(), args.all[1].clone()));
    }
    ops::iter(&args.all[0])
}

fn next(args: &Args<'_>) -> Result<ObjRef> {
    args.check("next", 1, 2)?;
    let it = &args.all[0];
    if !crate::ops::is_iterator(it)? {
        return type_err(format!("'{}' object is not an iterator", tname(it)));
    }
    // A generator's return value travels in its StopIteration, which the `next` slot cannot
    // carry: resume it directly.
    if crate::generator::is_generator(it) {
        return match crate::generator::send(it, weft_object::none().to_ref())? {
            crate::generator::Resumed::Yielded(x) => Ok(x),
            crate::generator::Resumed::Returned(v) => match args.all.get(1) {
                Some(d) => Ok(d.clone()),
                None => Err(crate::generator::stop_iteration(v)),
            },
        };
    }
    match ops::next(it)? {
        Some(x) => Ok(x),
        None => match args.all.get(1) {
            Some(d) => Ok(d.clone()),
            None => Err(PyErr::new(ExcKind::StopIteration, "")),
        },
    }
}

/// Whether `o` can be called.
pub(crate) fn is_callable(o: &Object) -> Result<bool> {
    let ty = o.ty();
    if ty.is_heap() {
        return Ok(lookup_str(ty, "__call__")?.is_some()
            || crate::class::static_base(ty).slots.call.is_some());
    }
    Ok(ty.slots.call.is_some() || lookup_str(ty, "__call__")?.is_some())
}

fn callable(args: &Args<'_>) -> Result<ObjRef> {
    args.check("callable", 1, 1)?;
    Ok(bool_obj(is_callable(&args.all[0])?))
}

fn globals(args: &Args<'_>) -> Result<ObjRef> {
    args.check("globals", 0, 0)?;
    Ok(crate::eval::current_globals().unwrap_or_else(none_ref))
}

fn locals(args: &Args<'_>) -> Result<ObjRef> {
    args.check("locals", 0, 0)?;
    crate::eval::current_locals()
}

fn input(args: &Args<'_>) -> Result<ObjRef> {
    args.check("input", 0, 1)?;
    crate::modules::input(args.all.first().map(|o| &**o))
}

fn open(args: &Args<'_>) -> Result<ObjRef> {
    crate::modules::open(args)
}

/// The code object for `exec`/`eval`/`compile`'s source argument.
fn source_code(
    src: &Object,
    filename: &str,
    mode: weft_compiler::Mode,
    fname: &str,
) -> Result<ObjRef> {
    if crate::function::Code::of(src).is_some() {
        return Ok(src.to_ref());
    }
    let text: String = if let Some(s) = as_str(src) {
        s.to_owned()
    } else if let Some(b) = src.downcast::<PyBytes>() {
        match std::str::from_utf8(b.as_bytes()) {
            Ok(s) => s.to_owned(),
            Err(_) => return value_err("source code string cannot be decoded as UTF-8"),
        }
    } else {
        let what = if fname == "compile" {
            "compile() arg 1 must be a string, bytes or AST object".to_string()
        } else {
            format!("{fname}() arg 1 must be a string, bytes or code object")
        };
        return type_err(what);
    };
    if text.contains('\0') {
        return Err(PyErr::new(
            ExcKind::SyntaxError,
            "source code string cannot contain null bytes",
        ));
    }
    // `eval` strips leading spaces and tabs, as CPython does.
    let text = if fname == "eval" {
        text.trim_start_matches([' ', '\t']).to_owned()
    } else {
        text
    };
    match weft_compiler::compile(&text, filename, mode) {
        Ok(co) => Ok(crate::function::Code::new(co)),
        Err(e) => Err(PyErr::new(
            ExcKind::SyntaxError,
            format!("{} ({}, line {})", e.message, e.filename, e.line),
        )),
    }
}

fn exec_eval(args: &Args<'_>, fname: &'static str, mode: weft_compiler::Mode) -> Result<ObjRef> {
    args.only_kwargs(fname, &["globals", "locals"])?;
    args.check_pos(fname, 1, 3)?;
    let globals = args.arg(1, "globals").filter(|g| !is_none(g)).cloned();
    let locals = args.arg(2, "locals").filter(|l| !is_none(l)).cloned();
    if let Some(g) = &globals
        && Dict::of(g).is_none()
    {
        return type_err(if fname == "exec" {
            format!("exec() globals must be a dict, not {}", tname(g))
        } else {
            "globals must be a dict".to_string()
        });
    }
    let code = source_code(&args.all[0], "<string>", mode, fname)?;
    let (globals, locals) = match globals {
        Some(g) => {
            let d = Dict::of(&g).expect("dict");
            if !d.contains(weft_object::intern("__builtins__"))? {
                d.set_item(
                    weft_object::intern("__builtins__").to_ref(),
                    super::builtins_dict().to_ref(),
                )?;
            }
            (g, locals)
        }
        None => {
            let Some(g) = crate::eval::current_globals() else {
                return err(
                    ExcKind::RuntimeError,
                    format!("{fname}(): no current frame"),
                );
            };
            let l = match locals {
                Some(l) => Some(l),
                None => Some(crate::eval::current_locals()?),
            };
            (g, l)
        }
    };
    let r = crate::eval::run_code(&code, &globals, locals.as_deref())?;
    Ok(if fname == "exec" { none_ref() } else { r })
}

fn exec(args: &Args<'_>) -> Result<ObjRef> {
    exec_eval(args, "exec", weft_compiler::Mode::Exec)
}

fn eval(args: &Args<'_>) -> Result<ObjRef> {
    exec_eval(args, "eval", weft_compiler::Mode::Eval)
}

fn compile(args: &Args<'_>) -> Result<ObjRef> {
    args.only_kwargs(
        "compile",
        &[
            "source",
            "filename",
            "mode",
            "flags",
            "dont_inherit",
            "optimize",
        ],
    )?;
    let (Some(src), Some(filename), Some(mode)) = (
        args.arg(0, "source"),
        args.arg(1, "filename"),
        args.arg(2, "mode"),
    ) else {
        return type_err("compile() missing required argument");
    };
    let filename = super::util::str_arg(filename, "compile() argument 'filename'")?;
    let mode = match as_str(mode) {
        Some("exec") => weft_compiler::Mode::Exec,
        Some("eval") => weft_compiler::Mode::Eval,
        Some("single") => weft_compiler::Mode::Single,
        _ => return value_err("compile() mode must be 'exec', 'eval' or 'single'"),
    };
    source_code(src, filename, mode, "compile")
}

fn build_class(args: &Args<'_>) -> Result<ObjRef> {
    crate::class::build_class(args)
}

/// `__import__(name, globals=None, locals=None, fromlist=(), level=0)`.
fn import(args: &Args<'_>) -> Result<ObjRef> {
    args.only_kwargs(
        "__import__",
        &["name", "globals", "locals", "fromlist", "level"],
    )?;
    let Some(name) = args.arg(0, "name") else {
        return type_err("__import__() missing required argument 'name' (pos 1)");
    };
    let name = super::util::str_arg(name, "__import__() argument 1")?;
    let globals = args
        .arg(1, "globals")
        .filter(|g| !is_none(g))
        .cloned()
        .unwrap_or_else(|| {
            crate::eval::current_globals().unwrap_or_else(weft_containers::dict::new)
        });
    let fromlist = args
        .arg(3, "fromlist")
        .cloned()
        .unwrap_or_else(weft_containers::empty_tuple);
    let level = match args.arg(4, "level") {
        Some(l) => index_i64(l)?,
        None => 0,
    };
    if level < 0 {
        return value_err("level must be >= 0");
    }
    crate::import::import_name(name, &globals, &fromlist, level)
}
