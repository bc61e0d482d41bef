//! The assembler: emitted instructions with labels → a finished [`CodeObject`].
//!
//! 1. Labels and handler labels become instruction indices.
//! 2. Unreachable instructions (after `return`, `raise`, unconditional jumps, or behind a
//!    constant condition) and jumps to the very next instruction are removed, until nothing
//!    changes.
//! 3. Unconditional jumps get their direction (`JUMP_FORWARD` / `JUMP_BACKWARD`).
//! 4. The per-instruction handlers become the exception table, the per-instruction locations
//!    the line table.
//! 5. The stack-depth analysis ([`crate::verify::analyze_stack`]) checks every path and gives
//!    `stack_size`.

use crate::code::{CodeFlags, CodeObject, Constant, ExceptionTableEntry, LineTable, Location};
use crate::codegen::{Emitted, HandlerInfo};
use crate::instr::{Instr, Target};

/// Everything code generation produced for one code object.
pub(crate) struct RawCode {
    pub name: String,
    pub qualname: String,
    pub filename: String,
    pub first_line: u32,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub flags: CodeFlags,
    pub varnames: Vec<String>,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    pub names: Vec<String>,
    pub constants: Vec<Constant>,
    pub instrs: Vec<Emitted>,
    pub label_pos: Vec<Option<u32>>,
    pub handlers: Vec<HandlerInfo>,
}

struct Item {
    instr: Instr,
    loc: Location,
    /// (target index, depth, lasti)
    handler: Option<(u32, u32, bool)>,
}

/// Assembles `raw`; an error string describes an internal inconsistency.
pub(crate) fn assemble(raw: RawCode) -> Result<CodeObject, String> {
    let resolve = |label: u32| -> Result<u32, String> {
        raw.label_pos
            .get(label as usize)
            .copied()
            .flatten()
            .ok_or_else(|| format!("jump to unbound label {label}"))
    };
    let mut items: Vec<Item> = Vec::with_capacity(raw.instrs.len());
    for e in &raw.instrs {
        let mut instr = e.instr;
        if let Some(Target(label)) = instr.jump_target() {
            instr.set_jump_target(Target(resolve(label)?));
        }
        let handler = match e.handler {
            Some(h) => {
                let info = raw
                    .handlers
                    .get(h as usize)
                    .ok_or_else(|| format!("unknown handler {h}"))?;
                Some((resolve(info.label)?, info.depth, info.lasti))
            }
            None => None,
        };
        items.push(Item {
            instr,
            loc: e.loc,
            handler,
        });
    }

    // Each pass can expose more dead code; a few passes reach the fixed point in practice,
    // and the bound keeps pathological input linear.
    for _ in 0..16 {
        let keep = reachable(&items);
        let mut changed = compact(&mut items, &keep);
        // Jumps to the next instruction.
        let keep: Vec<bool> = items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                !(it.instr.is_unconditional_jump()
                    && it.instr.jump_target() == Some(Target(i as u32 + 1)))
            })
            .collect();
        changed |= compact(&mut items, &keep);
        if !changed {
            break;
        }
    }

    for (i, it) in items.iter_mut().enumerate() {
        if let Some(Target(t)) = it.instr.jump_target() {
            match it.instr {
                Instr::JumpForward(_) | Instr::JumpBackward(_) => {
                    it.instr = if t <= i as u32 {
                        Instr::JumpBackward(Target(t))
                    } else {
                        Instr::JumpForward(Target(t))
                    };
                }
                _ => {}
            }
        }
    }

    let mut exception_table: Vec<ExceptionTableEntry> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let Some((target, depth, lasti)) = it.handler else {
            continue;
        };
        let i = i as u32;
        if let Some(last) = exception_table.last_mut()
            && last.end == i
            && last.target == target
            && last.depth == depth
            && last.lasti == lasti
        {
            last.end = i + 1;
            continue;
        }
        exception_table.push(ExceptionTableEntry {
            start: i,
            end: i + 1,
            target,
            depth,
            lasti,
        });
    }

    let locations: Vec<Location> = items.iter().map(|it| it.loc).collect();
    let mut code = CodeObject {
        name: raw.name,
        qualname: raw.qualname,
        filename: raw.filename,
        first_line: raw.first_line,
        argcount: raw.argcount,
        posonlyargcount: raw.posonlyargcount,
        kwonlyargcount: raw.kwonlyargcount,
        flags: raw.flags,
        varnames: raw.varnames,
        cellvars: raw.cellvars,
        freevars: raw.freevars,
        names: raw.names,
        constants: raw.constants,
        instructions: items.into_iter().map(|it| it.instr).collect(),
        exception_table,
        line_table: LineTable::from_locations(&locations),
        stack_size: 0,
    };
    let analysis = crate::verify::analyze_stack(&code).map_err(|e| e.to_string())?;
    code.stack_size = analysis.max_depth;
    Ok(code)
}

/// Which instructions are reachable from the entry (following jumps, fall-through and
/// exception handlers).
fn reachable(items: &[Item]) -> Vec<bool> {
    let n = items.len();
    let mut seen = vec![false; n];
    let mut work = vec![0usize];
    while let Some(i) = work.pop() {
        if i >= n || seen[i] {
            continue;
        }
        seen[i] = true;
        let it = &items[i];
        if !it.instr.is_terminator() {
            work.push(i + 1);
        }
        if let Some(Target(t)) = it.instr.jump_target() {
            work.push(t as usize);
        }
        if let Some((t, _, _)) = it.handler {
            work.push(t as usize);
        }
    }
    seen
}

/// Removes the instructions not marked in `keep`, remapping jump and handler targets (a
/// target that was removed moves to the next kept instruction). Returns whether anything
/// was removed.
fn compact(items: &mut Vec<Item>, keep: &[bool]) -> bool {
    if keep.iter().all(|&k| k) {
        return false;
    }
    let n = items.len();
    // new_index[i] = index of the first kept instruction at or after i.
    let mut new_index = vec![0u32; n + 1];
    let kept: u32 = keep.iter().filter(|&&k| k).count() as u32;
    new_index[n] = kept;
    let mut next = kept;
    for i in (0..n).rev() {
        if keep[i] {
            next -= 1;
        }
        new_index[i] = if keep[i] { next } else { new_index[i + 1] };
    }
    let old = std::mem::take(items);
    for (i, mut it) in old.into_iter().enumerate() {
        if !keep[i] {
            continue;
        }
        if let Some(Target(t)) = it.instr.jump_target() {
            let t = new_index[(t as usize).min(n)];
            it.instr.set_jump_target(Target(t));
        }
        if let Some((t, d, l)) = it.handler {
            it.handler = Some((new_index[(t as usize).min(n)], d, l));
        }
        items.push(it);
    }
    true
}
