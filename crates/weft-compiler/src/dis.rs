//! The disassembler: a readable listing in the layout of CPython's `dis` module.
//!
//! ```text
//! Disassembly of <code object f, file "x.py", line 1>:
//!   qualname f, 1 positional (0 positional-only, 0 keyword-only), stack size 2
//!   flags OPTIMIZED, NEWLOCALS, NOFREE
//!   varnames x
//!   2           0 RESUME                   0
//!
//!   3           1 LOAD_FAST                0 (x)
//!               2 RETURN_VALUE
//! ```
//!
//! Columns: source line (printed when it changes), `>>` on jump targets, the instruction
//! index, the opname, the compact operand and its meaning (a constant, a name, a jump target,
//! an operator). Unlike CPython, offsets are instruction indices, not byte offsets. The
//! exception table follows the instructions (`start to end -> target [depth] lasti`, `end`
//! inclusive as CPython prints it). Nested code objects follow, recursively.

use std::collections::HashSet;
use std::fmt::Write;

use crate::code::CodeObject;
use crate::instr::{Conversion, Instr, MakeFunctionFlags, Target};

/// Disassembles `code` and, after it, every nested code object.
pub fn dis(code: &CodeObject) -> String {
    let mut out = String::new();
    // Depth-first, in constant order, without recursion (lambdas can nest deeply).
    let mut work: Vec<&CodeObject> = vec![code];
    let mut first = true;
    while let Some(c) = work.pop() {
        if !first {
            out.push('\n');
        }
        first = false;
        dis_into(c, &mut out);
        let nested: Vec<&CodeObject> = c.nested().map(|n| &**n).collect();
        work.extend(nested.into_iter().rev());
    }
    out
}

fn header(code: &CodeObject) -> String {
    format!(
        "<code object {}, file \"{}\", line {}>",
        code.name, code.filename, code.first_line
    )
}

fn list(names: &[String]) -> String {
    names.join(", ")
}

fn dis_into(code: &CodeObject, out: &mut String) {
    let _ = writeln!(out, "Disassembly of {}:", header(code));
    let _ = writeln!(
        out,
        "  qualname {}, {} positional ({} positional-only, {} keyword-only), stack size {}",
        code.qualname, code.argcount, code.posonlyargcount, code.kwonlyargcount, code.stack_size
    );
    let flags = code.flags.names();
    if !flags.is_empty() {
        let _ = writeln!(out, "  flags {flags}");
    }
    if !code.varnames.is_empty() {
        let _ = writeln!(out, "  varnames {}", list(&code.varnames));
    }
    if !code.cellvars.is_empty() {
        let _ = writeln!(out, "  cellvars {}", list(&code.cellvars));
    }
    if !code.freevars.is_empty() {
        let _ = writeln!(out, "  freevars {}", list(&code.freevars));
    }
    let targets: HashSet<u32> = code
        .instructions
        .iter()
        .filter_map(|i| i.jump_target().map(|Target(t)| t))
        .chain(code.exception_table.iter().map(|e| e.target))
        .collect();
    let mut last_line: Option<u32> = None;
    for (i, instr) in code.instructions.iter().enumerate() {
        let line = code.line_for(i);
        let mut fields = String::new();
        if line.is_some() && line != last_line {
            if last_line.is_some() {
                out.push('\n');
            }
            let _ = write!(fields, "{:>4}", line.unwrap_or(0));
            last_line = line;
        } else {
            fields.push_str("    ");
        }
        fields.push_str("    ");
        fields.push_str(if targets.contains(&(i as u32)) {
            ">>"
        } else {
            "  "
        });
        let _ = write!(fields, " {:>4} {:<20}", i, instr.opname());
        if instr.has_arg() {
            let _ = write!(fields, " {:>5}", instr.oparg());
            let repr = argrepr(code, instr);
            if !repr.is_empty() {
                let _ = write!(fields, " ({repr})");
            }
        }
        out.push_str(fields.trim_end());
        out.push('\n');
    }
    if !code.exception_table.is_empty() {
        out.push_str("ExceptionTable:\n");
        for e in &code.exception_table {
            let _ = writeln!(
                out,
                "  {} to {} -> {} [{}]{}",
                e.start,
                e.end - 1,
                e.target,
                e.depth,
                if e.lasti { " lasti" } else { "" }
            );
        }
    }
}

fn name(code: &CodeObject, i: u32) -> String {
    code.names
        .get(i as usize)
        .cloned()
        .unwrap_or_else(|| "<bad name>".into())
}

/// The meaning of an instruction's operand, as `dis` prints it in parentheses.
pub fn argrepr(code: &CodeObject, instr: &Instr) -> String {
    use Instr::*;
    match *instr {
        LoadConst(c) | KwNames(c) => code
            .constants
            .get(c as usize)
            .map_or_else(|| "<bad constant>".into(), |c| c.repr()),
        LoadFast(v) | StoreFast(v) | DeleteFast(v) => code
            .varnames
            .get(v as usize)
            .cloned()
            .unwrap_or_else(|| "<bad local>".into()),
        LoadName(x) | StoreName(x) | DeleteName(x) | StoreGlobal(x) | DeleteGlobal(x)
        | LoadAttr(x) | StoreAttr(x) | DeleteAttr(x) | LoadMethod(x) | ImportName(x)
        | ImportFrom(x) => name(code, x),
        LoadGlobal(g) => {
            if g.push_null {
                format!("NULL + {}", name(code, g.name))
            } else {
                name(code, g.name)
            }
        }
        MakeCell(s) | LoadClosure(s) | LoadDeref(s) | LoadClassDeref(s) | StoreDeref(s)
        | DeleteDeref(s) => code.slot_name(s).unwrap_or("<bad slot>").to_string(),
        JumpForward(Target(t))
        | JumpBackward(Target(t))
        | JumpBackwardNoInterrupt(Target(t))
        | PopJumpIfFalse(Target(t))
        | PopJumpIfTrue(Target(t))
        | PopJumpIfNone(Target(t))
        | PopJumpIfNotNone(Target(t))
        | JumpIfFalseOrPop(Target(t))
        | JumpIfTrueOrPop(Target(t))
        | ForIter(Target(t))
        | Send(Target(t)) => format!("to {t}"),
        BinaryOp(op) => op.symbol().to_string(),
        CompareOp(op) => op.symbol().to_string(),
        IsOp(inv) => if inv { "is not" } else { "is" }.to_string(),
        ContainsOp(inv) => if inv { "not in" } else { "in" }.to_string(),
        FormatValue(f) => {
            let mut parts = Vec::new();
            match f.conversion {
                Conversion::None => {}
                Conversion::Str => parts.push("str"),
                Conversion::Repr => parts.push("repr"),
                Conversion::Ascii => parts.push("ascii"),
            }
            if f.has_spec {
                parts.push("with format");
            }
            parts.join(", ")
        }
        MakeFunction(flags) => {
            let mut parts = Vec::new();
            for (bit, label) in [
                (MakeFunctionFlags::DEFAULTS, "defaults"),
                (MakeFunctionFlags::KWDEFAULTS, "kwdefaults"),
                (MakeFunctionFlags::ANNOTATIONS, "annotations"),
                (MakeFunctionFlags::CLOSURE, "closure"),
            ] {
                if flags.has(bit) {
                    parts.push(label);
                }
            }
            parts.join(", ")
        }
        UnpackEx(a) => format!("{} before, {} after", a.before, a.after),
        CallFunctionEx(true) => "with kwargs".into(),
        _ => String::new(),
    }
}
