//! Statements.

use std::sync::Arc;

use super::{Compiler, Ctx, FBlock, R};
use crate::code::{CodeObject, Constant, Location};
use crate::error::CompileError;
use crate::instr::{BinaryOp, Instr, UnpackExArgs};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange, TextSize, expr_kind_name};
use crate::symtable::{NodeKind, ScopeKind, node_key};

/// The in-place `BINARY_OP` operator of an augmented assignment.
pub(super) fn binary_op(op: ast::Operator) -> BinaryOp {
    use ast::Operator as O;
    match op {
        O::Add => BinaryOp::Add,
        O::Sub => BinaryOp::Subtract,
        O::Mult => BinaryOp::Multiply,
        O::MatMult => BinaryOp::MatrixMultiply,
        O::Div => BinaryOp::TrueDivide,
        O::Mod => BinaryOp::Remainder,
        O::Pow => BinaryOp::Power,
        O::LShift => BinaryOp::Lshift,
        O::RShift => BinaryOp::Rshift,
        O::BitOr => BinaryOp::Or,
        O::BitXor => BinaryOp::Xor,
        O::BitAnd => BinaryOp::And,
        O::FloorDiv => BinaryOp::FloorDivide,
    }
}

impl<'a, 's> Compiler<'a, 's> {
    pub(super) fn body(&mut self, stmts: &'a [Stmt]) -> R {
        for s in stmts {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &'a Stmt) -> R {
        let depth = self.depth();
        self.set_loc(s.range());
        let r = self.stmt_inner(s);
        // Statements are stack-neutral on every live path; after a `return`/`break`/`raise`
        // the tracked depth would describe dead code, so reset it.
        self.set_depth(depth);
        r
    }

    fn stmt_inner(&mut self, s: &'a Stmt) -> R {
        match s {
            Stmt::FunctionDef(f) => self.function_def(f),
            Stmt::ClassDef(c) => self.class_def(c),
            Stmt::Return(r) => self.return_stmt(r),
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.del_target(t)?;
                }
                Ok(())
            }
            Stmt::Assign(a) => {
                self.expr(&a.value)?;
                let n = a.targets.len();
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < n {
                        self.emit(Instr::Copy(1));
                    }
                    self.store(t)?;
                }
                Ok(())
            }
            Stmt::AugAssign(a) => self.aug_assign(a),
            Stmt::AnnAssign(a) => self.ann_assign(a),
            Stmt::For(f) => self.for_stmt(f),
            Stmt::While(w) => self.while_stmt(w),
            Stmt::If(i) => self.if_stmt(i),
            Stmt::With(w) => {
                if w.is_async {
                    return Err(self.error("'async with' is not supported", w.range));
                }
                self.with_stmt(w, 0)
            }
            Stmt::Match(m) => Err(self.error(
                "'match' statements are not supported",
                TextRange::at(m.range.start(), TextSize::new(5)),
            )),
            Stmt::Raise(r) => {
                let mut n = 0;
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                    n += 1;
                    if let Some(c) = &r.cause {
                        self.expr(c)?;
                        n += 1;
                    }
                }
                self.emit(Instr::RaiseVarargs(n));
                Ok(())
            }
            Stmt::Try(t) => {
                if t.is_star {
                    return Err(self.error("'except*' is not supported", t.range));
                }
                if t.finalbody.is_empty() {
                    self.try_except(t)
                } else {
                    self.try_finally(t)
                }
            }
            Stmt::Assert(a) => {
                let end = self.new_label();
                self.jump_if(&a.test, true, end)?;
                self.emit(Instr::LoadAssertionError);
                if let Some(m) = &a.msg {
                    self.expr(m)?;
                    self.emit(Instr::Call(0));
                }
                self.emit(Instr::RaiseVarargs(1));
                self.bind(end);
                Ok(())
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    self.set_loc(alias.range);
                    self.load_const(Constant::Int(0.into()));
                    self.load_const(Constant::None);
                    let full = alias.name.as_str();
                    let idx = self.add_name(full);
                    self.emit(Instr::ImportName(idx));
                    match &alias.asname {
                        Some(asname) => {
                            let mut parts = full.split('.').skip(1).peekable();
                            if parts.peek().is_some() {
                                while let Some(part) = parts.next() {
                                    let idx = self.add_name(part);
                                    self.emit(Instr::ImportFrom(idx));
                                    if parts.peek().is_none() {
                                        break;
                                    }
                                    self.emit(Instr::Swap(2));
                                    self.emit(Instr::PopTop);
                                }
                                self.name_op(asname.as_str(), Ctx::Store, asname.range)?;
                                self.emit(Instr::PopTop);
                            } else {
                                self.name_op(asname.as_str(), Ctx::Store, asname.range)?;
                            }
                        }
                        None => {
                            let top = full.split('.').next().unwrap_or(full);
                            self.name_op(top, Ctx::Store, alias.name.range)?;
                        }
                    }
                }
                Ok(())
            }
            Stmt::ImportFrom(i) => {
                self.load_const(Constant::Int((i.level as i64).into()));
                let names: Vec<Constant> = i
                    .names
                    .iter()
                    .map(|a| Constant::Str(a.name.as_str().to_string()))
                    .collect();
                self.load_const(Constant::Tuple(names));
                let module = i.module.as_ref().map_or("", |m| m.as_str());
                let idx = self.add_name(module);
                self.emit(Instr::ImportName(idx));
                for alias in &i.names {
                    if alias.name.as_str() == "*" {
                        self.emit(Instr::ImportStar);
                        return Ok(());
                    }
                    let idx = self.add_name(alias.name.as_str());
                    self.emit(Instr::ImportFrom(idx));
                    let stored = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.name_op(stored.as_str(), Ctx::Store, stored.range)?;
                }
                self.emit(Instr::PopTop);
                Ok(())
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Pass(_) => Ok(()),
            Stmt::Expr(e) => {
                if self.interactive && self.units.len() == 1 {
                    self.expr(&e.value)?;
                    self.emit(Instr::PrintExpr);
                    return Ok(());
                }
                if matches!(
                    &*e.value,
                    Expr::StringLiteral(_)
                        | Expr::BytesLiteral(_)
                        | Expr::NumberLiteral(_)
                        | Expr::BooleanLiteral(_)
                        | Expr::NoneLiteral(_)
                        | Expr::EllipsisLiteral(_)
                ) {
                    return Ok(());
                }
                self.expr(&e.value)?;
                self.emit(Instr::PopTop);
                Ok(())
            }
            Stmt::Break(b) => self.break_stmt(b.range),
            Stmt::Continue(c) => self.continue_stmt(c.range),
            Stmt::TypeAlias(t) => Err(self.error("invalid syntax", t.range)),
            Stmt::IpyEscapeCommand(c) => Err(self.error("invalid syntax", c.range)),
        }
    }

    // ----- definitions -----

    fn function_def(&mut self, f: &'a ast::StmtFunctionDef) -> R {
        if f.is_async {
            return Err(self.error(
                "'async def' is not supported",
                TextRange::new(f.range.start(), f.name.range.end()),
            ));
        }
        for d in &f.decorator_list {
            self.set_loc(d.range);
            self.expr(&d.expression)?;
        }
        self.set_loc(f.range);
        let first_line = f
            .decorator_list
            .first()
            .map_or_else(|| self.line_of(f.range), |d| self.line_of(d.range));
        let flags = self.defaults(&f.parameters)?;
        let scope = self.scope_for(node_key(f, NodeKind::Function), f.range)?;
        let name = f.name.as_str().to_string();
        let qualname = self.qualname_for(&name, ScopeKind::Function);
        self.push_unit(scope, name, qualname, first_line);
        self.set_params(Some(&f.parameters));
        let (doc, body) = match super::docstring(&f.body) {
            Some((doc, rest)) => (Constant::Str(doc), rest),
            None => (Constant::None, &f.body[..]),
        };
        self.add_const(doc);
        self.set_loc(f.range);
        self.prologue();
        self.body(body)?;
        self.implicit_return(body);
        let code = self.finish_unit()?;
        self.set_loc(f.range);
        self.make_closure(code, flags)?;
        for d in f.decorator_list.iter().rev() {
            self.set_loc(d.range);
            self.emit(Instr::Call(0));
        }
        self.set_loc(f.range);
        self.name_op(f.name.as_str(), Ctx::Store, f.name.range)
    }

    /// `return None` at the end of a body, located at its last statement.
    fn implicit_return(&mut self, body: &[Stmt]) {
        if let Some(last) = body.last() {
            let loc = self.location(last.range());
            self.unit().loc = Location {
                line: loc.end_line,
                end_line: loc.end_line,
                col: loc.end_col,
                end_col: loc.end_col,
            };
        }
        self.load_const(Constant::None);
        self.emit(Instr::ReturnValue);
    }

    fn class_def(&mut self, c: &'a ast::StmtClassDef) -> R {
        for d in &c.decorator_list {
            self.set_loc(d.range);
            self.expr(&d.expression)?;
        }
        self.set_loc(c.range);
        let first_line = c
            .decorator_list
            .first()
            .map_or_else(|| self.line_of(c.range), |d| self.line_of(d.range));
        self.emit(Instr::PushNull);
        self.emit(Instr::LoadBuildClass);
        let code = self.class_body(c, first_line)?;
        self.set_loc(c.range);
        self.make_closure(code, 0)?;
        self.load_const(Constant::Str(c.name.as_str().to_string()));
        match &c.arguments {
            Some(args) => self.call_helper(2, &args.args, &args.keywords, c.range)?,
            None => self.emit(Instr::Call(2)),
        }
        for d in c.decorator_list.iter().rev() {
            self.set_loc(d.range);
            self.emit(Instr::Call(0));
        }
        self.set_loc(c.range);
        self.name_op(c.name.as_str(), Ctx::Store, c.name.range)
    }

    fn class_body(
        &mut self,
        c: &'a ast::StmtClassDef,
        first_line: u32,
    ) -> Result<Arc<CodeObject>, CompileError> {
        let scope = self.scope_for(node_key(c, NodeKind::Class), c.range)?;
        let name = c.name.as_str().to_string();
        let qualname = self.qualname_for(&name, ScopeKind::Class);
        self.push_unit(scope, name, qualname.clone(), first_line);
        self.set_loc(c.range);
        self.prologue();
        let i = self.add_name("__name__");
        self.emit(Instr::LoadName(i));
        self.store_name_raw("__module__");
        self.load_const(Constant::Str(qualname));
        self.store_name_raw("__qualname__");
        let body = match super::docstring(&c.body) {
            Some((doc, rest)) => {
                self.set_loc(c.body[0].range());
                self.load_const(Constant::Str(doc));
                self.store_name_raw("__doc__");
                rest
            }
            None => &c.body[..],
        };
        self.body(body)?;
        if let Some(last) = body.last() {
            let loc = self.location(last.range());
            self.unit().loc = loc;
        }
        if self.table.scopes[scope].needs_class_closure {
            let u = self.unit_ref();
            let slot = u.varnames.len() as u32
                + u.cellvars
                    .iter()
                    .position(|n| n == "__class__")
                    .unwrap_or(0) as u32;
            self.emit(Instr::LoadClosure(slot));
            self.emit(Instr::Copy(1));
            self.store_name_raw("__classcell__");
            self.emit(Instr::ReturnValue);
        } else {
            self.load_const(Constant::None);
            self.emit(Instr::ReturnValue);
        }
        self.finish_unit()
    }

    // ----- simple statements -----

    fn return_stmt(&mut self, r: &'a ast::StmtReturn) -> R {
        if !self.unit_ref().kind.is_function_like() {
            return Err(self.error("'return' outside function", r.range));
        }
        let folded = r.value.as_deref().and_then(crate::fold::fold);
        let preserve = r.value.is_some() && folded.is_none();
        if preserve && let Some(v) = &r.value {
            self.expr(v)?;
        }
        let saved = self.unit_ref().handler_stack.clone();
        self.unwind_fblock_stack(preserve, false)?;
        if !preserve {
            self.set_loc(r.range);
            self.load_const(folded.unwrap_or(Constant::None));
        }
        self.set_loc(r.range);
        self.emit(Instr::ReturnValue);
        self.unit().handler_stack = saved;
        Ok(())
    }

    fn break_stmt(&mut self, range: TextRange) -> R {
        let saved = self.unit_ref().handler_stack.clone();
        let Some(loop_block) = self.unwind_fblock_stack(false, true)? else {
            return Err(self.error("'break' outside loop", range));
        };
        self.set_loc(range);
        self.unwind_fblock(&loop_block, false)?;
        let exit = match loop_block {
            FBlock::WhileLoop { exit, .. } | FBlock::ForLoop { exit, .. } => exit,
            _ => return Err(self.internal("break target is not a loop", range)),
        };
        self.jump(Instr::JumpForward, exit);
        self.unit().handler_stack = saved;
        Ok(())
    }

    fn continue_stmt(&mut self, range: TextRange) -> R {
        let saved = self.unit_ref().handler_stack.clone();
        let Some(loop_block) = self.unwind_fblock_stack(false, true)? else {
            return Err(self.error("'continue' not properly in loop", range));
        };
        self.set_loc(range);
        let start = match loop_block {
            FBlock::WhileLoop { start, .. } | FBlock::ForLoop { start, .. } => start,
            _ => return Err(self.internal("continue target is not a loop", range)),
        };
        self.jump(Instr::JumpForward, start);
        self.unit().handler_stack = saved;
        Ok(())
    }

    fn push_fblock(&mut self, fb: FBlock<'a>) {
        self.unit().fblocks.push(fb);
    }

    fn pop_fblock(&mut self) {
        self.unit().fblocks.pop();
    }

    /// Unwinds the frame blocks from the innermost outwards (emitting their exit code) until
    /// a loop (when `stop_at_loop`, returned) or the function boundary.
    fn unwind_fblock_stack(
        &mut self,
        preserve_tos: bool,
        stop_at_loop: bool,
    ) -> Result<Option<FBlock<'a>>, CompileError> {
        let Some(top) = self.unit_ref().fblocks.last().cloned() else {
            return Ok(None);
        };
        if stop_at_loop && matches!(top, FBlock::WhileLoop { .. } | FBlock::ForLoop { .. }) {
            return Ok(Some(top));
        }
        self.unit().fblocks.pop();
        let r = self
            .unwind_fblock(&top, preserve_tos)
            .and_then(|()| self.unwind_fblock_stack(preserve_tos, stop_at_loop));
        self.unit().fblocks.push(top);
        r
    }

    fn unwind_fblock(&mut self, fb: &FBlock<'a>, preserve_tos: bool) -> R {
        match fb {
            FBlock::WhileLoop { .. } => {}
            FBlock::ForLoop { .. } | FBlock::PopValue => {
                if preserve_tos {
                    self.emit(Instr::Swap(2));
                }
                self.emit(Instr::PopTop);
            }
            FBlock::TryExcept => self.pop_handler(),
            FBlock::FinallyTry { body } => {
                self.pop_handler();
                if preserve_tos {
                    self.push_fblock(FBlock::PopValue);
                }
                let loc = self.unit_ref().loc;
                self.body(body)?;
                self.unit().loc = loc;
                if preserve_tos {
                    self.pop_fblock();
                }
            }
            FBlock::FinallyEnd => {
                if preserve_tos {
                    self.emit(Instr::Swap(2));
                }
                self.emit(Instr::PopTop);
                if preserve_tos {
                    self.emit(Instr::Swap(2));
                }
                self.pop_handler();
                self.emit(Instr::PopExcept);
            }
            FBlock::With => {
                self.pop_handler();
                if preserve_tos {
                    self.emit(Instr::Swap(2));
                }
                self.call_exit_with_nones();
                self.emit(Instr::PopTop);
            }
            FBlock::HandlerCleanup { name } => {
                if name.is_some() {
                    self.pop_handler();
                }
                if preserve_tos {
                    self.emit(Instr::Swap(2));
                }
                self.pop_handler();
                self.emit(Instr::PopExcept);
                if let Some(n) = name {
                    self.load_const(Constant::None);
                    self.name_op(n, Ctx::Store, TextRange::default())?;
                    self.name_op(n, Ctx::Del, TextRange::default())?;
                }
            }
        }
        Ok(())
    }

    fn call_exit_with_nones(&mut self) {
        self.load_const(Constant::None);
        self.load_const(Constant::None);
        self.load_const(Constant::None);
        self.emit(Instr::Call(2));
    }

    fn aug_assign(&mut self, a: &'a ast::StmtAugAssign) -> R {
        let op = binary_op(a.op).inplace();
        match &*a.target {
            Expr::Name(n) => {
                self.name_op(n.id.as_str(), Ctx::Load, n.range)?;
                self.expr(&a.value)?;
                self.set_loc(a.range);
                self.emit(Instr::BinaryOp(op));
                self.name_op(n.id.as_str(), Ctx::Store, n.range)
            }
            Expr::Attribute(at) => {
                self.expr(&at.value)?;
                self.emit(Instr::Copy(1));
                let i = self.add_name(&self.mangle(at.attr.as_str()));
                self.emit(Instr::LoadAttr(i));
                self.expr(&a.value)?;
                self.set_loc(a.range);
                self.emit(Instr::BinaryOp(op));
                self.emit(Instr::Swap(2));
                self.emit(Instr::StoreAttr(i));
                Ok(())
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Instr::Copy(2));
                self.emit(Instr::Copy(2));
                self.emit(Instr::BinarySubscr);
                self.expr(&a.value)?;
                self.set_loc(a.range);
                self.emit(Instr::BinaryOp(op));
                self.emit(Instr::Swap(3));
                self.emit(Instr::Swap(2));
                self.emit(Instr::StoreSubscr);
                Ok(())
            }
            other => Err(self.error(
                format!(
                    "'{}' is an illegal expression for augmented assignment",
                    expr_kind_name(other)
                ),
                other.range(),
            )),
        }
    }

    fn ann_assign(&mut self, a: &'a ast::StmtAnnAssign) -> R {
        // Annotations are not evaluated (weft ignores them).
        match &a.value {
            Some(v) => {
                self.expr(v)?;
                self.store(&a.target)
            }
            None => {
                match &*a.target {
                    Expr::Attribute(at) => {
                        self.expr(&at.value)?;
                        self.emit(Instr::PopTop);
                    }
                    Expr::Subscript(s) => {
                        self.expr(&s.value)?;
                        self.emit(Instr::PopTop);
                        self.expr(&s.slice)?;
                        self.emit(Instr::PopTop);
                    }
                    _ => {}
                }
                Ok(())
            }
        }
    }

    // ----- targets -----

    /// Stores the top of the stack into an assignment target.
    pub(super) fn store(&mut self, target: &'a Expr) -> R {
        match target {
            Expr::Name(n) => self.name_op(n.id.as_str(), Ctx::Store, n.range),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.add_name(&self.mangle(a.attr.as_str()));
                self.set_loc(a.range);
                self.emit(Instr::StoreAttr(i));
                Ok(())
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.set_loc(s.range);
                self.emit(Instr::StoreSubscr);
                Ok(())
            }
            Expr::Tuple(t) => self.unpack_into(&t.elts, t.range),
            Expr::List(l) => self.unpack_into(&l.elts, l.range),
            Expr::Starred(s) => Err(self.error(
                "starred assignment target must be in a list or tuple",
                s.range,
            )),
            other => Err(self.error(
                format!("cannot assign to {}", expr_kind_name(other)),
                other.range(),
            )),
        }
    }

    fn unpack_into(&mut self, elts: &'a [Expr], range: TextRange) -> R {
        let stars: Vec<usize> = elts
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e, Expr::Starred(_)))
            .map(|(i, _)| i)
            .collect();
        let loc = self.location(range);
        self.unit().loc = loc;
        match stars.as_slice() {
            [] => self.emit(Instr::UnpackSequence(elts.len() as u32)),
            [i] => {
                let before = *i;
                let after = elts.len() - i - 1;
                if before >= 256 || after >= (1 << 24) {
                    return Err(
                        self.error("too many expressions in star-unpacking assignment", range)
                    );
                }
                self.emit(Instr::UnpackEx(UnpackExArgs {
                    before: before as u8,
                    after: after as u32,
                }));
            }
            _ => return Err(self.error("multiple starred expressions in assignment", range)),
        }
        for e in elts {
            match e {
                Expr::Starred(s) => self.store(&s.value)?,
                other => self.store(other)?,
            }
        }
        Ok(())
    }

    fn del_target(&mut self, target: &'a Expr) -> R {
        match target {
            Expr::Name(n) => self.name_op(n.id.as_str(), Ctx::Del, n.range),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.add_name(&self.mangle(a.attr.as_str()));
                self.set_loc(a.range);
                self.emit(Instr::DeleteAttr(i));
                Ok(())
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.set_loc(s.range);
                self.emit(Instr::DeleteSubscr);
                Ok(())
            }
            Expr::Tuple(t) => {
                for e in &t.elts {
                    self.del_target(e)?;
                }
                Ok(())
            }
            Expr::List(l) => {
                for e in &l.elts {
                    self.del_target(e)?;
                }
                Ok(())
            }
            other => Err(self.error(
                format!("cannot delete {}", expr_kind_name(other)),
                other.range(),
            )),
        }
    }

    // ----- compound statements -----

    fn if_stmt(&mut self, i: &'a ast::StmtIf) -> R {
        let end = self.new_label();
        let mut clauses: Vec<(Option<&'a Expr>, &'a [Stmt], TextRange)> =
            vec![(Some(&*i.test), &i.body[..], i.range)];
        for c in &i.elif_else_clauses {
            clauses.push((c.test.as_ref(), &c.body[..], c.range));
        }
        let n = clauses.len();
        for (k, (test, body, range)) in clauses.into_iter().enumerate() {
            match test {
                Some(test) => {
                    self.set_loc(range);
                    let next = self.new_label();
                    self.jump_if(test, false, next)?;
                    self.body(body)?;
                    if k + 1 < n {
                        self.jump(Instr::JumpForward, end);
                    }
                    self.bind(next);
                }
                None => self.body(body)?,
            }
        }
        self.bind(end);
        Ok(())
    }

    fn while_stmt(&mut self, w: &'a ast::StmtWhile) -> R {
        let start = self.new_label();
        let orelse = self.new_label();
        let end = self.new_label();
        self.bind(start);
        self.jump_if(&w.test, false, orelse)?;
        self.push_fblock(FBlock::WhileLoop { start, exit: end });
        self.body(&w.body)?;
        self.pop_fblock();
        self.set_loc(w.range);
        self.jump(Instr::JumpForward, start);
        self.bind(orelse);
        self.body(&w.orelse)?;
        self.bind(end);
        Ok(())
    }

    fn for_stmt(&mut self, f: &'a ast::StmtFor) -> R {
        if f.is_async {
            return Err(self.error("'async for' is not supported", f.range));
        }
        self.expr(&f.iter)?;
        self.set_loc(f.range);
        self.emit(Instr::GetIter);
        let start = self.new_label();
        let cleanup = self.new_label();
        let end = self.new_label();
        self.bind(start);
        self.jump(Instr::ForIter, cleanup);
        self.store(&f.target)?;
        self.push_fblock(FBlock::ForLoop { start, exit: end });
        self.body(&f.body)?;
        self.pop_fblock();
        self.set_loc(f.range);
        self.jump(Instr::JumpForward, start);
        self.bind(cleanup);
        self.body(&f.orelse)?;
        self.bind(end);
        Ok(())
    }

    fn try_except(&mut self, t: &'a ast::StmtTry) -> R {
        let handler_entry = self.new_label();
        let cleanup = self.new_label();
        let end = self.new_label();
        let d = self.depth();
        self.push_handler(handler_entry, d, false);
        self.push_fblock(FBlock::TryExcept);
        self.body(&t.body)?;
        self.pop_fblock();
        self.pop_handler();
        self.body(&t.orelse)?;
        self.jump(Instr::JumpForward, end);

        // Exception raised in the body: [.., exc].
        self.bind(handler_entry);
        self.set_depth(d + 1);
        let cleanup_id = self.push_handler(cleanup, d + 1, true);
        self.emit(Instr::PushExcInfo);
        let n = t.handlers.len();
        for (i, h) in t.handlers.iter().enumerate() {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            self.set_loc(h.range);
            if h.type_.is_none() && i + 1 < n {
                return Err(self.error("default 'except:' must be last", h.range));
            }
            let next = self.new_label();
            if let Some(ty) = &h.type_ {
                self.expr(ty)?;
                self.emit(Instr::CheckExcMatch);
                self.jump(Instr::PopJumpIfFalse, next);
            }
            match &h.name {
                Some(name) => {
                    self.name_op(name.as_str(), Ctx::Store, name.range)?;
                    let cleanup_end = self.new_label();
                    self.push_handler(cleanup_end, d + 1, true);
                    self.push_fblock(FBlock::HandlerCleanup {
                        name: Some(name.as_str()),
                    });
                    self.body(&h.body)?;
                    self.pop_fblock();
                    self.pop_handler();
                    self.pop_handler();
                    self.emit(Instr::PopExcept);
                    self.load_const(Constant::None);
                    self.name_op(name.as_str(), Ctx::Store, name.range)?;
                    self.name_op(name.as_str(), Ctx::Del, name.range)?;
                    self.jump(Instr::JumpForward, end);

                    // The handler body raised: [.., prev, lasti, exc].
                    self.bind(cleanup_end);
                    self.set_depth(d + 3);
                    self.repush_handler(cleanup_id);
                    self.load_const(Constant::None);
                    self.name_op(name.as_str(), Ctx::Store, name.range)?;
                    self.name_op(name.as_str(), Ctx::Del, name.range)?;
                    self.emit(Instr::Reraise(1));
                }
                None => {
                    self.emit(Instr::PopTop);
                    self.push_fblock(FBlock::HandlerCleanup { name: None });
                    self.body(&h.body)?;
                    self.pop_fblock();
                    self.pop_handler();
                    self.emit(Instr::PopExcept);
                    self.jump(Instr::JumpForward, end);
                    self.repush_handler(cleanup_id);
                }
            }
            self.bind(next);
            self.set_depth(d + 2);
        }
        // No handler matched: re-raise (the cleanup below restores the exception state).
        self.emit(Instr::Reraise(0));
        self.pop_handler();

        // [.., prev, lasti, exc]
        self.bind(cleanup);
        self.set_depth(d + 3);
        self.pop_except_and_reraise();
        self.bind(end);
        self.set_depth(d);
        Ok(())
    }

    fn pop_except_and_reraise(&mut self) {
        self.emit(Instr::Copy(3));
        self.emit(Instr::PopExcept);
        self.emit(Instr::Reraise(1));
    }

    fn try_finally(&mut self, t: &'a ast::StmtTry) -> R {
        let exc = self.new_label();
        let cleanup = self.new_label();
        let end = self.new_label();
        let d = self.depth();
        self.push_handler(exc, d, false);
        self.push_fblock(FBlock::FinallyTry { body: &t.finalbody });
        if t.handlers.is_empty() {
            self.body(&t.body)?;
        } else {
            self.try_except(t)?;
        }
        self.pop_fblock();
        self.pop_handler();
        self.body(&t.finalbody)?;
        self.jump(Instr::JumpForward, end);

        // [.., exc]
        self.bind(exc);
        self.set_depth(d + 1);
        self.push_handler(cleanup, d + 1, true);
        self.emit(Instr::PushExcInfo);
        self.push_fblock(FBlock::FinallyEnd);
        self.body(&t.finalbody)?;
        self.pop_fblock();
        self.emit(Instr::Reraise(0));
        self.pop_handler();

        self.bind(cleanup);
        self.set_depth(d + 3);
        self.pop_except_and_reraise();
        self.bind(end);
        self.set_depth(d);
        Ok(())
    }

    fn with_stmt(&mut self, w: &'a ast::StmtWith, index: usize) -> R {
        let item = &w.items[index];
        let exc = self.new_label();
        let cleanup = self.new_label();
        let suppress = self.new_label();
        let end = self.new_label();
        self.expr(&item.context_expr)?;
        self.set_loc(w.range);
        let d = self.depth() - 1;
        self.emit(Instr::BeforeWith);
        self.push_handler(exc, d + 1, true);
        self.push_fblock(FBlock::With);
        match &item.optional_vars {
            Some(target) => self.store(target)?,
            None => self.emit(Instr::PopTop),
        }
        if index + 1 < w.items.len() {
            self.with_stmt(w, index + 1)?;
        } else {
            self.body(&w.body)?;
        }
        self.pop_fblock();
        self.pop_handler();
        self.set_loc(w.range);
        self.call_exit_with_nones();
        self.emit(Instr::PopTop);
        self.jump(Instr::JumpForward, end);

        // [.., exit, lasti, exc]
        self.bind(exc);
        self.set_depth(d + 3);
        self.push_handler(cleanup, d + 3, true);
        self.emit(Instr::PushExcInfo);
        self.emit(Instr::WithExceptStart);
        self.jump(Instr::PopJumpIfTrue, suppress);
        self.emit(Instr::Reraise(2));
        self.bind(suppress);
        self.emit(Instr::PopTop);
        self.pop_handler();
        self.emit(Instr::PopExcept);
        self.emit(Instr::PopTop);
        self.emit(Instr::PopTop);
        self.jump(Instr::JumpForward, end);

        // [.., exit, lasti, prev, lasti, exc]
        self.bind(cleanup);
        self.set_depth(d + 5);
        self.pop_except_and_reraise();
        self.bind(end);
        self.set_depth(d);
        Ok(())
    }
}
