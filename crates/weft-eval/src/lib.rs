//! # weft-eval — layer 5: the eval loop and the Python-level runtime
//!
//! This crate turns [`weft_compiler`]'s code objects into running Python: the eval loop
//! ([`eval`]) runs frames on the thread's data stack ([`weft_frame`]), calls go through
//! [`call`], attribute access through [`attr`], classes are made by [`class`], exceptions are
//! objects ([`exceptions`]) with tracebacks ([`traceback`]), generators suspend their frames
//! ([`generator`]), and the builtins and native modules (`sys`, `time`, `math`, `os`,
//! `_thread`, `threading`) live in [`builtins`], [`methods`] and [`modules`].
//!
//! The entry point for embedders and the `weft` command is [`interp`]: `run_file`, `run_source`,
//! `run_module`.
//!
//! ## Shared vocabulary
//! [`core`] defines what every module uses: native callables ([`core::Builtin`],
//! [`core::Args`]), the per-type data ([`core::TypeExt`]: `__dict__` and MRO), instances of
//! Python classes ([`core::Instance`]) and modules ([`core::Module`]).
//!
//! Errors are [`weft_object::PyErr`] values all the way down; an exception that a Python
//! program can see carries its exception object in [`weft_object::PyErr::object`].

pub mod core;

/// The variant this crate was compiled as: `"gil"` or `"nogil"`.
pub const VARIANT: &str = weft_sync::VARIANT;
pub mod attr;
pub mod builtins;
pub mod call;
pub mod class;
pub mod eval;
pub mod exceptions;
mod fast;
pub mod function;
pub mod generator;
pub mod import;
pub mod interp;
pub mod methods;
pub mod modules;
pub mod ops;
pub mod specialize;
pub mod traceback;
