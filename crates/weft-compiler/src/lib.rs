//! # weft-compiler — layer 4: Python source to bytecode
//!
//! ```text
//! source ──parse──▶ syntax tree ──symtable──▶ scopes ──codegen──▶ instructions ──assemble──▶ CodeObject
//! ```
//!
//! - [`parse`]: the facade over the parser crate (`ruff_python_parser`, pinned exactly). No
//!   other module names the parser crates except through what `parse` re-exports.
//! - [`symtable`]: scopes and name resolution (local / global / free / cell).
//! - `codegen` (private): walks the tree and emits [`Instr`]s with labels and handlers.
//! - `assemble` (private): labels to indices, dead code removal, exception table, line
//!   table, stack size.
//! - [`mod@verify`]: the stack-depth analysis and a structural verifier.
//! - [`dis()`]: a CPython-style disassembler (also the `weft-dis` binary).
//!
//! ## Public API
//!
//! [`compile`]`(source, filename, mode)` returns an `Arc<`[`CodeObject`]`>` or a
//! [`CompileError`] whose `Display` is CPython's syntax-error layout:
//!
//! ```
//! use weft_compiler::{compile, Mode};
//! let err = compile("def f(:\n    pass\n", "x.py", Mode::Exec).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "  File \"x.py\", line 1\n    def f(:\n          ^\nSyntaxError: invalid syntax"
//! );
//! let code = compile("x = 1 + 2\n", "x.py", Mode::Exec).unwrap();
//! assert!(weft_compiler::dis(&code).contains("LOAD_CONST"));
//! ```
//!
//! ## The instruction set
//!
//! [`Instr`] follows CPython 3.11; the [`instr`] module documents every instruction with
//! its stack effect. Jump operands are absolute instruction indices.
//!
//! ## The exception table
//!
//! Each code object carries its own table ([`CodeObject::exception_table`], entries
//! [`ExceptionTableEntry`]), 3.11 style: there are no block-setup instructions at run time.
//! When an instruction raises, the eval loop looks its index up in the table; with no entry
//! the exception leaves the frame; with an entry it pops the value stack to the entry's
//! `depth`, pushes the raising instruction's index if `lasti`, pushes the exception and jumps
//! to `target`. Handlers then use `PUSH_EXC_INFO` (save the exception being handled and make
//! this one current), `CHECK_EXC_MATCH` (for `except T:`), `POP_EXCEPT` (restore), and
//! `RERAISE n` (re-raise, restoring `lasti` from the stack when `n > 0` so the traceback
//! points at the original instruction). `try/finally`, `with` and named `except ... as e`
//! cleanups are all expressed with nested table entries; `return`/`break`/`continue` out of
//! them run the cleanup code inline.
//!
//! ## Frame layout
//!
//! A frame of a code object is one contiguous run of slots:
//!
//! ```text
//! [ varnames (locals, parameters first) | cellvars | freevars | value stack (stack_size) ]
//!   0 ..                                  nlocals ..  nlocals+ncells ..
//! ```
//!
//! - `LOAD_FAST i` etc. address slot `i < nlocals`.
//! - Cell and free variables hold *cell objects*; `LOAD_DEREF s`, `STORE_DEREF s`,
//!   `LOAD_CLOSURE s`, `MAKE_CELL s` address the absolute slot `s` (`nlocals <= s`). The
//!   prologue of a code object with cells runs `MAKE_CELL` for each cell slot (an empty
//!   cell), then copies each parameter that is also a cell variable into its cell
//!   (`LOAD_FAST p; STORE_DEREF s`), then `COPY_FREE_VARS n` copies the function's closure
//!   tuple (whose order is [`CodeObject::freevars`]) into the free slots, then `RESUME 0`.
//! - A closure is built by the defining code with `LOAD_CLOSURE` of its own cell/free slots
//!   for each of the inner code's `freevars`, `BUILD_TUPLE`, then `MAKE_FUNCTION` with the
//!   closure flag.
//! - Class bodies that need `__class__` (a method uses `super()` or `__class__`) have a
//!   `__class__` cell and end with `LOAD_CLOSURE __class__; COPY 1; STORE_NAME
//!   __classcell__; RETURN_VALUE`; `__build_class__` must set the cell to the new class.
//!
//! ## Calls
//!
//! As in 3.11, a call site pushes a NULL-or-method slot and a callable-or-self slot, then
//! the arguments: `PUSH_NULL; <f>; <args>; CALL n` (or `LOAD_GLOBAL (NULL + f)`), and method
//! calls `<obj>; LOAD_METHOD m; <args>; CALL n`. `KW_NAMES` before `CALL` names the last
//! arguments. Some sequences rely on the convention for a non-NULL first slot: decorators
//! (`<decorator>; <function>; CALL 0` calls the decorator with the function), comprehensions
//! (`<function>; <iterator>; CALL 0`) and `with` exits (`<exit>; None; None; None; CALL 2`).
//!
//! ## Not supported (clean `SyntaxError`s)
//!
//! `match`, `async def` / `await` / `async for` / `async with` / async comprehensions,
//! `except*`, and annotations (they are accepted and never evaluated).
//!
//! ## Limits and robustness
//!
//! `compile` never panics and never overflows the stack. The parser, the symbol table and
//! code generation recurse along the syntax tree, so a token-level estimate of the nesting
//! ([`parse::nesting_estimate`]) decides where they run: shallow input (nearly all code) on
//! the caller's stack, deeper input on a helper thread with a 256 MiB stack, where the
//! exact depth ([`parse::tree_depth`]) is measured first. Trees deeper than [`MAX_DEPTH`]
//! (CPython 3.11 stops near the same depth) get a `RecursionError` ("maximum recursion
//! depth exceeded during compilation"), as does input whose estimate is absurd. The
//! assembler, the verifier, the disassembler and dropping a code object are iterative.
//! A failed internal consistency check (a compiler bug) is reported as a `SystemError`.
//!
//! ## Variants
//!
//! The compiler has no variant-specific code; [`VARIANT`] reports the build like every
//! other crate does.

mod assemble;
pub mod code;
mod codegen;
pub mod dis;
pub mod error;
mod fold;
pub mod instr;
pub mod parse;
pub mod symtable;
pub mod verify;

use std::sync::Arc;

pub use code::{CodeFlags, CodeObject, Constant, ExceptionTableEntry, LineTable, Location};
pub use dis::dis;
pub use error::{CompileError, ErrorKind};
pub use instr::Instr;
pub use verify::verify;

use parse::{Grammar, SourceMap, Tree};

/// The build variant (`"gil"` or `"nogil"`), as compiled.
pub const VARIANT: &str = weft_sync::VARIANT;

/// What the source is compiled as (the `mode` argument of Python's `compile()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A module: a sequence of statements.
    Exec,
    /// One expression; the code returns its value.
    Eval,
    /// One interactive statement; expression statements print their value (`PRINT_EXPR`).
    Single,
}

/// Compiles Python source to a code object.
///
/// `filename` is recorded in the code objects and in errors. Errors are CPython's
/// compile-time `SyntaxError`s (or `IndentationError`/`TabError`), with position and
/// source line, or a `RecursionError` for input nested deeper than [`MAX_DEPTH`]; see
/// [`CompileError`].
pub fn compile(source: &str, filename: &str, mode: Mode) -> Result<Arc<CodeObject>, CompileError> {
    let grammar = match mode {
        Mode::Eval => Grammar::Expression,
        Mode::Exec | Mode::Single => Grammar::Module,
    };
    let estimate = parse::nesting_estimate(source, grammar);
    if estimate > MAX_ESTIMATE {
        return Err(recursion_error(filename));
    }
    if estimate <= INLINE_NESTING {
        return compile_parsed(source, filename, mode, grammar);
    }
    // Deeply nested input: parsing, analysis and code generation recurse along the tree, so
    // run them (and the drop of the tree) on a thread with a stack large enough for
    // MAX_DEPTH levels of the compiler and MAX_ESTIMATE levels of the parser. This is for
    // stack space only; nothing is shared concurrently.
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("weft-compile".into())
            .stack_size(DEEP_STACK_BYTES)
            .spawn_scoped(scope, || compile_parsed(source, filename, mode, grammar));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(CompileError {
                    kind: ErrorKind::SystemError,
                    message: "internal compiler error: the compiler panicked".into(),
                    filename: filename.to_string(),
                    line: 0,
                    column: 0,
                    end_line: 0,
                    end_column: None,
                    text: None,
                })
            }),
            Err(_) => Err(recursion_error(filename)),
        }
    })
}

/// Deepest syntax tree compiled (see [`parse::tree_depth`]); deeper input gets a
/// `RecursionError`, as in CPython 3.11, whose compiler stops near 3000 levels.
pub const MAX_DEPTH: u32 = 3000;
/// Largest [`parse::nesting_estimate`] the parser is run on.
const MAX_ESTIMATE: u32 = 50_000;
/// Estimated nesting up to which compilation runs on the caller's stack.
const INLINE_NESTING: u32 = 64;
/// Stack of the helper thread for deeply nested input.
const DEEP_STACK_BYTES: usize = 256 << 20;

fn recursion_error(filename: &str) -> CompileError {
    CompileError {
        kind: ErrorKind::RecursionError,
        message: "maximum recursion depth exceeded during compilation".into(),
        filename: filename.to_string(),
        line: 0,
        column: 0,
        end_line: 0,
        end_column: None,
        text: None,
    }
}

fn compile_parsed(
    source: &str,
    filename: &str,
    mode: Mode,
    grammar: Grammar,
) -> Result<Arc<CodeObject>, CompileError> {
    let map = SourceMap::new(source);
    let tree = parse::parse(source, grammar, &map, filename)?;
    if parse::tree_depth(&tree, MAX_DEPTH) > MAX_DEPTH {
        return Err(recursion_error(filename));
    }
    match &tree {
        Tree::Module(body) => {
            if mode == Mode::Single {
                if body.is_empty() {
                    let end = parse::TextSize::new(source.len() as u32);
                    return Err(map.error(
                        ErrorKind::SyntaxError,
                        "invalid syntax",
                        filename,
                        parse::TextRange::empty(end),
                    ));
                }
                if let Some(second) = body.get(1) {
                    use parse::Ranged;
                    return Err(map.error(
                        ErrorKind::SyntaxError,
                        "multiple statements found while compiling a single statement",
                        filename,
                        parse::TextRange::empty(second.range().start()),
                    ));
                }
            }
            let table = symtable::build(body, None, &map, filename)?;
            codegen::compile_tree(body, None, &table, &map, filename, mode)
        }
        Tree::Expression(e) => {
            let table = symtable::build(&[], Some(e), &map, filename)?;
            codegen::compile_tree(&[], Some(e), &table, &map, filename, mode)
        }
    }
}
