//! Generators: a suspended frame saved off the data stack, resumed by `send`/`__next__`,
//! with `throw` and `close`, and `yield from` delegation.
//!
//! Calling a generator function binds the arguments into a *frame image* (the frame's fixed
//! slots) kept in the [`Generator`]; nothing runs. Each resumption pushes a frame on the
//! resuming thread's data stack, copies the image (locals, cells, value stack) into it, runs
//! it with [`crate::eval`] until `YIELD_VALUE` or the end, and copies it back. So a suspended
//! generator holds no data-stack space, and a generator may be resumed by any thread (one at a
//! time: an atomic flag answers `ValueError: generator already executing` otherwise).
//!
//! The exception a generator is handling when it yields (a `yield` inside an `except` block)
//! is saved with it and restored on resumption, so `sys.exc_info()` inside and outside the
//! generator stay right.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use weft_compiler::instr::Instr;
use weft_containers::tuple::as_tuple;
use weft_frame::{Slot, with_stack};
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
    /// Set while a thread runs the frame.
    running: AtomicBool,
    /// The suspended frame.
    state: Mutex<GenState>,
}

/// The state of a generator's frame.
struct GenState {
    /// The saved frame (taken out while it runs, empty once finished).
    frame: SavedFrame,
    /// Whether the frame has run at all.
    started: bool,
    /// Whether the frame has finished (returned, raised or closed).
    finished: bool,
}

/// A frame saved off the data stack.
#[derive(Default)]
struct SavedFrame {
    /// The fixed slots (locals, cells, free variables).
    slots: Vec<Slot>,
    /// The value stack, bottom first.
    stack: Vec<Slot>,
    /// Where to resume.
    ip: u32,
    /// The exception the frame was handling when it yielded.
    exc: Option<ObjRef>,
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
/// (the frame's fixed slots).
pub fn new_generator(fobj: &Object, image: Vec<Slot>) -> ObjRef {
    ObjRef::new(Generator {
        func: fobj.to_ref(),
        running: AtomicBool::new(false),
        state: Mutex::new(GenState {
            frame: SavedFrame {
                slots: image,
                ..SavedFrame::default()
            },
            started: false,
            finished: false,
        }),
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

/// Clears the running flag when dropped (also on unwinding).
struct Running<'a>(&'a AtomicBool);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

fn lock(m: &Mutex<GenState>) -> std::sync::MutexGuard<'_, GenState> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Generator {
    fn function(&self) -> &Function {
        Function::of(&self.func).expect("a generator's function")
    }

    /// Runs the frame once.
    fn resume(&self, input: Input) -> Result<Resumed> {
        if self
            .running
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return Err(PyErr::value_error("generator already executing"));
        }
        let _running = Running(&self.running);
        let (mut frame, started, finished) = {
            let mut st = lock(&self.state);
            (std::mem::take(&mut st.frame), st.started, st.finished)
        };
        if finished {
            return match input {
                Input::Send(_) => Ok(Resumed::Returned(none().to_ref())),
                Input::Throw(e) => Err(e),
            };
        }
        let mut input = input;
        if !started
            && let Input::Send(v) = &input
            && !v.is(none())
        {
            self.put_back(frame, false);
            return Err(PyErr::type_error(
                "can't send non-None value to a just-started generator",
            ));
        }
        let func = self.function();
        let code = func.code();
        // A throw while delegating (`yield from`) goes to the sub-iterator first.
        if started
            && let Input::Throw(_) = &input
            && matches!(
                code.co.instructions.get(frame.ip as usize),
                Some(Instr::Resume(2))
            )
            && let Some(Some(sub)) = frame.stack.last().cloned()
        {
            let Input::Throw(err) = input else {
                unreachable!("matched above")
            };
            match delegate_throw(&sub, err) {
                Delegated::Yielded(y) => {
                    self.put_back(frame, true);
                    return Ok(Resumed::Yielded(y));
                }
                Delegated::Returned(v) => {
                    // The sub-iterator finished: continue after the `yield from` with its value.
                    frame.stack.pop();
                    frame.stack.push(Some(v));
                    let ip = frame.ip;
                    let send_at = match code.co.instructions.get(ip as usize + 1) {
                        Some(Instr::JumpBackwardNoInterrupt(t)) => t.0 as usize,
                        _ => ip as usize,
                    };
                    frame.ip = match code.co.instructions.get(send_at) {
                        Some(Instr::Send(t)) => t.0,
                        _ => ip,
                    };
                    input = Input::Send(none().to_ref());
                    return self.run(frame, true, input, false);
                }
                Delegated::Raise(e) => input = Input::Throw(e),
            }
        }
        let push_sent = started;
        self.run(frame, started, input, push_sent)
    }

    /// Pushes the frame, runs it, and saves it back (or marks the generator finished).
    fn run(
        &self,
        frame: SavedFrame,
        started: bool,
        input: Input,
        push_sent: bool,
    ) -> Result<Resumed> {
        let func = self.function();
        with_stack(|ds| {
            if let Err(e) = crate::call::push_function_frame(ds, &self.func, func) {
                self.put_back(frame, started);
                return Err(e);
            }
            let SavedFrame {
                mut slots,
                mut stack,
                ip,
                exc,
            } = frame;
            // One borrow of the stack for all the values; the emptied vectors are reused for
            // the next save.
            ds.restore_top(&mut slots, &mut stack);
            let throw = match input {
                Input::Send(v) => {
                    if push_sent {
                        ds.push_value(Some(v));
                    }
                    None
                }
                Input::Throw(e) => Some(e),
            };
            push_exc_state(exc);
            let r = crate::eval::resume_frame(ds, func, ip as usize, throw);
            let inner = pop_exc_state();
            match r {
                Ok(FrameExit::Yield(v)) => {
                    let ip = ds.ip();
                    ds.save_top(&mut slots, &mut stack);
                    ds.pop();
                    let frame = SavedFrame {
                        slots,
                        stack,
                        ip,
                        exc: inner,
                    };
                    self.put_back(frame, true);
                    Ok(Resumed::Yielded(v))
                }
                Ok(FrameExit::Return(v)) => {
                    ds.pop();
                    self.finish();
                    Ok(Resumed::Returned(v))
                }
                Err(e) => {
                    ds.pop();
                    self.finish();
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

    /// Saves `frame` as the suspended frame (what it replaces is dropped after the lock is
    /// released).
    fn put_back(&self, frame: SavedFrame, started: bool) {
        let old = {
            let mut st = lock(&self.state);
            st.started = started;
            std::mem::replace(&mut st.frame, frame)
        };
        drop(old);
    }

    fn finish(&self) {
        let old = {
            let mut st = lock(&self.state);
            st.finished = true;
            st.started = true;
            std::mem::take(&mut st.frame)
        };
        drop(old);
    }

    /// `close()`: throws `GeneratorExit` in and expects the generator to finish.
    fn close(&self) -> Result<()> {
        {
            let st = lock(&self.state);
            if st.finished {
                return Ok(());
            }
            if !st.started {
                drop(st);
                self.finish();
                return Ok(());
            }
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
}

impl Drop for Generator {
    /// A suspended generator that is collected is closed first (its `finally` blocks run),
    /// as in CPython; errors are ignored.
    fn drop(&mut self) {
        let pending = {
            let st = lock(&self.state);
            st.started && !st.finished
        };
        if pending && weft_refcount::is_attached() && weft_frame::current_stack_id().is_some() {
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
        "gi_running" => Ok(bool_obj(g.running.load(Ordering::Relaxed))),
        "gi_code" => Ok(g.function().code.clone()),
        "gi_frame" => Ok(none().to_ref()),
        "gi_suspended" => {
            let st = lock(&g.state);
            Ok(bool_obj(
                st.started && !st.finished && !g.running.load(Ordering::Relaxed),
            ))
        }
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
