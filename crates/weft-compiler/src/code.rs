//! The code object: what the compiler produces and the eval loop executes.

use std::sync::Arc;

use weft_object::scalar::int::Int;

use crate::instr::Instr;

/// Code flags (CPython's `co_flags` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct CodeFlags(pub u32);

impl CodeFlags {
    /// Locals live in fast slots (functions, lambdas, comprehensions); otherwise a locals
    /// mapping is used (module and class bodies).
    pub const OPTIMIZED: u32 = 0x0001;
    /// A fresh locals namespace per call.
    pub const NEWLOCALS: u32 = 0x0002;
    /// Has a `*args` parameter.
    pub const VARARGS: u32 = 0x0004;
    /// Has a `**kwargs` parameter.
    pub const VARKEYWORDS: u32 = 0x0008;
    /// Defined inside another function (has an enclosing function scope).
    pub const NESTED: u32 = 0x0010;
    /// A generator function: calling it returns a generator.
    pub const GENERATOR: u32 = 0x0020;
    /// No cell and no free variables.
    pub const NOFREE: u32 = 0x0040;

    /// Whether all bits of `flag` are set.
    pub fn has(self, flag: u32) -> bool {
        self.0 & flag == flag
    }

    /// The names of the set flags, CPython style (`"OPTIMIZED, NEWLOCALS"`).
    pub fn names(self) -> String {
        let table = [
            (Self::OPTIMIZED, "OPTIMIZED"),
            (Self::NEWLOCALS, "NEWLOCALS"),
            (Self::VARARGS, "VARARGS"),
            (Self::VARKEYWORDS, "VARKEYWORDS"),
            (Self::NESTED, "NESTED"),
            (Self::GENERATOR, "GENERATOR"),
            (Self::NOFREE, "NOFREE"),
        ];
        let names: Vec<&str> = table
            .iter()
            .filter(|(bit, _)| self.0 & bit != 0)
            .map(|&(_, name)| name)
            .collect();
        names.join(", ")
    }
}

/// A compile-time constant (an entry of [`CodeObject::constants`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int`.
    Int(Int),
    /// A `float`.
    Float(f64),
    /// A `complex` (only literals like `2j` and folded arithmetic on them produce these).
    Complex {
        /// The real part.
        real: f64,
        /// The imaginary part.
        imag: f64,
    },
    /// A `str`.
    Str(String),
    /// A `bytes`.
    Bytes(Vec<u8>),
    /// A `tuple` of constants.
    Tuple(Vec<Constant>),
    /// A nested code object (function, lambda, class body, comprehension).
    Code(Arc<CodeObject>),
    /// `...`.
    Ellipsis,
}

impl Constant {
    /// Python truthiness of the constant.
    pub fn is_truthy(&self) -> bool {
        match self {
            Constant::None => false,
            Constant::Bool(b) => *b,
            Constant::Int(i) => !i.is_zero(),
            Constant::Float(f) => *f != 0.0,
            Constant::Complex { real, imag } => *real != 0.0 || *imag != 0.0,
            Constant::Str(s) => !s.is_empty(),
            Constant::Bytes(b) => !b.is_empty(),
            Constant::Tuple(t) => !t.is_empty(),
            Constant::Code(_) | Constant::Ellipsis => true,
        }
    }

    /// The constant's `repr()`, as the disassembler prints it.
    pub fn repr(&self) -> String {
        use weft_object::scalar;
        match self {
            Constant::None => "None".into(),
            Constant::Bool(true) => "True".into(),
            Constant::Bool(false) => "False".into(),
            Constant::Int(i) => i.to_string(),
            Constant::Float(f) => scalar::float::repr(*f),
            Constant::Complex { real, imag } => complex_repr(*real, *imag),
            Constant::Str(s) => scalar::str::repr(s),
            Constant::Bytes(b) => scalar::bytes::repr(b),
            Constant::Tuple(items) => {
                let parts: Vec<String> = items.iter().map(Constant::repr).collect();
                if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                }
            }
            Constant::Code(code) => format!(
                "<code object {}, file \"{}\", line {}>",
                code.name, code.filename, code.first_line
            ),
            Constant::Ellipsis => "Ellipsis".into(),
        }
    }
}

/// `repr(complex(real, imag))`.
fn complex_repr(real: f64, imag: f64) -> String {
    use weft_object::scalar::float::repr;
    let part = |x: f64| {
        let r = repr(x);
        // Integral values print without ".0" inside a complex repr.
        r.strip_suffix(".0").map(str::to_string).unwrap_or(r)
    };
    if real == 0.0 && real.is_sign_positive() {
        format!("{}j", part(imag))
    } else {
        let sign = if imag.is_sign_negative() && !imag.is_nan() {
            ""
        } else {
            "+"
        };
        format!("({}{}{}j)", part(real), sign, part(imag))
    }
}

/// One entry of a code object's exception table (CPython 3.11 semantics).
///
/// When an exception is raised by an instruction whose index `i` satisfies
/// `start <= i < end`, the eval loop:
///
/// 1. pops the value stack down to `depth` items (dropping the references),
/// 2. if `lasti`, pushes `i` as an int (so `RERAISE` can restore the raising instruction),
/// 3. pushes the exception,
/// 4. continues at instruction `target`.
///
/// An instruction not covered by any entry propagates the exception out of the frame. Entries
/// are sorted by `start` and never overlap: the table is already flattened, so the innermost
/// handler is the only one listed for each instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExceptionTableEntry {
    /// First covered instruction.
    pub start: u32,
    /// One past the last covered instruction.
    pub end: u32,
    /// Handler entry point.
    pub target: u32,
    /// Stack depth to unwind to (before `lasti` and the exception are pushed).
    pub depth: u32,
    /// Whether the raising instruction's index is pushed below the exception.
    pub lasti: bool,
}

/// A source range: 1-based lines, 0-based character columns, end exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Location {
    /// First line (1-based; 0 when unknown).
    pub line: u32,
    /// Last line.
    pub end_line: u32,
    /// Start column in characters (0-based).
    pub col: u32,
    /// End column in characters (0-based, exclusive).
    pub end_col: u32,
}

/// Maps instruction indices to source locations, as runs: each entry gives the location of
/// every instruction from its `start` up to the next entry's `start`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LineTable {
    /// `(first instruction index, location)`, sorted by index; the first starts at 0.
    pub entries: Vec<(u32, Location)>,
}

impl LineTable {
    /// Builds the table from one location per instruction.
    pub fn from_locations(locations: &[Location]) -> LineTable {
        let mut entries: Vec<(u32, Location)> = Vec::new();
        for (i, loc) in locations.iter().enumerate() {
            if entries.last().is_none_or(|(_, last)| last != loc) {
                entries.push((i as u32, *loc));
            }
        }
        LineTable { entries }
    }

    /// The location of instruction `index` (`None` past the table or for an unknown line).
    pub fn location(&self, index: u32) -> Option<Location> {
        let pos = self.entries.partition_point(|&(start, _)| start <= index);
        let loc = self.entries.get(pos.checked_sub(1)?)?.1;
        (loc.line != 0).then_some(loc)
    }
}

/// A compiled unit: a module, function, lambda, class body or comprehension.
///
/// # Slots
///
/// A frame of this code has `varnames.len() + cellvars.len() + freevars.len()` slots, in that
/// order, followed by at most `stack_size` value-stack entries. `LOAD_FAST`-family operands
/// index `varnames` (slot `i`); `*_DEREF`, `MAKE_CELL` and `LOAD_CLOSURE` operands are slot
/// numbers in the cell range (`varnames.len() ..`) or the free range
/// (`varnames.len() + cellvars.len() ..`). See [the frame layout](crate#frame-layout).
///
/// # Parameters
///
/// The first `argcount + kwonlyargcount` varnames are the named parameters (positional-only
/// first, then positional-or-keyword, then keyword-only), followed by the `*args` name if
/// [`CodeFlags::VARARGS`] and the `**kwargs` name if [`CodeFlags::VARKEYWORDS`].
/// `posonlyargcount` of the `argcount` positional parameters are positional-only.
///
/// For function and lambda code, `constants[0]` is the docstring, or `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeObject {
    /// `co_name`: the function or class name, `<module>`, `<lambda>`, `<listcomp>`, ...
    pub name: String,
    /// `co_qualname`: the dotted path used by `__qualname__` (`C.f.<locals>.g`).
    pub qualname: String,
    /// The file name given to [`compile`](crate::compile).
    pub filename: String,
    /// The first source line (of the first decorator, for decorated definitions).
    pub first_line: u32,
    /// Number of positional parameters (including positional-only ones).
    pub argcount: u32,
    /// Number of positional-only parameters.
    pub posonlyargcount: u32,
    /// Number of keyword-only parameters.
    pub kwonlyargcount: u32,
    /// [`CodeFlags`].
    pub flags: CodeFlags,
    /// Names of the local slots (parameters first).
    pub varnames: Vec<String>,
    /// Names of the cell slots: locals captured by inner scopes (and `__class__` in a class
    /// body that needs it).
    pub cellvars: Vec<String>,
    /// Names of the free slots: variables of enclosing scopes, filled from the closure.
    pub freevars: Vec<String>,
    /// Names used by the `*_NAME`, `*_GLOBAL`, `*_ATTR`, `LOAD_METHOD` and import instructions.
    pub names: Vec<String>,
    /// The constant pool.
    pub constants: Vec<Constant>,
    /// The instructions; jump targets are indices into this vector.
    pub instructions: Vec<Instr>,
    /// The exception table (see [`ExceptionTableEntry`]).
    pub exception_table: Vec<ExceptionTableEntry>,
    /// Instruction index → source location.
    pub line_table: LineTable,
    /// The maximum value-stack depth (computed by stack-depth analysis; exception handler
    /// entries included).
    pub stack_size: u32,
}

impl Drop for CodeObject {
    /// Drops nested code objects iteratively: lambdas can nest thousands deep, and a
    /// recursive drop of such a chain would need a deep stack on whichever thread drops it.
    fn drop(&mut self) {
        fn take_nested(code: &mut CodeObject, into: &mut Vec<Arc<CodeObject>>) {
            for c in code.constants.iter_mut() {
                if matches!(c, Constant::Code(_))
                    && let Constant::Code(nested) = std::mem::replace(c, Constant::None)
                {
                    into.push(nested);
                }
            }
        }
        let mut work = Vec::new();
        take_nested(self, &mut work);
        while let Some(nested) = work.pop() {
            if let Ok(mut code) = Arc::try_unwrap(nested) {
                take_nested(&mut code, &mut work);
            }
        }
    }
}

impl CodeObject {
    /// The source line of instruction `index` (for tracebacks).
    pub fn line_for(&self, index: usize) -> Option<u32> {
        self.location_for(index).map(|l| l.line)
    }

    /// The source location (lines and column range) of instruction `index`.
    pub fn location_for(&self, index: usize) -> Option<Location> {
        if index >= self.instructions.len() {
            return None;
        }
        self.line_table.location(index as u32)
    }

    /// Number of slots before the value stack: locals, cells and free variables.
    pub fn slot_count(&self) -> usize {
        self.varnames.len() + self.cellvars.len() + self.freevars.len()
    }

    /// Total frame size in slots: [`slot_count`](Self::slot_count) plus the stack size.
    pub fn frame_size(&self) -> usize {
        self.slot_count() + self.stack_size as usize
    }

    /// The name of slot `slot` (a local, cell or free variable).
    pub fn slot_name(&self, slot: u32) -> Option<&str> {
        let slot = slot as usize;
        let nl = self.varnames.len();
        let nc = self.cellvars.len();
        if slot < nl {
            Some(&self.varnames[slot])
        } else if slot < nl + nc {
            Some(&self.cellvars[slot - nl])
        } else {
            self.freevars.get(slot - nl - nc).map(String::as_str)
        }
    }

    /// The exception table entry covering instruction `index`, if any.
    pub fn handler_for(&self, index: u32) -> Option<&ExceptionTableEntry> {
        let pos = self.exception_table.partition_point(|e| e.start <= index);
        let entry = self.exception_table.get(pos.checked_sub(1)?)?;
        (index < entry.end).then_some(entry)
    }

    /// The code objects nested in this one's constants (not recursively).
    pub fn nested(&self) -> impl Iterator<Item = &Arc<CodeObject>> {
        self.constants.iter().filter_map(|c| match c {
            Constant::Code(code) => Some(code),
            _ => None,
        })
    }
}
