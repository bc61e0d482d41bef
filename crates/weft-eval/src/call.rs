//! Calling objects: the vectorcall-like protocol every callable type implements through its
//! `call` slot (`fn(callable, args, kwnames)`: the last `kwnames.len()` args are keyword
//! values).
//!
//! Python functions bind their arguments here (`bind_args`, CPython's messages) straight
//! into the new frame's local slots; the eval loop's `CALL` has its own fast path for exact
//! positional calls (no binding at all: the arguments move from the caller's value stack into
//! the callee's locals).

use weft_compiler::CodeFlags;
use weft_containers::dict::{self, Dict};
use weft_containers::list::List;
use weft_containers::tuple::as_tuple;
use weft_frame::{DataStack, FrameInit, Slot, with_stack};
use weft_object::{ObjRef, Object, PyErr, intern};

use crate::core::{Result, as_str, str_of, tuple};
use crate::function::{Code, Function};

/// `f(*args)` with keywords: the last `kwnames.len()` entries of `args` are keyword values
/// named by the `str` objects in `kwnames`. `TypeError: 'int' object is not callable`.
pub fn call(f: &Object, args: &[ObjRef], kwnames: &[ObjRef]) -> Result<ObjRef> {
    if let Some(c) = f.ty().slots.call {
        return c(f, args, kwnames);
    }
    if weft_object::types::as_type(f).is_some() {
        return crate::class::call_type(f, args, kwnames);
    }
    Err(PyErr::type_error(format!(
        "'{}' object is not callable",
        f.ty().name
    )))
}

/// `f()`.
pub fn call0(f: &Object) -> Result<ObjRef> {
    call(f, &[], &[])
}

/// `f(a)`.
pub fn call1(f: &Object, a: ObjRef) -> Result<ObjRef> {
    call(f, &[a], &[])
}

/// `f(a, b)`.
pub fn call2(f: &Object, a: ObjRef, b: ObjRef) -> Result<ObjRef> {
    call(f, &[a, b], &[])
}

/// `f(self_, *args)` with keywords (as [`call`]): the arguments of a method call. Up to four
/// other arguments are passed without allocating.
pub fn call_with_self(
    f: &Object,
    self_: ObjRef,
    args: &[ObjRef],
    kwnames: &[ObjRef],
) -> Result<ObjRef> {
    match args {
        [] => call(f, &[self_], kwnames),
        [a] => call(f, &[self_, a.clone()], kwnames),
        [a, b] => call(f, &[self_, a.clone(), b.clone()], kwnames),
        [a, b, c] => call(f, &[self_, a.clone(), b.clone(), c.clone()], kwnames),
        [a, b, c, d] => call(
            f,
            &[self_, a.clone(), b.clone(), c.clone(), d.clone()],
            kwnames,
        ),
        _ => {
            let mut all = Vec::with_capacity(args.len() + 1);
            all.push(self_);
            all.extend_from_slice(args);
            call(f, &all, kwnames)
        }
    }
}

/// `obj.name(*args)`.
pub fn call_method(obj: &Object, name: &str, args: &[ObjRef]) -> Result<ObjRef> {
    match crate::attr::load_method(obj, intern(name))? {
        crate::attr::Method::Unbound(f) => call_with_self(&f, obj.to_ref(), args, &[]),
        crate::attr::Method::Value(v) => call(&v, args, &[]),
    }
}

/// `f(*args, **kwargs)` for `CALL_FUNCTION_EX`: `args` any iterable, `kwargs` a mapping with
/// str keys.
pub fn call_ex(f: &Object, args: &Object, kwargs: Option<&Object>) -> Result<ObjRef> {
    let mut all = star_args(f, args)?;
    let mut kwnames = Vec::new();
    if let Some(kw) = kwargs {
        for (k, v) in star_kwargs(f, kw)? {
            kwnames.push(k);
            all.push(v);
        }
    }
    call(f, &all, &kwnames)
}

/// The items of the `*args` iterable of a call.
fn star_args(f: &Object, args: &Object) -> Result<Vec<ObjRef>> {
    if let Some(t) = as_tuple(args) {
        return Ok(t.as_slice().to_vec());
    }
    if let Some(l) = List::of(args) {
        return Ok(l.to_vec());
    }
    let it = match crate::ops::iter(args) {
        Ok(it) => it,
        Err(e) if e.kind == weft_object::ExcKind::TypeError && e.object.is_none() => {
            return Err(PyErr::type_error(format!(
                "{} argument after * must be an iterable, not {}",
                func_str(f),
                args.ty().name
            )));
        }
        Err(e) => return Err(e),
    };
    let mut v = Vec::new();
    while let Some(x) = crate::ops::next(&it)? {
        v.push(x);
    }
    Ok(v)
}

/// The (name, value) pairs of the `**kwargs` mapping of a call.
fn star_kwargs(f: &Object, kw: &Object) -> Result<Vec<(ObjRef, ObjRef)>> {
    let Some(pairs) = crate::eval::mapping_items(kw)? else {
        return Err(PyErr::type_error(format!(
            "{} argument after ** must be a mapping, not {}",
            func_str(f),
            kw.ty().name
        )));
    };
    if pairs.iter().any(|(k, _)| as_str(k).is_none()) {
        return Err(PyErr::type_error("keywords must be strings"));
    }
    Ok(pairs)
}

/// How CPython names a callable in call errors: `module.qualname()` for functions.
pub fn func_str(f: &Object) -> String {
    if let Some(func) = Function::of(f) {
        let m = func.meta();
        let (q, module) = (m.qualname(), m.module());
        let q = as_str(&q).unwrap_or("?");
        return match as_str(&module) {
            Some(module) if module != "builtins" => format!("{module}.{q}()"),
            _ => format!("{q}()"),
        };
    }
    if let Some(m) = f.downcast::<crate::function::Method>() {
        return func_str(&m.func);
    }
    if let Some(b) = f.downcast::<crate::core::Builtin>() {
        return match b.owner {
            Some(o) if b.kind != crate::core::BuiltinKind::Function => format!("{o}.{}()", b.name),
            _ => format!("{}()", b.name),
        };
    }
    format!("{} object", f.ty().name)
}

// ---------------------------------------------------------------------------------------------
// Python functions
// ---------------------------------------------------------------------------------------------

/// The `call` slot of `function`.
pub(crate) fn call_function_slot(
    f: &Object,
    args: &[ObjRef],
    kwnames: &[ObjRef],
) -> Result<ObjRef> {
    with_stack(|ds| call_function(ds, f, args, kwnames))
}

/// Calls the Python function `fobj` with `args`/`kwnames` on the data stack `ds`: binds the
/// arguments into a new frame and runs it (or makes the generator, for generator code).
pub(crate) fn call_function(
    ds: &DataStack,
    fobj: &Object,
    args: &[ObjRef],
    kwnames: &[ObjRef],
) -> Result<ObjRef> {
    let func = Function::of(fobj).expect("call_function of a function");
    let code = func.code();
    if code.co.flags.has(CodeFlags::GENERATOR) {
        let mut image: Vec<Slot> = vec![None; code.info.n_fixed()];
        bind_args(func, code, args, kwnames, &mut image)?;
        return Ok(crate::generator::new_generator(fobj, image));
    }
    push_function_frame(ds, fobj, func)?;
    let bound = if kwnames.is_empty() && simple_positional(code, args.len()) {
        ds.bind_locals(args);
        fill_defaults(ds, func, code, args.len())
    } else {
        let n = n_params(code);
        let mut slots: Vec<Slot> = vec![None; n];
        bind_args(func, code, args, kwnames, &mut slots).map(|()| {
            for (i, s) in slots.into_iter().enumerate() {
                if s.is_some() {
                    ds.set_local(i, s);
                }
            }
        })
    };
    let r = match bound {
        Ok(()) => crate::eval::run_function_frame(ds, func),
        Err(e) => Err(e),
    };
    ds.pop();
    r
}

/// Pushes the frame of a call of the Python function `fobj` (`func`), its slots unbound, after
/// checking the native stack (the caller binds the arguments; the eval loop's fast path uses
/// [`push_function_call`] instead).
#[inline]
pub(crate) fn push_function_frame(ds: &DataStack, fobj: &Object, func: &Function) -> Result<()> {
    crate::eval::check_native_stack()?;
    ds.push(frame_init(fobj, func))
}

/// What a frame of a call of `fobj` (`func`) runs: its code, globals and builtins.
#[inline]
pub(crate) fn frame_init(fobj: &Object, _func: &Function) -> FrameInit {
    FrameInit::of_function(fobj.to_ref(), function_parts)
}

/// The [`weft_frame::FunctionParts`] of a Python function: its code, globals and builtins,
/// which it holds and never reassigns.
fn function_parts(f: &Object) -> (&std::sync::Arc<weft_frame::CodeInfo>, &ObjRef, &ObjRef) {
    let func = Function::of(f).expect("a function frame's function is a function");
    (&func.code().info, &func.globals, &func.builtins)
}

/// [`push_function_frame`] for the eval loop's call fast path: the `n_args` arguments move
/// from the caller's cursor. The native stack is checked every 8 frames only (a Python call
/// uses a few hundred bytes of native stack; the check keeps a 512 KiB margin).
#[inline]
pub(crate) fn push_function_call(
    ds: &DataStack,
    cur: &mut weft_frame::FrameCursor<'_>,
    fobj: &Object,
    func: &Function,
    n_args: usize,
) -> Result<()> {
    let depth = ds.push_call(frame_init(fobj, func), cur, n_args)?;
    if depth % 8 == 0
        && let Err(e) = crate::eval::check_native_stack()
    {
        ds.pop();
        return Err(e);
    }
    Ok(())
}

/// The items of `func.__defaults__` (`defaults`, a clone taken under the lock).
fn defaults_slice(defaults: &Option<ObjRef>) -> &[ObjRef] {
    defaults
        .as_deref()
        .and_then(as_tuple)
        .map_or(&[], |t| t.as_slice())
}

/// Number of parameter slots (named parameters, `*args`, `**kwargs`).
pub(crate) fn n_params(code: &Code) -> usize {
    let co = &code.co;
    (co.argcount + co.kwonlyargcount) as usize
        + co.flags.has(CodeFlags::VARARGS) as usize
        + co.flags.has(CodeFlags::VARKEYWORDS) as usize
}

/// Whether `n` positional arguments bind without any work beyond defaults: no `*args`, no
/// `**kwargs`, no keyword-only parameters, and not too many arguments.
#[inline]
pub(crate) fn simple_positional(code: &Code, n: usize) -> bool {
    let co = &code.co;
    co.kwonlyargcount == 0
        && n <= co.argcount as usize
        && co.flags.0 & (CodeFlags::VARARGS | CodeFlags::VARKEYWORDS) == 0
}

/// After `n` positional arguments were put into the top frame's first locals: fills the
/// missing positional parameters from the defaults (or raises the missing-argument error).
#[inline]
pub(crate) fn fill_defaults(ds: &DataStack, func: &Function, code: &Code, n: usize) -> Result<()> {
    let argcount = code.co.argcount as usize;
    if n == argcount {
        return Ok(());
    }
    let defaults = func.meta().defaults.get();
    let dslice = defaults_slice(&defaults);
    let first_default = argcount.saturating_sub(dslice.len());
    if n < first_default {
        let missing: Vec<&str> = (n..first_default)
            .map(|i| code.co.varnames[i].as_str())
            .collect();
        return Err(missing_error(func, &missing, "positional"));
    }
    for i in n..argcount {
        ds.set_local(i, Some(dslice[i - first_default].clone()));
    }
    Ok(())
}

fn quote_list(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        0 => String::new(),
        1 => q[0].clone(),
        2 => format!("{} and {}", q[0], q[1]),
        n => format!("{}, and {}", q[..n - 1].join(", "), q[n - 1]),
    }
}

fn missing_error(func: &Function, names: &[&str], what: &str) -> PyErr {
    PyErr::type_error(format!(
        "{}() missing {} required {} argument{}: {}",
        func.qualname(),
        names.len(),
        what,
        if names.len() == 1 { "" } else { "s" },
        quote_list(names)
    ))
}

/// Binds `args`/`kwnames` to the parameters of `func` (whose code is `code`), writing the
/// values into `out[..n_params]` (positional and keyword parameters in order, then the `*args`
/// tuple, then the `**kwargs` dict). Errors have CPython 3.11's wording.
pub(crate) fn bind_args(
    func: &Function,
    code: &Code,
    args: &[ObjRef],
    kwnames: &[ObjRef],
    out: &mut [Slot],
) -> Result<()> {
    let co = &code.co;
    let argcount = co.argcount as usize;
    let posonly = co.posonlyargcount as usize;
    let kwonly = co.kwonlyargcount as usize;
    let total = argcount + kwonly;
    let has_varargs = co.flags.has(CodeFlags::VARARGS);
    let has_varkw = co.flags.has(CodeFlags::VARKEYWORDS);
    let npos = args.len() - kwnames.len();
    let pos = &args[..npos];
    let kwvals = &args[npos..];

    let n = npos.min(argcount);
    for (i, a) in pos[..n].iter().enumerate() {
        out[i] = Some(a.clone());
    }
    if has_varargs {
        out[total] = Some(tuple(pos[n..].to_vec()));
    }
    let kwdict = if has_varkw {
        let d = dict::new();
        out[total + has_varargs as usize] = Some(d.clone());
        Some(d)
    } else {
        None
    };

    let mut posonly_as_kw: Vec<&str> = Vec::new();
    for (name, value) in kwnames.iter().zip(kwvals) {
        let Some(key) = as_str(name) else {
            return Err(PyErr::type_error("keywords must be strings"));
        };
        // Identity first (names are interned on both sides in the common case).
        let mut found = None;
        for j in posonly..total {
            if code.varnames[j].is(name) {
                found = Some(j);
                break;
            }
        }
        if found.is_none() {
            found = (posonly..total).find(|&j| co.varnames[j] == key);
        }
        match found {
            Some(j) => {
                if out[j].is_some() {
                    return Err(PyErr::type_error(format!(
                        "{}() got multiple values for argument '{}'",
                        func.qualname(),
                        key
                    )));
                }
                out[j] = Some(value.clone());
            }
            None => {
                if let Some(d) = &kwdict {
                    Dict::of(d)
                        .expect("dict")
                        .set_item(name.clone(), value.clone())?;
                } else if co.varnames[..posonly].iter().any(|v| v == key) {
                    posonly_as_kw.push(key);
                } else {
                    return Err(PyErr::type_error(format!(
                        "{}() got an unexpected keyword argument '{}'",
                        func.qualname(),
                        key
                    )));
                }
            }
        }
    }
    if !posonly_as_kw.is_empty() {
        return Err(PyErr::type_error(format!(
            "{}() got some positional-only arguments passed as keyword arguments: '{}'",
            func.qualname(),
            posonly_as_kw.join(", ")
        )));
    }

    let (defaults, kwdefaults) = {
        let m = func.meta();
        (m.defaults.get(), m.kwdefaults.get())
    };
    let dslice = defaults_slice(&defaults);

    if npos > argcount && !has_varargs {
        let given_kwonly = (argcount..total).filter(|&j| out[j].is_some()).count();
        let takes = if dslice.is_empty() {
            format!(
                "{} positional argument{}",
                argcount,
                if argcount == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "from {} to {} positional arguments",
                argcount - dslice.len().min(argcount),
                argcount
            )
        };
        let given = if given_kwonly > 0 {
            format!(
                "{} positional argument{} (and {} keyword-only argument{}) were given",
                npos,
                if npos == 1 { "" } else { "s" },
                given_kwonly,
                if given_kwonly == 1 { "" } else { "s" }
            )
        } else {
            format!("{} {} given", npos, if npos == 1 { "was" } else { "were" })
        };
        return Err(PyErr::type_error(format!(
            "{}() takes {} but {}",
            func.qualname(),
            takes,
            given
        )));
    }

    // Missing positional parameters: defaults, or the error.
    let first_default = argcount.saturating_sub(dslice.len());
    let mut missing: Vec<&str> = Vec::new();
    for i in npos.min(argcount)..argcount {
        if out[i].is_none() {
            if i >= first_default {
                out[i] = Some(dslice[i - first_default].clone());
            } else {
                missing.push(&co.varnames[i]);
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing_error(func, &missing, "positional"));
    }
    // Keyword-only parameters.
    for (i, slot) in out.iter_mut().enumerate().take(total).skip(argcount) {
        if slot.is_none() {
            let name = code.varnames[i];
            let dv = match &kwdefaults {
                Some(kd) => match Dict::of(kd) {
                    Some(d) => d.get(name)?,
                    None => None,
                },
                None => None,
            };
            match dv {
                Some(v) => *slot = Some(v),
                None => missing.push(str_of(name)),
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing_error(func, &missing, "keyword-only"));
    }
    Ok(())
}
