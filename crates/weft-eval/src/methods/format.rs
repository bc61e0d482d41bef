//! `str.format` / `format_map` and printf-style `%` formatting over objects.

use std::cell::RefCell;

use weft_containers::tuple::as_tuple;
use weft_object::scalar::int::Int;
use weft_object::scalar::percent::{NumberView, PercentArg, PercentArgs, percent_format};
use weft_object::scalar::{ScalarError, ScalarResult};
use weft_object::types::{PyStr, STR_TYPE};
use weft_object::{ExcKind, ObjRef, Object, PyErr, int_from_i64, str_obj};

use crate::builtins::util::try_index;
use crate::core::{Result, as_str, err, lookup_str, str_of, tname, value_err};
use crate::ops;

// ---------------------------------------------------------------------------------------------
// str.format

struct FormatState<'a> {
    pos: &'a [ObjRef],
    mapping: Option<&'a ObjRef>,
    kw: &'a [(String, ObjRef)],
    auto: usize,
    /// 0: not decided, 1: automatic numbering, 2: manual.
    mode: u8,
}

/// `fmt.format(*pos, **kw)`, or `fmt.format_map(mapping)` when `mapping` is given.
pub(crate) fn format_with(
    fmt: &str,
    pos: &[ObjRef],
    mapping: Option<&ObjRef>,
    kw: &[(String, ObjRef)],
) -> Result<ObjRef> {
    let mut st = FormatState {
        pos,
        mapping,
        kw,
        auto: 0,
        mode: 0,
    };
    Ok(str_obj(render(fmt, 2, &mut st)?))
}

fn render(fmt: &str, depth: u32, st: &mut FormatState<'_>) -> Result<String> {
    let mut out = String::with_capacity(fmt.len());
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '}' {
            if chars.get(i + 1) == Some(&'}') {
                out.push('}');
                i += 2;
                continue;
            }
            return value_err("Single '}' encountered in format string");
        }
        if c != '{' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'{') {
            out.push('{');
            i += 2;
            continue;
        }
        // A replacement field: find its end, honouring nested braces and brackets.
        let start = i + 1;
        let mut j = start;
        let mut nest = 1;
        let mut bracket = false;
        let mut in_spec = false;
        while j < chars.len() {
            let d = chars[j];
            if !in_spec && bracket {
                if d == ']' {
                    bracket = false;
                }
            } else if !in_spec && d == '[' {
                bracket = true;
            } else if !in_spec && (d == ':' || d == '!') {
                in_spec = true;
            } else if d == '{' {
                nest += 1;
            } else if d == '}' {
                nest -= 1;
                if nest == 0 {
                    break;
                }
            }
            j += 1;
        }
        if j >= chars.len() {
            return if start == chars.len() {
                value_err("Single '{' encountered in format string")
            } else {
                value_err("expected '}' before end of string")
            };
        }
        let field: String = chars[start..j].iter().collect();
        out.push_str(&render_field(&field, depth, st)?);
        i = j + 1;
    }
    Ok(out)
}

fn render_field(field: &str, depth: u32, st: &mut FormatState<'_>) -> Result<String> {
    // Split name / conversion / spec (':' and '!' inside brackets belong to the name).
    let mut name_end = field.len();
    let mut bracket = false;
    for (k, c) in field.char_indices() {
        match c {
            '[' => bracket = true,
            ']' => bracket = false,
            ':' | '!' if !bracket => {
                name_end = k;
                break;
            }
            _ => {}
        }
    }
    let name = &field[..name_end];
    let mut rest = &field[name_end..];
    let mut conv = None;
    if let Some(r) = rest.strip_prefix('!') {
        let mut it = r.chars();
        match it.next() {
            None => return value_err("end of string while looking for conversion specifier"),
            Some(c) => {
                conv = Some(c);
                rest = it.as_str();
            }
        }
        if !rest.is_empty() && !rest.starts_with(':') {
            return value_err("expected ':' after conversion specifier");
        }
    }
    let spec_src = rest.strip_prefix(':').unwrap_or("");
    let mut value = lookup_field(name, st)?;
    value = match conv {
        None => value,
        Some('r') => ops::repr(&value)?,
        Some('s') => ops::str(&value)?,
        Some('a') => {
            let r = ops::repr(&value)?;
            str_obj(weft_object::scalar::str::escape_non_ascii(str_of(&r)))
        }
        Some(c) => {
            return value_err(format!("Unknown conversion specifier {c}"));
        }
    };
    let spec = if spec_src.contains('{') || spec_src.contains('}') {
        if depth == 0 {
            return value_err("Max string recursion exceeded");
        }
        render(spec_src, depth - 1, st)?
    } else {
        spec_src.to_owned()
    };
    let r = ops::format(&value, &spec)?;
    Ok(str_of(&r).to_owned())
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn lookup_field(name: &str, st: &mut FormatState<'_>) -> Result<ObjRef> {
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let first = &name[..first_end];
    let mut obj = if first.is_empty() || is_digits(first) {
        let idx = if first.is_empty() {
            if st.mode == 2 {
                return value_err(
                    "cannot switch from manual field specification to automatic field numbering",
                );
            }
            st.mode = 1;
            let i = st.auto;
            st.auto += 1;
            i
        } else {
            if st.mode == 1 {
                return value_err(
                    "cannot switch from automatic field numbering to manual field specification",
                );
            }
            st.mode = 2;
            match first.parse::<usize>() {
                Ok(i) => i,
                Err(_) => return value_err("Too many decimal digits in format string"),
            }
        };
        if st.mapping.is_some() && st.pos.is_empty() {
            return value_err("Format string contains positional fields");
        }
        match st.pos.get(idx) {
            Some(v) => v.clone(),
            None => {
                return err(
                    ExcKind::IndexError,
                    format!("Replacement index {idx} out of range for positional args tuple"),
                );
            }
        }
    } else if let Some(m) = st.mapping {
        ops::getitem(m, &str_obj(first))?
    } else {
        match st.kw.iter().find(|(k, _)| k == first) {
            Some((_, v)) => v.clone(),
            None => {
                let key = str_obj(first);
                return Err(PyErr::with_arg(
                    ExcKind::KeyError,
                    weft_object::scalar::str::repr(first),
                    key,
                ));
            }
        }
    };
    let mut rest = &name[first_end..];
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let attr = &r[..end];
            if attr.is_empty() {
                return value_err("Empty attribute in format string");
            }
            obj = crate::attr::getattr(&obj, weft_object::intern(attr))?;
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else {
                return value_err("Missing ']' in format string");
            };
            let key = &r[..end];
            if key.is_empty() {
                return value_err("Empty attribute in format string");
            }
            let k = if is_digits(key) {
                match key.parse::<i64>() {
                    Ok(v) => int_from_i64(v),
                    Err(_) => str_obj(key),
                }
            } else {
                str_obj(key)
            };
            obj = ops::getitem(&obj, &k)?;
            rest = &r[end + 1..];
            if !rest.is_empty() && !rest.starts_with(['.', '[']) {
                return value_err("Only '.' or '[' may follow ']' in format field specifier");
            }
        } else {
            return value_err("Only '.' or '[' may follow ']' in format field specifier");
        }
    }
    Ok(obj)
}

// ---------------------------------------------------------------------------------------------
// printf-style formatting

/// One `%` argument: an object, plus where to park a Python error raised while converting it
/// (the scalar formatter only carries [`ScalarError`]s).
struct ObjArg<'e> {
    obj: ObjRef,
    errs: &'e RefCell<Option<PyErr>>,
}

impl ObjArg<'_> {
    fn keep<T>(&self, r: Result<T>) -> ScalarResult<T> {
        park(self.errs, r)
    }
}

/// `r` for the scalar formatter: a Python error is parked in `errs` (to be raised in place of
/// the [`ScalarError`] it becomes).
fn park<T>(errs: &RefCell<Option<PyErr>>, r: Result<T>) -> ScalarResult<T> {
    r.map_err(|e| {
        let se = ScalarError::type_error(e.msg.clone());
        *errs.borrow_mut() = Some(e);
        se
    })
}

impl PercentArg for ObjArg<'_> {
    fn type_name(&self) -> String {
        tname(&self.obj).to_owned()
    }

    fn str(&self) -> ScalarResult<String> {
        let r = self.keep(ops::str(&self.obj))?;
        Ok(str_of(&r).to_owned())
    }

    fn repr(&self) -> ScalarResult<String> {
        let r = self.keep(ops::repr(&self.obj))?;
        Ok(str_of(&r).to_owned())
    }

    fn number(&self) -> ScalarResult<NumberView> {
        let o = &self.obj;
        if let Some(i) = o.downcast::<Int>() {
            return Ok(NumberView::Int(i.clone()));
        }
        if let Some(f) = o.downcast::<f64>() {
            return Ok(NumberView::Float(*f));
        }
        if o.downcast::<PyStr>().is_some() {
            return Ok(NumberView::NotNumber);
        }
        if let Some(i) = self.keep(try_index(o))? {
            return Ok(NumberView::Int(i));
        }
        if self.keep(lookup_str(o.ty(), "__int__"))?.is_some() {
            let i = self.keep(crate::builtins::to_int_pub(o))?;
            return Ok(NumberView::Float(i.to_f64()?));
        }
        if self.keep(lookup_str(o.ty(), "__float__"))?.is_some() {
            let f = self.keep(crate::builtins::to_float_pub(o))?;
            return Ok(NumberView::Float(f));
        }
        Ok(NumberView::NotNumber)
    }

    fn single_char(&self) -> Option<char> {
        let s = as_str(&self.obj)?;
        let mut it = s.chars();
        match (it.next(), it.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    }
}

/// `fmt % args` for `str`.
pub(crate) fn percent(fmt: &Object, args: &Object) -> Result<ObjRef> {
    let Some(f) = as_str(fmt) else {
        return crate::core::type_err(format!(
            "descriptor '__mod__' requires a 'str' object but received a '{}'",
            tname(fmt)
        ));
    };
    let errs = RefCell::new(None);
    let wrap = |o: ObjRef| ObjArg {
        obj: o,
        errs: &errs,
    };
    let result = if let Some(t) = as_tuple(args) {
        let items: Vec<ObjArg<'_>> = t.as_slice().iter().cloned().map(wrap).collect();
        percent_format(f, PercentArgs::Tuple(&items))
    } else {
        let single = wrap(args.to_ref());
        let is_mapping = !args.is_instance(&STR_TYPE)
            && (args.ty().slots.getitem.is_some()
                || lookup_str(args.ty(), "__getitem__")?.is_some());
        if is_mapping {
            let lookup = |k: &str| -> ScalarResult<ObjArg<'_>> {
                park(&errs, ops::getitem(args, &str_obj(k))).map(wrap)
            };
            percent_format(
                f,
                PercentArgs::Mapping {
                    mapping: &single,
                    lookup: &lookup,
                },
            )
        } else {
            percent_format(f, PercentArgs::Single(&single))
        }
    };
    match result {
        Ok(s) => Ok(str_obj(s)),
        Err(e) => match errs.borrow_mut().take() {
            Some(pe) => Err(pe),
            None => Err(e.into()),
        },
    }
}
