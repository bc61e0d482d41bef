//! Code generation: the syntax tree plus the symbol table to code objects.
//!
//! One [`Unit`] per code object being built (the stack of units mirrors the nesting of
//! scopes). Instructions are emitted with *labels* as jump operands and with the exception
//! handler that covers them (the innermost entry of a compile-time handler stack, the
//! equivalent of CPython's `SETUP_*`/`POP_BLOCK` pseudo-instructions); [`crate::assemble`]
//! resolves labels, removes unreachable code, flattens the handlers into an exception table
//! and runs the stack-depth analysis.
//!
//! The value-stack depth is tracked while emitting (every statement is stack-neutral), which
//! is how a handler knows the depth to unwind to.

mod expr;
mod stmt;

use std::collections::HashMap;
use std::sync::Arc;

use crate::Mode;
use crate::assemble::{self, RawCode};
use crate::code::{CodeFlags, CodeObject, Constant, Location};
use crate::error::{CompileError, ErrorKind};
use crate::instr::{Instr, Target};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, SourceMap, TextRange};
use crate::symtable::{ScopeId, ScopeKind, SymbolScope, SymbolTable, mangle};

/// A jump destination, resolved to an instruction index by the assembler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Label(pub(crate) u32);

/// One emitted instruction.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Emitted {
    /// The instruction; jump operands hold label numbers until assembly.
    pub instr: Instr,
    /// Its source location.
    pub loc: Location,
    /// Index into [`Unit::handlers`] of the handler covering it.
    pub handler: Option<u32>,
}

/// An exception handler: where to go, the depth to unwind to, whether to push `lasti`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HandlerInfo {
    /// The handler's entry label.
    pub label: u32,
    /// Stack depth to unwind to.
    pub depth: u32,
    /// Push the raising instruction's index.
    pub lasti: bool,
}

/// A block of the frame-block stack (what `return`/`break`/`continue` must unwind).
#[derive(Clone, Debug)]
enum FBlock<'a> {
    WhileLoop { start: Label, exit: Label },
    ForLoop { start: Label, exit: Label },
    TryExcept,
    FinallyTry { body: &'a [Stmt] },
    FinallyEnd,
    With,
    HandlerCleanup { name: Option<&'a str> },
    PopValue,
}

/// How a name is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ctx {
    Load,
    Store,
    Del,
}

type R = Result<(), CompileError>;

/// The code object under construction.
struct Unit<'a> {
    scope: ScopeId,
    kind: ScopeKind,
    name: String,
    qualname: String,
    instrs: Vec<Emitted>,
    label_pos: Vec<Option<u32>>,
    label_depth: Vec<Option<i32>>,
    handlers: Vec<HandlerInfo>,
    handler_stack: Vec<u32>,
    fblocks: Vec<FBlock<'a>>,
    consts: Vec<Constant>,
    const_index: HashMap<ConstKey, u32>,
    names: Vec<String>,
    name_index: HashMap<String, u32>,
    varnames: Vec<String>,
    var_index: HashMap<String, u32>,
    cellvars: Vec<String>,
    freevars: Vec<String>,
    depth: i32,
    loc: Location,
    first_line: u32,
    argcount: u32,
    posonlyargcount: u32,
    kwonlyargcount: u32,
    flags: u32,
    private: Option<String>,
    is_async: bool,
}

/// Hashable identity of a constant for the constant pool (1, 1.0, True and -0.0 stay apart).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum ConstKey {
    None,
    Bool(bool),
    Int(weft_object::scalar::int::Int),
    Float(u64),
    Complex(u64, u64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<ConstKey>),
    Code(usize),
    Ellipsis,
}

fn const_key(c: &Constant) -> ConstKey {
    match c {
        Constant::None => ConstKey::None,
        Constant::Bool(b) => ConstKey::Bool(*b),
        Constant::Int(i) => ConstKey::Int(i.clone()),
        Constant::Float(f) => ConstKey::Float(f.to_bits()),
        Constant::Complex { real, imag } => ConstKey::Complex(real.to_bits(), imag.to_bits()),
        Constant::Str(s) => ConstKey::Str(s.clone()),
        Constant::Bytes(b) => ConstKey::Bytes(b.clone()),
        Constant::Tuple(t) => ConstKey::Tuple(t.iter().map(const_key).collect()),
        Constant::Code(c) => ConstKey::Code(Arc::as_ptr(c) as usize),
        Constant::Ellipsis => ConstKey::Ellipsis,
    }
}

/// The compiler state for one `compile` call.
pub(crate) struct Compiler<'a, 's> {
    table: &'a SymbolTable,
    map: &'a SourceMap<'s>,
    filename: &'a str,
    interactive: bool,
    units: Vec<Unit<'a>>,
}

/// Compiles a module body (`exec`/`single`) or an expression (`eval`).
pub(crate) fn compile_tree<'a>(
    body: &'a [Stmt],
    expr: Option<&'a Expr>,
    table: &'a SymbolTable,
    map: &'a SourceMap<'_>,
    filename: &'a str,
    mode: Mode,
) -> Result<Arc<CodeObject>, CompileError> {
    let mut c = Compiler {
        table,
        map,
        filename,
        interactive: mode == Mode::Single,
        units: Vec::new(),
    };
    c.push_unit(0, "<module>".into(), "<module>".into(), 1);
    c.unit().loc = Location {
        line: 1,
        end_line: 1,
        col: 0,
        end_col: 0,
    };
    c.emit(Instr::Resume(0));
    if let Some(e) = expr {
        c.expr(e)?;
        c.emit(Instr::ReturnValue);
    } else {
        let mut rest = body;
        if mode == Mode::Exec
            && let Some((doc, tail)) = docstring(body)
        {
            c.set_loc(body[0].range());
            c.load_const(Constant::Str(doc));
            c.store_name_raw("__doc__");
            rest = tail;
        }
        c.body(rest)?;
        c.load_const(Constant::None);
        c.emit(Instr::ReturnValue);
    }
    c.finish_unit()
}

/// The docstring of a body (a leading plain string literal statement), and the rest.
fn docstring(body: &[Stmt]) -> Option<(String, &[Stmt])> {
    let (first, rest) = body.split_first()?;
    if let Stmt::Expr(e) = first
        && let Expr::StringLiteral(s) = &*e.value
    {
        return Some((s.value.to_str().to_string(), rest));
    }
    None
}

impl<'a, 's> Compiler<'a, 's> {
    // ----- units -----

    fn unit(&mut self) -> &mut Unit<'a> {
        self.units
            .last_mut()
            .expect("a unit is always being compiled")
    }

    fn unit_ref(&self) -> &Unit<'a> {
        self.units.last().expect("a unit is always being compiled")
    }

    fn push_unit(&mut self, scope: ScopeId, name: String, qualname: String, first_line: u32) {
        let s = &self.table.scopes[scope];
        let mut varnames: Vec<String> = Vec::new();
        if s.kind.is_function_like() {
            varnames.extend(s.params.iter().cloned());
            let params: std::collections::HashSet<&str> =
                s.params.iter().map(String::as_str).collect();
            for sym in &s.symbols {
                if sym.scope == SymbolScope::Local && !params.contains(sym.name.as_str()) {
                    varnames.push(sym.name.clone());
                }
            }
        }
        let var_index = varnames
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        let cellvars = s.cellvars();
        let freevars = s.freevars();
        let mut flags = 0;
        if s.kind.is_function_like() {
            flags |= CodeFlags::OPTIMIZED | CodeFlags::NEWLOCALS;
        }
        if s.nested && s.kind.is_function_like() {
            flags |= CodeFlags::NESTED;
        }
        if s.is_generator {
            flags |= CodeFlags::GENERATOR;
        }
        if cellvars.is_empty() && freevars.is_empty() {
            flags |= CodeFlags::NOFREE;
        }
        let loc = self.units.last().map(|u| u.loc).unwrap_or_default();
        self.units.push(Unit {
            scope,
            kind: s.kind,
            name,
            qualname,
            instrs: Vec::new(),
            label_pos: Vec::new(),
            label_depth: Vec::new(),
            handlers: Vec::new(),
            handler_stack: Vec::new(),
            fblocks: Vec::new(),
            consts: Vec::new(),
            const_index: HashMap::new(),
            names: Vec::new(),
            name_index: HashMap::new(),
            varnames,
            var_index,
            cellvars,
            freevars,
            depth: 0,
            loc,
            first_line,
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            flags,
            private: s.private.clone(),
            is_async: s.is_async,
        });
    }

    fn finish_unit(&mut self) -> Result<Arc<CodeObject>, CompileError> {
        let u = self.units.pop().expect("a unit is always being compiled");
        let first_line = u.first_line;
        let raw = RawCode {
            name: u.name,
            qualname: u.qualname,
            filename: self.filename.to_string(),
            first_line,
            argcount: u.argcount,
            posonlyargcount: u.posonlyargcount,
            kwonlyargcount: u.kwonlyargcount,
            flags: CodeFlags(u.flags),
            varnames: u.varnames,
            cellvars: u.cellvars,
            freevars: u.freevars,
            names: u.names,
            constants: u.consts,
            instrs: u.instrs,
            label_pos: u.label_pos,
            handlers: u.handlers,
        };
        match assemble::assemble(raw) {
            Ok(code) => Ok(Arc::new(code)),
            Err(msg) => Err(CompileError {
                kind: ErrorKind::SystemError,
                message: format!("internal compiler error: {msg}"),
                filename: self.filename.to_string(),
                line: first_line,
                column: 0,
                end_line: first_line,
                end_column: None,
                text: self.map.line_text(first_line).map(str::to_string),
            }),
        }
    }

    /// The qualified name of a new scope named `name` defined in the current unit.
    fn qualname_for(&self, name: &str, kind: ScopeKind) -> String {
        if self.units.len() <= 1 {
            return name.to_string();
        }
        let parent = self.unit_ref();
        if matches!(kind, ScopeKind::Function | ScopeKind::Class) {
            let mangled = mangle(parent.private.as_deref(), name);
            if let Some(sym) = self.table.scopes[parent.scope].lookup(&mangled)
                && sym.scope == SymbolScope::GlobalExplicit
            {
                return name.to_string();
            }
        }
        if matches!(parent.kind, ScopeKind::Function | ScopeKind::Lambda) {
            format!("{}.<locals>.{name}", parent.qualname)
        } else {
            format!("{}.{name}", parent.qualname)
        }
    }

    // ----- errors and locations -----

    fn error(&self, msg: impl Into<String>, range: TextRange) -> CompileError {
        self.map
            .error(ErrorKind::SyntaxError, msg, self.filename, range)
    }

    fn location(&self, range: TextRange) -> Location {
        let (line, col) = self.map.position(range.start());
        let (end_line, end_col) = self.map.position(range.end());
        Location {
            line,
            end_line,
            col,
            end_col,
        }
    }

    fn set_loc(&mut self, range: TextRange) {
        let loc = self.location(range);
        self.unit().loc = loc;
    }

    // ----- emission -----

    fn emit(&mut self, instr: Instr) {
        let u = self.unit();
        let handler = u.handler_stack.last().copied();
        u.depth += instr.stack_effect(false);
        u.instrs.push(Emitted {
            instr,
            loc: u.loc,
            handler,
        });
    }

    fn new_label(&mut self) -> Label {
        let u = self.unit();
        u.label_pos.push(None);
        u.label_depth.push(None);
        Label(u.label_pos.len() as u32 - 1)
    }

    /// Emits a jump to `label` (`make` builds the instruction from a target).
    fn jump(&mut self, make: fn(Target) -> Instr, label: Label) {
        let instr = make(Target(label.0));
        let u = self.unit();
        let at_target = u.depth + instr.stack_effect(true);
        let slot = &mut u.label_depth[label.0 as usize];
        if slot.is_none() {
            *slot = Some(at_target);
        }
        self.emit(instr);
    }

    fn bind(&mut self, label: Label) {
        let u = self.unit();
        u.label_pos[label.0 as usize] = Some(u.instrs.len() as u32);
        if let Some(d) = u.label_depth[label.0 as usize] {
            u.depth = d;
        }
    }

    fn depth(&mut self) -> i32 {
        self.unit().depth
    }

    fn set_depth(&mut self, depth: i32) {
        self.unit().depth = depth;
    }

    /// Pushes an exception handler covering the instructions emitted until it is popped.
    fn push_handler(&mut self, label: Label, depth: i32, lasti: bool) -> u32 {
        let u = self.unit();
        u.handlers.push(HandlerInfo {
            label: label.0,
            depth: depth.max(0) as u32,
            lasti,
        });
        let id = u.handlers.len() as u32 - 1;
        u.handler_stack.push(id);
        id
    }

    fn repush_handler(&mut self, id: u32) {
        self.unit().handler_stack.push(id);
    }

    fn pop_handler(&mut self) {
        self.unit().handler_stack.pop();
    }

    fn add_const(&mut self, c: Constant) -> u32 {
        let key = const_key(&c);
        let u = self.unit();
        if let Some(&i) = u.const_index.get(&key) {
            return i;
        }
        u.consts.push(c);
        let i = u.consts.len() as u32 - 1;
        u.const_index.insert(key, i);
        i
    }

    fn load_const(&mut self, c: Constant) {
        let i = self.add_const(c);
        self.emit(Instr::LoadConst(i));
    }

    fn add_name(&mut self, name: &str) -> u32 {
        let u = self.unit();
        if let Some(&i) = u.name_index.get(name) {
            return i;
        }
        u.names.push(name.to_string());
        let i = u.names.len() as u32 - 1;
        u.name_index.insert(name.to_string(), i);
        i
    }

    fn store_name_raw(&mut self, name: &str) {
        let i = self.add_name(name);
        self.emit(Instr::StoreName(i));
    }

    fn mangle(&self, name: &str) -> String {
        mangle(self.unit_ref().private.as_deref(), name)
    }

    // ----- names -----

    /// Emits the load, store or delete of a variable, choosing the instruction family from
    /// the symbol table.
    fn name_op(&mut self, raw: &str, ctx: Ctx, range: TextRange) -> R {
        if raw == "__debug__" {
            match ctx {
                Ctx::Load => {
                    self.load_const(Constant::Bool(true));
                    return Ok(());
                }
                Ctx::Store => return Err(self.error("cannot assign to __debug__", range)),
                Ctx::Del => return Err(self.error("cannot delete __debug__", range)),
            }
        }
        let name = self.mangle(raw);
        let u = self.unit_ref();
        let kind = u.kind;
        let sym = self.table.scopes[u.scope].lookup(&name);
        let scope = sym.map(|s| s.scope);
        let nlocals = u.varnames.len() as u32;
        let cell_slot = u
            .cellvars
            .iter()
            .position(|c| *c == name)
            .map(|i| nlocals + i as u32);
        let free_slot = u
            .freevars
            .iter()
            .position(|c| *c == name)
            .map(|i| nlocals + u.cellvars.len() as u32 + i as u32);
        let fast = u.var_index.get(&name).copied();
        let function_like = kind.is_function_like();
        enum Op {
            Fast(u32),
            Deref(u32),
            Global,
            Name,
        }
        let op = match scope {
            Some(SymbolScope::Cell) => match cell_slot {
                Some(s) => Op::Deref(s),
                None => Op::Name,
            },
            Some(SymbolScope::Free) => match free_slot {
                Some(s) => Op::Deref(s),
                None => Op::Name,
            },
            Some(SymbolScope::Local) => match (function_like, fast) {
                (true, Some(i)) => Op::Fast(i),
                _ => Op::Name,
            },
            Some(SymbolScope::GlobalExplicit) => Op::Global,
            Some(SymbolScope::GlobalImplicit) | None => {
                if function_like {
                    Op::Global
                } else {
                    Op::Name
                }
            }
        };
        let instr = match op {
            Op::Fast(i) => match ctx {
                Ctx::Load => Instr::LoadFast(i),
                Ctx::Store => Instr::StoreFast(i),
                Ctx::Del => Instr::DeleteFast(i),
            },
            Op::Deref(slot) => match ctx {
                Ctx::Load => {
                    if kind == ScopeKind::Class {
                        Instr::LoadClassDeref(slot)
                    } else {
                        Instr::LoadDeref(slot)
                    }
                }
                Ctx::Store => Instr::StoreDeref(slot),
                Ctx::Del => Instr::DeleteDeref(slot),
            },
            Op::Global => {
                let i = self.add_name(&name);
                match ctx {
                    Ctx::Load => Instr::LoadGlobal(crate::instr::GlobalArg {
                        name: i,
                        push_null: false,
                    }),
                    Ctx::Store => Instr::StoreGlobal(i),
                    Ctx::Del => Instr::DeleteGlobal(i),
                }
            }
            Op::Name => {
                let i = self.add_name(&name);
                match ctx {
                    Ctx::Load => Instr::LoadName(i),
                    Ctx::Store => Instr::StoreName(i),
                    Ctx::Del => Instr::DeleteName(i),
                }
            }
        };
        self.emit(instr);
        Ok(())
    }

    // ----- nested code objects -----

    /// Emits the prologue of a unit: cells, free variables, `RESUME`.
    fn prologue(&mut self) {
        let u = self.unit_ref();
        let nlocals = u.varnames.len() as u32;
        let cells: Vec<(u32, Option<u32>)> = u
            .cellvars
            .iter()
            .enumerate()
            .map(|(i, name)| (nlocals + i as u32, u.var_index.get(name).copied()))
            .collect();
        let nfree = u.freevars.len() as u32;
        let saved = u.loc;
        self.unit().loc = Location::default();
        for &(slot, _) in &cells {
            self.emit(Instr::MakeCell(slot));
        }
        for &(slot, arg) in &cells {
            if let Some(arg) = arg {
                self.emit(Instr::LoadFast(arg));
                self.emit(Instr::StoreDeref(slot));
            }
        }
        if nfree > 0 {
            self.emit(Instr::CopyFreeVars(nfree));
        }
        self.unit().loc = saved;
        self.emit(Instr::Resume(0));
    }

    /// Pushes the closure (if the code has free variables) and the code object, then emits
    /// `MAKE_FUNCTION` with `flags` (plus the closure flag).
    fn make_closure(&mut self, code: Arc<CodeObject>, mut flags: u8) -> R {
        if !code.freevars.is_empty() {
            for name in code.freevars.clone() {
                let u = self.unit_ref();
                let nlocals = u.varnames.len() as u32;
                let slot = if let Some(i) = u.cellvars.iter().position(|c| *c == name) {
                    nlocals + i as u32
                } else if let Some(i) = u.freevars.iter().position(|c| *c == name) {
                    nlocals + u.cellvars.len() as u32 + i as u32
                } else {
                    let msg = format!("no cell for free variable '{name}'");
                    return Err(self.internal(&msg, TextRange::default()));
                };
                self.emit(Instr::LoadClosure(slot));
            }
            self.emit(Instr::BuildTuple(code.freevars.len() as u32));
            flags |= crate::instr::MakeFunctionFlags::CLOSURE;
        }
        self.load_const(Constant::Code(code));
        self.emit(Instr::MakeFunction(crate::instr::MakeFunctionFlags(flags)));
        Ok(())
    }

    /// Emits the default-value tuple and keyword-default dict of `params`; returns the
    /// `MAKE_FUNCTION` flags for them.
    fn defaults(&mut self, params: &'a ast::Parameters) -> Result<u8, CompileError> {
        let mut flags = 0;
        let positional: Vec<&'a Expr> = params
            .posonlyargs
            .iter()
            .chain(&params.args)
            .filter_map(|p| p.default.as_deref())
            .collect();
        if !positional.is_empty() {
            let folded: Option<Vec<Constant>> =
                positional.iter().map(|e| crate::fold::fold(e)).collect();
            match folded {
                Some(values) => self.load_const(Constant::Tuple(values)),
                None => {
                    for e in &positional {
                        self.expr(e)?;
                    }
                    self.emit(Instr::BuildTuple(positional.len() as u32));
                }
            }
            flags |= crate::instr::MakeFunctionFlags::DEFAULTS;
        }
        let kw: Vec<(&'a ast::ParameterWithDefault, &'a Expr)> = params
            .kwonlyargs
            .iter()
            .filter_map(|p| p.default.as_deref().map(|d| (p, d)))
            .collect();
        if !kw.is_empty() {
            let mut keys = Vec::new();
            for (p, d) in &kw {
                self.expr(d)?;
                keys.push(Constant::Str(self.mangle(p.name().as_str())));
            }
            self.load_const(Constant::Tuple(keys));
            self.emit(Instr::BuildConstKeyMap(kw.len() as u32));
            flags |= crate::instr::MakeFunctionFlags::KWDEFAULTS;
        }
        Ok(flags)
    }

    /// Sets the parameter counts and flags of the current unit from `params`.
    fn set_params(&mut self, params: Option<&ast::Parameters>) {
        let Some(p) = params else { return };
        let u = self.unit();
        u.posonlyargcount = p.posonlyargs.len() as u32;
        u.argcount = (p.posonlyargs.len() + p.args.len()) as u32;
        u.kwonlyargcount = p.kwonlyargs.len() as u32;
        if p.vararg.is_some() {
            u.flags |= CodeFlags::VARARGS;
        }
        if p.kwarg.is_some() {
            u.flags |= CodeFlags::VARKEYWORDS;
        }
    }

    fn scope_for(&self, key: (usize, u8), range: TextRange) -> Result<ScopeId, CompileError> {
        self.table
            .scope_of(key)
            .ok_or_else(|| self.internal("scope not found", range))
    }

    /// A `SystemError` for an impossible state (a compiler bug, reported instead of a panic).
    fn internal(&self, what: &str, range: TextRange) -> CompileError {
        let mut e = self.error(format!("internal compiler error: {what}"), range);
        e.kind = ErrorKind::SystemError;
        e
    }

    fn line_of(&self, range: TextRange) -> u32 {
        self.map.line(range.start())
    }
}
