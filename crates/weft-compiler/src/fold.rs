//! Constant folding, where CPython 3.11 folds: literals, unary `-` `+` `~` `not` on
//! constants, arithmetic on constant numbers (and `+`/`*` on constant strings and bytes)
//! within size limits, and tuples of constants. An operation that would raise (`1/0`) or
//! produce something too large is left for run time.

use weft_object::scalar::float as pyfloat;
use weft_object::scalar::int::{Int, PowResult};

use crate::code::Constant;
use crate::parse::ast::{self, Expr};

/// Largest int result (in bits) folded by `*`, `**` and `<<`.
const MAX_INT_BITS: u64 = 128;
/// Largest str/bytes result (in characters/bytes) folded by `*`.
const MAX_STR_SIZE: usize = 4096;
/// Largest total tuple size folded.
const MAX_TOTAL_ITEMS: usize = 1024;

/// The literal's value, for a number literal (`None` when the int literal is refused, see
/// [`int_literal`]).
pub(crate) fn number(n: &ast::Number) -> Option<Constant> {
    match n {
        ast::Number::Int(i) => int_literal(i).ok().map(Constant::Int),
        ast::Number::Float(f) => Some(Constant::Float(*f)),
        ast::Number::Complex { real, imag } => Some(Constant::Complex {
            real: *real,
            imag: *imag,
        }),
    }
}

/// Parses an int literal (the parser keeps big ones as source text).
pub(crate) fn int_literal(i: &ast::Int) -> Result<Int, String> {
    if let Some(v) = i.as_i64() {
        return Ok(Int::from(v));
    }
    let text = i.to_string();
    Int::parse(&text, 0).map_err(|e| {
        let mut msg = e.message;
        if msg.starts_with("Exceeds the limit") {
            msg.push_str(
                " - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.",
            );
        }
        msg
    })
}

/// The value of `expr` if it is a constant (after folding).
pub(crate) fn fold(expr: &Expr) -> Option<Constant> {
    match expr {
        Expr::NumberLiteral(n) => number(&n.value),
        Expr::StringLiteral(s) => Some(Constant::Str(s.value.to_str().to_string())),
        Expr::BytesLiteral(b) => Some(Constant::Bytes(b.value.bytes().collect())),
        Expr::BooleanLiteral(b) => Some(Constant::Bool(b.value)),
        Expr::NoneLiteral(_) => Some(Constant::None),
        Expr::EllipsisLiteral(_) => Some(Constant::Ellipsis),
        Expr::Tuple(t) => {
            if t.elts.len() > MAX_TOTAL_ITEMS {
                return None;
            }
            let mut items = Vec::with_capacity(t.elts.len());
            for e in &t.elts {
                if matches!(e, Expr::Starred(_)) {
                    return None;
                }
                items.push(fold(e)?);
            }
            Some(Constant::Tuple(items))
        }
        Expr::UnaryOp(u) => unary(u.op, &fold(&u.operand)?),
        Expr::BinOp(b) => {
            let left = fold(&b.left)?;
            let right = fold(&b.right)?;
            binary(b.op, &left, &right)
        }
        _ => None,
    }
}

fn as_int(c: &Constant) -> Option<Int> {
    match c {
        Constant::Int(i) => Some(i.clone()),
        Constant::Bool(b) => Some(Int::from(*b as i64)),
        _ => None,
    }
}

fn as_float(c: &Constant) -> Option<f64> {
    match c {
        Constant::Float(f) => Some(*f),
        _ => as_int(c).and_then(|i| i.to_f64().ok()),
    }
}

fn as_complex(c: &Constant) -> Option<(f64, f64)> {
    match c {
        Constant::Complex { real, imag } => Some((*real, *imag)),
        _ => as_float(c).map(|f| (f, 0.0)),
    }
}

fn is_number(c: &Constant) -> bool {
    matches!(
        c,
        Constant::Int(_) | Constant::Bool(_) | Constant::Float(_) | Constant::Complex { .. }
    )
}

fn unary(op: ast::UnaryOp, v: &Constant) -> Option<Constant> {
    match op {
        ast::UnaryOp::Not => Some(Constant::Bool(!v.is_truthy())),
        ast::UnaryOp::USub => match v {
            Constant::Float(f) => Some(Constant::Float(-f)),
            Constant::Complex { real, imag } => Some(Constant::Complex {
                real: -real,
                imag: -imag,
            }),
            _ => as_int(v).map(|i| Constant::Int(i.neg())),
        },
        ast::UnaryOp::UAdd => match v {
            Constant::Float(_) | Constant::Complex { .. } => Some(v.clone()),
            _ => as_int(v).map(Constant::Int),
        },
        ast::UnaryOp::Invert => match v {
            Constant::Int(_) | Constant::Bool(_) => as_int(v).map(|i| Constant::Int(i.invert())),
            _ => None,
        },
    }
}

fn binary(op: ast::Operator, l: &Constant, r: &Constant) -> Option<Constant> {
    use ast::Operator as Op;
    // Sequences first: str/bytes concatenation and repetition.
    match (op, l, r) {
        (Op::Add, Constant::Str(a), Constant::Str(b)) => {
            return Some(Constant::Str(format!("{a}{b}")));
        }
        (Op::Add, Constant::Bytes(a), Constant::Bytes(b)) => {
            let mut v = a.clone();
            v.extend_from_slice(b);
            return Some(Constant::Bytes(v));
        }
        (Op::Mult, Constant::Str(_) | Constant::Bytes(_), _)
        | (Op::Mult, _, Constant::Str(_) | Constant::Bytes(_)) => return repeat(l, r),
        _ => {}
    }
    if !is_number(l) || !is_number(r) {
        return None;
    }
    // `bool & bool` (and `|`, `^`) stays a bool, as at run time.
    if let (Constant::Bool(a), Constant::Bool(b)) = (l, r) {
        match op {
            Op::BitAnd => return Some(Constant::Bool(*a & *b)),
            Op::BitOr => return Some(Constant::Bool(*a | *b)),
            Op::BitXor => return Some(Constant::Bool(*a ^ *b)),
            _ => {}
        }
    }
    if let (Some(a), Some(b)) = (as_int(l), as_int(r)) {
        return int_binary(op, &a, &b);
    }
    if matches!(l, Constant::Complex { .. }) || matches!(r, Constant::Complex { .. }) {
        let (ar, ai) = as_complex(l)?;
        let (br, bi) = as_complex(r)?;
        let (real, imag) = match op {
            Op::Add => (ar + br, ai + bi),
            Op::Sub => (ar - br, ai - bi),
            Op::Mult => (ar * br - ai * bi, ar * bi + ai * br),
            _ => return None,
        };
        return Some(Constant::Complex { real, imag });
    }
    let a = as_float(l)?;
    let b = as_float(r)?;
    let v = match op {
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mult => a * b,
        Op::Div => pyfloat::truediv(a, b).ok()?,
        Op::FloorDiv => pyfloat::floordiv(a, b).ok()?,
        Op::Mod => pyfloat::modulo(a, b).ok()?,
        Op::Pow => pyfloat::pow(a, b).ok()?,
        _ => return None,
    };
    Some(Constant::Float(v))
}

fn int_binary(op: ast::Operator, a: &Int, b: &Int) -> Option<Constant> {
    use ast::Operator as Op;
    let v = match op {
        Op::Add => a.add(b),
        Op::Sub => a.sub(b),
        Op::Mult => {
            if !a.is_zero() && !b.is_zero() && a.bit_length() + b.bit_length() > MAX_INT_BITS {
                return None;
            }
            a.mul(b)
        }
        Op::Div => return a.truediv(b).ok().map(Constant::Float),
        Op::FloorDiv => a.floordiv(b).ok()?,
        Op::Mod => a.modulo(b).ok()?,
        Op::Pow => {
            if !b.is_negative() {
                let e = b.to_u32()?;
                if a.bit_length().saturating_mul(e as u64) > MAX_INT_BITS {
                    return None;
                }
            }
            match a.pow(b).ok()? {
                PowResult::Int(i) => i,
                PowResult::Float(f) => return Some(Constant::Float(f)),
            }
        }
        Op::LShift => {
            let n = b.to_u32()?;
            if n as u64 > MAX_INT_BITS || a.bit_length() + n as u64 > MAX_INT_BITS {
                return None;
            }
            a.shl(b).ok()?
        }
        Op::RShift => a.shr(b).ok()?,
        Op::BitAnd => a.bitand(b),
        Op::BitOr => a.bitor(b),
        Op::BitXor => a.bitxor(b),
        Op::MatMult => return None,
    };
    Some(Constant::Int(v))
}

fn repeat(l: &Constant, r: &Constant) -> Option<Constant> {
    let (seq, count) = match (l, r) {
        (Constant::Str(_) | Constant::Bytes(_), n) => (l, as_int(n)?),
        (n, Constant::Str(_) | Constant::Bytes(_)) => (r, as_int(n)?),
        _ => return None,
    };
    let n = count.as_i64()?.max(0) as usize;
    match seq {
        Constant::Str(s) => {
            let len = s.chars().count();
            if len.checked_mul(n)? > MAX_STR_SIZE {
                return None;
            }
            Some(Constant::Str(s.repeat(n)))
        }
        Constant::Bytes(b) => {
            if b.len().checked_mul(n)? > MAX_STR_SIZE {
                return None;
            }
            Some(Constant::Bytes(b.repeat(n)))
        }
        _ => None,
    }
}
