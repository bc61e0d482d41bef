//! The `time` module: wall clock, monotonic and performance counters, `sleep` (detached, so
//! other threads run while one sleeps; on the main thread a signal wakes it to run handlers).

use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use weft_object::scalar::int::Int;
use weft_object::types::FLOAT_TYPE;
use weft_object::{ExcKind, ObjRef, Object, PyErr, int_from_i64, int_obj, none};

use crate::core::{Args, Result, module_add_fn, new_module, type_err};

fn epoch() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

fn wall() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
}

fn ns_obj(d: Duration) -> ObjRef {
    let ns = d.as_nanos();
    match i64::try_from(ns) {
        Ok(v) => int_from_i64(v),
        Err(_) => int_obj(Int::from(ns as i128)),
    }
}

/// A number argument as `f64` (int or float), with CPython's messages.
pub(crate) fn number_arg(o: &Object, what: &str) -> Result<f64> {
    if let Some(f) = o.downcast::<f64>() {
        return Ok(*f);
    }
    if let Some(i) = o.downcast::<Int>() {
        return i.to_f64().map_err(PyErr::from);
    }
    if let Some(f) = o.ty().slots.number.float {
        let v = f(o)?;
        if let Some(x) = v.downcast::<f64>() {
            return Ok(*x);
        }
    }
    if let Ok(Some(m)) = crate::core::lookup_str(o.ty(), "__float__") {
        let v = crate::call::call1(&m, o.to_ref())?;
        if let Some(x) = v.downcast::<f64>() {
            return Ok(*x);
        }
    }
    if let Ok(Some(m)) = crate::core::lookup_str(o.ty(), "__index__") {
        let v = crate::call::call1(&m, o.to_ref())?;
        if let Some(i) = v.downcast::<Int>() {
            return i.to_f64().map_err(PyErr::from);
        }
    }
    type_err(format!("{what}, not {}", o.ty().name))
}

fn t_time(a: &Args<'_>) -> Result<ObjRef> {
    a.check("time", 0, 0)?;
    Ok(ObjRef::new(wall().as_secs_f64()))
}

fn t_time_ns(a: &Args<'_>) -> Result<ObjRef> {
    a.check("time_ns", 0, 0)?;
    Ok(ns_obj(wall()))
}

fn t_monotonic(a: &Args<'_>) -> Result<ObjRef> {
    a.check("monotonic", 0, 0)?;
    Ok(ObjRef::new(epoch().elapsed().as_secs_f64()))
}

fn t_monotonic_ns(a: &Args<'_>) -> Result<ObjRef> {
    a.check("monotonic_ns", 0, 0)?;
    Ok(ns_obj(epoch().elapsed()))
}

fn t_process_time(a: &Args<'_>) -> Result<ObjRef> {
    a.check("process_time", 0, 0)?;
    Ok(ObjRef::new(epoch().elapsed().as_secs_f64()))
}

fn t_sleep(a: &Args<'_>) -> Result<ObjRef> {
    a.check("sleep", 1, 1)?;
    let o = &a.all[0];
    let secs = if o.ty().is_subtype(&FLOAT_TYPE) || o.downcast::<Int>().is_some() {
        number_arg(o, "")?
    } else {
        return type_err(format!(
            "'{}' object cannot be interpreted as an integer",
            o.ty().name
        ));
    };
    if secs.is_nan() {
        return Err(PyErr::value_error("Invalid value NaN (not a number)"));
    }
    if secs < 0.0 {
        return Err(PyErr::value_error("sleep length must be non-negative"));
    }
    if !secs.is_finite() || secs > 1e12 {
        return Err(PyErr::new(
            ExcKind::OverflowError,
            "timestamp too large to convert to C _PyTime_t",
        ));
    }
    let d = Duration::from_secs_f64(secs);
    if d.is_zero() {
        weft_frame::blocking(std::thread::yield_now);
        return Ok(none().to_ref());
    }
    // On the main thread a signal cuts the sleep short: its handlers run, and when none
    // raised the sleep goes on for the time that is left (PEP 475).
    let deadline = Instant::now() + d;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || !weft_frame::blocking(|| weft_sync::signals::sleep(left)) {
            return Ok(none().to_ref());
        }
        super::signal::check_signals()?;
    }
}

/// A new `time` module.
pub fn make_module() -> ObjRef {
    let _ = epoch();
    let m = new_module("time");
    module_add_fn(&m, "time", t_time);
    module_add_fn(&m, "time_ns", t_time_ns);
    module_add_fn(&m, "monotonic", t_monotonic);
    module_add_fn(&m, "monotonic_ns", t_monotonic_ns);
    module_add_fn(&m, "perf_counter", t_monotonic);
    module_add_fn(&m, "perf_counter_ns", t_monotonic_ns);
    module_add_fn(&m, "process_time", t_process_time);
    module_add_fn(&m, "thread_time", t_process_time);
    module_add_fn(&m, "sleep", t_sleep);
    m
}
