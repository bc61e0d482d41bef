//! The instruction set: [`Instr`], its operands and its stack effects.
//!
//! The set follows CPython 3.11's (same names, same stack shapes, same calling convention),
//! so that a specializing interpreter can later rewrite the same instructions into the same
//! specialized forms. The differences from CPython's byte encoding:
//!
//! - An instruction is a Rust value ([`Instr`]) with typed operands, stored in a `Vec`; there
//!   are no `EXTENDED_ARG` prefixes, no inline caches and no `PRECALL`.
//! - Jump operands ([`Target`]) are absolute instruction indices into
//!   [`CodeObject::instructions`](crate::CodeObject::instructions), not relative byte offsets;
//!   so the `FORWARD`/`BACKWARD` variants of the conditional jumps are merged. `JUMP_FORWARD`
//!   and `JUMP_BACKWARD` are kept apart because only backward jumps (loops) must check the eval
//!   breaker.
//! - Generator code has no `RETURN_GENERATOR`: a call of a code object flagged
//!   [`GENERATOR`](crate::CodeFlags::GENERATOR) builds the generator without running the frame,
//!   and the first `send` starts at instruction 0 with nothing pushed.
//! - `MAKE_CELL` creates an *empty* cell in a cell slot (cells have their own slots, see
//!   [the frame layout](crate#frame-layout)); a parameter that is also a cell variable is copied
//!   into its cell by an explicit `LOAD_FAST`/`STORE_DEREF` pair in the prologue.
//!
//! A compact numeric form exists for tools and caches: [`Instr::opcode`] and [`Instr::oparg`]
//! give a `(u8, u32)` pair, and [`Instr::decode`] turns one back.
//!
//! # Stack notation
//!
//! Stacks are written bottom → top; `…` is the untouched rest. `NULL` is the null marker
//! pushed by `PUSH_NULL` (and by `LOAD_GLOBAL`/`LOAD_METHOD`), never a Python object.
//! "Slot `i`" is entry `i` of the frame's fast-locals array (locals, then cells, then free
//! variables: see [the frame layout](crate#frame-layout)).
//!
//! # The instructions and their stack effects
//!
//! | instruction | operand | stack before → after | notes |
//! | --- | --- | --- | --- |
//! | `NOP` | — | … → … | |
//! | `POP_TOP` | — | …, a → … | |
//! | `PUSH_NULL` | — | … → …, NULL | |
//! | `COPY` | n ≥ 1 | …, a, (n−1 items) → …, a, (n−1 items), a | `COPY 1` duplicates the top |
//! | `SWAP` | n ≥ 2 | …, a, (n−2 items), b → …, b, (n−2 items), a | |
//! | `RESUME` | kind | … → … | 0: function start, 1: after `yield`, 2: after `yield from`; checks the eval breaker |
//! | `LOAD_CONST` | const index | … → …, c | |
//! | `LOAD_FAST` | slot | … → …, v | `UnboundLocalError` if the slot is empty |
//! | `STORE_FAST` | slot | …, v → … | |
//! | `DELETE_FAST` | slot | … → … | `UnboundLocalError` if empty |
//! | `LOAD_NAME` | name index | … → …, v | locals mapping, then globals, then builtins |
//! | `STORE_NAME` | name index | …, v → … | into the locals mapping |
//! | `DELETE_NAME` | name index | … → … | `NameError` if absent |
//! | `LOAD_GLOBAL` | name index, push_null | … → …, \[NULL,\] v | globals then builtins; with `push_null` a NULL is pushed *below* the value |
//! | `STORE_GLOBAL` | name index | …, v → … | |
//! | `DELETE_GLOBAL` | name index | … → … | |
//! | `MAKE_CELL` | slot | … → … | puts a new empty cell in the cell slot |
//! | `COPY_FREE_VARS` | n | … → … | copies the n cells of the function's closure into the n free slots |
//! | `LOAD_CLOSURE` | slot | … → …, cell | pushes the cell object itself |
//! | `LOAD_DEREF` | slot | … → …, v | contents of the cell; `NameError`/`UnboundLocalError` if empty |
//! | `LOAD_CLASSDEREF` | slot | … → …, v | class bodies: the locals mapping first, then the cell |
//! | `STORE_DEREF` | slot | …, v → … | |
//! | `DELETE_DEREF` | slot | … → … | |
//! | `LOAD_ATTR` | name index | …, o → …, o.name | |
//! | `STORE_ATTR` | name index | …, v, o → … | `o.name = v` |
//! | `DELETE_ATTR` | name index | …, o → … | |
//! | `LOAD_METHOD` | name index | …, o → …, meth, o *or* …, NULL, o.name | unbound method plus self when the attribute is a plain method, else NULL and the bound value |
//! | `BINARY_SUBSCR` | — | …, o, k → …, o\[k\] | |
//! | `STORE_SUBSCR` | — | …, v, o, k → … | `o[k] = v` |
//! | `DELETE_SUBSCR` | — | …, o, k → … | |
//! | `BUILD_SLICE` | 2 or 3 | …, start, stop\[, step\] → …, slice | |
//! | `UNARY_POSITIVE` / `UNARY_NEGATIVE` / `UNARY_NOT` / `UNARY_INVERT` | — | …, a → …, op a | |
//! | `BINARY_OP` | [`BinaryOp`] | …, a, b → …, a op b | in-place variants try `__iop__` first |
//! | `COMPARE_OP` | [`CompareOp`] | …, a, b → …, a op b | rich comparison |
//! | `IS_OP` | invert | …, a, b → …, bool | `a is b` (`is not` when inverted) |
//! | `CONTAINS_OP` | invert | …, a, b → …, bool | `a in b` (`not in` when inverted) |
//! | `JUMP_FORWARD` / `JUMP_BACKWARD` | target | … → … | backward jumps check the eval breaker |
//! | `JUMP_BACKWARD_NO_INTERRUPT` | target | … → … | the `yield from` loop; no eval breaker check |
//! | `POP_JUMP_IF_FALSE` / `POP_JUMP_IF_TRUE` | target | …, v → … | jumps when `bool(v)` is false / true |
//! | `POP_JUMP_IF_NONE` / `POP_JUMP_IF_NOT_NONE` | target | …, v → … | jumps when `v is None` / `is not None` |
//! | `JUMP_IF_FALSE_OR_POP` / `JUMP_IF_TRUE_OR_POP` | target | …, v → …, v (jump) *or* … (no jump) | `and` / `or` values |
//! | `GET_ITER` | — | …, o → …, iter(o) | |
//! | `FOR_ITER` | target | …, it → …, it, next(it) *or* … (jump) | on exhaustion pops the iterator and jumps |
//! | `GET_YIELD_FROM_ITER` | — | …, o → …, it | `iter(o)` unless `o` is a generator |
//! | `SEND` | target | …, recv, v → …, recv, y *or* …, r (jump) | `recv.send(v)`: a yielded `y` falls through, a return value `r` (StopIteration) jumps |
//! | `YIELD_VALUE` | — | …, v → …, sent | suspends the frame yielding `v`; resumes with the sent value pushed |
//! | `RETURN_VALUE` | — | …, v → (frame ends) | |
//! | `KW_NAMES` | const index | … → … | the tuple of keyword names of the following `CALL` |
//! | `CALL` | argc | …, A, B, args (argc) → …, result | if A is NULL calls `B(*args)`, else `A(B, *args)`; the last `len(kw_names)` args are keywords |
//! | `CALL_FUNCTION_EX` | has_kwargs | …, A, f, args_iterable\[, kwargs_mapping\] → …, result | A is NULL (kept for the shape); `f(*args, **kwargs)` |
//! | `MAKE_FUNCTION` | [`MakeFunctionFlags`] | …, \[defaults\], \[kwdefaults\], \[annotations\], \[closure\], code → …, function | present items in that order, per flag |
//! | `LOAD_BUILD_CLASS` | — | … → …, `__build_class__` | |
//! | `BUILD_TUPLE` / `BUILD_LIST` / `BUILD_SET` | n | …, items (n) → …, container | |
//! | `BUILD_MAP` | n | …, k1, v1, …, kn, vn → …, dict | |
//! | `BUILD_CONST_KEY_MAP` | n | …, v1, …, vn, keys_tuple → …, dict | |
//! | `LIST_APPEND` / `SET_ADD` | i | …, c, (i−1 items), v → …, c, (i−1 items) | adds `v` to the container `i` below the top after popping `v` |
//! | `MAP_ADD` | i | …, d, (i−1 items), k, v → …, d, (i−1 items) | `d[k] = v` |
//! | `LIST_EXTEND` / `SET_UPDATE` / `DICT_UPDATE` / `DICT_MERGE` | i | …, c, (i−1 items), x → …, c, (i−1 items) | `DICT_MERGE` raises on duplicate keys (calls) |
//! | `LIST_TO_TUPLE` | — | …, list → …, tuple | |
//! | `UNPACK_SEQUENCE` | n | …, seq → …, x_n, …, x_1 | first item on top |
//! | `UNPACK_EX` | [`UnpackExArgs`] | …, seq → …, after items, list, before items | first item on top |
//! | `FORMAT_VALUE` | [`FormatFlags`] | …, v\[, spec\] → …, str | conversion then `format(v, spec)` |
//! | `BUILD_STRING` | n | …, strs (n) → …, str | concatenation |
//! | `RAISE_VARARGS` | 0, 1 or 2 | …, \[exc\[, cause\]\] → (raises) | 0 re-raises the exception being handled |
//! | `RERAISE` | n | …, exc → (raises) | if n > 0 first sets the frame's `lasti` from the int n+1 entries below the top (before popping) |
//! | `PUSH_EXC_INFO` | — | …, exc → …, prev_exc, exc | makes `exc` the exception being handled |
//! | `POP_EXCEPT` | — | …, prev_exc → … | restores the exception being handled |
//! | `CHECK_EXC_MATCH` | — | …, exc, type → …, exc, bool | `isinstance(exc, type)` (tuples allowed) |
//! | `LOAD_ASSERTION_ERROR` | — | … → …, AssertionError | |
//! | `BEFORE_WITH` | — | …, mgr → …, exit, enter_result | `exit` is the bound `__exit__` |
//! | `WITH_EXCEPT_START` | — | …, exit, lasti, prev_exc, exc → …, exit, lasti, prev_exc, exc, res | `res = exit(type(exc), exc, exc.__traceback__)` |
//! | `IMPORT_NAME` | name index | …, level, fromlist → …, module | `__import__(name, globals, None, fromlist, level)` |
//! | `IMPORT_FROM` | name index | …, module → …, module, attr | |
//! | `IMPORT_STAR` | — | …, module → … | |
//! | `PRINT_EXPR` | — | …, v → … | mode `single`: `sys.displayhook(v)` |
//!
//! # Executing code objects
//!
//! - **Modules** (`<module>`) run with the module dict as both globals and the locals
//!   mapping (`*_NAME` instructions); **class bodies** run with the new class namespace as
//!   the locals mapping (called by `__build_class__`, which the class statement invokes as
//!   `PUSH_NULL; LOAD_BUILD_CLASS; <body function>; 'Name'; <bases>; [KW_NAMES]; CALL n`);
//!   **functions, lambdas and comprehensions** ([`CodeFlags::OPTIMIZED`](crate::CodeFlags))
//!   use fast slots only.
//! - **Generators** ([`CodeFlags::GENERATOR`](crate::CodeFlags)): calling the function
//!   builds the frame and returns a generator without running anything. `send(v)` /
//!   `next()` run the frame from where it stopped; at instruction 0 nothing is pushed,
//!   after a `YIELD_VALUE` the sent value is pushed. `RETURN_VALUE` finishes the generator
//!   (`StopIteration(value)`); a `StopIteration` escaping the frame becomes `RuntimeError`
//!   (PEP 479), which is the generator object's job.
//! - **`yield from`** compiles to `GET_YIELD_FROM_ITER; LOAD_CONST None; L: SEND exit;
//!   YIELD_VALUE; RESUME 2; JUMP_BACKWARD_NO_INTERRUPT L; exit:`. A generator suspended at
//!   that `YIELD_VALUE` (the next instruction is `RESUME 2`) is delegating: the sub-iterator
//!   is on top of its value stack. `throw()`/`close()` must be forwarded to it; when the
//!   sub-iterator finishes with a value `r`, pop it, push `r` and continue at the `SEND`'s
//!   target (the `SEND` is the target of the `JUMP_BACKWARD_NO_INTERRUPT` after `RESUME 2`).
//!   An exception from the sub-iterator is raised at the `SEND`/`YIELD_VALUE` as usual.
//! - **Comprehensions** are functions of one argument (`.0`, the iterator of the outermost
//!   iterable), called right away: `<function>; <iterable>; GET_ITER; CALL 0`.
//!
//! Maximum stack use of a code object is [`stack_size`](crate::CodeObject::stack_size);
//! [`Instr::stack_effect`] gives the net effect of one instruction for the fall-through or
//! the jump edge, and [`crate::verify()`] re-checks a whole code object.

use core::fmt;

/// An absolute instruction index: the operand of a jump.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target(pub u32);

/// The operator of `BINARY_OP` (CPython 3.11's `NB_*` numbering).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum BinaryOp {
    Add = 0,
    And = 1,
    FloorDivide = 2,
    Lshift = 3,
    MatrixMultiply = 4,
    Multiply = 5,
    Remainder = 6,
    Or = 7,
    Power = 8,
    Rshift = 9,
    Subtract = 10,
    TrueDivide = 11,
    Xor = 12,
    InplaceAdd = 13,
    InplaceAnd = 14,
    InplaceFloorDivide = 15,
    InplaceLshift = 16,
    InplaceMatrixMultiply = 17,
    InplaceMultiply = 18,
    InplaceRemainder = 19,
    InplaceOr = 20,
    InplacePower = 21,
    InplaceRshift = 22,
    InplaceSubtract = 23,
    InplaceTrueDivide = 24,
    InplaceXor = 25,
}

impl BinaryOp {
    const ALL: [BinaryOp; 26] = [
        BinaryOp::Add,
        BinaryOp::And,
        BinaryOp::FloorDivide,
        BinaryOp::Lshift,
        BinaryOp::MatrixMultiply,
        BinaryOp::Multiply,
        BinaryOp::Remainder,
        BinaryOp::Or,
        BinaryOp::Power,
        BinaryOp::Rshift,
        BinaryOp::Subtract,
        BinaryOp::TrueDivide,
        BinaryOp::Xor,
        BinaryOp::InplaceAdd,
        BinaryOp::InplaceAnd,
        BinaryOp::InplaceFloorDivide,
        BinaryOp::InplaceLshift,
        BinaryOp::InplaceMatrixMultiply,
        BinaryOp::InplaceMultiply,
        BinaryOp::InplaceRemainder,
        BinaryOp::InplaceOr,
        BinaryOp::InplacePower,
        BinaryOp::InplaceRshift,
        BinaryOp::InplaceSubtract,
        BinaryOp::InplaceTrueDivide,
        BinaryOp::InplaceXor,
    ];

    /// The operator as written in Python source (`"+"`, `"+="`, ...).
    pub fn symbol(self) -> &'static str {
        const SYMBOLS: [&str; 26] = [
            "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^", "+=", "&=", "//=",
            "<<=", "@=", "*=", "%=", "|=", "**=", ">>=", "-=", "/=", "^=",
        ];
        SYMBOLS[self as usize]
    }

    /// Whether this is an augmented-assignment (`+=`) operator.
    pub fn is_inplace(self) -> bool {
        self as u8 >= BinaryOp::InplaceAdd as u8
    }

    /// The in-place form of a plain operator (identity on in-place operators).
    pub fn inplace(self) -> BinaryOp {
        if self.is_inplace() {
            self
        } else {
            BinaryOp::ALL[self as usize + 13]
        }
    }

    /// The plain form of an in-place operator (identity on plain operators).
    pub fn plain(self) -> BinaryOp {
        if self.is_inplace() {
            BinaryOp::ALL[self as usize - 13]
        } else {
            self
        }
    }

    /// The operator with number `n` (`None` above 25).
    pub fn from_u32(n: u32) -> Option<BinaryOp> {
        BinaryOp::ALL.get(n as usize).copied()
    }
}

/// The comparison of `COMPARE_OP` (CPython's `Py_LT`.. numbering).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum CompareOp {
    Lt = 0,
    Le = 1,
    Eq = 2,
    Ne = 3,
    Gt = 4,
    Ge = 5,
}

impl CompareOp {
    /// The operator as written in Python source.
    pub fn symbol(self) -> &'static str {
        ["<", "<=", "==", "!=", ">", ">="][self as usize]
    }

    /// The comparison with number `n`.
    pub fn from_u32(n: u32) -> Option<CompareOp> {
        [
            CompareOp::Lt,
            CompareOp::Le,
            CompareOp::Eq,
            CompareOp::Ne,
            CompareOp::Gt,
            CompareOp::Ge,
        ]
        .get(n as usize)
        .copied()
    }
}

/// The conversion of `FORMAT_VALUE` (`!s`, `!r`, `!a`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Conversion {
    /// No conversion.
    None,
    /// `!s`: `str(v)`.
    Str,
    /// `!r`: `repr(v)`.
    Repr,
    /// `!a`: `ascii(v)`.
    Ascii,
}

/// The operand of `FORMAT_VALUE`: a conversion and whether a format spec is on the stack.
/// Encoded as CPython does: conversion in the low two bits (0 none, 1 str, 2 repr, 3 ascii),
/// `0x04` when a spec is present.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FormatFlags {
    /// The conversion applied before formatting.
    pub conversion: Conversion,
    /// Whether the format spec string is on the stack above the value.
    pub has_spec: bool,
}

/// The operand of `MAKE_FUNCTION`: which optional items are on the stack below the code
/// object (CPython's flag values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct MakeFunctionFlags(pub u8);

impl MakeFunctionFlags {
    /// A tuple of positional parameter defaults.
    pub const DEFAULTS: u8 = 0x01;
    /// A dict of keyword-only parameter defaults.
    pub const KWDEFAULTS: u8 = 0x02;
    /// Annotations (never emitted: weft ignores annotations).
    pub const ANNOTATIONS: u8 = 0x04;
    /// A tuple of cells: the closure.
    pub const CLOSURE: u8 = 0x08;

    /// Whether all bits of `flag` are set.
    pub fn has(self, flag: u8) -> bool {
        self.0 & flag == flag
    }

    /// How many items (besides the code object) the instruction pops.
    pub fn item_count(self) -> u32 {
        (self.0 & 0x0f).count_ones()
    }
}

/// The operand of `UNPACK_EX`: how many targets before and after the starred one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UnpackExArgs {
    /// Targets before the starred target (at most 255).
    pub before: u8,
    /// Targets after the starred target.
    pub after: u32,
}

/// The operand of `LOAD_GLOBAL`: a name index and whether to push a NULL first (CPython's
/// low-bit encoding).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GlobalArg {
    /// Index into [`CodeObject::names`](crate::CodeObject::names).
    pub name: u32,
    /// Push NULL below the value (the callable slot of a following `CALL`).
    pub push_null: bool,
}

/// An operand type of an instruction, with its compact `u32` encoding.
pub trait Operand: Copy {
    /// The compact encoding.
    fn encode(self) -> u32;
    /// The operand back from its compact encoding (`None` if out of range).
    fn decode(raw: u32) -> Option<Self>;
}

impl Operand for u32 {
    fn encode(self) -> u32 {
        self
    }
    fn decode(raw: u32) -> Option<u32> {
        Some(raw)
    }
}

impl Operand for bool {
    fn encode(self) -> u32 {
        self as u32
    }
    fn decode(raw: u32) -> Option<bool> {
        match raw {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Operand for Target {
    fn encode(self) -> u32 {
        self.0
    }
    fn decode(raw: u32) -> Option<Target> {
        Some(Target(raw))
    }
}

impl Operand for BinaryOp {
    fn encode(self) -> u32 {
        self as u32
    }
    fn decode(raw: u32) -> Option<BinaryOp> {
        BinaryOp::from_u32(raw)
    }
}

impl Operand for CompareOp {
    fn encode(self) -> u32 {
        self as u32
    }
    fn decode(raw: u32) -> Option<CompareOp> {
        CompareOp::from_u32(raw)
    }
}

impl Operand for FormatFlags {
    fn encode(self) -> u32 {
        let conv = match self.conversion {
            Conversion::None => 0,
            Conversion::Str => 1,
            Conversion::Repr => 2,
            Conversion::Ascii => 3,
        };
        conv | if self.has_spec { 4 } else { 0 }
    }
    fn decode(raw: u32) -> Option<FormatFlags> {
        if raw > 7 {
            return None;
        }
        let conversion = match raw & 3 {
            0 => Conversion::None,
            1 => Conversion::Str,
            2 => Conversion::Repr,
            _ => Conversion::Ascii,
        };
        Some(FormatFlags {
            conversion,
            has_spec: raw & 4 != 0,
        })
    }
}

impl Operand for MakeFunctionFlags {
    fn encode(self) -> u32 {
        self.0 as u32
    }
    fn decode(raw: u32) -> Option<MakeFunctionFlags> {
        (raw <= 0x0f).then_some(MakeFunctionFlags(raw as u8))
    }
}

impl Operand for UnpackExArgs {
    fn encode(self) -> u32 {
        self.before as u32 | (self.after << 8)
    }
    fn decode(raw: u32) -> Option<UnpackExArgs> {
        Some(UnpackExArgs {
            before: (raw & 0xff) as u8,
            after: raw >> 8,
        })
    }
}

impl Operand for GlobalArg {
    fn encode(self) -> u32 {
        (self.name << 1) | self.push_null as u32
    }
    fn decode(raw: u32) -> Option<GlobalArg> {
        Some(GlobalArg {
            name: raw >> 1,
            push_null: raw & 1 != 0,
        })
    }
}

macro_rules! instructions {
    ( $( $(#[$attr:meta])* $name:ident $( ( $ty:ty ) )? = $code:literal, $opname:literal; )* ) => {
        /// One bytecode instruction with its typed operand. See the [module docs](self) for
        /// the semantics and stack effect of each.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Instr {
            $( $(#[$attr])* $name $( ($ty) )?, )*
        }

        impl Instr {
            /// The compact opcode number.
            pub fn opcode(&self) -> u8 {
                match self { $( Instr::$name { .. } => $code, )* }
            }

            /// CPython's name for the instruction (`"LOAD_FAST"`).
            pub fn opname(&self) -> &'static str {
                match self { $( Instr::$name { .. } => $opname, )* }
            }

            /// The operand in its compact `u32` encoding (0 for instructions without one).
            pub fn oparg(&self) -> u32 {
                let this = *self;
                $( instructions!(@arg this, $name $(, $ty)?); )*
                0
            }

            /// Whether the instruction has an operand.
            pub fn has_arg(&self) -> bool {
                match self { $( Instr::$name { .. } => instructions!(@has $($ty)?), )* }
            }

            /// Rebuilds an instruction from its compact form (`None` for an unknown opcode or
            /// an operand out of range).
            pub fn decode(opcode: u8, oparg: u32) -> Option<Instr> {
                let _ = oparg;
                match opcode {
                    $( $code => Some(instructions!(@make $name, oparg $(, $ty)?)), )*
                    _ => None,
                }
            }
        }

        /// The name of opcode number `opcode`, if it is one.
        pub fn opname_of(opcode: u8) -> Option<&'static str> {
            match opcode { $( $code => Some($opname), )* _ => None }
        }
    };
    (@arg $this:ident, $name:ident, $ty:ty) => {
        if let Instr::$name(x) = $this { return Operand::encode(x); }
    };
    (@arg $this:ident, $name:ident) => {};
    (@has $ty:ty) => { true };
    (@has) => { false };
    (@make $name:ident, $arg:ident, $ty:ty) => { Instr::$name(<$ty as Operand>::decode($arg)?) };
    (@make $name:ident, $arg:ident) => { Instr::$name };
}

instructions! {
    /// Does nothing.
    Nop = 0, "NOP";
    /// Pops the top of the stack.
    PopTop = 1, "POP_TOP";
    /// Pushes the NULL marker.
    PushNull = 2, "PUSH_NULL";
    /// Pushes a copy of the n-th item (1 = top).
    Copy(u32) = 3, "COPY";
    /// Swaps the top with the n-th item (n ≥ 2).
    Swap(u32) = 4, "SWAP";
    /// A resumption point (0 start, 1 after yield, 2 after yield from); eval-breaker check.
    Resume(u32) = 5, "RESUME";
    /// Pushes constant `constants[i]`.
    LoadConst(u32) = 6, "LOAD_CONST";
    /// Pushes local slot `i`.
    LoadFast(u32) = 7, "LOAD_FAST";
    /// Pops into local slot `i`.
    StoreFast(u32) = 8, "STORE_FAST";
    /// Empties local slot `i`.
    DeleteFast(u32) = 9, "DELETE_FAST";
    /// Pushes `names[i]` looked up in locals, globals, builtins.
    LoadName(u32) = 10, "LOAD_NAME";
    /// Pops into the locals mapping under `names[i]`.
    StoreName(u32) = 11, "STORE_NAME";
    /// Deletes `names[i]` from the locals mapping.
    DeleteName(u32) = 12, "DELETE_NAME";
    /// Pushes a global or builtin, optionally with a NULL below it.
    LoadGlobal(GlobalArg) = 13, "LOAD_GLOBAL";
    /// Pops into the globals under `names[i]`.
    StoreGlobal(u32) = 14, "STORE_GLOBAL";
    /// Deletes a global.
    DeleteGlobal(u32) = 15, "DELETE_GLOBAL";
    /// Puts a new empty cell in slot `i`.
    MakeCell(u32) = 16, "MAKE_CELL";
    /// Copies the closure's `n` cells into the free-variable slots.
    CopyFreeVars(u32) = 17, "COPY_FREE_VARS";
    /// Pushes the cell in slot `i`.
    LoadClosure(u32) = 18, "LOAD_CLOSURE";
    /// Pushes the contents of the cell in slot `i`.
    LoadDeref(u32) = 19, "LOAD_DEREF";
    /// Class bodies: the locals mapping, then the cell in slot `i`.
    LoadClassDeref(u32) = 20, "LOAD_CLASSDEREF";
    /// Pops into the cell in slot `i`.
    StoreDeref(u32) = 21, "STORE_DEREF";
    /// Empties the cell in slot `i`.
    DeleteDeref(u32) = 22, "DELETE_DEREF";
    /// Replaces the top with its attribute `names[i]`.
    LoadAttr(u32) = 23, "LOAD_ATTR";
    /// `o.names[i] = v` with stack `v, o`.
    StoreAttr(u32) = 24, "STORE_ATTR";
    /// Deletes attribute `names[i]` of the popped object.
    DeleteAttr(u32) = 25, "DELETE_ATTR";
    /// Method lookup for a following `CALL`.
    LoadMethod(u32) = 26, "LOAD_METHOD";
    /// `o[k]`.
    BinarySubscr = 27, "BINARY_SUBSCR";
    /// `o[k] = v`.
    StoreSubscr = 28, "STORE_SUBSCR";
    /// `del o[k]`.
    DeleteSubscr = 29, "DELETE_SUBSCR";
    /// Builds a slice from 2 or 3 items.
    BuildSlice(u32) = 30, "BUILD_SLICE";
    /// `+a`.
    UnaryPositive = 31, "UNARY_POSITIVE";
    /// `-a`.
    UnaryNegative = 32, "UNARY_NEGATIVE";
    /// `not a`.
    UnaryNot = 33, "UNARY_NOT";
    /// `~a`.
    UnaryInvert = 34, "UNARY_INVERT";
    /// A binary or in-place operator.
    BinaryOp(BinaryOp) = 35, "BINARY_OP";
    /// A rich comparison.
    CompareOp(CompareOp) = 36, "COMPARE_OP";
    /// `is` (`is not` when the operand is true).
    IsOp(bool) = 37, "IS_OP";
    /// `in` (`not in` when the operand is true).
    ContainsOp(bool) = 38, "CONTAINS_OP";
    /// Unconditional forward jump.
    JumpForward(Target) = 39, "JUMP_FORWARD";
    /// Unconditional backward jump (checks the eval breaker).
    JumpBackward(Target) = 40, "JUMP_BACKWARD";
    /// Backward jump without an eval-breaker check.
    JumpBackwardNoInterrupt(Target) = 41, "JUMP_BACKWARD_NO_INTERRUPT";
    /// Pops; jumps if false.
    PopJumpIfFalse(Target) = 42, "POP_JUMP_IF_FALSE";
    /// Pops; jumps if true.
    PopJumpIfTrue(Target) = 43, "POP_JUMP_IF_TRUE";
    /// Pops; jumps if None.
    PopJumpIfNone(Target) = 44, "POP_JUMP_IF_NONE";
    /// Pops; jumps if not None.
    PopJumpIfNotNone(Target) = 45, "POP_JUMP_IF_NOT_NONE";
    /// Jumps keeping the top if false, else pops it.
    JumpIfFalseOrPop(Target) = 46, "JUMP_IF_FALSE_OR_POP";
    /// Jumps keeping the top if true, else pops it.
    JumpIfTrueOrPop(Target) = 47, "JUMP_IF_TRUE_OR_POP";
    /// `iter(o)`.
    GetIter = 48, "GET_ITER";
    /// Next item, or pop the iterator and jump.
    ForIter(Target) = 49, "FOR_ITER";
    /// The iterator of a `yield from`.
    GetYieldFromIter = 50, "GET_YIELD_FROM_ITER";
    /// Sends a value into a sub-iterator; jumps with its return value when it finishes.
    Send(Target) = 51, "SEND";
    /// Suspends the frame yielding the top.
    YieldValue = 52, "YIELD_VALUE";
    /// Returns the top from the frame.
    ReturnValue = 53, "RETURN_VALUE";
    /// Keyword names (a constant tuple) for the next `CALL`.
    KwNames(u32) = 54, "KW_NAMES";
    /// Calls with `argc` arguments (see the module docs for the NULL/self convention).
    Call(u32) = 55, "CALL";
    /// `f(*args, **kwargs)`.
    CallFunctionEx(bool) = 56, "CALL_FUNCTION_EX";
    /// Builds a function from a code object and the flagged items.
    MakeFunction(MakeFunctionFlags) = 57, "MAKE_FUNCTION";
    /// Pushes `builtins.__build_class__`.
    LoadBuildClass = 58, "LOAD_BUILD_CLASS";
    /// Builds a tuple of `n` items.
    BuildTuple(u32) = 59, "BUILD_TUPLE";
    /// Builds a list of `n` items.
    BuildList(u32) = 60, "BUILD_LIST";
    /// Builds a set of `n` items.
    BuildSet(u32) = 61, "BUILD_SET";
    /// Builds a dict of `n` key/value pairs.
    BuildMap(u32) = 62, "BUILD_MAP";
    /// Builds a dict of `n` values and a constant key tuple.
    BuildConstKeyMap(u32) = 63, "BUILD_CONST_KEY_MAP";
    /// Appends to the list `i` entries down.
    ListAppend(u32) = 64, "LIST_APPEND";
    /// Adds to the set `i` entries down.
    SetAdd(u32) = 65, "SET_ADD";
    /// Inserts into the dict `i` entries down.
    MapAdd(u32) = 66, "MAP_ADD";
    /// Extends the list `i` entries down with an iterable.
    ListExtend(u32) = 67, "LIST_EXTEND";
    /// Updates the set `i` entries down with an iterable.
    SetUpdate(u32) = 68, "SET_UPDATE";
    /// Updates the dict `i` entries down with a mapping.
    DictUpdate(u32) = 69, "DICT_UPDATE";
    /// Like `DICT_UPDATE`, but duplicate keys are an error (`**` in calls).
    DictMerge(u32) = 70, "DICT_MERGE";
    /// `tuple(list)`.
    ListToTuple = 71, "LIST_TO_TUPLE";
    /// Unpacks exactly `n` items, first on top.
    UnpackSequence(u32) = 72, "UNPACK_SEQUENCE";
    /// Unpacks with a starred target.
    UnpackEx(UnpackExArgs) = 73, "UNPACK_EX";
    /// Formats a value for an f-string.
    FormatValue(FormatFlags) = 74, "FORMAT_VALUE";
    /// Concatenates `n` strings.
    BuildString(u32) = 75, "BUILD_STRING";
    /// `raise`, `raise exc`, `raise exc from cause`.
    RaiseVarargs(u32) = 76, "RAISE_VARARGS";
    /// Re-raises the top (restoring `lasti` if the operand is non-zero).
    Reraise(u32) = 77, "RERAISE";
    /// Enters an exception handler.
    PushExcInfo = 78, "PUSH_EXC_INFO";
    /// Leaves an exception handler.
    PopExcept = 79, "POP_EXCEPT";
    /// Tests the exception against a type.
    CheckExcMatch = 80, "CHECK_EXC_MATCH";
    /// Pushes `AssertionError`.
    LoadAssertionError = 81, "LOAD_ASSERTION_ERROR";
    /// Enters a `with` block.
    BeforeWith = 82, "BEFORE_WITH";
    /// Calls `__exit__` with the exception being handled.
    WithExceptStart = 83, "WITH_EXCEPT_START";
    /// Imports a module.
    ImportName(u32) = 84, "IMPORT_NAME";
    /// Loads an attribute of the module for `from ... import`.
    ImportFrom(u32) = 85, "IMPORT_FROM";
    /// `from module import *`.
    ImportStar = 86, "IMPORT_STAR";
    /// Interactive mode: displays the value.
    PrintExpr = 87, "PRINT_EXPR";
}

impl Instr {
    /// The jump target, for jumping instructions.
    pub fn jump_target(&self) -> Option<Target> {
        match *self {
            Instr::JumpForward(t)
            | Instr::JumpBackward(t)
            | Instr::JumpBackwardNoInterrupt(t)
            | Instr::PopJumpIfFalse(t)
            | Instr::PopJumpIfTrue(t)
            | Instr::PopJumpIfNone(t)
            | Instr::PopJumpIfNotNone(t)
            | Instr::JumpIfFalseOrPop(t)
            | Instr::JumpIfTrueOrPop(t)
            | Instr::ForIter(t)
            | Instr::Send(t) => Some(t),
            _ => None,
        }
    }

    /// Replaces the jump target (no-op on other instructions).
    pub fn set_jump_target(&mut self, target: Target) {
        match self {
            Instr::JumpForward(t)
            | Instr::JumpBackward(t)
            | Instr::JumpBackwardNoInterrupt(t)
            | Instr::PopJumpIfFalse(t)
            | Instr::PopJumpIfTrue(t)
            | Instr::PopJumpIfNone(t)
            | Instr::PopJumpIfNotNone(t)
            | Instr::JumpIfFalseOrPop(t)
            | Instr::JumpIfTrueOrPop(t)
            | Instr::ForIter(t)
            | Instr::Send(t) => *t = target,
            _ => {}
        }
    }

    /// Whether control never falls through to the next instruction.
    pub fn is_terminator(&self) -> bool {
        matches!(
            self,
            Instr::JumpForward(_)
                | Instr::JumpBackward(_)
                | Instr::JumpBackwardNoInterrupt(_)
                | Instr::ReturnValue
                | Instr::RaiseVarargs(_)
                | Instr::Reraise(_)
        )
    }

    /// Whether the instruction is an unconditional jump.
    pub fn is_unconditional_jump(&self) -> bool {
        matches!(
            self,
            Instr::JumpForward(_) | Instr::JumpBackward(_) | Instr::JumpBackwardNoInterrupt(_)
        )
    }

    /// The net change of the stack depth: along the jump edge if `jump`, else along the
    /// fall-through edge. (For non-jumping instructions both are the same; for terminators
    /// the value is the effect before control leaves.)
    pub fn stack_effect(&self, jump: bool) -> i32 {
        use Instr::*;
        match *self {
            Nop | Swap(_) | Resume(_) | MakeCell(_) | CopyFreeVars(_) => 0,
            PopTop => -1,
            PushNull | Copy(_) => 1,
            LoadConst(_) | LoadFast(_) | LoadName(_) | LoadClosure(_) | LoadDeref(_)
            | LoadClassDeref(_) => 1,
            LoadGlobal(g) => 1 + g.push_null as i32,
            StoreFast(_) | StoreName(_) | StoreGlobal(_) | StoreDeref(_) => -1,
            DeleteFast(_) | DeleteName(_) | DeleteGlobal(_) | DeleteDeref(_) => 0,
            LoadAttr(_) => 0,
            StoreAttr(_) => -2,
            DeleteAttr(_) => -1,
            LoadMethod(_) => 1,
            BinarySubscr => -1,
            StoreSubscr => -3,
            DeleteSubscr => -2,
            BuildSlice(n) => 1 - n as i32,
            UnaryPositive | UnaryNegative | UnaryNot | UnaryInvert => 0,
            BinaryOp(_) | CompareOp(_) | IsOp(_) | ContainsOp(_) => -1,
            JumpForward(_) | JumpBackward(_) | JumpBackwardNoInterrupt(_) => 0,
            PopJumpIfFalse(_) | PopJumpIfTrue(_) | PopJumpIfNone(_) | PopJumpIfNotNone(_) => -1,
            JumpIfFalseOrPop(_) | JumpIfTrueOrPop(_) => {
                if jump {
                    0
                } else {
                    -1
                }
            }
            GetIter | GetYieldFromIter => 0,
            ForIter(_) => {
                if jump {
                    -1
                } else {
                    1
                }
            }
            Send(_) => {
                if jump {
                    -1
                } else {
                    0
                }
            }
            YieldValue => 0,
            ReturnValue => -1,
            KwNames(_) => 0,
            Call(n) => -(n as i32) - 1,
            CallFunctionEx(kw) => -2 - kw as i32,
            MakeFunction(flags) => -(flags.item_count() as i32),
            LoadBuildClass => 1,
            BuildTuple(n) | BuildList(n) | BuildSet(n) => 1 - n as i32,
            BuildMap(n) => 1 - 2 * n as i32,
            BuildConstKeyMap(n) => -(n as i32),
            ListAppend(_) | SetAdd(_) => -1,
            MapAdd(_) => -2,
            ListExtend(_) | SetUpdate(_) | DictUpdate(_) | DictMerge(_) => -1,
            ListToTuple => 0,
            UnpackSequence(n) => n as i32 - 1,
            UnpackEx(a) => a.before as i32 + a.after as i32,
            FormatValue(f) => -(f.has_spec as i32),
            BuildString(n) => 1 - n as i32,
            RaiseVarargs(n) => -(n as i32),
            Reraise(_) => -1,
            PushExcInfo => 1,
            PopExcept => -1,
            CheckExcMatch => 0,
            LoadAssertionError => 1,
            BeforeWith => 1,
            WithExceptStart => 1,
            ImportName(_) => -1,
            ImportFrom(_) => 1,
            ImportStar => -1,
            PrintExpr => -1,
        }
    }

    /// How many items the instruction needs on the stack before it runs.
    pub fn stack_inputs(&self) -> u32 {
        use Instr::*;
        match *self {
            PopTop | StoreFast(_) | StoreName(_) | StoreGlobal(_) | StoreDeref(_) => 1,
            Copy(n) | Swap(n) => n,
            LoadAttr(_) | DeleteAttr(_) | LoadMethod(_) => 1,
            StoreAttr(_) => 2,
            BinarySubscr | DeleteSubscr => 2,
            StoreSubscr => 3,
            BuildSlice(n) => n,
            UnaryPositive | UnaryNegative | UnaryNot | UnaryInvert => 1,
            BinaryOp(_) | CompareOp(_) | IsOp(_) | ContainsOp(_) => 2,
            PopJumpIfFalse(_) | PopJumpIfTrue(_) | PopJumpIfNone(_) | PopJumpIfNotNone(_) => 1,
            JumpIfFalseOrPop(_) | JumpIfTrueOrPop(_) => 1,
            GetIter | GetYieldFromIter | ForIter(_) => 1,
            Send(_) => 2,
            YieldValue | ReturnValue => 1,
            Call(n) => n + 2,
            CallFunctionEx(kw) => 3 + kw as u32,
            MakeFunction(f) => 1 + f.item_count(),
            BuildTuple(n) | BuildList(n) | BuildSet(n) | BuildString(n) => n,
            BuildMap(n) => 2 * n,
            BuildConstKeyMap(n) => n + 1,
            ListAppend(i) | SetAdd(i) | ListExtend(i) | SetUpdate(i) | DictUpdate(i)
            | DictMerge(i) => i + 1,
            MapAdd(i) => i + 2,
            ListToTuple => 1,
            UnpackSequence(_) | UnpackEx(_) => 1,
            FormatValue(f) => 1 + f.has_spec as u32,
            RaiseVarargs(n) => n,
            Reraise(n) => 1 + n,
            PushExcInfo | PopExcept => 1,
            CheckExcMatch => 2,
            BeforeWith => 1,
            WithExceptStart => 4,
            ImportName(_) => 2,
            ImportFrom(_) | ImportStar | PrintExpr => 1,
            _ => 0,
        }
    }
}

impl fmt::Display for Instr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.has_arg() {
            write!(f, "{} {}", self.opname(), self.oparg())
        } else {
            f.write_str(self.opname())
        }
    }
}
