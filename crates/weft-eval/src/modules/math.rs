//! The `math` module: constants, float functions with CPython's domain/range errors, and the
//! integer functions (`factorial`, `gcd`, `lcm`, `comb`, `perm`, `isqrt`) on big ints.

use weft_object::scalar::int::Int;
use weft_object::types::FLOAT_TYPE;
use weft_object::{ExcKind, ObjRef, Object, PyErr, bool_obj, int_obj, none};

use crate::core::{Args, Result, module_add_fn, module_set, new_module, type_err, value_err};

fn domain() -> PyErr {
    PyErr::value_error("math domain error")
}

fn range() -> PyErr {
    PyErr::new(ExcKind::OverflowError, "math range error")
}

/// `o` as a float (`must be real number, not str`).
fn to_f(o: &Object) -> Result<f64> {
    super::time::number_arg(o, "must be real number")
}

/// `o` as an int (`'float' object cannot be interpreted as an integer`).
fn to_int(o: &Object) -> Result<Int> {
    if !o.ty().is_subtype(&FLOAT_TYPE)
        && let Some(i) = o.downcast::<Int>()
    {
        return Ok(i.clone());
    }
    if let Ok(Some(m)) = crate::core::lookup_str(o.ty(), "__index__") {
        let v = crate::call::call1(&m, o.to_ref())?;
        if let Some(i) = v.downcast::<Int>() {
            return Ok(i.clone());
        }
    }
    type_err(format!(
        "'{}' object cannot be interpreted as an integer",
        o.ty().name
    ))
}

fn f1(a: &Args<'_>, name: &str) -> Result<f64> {
    a.check(name, 1, 1)?;
    to_f(&a.all[0])
}

fn fl(x: f64) -> ObjRef {
    ObjRef::new(x)
}

fn int(i: Int) -> ObjRef {
    int_obj(i)
}

/// Checks a float result: NaN from non-NaN input is a domain error, infinity from finite
/// input a range error.
fn checked(x: f64, r: f64) -> Result<ObjRef> {
    if r.is_nan() && !x.is_nan() {
        return Err(domain());
    }
    if r.is_infinite() && x.is_finite() {
        return Err(range());
    }
    Ok(fl(r))
}

macro_rules! unary {
    ($fname:ident, $pyname:literal, $f:expr) => {
        fn $fname(a: &Args<'_>) -> Result<ObjRef> {
            let x = f1(a, $pyname)?;
            let f: fn(f64) -> f64 = $f;
            checked(x, f(x))
        }
    };
}

unary!(m_sin, "sin", f64::sin);
unary!(m_cos, "cos", f64::cos);
unary!(m_tan, "tan", f64::tan);
unary!(m_atan, "atan", f64::atan);
unary!(m_sinh, "sinh", f64::sinh);
unary!(m_cosh, "cosh", f64::cosh);
unary!(m_tanh, "tanh", f64::tanh);
unary!(m_asinh, "asinh", f64::asinh);
unary!(m_exp, "exp", f64::exp);
unary!(m_exp2, "exp2", f64::exp2);
unary!(m_expm1, "expm1", f64::exp_m1);
unary!(m_fabs, "fabs", f64::abs);
unary!(m_cbrt, "cbrt", f64::cbrt);

fn m_asin(a: &Args<'_>) -> Result<ObjRef> {
    let x = f1(a, "asin")?;
    if !(-1.0..=1.0).contains(&x) {
        return Err(domain());
    }
    checked(x, x.asin())
}

fn m_acos(a: &Args<'_>) -> Result<ObjRef> {
    let x = f1(a, "acos")?;
    if !(-1.0..=1.0).contains(&x) {
        return Err(domain());
    }
    checked(x, x.acos())
}

fn m_acosh(a: &Args<'_>) -> Result<ObjRef> {
    let x = f1(a, "acosh")?;
    if x < 1.0 {
        return Err(domain());
    }
    checked(x, x.acosh())
}

fn m_atanh(a: &Args<'_>) -> Result<ObjRef> {
    let x = f1(a, "atanh")?;
    if x <= -1.0 || x >= 1.0 {
        return Err(domain());
    }
    checked(x, x.atanh())
}

fn m_sqrt(a: &Args<'_>) -> Result<ObjRef> {
    let x = f1(a, "sqrt")?;
    if x < 0.0 {
        return Err(domain());
    }
    Ok(fl(x.sqrt()))
}

fn m_atan2(a: &Args<'_>) -> Result<ObjRef> {
    a.check("atan2", 2, 2)?;
    Ok(fl(to_f(&a.all[0])?.atan2(to_f(&a.all[1])?)))
}

/// `func(o)` for a log function, also for ints too big for a float: like CPython, such an
/// int is split as `m * 2**e` and the result is `func(m) + func(2) * e`.
fn log_of(o: &Object, func: fn(f64) -> f64) -> Result<f64> {
    if !o.ty().is_subtype(&FLOAT_TYPE)
        && let Some(i) = o.downcast::<Int>()
    {
        if i.signum() <= 0 {
            return Err(domain());
        }
        if let Ok(x) = i.to_f64() {
            return Ok(func(x));
        }
        let bits = i.bit_length();
        let shift = bits - 54;
        let top = i.shr(&Int::from(shift as i64)).map_err(PyErr::from)?;
        let m = top.to_f64().map_err(PyErr::from)? / 2f64.powi(54);
        return Ok(func(m) + func(2.0) * bits as f64);
    }
    let x = to_f(o)?;
    if x.is_nan() {
        return Ok(x);
    }
    if x <= 0.0 {
        return Err(domain());
    }
    Ok(func(x))
}

fn m_log(a: &Args<'_>) -> Result<ObjRef> {
    a.check("log", 1, 2)?;
    let num = log_of(&a.all[0], f64::ln)?;
    match a.all.get(1) {
        None => Ok(fl(num)),
        Some(b) => {
            let den = log_of(b, f64::ln)?;
            if den == 0.0 {
                return Err(PyErr::new(
                    ExcKind::ZeroDivisionError,
                    "float division by zero",
                ));
            }
            Ok(fl(num / den))
        }
    }
}

fn m_log2(a: &Args<'_>) -> Result<ObjRef> {
    a.check("log2", 1, 1)?;
    Ok(fl(log_of(&a.all[0], f64::log2)?))
}

fn m_log10(a: &Args<'_>) -> Result<ObjRef> {
    a.check("log10", 1, 1)?;
    Ok(fl(log_of(&a.all[0], f64::log10)?))
}

fn m_log1p(a: &Args<'_>) -> Result<ObjRef> {
    let x = f1(a, "log1p")?;
    if x <= -1.0 {
        return Err(domain());
    }
    Ok(fl(x.ln_1p()))
}

fn m_pow(a: &Args<'_>) -> Result<ObjRef> {
    a.check("pow", 2, 2)?;
    let x = to_f(&a.all[0])?;
    let y = to_f(&a.all[1])?;
    if x == 0.0 && y < 0.0 && y.is_finite() {
        return Err(domain());
    }
    if x < 0.0 && x.is_finite() && y.is_finite() && y.fract() != 0.0 {
        return Err(domain());
    }
    let r = x.powf(y);
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(range());
    }
    Ok(fl(r))
}

fn round_dunder(o: &Object, dunder: &str, f: fn(f64) -> f64) -> Result<ObjRef> {
    if !o.ty().is_subtype(&FLOAT_TYPE)
        && let Some(i) = o.downcast::<Int>()
    {
        return Ok(int(i.clone()));
    }
    if let Some(x) = o.downcast::<f64>() {
        return Ok(int(Int::from_f64(f(*x)).map_err(PyErr::from)?));
    }
    if let Ok(Some(m)) = crate::core::lookup_str(o.ty(), dunder) {
        return crate::call::call1(&m, o.to_ref());
    }
    let x = to_f(o)?;
    Ok(int(Int::from_f64(f(x)).map_err(PyErr::from)?))
}

fn m_floor(a: &Args<'_>) -> Result<ObjRef> {
    a.check("floor", 1, 1)?;
    round_dunder(&a.all[0], "__floor__", f64::floor)
}

fn m_ceil(a: &Args<'_>) -> Result<ObjRef> {
    a.check("ceil", 1, 1)?;
    round_dunder(&a.all[0], "__ceil__", f64::ceil)
}

fn m_trunc(a: &Args<'_>) -> Result<ObjRef> {
    a.check("trunc", 1, 1)?;
    let o = &a.all[0];
    if o.downcast::<Int>().is_none()
        && o.downcast::<f64>().is_none()
        && crate::core::lookup_str(o.ty(), "__trunc__")?.is_none()
    {
        return type_err(format!(
            "type {} doesn't define __trunc__ method",
            o.ty().name
        ));
    }
    round_dunder(o, "__trunc__", f64::trunc)
}

fn gcd2(a: &Int, b: &Int) -> Result<Int> {
    let mut a = a.abs();
    let mut b = b.abs();
    while !b.is_zero() {
        let r = a.modulo(&b).map_err(PyErr::from)?;
        a = b;
        b = r;
    }
    Ok(a)
}

fn m_gcd(a: &Args<'_>) -> Result<ObjRef> {
    a.no_kwargs("gcd")?;
    let mut g = Int::from(0i64);
    for x in a.all {
        g = gcd2(&g, &to_int(x)?)?;
    }
    Ok(int(g))
}

fn m_lcm(a: &Args<'_>) -> Result<ObjRef> {
    a.no_kwargs("lcm")?;
    let mut l = Int::from(1i64);
    for x in a.all {
        let x = to_int(x)?;
        if x.is_zero() || l.is_zero() {
            l = Int::from(0i64);
            continue;
        }
        let g = gcd2(&l, &x)?;
        l = l.mul(&x).abs().floordiv(&g).map_err(PyErr::from)?;
    }
    Ok(int(l))
}

/// The product of the integers in `lo..=hi` (binary splitting keeps the big multiplications
/// balanced).
fn range_product(lo: u64, hi: u64) -> Int {
    if lo > hi {
        return Int::from(1i64);
    }
    if hi - lo < 16 {
        let mut p = Int::from(1i64);
        for k in lo..=hi {
            p = p.mul(&Int::from(k as i64));
        }
        return p;
    }
    let mid = lo + (hi - lo) / 2;
    range_product(lo, mid).mul(&range_product(mid + 1, hi))
}

fn m_factorial(a: &Args<'_>) -> Result<ObjRef> {
    a.check("factorial", 1, 1)?;
    let n = to_int(&a.all[0])?;
    if n.is_negative() {
        return value_err("factorial() not defined for negative values");
    }
    let n = n.as_i64().filter(|&n| n <= 1_000_000).ok_or_else(|| {
        PyErr::new(
            ExcKind::OverflowError,
            "factorial() argument should not exceed 9223372036854775807",
        )
    })?;
    Ok(int(range_product(2, n as u64)))
}

fn nonneg(i: Int, what: &str) -> Result<Int> {
    if i.is_negative() {
        return value_err(format!("{what} must be a non-negative integer"));
    }
    Ok(i)
}

fn m_comb(a: &Args<'_>) -> Result<ObjRef> {
    a.check("comb", 2, 2)?;
    let n = nonneg(to_int(&a.all[0])?, "n")?;
    let k = nonneg(to_int(&a.all[1])?, "k")?;
    if k > n {
        return Ok(int(Int::from(0i64)));
    }
    let nk = n.sub(&k);
    let k = if nk < k { nk } else { k };
    let k = k.as_i64().ok_or_else(|| {
        PyErr::new(
            ExcKind::OverflowError,
            "min(n - k, k) must not exceed 9223372036854775807",
        )
    })?;
    let mut r = Int::from(1i64);
    for i in 0..k {
        r = r
            .mul(&n.sub(&Int::from(i)))
            .floordiv(&Int::from(i + 1))
            .map_err(PyErr::from)?;
    }
    Ok(int(r))
}

fn m_perm(a: &Args<'_>) -> Result<ObjRef> {
    a.check("perm", 1, 2)?;
    let n = nonneg(to_int(&a.all[0])?, "n")?;
    let k = match a.all.get(1) {
        None => n.clone(),
        Some(k) if k.is(none()) => n.clone(),
        Some(k) => nonneg(to_int(k)?, "k")?,
    };
    if k > n {
        return Ok(int(Int::from(0i64)));
    }
    let k = k.as_i64().ok_or_else(|| {
        PyErr::new(
            ExcKind::OverflowError,
            "k must not exceed 9223372036854775807",
        )
    })?;
    let mut r = Int::from(1i64);
    for i in 0..k {
        r = r.mul(&n.sub(&Int::from(i)));
    }
    Ok(int(r))
}

fn isqrt(n: &Int) -> Result<Int> {
    if n.is_zero() {
        return Ok(Int::from(0i64));
    }
    // Newton's iteration from an overestimate 2^ceil(bits/2).
    let bits = n.bit_length();
    let mut x = Int::from(1i64)
        .shl(&Int::from(bits.div_ceil(2) as i64))
        .map_err(PyErr::from)?;
    loop {
        let y = x
            .add(&n.floordiv(&x).map_err(PyErr::from)?)
            .shr(&Int::from(1i64))
            .map_err(PyErr::from)?;
        if y >= x {
            return Ok(x);
        }
        x = y;
    }
}

fn m_isqrt(a: &Args<'_>) -> Result<ObjRef> {
    a.check("isqrt", 1, 1)?;
    let n = to_int(&a.all[0])?;
    if n.is_negative() {
        return value_err("isqrt() argument must be nonnegative");
    }
    Ok(int(isqrt(&n)?))
}

fn m_isclose(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("isclose", &["rel_tol", "abs_tol"])?;
    a.check_pos("isclose", 2, 2)?;
    let x = to_f(&a.all[0])?;
    let y = to_f(&a.all[1])?;
    let rel = match a.get_kw("rel_tol") {
        Some(v) => to_f(v)?,
        None => 1e-9,
    };
    let abs = match a.get_kw("abs_tol") {
        Some(v) => to_f(v)?,
        None => 0.0,
    };
    if rel < 0.0 || abs < 0.0 {
        return value_err("tolerances must be non-negative");
    }
    if x == y {
        return Ok(bool_obj(true));
    }
    if x.is_infinite() || y.is_infinite() {
        return Ok(bool_obj(false));
    }
    let d = (y - x).abs();
    Ok(bool_obj(
        d <= (rel * y).abs() || d <= (rel * x).abs() || d <= abs,
    ))
}

fn m_isnan(a: &Args<'_>) -> Result<ObjRef> {
    Ok(bool_obj(f1(a, "isnan")?.is_nan()))
}

fn m_isinf(a: &Args<'_>) -> Result<ObjRef> {
    Ok(bool_obj(f1(a, "isinf")?.is_infinite()))
}

fn m_isfinite(a: &Args<'_>) -> Result<ObjRef> {
    Ok(bool_obj(f1(a, "isfinite")?.is_finite()))
}

fn m_hypot(a: &Args<'_>) -> Result<ObjRef> {
    a.no_kwargs("hypot")?;
    let mut xs = Vec::with_capacity(a.all.len());
    for x in a.all {
        xs.push(to_f(x)?.abs());
    }
    if xs.iter().any(|x| x.is_infinite()) {
        return Ok(fl(f64::INFINITY));
    }
    if xs.iter().any(|x| x.is_nan()) {
        return Ok(fl(f64::NAN));
    }
    let max = xs.iter().cloned().fold(0.0, f64::max);
    if max == 0.0 {
        return Ok(fl(0.0));
    }
    if xs.len() == 2 {
        return Ok(fl(xs[0].hypot(xs[1])));
    }
    let s: f64 = xs.iter().map(|x| (x / max) * (x / max)).sum();
    Ok(fl(max * s.sqrt()))
}

fn m_dist(a: &Args<'_>) -> Result<ObjRef> {
    a.check("dist", 2, 2)?;
    let p = weft_containers::list::collect_iterable(&a.all[0])?;
    let q = weft_containers::list::collect_iterable(&a.all[1])?;
    if p.len() != q.len() {
        return value_err("both points must have the same number of dimensions");
    }
    let mut diffs = Vec::new();
    for (x, y) in p.iter().zip(&q) {
        diffs.push(fl(to_f(x)? - to_f(y)?));
    }
    m_hypot(&Args::positional(&diffs))
}

fn m_degrees(a: &Args<'_>) -> Result<ObjRef> {
    Ok(fl(f1(a, "degrees")?.to_degrees()))
}

fn m_radians(a: &Args<'_>) -> Result<ObjRef> {
    Ok(fl(f1(a, "radians")?.to_radians()))
}

fn m_copysign(a: &Args<'_>) -> Result<ObjRef> {
    a.check("copysign", 2, 2)?;
    Ok(fl(to_f(&a.all[0])?.copysign(to_f(&a.all[1])?)))
}

fn m_fmod(a: &Args<'_>) -> Result<ObjRef> {
    a.check("fmod", 2, 2)?;
    let x = to_f(&a.all[0])?;
    let y = to_f(&a.all[1])?;
    if y.is_infinite() && x.is_finite() {
        return Ok(fl(x));
    }
    if y == 0.0 || x.is_infinite() {
        if x.is_nan() || y.is_nan() {
            return Ok(fl(f64::NAN));
        }
        return Err(domain());
    }
    Ok(fl(x % y))
}

fn m_remainder(a: &Args<'_>) -> Result<ObjRef> {
    a.check("remainder", 2, 2)?;
    let x = to_f(&a.all[0])?;
    let y = to_f(&a.all[1])?;
    if x.is_nan() || y.is_nan() {
        return Ok(fl(f64::NAN));
    }
    if x.is_infinite() || y == 0.0 {
        return Err(domain());
    }
    if y.is_infinite() {
        return Ok(fl(x));
    }
    let n = (x / y).round();
    let mut r = x - n * y;
    // Round half to even.
    if ((x / y) - (x / y).trunc()).abs() == 0.5 && n % 2.0 != 0.0 {
        r = x - (n - (x / y).signum()) * y;
    }
    Ok(fl(r))
}

fn m_modf(a: &Args<'_>) -> Result<ObjRef> {
    let x = f1(a, "modf")?;
    if x.is_infinite() {
        return Ok(crate::core::tuple(vec![fl(0.0f64.copysign(x)), fl(x)]));
    }
    let i = x.trunc();
    Ok(crate::core::tuple(vec![fl((x - i).copysign(x)), fl(i)]))
}

fn m_frexp(a: &Args<'_>) -> Result<ObjRef> {
    let x = f1(a, "frexp")?;
    let (m, e) = if x == 0.0 || !x.is_finite() {
        (x, 0)
    } else {
        let (neg, mant, exp) = weft_object::scalar::float::decompose(x);
        // x = mant * 2^exp with mant an integer; normalise to [0.5, 1).
        let bits = 64 - mant.leading_zeros() as i32;
        let m = mant as f64 / 2f64.powi(bits);
        (if neg { -m } else { m }, exp + bits)
    };
    Ok(crate::core::tuple(vec![fl(m), int(Int::from(e as i64))]))
}

fn m_ldexp(a: &Args<'_>) -> Result<ObjRef> {
    a.check("ldexp", 2, 2)?;
    let x = to_f(&a.all[0])?;
    let e = to_int(&a.all[1])?;
    let e = e
        .as_i64()
        .unwrap_or(if e.is_negative() { i64::MIN } else { i64::MAX });
    if x == 0.0 || !x.is_finite() {
        return Ok(fl(x));
    }
    let e = e.clamp(-2200, 2200) as i32;
    // Scale in steps to avoid intermediate overflow/underflow.
    let mut r = x;
    let mut left = e;
    while left != 0 {
        let step = left.clamp(-1000, 1000);
        r *= 2f64.powi(step);
        left -= step;
    }
    if r.is_infinite() {
        return Err(range());
    }
    Ok(fl(r))
}

/// Exact float summation (Shewchuk's partials), as `math.fsum`.
fn fsum(xs: impl Iterator<Item = Result<f64>>) -> Result<f64> {
    let mut partials: Vec<f64> = Vec::new();
    let mut special = 0.0f64;
    let mut inf_sum = 0.0f64;
    for x in xs {
        let mut x = x?;
        if !x.is_finite() {
            if x.is_infinite() {
                inf_sum += x;
            }
            special += x;
            continue;
        }
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        if !x.is_finite() {
            return Err(PyErr::new(
                ExcKind::OverflowError,
                "intermediate overflow in fsum",
            ));
        }
        partials.truncate(i);
        partials.push(x);
    }
    if special != 0.0 {
        if inf_sum.is_nan() {
            return Err(PyErr::value_error("-inf + inf in fsum"));
        }
        return Ok(special);
    }
    let mut hi = 0.0;
    if let Some(mut n) = partials.len().checked_sub(0).filter(|&n| n > 0) {
        n -= 1;
        hi = partials[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = partials[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(hi)
}

fn m_fsum(a: &Args<'_>) -> Result<ObjRef> {
    a.check("fsum", 1, 1)?;
    let it = crate::ops::iter(&a.all[0])?;
    let mut vals = Vec::new();
    while let Some(x) = crate::ops::next(&it)? {
        vals.push(to_f(&x)?);
    }
    Ok(fl(fsum(vals.into_iter().map(Ok))?))
}

fn m_prod(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("prod", &["start"])?;
    a.check_pos("prod", 1, 1)?;
    let mut acc = match a.get_kw("start") {
        Some(s) => s.clone(),
        None => int(Int::from(1i64)),
    };
    let it = crate::ops::iter(&a.all[0])?;
    while let Some(x) = crate::ops::next(&it)? {
        acc = crate::ops::binary_op(&acc, &x, weft_compiler::instr::BinaryOp::Multiply)?;
    }
    Ok(acc)
}

/// A new `math` module.
pub fn make_module() -> ObjRef {
    let m = new_module("math");
    module_set(&m, "pi", fl(std::f64::consts::PI));
    module_set(&m, "e", fl(std::f64::consts::E));
    module_set(&m, "tau", fl(std::f64::consts::TAU));
    module_set(&m, "inf", fl(f64::INFINITY));
    module_set(&m, "nan", fl(f64::NAN));
    let fns: &[(&'static str, crate::core::NativeFn)] = &[
        ("sqrt", m_sqrt),
        ("sin", m_sin),
        ("cos", m_cos),
        ("tan", m_tan),
        ("asin", m_asin),
        ("acos", m_acos),
        ("atan", m_atan),
        ("atan2", m_atan2),
        ("sinh", m_sinh),
        ("cosh", m_cosh),
        ("tanh", m_tanh),
        ("asinh", m_asinh),
        ("acosh", m_acosh),
        ("atanh", m_atanh),
        ("exp", m_exp),
        ("exp2", m_exp2),
        ("expm1", m_expm1),
        ("log", m_log),
        ("log2", m_log2),
        ("log10", m_log10),
        ("log1p", m_log1p),
        ("pow", m_pow),
        ("fabs", m_fabs),
        ("cbrt", m_cbrt),
        ("floor", m_floor),
        ("ceil", m_ceil),
        ("trunc", m_trunc),
        ("gcd", m_gcd),
        ("lcm", m_lcm),
        ("factorial", m_factorial),
        ("comb", m_comb),
        ("perm", m_perm),
        ("isqrt", m_isqrt),
        ("isclose", m_isclose),
        ("isnan", m_isnan),
        ("isinf", m_isinf),
        ("isfinite", m_isfinite),
        ("hypot", m_hypot),
        ("dist", m_dist),
        ("degrees", m_degrees),
        ("radians", m_radians),
        ("copysign", m_copysign),
        ("fmod", m_fmod),
        ("remainder", m_remainder),
        ("modf", m_modf),
        ("frexp", m_frexp),
        ("ldexp", m_ldexp),
        ("fsum", m_fsum),
        ("prod", m_prod),
    ];
    for (name, f) in fns {
        module_add_fn(&m, name, *f);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fsum_is_exact() {
        let v = [0.1f64; 10];
        assert_eq!(fsum(v.iter().map(|x| Ok(*x))).unwrap(), 1.0);
        let v = [1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50];
        assert_eq!(fsum(v.iter().map(|x| Ok(*x))).unwrap(), 1e-100);
    }

    #[test]
    fn isqrt_exact() {
        for n in [0i64, 1, 2, 3, 4, 15, 16, 17, 99, 100, 1 << 40, i64::MAX] {
            let r = isqrt(&Int::from(n)).unwrap().as_i64().unwrap();
            assert!(
                r * r <= n && (r + 1) as i128 * (r + 1) as i128 > n as i128,
                "{n}"
            );
        }
    }
}
