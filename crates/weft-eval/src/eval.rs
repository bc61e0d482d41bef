//! The eval loop.
//!
//! [`run_code`] executes a module or class body; Python functions enter through their `call`
//! slot and [`crate::generator`] resumes suspended frames. Frames live on the thread's data
//! stack ([`weft_frame::with_stack`]); the eval breaker (backward jumps, calls, `RESUME`)
//! runs `weft_refcount`'s check point and `weft_frame::safe_point`.
//!
//! ## Structure
//! Every frame runs in `run_frame`: the caller has pushed the frame (and put the arguments
//! into its locals); `run_frame` executes instructions from a given index until `RETURN_VALUE`
//! or `YIELD_VALUE` (`FrameExit`) or an exception that no handler of the frame catches. It
//! never pops the frame: the caller does, so a generator can save the frame's slots first.
//!
//! Errors: an instruction that fails produces a [`PyErr`]; the first frame that sees an error
//! without an exception object makes one ([`crate::exceptions::materialize`]) and chains it to
//! the exception being handled (`__context__`). Each frame the exception passes through adds a
//! traceback entry (except for re-raises), then the exception table decides: unwind the value
//! stack to the handler's depth, push `lasti` if asked, push the exception, jump.
//!
//! The exception being handled (`sys.exc_info()`) is one per-thread slot that `PUSH_EXC_INFO`
//! saves on the value stack and `POP_EXCEPT` restores; generators swap their own in and out.
//!
//! ## Recursion
//! The data stack's recursion limit raises `RecursionError`; in addition every Python call
//! checks the native stack (`check_native_stack`), so a high `sys.setrecursionlimit` never
//! crashes the process.

use std::cell::{Cell, RefCell};

use weft_compiler::instr::{Conversion, Instr, MakeFunctionFlags};
use weft_compiler::{CodeFlags, Constant};
use weft_containers::dict::{self, Dict};
use weft_containers::list::{List, new_list};
use weft_containers::set::{Set, new_set};
use weft_containers::tuple::as_tuple;
use weft_frame::{DataStack, FrameCursor, FrameInit, with_stack};
use weft_object::types::{PyStr, STR_TYPE};
use weft_object::{ExcKind, ObjRef, Object, PyErr, bool_obj, intern, none};

use crate::core::{Result, TbEntry, as_str, tuple};
use crate::exceptions;
use crate::function::{Cell as PyCell, Code, Function, new_cell, new_function};
use crate::specialize;

/// How a frame run ended.
pub(crate) enum FrameExit {
    /// `RETURN_VALUE`.
    Return(ObjRef),
    /// `YIELD_VALUE`; the frame's instruction pointer is the index to resume at.
    Yield(ObjRef),
}

/// What a running frame needs besides its slots.
pub(crate) struct FrameCtx<'a> {
    code: &'a Code,
    func: Option<&'a Function>,
    globals: &'a Object,
    builtins: &'a Object,
    /// The locals mapping of module and class bodies.
    locals: Option<&'a Object>,
    /// `globals` as a dict.
    gdict: Dict<'a>,
    /// `builtins` as a dict, when it is one.
    bdict: Option<Dict<'a>>,
}

impl<'a> FrameCtx<'a> {
    fn new(
        code: &'a Code,
        func: Option<&'a Function>,
        globals: &'a Object,
        builtins: &'a Object,
        locals: Option<&'a Object>,
    ) -> Result<FrameCtx<'a>> {
        let Some(gdict) = Dict::of(globals) else {
            return Err(PyErr::type_error(format!(
                "globals must be a dict, not {}",
                globals.ty().name
            )));
        };
        Ok(FrameCtx {
            code,
            func,
            globals,
            builtins,
            locals,
            gdict,
            bdict: Dict::of(builtins),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Per-thread state: the exception being handled, locals mappings, the native stack limit
// ---------------------------------------------------------------------------------------------

std::thread_local! {
    /// The exception-state stack: one entry per running generator frame chain (the thread's
    /// own entry at the bottom); each holds the exception its frames are handling, if any.
    static EXC_INFO: RefCell<Vec<Option<ObjRef>>> = const { RefCell::new(Vec::new()) };
    /// (frame index, locals mapping) of the module and class bodies running on this thread.
    static LOCALS_MAPS: RefCell<Vec<(usize, ObjRef)>> = const { RefCell::new(Vec::new()) };
    /// The lowest native stack address a Python call may start at (0 = not yet known).
    static STACK_LIMIT: Cell<usize> = const { Cell::new(0) };
}

/// The exception currently being handled on this thread (`sys.exc_info()[1]`), if any: the
/// innermost one, looking through generators that handle none themselves.
pub fn current_exception() -> Option<ObjRef> {
    EXC_INFO
        .try_with(|e| e.borrow().iter().rev().find_map(Clone::clone))
        .ok()
        .flatten()
}

/// Replaces the exception handled by the innermost exception-state entry (`PUSH_EXC_INFO`,
/// `POP_EXCEPT`), returning that entry's previous value.
pub(crate) fn swap_current_exception(exc: Option<ObjRef>) -> Option<ObjRef> {
    EXC_INFO
        .try_with(|e| {
            let mut e = e.borrow_mut();
            if e.is_empty() {
                e.push(None);
            }
            let top = e.last_mut().expect("an entry");
            std::mem::replace(top, exc)
        })
        .ok()
        .flatten()
}

/// Enters a generator's exception state (its own handled exception, saved when it yielded).
pub(crate) fn push_exc_state(saved: Option<ObjRef>) {
    let _ = EXC_INFO.try_with(|e| {
        let mut e = e.borrow_mut();
        if e.is_empty() {
            e.push(None);
        }
        e.push(saved);
    });
}

/// Leaves a generator's exception state, returning what it handles now (to save).
pub(crate) fn pop_exc_state() -> Option<ObjRef> {
    EXC_INFO
        .try_with(|e| e.borrow_mut().pop())
        .ok()
        .flatten()
        .flatten()
}

/// Native stack kept free below the last Python call for native code (builtins, drops).
const STACK_MARGIN: usize = 512 * 1024;

/// An address on the current native stack (approximately the stack pointer).
#[inline(always)]
fn stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// Sets the native stack budget of the calling thread (the size it was spawned with), so that
/// deep recursion raises `RecursionError` before the native stack overflows. Threads made by
/// `_thread` and the main interpreter thread call this first.
pub fn set_native_stack_size(bytes: usize) {
    let base = stack_address();
    let limit = base.saturating_sub(bytes.saturating_sub(STACK_MARGIN));
    let _ = STACK_LIMIT.try_with(|c| c.set(limit.max(1)));
}

/// Raises `RecursionError` when the native stack is nearly exhausted. Threads that never
/// called [`set_native_stack_size`] are assumed to have 8 MiB (the main thread) or Rust's
/// default 2 MiB (others), counted from their first Python call.
#[inline]
pub(crate) fn check_native_stack() -> Result<()> {
    let here = stack_address();
    let limit = STACK_LIMIT.try_with(|c| {
        let l = c.get();
        if l != 0 {
            return l;
        }
        let size = if std::thread::current().name() == Some("main") {
            8 << 20
        } else {
            2 << 20
        };
        let l = here.saturating_sub(size - STACK_MARGIN).max(1);
        c.set(l);
        l
    });
    match limit {
        Ok(l) if here < l => Err(PyErr::new(
            ExcKind::RecursionError,
            "maximum recursion depth exceeded",
        )),
        _ => Ok(()),
    }
}

/// The eval breaker: the refcount check point (the GIL hand-over in the gil build, merges in
/// the nogil build), the frame layer's safe point (stack snapshots) and, on the main thread,
/// the Python handlers of signals that arrived (an exception one raises is returned).
#[inline(always)]
fn eval_breaker() -> Result<()> {
    if weft_sync::breaker::poll() {
        return eval_breaker_slow();
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn eval_breaker_slow() -> Result<()> {
    weft_refcount::with_thread(|ts| {
        ts.check_point();
    });
    weft_frame::safe_point();
    crate::modules::signal::check_signals()
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/// The builtins dict for `globals`: its `__builtins__` (a module's dict or a dict), else the
/// interpreter's.
fn builtins_for(globals: &Object) -> ObjRef {
    if let Some(d) = Dict::of(globals)
        && let Ok(Some(b)) = d.get(intern("__builtins__"))
    {
        if Dict::of(&b).is_some() {
            return b;
        }
        if let Some(m) = b.downcast::<crate::core::Module>() {
            return m.dict.clone();
        }
    }
    crate::builtins::builtins_dict().to_ref()
}

/// Runs a module-level (or `exec`) code object with `globals` as both globals and locals
/// (or a separate `locals` mapping), returning the value of the code (None for modules).
pub fn run_code(code: &Object, globals: &Object, locals: Option<&Object>) -> Result<ObjRef> {
    let Some(c) = Code::of(code) else {
        return Err(PyErr::type_error(format!(
            "expected a code object, not '{}'",
            code.ty().name
        )));
    };
    let builtins = builtins_for(globals);
    let locals = locals.unwrap_or(globals);
    with_stack(|ds| {
        let cx = FrameCtx::new(c, None, globals, &builtins, Some(locals))?;
        check_native_stack()?;
        ds.push(FrameInit::new(
            c.info.clone(),
            globals.to_ref(),
            builtins.clone(),
        ))?;
        let r = with_locals_map(ds, locals, || run_frame(ds, &cx, 0, None));
        ds.pop();
        r.map(FrameExit::into_value)
    })
}

/// Runs `f` with `locals` registered as the locals mapping of the top frame (for `locals()`).
fn with_locals_map<R>(ds: &DataStack, locals: &Object, f: impl FnOnce() -> R) -> R {
    let index = ds.depth().saturating_sub(1);
    LOCALS_MAPS.with(|m| m.borrow_mut().push((index, locals.to_ref())));
    let r = f();
    let popped = LOCALS_MAPS.with(|m| m.borrow_mut().pop());
    drop(popped);
    r
}

impl FrameExit {
    fn into_value(self) -> ObjRef {
        match self {
            FrameExit::Return(v) | FrameExit::Yield(v) => v,
        }
    }
}

/// Runs a class body: the function `body` (made by the class statement) executed with
/// `namespace` as its locals mapping. Returns what the body returns (the `__class__` cell when
/// a method uses `super()` or `__class__`, else None). Called by `__build_class__`.
pub fn run_class_body(body: &Object, namespace: &Object) -> Result<ObjRef> {
    let Some(func) = Function::of(body) else {
        return Err(PyErr::type_error(
            "__build_class__: func must be a function",
        ));
    };
    let code = func.code();
    with_stack(|ds| {
        let cx = FrameCtx::new(
            code,
            Some(func),
            &func.globals,
            &func.builtins,
            Some(namespace),
        )?;
        crate::call::push_function_frame(ds, body, func)?;
        let r = with_locals_map(ds, namespace, || run_frame(ds, &cx, 0, None));
        ds.pop();
        r.map(FrameExit::into_value)
    })
}

/// Runs the function frame just pushed for `func` (arguments bound) to its return value.
pub(crate) fn run_function_frame(ds: &DataStack, func: &Function) -> Result<ObjRef> {
    resume_frame(ds, func, 0, None).map(FrameExit::into_value)
}

/// Resumes a generator's frame (already pushed, slots restored, the sent value pushed when
/// resuming after a yield) at instruction `ip`; with `throw`, raises that exception at the
/// suspended `YIELD_VALUE` (instruction `ip - 1`) first.
pub(crate) fn resume_frame(
    ds: &DataStack,
    func: &Function,
    ip: usize,
    throw: Option<PyErr>,
) -> Result<FrameExit> {
    let cx = FrameCtx::new(func.code(), Some(func), &func.globals, &func.builtins, None)?;
    run_frame(ds, &cx, ip, throw)
}

/// Zero-argument `super()`: from the calling Python frame, the class in its `__class__` cell
/// and its first argument. `RuntimeError: super(): no arguments` / `super(): __class__ cell
/// not found` otherwise.
pub fn current_super_args() -> Result<(ObjRef, ObjRef)> {
    with_stack(|ds| {
        let fobj = ds.depth().checked_sub(1).and_then(|top| ds.function(top));
        let Some(func) = fobj.as_deref().and_then(Function::of) else {
            return Err(PyErr::new(
                ExcKind::RuntimeError,
                "super(): no current frame",
            ));
        };
        let co = &func.code().co;
        if co.argcount == 0 && !co.flags.has(CodeFlags::VARARGS) {
            return Err(PyErr::new(ExcKind::RuntimeError, "super(): no arguments"));
        }
        let mut first = ds.local(0);
        if co.argcount == 0 {
            // `def f(*args)`: the first element of the tuple.
            first = first.and_then(|t| as_tuple(&t).and_then(|t| t.get(0).cloned()));
        } else if let Some(f) = &first
            && let Some(c) = f.downcast::<PyCell>()
            && co.cellvars.iter().any(|c| c == &co.varnames[0])
        {
            first = c.get();
        }
        let Some(first) = first else {
            return Err(PyErr::new(ExcKind::RuntimeError, "super(): arg[0] deleted"));
        };
        let Some(idx) = co.freevars.iter().position(|n| n == "__class__") else {
            return Err(PyErr::new(
                ExcKind::RuntimeError,
                "super(): __class__ cell not found",
            ));
        };
        let slot = co.varnames.len() + co.cellvars.len() + idx;
        let cls = ds
            .local(slot)
            .and_then(|c| c.downcast::<PyCell>().and_then(PyCell::get));
        match cls {
            Some(cls) if weft_object::types::as_type(&cls).is_some() => Ok((cls, first)),
            Some(_) => Err(PyErr::new(
                ExcKind::RuntimeError,
                "super(): __class__ is not a type",
            )),
            None => Err(PyErr::new(
                ExcKind::RuntimeError,
                "super(): empty __class__ cell",
            )),
        }
    })
}

/// The globals of the innermost running Python frame (`globals()`).
pub fn current_globals() -> Option<ObjRef> {
    with_stack(|ds| ds.globals(ds.depth().checked_sub(1)?))
}

/// `locals()` of the innermost running Python frame: the locals mapping for module and class
/// bodies, a new dict snapshot of the bound fast locals (and free variables) for functions.
pub fn current_locals() -> Result<ObjRef> {
    with_stack(|ds| {
        let Some(top) = ds.depth().checked_sub(1) else {
            return Err(PyErr::new(
                ExcKind::RuntimeError,
                "locals(): no current frame",
            ));
        };
        let mapped = LOCALS_MAPS.with(|m| {
            m.borrow()
                .iter()
                .rev()
                .find(|(i, _)| *i == top)
                .map(|(_, o)| o.clone())
        });
        if let Some(m) = mapped {
            return Ok(m);
        }
        let d = dict::new();
        let dd = Dict::of(&d).expect("dict");
        let Some(info) = ds.code(top) else {
            return Ok(d);
        };
        for i in 0..info.n_fixed() {
            let Some(v) = ds.local(i) else { continue };
            let value = if i >= info.n_locals() {
                match v.downcast::<PyCell>() {
                    Some(c) => match c.get() {
                        Some(x) => x,
                        None => continue,
                    },
                    None => v,
                }
            } else {
                v
            };
            let name = info.slot_name(i).map_or("?", |n| &**n);
            dd.set_item(intern(name).to_ref(), value)?;
        }
        Ok(d)
    })
}

// ---------------------------------------------------------------------------------------------
// Small value-stack helpers
// ---------------------------------------------------------------------------------------------

#[inline(always)]
fn pop(ds: &DataStack) -> ObjRef {
    ds.pop_value().expect("NULL where a value was expected")
}

#[inline(always)]
fn push(ds: &DataStack, v: ObjRef) {
    ds.push_value(Some(v));
}

#[inline(always)]
fn top(ds: &DataStack) -> ObjRef {
    ds.peek_value(0).expect("NULL where a value was expected")
}

/// Pops `n` values, returning them bottom first.
fn pop_n(cur: &mut FrameCursor<'_>, n: usize) -> Vec<ObjRef> {
    let mut v: Vec<ObjRef> = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(cur.pop());
    }
    v.reverse();
    v
}

/// Pops `n` values through the stack API, returning them bottom first.
fn pop_n_ds(ds: &DataStack, n: usize) -> Vec<ObjRef> {
    let mut v: Vec<ObjRef> = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(pop(ds));
    }
    v.reverse();
    v
}

/// Whether `err` is a plain `TypeError` made by a lower layer (not a Python exception object).
fn is_plain_type_error(err: &PyErr) -> bool {
    err.kind == ExcKind::TypeError && err.object.is_none()
}

fn name_error(name: &str) -> PyErr {
    PyErr::new(ExcKind::NameError, format!("name '{name}' is not defined"))
}

fn unbound_local(name: &str) -> PyErr {
    PyErr::new(
        ExcKind::UnboundLocalError,
        format!("cannot access local variable '{name}' where it is not associated with a value"),
    )
}

fn unbound_deref(code: &Code, slot: usize) -> PyErr {
    let co = &code.co;
    let name = co.slot_name(slot as u32).unwrap_or("?");
    if slot < co.varnames.len() + co.cellvars.len() {
        unbound_local(name)
    } else {
        PyErr::new(
            ExcKind::NameError,
            format!(
                "cannot access free variable '{name}' where it is not associated with a value in enclosing scope"
            ),
        )
    }
}

/// `mapping[name]` for a locals mapping; `Ok(None)` when missing (KeyError swallowed).
fn mapping_get(map: &Object, name: &Object) -> Result<Option<ObjRef>> {
    if let Some(d) = Dict::of(map) {
        return d.get(name);
    }
    match crate::ops::getitem(map, name) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.kind == ExcKind::KeyError => Ok(None),
        Err(e) => Err(e),
    }
}

fn globals_get(cx: &FrameCtx<'_>, name: &Object) -> Result<Option<ObjRef>> {
    if let Some(v) = cx.gdict.get(name)? {
        return Ok(Some(v));
    }
    match cx.bdict {
        Some(b) => b.get(name),
        None => mapping_get(cx.builtins, name),
    }
}

/// `raise X` / `raise X from Y`: an exception instance from a class or instance.
fn make_exception(o: ObjRef, what: &str) -> Result<ObjRef> {
    if let Some(t) = weft_object::types::as_type(&o) {
        let base = exceptions::exc_type(ExcKind::BaseException);
        if t.is_subtype(base) {
            let inst = crate::call::call0(&o)?;
            if !exceptions::is_exception(&inst) {
                return Err(PyErr::type_error(format!(
                    "calling {} should have returned an instance of BaseException, not {}",
                    o.repr()?,
                    inst.ty().name
                )));
            }
            return Ok(inst);
        }
    } else if exceptions::is_exception(&o) {
        return Ok(o);
    }
    Err(PyErr::type_error(what.to_owned()))
}

/// Checks an `except` clause's class (or tuple of classes; every one must be an exception
/// class, even after a match).
fn exc_match(exc: &Object, cls: &Object) -> Result<bool> {
    let base = exceptions::exc_type(ExcKind::BaseException);
    let matches = |c: &Object| match weft_object::types::as_type(c) {
        Some(ct) if ct.is_subtype(base) => Ok(exc.ty().is_subtype(ct)),
        _ => Err(PyErr::type_error(
            "catching classes that do not inherit from BaseException is not allowed",
        )),
    };
    let Some(t) = as_tuple(cls) else {
        return matches(cls);
    };
    let mut matched = false;
    for c in t.as_slice() {
        matched |= matches(c)?;
    }
    Ok(matched)
}

/// The value a `StopIteration` carries (`None` when it has none).
pub(crate) fn stop_iteration_value(err: &PyErr) -> ObjRef {
    if let Some(o) = &err.object
        && let Ok(Some(v)) = crate::attr::getattr_opt(o, intern("value"))
    {
        return v;
    }
    err.arg.clone().unwrap_or_else(|| none().to_ref())
}

// ---------------------------------------------------------------------------------------------
// The loop
// ---------------------------------------------------------------------------------------------

/// Runs the top frame of `ds` from instruction `ip` (see the module docs).
pub(crate) fn run_frame(
    ds: &DataStack,
    cx: &FrameCtx<'_>,
    mut ip: usize,
    throw: Option<PyErr>,
) -> Result<FrameExit> {
    let code = cx.code;
    let instrs: &[Instr] = &code.co.instructions;
    let names = &code.names;
    let sites = code.sites();
    // One site per instruction: with this, the check of `ip` against the instructions also
    // bounds the site index (the optimiser drops the second check).
    let sites = &sites[..instrs.len()];
    let mut kw_names: Option<u32> = None;
    let mut pending = throw;
    if pending.is_some() {
        ip = ip.saturating_sub(1);
    }
    // SAFETY: the contract of `DataStack::cursor` holds: this function never pops the frame it runs
    // (its caller does, after it returns); the compiler verified the code's stack depths and
    // slot numbers; and every use of `ds` below that reads or changes this frame's value
    // stack (`do_call`, `exec_cold`, `handle_error`) is bracketed by `cur.store` and
    // `cur.load`, and every return stores first.
    let mut cur = unsafe { ds.cursor() };
    loop {
        let mut reraise = false;
        let err: PyErr = match pending.take() {
            Some(e) => e,
            None => 'run: loop {
                macro_rules! tri {
                    ($e:expr) => {
                        match $e {
                            Ok(v) => v,
                            Err(e) => break 'run e,
                        }
                    };
                }
                let Some(instr) = instrs.get(ip) else {
                    break 'run PyErr::new(ExcKind::RuntimeError, "ran off the end of the code");
                };
                // One store, cheaper than deciding whether the instruction needs it.
                cur.store_ip(ip as u32);
                match *instr {
                    Instr::Nop => {}
                    Instr::PopTop => {
                        drop(cur.pop_slot());
                    }
                    Instr::PushNull => cur.push_slot(None),
                    Instr::Copy(n) => {
                        let v = cur.peek_slot(n as usize - 1);
                        cur.push_slot(v);
                    }
                    Instr::Swap(n) => cur.swap(n as usize),
                    Instr::Resume(_) => tri!(eval_breaker()),
                    Instr::LoadConst(i) => {
                        if !code.unsupported_consts.is_empty()
                            && code.unsupported_consts.contains(&i)
                        {
                            break 'run unsupported_const(code, i);
                        }
                        cur.push(code.consts[i as usize].clone());
                    }
                    Instr::LoadFast(i) => match cur.local(i as usize) {
                        Some(v) => cur.push(v),
                        None => break 'run unbound_local(&code.co.varnames[i as usize]),
                    },
                    Instr::StoreFast(i) => {
                        let v = cur.pop_slot();
                        drop(cur.replace_local(i as usize, v));
                    }
                    Instr::LoadGlobal(g) => {
                        let name = names[g.name as usize];
                        let site = &sites[ip];
                        let found = specialize::load_global(site, cx.gdict, cx.bdict, name, || {
                            globals_get(cx, name)
                        });
                        let v = match tri!(found) {
                            Some(v) => v,
                            None => break 'run name_error(as_str(name).unwrap_or("?")),
                        };
                        if g.push_null {
                            cur.push_slot(None);
                        }
                        cur.push(v);
                    }
                    Instr::LoadClosure(slot) => {
                        let c = cur.local(slot as usize);
                        cur.push(c.unwrap_or_else(|| new_cell(None)));
                    }
                    Instr::LoadDeref(slot) => match cell_get(&cur, slot) {
                        Some(v) => cur.push(v),
                        None => break 'run unbound_deref(code, slot as usize),
                    },
                    Instr::StoreDeref(slot) => {
                        let v = cur.pop();
                        cell_set(&mut cur, slot, Some(v));
                    }
                    Instr::LoadAttr(i) => {
                        let o = cur.pop();
                        let site = &sites[ip];
                        cur.push(tri!(specialize::load_attr(site, &o, names[i as usize])));
                    }
                    Instr::StoreAttr(i) => {
                        let o = cur.pop();
                        let v = cur.pop();
                        let site = &sites[ip];
                        tri!(specialize::store_attr(site, &o, names[i as usize], v));
                    }
                    Instr::LoadMethod(i) => {
                        let o = cur.pop();
                        let site = &sites[ip];
                        match tri!(specialize::load_method(site, &o, names[i as usize])) {
                            crate::attr::Method::Unbound(f) => {
                                cur.push(f);
                                cur.push(o);
                            }
                            crate::attr::Method::Value(v) => {
                                cur.push_slot(None);
                                cur.push(v);
                            }
                        }
                    }
                    Instr::BinarySubscr => {
                        let k = cur.pop();
                        let o = cur.pop();
                        let r = match crate::fast::subscr(&o, &k) {
                            Some(r) => r,
                            None => crate::ops::getitem(&o, &k),
                        };
                        cur.push(tri!(r));
                    }
                    Instr::StoreSubscr => {
                        let k = cur.pop();
                        let o = cur.pop();
                        let v = cur.pop();
                        let r = match crate::fast::store_subscr(&o, &k, v) {
                            Ok(r) => r,
                            Err(v) => crate::ops::setitem(&o, &k, v),
                        };
                        tri!(r);
                    }
                    Instr::BinaryOp(op) => {
                        let b = cur.pop();
                        let a = cur.pop();
                        let r = match crate::fast::binary(&a, &b, op) {
                            Some(r) => r,
                            None => tri!(crate::ops::binary_op(&a, &b, op)),
                        };
                        cur.push(r);
                    }
                    Instr::CompareOp(op) => {
                        let b = cur.pop();
                        let a = cur.pop();
                        let r = match crate::fast::compare(&a, &b, op) {
                            Some(r) => r,
                            None => tri!(crate::ops::compare(&a, &b, op)),
                        };
                        cur.push(r);
                    }
                    Instr::IsOp(invert) => {
                        let b = cur.pop();
                        let a = cur.pop();
                        cur.push(bool_obj(a.is(&b) != invert));
                    }
                    Instr::ContainsOp(invert) => {
                        let b = cur.pop();
                        let a = cur.pop();
                        let r = tri!(crate::ops::contains(&b, &a));
                        cur.push(bool_obj(r != invert));
                    }
                    Instr::JumpForward(t) | Instr::JumpBackwardNoInterrupt(t) => {
                        ip = t.0 as usize;
                        continue;
                    }
                    Instr::JumpBackward(t) => {
                        tri!(eval_breaker());
                        ip = t.0 as usize;
                        continue;
                    }
                    Instr::PopJumpIfFalse(t) | Instr::PopJumpIfTrue(t) => {
                        let v = cur.pop();
                        if tri!(truth(&v)) == matches!(instr, Instr::PopJumpIfTrue(_)) {
                            ip = t.0 as usize;
                            continue;
                        }
                    }
                    Instr::PopJumpIfNone(t) | Instr::PopJumpIfNotNone(t) => {
                        // A NULL counts as None.
                        let v = cur.pop_slot();
                        let is_none = v.as_ref().is_none_or(|v| v.is(none()));
                        if is_none == matches!(instr, Instr::PopJumpIfNone(_)) {
                            ip = t.0 as usize;
                            continue;
                        }
                    }
                    Instr::JumpIfFalseOrPop(t) | Instr::JumpIfTrueOrPop(t) => {
                        let v = cur.peek(0);
                        if tri!(truth(&v)) == matches!(instr, Instr::JumpIfTrueOrPop(_)) {
                            ip = t.0 as usize;
                            continue;
                        }
                        drop(cur.pop_slot());
                    }
                    Instr::GetIter => {
                        let o = cur.pop();
                        cur.push(tri!(crate::ops::iter(&o)));
                    }
                    Instr::ForIter(t) => {
                        let it = cur.peek(0);
                        let next = match crate::fast::for_iter(&it) {
                            Some(v) => Ok(v),
                            None => crate::ops::next(&it),
                        };
                        match tri!(next) {
                            Some(v) => cur.push(v),
                            None => {
                                drop(cur.pop_slot());
                                ip = t.0 as usize;
                                continue;
                            }
                        }
                    }
                    Instr::Send(t) => {
                        let v = cur.pop();
                        let recv = cur.peek(0);
                        match tri!(send_to(&recv, v)) {
                            crate::generator::Resumed::Yielded(y) => cur.push(y),
                            crate::generator::Resumed::Returned(r) => {
                                drop(cur.pop_slot());
                                cur.push(r);
                                ip = t.0 as usize;
                                continue;
                            }
                        }
                    }
                    Instr::YieldValue => {
                        let v = cur.pop();
                        cur.store(ip as u32 + 1);
                        return Ok(FrameExit::Yield(v));
                    }
                    Instr::ReturnValue => {
                        let v = cur.pop();
                        cur.store(ip as u32);
                        return Ok(FrameExit::Return(v));
                    }
                    Instr::KwNames(i) => kw_names = Some(i),
                    Instr::Call(argc) => {
                        let kw = kw_names.take();
                        let r = do_call(ds, &mut cur, cx, argc as usize, kw);
                        cur.push(tri!(r));
                    }
                    Instr::BuildTuple(n) => {
                        let items = pop_n(&mut cur, n as usize);
                        cur.push(tuple(items));
                    }
                    Instr::BuildList(n) => {
                        let items = pop_n(&mut cur, n as usize);
                        cur.push(new_list(items));
                    }
                    Instr::ListAppend(i) => {
                        let v = cur.pop();
                        let c = cur.peek(i as usize - 1);
                        tri!(List::of(&c).expect("LIST_APPEND on a list").append(v));
                    }
                    Instr::RaiseVarargs(n) => {
                        break 'run match n {
                            0 => match current_exception() {
                                Some(e) => {
                                    reraise = true;
                                    exceptions::from_object(e)
                                }
                                None => PyErr::new(
                                    ExcKind::RuntimeError,
                                    "No active exception to reraise",
                                ),
                            },
                            _ => {
                                let cause = if n == 2 { Some(cur.pop()) } else { None };
                                let exc = cur.pop();
                                tri!(raise_error(exc, cause))
                            }
                        };
                    }
                    Instr::Reraise(n) => {
                        let exc = cur.pop();
                        if n > 0
                            && let Some(lasti) = cur.peek_slot(n as usize - 1)
                            && let Some(i) = lasti.downcast::<weft_object::scalar::int::Int>()
                            && let Some(i) = i.as_i64()
                        {
                            cur.store_ip(i as u32);
                        }
                        reraise = true;
                        break 'run exceptions::from_object(exc);
                    }
                    _ => {
                        cur.store(ip as u32);
                        let r = exec_cold(ds, cx, instr);
                        cur.load();
                        tri!(r)
                    }
                }
                ip += 1;
            },
        };
        // An instruction raised: find a handler in this frame or leave it.
        cur.store(ip as u32);
        let r = handle_error(ds, code, ip, err, reraise);
        cur.load();
        ip = r?;
    }
}

/// The less frequent instructions, out of line so that the loop's own native frame stays
/// small (it is on the stack once per Python call level).
#[inline(never)]
fn exec_cold(ds: &DataStack, cx: &FrameCtx<'_>, instr: &Instr) -> Result<()> {
    let code = cx.code;
    let names = &code.names;
    let err: PyErr = 'run: {
        macro_rules! tri {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(e) => break 'run e,
                }
            };
        }
        match *instr {
            Instr::DeleteFast(i) => {
                if ds.take_local(i as usize).is_none() {
                    break 'run unbound_local(&code.co.varnames[i as usize]);
                }
            }
            Instr::LoadName(i) => {
                let name = names[i as usize];
                let Some(map) = cx.locals else {
                    break 'run no_locals("loading", name);
                };
                let v = match tri!(mapping_get(map, name)) {
                    Some(v) => v,
                    None => match tri!(globals_get(cx, name)) {
                        Some(v) => v,
                        None => break 'run name_error(as_str(name).unwrap_or("?")),
                    },
                };
                push(ds, v);
            }
            Instr::StoreName(i) => {
                let name = names[i as usize];
                let v = pop(ds);
                let Some(map) = cx.locals else {
                    break 'run no_locals("storing", name);
                };
                match Dict::of(map) {
                    Some(d) => tri!(d.set_item(name.to_ref(), v)),
                    None => tri!(crate::ops::setitem(map, name, v)),
                }
            }
            Instr::DeleteName(i) => {
                let name = names[i as usize];
                let Some(map) = cx.locals else {
                    break 'run no_locals("deleting", name);
                };
                let r = match Dict::of(map) {
                    Some(d) => d.del_item(name),
                    None => crate::ops::delitem(map, name),
                };
                match r {
                    Ok(()) => {}
                    Err(e) if e.kind == ExcKind::KeyError => {
                        break 'run name_error(as_str(name).unwrap_or("?"));
                    }
                    Err(e) => break 'run e,
                }
            }
            Instr::StoreGlobal(i) => {
                let v = pop(ds);
                let d = cx.gdict;
                tri!(d.set_item(names[i as usize].to_ref(), v));
            }
            Instr::DeleteGlobal(i) => {
                let name = names[i as usize];
                let d = cx.gdict;
                if d.del_item(name).is_err() {
                    break 'run name_error(as_str(name).unwrap_or("?"));
                }
            }
            Instr::MakeCell(slot) => {
                // A parameter that is also a cell variable keeps its slot for the
                // argument; the compiler copies it into the cell with explicit code.
                ds.set_local(slot as usize, Some(new_cell(None)));
            }
            Instr::CopyFreeVars(n) => {
                let closure = cx.func.and_then(|f| f.closure.as_ref());
                let cells = closure.and_then(|c| as_tuple(c)).map(|t| t.as_slice());
                let cells = cells.unwrap_or(&[]);
                let first = code.co.varnames.len() + code.co.cellvars.len();
                for k in 0..n as usize {
                    let cell = cells.get(k).cloned().unwrap_or_else(|| new_cell(None));
                    ds.set_local(first + k, Some(cell));
                }
            }
            Instr::LoadClassDeref(slot) => {
                let name = intern(code.co.slot_name(slot).unwrap_or("?"));
                let from_map = match cx.locals {
                    Some(map) => tri!(mapping_get(map, name)),
                    None => None,
                };
                match from_map.or_else(|| cell_get_ds(ds, slot)) {
                    Some(v) => push(ds, v),
                    None => break 'run unbound_deref(code, slot as usize),
                }
            }
            Instr::DeleteDeref(slot) => {
                if cell_take_ds(ds, slot).is_none() {
                    break 'run unbound_deref(code, slot as usize);
                }
            }
            Instr::DeleteAttr(i) => {
                let o = pop(ds);
                tri!(crate::attr::delattr(&o, names[i as usize]));
            }
            Instr::DeleteSubscr => {
                let k = pop(ds);
                let o = pop(ds);
                tri!(crate::ops::delitem(&o, &k));
            }
            Instr::BuildSlice(n) => {
                let step = if n == 3 { pop(ds) } else { none().to_ref() };
                let stop = pop(ds);
                let start = pop(ds);
                push(ds, crate::builtins::new_slice(start, stop, step));
            }
            Instr::UnaryPositive | Instr::UnaryNegative | Instr::UnaryInvert => {
                let op = match *instr {
                    Instr::UnaryPositive => 0,
                    Instr::UnaryNegative => 1,
                    _ => 2,
                };
                let a = pop(ds);
                push(ds, tri!(crate::ops::unary_op(&a, op)));
            }
            Instr::UnaryNot => {
                let a = pop(ds);
                let t = tri!(truth(&a));
                push(ds, bool_obj(!t));
            }
            Instr::GetYieldFromIter => {
                let o = pop(ds);
                if crate::generator::is_generator(&o) {
                    push(ds, o);
                } else {
                    push(ds, tri!(crate::ops::iter(&o)));
                }
            }
            Instr::CallFunctionEx(has_kwargs) => {
                let kwargs = if has_kwargs { Some(pop(ds)) } else { None };
                let args = pop(ds);
                let f = pop(ds);
                drop(ds.pop_value());
                tri!(eval_breaker());
                push(ds, tri!(crate::call::call_ex(&f, &args, kwargs.as_deref())));
            }
            Instr::MakeFunction(flags) => {
                let code_obj = pop(ds);
                let closure = flags.has(MakeFunctionFlags::CLOSURE).then(|| pop(ds));
                if flags.has(MakeFunctionFlags::ANNOTATIONS) {
                    drop(pop(ds));
                }
                let kwdefaults = flags.has(MakeFunctionFlags::KWDEFAULTS).then(|| pop(ds));
                let defaults = flags.has(MakeFunctionFlags::DEFAULTS).then(|| pop(ds));
                if Code::of(&code_obj).is_none() {
                    break 'run PyErr::new(
                        ExcKind::RuntimeError,
                        "MAKE_FUNCTION without a code object",
                    );
                }
                push(
                    ds,
                    new_function(
                        code_obj,
                        cx.globals.to_ref(),
                        cx.builtins.to_ref(),
                        defaults,
                        kwdefaults,
                        closure,
                    ),
                );
            }
            Instr::LoadBuildClass => {
                let name = intern("__build_class__");
                let v = match cx.bdict {
                    Some(b) => tri!(b.get(name)),
                    None => tri!(mapping_get(cx.builtins, name)),
                };
                match v {
                    Some(v) => push(ds, v),
                    None => {
                        break 'run PyErr::new(ExcKind::NameError, "__build_class__ not found");
                    }
                }
            }
            Instr::BuildSet(n) => {
                let items = pop_n_ds(ds, n as usize);
                let s = new_set();
                let set = Set::of(&s).expect("set");
                for x in &items {
                    tri!(set.add(x));
                }
                push(ds, s);
            }
            Instr::BuildMap(n) => {
                let items = pop_n_ds(ds, 2 * n as usize);
                let d = dict::new();
                let dd = Dict::of(&d).expect("dict");
                let mut it = items.into_iter();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    tri!(dd.set_item(k, v));
                }
                push(ds, d);
            }
            Instr::BuildConstKeyMap(n) => {
                let keys = pop(ds);
                let values = pop_n_ds(ds, n as usize);
                let d = dict::new();
                let dd = Dict::of(&d).expect("dict");
                let ks = as_tuple(&keys).map(|t| t.as_slice()).unwrap_or(&[]);
                for (k, v) in ks.iter().zip(values) {
                    tri!(dd.set_item(k.clone(), v));
                }
                push(ds, d);
            }
            Instr::SetAdd(i) => {
                let v = pop(ds);
                let c = ds.peek_value(i as usize - 1).expect("set");
                tri!(Set::of(&c).expect("SET_ADD on a set").add(&v));
            }
            Instr::MapAdd(i) => {
                let v = pop(ds);
                let k = pop(ds);
                let c = ds.peek_value(i as usize - 1).expect("dict");
                tri!(Dict::of(&c).expect("MAP_ADD on a dict").set_item(k, v));
            }
            Instr::ListExtend(i) => {
                let x = pop(ds);
                let c = ds.peek_value(i as usize - 1).expect("list");
                let items = match crate::ops::collect(&x) {
                    Ok(v) => v,
                    Err(e)
                        if is_plain_type_error(&e) && !crate::ops::has_iter(&x).unwrap_or(true) =>
                    {
                        break 'run PyErr::type_error(format!(
                            "Value after * must be an iterable, not {}",
                            x.ty().name
                        ));
                    }
                    Err(e) => break 'run e,
                };
                tri!(
                    List::of(&c)
                        .expect("LIST_EXTEND on a list")
                        .extend_vec(items)
                );
            }
            Instr::SetUpdate(i) => {
                let x = pop(ds);
                let c = ds.peek_value(i as usize - 1).expect("set");
                let items = tri!(crate::ops::collect(&x));
                let s = Set::of(&c).expect("SET_UPDATE on a set");
                for it in &items {
                    tri!(s.add(it));
                }
            }
            Instr::DictUpdate(i) => {
                let x = pop(ds);
                let c = ds.peek_value(i as usize - 1).expect("dict");
                let pairs = match mapping_items(&x) {
                    Ok(Some(p)) => p,
                    Ok(None) => {
                        break 'run PyErr::type_error(format!(
                            "'{}' object is not a mapping",
                            x.ty().name
                        ));
                    }
                    Err(e) => break 'run e,
                };
                let d = Dict::of(&c).expect("DICT_UPDATE on a dict");
                for (k, v) in pairs {
                    tri!(d.set_item(k, v));
                }
            }
            Instr::DictMerge(i) => {
                let x = pop(ds);
                let c = ds.peek_value(i as usize - 1).expect("dict");
                let func = ds.peek_value(i as usize + 1);
                let fname = || {
                    func.as_deref()
                        .map(crate::call::func_str)
                        .unwrap_or_else(|| "function".into())
                };
                let pairs = match mapping_items(&x) {
                    Ok(Some(p)) => p,
                    Ok(None) => {
                        break 'run PyErr::type_error(format!(
                            "{} argument after ** must be a mapping, not {}",
                            fname(),
                            x.ty().name
                        ));
                    }
                    Err(e) => break 'run e,
                };
                let d = Dict::of(&c).expect("DICT_MERGE on a dict");
                for (k, v) in pairs {
                    if as_str(&k).is_none() {
                        break 'run PyErr::type_error("keywords must be strings");
                    }
                    if tri!(d.contains(&k)) {
                        break 'run PyErr::type_error(format!(
                            "{} got multiple values for keyword argument '{}'",
                            fname(),
                            as_str(&k).unwrap_or("?")
                        ));
                    }
                    tri!(d.set_item(k, v));
                }
            }
            Instr::ListToTuple => {
                let l = pop(ds);
                let items = List::of(&l).map(|l| l.to_vec()).unwrap_or_default();
                push(ds, tuple(items));
            }
            Instr::UnpackSequence(n) => {
                let seq = pop(ds);
                tri!(unpack_sequence(ds, &seq, n as usize));
            }
            Instr::UnpackEx(a) => {
                let seq = pop(ds);
                tri!(unpack_ex(ds, &seq, a.before as usize, a.after as usize));
            }
            Instr::FormatValue(f) => {
                let spec = if f.has_spec { Some(pop(ds)) } else { None };
                let v = pop(ds);
                let v = match f.conversion {
                    Conversion::None => v,
                    Conversion::Str => tri!(crate::ops::str(&v)),
                    Conversion::Repr => tri!(crate::ops::repr(&v)),
                    Conversion::Ascii => {
                        let r = tri!(v.repr());
                        weft_object::str_obj(weft_object::scalar::str::escape_non_ascii(&r))
                    }
                };
                let spec_str = spec.as_ref().and_then(|s| as_str(s)).unwrap_or("");
                if spec_str.is_empty() && std::ptr::eq(v.ty(), &STR_TYPE) {
                    push(ds, v);
                } else {
                    push(ds, tri!(crate::ops::format(&v, spec_str)));
                }
            }
            Instr::BuildString(n) => {
                let parts = pop_n_ds(ds, n as usize);
                let mut s = String::new();
                for p in &parts {
                    s.push_str(p.downcast::<PyStr>().map_or("", PyStr::as_str));
                }
                push(ds, weft_object::str_obj(s));
            }
            Instr::PushExcInfo => {
                let exc = pop(ds);
                let prev = swap_current_exception(Some(exc.clone()));
                push(ds, prev.unwrap_or_else(|| none().to_ref()));
                push(ds, exc);
            }
            Instr::PopExcept => {
                let prev = pop(ds);
                let prev = (!prev.is(none())).then_some(prev);
                drop(swap_current_exception(prev));
            }
            Instr::CheckExcMatch => {
                let cls = pop(ds);
                let exc = top(ds);
                let m = tri!(exc_match(&exc, &cls));
                push(ds, bool_obj(m));
            }
            Instr::LoadAssertionError => {
                push(
                    ds,
                    exceptions::exc_type(ExcKind::AssertionError)
                        .as_object()
                        .to_ref(),
                );
            }
            Instr::BeforeWith => {
                let mgr = pop(ds);
                let (exit, res) = tri!(before_with(&mgr));
                push(ds, exit);
                push(ds, res);
            }
            Instr::WithExceptStart => {
                let exc = top(ds);
                let exit = ds.peek_value(3).expect("__exit__");
                let tb = crate::attr::getattr_opt(&exc, intern("__traceback__"))
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| none().to_ref());
                let ty = exc.ty().as_object().to_ref();
                let r = tri!(crate::call::call(&exit, &[ty, exc, tb], &[]));
                push(ds, r);
            }
            Instr::ImportName(i) => {
                let fromlist = pop(ds);
                let level = pop(ds);
                let level = level
                    .downcast::<weft_object::scalar::int::Int>()
                    .and_then(|l| l.as_i64())
                    .unwrap_or(0);
                let name = as_str(names[i as usize]).unwrap_or("");
                let m = tri!(crate::import::import_name(
                    name, cx.globals, &fromlist, level
                ));
                push(ds, m);
            }
            Instr::ImportFrom(i) => {
                let m = top(ds);
                push(ds, tri!(crate::import::import_from(&m, names[i as usize])));
            }
            Instr::ImportStar => {
                let m = pop(ds);
                let Some(map) = cx.locals else {
                    break 'run PyErr::new(
                        ExcKind::SyntaxError,
                        "import * only allowed at module level",
                    );
                };
                tri!(crate::import::import_star(&m, map));
            }
            Instr::PrintExpr => {
                let v = pop(ds);
                if !v.is(none()) {
                    let r = tri!(v.repr());
                    tri!(crate::modules::write_stdout(&(r + "\n")));
                }
            }
            _ => unreachable!("hot instruction {instr} in exec_cold"),
        }
        return Ok(());
    };
    Err(err)
}

/// The error path of instruction `ip`: makes the exception object, records the traceback
/// entry, and unwinds to the frame's handler (returning where to continue) or out of the
/// frame.
#[cold]
fn handle_error(
    ds: &DataStack,
    code: &Code,
    ip: usize,
    mut err: PyErr,
    reraise: bool,
) -> Result<usize> {
    let exc = match &err.object {
        Some(o) => o.clone(),
        None => {
            let o = exceptions::materialize(&err);
            exceptions::set_context(&o, current_exception());
            err.object = Some(o.clone());
            o
        }
    };
    if !reraise {
        ds.set_ip(ip as u32);
        exceptions::add_traceback(
            &exc,
            TbEntry {
                filename: code.info.filename().into(),
                name: code.info.name().into(),
                line: code.line_for(ip as u32),
            },
        );
    }
    let Some(h) = code.co.handler_for(ip as u32) else {
        return Err(err);
    };
    let depth = h.depth as usize;
    while ds.value_depth() > depth {
        drop(ds.pop_value());
    }
    if h.lasti {
        push(ds, weft_object::int_from_i64(ip as i64));
    }
    push(ds, exc);
    Ok(h.target as usize)
}

#[cold]
fn unsupported_const(code: &Code, i: u32) -> PyErr {
    let what = match code.co.constants.get(i as usize) {
        Some(Constant::Complex { .. }) | Some(Constant::Tuple(_)) => "complex numbers",
        _ => "this constant",
    };
    PyErr::new(
        ExcKind::NotImplementedError,
        format!("{what} are not supported yet"),
    )
}

#[cold]
fn no_locals(what: &str, name: &Object) -> PyErr {
    PyErr::new(
        ExcKind::RuntimeError,
        format!(
            "no locals found when {what} '{}'",
            as_str(name).unwrap_or("?")
        ),
    )
}

/// `bool(v)` with the common cases inline.
#[inline(always)]
fn truth(v: &Object) -> Result<bool> {
    if v.is(weft_object::singletons::bool_ref(true)) {
        return Ok(true);
    }
    if v.is(weft_object::singletons::bool_ref(false)) || v.is(none()) {
        return Ok(false);
    }
    crate::ops::is_true(v)
}

/// The value in the cell `c` (a cell or free slot's content), if bound.
fn cell_contents(c: Option<ObjRef>) -> Option<ObjRef> {
    c?.downcast::<PyCell>().and_then(PyCell::get)
}

fn cell_get(cur: &FrameCursor<'_>, slot: u32) -> Option<ObjRef> {
    cell_contents(cur.local(slot as usize))
}

fn cell_get_ds(ds: &DataStack, slot: u32) -> Option<ObjRef> {
    cell_contents(ds.local(slot as usize))
}

/// Empties the cell in `slot` (one atomic swap) and returns what it held.
fn cell_take_ds(ds: &DataStack, slot: u32) -> Option<ObjRef> {
    ds.local(slot as usize)?.downcast::<PyCell>()?.take()
}

fn cell_set(cur: &mut FrameCursor<'_>, slot: u32, v: Option<ObjRef>) {
    match cur.local(slot as usize) {
        Some(c) if c.downcast::<PyCell>().is_some() => {
            c.downcast::<PyCell>().expect("cell").set(v);
        }
        _ => drop(cur.replace_local(slot as usize, Some(new_cell(v)))),
    }
}

/// The (key, value) pairs of a mapping (`None` when `x` is not one): a dict's items, else
/// `x[k]` for each `k` of `x.keys()`.
pub(crate) fn mapping_items(x: &Object) -> Result<Option<Vec<(ObjRef, ObjRef)>>> {
    if let Some(d) = Dict::of(x) {
        return Ok(Some(d.items_vec()));
    }
    let Some(keys) = crate::attr::getattr_opt(x, intern("keys"))? else {
        return Ok(None);
    };
    let keys = crate::call::call0(&keys)?;
    let mut out = Vec::new();
    for k in crate::ops::collect(&keys)? {
        let v = crate::ops::getitem(x, &k)?;
        out.push((k, v));
    }
    Ok(Some(out))
}

/// `raise exc [from cause]`.
fn raise_error(exc: ObjRef, cause: Option<ObjRef>) -> Result<PyErr> {
    let exc = make_exception(exc, "exceptions must derive from BaseException")?;
    if let Some(c) = cause {
        let c = if c.is(none()) {
            None
        } else {
            Some(make_exception(
                c,
                "exception causes must derive from BaseException",
            )?)
        };
        exceptions::set_cause(&exc, c);
    }
    exceptions::set_context(&exc, current_exception());
    Ok(exceptions::from_object(exc))
}

fn unpack_sequence(ds: &DataStack, seq: &Object, n: usize) -> Result<()> {
    if let Some(t) = as_tuple(seq)
        && t.len() == n
    {
        // The common `a, b = b, a` / `for k, v in items` case: no copy.
        for v in t.as_slice().iter().rev() {
            push(ds, v.clone());
        }
        return Ok(());
    }
    let items: Vec<ObjRef> = if let Some(t) = as_tuple(seq) {
        t.as_slice().to_vec()
    } else if let Some(l) = List::of(seq) {
        l.to_vec()
    } else {
        let it = match crate::ops::iter(seq) {
            Ok(it) => it,
            Err(e) if is_plain_type_error(&e) => {
                return Err(PyErr::type_error(format!(
                    "cannot unpack non-iterable {} object",
                    seq.ty().name
                )));
            }
            Err(e) => return Err(e),
        };
        let mut v = Vec::with_capacity(n);
        while let Some(x) = crate::ops::next(&it)? {
            v.push(x);
            if v.len() > n {
                return Err(PyErr::value_error(format!(
                    "too many values to unpack (expected {n})"
                )));
            }
        }
        v
    };
    if items.len() < n {
        return Err(PyErr::value_error(format!(
            "not enough values to unpack (expected {n}, got {})",
            items.len()
        )));
    }
    if items.len() > n {
        return Err(PyErr::value_error(format!(
            "too many values to unpack (expected {n})"
        )));
    }
    for v in items.into_iter().rev() {
        push(ds, v);
    }
    Ok(())
}

fn unpack_ex(ds: &DataStack, seq: &Object, before: usize, after: usize) -> Result<()> {
    let items = match crate::ops::collect(seq) {
        Ok(v) => v,
        Err(e) if is_plain_type_error(&e) && as_tuple(seq).is_none() => {
            return Err(PyErr::type_error(format!(
                "cannot unpack non-iterable {} object",
                seq.ty().name
            )));
        }
        Err(e) => return Err(e),
    };
    let len = items.len();
    if len < before + after {
        return Err(PyErr::value_error(format!(
            "not enough values to unpack (expected at least {}, got {len})",
            before + after
        )));
    }
    let mut items = items;
    let tail: Vec<ObjRef> = items.split_off(len - after);
    let middle: Vec<ObjRef> = items.split_off(before);
    for v in tail.into_iter().rev() {
        push(ds, v);
    }
    push(ds, new_list(middle));
    for v in items.into_iter().rev() {
        push(ds, v);
    }
    Ok(())
}

/// `BEFORE_WITH`: the bound `__exit__` and the result of `__enter__()`.
fn before_with(mgr: &Object) -> Result<(ObjRef, ObjRef)> {
    let ty = mgr.ty();
    let (Some(enter), Some(exit)) = (
        crate::core::lookup(ty, intern("__enter__"))?,
        crate::core::lookup(ty, intern("__exit__"))?,
    ) else {
        return Err(PyErr::type_error(format!(
            "'{}' object does not support the context manager protocol",
            ty.name
        )));
    };
    // Bound from the type's attributes, as CPython's special-method lookup does.
    let exit = crate::attr::descr_get(&exit, Some(mgr), crate::core::static_type(ty))?;
    let res = crate::attr::call_unbound(&enter, mgr, &[], &[])?;
    Ok((exit, res))
}

/// `SEND`: resumes a sub-iterator with `v` (`next()` for None, else its `send(v)`).
fn send_to(recv: &Object, v: ObjRef) -> Result<crate::generator::Resumed> {
    use crate::generator::Resumed;
    if crate::generator::is_generator(recv) {
        return crate::generator::send(recv, v);
    }
    let r = if v.is(none()) {
        crate::ops::next(recv)
            .map(|y| y.map_or_else(|| Resumed::Returned(none().to_ref()), Resumed::Yielded))
    } else {
        crate::call::call_method(recv, "send", &[v]).map(Resumed::Yielded)
    };
    crate::generator::returned_on_stop(r)
}

/// `CALL argc` (with the keyword names of a preceding `KW_NAMES`). The loop stored the
/// instruction pointer; the arguments reach a callee through the cursor.
#[inline]
fn do_call(
    ds: &DataStack,
    cur: &mut FrameCursor<'_>,
    cx: &FrameCtx<'_>,
    argc: usize,
    kw: Option<u32>,
) -> Result<ObjRef> {
    let a = cur.peek_slot(argc + 1);
    let (callable, method) = match a {
        Some(f) => (f, true),
        None => (cur.peek(argc), false),
    };
    let n = argc + method as usize;
    let func = Function::of(&callable);
    // Fast path: a Python function called with exactly its positional parameters (or fewer,
    // with defaults): the arguments move from this frame's stack into the callee's locals.
    if kw.is_none()
        && let Some(func) = func
    {
        let code = func.code();
        if !code.co.flags.has(CodeFlags::GENERATOR) && crate::call::simple_positional(code, n) {
            crate::call::push_function_call(ds, cur, &callable, func, n)?;
            let r = match crate::call::fill_defaults(ds, func, code, n) {
                Ok(()) => run_function_frame(ds, func),
                Err(e) => Err(e),
            };
            ds.pop();
            // Left on our stack: the method (`method`), or NULL and the callable.
            drop(cur.pop_slot());
            if !method {
                drop(cur.pop_slot());
            }
            return r;
        }
    }
    let kwnames: &[ObjRef] = match kw {
        Some(i) => as_tuple(&cx.code.consts[i as usize])
            .map(|t| t.as_slice())
            .unwrap_or(&[]),
        None => &[],
    };
    // The arguments are passed in place, as a slice of this frame's value stack.
    let r = {
        let args = cur.top_values(n);
        if func.is_some() {
            crate::call::call_function(ds, &callable, args, kwnames)
        } else {
            crate::call::call(&callable, args, kwnames)
        }
    };
    cur.drop_top(n);
    drop(cur.pop_slot());
    if !method {
        drop(cur.pop_slot());
    }
    r
}
