//! Generators: a suspended frame kept in the generator object, resumed by `send`/`__next__`,
//! with `throw` and `close`, and `yield from` delegation.
//!
//! Calling a generator function binds the arguments into a [`FrameImage`] (the frame's slots:
//! fixed slots and value stack, allocated once, here) kept in the [`Generator`]; nothing runs.
//! Each resumption claims the frame ([`GenFrame::try_claim`]: one compare-and-swap of the
//! generator's state word to `Running`), pushes a frame on the resuming thread's data stack,
//! moves the image's values onto it bitwise ([`weft_frame::DataStack::push_image`]), runs it
//! with [`crate::eval`] until `YIELD_VALUE` or the end, moves them back
//! ([`weft_frame::DataStack::pop_into_image`]) and releases the claim (one store). No allocation, no
//! lock, no reference-count traffic on the frame's values. A suspended generator holds no
//! data-stack space, and any thread may resume it, one at a time: a thread that finds the state
//! `Running` gets `ValueError: generator already executing` (see ARCHITECTURE.md, "Generators").
//!
//! The exception a generator is handling when it yields (a `yield` inside an `except` block)
//! is saved with it and restored on resumption, so `sys.exc_info()` inside and outside the
//! generator stay right.

use std::sync::OnceLock;

use weft_compiler::instr::Instr;
use weft_containers::tuple::as_tuple;
use weft_frame::{FrameImage, FrameObject, GenClaim, GenFrame, GenState, with_stack};
use weft_object::types::OBJECT_TYPE;
use weft_object::{ExcKind, ObjRef, Object, Payload, PyErr, Slots, TypeObject, bool_obj, none};

use crate::core::{Args, Result, add_method, as_str};
use crate::eval::{FrameExit, pop_exc_state, push_exc_state};
use crate::exceptions;
use crate::function::Function;

/// A generator object.
pub struct Generator {
    /// The generator function (its code, globals, builtins and closure).
    func: ObjRef,
    /// The frame, and the state word that owns it.
    frame: GenFrame,
    /// `gi_frame`'s object, once asked for (refreshed from the image when read).
    frame_object: OnceLock<ObjRef>,
}

/// How a resumption ended.
pub enum Resumed {
    /// The generator yielded a value.
    Yielded(ObjRef),
    /// The generator returned (the value is `StopIteration.value`).
    Returned(ObjRef),
}

/// `r` with a `StopIteration` turned into [`Resumed::Returned`] with its value (for
/// sub-iterators of `yield from` that are not generators).
pub(crate) fn returned_on_stop(r: Result<Resumed>) -> Result<Resumed> {
    match r {
        Err(e) if e.kind == ExcKind::StopIteration => {
            Ok(Resumed::Returned(crate::eval::stop_iteration_value(&e)))
        }
        r => r,
    }
}

/// `generator`
pub static GENERATOR_TYPE: TypeObject = TypeObject::new_static::<Generator>(
    "generator",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(gen_repr),
        hash: Some(crate::class::identity_hash),
        getattr: Some(gen_getattr),
        iter: Some(|o| Ok(o.to_ref())),
        next: Some(gen_next_slot),
        ..Slots::EMPTY
    },
);

impl Payload for Generator {
    fn type_object() -> &'static TypeObject {
        &GENERATOR_TYPE
    }
}

/// A new generator for the generator function `fobj` whose arguments are bound in `image`
/// (the frame's fixed slots, or fewer).
pub fn new_generator(fobj: &Object, image: Vec<weft_frame::Slot>) -> ObjRef {
    let info = &Function::of(fobj)
        .expect("a generator function")
        .code()
        .info;
    let image = FrameImage::new(image, info.n_fixed(), info.n_slots());
    ObjRef::new(Generator {
        func: fobj.to_ref(),
        frame: GenFrame::new(image),
        frame_object: OnceLock::new(),
    })
}

/// Whether `o` is a generator.
pub fn is_generator(o: &Object) -> bool {
    o.downcast::<Generator>().is_some()
}

/// `gen.send(v)` (and `next(gen)` with `None`): the yielded or returned value.
pub fn send(g: &Object, v: ObjRef) -> Result<Resumed> {
    let g = g.downcast::<Generator>().expect("send to a generator");
    g.resume(Input::Send(v))
}

/// `gen.throw(exc)`: raises `exc` at the suspension point.
pub fn throw(g: &Object, exc: PyErr) -> Result<Resumed> {
    let g = g.downcast::<Generator>().expect("throw to a generator");
    g.resume(Input::Throw(exc))
}

/// `gen.close()`.
pub fn close(g: &Object) -> Result<()> {
    g.downcast::<Generator>()
        .expect("close of a generator")
        .close()
}

/// A `StopIteration` carrying `value` (no arguments for `None`, as CPython).
pub fn stop_iteration(value: ObjRef) -> PyErr {
    if value.is(none()) {
        PyErr::new(ExcKind::StopIteration, "")
    } else {
        let msg = value.str().unwrap_or_default();
        PyErr::with_arg(ExcKind::StopIteration, msg, value)
    }
}

enum Input {
    Send(ObjRef),
    Throw(PyErr),
}

fn already_executing() -> PyErr {
    PyErr::value_error("generator already executing")
}

impl Generator {
    fn function(&self) -> &Function {
        Function::of(&self.func).expect("a generator's function")
    }

    /// Runs the frame once.
    fn resume(&self, input: Input) -> Result<Resumed> {
        let mut claim = match self.frame.try_claim() {
            Ok(c) => c,
            Err(GenState::Running) => return Err(already_executing()),
            Err(_) => {
                return match input {
                    Input::Send(_) => Ok(Resumed::Returned(none().to_ref())),
                    Input::Throw(e) => Err(e),
                };
            }
        };
        let started = claim.prev() == GenState::Suspended;
        let mut input = input;
        if !started
            && let Input::Send(v) = &input
            && !v.is(none())
        {
            // The claim goes back as `Created`.
            return Err(PyErr::type_error(
                "can't send non-None value to a just-started generator",
            ));
        }
        // A throw while delegating (`yield from`) goes to the sub-iterator first.
        if started && matches!(input, Input::Throw(_)) {
            let code = self.function().code();
            let ip = claim.ip() as usize;
            if matches!(code.co.instructions.get(ip), Some(Instr::Resume(2)))
                && let Some(Some(sub)) = claim.stack().last().cloned()
            {
                let Input::Throw(err) = input else {
                    unreachable!("matched above")
                };
                // The claim is held meanwhile: this generator is running (CPython's
                // `gi_running` is true while a throw is delegated).
                match delegate_throw(&sub, err) {
                    Delegated::Yielded(y) => {
                        claim.release(GenState::Suspended);
                        return Ok(Resumed::Yielded(y));
                    }
                    Delegated::Returned(v) => {
                        // The sub-iterator finished: continue after the `yield from` with its
                        // value.
                        let old = claim.pop_value();
                        claim.push_value(Some(v));
                        let send_at = match code.co.instructions.get(ip + 1) {
                            Some(Instr::JumpBackwardNoInterrupt(t)) => t.0 as usize,
                            _ => ip,
                        };
                        if let Some(Instr::Send(t)) = code.co.instructions.get(send_at) {
                            claim.set_ip(t.0);
                        }
                        drop(old);
                        return self.run(claim, Input::Send(none().to_ref()), false);
                    }
                    Delegated::Raise(e) => input = Input::Throw(e),
                }
            }
        }
        self.run(claim, input, started)
    }

    /// Pushes the frame, moves the image onto it, runs it, and moves it back (or marks the
    /// generator finished). `push_sent`: push a sent value (the result of the `yield`).
    fn run(&self, mut claim: GenClaim<'_>, input: Input, push_sent: bool) -> Result<Resumed> {
        let func = self.function();
        // A chain of generators resuming each other nests native frames like calls do.
        crate::eval::check_native_stack()?;
        let throw = match input {
            Input::Send(v) => {
                if push_sent {
                    // The result of the `yield`: the image has room (the yielded value left it).
                    claim.push_value(Some(v));
                }
                None
            }
            Input::Throw(e) => Some(e),
        };
        with_stack(|ds| {
            let init = crate::call::frame_init(&self.func, func);
            if let Err(e) = ds.push_image(init, &mut claim) {
                // The claim goes back in the state it was taken from, the image as it was.
                if push_sent && throw.is_none() {
                    drop(claim.pop_value());
                }
                return Err(e);
            }
            let ip = claim.ip() as usize;
            push_exc_state(claim.take_exc());
            let r = crate::eval::resume_frame(ds, func, ip, throw);
            let inner = pop_exc_state();
            match r {
                Ok(FrameExit::Yield(v)) => {
                    ds.pop_into_image(&mut claim);
                    let old = claim.replace_exc(inner);
                    debug_assert!(old.is_none());
                    claim.release(GenState::Suspended);
                    Ok(Resumed::Yielded(v))
                }
                Ok(FrameExit::Return(v)) => {
                    // The values are released by the pop, with the claim held (a `__del__`
                    // that resumes this generator gets "already executing").
                    ds.pop();
                    claim.release(GenState::Finished);
                    drop(inner);
                    Ok(Resumed::Returned(v))
                }
                Err(e) => {
                    ds.pop();
                    claim.release(GenState::Finished);
                    drop(inner);
                    if e.kind == ExcKind::StopIteration {
                        let stop = e
                            .object
                            .clone()
                            .unwrap_or_else(|| exceptions::materialize(&e));
                        let rt =
                            PyErr::new(ExcKind::RuntimeError, "generator raised StopIteration");
                        let obj = exceptions::materialize(&rt);
                        exceptions::set_cause(&obj, Some(stop.clone()));
                        exceptions::set_context(&obj, Some(stop));
                        return Err(exceptions::from_object(obj));
                    }
                    Err(e)
                }
            }
        })
    }

    /// `close()`: throws `GeneratorExit` in and expects the generator to finish.
    fn close(&self) -> Result<()> {
        match self.frame.state() {
            GenState::Finished => return Ok(()),
            GenState::Created => {
                // Never ran: nothing to throw into. The arguments stay in the image until the
                // generator is dropped, as in CPython 3.13 (its `close()` of a just-created
                // generator only marks it completed).
                match self.frame.try_claim() {
                    Ok(claim) if claim.prev() == GenState::Created => {
                        claim.release(GenState::Finished);
                        return Ok(());
                    }
                    // Resumed by another thread meanwhile: close it as a started one.
                    Ok(claim) => drop(claim),
                    Err(GenState::Running) => return Err(already_executing()),
                    Err(_) => return Ok(()),
                }
            }
            GenState::Running => return Err(already_executing()),
            GenState::Suspended => {}
        }
        match self.resume(Input::Throw(PyErr::new(ExcKind::GeneratorExit, ""))) {
            Ok(Resumed::Yielded(_)) => Err(PyErr::new(
                ExcKind::RuntimeError,
                "generator ignored GeneratorExit",
            )),
            Ok(Resumed::Returned(_)) => Ok(()),
            Err(e) if matches!(e.kind, ExcKind::GeneratorExit | ExcKind::StopIteration) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// `gi_frame`: a frame object answering from the image (its line and locals as of this
    /// read), `None` once finished. The same object every time; while the generator runs it
    /// is returned as last refreshed. Reading it claims the frame for a moment: a thread
    /// resuming the generator at that very moment gets "already executing", as it would if
    /// the reader were running it.
    fn frame_object(&self) -> ObjRef {
        let func = self.function();
        let info = &func.code().info;
        let snapshot = match self.frame.try_claim() {
            Ok(claim) => {
                let locals: Vec<_> = claim
                    .fixed()
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| Some((info.slot_name(i)?.clone(), v.clone()?)))
                    .collect();
                // Dropped unreleased: the frame goes back in the state it was claimed from.
                Some((claim.ip(), locals))
            }
            Err(GenState::Finished) => return none().to_ref(),
            Err(_) => None,
        };
        if let Some(obj) = self.frame_object.get() {
            if let Some((ip, locals)) = snapshot {
                let f = obj.downcast::<FrameObject>().expect("a frame object");
                drop(f.set_detached(ip, locals));
            }
            return obj.clone();
        }
        let (ip, locals) = snapshot.unwrap_or_default();
        self.frame_object
            .get_or_init(|| {
                ObjRef::new(FrameObject::detached(
                    info.clone(),
                    func.globals.clone(),
                    func.builtins.clone(),
                    ip,
                    locals,
                ))
            })
            .clone()
    }
}

impl Drop for Generator {
    /// A suspended generator that is collected is closed first (its `finally` blocks run),
    /// as in CPython; errors are ignored. The image's remaining values (arguments of a
    /// generator that never ran, or a frame that ignored `GeneratorExit`) are released with
    /// the image.
    fn drop(&mut self) {
        if self.frame.state() == GenState::Suspended
            && weft_refcount::is_attached()
            && weft_frame::current_stack_id().is_some()
        {
            let _ = self.close();
        }
    }
}

enum Delegated {
    Yielded(ObjRef),
    Returned(ObjRef),
    Raise(PyErr),
}

/// Forwards a `throw()` (or `close()`, for `GeneratorExit`) to the sub-iterator of a
/// `yield from`.
fn delegate_throw(sub: &Object, err: PyErr) -> Delegated {
    if err.kind == ExcKind::GeneratorExit {
        // close() the sub-iterator, then raise GeneratorExit in the delegating frame.
        let r = if is_generator(sub) {
            close(sub)
        } else {
            match crate::attr::getattr_opt(sub, weft_object::intern("close")) {
                Ok(Some(c)) => crate::call::call0(&c).map(|_| ()),
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            }
        };
        return match r {
            Ok(()) => Delegated::Raise(err),
            Err(e) => Delegated::Raise(e),
        };
    }
    let r = if is_generator(sub) {
        throw(sub, err)
    } else {
        match crate::attr::getattr_opt(sub, weft_object::intern("throw")) {
            Ok(Some(t)) => {
                let exc = err
                    .object
                    .clone()
                    .unwrap_or_else(|| exceptions::materialize(&err));
                returned_on_stop(crate::call::call1(&t, exc).map(Resumed::Yielded))
            }
            Ok(None) => return Delegated::Raise(err),
            Err(e) => return Delegated::Raise(e),
        }
    };
    match r {
        Ok(Resumed::Yielded(y)) => Delegated::Yielded(y),
        Ok(Resumed::Returned(v)) => Delegated::Returned(v),
        Err(e) => Delegated::Raise(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Slots and methods
// ---------------------------------------------------------------------------------------------

fn gen_of(o: &Object) -> Result<&Generator> {
    o.downcast::<Generator>().ok_or_else(|| {
        PyErr::type_error(format!(
            "descriptor requires a 'generator' object but received a '{}'",
            o.ty().name
        ))
    })
}

fn gen_qualname(g: &Generator) -> String {
    g.function().qualname()
}

fn gen_repr(o: &Object) -> Result<String> {
    let g = gen_of(o)?;
    Ok(format!(
        "<generator object {} at {:#x}>",
        gen_qualname(g),
        o.id()
    ))
}

fn gen_next_slot(o: &Object) -> Result<Option<ObjRef>> {
    match gen_of(o)?.resume(Input::Send(none().to_ref()))? {
        Resumed::Yielded(y) => Ok(Some(y)),
        Resumed::Returned(_) => Ok(None),
    }
}

fn gen_getattr(o: &Object, name: &Object) -> Result<ObjRef> {
    let g = gen_of(o)?;
    match as_str(name).unwrap_or("") {
        "gi_running" => Ok(bool_obj(g.frame.state() == GenState::Running)),
        "gi_code" => Ok(g.function().code.clone()),
        "gi_frame" => {
            crate::modules::sys::install_frame_attrs();
            Ok(g.frame_object())
        }
        "gi_suspended" => Ok(bool_obj(g.frame.state() == GenState::Suspended)),
        "__name__" => Ok(g.function().meta().name()),
        "__qualname__" => Ok(g.function().meta().qualname()),
        n => crate::function::generic_attr(o, name, n),
    }
}

fn resumed_to_result(r: Resumed) -> Result<ObjRef> {
    match r {
        Resumed::Yielded(y) => Ok(y),
        Resumed::Returned(v) => Err(stop_iteration(v)),
    }
}

fn m_next(args: &Args<'_>) -> Result<ObjRef> {
    args.check("__next__", 1, 1)?;
    resumed_to_result(gen_of(&args.all[0])?.resume(Input::Send(none().to_ref()))?)
}

fn m_send(args: &Args<'_>) -> Result<ObjRef> {
    args.check("send", 2, 2)?;
    resumed_to_result(gen_of(&args.all[0])?.resume(Input::Send(args.all[1].clone()))?)
}

fn m_iter(args: &Args<'_>) -> Result<ObjRef> {
    args.check("__iter__", 1, 1)?;
    Ok(args.all[0].clone())
}

/// The exception `throw(typ, val, tb)` raises.
fn throw_exception(typ: &Object, val: Option<&Object>) -> Result<PyErr> {
    let val = val.filter(|v| !v.is(none()));
    if exceptions::is_exception(typ) {
        if val.is_some() {
            return Err(PyErr::type_error(
                "instance exception may not have a separate value",
            ));
        }
        return Ok(exceptions::from_object(typ.to_ref()));
    }
    if let Some(t) = weft_object::types::as_type(typ)
        && t.is_subtype(exceptions::exc_type(ExcKind::BaseException))
    {
        let exc = match val {
            Some(v) if v.ty().is_subtype(t) => v.to_ref(),
            Some(v) => match as_tuple(v) {
                Some(tu) => crate::call::call(typ, tu.as_slice(), &[])?,
                None => crate::call::call1(typ, v.to_ref())?,
            },
            None => crate::call::call0(typ)?,
        };
        return Ok(exceptions::from_object(exc));
    }
    Err(PyErr::type_error(format!(
        "exceptions must be classes or instances deriving from BaseException, not {}",
        typ.ty().name
    )))
}

fn m_throw(args: &Args<'_>) -> Result<ObjRef> {
    args.check("throw", 2, 4)?;
    let g = gen_of(&args.all[0])?;
    let err = throw_exception(&args.all[1], args.all.get(2).map(|v| &**v))?;
    resumed_to_result(g.resume(Input::Throw(err))?)
}

fn m_close(args: &Args<'_>) -> Result<ObjRef> {
    args.check("close", 1, 1)?;
    gen_of(&args.all[0])?.close()?;
    Ok(none().to_ref())
}

/// Puts the generator methods into the type's dict (called once at start-up, from
/// [`crate::function::install_types`]).
pub(crate) fn install_methods() {
    add_method(&GENERATOR_TYPE, "__next__", m_next);
    add_method(&GENERATOR_TYPE, "send", m_send);
    add_method(&GENERATOR_TYPE, "throw", m_throw);
    add_method(&GENERATOR_TYPE, "close", m_close);
    add_method(&GENERATOR_TYPE, "__iter__", m_iter);
}
