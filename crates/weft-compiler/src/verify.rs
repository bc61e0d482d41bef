//! A bytecode verifier: structural checks and the stack-depth analysis.
//!
//! [`analyze_stack`] walks every path of a code object (fall-through, jumps and exception
//! edges) from instruction 0 with an empty stack and checks that:
//!
//! - no instruction finds fewer items on the stack than it needs (never negative),
//! - every path reaching an instruction arrives with the same depth,
//! - control never falls off the end of the instructions,
//! - an instruction covered by an exception handler runs at a depth at least the handler's
//!   unwind depth; the handler starts at `depth + lasti + 1`.
//!
//! Its maximum is the code object's `stack_size`. [`verify`] adds structural checks (jump
//! targets, operand indices, the exception table, `KW_NAMES` before a `CALL`) and checks that
//! the analysed maximum does not exceed `stack_size`, recursively for nested code objects.

use core::fmt;

use crate::code::{CodeObject, Constant};
use crate::instr::{Instr, Target};

/// A verification failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    /// The code object's qualified name.
    pub code: String,
    /// The offending instruction, when there is one.
    pub index: Option<u32>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.index {
            Some(i) => write!(f, "{}: instruction {i}: {}", self.code, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for VerifyError {}

/// The result of the stack-depth analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackAnalysis {
    /// The largest depth reached anywhere.
    pub max_depth: u32,
    /// The depth before each instruction (`None`: unreachable).
    pub depths: Vec<Option<u32>>,
}

fn err(code: &CodeObject, index: Option<u32>, message: impl Into<String>) -> VerifyError {
    VerifyError {
        code: code.qualname.clone(),
        index,
        message: message.into(),
    }
}

/// Runs the stack-depth analysis over all paths of `code` (not its nested code objects).
pub fn analyze_stack(code: &CodeObject) -> Result<StackAnalysis, VerifyError> {
    let n = code.instructions.len();
    let mut depths: Vec<Option<u32>> = vec![None; n];
    let mut max_depth: u32 = 0;
    if n == 0 {
        return Err(err(code, None, "no instructions"));
    }
    let mut work: Vec<(usize, u32)> = vec![(0, 0)];
    while let Some((i, depth)) = work.pop() {
        if i >= n {
            return Err(err(code, None, "control falls off the end of the code"));
        }
        match depths[i] {
            Some(d) if d == depth => continue,
            Some(d) => {
                return Err(err(
                    code,
                    Some(i as u32),
                    format!("inconsistent stack depth: {d} and {depth}"),
                ));
            }
            None => depths[i] = Some(depth),
        }
        max_depth = max_depth.max(depth);
        let instr = code.instructions[i];
        let needs = instr.stack_inputs();
        if depth < needs {
            return Err(err(
                code,
                Some(i as u32),
                format!(
                    "stack underflow: {} needs {needs} items, depth is {depth}",
                    instr.opname()
                ),
            ));
        }
        let after = |jump: bool| -> Result<u32, VerifyError> {
            let d = depth as i64 + instr.stack_effect(jump) as i64;
            u32::try_from(d).map_err(|_| err(code, Some(i as u32), "negative stack depth"))
        };
        if let Some(entry) = code.handler_for(i as u32) {
            if depth < entry.depth {
                return Err(err(
                    code,
                    Some(i as u32),
                    format!(
                        "depth {depth} is below the handler's unwind depth {}",
                        entry.depth
                    ),
                ));
            }
            let hd = entry.depth + entry.lasti as u32 + 1;
            max_depth = max_depth.max(hd);
            work.push((entry.target as usize, hd));
        }
        if let Some(Target(t)) = instr.jump_target() {
            let d = after(true)?;
            max_depth = max_depth.max(d);
            work.push((t as usize, d));
        }
        if !instr.is_terminator() {
            let d = after(false)?;
            max_depth = max_depth.max(d);
            work.push((i + 1, d));
        }
    }
    Ok(StackAnalysis { max_depth, depths })
}

/// Checks `code` and its nested code objects: structure, operands, exception table and the
/// stack-depth analysis against `stack_size`.
pub fn verify(code: &CodeObject) -> Result<StackAnalysis, VerifyError> {
    let analysis = verify_one(code)?;
    // Nested code objects, iteratively (lambdas can nest deeply).
    let mut work: Vec<&CodeObject> = code.nested().map(|c| &**c).collect();
    while let Some(c) = work.pop() {
        verify_one(c)?;
        work.extend(c.nested().map(|c| &**c));
    }
    Ok(analysis)
}

fn verify_one(code: &CodeObject) -> Result<StackAnalysis, VerifyError> {
    let n = code.instructions.len() as u32;
    let nlocals = code.varnames.len() as u32;
    let ncells = code.cellvars.len() as u32;
    let nslots = code.slot_count() as u32;
    for (i, instr) in code.instructions.iter().enumerate() {
        let at = Some(i as u32);
        let bad = |what: &str| Err(err(code, at, format!("{}: {what}", instr.opname())));
        if let Some(Target(t)) = instr.jump_target()
            && t >= n
        {
            return bad("jump target out of range");
        }
        match *instr {
            Instr::JumpForward(Target(t)) if t <= i as u32 => return bad("not forward"),
            Instr::JumpBackward(Target(t)) | Instr::JumpBackwardNoInterrupt(Target(t))
                if t > i as u32 =>
            {
                return bad("not backward");
            }
            Instr::LoadConst(c) | Instr::KwNames(c) if c as usize >= code.constants.len() => {
                return bad("constant index out of range");
            }
            Instr::LoadFast(v) | Instr::StoreFast(v) | Instr::DeleteFast(v) if v >= nlocals => {
                return bad("local index out of range");
            }
            Instr::LoadName(x)
            | Instr::StoreName(x)
            | Instr::DeleteName(x)
            | Instr::StoreGlobal(x)
            | Instr::DeleteGlobal(x)
            | Instr::LoadAttr(x)
            | Instr::StoreAttr(x)
            | Instr::DeleteAttr(x)
            | Instr::LoadMethod(x)
            | Instr::ImportName(x)
            | Instr::ImportFrom(x)
                if x as usize >= code.names.len() =>
            {
                return bad("name index out of range");
            }
            Instr::LoadGlobal(g) if g.name as usize >= code.names.len() => {
                return bad("name index out of range");
            }
            Instr::MakeCell(s) if s < nlocals || s >= nlocals + ncells => {
                return bad("not a cell slot");
            }
            Instr::LoadClosure(s)
            | Instr::LoadDeref(s)
            | Instr::LoadClassDeref(s)
            | Instr::StoreDeref(s)
            | Instr::DeleteDeref(s)
                if s < nlocals || s >= nslots =>
            {
                return bad("not a cell or free slot");
            }
            Instr::CopyFreeVars(k) if k as usize != code.freevars.len() => {
                return bad("count differs from the number of free variables");
            }
            Instr::Copy(0) | Instr::Swap(0) | Instr::Swap(1) => return bad("bad operand"),
            Instr::BuildSlice(k) if k != 2 && k != 3 => return bad("bad operand"),
            Instr::RaiseVarargs(k) if k > 2 => return bad("bad operand"),
            Instr::KwNames(c) => {
                let Some(Constant::Tuple(names)) = code.constants.get(c as usize) else {
                    return bad("keyword names are not a tuple");
                };
                if !names.iter().all(|x| matches!(x, Constant::Str(_))) {
                    return bad("keyword names are not strings");
                }
                match code.instructions.get(i + 1) {
                    Some(Instr::Call(argc)) if *argc as usize >= names.len() => {}
                    _ => return bad("not followed by a CALL with enough arguments"),
                }
            }
            _ => {}
        }
    }
    let mut prev_end = 0;
    for e in &code.exception_table {
        if e.start >= e.end || e.end > n || e.target >= n || e.start < prev_end {
            return Err(err(
                code,
                None,
                format!(
                    "bad exception table entry {} to {} -> {}",
                    e.start, e.end, e.target
                ),
            ));
        }
        prev_end = e.end;
    }
    if code.line_table.entries.first().map(|e| e.0) != Some(0) {
        return Err(err(
            code,
            None,
            "line table does not start at instruction 0",
        ));
    }
    let analysis = analyze_stack(code)?;
    if analysis.max_depth > code.stack_size {
        return Err(err(
            code,
            None,
            format!(
                "stack depth {} exceeds stack_size {}",
                analysis.max_depth, code.stack_size
            ),
        ));
    }
    Ok(analysis)
}
