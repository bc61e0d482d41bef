//! The symbol table: which names are local, global, free or cell in each scope.
//!
//! Two passes, as in CPython:
//!
//! 1. [`build`] walks the tree and records, per scope, every name with how it is used
//!    (assigned, a parameter, read, declared `global`/`nonlocal`, imported, ...). Scopes are
//!    the module, each class body, function, lambda and comprehension (Python 3.11
//!    semantics: every comprehension and generator expression is its own function scope,
//!    whose first iterable is evaluated outside and passed in as the parameter `.0`).
//!    Declaration errors are raised here (`nonlocal` at module level, `global` after use, ...).
//! 2. The analysis resolves every name to a [`SymbolScope`], from the outside in: names bound
//!    in an enclosing *function* scope are visible to nested scopes (class bodies are
//!    skipped), a local captured by an inner scope becomes a cell, and the capturing scopes
//!    get it as a free variable (scopes in between pass it through). A method that uses
//!    `super` or `__class__` makes its class body keep an implicit `__class__` cell.
//!
//! Names are stored *mangled* (`__x` inside `class C` is `_C__x`).

use std::collections::{HashMap, HashSet};

use crate::error::{CompileError, ErrorKind};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, SourceMap, TextRange};

/// Index of a scope in [`SymbolTable::scopes`].
pub type ScopeId = usize;

/// What kind of block a scope is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// The module (also `eval` and `single` input).
    Module,
    /// A class body.
    Class,
    /// A `def`.
    Function,
    /// A `lambda`.
    Lambda,
    /// A list/set/dict comprehension or generator expression.
    Comprehension,
}

impl ScopeKind {
    /// Functions, lambdas and comprehensions: scopes with fast locals.
    pub fn is_function_like(self) -> bool {
        matches!(
            self,
            ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension
        )
    }
}

/// Where a name lives, as resolved by the analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolScope {
    /// Bound in this scope (a fast local in functions, a mapping entry in module/class bodies).
    Local,
    /// Declared `global` (or bound by a walrus of a module-level comprehension).
    GlobalExplicit,
    /// Not bound anywhere visible: a global or builtin.
    GlobalImplicit,
    /// Bound in an enclosing function scope: read through the closure.
    Free,
    /// Local here and captured by an inner scope: lives in a cell.
    Cell,
}

/// Usage flags of a symbol.
pub mod flags {
    /// Assigned (or deleted, or a `for`/`with`/`except` target, or a def/class name).
    pub const DEF_LOCAL: u32 = 1;
    /// A parameter.
    pub const DEF_PARAM: u32 = 2;
    /// Read.
    pub const USE: u32 = 4;
    /// Declared `global`.
    pub const DEF_GLOBAL: u32 = 8;
    /// Declared `nonlocal` (or a walrus target inside a comprehension).
    pub const DEF_NONLOCAL: u32 = 16;
    /// Bound by an import.
    pub const DEF_IMPORT: u32 = 32;
    /// Annotated (`x: int`).
    pub const DEF_ANNOT: u32 = 64;
    /// A comprehension iteration variable.
    pub const DEF_COMP_ITER: u32 = 128;
    /// Class scope only: also a free variable passed through to methods.
    pub const DEF_FREE_CLASS: u32 = 256;
    /// Any binding.
    pub const DEF_BOUND: u32 = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;
}

/// One name of a scope.
#[derive(Clone, Debug)]
pub struct Symbol {
    /// The (mangled) name.
    pub name: String,
    /// [`flags`] bits.
    pub flags: u32,
    /// The resolved scope.
    pub scope: SymbolScope,
}

/// One scope.
#[derive(Clone, Debug)]
pub struct Scope {
    /// The block kind.
    pub kind: ScopeKind,
    /// The block name (`<module>`, the def/class name, `<lambda>`, `<listcomp>`, ...).
    pub name: String,
    /// The enclosing scope.
    pub parent: Option<ScopeId>,
    /// Nested scopes, in source order.
    pub children: Vec<ScopeId>,
    /// The symbols, in order of first appearance.
    pub symbols: Vec<Symbol>,
    index: HashMap<String, usize>,
    /// Parameter names in slot order (positional-only, positional, keyword-only, `*args`,
    /// `**kwargs`; `.0` for comprehensions).
    pub params: Vec<String>,
    /// Contains `yield` / `yield from` (or is a generator expression).
    pub is_generator: bool,
    /// An `async def`.
    pub is_async: bool,
    /// A class body whose methods use `super`/`__class__`: it keeps a `__class__` cell.
    pub needs_class_closure: bool,
    /// Has an enclosing function-like scope.
    pub nested: bool,
    /// The class name used for mangling private names in this scope.
    pub private: Option<String>,
    directives: HashMap<String, TextRange>,
}

impl Scope {
    fn new(kind: ScopeKind, name: String, parent: Option<ScopeId>) -> Scope {
        Scope {
            kind,
            name,
            parent,
            children: Vec::new(),
            symbols: Vec::new(),
            index: HashMap::new(),
            params: Vec::new(),
            is_generator: false,
            is_async: false,
            needs_class_closure: false,
            nested: false,
            private: None,
            directives: HashMap::new(),
        }
    }

    /// The symbol named `name` (already mangled).
    pub fn lookup(&self, name: &str) -> Option<&Symbol> {
        self.index.get(name).map(|&i| &self.symbols[i])
    }

    fn flags_of(&self, name: &str) -> u32 {
        self.lookup(name).map_or(0, |s| s.flags)
    }

    /// Cell variable names: parameters that are cells first (in parameter order), then the
    /// others sorted (`__class__` for classes that need it), as CPython orders them.
    pub fn cellvars(&self) -> Vec<String> {
        let is_cell = |name: &str| {
            self.lookup(name)
                .is_some_and(|s| s.scope == SymbolScope::Cell)
        };
        let mut v: Vec<String> = self.params.iter().filter(|p| is_cell(p)).cloned().collect();
        let params: HashSet<&str> = self.params.iter().map(String::as_str).collect();
        let mut rest: Vec<String> = self
            .symbols
            .iter()
            .filter(|s| s.scope == SymbolScope::Cell && !params.contains(s.name.as_str()))
            .map(|s| s.name.clone())
            .collect();
        if self.needs_class_closure {
            rest.push("__class__".to_string());
        }
        rest.sort();
        v.extend(rest);
        v
    }

    /// Free variable names, sorted (class bodies include the names they pass through).
    pub fn freevars(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .symbols
            .iter()
            .filter(|s| s.scope == SymbolScope::Free || s.flags & flags::DEF_FREE_CLASS != 0)
            .map(|s| s.name.clone())
            .collect();
        v.sort();
        v
    }
}

/// The scopes of one compilation.
#[derive(Debug)]
pub struct SymbolTable {
    /// All scopes; index 0 is the module.
    pub scopes: Vec<Scope>,
    by_node: HashMap<(usize, u8), ScopeId>,
}

/// The kinds of tree node that open a scope (part of the node key).
#[derive(Clone, Copy)]
pub(crate) enum NodeKind {
    Function = 0,
    Class = 1,
    Lambda = 2,
    Comprehension = 3,
}

/// The key of a scope-opening node: its address (the tree is not mutated while compiling).
pub(crate) fn node_key<T>(node: &T, kind: NodeKind) -> (usize, u8) {
    (node as *const T as usize, kind as u8)
}

impl SymbolTable {
    /// The scope opened by a node (see [`node_key`]).
    pub(crate) fn scope_of(&self, key: (usize, u8)) -> Option<ScopeId> {
        self.by_node.get(&key).copied()
    }
}

/// Mangles a private name (`__x` in `class C` → `_C__x`).
pub fn mangle(private: Option<&str>, name: &str) -> String {
    let Some(class) = private else {
        return name.to_string();
    };
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return name.to_string();
    }
    let stripped = class.trim_start_matches('_');
    if stripped.is_empty() {
        return name.to_string();
    }
    format!("_{stripped}{name}")
}

struct Builder<'a, 's> {
    table: SymbolTable,
    stack: Vec<ScopeId>,
    comp_iter_expr: Vec<u32>,
    comp_iter_target: bool,
    map: &'a SourceMap<'s>,
    filename: &'a str,
}

type Res = Result<(), CompileError>;

/// Builds and analyses the symbol table of a module (or of an expression, for `eval`).
pub fn build(
    body: &[Stmt],
    expr: Option<&Expr>,
    map: &SourceMap<'_>,
    filename: &str,
) -> Result<SymbolTable, CompileError> {
    let mut b = Builder {
        table: SymbolTable {
            scopes: vec![Scope::new(ScopeKind::Module, "<module>".into(), None)],
            by_node: HashMap::new(),
        },
        stack: vec![0],
        comp_iter_expr: vec![0],
        comp_iter_target: false,
        map,
        filename,
    };
    for stmt in body {
        b.visit_stmt(stmt)?;
    }
    if let Some(e) = expr {
        b.visit_expr(e)?;
    }
    let mut table = b.table;
    let mut bound = HashSet::new();
    let mut global = HashSet::new();
    analyze_block(&mut table, 0, &mut bound, &mut global, map, filename)?;
    Ok(table)
}

impl<'a, 's> Builder<'a, 's> {
    fn cur(&self) -> ScopeId {
        *self.stack.last().unwrap_or(&0)
    }

    fn scope(&mut self) -> &mut Scope {
        let id = self.cur();
        &mut self.table.scopes[id]
    }

    fn error(&self, msg: impl Into<String>, range: TextRange) -> CompileError {
        self.map
            .error(ErrorKind::SyntaxError, msg, self.filename, range)
    }

    fn mangle(&self, name: &str) -> String {
        mangle(self.table.scopes[self.cur()].private.as_deref(), name)
    }

    fn add_def_in(&mut self, id: ScopeId, name: &str, flag: u32) {
        let flag = if flag & flags::DEF_LOCAL != 0 && self.comp_iter_target && id == self.cur() {
            flag | flags::DEF_COMP_ITER
        } else {
            flag
        };
        let scope = &mut self.table.scopes[id];
        match scope.index.get(name) {
            Some(&i) => scope.symbols[i].flags |= flag,
            None => {
                scope.index.insert(name.to_string(), scope.symbols.len());
                scope.symbols.push(Symbol {
                    name: name.to_string(),
                    flags: flag,
                    scope: SymbolScope::GlobalImplicit,
                });
            }
        }
    }

    fn add_def(&mut self, raw_name: &str, flag: u32) {
        let name = self.mangle(raw_name);
        let id = self.cur();
        self.add_def_in(id, &name, flag);
    }

    fn enter(&mut self, kind: ScopeKind, name: String, key: (usize, u8)) -> ScopeId {
        let parent = self.cur();
        let id = self.table.scopes.len();
        let mut scope = Scope::new(kind, name, Some(parent));
        let parent_scope = &self.table.scopes[parent];
        scope.nested = parent_scope.nested || parent_scope.kind.is_function_like();
        scope.private = parent_scope.private.clone();
        self.table.scopes.push(scope);
        self.table.scopes[parent].children.push(id);
        self.table.by_node.insert(key, id);
        self.stack.push(id);
        self.comp_iter_expr.push(0);
        id
    }

    fn leave(&mut self) {
        self.stack.pop();
        self.comp_iter_expr.pop();
    }

    fn visit_body(&mut self, body: &[Stmt]) -> Res {
        for s in body {
            self.visit_stmt(s)?;
        }
        Ok(())
    }

    fn visit_params(&mut self, params: &ast::Parameters, owner: TextRange) -> Res {
        let mut seen: HashSet<String> = HashSet::new();
        let mut ordered: Vec<&ast::Parameter> = Vec::new();
        for p in params.posonlyargs.iter().chain(&params.args) {
            ordered.push(&p.parameter);
        }
        for p in &params.kwonlyargs {
            ordered.push(&p.parameter);
        }
        if let Some(v) = &params.vararg {
            ordered.push(v);
        }
        if let Some(k) = &params.kwarg {
            ordered.push(k);
        }
        for p in ordered {
            if p.name.as_str() == "__debug__" {
                return Err(self.error("cannot assign to __debug__", owner));
            }
            let name = self.mangle(p.name.as_str());
            if !seen.insert(name.clone()) {
                return Err(self.error(
                    format!(
                        "duplicate argument '{}' in function definition",
                        p.name.as_str()
                    ),
                    p.name.range,
                ));
            }
            self.add_def_in(self.cur(), &name, flags::DEF_PARAM);
            self.scope().params.push(name);
        }
        Ok(())
    }

    fn visit_defaults(&mut self, params: &ast::Parameters) -> Res {
        for p in params.iter_non_variadic_params() {
            if let Some(d) = &p.default {
                self.visit_expr(d)?;
            }
        }
        Ok(())
    }

    fn visit_stmt(&mut self, stmt: &Stmt) -> Res {
        match stmt {
            Stmt::FunctionDef(f) => {
                self.add_def(f.name.as_str(), flags::DEF_LOCAL);
                for d in &f.decorator_list {
                    self.visit_expr(&d.expression)?;
                }
                self.visit_defaults(&f.parameters)?;
                let name = f.name.as_str().to_string();
                self.enter(ScopeKind::Function, name, node_key(f, NodeKind::Function));
                self.scope().is_async = f.is_async;
                self.visit_params(&f.parameters, f.range)?;
                self.visit_body(&f.body)?;
                self.leave();
            }
            Stmt::ClassDef(c) => {
                self.add_def(c.name.as_str(), flags::DEF_LOCAL);
                for d in &c.decorator_list {
                    self.visit_expr(&d.expression)?;
                }
                if let Some(args) = &c.arguments {
                    for a in args.args.iter() {
                        self.visit_expr(a)?;
                    }
                    for k in &args.keywords {
                        self.visit_expr(&k.value)?;
                    }
                }
                let name = c.name.as_str().to_string();
                self.enter(ScopeKind::Class, name.clone(), node_key(c, NodeKind::Class));
                self.scope().private = Some(name);
                self.visit_body(&c.body)?;
                self.leave();
            }
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    self.visit_expr(v)?;
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.visit_expr(t)?;
                }
            }
            Stmt::Assign(a) => {
                for t in &a.targets {
                    self.visit_expr(t)?;
                }
                self.visit_expr(&a.value)?;
            }
            Stmt::AugAssign(a) => {
                self.visit_expr(&a.target)?;
                self.visit_expr(&a.value)?;
            }
            Stmt::AnnAssign(a) => {
                if let Expr::Name(n) = &*a.target {
                    let name = self.mangle(n.id.as_str());
                    let cur = self.table.scopes[self.cur()].flags_of(&name);
                    if cur & (flags::DEF_GLOBAL | flags::DEF_NONLOCAL) != 0 && a.simple {
                        let what = if cur & flags::DEF_GLOBAL != 0 {
                            "global"
                        } else {
                            "nonlocal"
                        };
                        return Err(self.error(
                            format!("annotated name '{}' can't be {what}", n.id.as_str()),
                            a.range,
                        ));
                    }
                    let flag = if a.simple {
                        flags::DEF_ANNOT | flags::DEF_LOCAL
                    } else if a.value.is_some() {
                        flags::DEF_LOCAL
                    } else {
                        0
                    };
                    if flag != 0 {
                        self.add_def(n.id.as_str(), flag);
                    }
                } else {
                    self.visit_expr(&a.target)?;
                }
                if let Some(v) = &a.value {
                    self.visit_expr(v)?;
                }
            }
            Stmt::For(f) => {
                self.visit_expr(&f.target)?;
                self.visit_expr(&f.iter)?;
                self.visit_body(&f.body)?;
                self.visit_body(&f.orelse)?;
            }
            Stmt::While(w) => {
                self.visit_expr(&w.test)?;
                self.visit_body(&w.body)?;
                self.visit_body(&w.orelse)?;
            }
            Stmt::If(i) => {
                self.visit_expr(&i.test)?;
                self.visit_body(&i.body)?;
                for clause in &i.elif_else_clauses {
                    if let Some(t) = &clause.test {
                        self.visit_expr(t)?;
                    }
                    self.visit_body(&clause.body)?;
                }
            }
            Stmt::With(w) => {
                for item in &w.items {
                    self.visit_expr(&item.context_expr)?;
                    if let Some(v) = &item.optional_vars {
                        self.visit_expr(v)?;
                    }
                }
                self.visit_body(&w.body)?;
            }
            Stmt::Match(m) => {
                // Code generation refuses `match`; visit what can be visited so nested scopes
                // still get their tables.
                self.visit_expr(&m.subject)?;
                for case in &m.cases {
                    if let Some(g) = &case.guard {
                        self.visit_expr(g)?;
                    }
                    self.visit_body(&case.body)?;
                }
            }
            Stmt::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.visit_expr(e)?;
                }
                if let Some(c) = &r.cause {
                    self.visit_expr(c)?;
                }
            }
            Stmt::Try(t) => {
                self.visit_body(&t.body)?;
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(ty) = &h.type_ {
                        self.visit_expr(ty)?;
                    }
                    if let Some(name) = &h.name {
                        self.add_def(name.as_str(), flags::DEF_LOCAL);
                    }
                    self.visit_body(&h.body)?;
                }
                self.visit_body(&t.orelse)?;
                self.visit_body(&t.finalbody)?;
            }
            Stmt::Assert(a) => {
                self.visit_expr(&a.test)?;
                if let Some(m) = &a.msg {
                    self.visit_expr(m)?;
                }
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    let stored = match &alias.asname {
                        Some(a) => a.as_str(),
                        None => alias
                            .name
                            .as_str()
                            .split('.')
                            .next()
                            .unwrap_or(alias.name.as_str()),
                    };
                    self.add_def(stored, flags::DEF_IMPORT);
                }
            }
            Stmt::ImportFrom(i) => {
                for alias in &i.names {
                    if alias.name.as_str() == "*" {
                        if self.table.scopes[self.cur()].kind != ScopeKind::Module {
                            return Err(
                                self.error("import * only allowed at module level", alias.range)
                            );
                        }
                        continue;
                    }
                    let stored = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.add_def(stored.as_str(), flags::DEF_IMPORT);
                }
            }
            Stmt::Global(g) => {
                for n in &g.names {
                    let name = self.mangle(n.as_str());
                    let cur = self.table.scopes[self.cur()].flags_of(&name);
                    if cur & (flags::DEF_PARAM | flags::DEF_LOCAL | flags::USE | flags::DEF_ANNOT)
                        != 0
                    {
                        let raw = n.as_str();
                        let msg = if cur & flags::DEF_PARAM != 0 {
                            format!("name '{raw}' is parameter and global")
                        } else if cur & flags::USE != 0 {
                            format!("name '{raw}' is used prior to global declaration")
                        } else if cur & flags::DEF_ANNOT != 0 {
                            format!("annotated name '{raw}' can't be global")
                        } else {
                            format!("name '{raw}' is assigned to before global declaration")
                        };
                        return Err(self.error(msg, g.range));
                    }
                    self.add_def(n.as_str(), flags::DEF_GLOBAL);
                    self.scope().directives.entry(name).or_insert(g.range);
                }
            }
            Stmt::Nonlocal(nl) => {
                if self.table.scopes[self.cur()].kind == ScopeKind::Module {
                    return Err(
                        self.error("nonlocal declaration not allowed at module level", nl.range)
                    );
                }
                for n in &nl.names {
                    let name = self.mangle(n.as_str());
                    let cur = self.table.scopes[self.cur()].flags_of(&name);
                    if cur & (flags::DEF_PARAM | flags::DEF_LOCAL | flags::USE | flags::DEF_ANNOT)
                        != 0
                    {
                        let raw = n.as_str();
                        let msg = if cur & flags::DEF_PARAM != 0 {
                            format!("name '{raw}' is parameter and nonlocal")
                        } else if cur & flags::USE != 0 {
                            format!("name '{raw}' is used prior to nonlocal declaration")
                        } else if cur & flags::DEF_ANNOT != 0 {
                            format!("annotated name '{raw}' can't be nonlocal")
                        } else {
                            format!("name '{raw}' is assigned to before nonlocal declaration")
                        };
                        return Err(self.error(msg, nl.range));
                    }
                    self.add_def(n.as_str(), flags::DEF_NONLOCAL);
                    self.scope().directives.entry(name).or_insert(nl.range);
                }
            }
            Stmt::Expr(e) => self.visit_expr(&e.value)?,
            Stmt::TypeAlias(t) => {
                self.visit_expr(&t.name)?;
                self.visit_expr(&t.value)?;
            }
            Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) | Stmt::IpyEscapeCommand(_) => {}
        }
        Ok(())
    }

    fn visit_exprs<'e>(&mut self, exprs: impl IntoIterator<Item = &'e Expr>) -> Res {
        for e in exprs {
            self.visit_expr(e)?;
        }
        Ok(())
    }

    fn visit_expr(&mut self, expr: &Expr) -> Res {
        match expr {
            Expr::Name(n) => {
                let flag = match n.ctx {
                    ast::ExprContext::Load | ast::ExprContext::Invalid => flags::USE,
                    ast::ExprContext::Store | ast::ExprContext::Del => flags::DEF_LOCAL,
                };
                self.add_def(n.id.as_str(), flag);
                if flag == flags::USE
                    && n.id.as_str() == "super"
                    && self.table.scopes[self.cur()].kind.is_function_like()
                {
                    let id = self.cur();
                    self.add_def_in(id, "__class__", flags::USE);
                }
            }
            Expr::BoolOp(b) => self.visit_exprs(&b.values)?,
            Expr::Named(n) => {
                if self.comp_iter_expr.last().copied().unwrap_or(0) > 0 {
                    return Err(self.error(
                        "assignment expression cannot be used in a comprehension iterable expression",
                        n.range,
                    ));
                }
                self.visit_expr(&n.value)?;
                if let Expr::Name(target) = &*n.target {
                    if self.table.scopes[self.cur()].kind == ScopeKind::Comprehension {
                        self.extend_namedexpr_scope(target)?;
                    } else {
                        self.visit_expr(&n.target)?;
                    }
                } else {
                    self.visit_expr(&n.target)?;
                }
            }
            Expr::BinOp(b) => {
                self.visit_expr(&b.left)?;
                self.visit_expr(&b.right)?;
            }
            Expr::UnaryOp(u) => self.visit_expr(&u.operand)?,
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.visit_defaults(p)?;
                }
                self.enter(
                    ScopeKind::Lambda,
                    "<lambda>".into(),
                    node_key(l, NodeKind::Lambda),
                );
                if let Some(p) = &l.parameters {
                    self.visit_params(p, l.range)?;
                }
                self.visit_expr(&l.body)?;
                self.leave();
            }
            Expr::If(i) => {
                self.visit_expr(&i.test)?;
                self.visit_expr(&i.body)?;
                self.visit_expr(&i.orelse)?;
            }
            Expr::Dict(d) => {
                for item in &d.items {
                    if let Some(k) = &item.key {
                        self.visit_expr(k)?;
                    }
                    self.visit_expr(&item.value)?;
                }
            }
            Expr::Set(s) => self.visit_exprs(&s.elts)?,
            Expr::ListComp(c) => {
                self.comprehension(
                    node_key(c, NodeKind::Comprehension),
                    "<listcomp>",
                    &c.generators,
                    &[&c.elt],
                    false,
                )?;
            }
            Expr::SetComp(c) => {
                self.comprehension(
                    node_key(c, NodeKind::Comprehension),
                    "<setcomp>",
                    &c.generators,
                    &[&c.elt],
                    false,
                )?;
            }
            Expr::DictComp(c) => {
                let mut elts: Vec<&Expr> = Vec::new();
                if let Some(k) = &c.key {
                    elts.push(k);
                }
                elts.push(&c.value);
                self.comprehension(
                    node_key(c, NodeKind::Comprehension),
                    "<dictcomp>",
                    &c.generators,
                    &elts,
                    false,
                )?;
            }
            Expr::Generator(g) => {
                self.comprehension(
                    node_key(g, NodeKind::Comprehension),
                    "<genexpr>",
                    &g.generators,
                    &[&g.elt],
                    true,
                )?;
            }
            Expr::Await(a) => self.visit_expr(&a.value)?,
            Expr::Yield(y) => {
                self.check_yield(expr.range())?;
                if let Some(v) = &y.value {
                    self.visit_expr(v)?;
                }
            }
            Expr::YieldFrom(y) => {
                self.check_yield(expr.range())?;
                self.visit_expr(&y.value)?;
            }
            Expr::Compare(c) => {
                self.visit_expr(&c.left)?;
                self.visit_exprs(c.comparators.iter())?;
            }
            Expr::Call(c) => {
                self.visit_expr(&c.func)?;
                self.visit_exprs(c.arguments.args.iter())?;
                for k in &c.arguments.keywords {
                    self.visit_expr(&k.value)?;
                }
            }
            Expr::FString(f) => {
                for element in f.value.elements() {
                    self.visit_fstring_element(element)?;
                }
            }
            Expr::TString(_) => {}
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
            | Expr::IpyEscapeCommand(_) => {}
            Expr::Attribute(a) => self.visit_expr(&a.value)?,
            Expr::Subscript(s) => {
                self.visit_expr(&s.value)?;
                self.visit_expr(&s.slice)?;
            }
            Expr::Starred(s) => self.visit_expr(&s.value)?,
            Expr::List(l) => self.visit_exprs(&l.elts)?,
            Expr::Tuple(t) => self.visit_exprs(&t.elts)?,
            Expr::Slice(s) => {
                for part in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.visit_expr(part)?;
                }
            }
        }
        Ok(())
    }

    fn visit_fstring_element(&mut self, element: &ast::InterpolatedStringElement) -> Res {
        if let ast::InterpolatedStringElement::Interpolation(i) = element {
            self.visit_expr(&i.expression)?;
            if let Some(spec) = &i.format_spec {
                for e in spec.elements.iter() {
                    self.visit_fstring_element(e)?;
                }
            }
        }
        Ok(())
    }

    fn check_yield(&mut self, range: TextRange) -> Res {
        let scope = &self.table.scopes[self.cur()];
        match scope.kind {
            ScopeKind::Module | ScopeKind::Class => {
                Err(self.error("'yield' outside function", range))
            }
            ScopeKind::Comprehension => {
                let what = match scope.name.as_str() {
                    "<listcomp>" => "list comprehension",
                    "<setcomp>" => "set comprehension",
                    "<dictcomp>" => "dict comprehension",
                    _ => "generator expression",
                };
                Err(self.error(format!("'yield' inside {what}"), range))
            }
            ScopeKind::Function | ScopeKind::Lambda => {
                self.scope().is_generator = true;
                Ok(())
            }
        }
    }

    fn comprehension(
        &mut self,
        key: (usize, u8),
        name: &str,
        generators: &[ast::Comprehension],
        elts: &[&Expr],
        is_generator: bool,
    ) -> Res {
        let Some(first) = generators.first() else {
            return Ok(());
        };
        // The outermost iterable is evaluated in the enclosing scope.
        *self.comp_iter_expr.last_mut().unwrap_or(&mut 0) += 1;
        let r = self.visit_expr(&first.iter);
        if let Some(c) = self.comp_iter_expr.last_mut() {
            *c = c.saturating_sub(1);
        }
        r?;
        self.enter(ScopeKind::Comprehension, name.to_string(), key);
        self.scope().is_generator = is_generator;
        let id = self.cur();
        self.add_def_in(id, ".0", flags::DEF_PARAM);
        self.scope().params.push(".0".into());
        for (i, g) in generators.iter().enumerate() {
            if i > 0 {
                *self.comp_iter_expr.last_mut().unwrap_or(&mut 0) += 1;
                let r = self.visit_expr(&g.iter);
                if let Some(c) = self.comp_iter_expr.last_mut() {
                    *c = c.saturating_sub(1);
                }
                r?;
            }
            self.comp_iter_target = true;
            let r = self.visit_expr(&g.target);
            self.comp_iter_target = false;
            r?;
            self.visit_exprs(&g.ifs)?;
        }
        for e in elts {
            self.visit_expr(e)?;
        }
        self.leave();
        Ok(())
    }

    fn extend_namedexpr_scope(&mut self, target: &ast::ExprName) -> Res {
        let name = self.mangle(target.id.as_str());
        let cur = self.cur();
        for &id in self.stack.clone().iter().rev() {
            let kind = self.table.scopes[id].kind;
            match kind {
                ScopeKind::Comprehension => {
                    if self.table.scopes[id].flags_of(&name) & flags::DEF_COMP_ITER != 0 {
                        return Err(self.error(
                            format!(
                                "assignment expression cannot rebind comprehension iteration variable '{}'",
                                target.id.as_str()
                            ),
                            target.range,
                        ));
                    }
                }
                ScopeKind::Function | ScopeKind::Lambda => {
                    // A name declared global in the function stays global in the
                    // comprehension; otherwise it binds the function's local.
                    let decl = if self.table.scopes[id].flags_of(&name) & flags::DEF_GLOBAL != 0 {
                        flags::DEF_GLOBAL
                    } else {
                        flags::DEF_NONLOCAL
                    };
                    self.add_def_in(cur, &name, decl);
                    self.table.scopes[cur]
                        .directives
                        .entry(name.clone())
                        .or_insert(target.range);
                    self.add_def_in(id, &name, flags::DEF_LOCAL);
                    return Ok(());
                }
                ScopeKind::Module => {
                    self.add_def_in(cur, &name, flags::DEF_GLOBAL);
                    self.table.scopes[cur]
                        .directives
                        .entry(name.clone())
                        .or_insert(target.range);
                    self.add_def_in(id, &name, flags::DEF_GLOBAL);
                    return Ok(());
                }
                ScopeKind::Class => {
                    return Err(self.error(
                        "assignment expression within a comprehension cannot be used in a class body",
                        target.range,
                    ));
                }
            }
        }
        Ok(())
    }
}

fn directive_error(
    scope: &Scope,
    name: &str,
    msg: String,
    map: &SourceMap<'_>,
    filename: &str,
) -> CompileError {
    let range = scope
        .directives
        .get(name)
        .copied()
        .unwrap_or_else(|| TextRange::empty(0.into()));
    map.error(ErrorKind::SyntaxError, msg, filename, range)
}

fn analyze_block(
    table: &mut SymbolTable,
    id: ScopeId,
    bound: &mut HashSet<String>,
    global: &mut HashSet<String>,
    map: &SourceMap<'_>,
    filename: &str,
) -> Result<HashSet<String>, CompileError> {
    let kind = table.scopes[id].kind;
    let mut local: HashSet<String> = HashSet::new();
    let mut free: HashSet<String> = HashSet::new();
    let mut newglobal: HashSet<String> = HashSet::new();
    let mut newbound: HashSet<String> = HashSet::new();
    if kind == ScopeKind::Class {
        newglobal.extend(global.iter().cloned());
        newbound.extend(bound.iter().cloned());
    }
    for i in 0..table.scopes[id].symbols.len() {
        let (name, fl) = {
            let s = &table.scopes[id].symbols[i];
            (s.name.clone(), s.flags)
        };
        let scope = if fl & flags::DEF_GLOBAL != 0 {
            if fl & flags::DEF_NONLOCAL != 0 {
                return Err(directive_error(
                    &table.scopes[id],
                    &name,
                    format!("name '{name}' is nonlocal and global"),
                    map,
                    filename,
                ));
            }
            global.insert(name.clone());
            bound.remove(&name);
            SymbolScope::GlobalExplicit
        } else if fl & flags::DEF_NONLOCAL != 0 {
            if !bound.contains(&name) {
                return Err(directive_error(
                    &table.scopes[id],
                    &name,
                    format!("no binding for nonlocal '{name}' found"),
                    map,
                    filename,
                ));
            }
            free.insert(name.clone());
            SymbolScope::Free
        } else if fl & flags::DEF_BOUND != 0 {
            local.insert(name.clone());
            global.remove(&name);
            SymbolScope::Local
        } else if bound.contains(&name) {
            free.insert(name.clone());
            SymbolScope::Free
        } else {
            SymbolScope::GlobalImplicit
        };
        table.scopes[id].symbols[i].scope = scope;
    }
    if kind != ScopeKind::Class {
        if kind.is_function_like() {
            newbound.extend(local.iter().cloned());
        }
        newbound.extend(bound.iter().cloned());
        newglobal.extend(global.iter().cloned());
    } else {
        newbound.insert("__class__".to_string());
    }
    let mut newfree: HashSet<String> = HashSet::new();
    let children = table.scopes[id].children.clone();
    for child in children {
        let mut cb = newbound.clone();
        let mut cg = newglobal.clone();
        let child_free = analyze_block(table, child, &mut cb, &mut cg, map, filename)?;
        newfree.extend(child_free);
    }
    if kind == ScopeKind::Class && newfree.remove("__class__") {
        table.scopes[id].needs_class_closure = true;
    }
    if kind.is_function_like() {
        for sym in table.scopes[id].symbols.iter_mut() {
            if sym.scope == SymbolScope::Local && newfree.remove(&sym.name) {
                sym.scope = SymbolScope::Cell;
            }
        }
    }
    // Free names of children that this scope does not resolve itself pass through it.
    let mut pass: Vec<String> = newfree.iter().cloned().collect();
    pass.sort();
    for name in pass {
        let scope = &mut table.scopes[id];
        if let Some(&i) = scope.index.get(&name) {
            if kind == ScopeKind::Class
                && scope.symbols[i].flags & (flags::DEF_BOUND | flags::DEF_GLOBAL) != 0
            {
                scope.symbols[i].flags |= flags::DEF_FREE_CLASS;
            }
            continue;
        }
        if !bound.contains(&name) {
            continue;
        }
        scope.index.insert(name.clone(), scope.symbols.len());
        scope.symbols.push(Symbol {
            name,
            flags: 0,
            scope: SymbolScope::Free,
        });
    }
    newfree.extend(free);
    Ok(newfree)
}
