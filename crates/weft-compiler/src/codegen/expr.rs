//! Expressions.

use std::collections::HashSet;

use super::stmt::binary_op;
use super::{Compiler, Ctx, Label, R};
use crate::code::Constant;
use crate::fold;
use crate::instr::{CompareOp, Conversion, FormatFlags, GlobalArg, Instr};
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextRange};
use crate::symtable::{NodeKind, ScopeKind, node_key};

/// The container a starred display builds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Seq {
    List,
    Tuple,
    Set,
}

/// The comprehension kinds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Comp {
    List,
    Set,
    Dict,
    Gen,
}

impl<'a, 's> Compiler<'a, 's> {
    /// Compiles an expression, leaving its value on the stack.
    pub(super) fn expr(&mut self, e: &'a Expr) -> R {
        let saved = self.unit_ref().loc;
        self.set_loc(e.range());
        let r = self.expr_inner(e);
        self.unit().loc = saved;
        r
    }

    fn expr_inner(&mut self, e: &'a Expr) -> R {
        match e {
            Expr::BoolOp(b) => {
                let end = self.new_label();
                let n = b.values.len();
                for (i, v) in b.values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < n {
                        let make = match b.op {
                            ast::BoolOp::And => Instr::JumpIfFalseOrPop,
                            ast::BoolOp::Or => Instr::JumpIfTrueOrPop,
                        };
                        self.jump(make, end);
                    }
                }
                self.bind(end);
                Ok(())
            }
            Expr::Named(n) => {
                self.expr(&n.value)?;
                self.emit(Instr::Copy(1));
                self.store(&n.target)
            }
            Expr::BinOp(b) => {
                if let Some(c) = fold::fold(e) {
                    self.load_const(c);
                    return Ok(());
                }
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.emit(Instr::BinaryOp(binary_op(b.op)));
                Ok(())
            }
            Expr::UnaryOp(u) => {
                if let Some(c) = fold::fold(e) {
                    self.load_const(c);
                    return Ok(());
                }
                self.expr(&u.operand)?;
                self.emit(match u.op {
                    ast::UnaryOp::Invert => Instr::UnaryInvert,
                    ast::UnaryOp::Not => Instr::UnaryNot,
                    ast::UnaryOp::UAdd => Instr::UnaryPositive,
                    ast::UnaryOp::USub => Instr::UnaryNegative,
                });
                Ok(())
            }
            Expr::Lambda(l) => self.lambda(l),
            Expr::If(i) => {
                let orelse = self.new_label();
                let end = self.new_label();
                self.jump_if(&i.test, false, orelse)?;
                self.expr(&i.body)?;
                self.jump(Instr::JumpForward, end);
                self.bind(orelse);
                self.expr(&i.orelse)?;
                self.bind(end);
                Ok(())
            }
            Expr::Dict(d) => self.dict(d),
            Expr::Set(s) => self.starunpack(&s.elts, 0, Seq::Set),
            Expr::ListComp(c) => self.comprehension(
                node_key(c, NodeKind::Comprehension),
                c.range,
                &c.generators,
                Comp::List,
                &c.elt,
                None,
            ),
            Expr::SetComp(c) => self.comprehension(
                node_key(c, NodeKind::Comprehension),
                c.range,
                &c.generators,
                Comp::Set,
                &c.elt,
                None,
            ),
            Expr::DictComp(c) => match &c.key {
                Some(k) => self.comprehension(
                    node_key(c, NodeKind::Comprehension),
                    c.range,
                    &c.generators,
                    Comp::Dict,
                    k,
                    Some(&c.value),
                ),
                None => Err(self.error(
                    "dict unpacking cannot be used in dict comprehension",
                    c.range,
                )),
            },
            Expr::Generator(g) => self.comprehension(
                node_key(g, NodeKind::Comprehension),
                g.range,
                &g.generators,
                Comp::Gen,
                &g.elt,
                None,
            ),
            Expr::Await(a) => {
                let kind = self.unit_ref().kind;
                if !kind.is_function_like() {
                    Err(self.error("'await' outside function", a.range))
                } else if !self.unit_ref().is_async {
                    Err(self.error("'await' outside async function", a.range))
                } else {
                    Err(self.error("'await' is not supported", a.range))
                }
            }
            Expr::Yield(y) => {
                if !self.unit_ref().kind.is_function_like() {
                    return Err(self.error("'yield' outside function", y.range));
                }
                match &y.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Constant::None),
                }
                self.emit(Instr::YieldValue);
                self.emit(Instr::Resume(1));
                Ok(())
            }
            Expr::YieldFrom(y) => {
                if !self.unit_ref().kind.is_function_like() {
                    return Err(self.error("'yield' outside function", y.range));
                }
                self.expr(&y.value)?;
                self.emit(Instr::GetYieldFromIter);
                self.load_const(Constant::None);
                self.yield_from_loop();
                Ok(())
            }
            Expr::Compare(c) => self.compare(c),
            Expr::Call(c) => self.call(c),
            Expr::FString(f) => self.fstring(f),
            Expr::TString(t) => Err(self.error("invalid syntax", t.range)),
            Expr::StringLiteral(s) => {
                self.load_const(Constant::Str(s.value.to_str().to_string()));
                Ok(())
            }
            Expr::BytesLiteral(b) => {
                self.load_const(Constant::Bytes(b.value.bytes().collect()));
                Ok(())
            }
            Expr::NumberLiteral(n) => {
                let c = match &n.value {
                    ast::Number::Int(i) => {
                        Constant::Int(fold::int_literal(i).map_err(|m| self.error(m, n.range))?)
                    }
                    other => fold::number(other).unwrap_or(Constant::None),
                };
                self.load_const(c);
                Ok(())
            }
            Expr::BooleanLiteral(b) => {
                self.load_const(Constant::Bool(b.value));
                Ok(())
            }
            Expr::NoneLiteral(_) => {
                self.load_const(Constant::None);
                Ok(())
            }
            Expr::EllipsisLiteral(_) => {
                self.load_const(Constant::Ellipsis);
                Ok(())
            }
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.add_name(&self.mangle(a.attr.as_str()));
                self.emit(Instr::LoadAttr(i));
                Ok(())
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Instr::BinarySubscr);
                Ok(())
            }
            Expr::Starred(s) => Err(self.error("can't use starred expression here", s.range)),
            Expr::Name(n) => self.name_op(n.id.as_str(), Ctx::Load, n.range),
            Expr::List(l) => {
                let all_const = l.elts.len() > 2
                    && l.elts.iter().all(|x| !matches!(x, Expr::Starred(_)))
                    && l.elts.iter().all(|x| fold::fold(x).is_some());
                if all_const {
                    let items: Vec<Constant> = l.elts.iter().filter_map(fold::fold).collect();
                    self.emit(Instr::BuildList(0));
                    self.load_const(Constant::Tuple(items));
                    self.emit(Instr::ListExtend(1));
                    return Ok(());
                }
                self.starunpack(&l.elts, 0, Seq::List)
            }
            Expr::Tuple(t) => {
                if let Some(c) = fold::fold(e) {
                    self.load_const(c);
                    return Ok(());
                }
                self.starunpack(&t.elts, 0, Seq::Tuple)
            }
            Expr::Slice(s) => {
                let mut n = 2;
                match &s.lower {
                    Some(x) => self.expr(x)?,
                    None => self.load_const(Constant::None),
                }
                match &s.upper {
                    Some(x) => self.expr(x)?,
                    None => self.load_const(Constant::None),
                }
                if let Some(x) = &s.step {
                    self.expr(x)?;
                    n = 3;
                }
                self.emit(Instr::BuildSlice(n));
                Ok(())
            }
            Expr::IpyEscapeCommand(c) => Err(self.error("invalid syntax", c.range)),
        }
    }

    /// `SEND`/`YIELD_VALUE` loop of `yield from` (the sub-iterator and the value to send are
    /// on the stack; leaves the sub-iterator's return value).
    fn yield_from_loop(&mut self) {
        let start = self.new_label();
        let exit = self.new_label();
        self.bind(start);
        self.jump(Instr::Send, exit);
        self.emit(Instr::YieldValue);
        self.emit(Instr::Resume(2));
        self.jump(Instr::JumpBackwardNoInterrupt, start);
        self.bind(exit);
    }

    // ----- conditions -----

    /// Emits code that jumps to `target` when `bool(e) == cond` and falls through otherwise.
    pub(super) fn jump_if(&mut self, e: &'a Expr, cond: bool, target: Label) -> R {
        let saved = self.unit_ref().loc;
        self.set_loc(e.range());
        let r = self.jump_if_inner(e, cond, target);
        self.unit().loc = saved;
        r
    }

    fn jump_if_inner(&mut self, e: &'a Expr, cond: bool, target: Label) -> R {
        match e {
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => {
                return self.jump_if(&u.operand, !cond, target);
            }
            Expr::BoolOp(b) => {
                let is_or = b.op == ast::BoolOp::Or;
                let n = b.values.len();
                if cond == is_or {
                    for v in &b.values {
                        self.jump_if(v, cond, target)?;
                    }
                } else {
                    let next = self.new_label();
                    for (i, v) in b.values.iter().enumerate() {
                        if i + 1 < n {
                            self.jump_if(v, !cond, next)?;
                        } else {
                            self.jump_if(v, cond, target)?;
                        }
                    }
                    self.bind(next);
                }
                return Ok(());
            }
            Expr::Compare(c) if c.ops.len() == 1 => {
                if let (ast::CmpOp::Is | ast::CmpOp::IsNot, Expr::NoneLiteral(_)) =
                    (c.ops[0], &c.comparators[0])
                {
                    self.expr(&c.left)?;
                    let jump_on_none = (c.ops[0] == ast::CmpOp::Is) == cond;
                    let make = if jump_on_none {
                        Instr::PopJumpIfNone
                    } else {
                        Instr::PopJumpIfNotNone
                    };
                    self.jump(make, target);
                    return Ok(());
                }
            }
            Expr::Compare(c) if c.ops.len() > 1 => {
                self.expr(&c.left)?;
                let cleanup = self.new_label();
                let end = self.new_label();
                let n = c.ops.len();
                for i in 0..n - 1 {
                    self.expr(&c.comparators[i])?;
                    self.emit(Instr::Swap(2));
                    self.emit(Instr::Copy(2));
                    self.cmp_op(c.ops[i]);
                    self.jump(Instr::PopJumpIfFalse, cleanup);
                }
                self.expr(&c.comparators[n - 1])?;
                self.cmp_op(c.ops[n - 1]);
                let make = if cond {
                    Instr::PopJumpIfTrue
                } else {
                    Instr::PopJumpIfFalse
                };
                self.jump(make, target);
                self.jump(Instr::JumpForward, end);
                self.bind(cleanup);
                self.emit(Instr::PopTop);
                if !cond {
                    self.jump(Instr::JumpForward, target);
                }
                self.bind(end);
                return Ok(());
            }
            _ => {}
        }
        if let Some(c) = fold::fold(e) {
            if c.is_truthy() == cond {
                self.jump(Instr::JumpForward, target);
            }
            return Ok(());
        }
        self.expr(e)?;
        let make = if cond {
            Instr::PopJumpIfTrue
        } else {
            Instr::PopJumpIfFalse
        };
        self.jump(make, target);
        Ok(())
    }

    fn cmp_op(&mut self, op: ast::CmpOp) {
        use ast::CmpOp as C;
        self.emit(match op {
            C::Eq => Instr::CompareOp(CompareOp::Eq),
            C::NotEq => Instr::CompareOp(CompareOp::Ne),
            C::Lt => Instr::CompareOp(CompareOp::Lt),
            C::LtE => Instr::CompareOp(CompareOp::Le),
            C::Gt => Instr::CompareOp(CompareOp::Gt),
            C::GtE => Instr::CompareOp(CompareOp::Ge),
            C::Is => Instr::IsOp(false),
            C::IsNot => Instr::IsOp(true),
            C::In => Instr::ContainsOp(false),
            C::NotIn => Instr::ContainsOp(true),
        });
    }

    fn compare(&mut self, c: &'a ast::ExprCompare) -> R {
        self.expr(&c.left)?;
        let n = c.ops.len();
        if n == 1 {
            self.expr(&c.comparators[0])?;
            self.cmp_op(c.ops[0]);
            return Ok(());
        }
        let cleanup = self.new_label();
        let end = self.new_label();
        for i in 0..n - 1 {
            self.expr(&c.comparators[i])?;
            self.emit(Instr::Swap(2));
            self.emit(Instr::Copy(2));
            self.cmp_op(c.ops[i]);
            self.jump(Instr::JumpIfFalseOrPop, cleanup);
        }
        self.expr(&c.comparators[n - 1])?;
        self.cmp_op(c.ops[n - 1]);
        self.jump(Instr::JumpForward, end);
        self.bind(cleanup);
        self.emit(Instr::Swap(2));
        self.emit(Instr::PopTop);
        self.bind(end);
        Ok(())
    }

    // ----- displays -----

    /// Builds a list, tuple or set from `elts`, some of which may be starred; `pushed` items
    /// already on the stack become the first elements.
    fn starunpack(&mut self, elts: &'a [Expr], pushed: u32, seq: Seq) -> R {
        let has_star = elts.iter().any(|e| matches!(e, Expr::Starred(_)));
        if !has_star {
            for e in elts {
                self.expr(e)?;
            }
            let n = pushed + elts.len() as u32;
            self.emit(match seq {
                Seq::List => Instr::BuildList(n),
                Seq::Tuple => Instr::BuildTuple(n),
                Seq::Set => Instr::BuildSet(n),
            });
            return Ok(());
        }
        let mut started = false;
        for (i, e) in elts.iter().enumerate() {
            match e {
                Expr::Starred(s) => {
                    if !started {
                        let n = pushed + i as u32;
                        self.emit(match seq {
                            Seq::Set => Instr::BuildSet(n),
                            _ => Instr::BuildList(n),
                        });
                        started = true;
                    }
                    self.expr(&s.value)?;
                    self.emit(match seq {
                        Seq::Set => Instr::SetUpdate(1),
                        _ => Instr::ListExtend(1),
                    });
                }
                other => {
                    self.expr(other)?;
                    if started {
                        self.emit(match seq {
                            Seq::Set => Instr::SetAdd(1),
                            _ => Instr::ListAppend(1),
                        });
                    }
                }
            }
        }
        if seq == Seq::Tuple {
            self.emit(Instr::ListToTuple);
        }
        Ok(())
    }

    fn dict(&mut self, d: &'a ast::ExprDict) -> R {
        let has_unpack = d.items.iter().any(|i| i.key.is_none());
        if !has_unpack {
            return self.dict_chunk(&d.items.iter().collect::<Vec<_>>());
        }
        let mut have_dict = false;
        let mut pending: Vec<&'a ast::DictItem> = Vec::new();
        for item in &d.items {
            match &item.key {
                None => {
                    if !pending.is_empty() {
                        self.dict_chunk(&pending)?;
                        pending.clear();
                        if have_dict {
                            self.emit(Instr::DictUpdate(1));
                        }
                        have_dict = true;
                    }
                    if !have_dict {
                        self.emit(Instr::BuildMap(0));
                        have_dict = true;
                    }
                    self.expr(&item.value)?;
                    self.emit(Instr::DictUpdate(1));
                }
                Some(_) => pending.push(item),
            }
        }
        if !pending.is_empty() {
            self.dict_chunk(&pending)?;
            if have_dict {
                self.emit(Instr::DictUpdate(1));
            }
        }
        Ok(())
    }

    /// A dict display of key/value items only.
    fn dict_chunk(&mut self, items: &[&'a ast::DictItem]) -> R {
        let keys: Option<Vec<Constant>> = items
            .iter()
            .map(|i| i.key.as_ref().and_then(fold::fold))
            .collect();
        match keys {
            Some(keys) if items.len() > 1 => {
                for i in items {
                    self.expr(&i.value)?;
                }
                self.load_const(Constant::Tuple(keys));
                self.emit(Instr::BuildConstKeyMap(items.len() as u32));
            }
            _ => {
                for i in items {
                    if let Some(k) = &i.key {
                        self.expr(k)?;
                    }
                    self.expr(&i.value)?;
                }
                self.emit(Instr::BuildMap(items.len() as u32));
            }
        }
        Ok(())
    }

    // ----- calls -----

    fn call(&mut self, c: &'a ast::ExprCall) -> R {
        let args = &c.arguments;
        let simple_args = !args.args.iter().any(|a| matches!(a, Expr::Starred(_)))
            && !args.keywords.iter().any(|k| k.arg.is_none());
        if let Expr::Attribute(attr) = &*c.func
            && simple_args
        {
            self.expr(&attr.value)?;
            let i = self.add_name(&self.mangle(attr.attr.as_str()));
            self.set_loc(attr.range);
            self.emit(Instr::LoadMethod(i));
            self.set_loc(c.range());
            return self.call_helper(0, &args.args, &args.keywords, c.range());
        }
        self.emit(Instr::PushNull);
        let before = self.unit_ref().instrs.len();
        self.expr(&c.func)?;
        // `PUSH_NULL; LOAD_GLOBAL name` becomes `LOAD_GLOBAL (NULL + name)`.
        let u = self.unit();
        if u.instrs.len() == before + 1
            && let Instr::LoadGlobal(g) = u.instrs[before].instr
            && !g.push_null
            && matches!(u.instrs[before - 1].instr, Instr::PushNull)
        {
            u.instrs[before - 1] = u.instrs[before];
            u.instrs[before - 1].instr = Instr::LoadGlobal(GlobalArg {
                name: g.name,
                push_null: true,
            });
            u.instrs.pop();
        }
        self.call_helper(0, &args.args, &args.keywords, c.range())
    }

    /// Pushes the arguments and emits the call; `pre` positional arguments are already on the
    /// stack (above the callable).
    pub(super) fn call_helper(
        &mut self,
        pre: u32,
        args: &'a [Expr],
        keywords: &'a [ast::Keyword],
        range: TextRange,
    ) -> R {
        let mut seen: HashSet<&str> = HashSet::new();
        for k in keywords {
            if let Some(name) = &k.arg
                && name.as_str() == "__debug__"
            {
                return Err(self.error("cannot assign to __debug__", range));
            }
            if let Some(name) = &k.arg
                && !seen.insert(name.as_str())
            {
                return Err(self.error(
                    format!("keyword argument repeated: {}", name.as_str()),
                    k.range,
                ));
            }
        }
        let has_star = args.iter().any(|a| matches!(a, Expr::Starred(_)));
        let has_dstar = keywords.iter().any(|k| k.arg.is_none());
        if !has_star && !has_dstar {
            for a in args {
                self.expr(a)?;
            }
            let mut n = pre + args.len() as u32;
            if !keywords.is_empty() {
                let mut names = Vec::new();
                for k in keywords {
                    self.expr(&k.value)?;
                    if let Some(name) = &k.arg {
                        names.push(Constant::Str(name.as_str().to_string()));
                    }
                }
                let i = self.add_const(Constant::Tuple(names));
                self.emit(Instr::KwNames(i));
                n += keywords.len() as u32;
            }
            self.emit(Instr::Call(n));
            return Ok(());
        }
        match args {
            [Expr::Starred(s)] if pre == 0 => self.expr(&s.value)?,
            _ => self.starunpack(args, pre, Seq::Tuple)?,
        }
        if keywords.is_empty() {
            self.emit(Instr::CallFunctionEx(false));
            return Ok(());
        }
        let mut have_dict = false;
        let mut pending: Vec<&'a ast::Keyword> = Vec::new();
        for k in keywords {
            if k.arg.is_none() {
                if !pending.is_empty() {
                    self.kw_subdict(&pending)?;
                    pending.clear();
                    if have_dict {
                        self.emit(Instr::DictMerge(1));
                    }
                    have_dict = true;
                }
                if !have_dict {
                    self.emit(Instr::BuildMap(0));
                    have_dict = true;
                }
                self.expr(&k.value)?;
                self.emit(Instr::DictMerge(1));
            } else {
                pending.push(k);
            }
        }
        if !pending.is_empty() {
            self.kw_subdict(&pending)?;
            if have_dict {
                self.emit(Instr::DictMerge(1));
            }
        }
        self.emit(Instr::CallFunctionEx(true));
        Ok(())
    }

    fn kw_subdict(&mut self, kws: &[&'a ast::Keyword]) -> R {
        let keys: Vec<Constant> = kws
            .iter()
            .filter_map(|k| k.arg.as_ref())
            .map(|n| Constant::Str(n.as_str().to_string()))
            .collect();
        if kws.len() > 1 {
            for k in kws {
                self.expr(&k.value)?;
            }
            self.load_const(Constant::Tuple(keys));
            self.emit(Instr::BuildConstKeyMap(kws.len() as u32));
        } else {
            for (k, key) in kws.iter().zip(keys) {
                self.load_const(key);
                self.expr(&k.value)?;
            }
            self.emit(Instr::BuildMap(kws.len() as u32));
        }
        Ok(())
    }

    // ----- nested scopes -----

    fn lambda(&mut self, l: &'a ast::ExprLambda) -> R {
        let flags = match &l.parameters {
            Some(p) => self.defaults(p)?,
            None => 0,
        };
        let scope = self.scope_for(node_key(l, NodeKind::Lambda), l.range)?;
        let qualname = self.qualname_for("<lambda>", ScopeKind::Lambda);
        let first_line = self.line_of(l.range);
        self.push_unit(scope, "<lambda>".into(), qualname, first_line);
        self.set_params(l.parameters.as_deref());
        self.add_const(Constant::None);
        self.set_loc(l.range);
        self.prologue();
        self.expr(&l.body)?;
        if self.table.scopes[scope].is_generator {
            self.emit(Instr::PopTop);
            self.load_const(Constant::None);
        }
        self.emit(Instr::ReturnValue);
        let code = self.finish_unit()?;
        self.set_loc(l.range);
        self.make_closure(code, flags)
    }

    fn comprehension(
        &mut self,
        key: (usize, u8),
        range: TextRange,
        generators: &'a [ast::Comprehension],
        kind: Comp,
        elt: &'a Expr,
        value: Option<&'a Expr>,
    ) -> R {
        if let Some(g) = generators.iter().find(|g| g.is_async) {
            return Err(self.error("asynchronous comprehensions are not supported", g.range));
        }
        let Some(first) = generators.first() else {
            return Err(self.internal("comprehension without generators", range));
        };
        let scope = self.scope_for(key, range)?;
        let name = self.table.scopes[scope].name.clone();
        let qualname = self.qualname_for(&name, ScopeKind::Comprehension);
        let first_line = self.line_of(range);
        self.push_unit(scope, name, qualname, first_line);
        self.unit().argcount = 1;
        self.set_loc(range);
        self.prologue();
        match kind {
            Comp::List => self.emit(Instr::BuildList(0)),
            Comp::Set => self.emit(Instr::BuildSet(0)),
            Comp::Dict => self.emit(Instr::BuildMap(0)),
            Comp::Gen => {}
        }
        self.comprehension_generator(generators, 0, kind, elt, value)?;
        self.set_loc(range);
        if kind == Comp::Gen {
            self.load_const(Constant::None);
        }
        self.emit(Instr::ReturnValue);
        let code = self.finish_unit()?;
        self.set_loc(range);
        self.make_closure(code, 0)?;
        self.expr(&first.iter)?;
        self.set_loc(range);
        self.emit(Instr::GetIter);
        self.emit(Instr::Call(0));
        Ok(())
    }

    fn comprehension_generator(
        &mut self,
        generators: &'a [ast::Comprehension],
        index: usize,
        kind: Comp,
        elt: &'a Expr,
        value: Option<&'a Expr>,
    ) -> R {
        let g = &generators[index];
        if index == 0 {
            self.emit(Instr::LoadFast(0));
        } else {
            self.expr(&g.iter)?;
            self.set_loc(g.range);
            self.emit(Instr::GetIter);
        }
        let start = self.new_label();
        let anchor = self.new_label();
        self.bind(start);
        self.set_loc(g.range);
        self.jump(Instr::ForIter, anchor);
        self.store(&g.target)?;
        for cond in &g.ifs {
            self.jump_if(cond, false, start)?;
        }
        if index + 1 < generators.len() {
            self.comprehension_generator(generators, index + 1, kind, elt, value)?;
        } else {
            // Stack: [container?, iterators (len(generators))].
            let depth = generators.len() as u32 + 1;
            match kind {
                Comp::Gen => {
                    self.expr(elt)?;
                    self.emit(Instr::YieldValue);
                    self.emit(Instr::Resume(1));
                    self.emit(Instr::PopTop);
                }
                Comp::List => {
                    self.expr(elt)?;
                    self.emit(Instr::ListAppend(depth));
                }
                Comp::Set => {
                    self.expr(elt)?;
                    self.emit(Instr::SetAdd(depth));
                }
                Comp::Dict => {
                    self.expr(elt)?;
                    if let Some(v) = value {
                        self.expr(v)?;
                    }
                    self.emit(Instr::MapAdd(depth));
                }
            }
        }
        self.set_loc(g.range);
        self.jump(Instr::JumpForward, start);
        self.bind(anchor);
        Ok(())
    }

    // ----- f-strings -----

    fn fstring(&mut self, f: &'a ast::ExprFString) -> R {
        let mut pieces = 0u32;
        let mut pending = String::new();
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(s) => pending.push_str(&s.value),
                ast::FStringPart::FString(fs) => {
                    self.fstring_elements(&fs.elements, &mut pieces, &mut pending)?;
                }
            }
        }
        self.finish_pieces(pieces, pending);
        Ok(())
    }

    fn finish_pieces(&mut self, mut pieces: u32, pending: String) {
        if !pending.is_empty() || pieces == 0 {
            self.load_const(Constant::Str(pending));
            pieces += 1;
        }
        if pieces > 1 {
            self.emit(Instr::BuildString(pieces));
        }
    }

    fn flush_literal(&mut self, pieces: &mut u32, pending: &mut String) {
        if !pending.is_empty() {
            self.load_const(Constant::Str(std::mem::take(pending)));
            *pieces += 1;
        }
    }

    fn fstring_elements(
        &mut self,
        elements: &'a ast::InterpolatedStringElements,
        pieces: &mut u32,
        pending: &mut String,
    ) -> R {
        for element in elements.iter() {
            match element {
                ast::InterpolatedStringElement::Literal(l) => pending.push_str(&l.value),
                ast::InterpolatedStringElement::Interpolation(i) => {
                    if let Some(debug) = &i.debug_text {
                        pending.push_str(debug.as_str());
                    }
                    self.flush_literal(pieces, pending);
                    self.formatted_value(i)?;
                    *pieces += 1;
                }
            }
        }
        Ok(())
    }

    fn formatted_value(&mut self, i: &'a ast::InterpolatedElement) -> R {
        self.expr(&i.expression)?;
        let mut conversion = match i.conversion {
            ast::ConversionFlag::None => Conversion::None,
            ast::ConversionFlag::Str => Conversion::Str,
            ast::ConversionFlag::Repr => Conversion::Repr,
            ast::ConversionFlag::Ascii => Conversion::Ascii,
        };
        if i.debug_text.is_some() && conversion == Conversion::None && i.format_spec.is_none() {
            conversion = Conversion::Repr;
        }
        let has_spec = match &i.format_spec {
            Some(spec) => {
                let mut pieces = 0;
                let mut pending = String::new();
                self.fstring_elements(&spec.elements, &mut pieces, &mut pending)?;
                self.finish_pieces(pieces, pending);
                true
            }
            None => false,
        };
        self.set_loc(i.range);
        self.emit(Instr::FormatValue(FormatFlags {
            conversion,
            has_spec,
        }));
        Ok(())
    }
}
