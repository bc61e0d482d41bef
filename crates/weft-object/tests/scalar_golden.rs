//! Golden tests: every line of `tests/data/scalar_*.txt` is a case computed by CPython 3.11
//! (see `tests/data/gen_scalar_golden.py` for the format); each must be reproduced exactly,
//! results and error messages alike.

use std::fmt::Write as _;
use std::path::PathBuf;

use weft_object::scalar::bytes::{self, Codec};
use weft_object::scalar::int::{Int, PowResult};
use weft_object::scalar::percent::{PercentArgs, PercentValue, percent_format};
use weft_object::scalar::{ScalarError, float, format_spec, str as pystr};

fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name)
}

/// Undoes the generator's field escaping.
fn unesc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('\\') => out.push('\\'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('u') => {
                assert_eq!(it.next(), Some('{'), "bad escape in {s:?}");
                let hex: String = it.by_ref().take_while(|&c| c != '}').collect();
                let v = u32::from_str_radix(&hex, 16).expect("hex escape");
                out.push(char::from_u32(v).expect("code point"));
            }
            other => panic!("bad escape {other:?} in {s:?}"),
        }
    }
    out
}

fn int(s: &str) -> Int {
    Int::parse_with_limit(s, 10, 0).unwrap_or_else(|e| panic!("bad int {s:?}: {e}"))
}

fn f(s: &str) -> f64 {
    f64::from_bits(u64::from_str_radix(s, 16).unwrap_or_else(|_| panic!("bad float {s:?}")))
}

fn fb(x: f64) -> String {
    format!("{:016x}", x.to_bits())
}

fn opt(s: &str) -> Option<isize> {
    if s == "~" {
        None
    } else {
        Some(s.parse().expect("index"))
    }
}

fn err_text(e: &ScalarError) -> String {
    format!("!{}: {}", e.kind.name(), e.message)
}

type Got = Result<Vec<String>, ScalarError>;

fn one(s: String) -> Got {
    Ok(vec![s])
}

fn esc_list(items: &[&str]) -> Vec<String> {
    let mut v = vec![items.len().to_string()];
    v.extend(items.iter().map(|s| s.to_string()));
    v
}

/// Runs every case of `file` through `eval` (which gets the op and its input fields, and
/// returns the number of input fields it consumed with the outputs). `float_outputs` marks
/// ops whose outputs are float bit patterns, where any NaN matches any NaN.
fn run_file(file: &str, eval: impl Fn(&str, &[String]) -> (usize, Got), float_ops: &[&str]) {
    let text = std::fs::read_to_string(data_path(file)).expect("golden file");
    let mut failures = 0usize;
    let mut report = String::new();
    let mut cases = 0usize;
    for (ln, line) in text.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        cases += 1;
        let fields: Vec<&str> = line.split('\t').collect();
        let op = fields[0];
        let raw: Vec<String> = fields[1..].iter().map(|s| s.to_string()).collect();
        let (n_in, got) = eval(op, &raw);
        let expected: Vec<String> = fields[1 + n_in..].iter().map(|s| unesc(s)).collect();
        let got: Vec<String> = match got {
            Ok(v) => v,
            Err(e) => vec![err_text(&e)],
        };
        let norm = |v: &[String]| -> Vec<String> {
            if float_ops.contains(&op) {
                v.iter()
                    .map(|s| match u64::from_str_radix(s, 16) {
                        Ok(b) if s.len() == 16 && f64::from_bits(b).is_nan() => "nan".to_string(),
                        _ => s.clone(),
                    })
                    .collect()
            } else {
                v.to_vec()
            }
        };
        if norm(&got) != norm(&expected) {
            failures += 1;
            if failures <= 40 {
                let _ = writeln!(
                    report,
                    "{file}:{}: {op} {:?}\n    expected {:?}\n    got      {:?}",
                    ln + 1,
                    &fields[1..1 + n_in],
                    expected,
                    got
                );
            }
        }
    }
    assert!(cases > 0, "{file} has no cases");
    assert!(
        failures == 0,
        "{failures} of {cases} cases failed:\n{report}"
    );
}

#[test]
fn golden_float_repr() {
    run_file(
        "scalar_float_repr.txt",
        |op, a| match op {
            "repr" => (1, one(float::repr(f(&a[0])))),
            _ => panic!("unknown op {op}"),
        },
        &[],
    );
}

fn pow_out(r: PowResult) -> String {
    match r {
        PowResult::Int(i) => i.to_string(),
        PowResult::Float(x) => fb(x),
    }
}

fn int_ops(op: &str, a: &[String]) -> (usize, Got) {
    let x = || int(&a[0]);
    let y = || int(&a[1]);
    let s = |i: Int| i.to_string();
    match op {
        "add" => (2, one(s(x().add(&y())))),
        "sub" => (2, one(s(x().sub(&y())))),
        "mul" => (2, one(s(x().mul(&y())))),
        "and" => (2, one(s(x().bitand(&y())))),
        "or" => (2, one(s(x().bitor(&y())))),
        "xor" => (2, one(s(x().bitxor(&y())))),
        "floordiv" => (2, x().floordiv(&y()).map(|r| vec![s(r)])),
        "mod" => (2, x().modulo(&y()).map(|r| vec![s(r)])),
        "divmod" => (2, x().divmod(&y()).map(|(q, r)| vec![s(q), s(r)])),
        "truediv" => (2, x().truediv(&y()).map(|r| vec![fb(r)])),
        "cmp" => (2, one((x().cmp(&y()) as i32).to_string())),
        "pow" => (2, x().pow(&y()).map(|r| vec![pow_out(r)])),
        "powmod" => (3, x().pow_mod(&y(), &int(&a[2])).map(|r| vec![s(r)])),
        "lshift" => (2, x().shl(&y()).map(|r| vec![s(r)])),
        "rshift" => (2, x().shr(&y()).map(|r| vec![s(r)])),
        "neg" => (1, one(s(x().neg()))),
        "invert" => (1, one(s(x().invert()))),
        "abs" => (1, one(s(x().abs()))),
        "bitlen" => (1, one(x().bit_length().to_string())),
        "hash" => (1, one(x().hash().to_string())),
        "tof64" => (1, x().to_f64().map(|r| vec![fb(r)])),
        "hex" => (1, one(x().hex())),
        "oct" => (1, one(x().oct())),
        "bin" => (1, one(x().bin())),
        "cmpf" => {
            let r = match x().cmp_f64(f(&a[1])) {
                None => "nan",
                Some(std::cmp::Ordering::Less) => "<",
                Some(std::cmp::Ordering::Equal) => "=",
                Some(std::cmp::Ordering::Greater) => ">",
            };
            (2, one(r.to_string()))
        }
        "fromf64" => (1, Int::from_f64(f(&a[0])).map(|r| vec![s(r)])),
        _ => panic!("unknown op {op}"),
    }
}

#[test]
fn golden_int_ops() {
    run_file("scalar_int_ops.txt", int_ops, &["truediv", "tof64", "pow"]);
}

#[test]
fn golden_int_misc() {
    run_file("scalar_int_misc.txt", int_ops, &["truediv", "tof64", "pow"]);
}

#[test]
fn golden_float_ops() {
    run_file(
        "scalar_float_ops.txt",
        |op, a| {
            let x = || f(&a[0]);
            let y = || f(&a[1]);
            match op {
                "floordiv" => (2, float::floordiv(x(), y()).map(|r| vec![fb(r)])),
                "mod" => (2, float::modulo(x(), y()).map(|r| vec![fb(r)])),
                "divmod" => (2, float::divmod(x(), y()).map(|(q, r)| vec![fb(q), fb(r)])),
                "truediv" => (2, float::truediv(x(), y()).map(|r| vec![fb(r)])),
                "pow" => (2, float::pow(x(), y()).map(|r| vec![fb(r)])),
                "round" => {
                    let n: i64 = a[1].parse().unwrap();
                    (2, float::round(x(), n).map(|r| vec![fb(r)]))
                }
                "round0" => (1, float::round_to_int(x()).map(|r| vec![r.to_string()])),
                "hash" => (
                    1,
                    one(float::hash(x()).map_or("nan".to_string(), |h| h.to_string())),
                ),
                "ratio" => (
                    1,
                    float::as_integer_ratio(x()).map(|(n, d)| vec![n.to_string(), d.to_string()]),
                ),
                "isint" => (1, one((float::is_integer(x()) as u8).to_string())),
                _ => panic!("unknown op {op}"),
            }
        },
        &["floordiv", "mod", "divmod", "truediv", "pow", "round"],
    );
}

#[test]
fn golden_parse() {
    run_file(
        "scalar_parse.txt",
        |op, a| match op {
            "int" => {
                let base: u32 = a[0]
                    .parse::<i64>()
                    .map_or(99, |b| u32::try_from(b).unwrap_or(99));
                (
                    2,
                    Int::parse_with_limit(&unesc(&a[1]), base, 4300).map(|r| vec![r.to_string()]),
                )
            }
            "float" => (1, float::parse(&unesc(&a[0])).map(|r| vec![fb(r)])),
            _ => panic!("unknown op {op}"),
        },
        &["float"],
    );
}

#[test]
fn golden_format() {
    run_file(
        "scalar_format.txt",
        |op, a| {
            let spec = unesc(&a[1]);
            let r = match op {
                "fmtint" => format_spec::format_int_spec(&int(&a[0]), &spec),
                "fmtfloat" => format_spec::format_float_spec(f(&a[0]), &spec),
                "fmtstr" => format_spec::format_str_spec(&unesc(&a[0]), &spec),
                _ => panic!("unknown op {op}"),
            };
            (2, r.map(|s| vec![s]))
        },
        &[],
    );
}

fn percent_arg(s: &str) -> PercentValue {
    let (tag, v) = s.split_once(':').expect("typed argument");
    match tag {
        "n" => PercentValue::None,
        "b" => PercentValue::Bool(v == "1"),
        "i" => PercentValue::Int(int(v)),
        "f" => PercentValue::Float(f(v)),
        "s" => PercentValue::Str(unesc(v)),
        _ => panic!("bad argument {s:?}"),
    }
}

#[test]
fn golden_percent() {
    run_file(
        "scalar_percent.txt",
        |op, a| {
            let fmt = unesc(&a[0]);
            match op {
                "percent" => {
                    // All fields but the last are inputs.
                    let args: Vec<PercentValue> =
                        a[1..a.len() - 1].iter().map(|s| percent_arg(s)).collect();
                    (
                        a.len() - 1,
                        percent_format(&fmt, PercentArgs::Tuple(&args)).map(|s| vec![s]),
                    )
                }
                "percent1" => {
                    let arg = percent_arg(&a[1]);
                    (
                        2,
                        percent_format(&fmt, PercentArgs::Single(&arg)).map(|s| vec![s]),
                    )
                }
                _ => panic!("unknown op {op}"),
            }
        },
        &[],
    );
}

fn preds(s: &str) -> String {
    [
        pystr::isalpha(s),
        pystr::isalnum(s),
        pystr::isdigit(s),
        pystr::isdecimal(s),
        pystr::isnumeric(s),
        pystr::isspace(s),
        pystr::isupper(s),
        pystr::islower(s),
        pystr::istitle(s),
        pystr::isidentifier(s),
        pystr::isprintable(s),
    ]
    .iter()
    .map(|&b| if b { '1' } else { '0' })
    .collect()
}

#[test]
fn golden_str() {
    run_file(
        "scalar_str.txt",
        |op, a| {
            let s = unesc(&a[0]);
            let arg = |i: usize| unesc(&a[i]);
            let num = |i: usize| -> isize { a[i].parse().unwrap() };
            let chars = |i: usize| {
                if a[i] == "~" {
                    None
                } else {
                    Some(unesc(&a[i]))
                }
            };
            let idx = |r: Option<usize>| r.map_or(-1, |v| v as i64).to_string();
            match op {
                "repr" => (1, one(pystr::repr(&s))),
                "ascii" => (1, one(pystr::ascii(&s))),
                "upper" => (1, one(pystr::upper(&s))),
                "lower" => (1, one(pystr::lower(&s))),
                "casefold" => (1, one(pystr::casefold(&s))),
                "title" => (1, one(pystr::title(&s))),
                "capitalize" => (1, one(pystr::capitalize(&s))),
                "swapcase" => (1, one(pystr::swapcase(&s))),
                "preds" => (1, one(preds(&s))),
                "len" => (1, one(pystr::char_count(&s).to_string())),
                "split" | "rsplit" => {
                    let sep = chars(1);
                    let n = num(2);
                    let r = if op == "split" {
                        pystr::split(&s, sep.as_deref(), n)
                    } else {
                        pystr::rsplit(&s, sep.as_deref(), n)
                    };
                    (3, r.map(|v| esc_list(&v)))
                }
                "strip" => (2, one(pystr::strip(&s, chars(1).as_deref()).to_string())),
                "lstrip" => (2, one(pystr::lstrip(&s, chars(1).as_deref()).to_string())),
                "rstrip" => (2, one(pystr::rstrip(&s, chars(1).as_deref()).to_string())),
                "find" | "rfind" | "count" | "index" | "rindex" | "startswith" | "endswith" => {
                    let sub = arg(1);
                    let (st, en) = (opt(&a[2]), opt(&a[3]));
                    let r = match op {
                        "find" => Ok(idx(pystr::find(&s, &sub, st, en))),
                        "rfind" => Ok(idx(pystr::rfind(&s, &sub, st, en))),
                        "count" => Ok(pystr::count(&s, &sub, st, en).to_string()),
                        "index" => pystr::index(&s, &sub, st, en).map(|v| v.to_string()),
                        "rindex" => pystr::rindex(&s, &sub, st, en).map(|v| v.to_string()),
                        "startswith" => Ok((pystr::startswith(&s, &sub, st, en) as u8).to_string()),
                        _ => Ok((pystr::endswith(&s, &sub, st, en) as u8).to_string()),
                    };
                    (4, r.map(|v| vec![v]))
                }
                "replace" => (4, one(pystr::replace(&s, &arg(1), &arg(2), num(3)))),
                "partition" | "rpartition" => {
                    let sep = arg(1);
                    let r = if op == "partition" {
                        pystr::partition(&s, &sep)
                    } else {
                        pystr::rpartition(&s, &sep)
                    };
                    (
                        2,
                        r.map(|(x, y, z)| vec![x.to_string(), y.to_string(), z.to_string()]),
                    )
                }
                "center" | "ljust" | "rjust" => {
                    let w = num(1) as usize;
                    let fill = arg(2).chars().next().unwrap();
                    let r = match op {
                        "center" => pystr::center(&s, w, fill),
                        "ljust" => pystr::ljust(&s, w, fill),
                        _ => pystr::rjust(&s, w, fill),
                    };
                    (3, one(r))
                }
                "zfill" => (2, one(pystr::zfill(&s, num(1) as usize))),
                "expandtabs" => (2, one(pystr::expandtabs(&s, num(1)))),
                "splitlines" => (2, Ok(esc_list(&pystr::splitlines(&s, a[1] == "1")))),
                _ => panic!("unknown op {op}"),
            }
        },
        &[],
    );
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn hexs(b: &[u8]) -> String {
    b.iter().map(|c| format!("{c:02x}")).collect()
}

#[test]
fn golden_bytes() {
    run_file(
        "scalar_bytes.txt",
        |op, a| match op {
            "repr" => (1, one(bytes::repr(&unhex(&a[0])))),
            "decode" => {
                let codec = Codec::lookup(&a[1]).unwrap();
                (
                    2,
                    bytes::decode(&unhex(&a[0]), codec)
                        .map(|s| vec![s])
                        .map_err(Into::into),
                )
            }
            "encode" => {
                let codec = Codec::lookup(&a[1]).unwrap();
                (
                    2,
                    bytes::encode(&unesc(&a[0]), codec)
                        .map(|b| vec![hexs(&b)])
                        .map_err(Into::into),
                )
            }
            "hex" => {
                let sep = if a[1] == "~" {
                    None
                } else {
                    unesc(&a[1]).chars().next()
                };
                let n: isize = a[2].parse().unwrap();
                (3, bytes::hex(&unhex(&a[0]), sep, n).map(|s| vec![s]))
            }
            "fromhex" => (1, bytes::fromhex(&unesc(&a[0])).map(|b| vec![hexs(&b)])),
            "bfind" | "brfind" | "bcount" | "bstartswith" | "bendswith" => {
                let (b, sub) = (unhex(&a[0]), unhex(&a[1]));
                let (st, en) = (opt(&a[2]), opt(&a[3]));
                let idx = |r: Option<usize>| r.map_or(-1, |v| v as i64).to_string();
                let r = match op {
                    "bfind" => idx(bytes::find(&b, &sub, st, en)),
                    "brfind" => idx(bytes::rfind(&b, &sub, st, en)),
                    "bcount" => bytes::count(&b, &sub, st, en).to_string(),
                    "bstartswith" => (bytes::startswith(&b, &sub, st, en) as u8).to_string(),
                    _ => (bytes::endswith(&b, &sub, st, en) as u8).to_string(),
                };
                (4, one(r))
            }
            "bsplit" => {
                let b = unhex(&a[0]);
                let sep = (a[1] != "~").then(|| unhex(&a[1]));
                let n: isize = a[2].parse().unwrap();
                let r = bytes::split(&b, sep.as_deref(), n).map(|parts| {
                    let mut v = vec![parts.len().to_string()];
                    v.extend(parts.iter().map(|p| hexs(p)));
                    v
                });
                (3, r)
            }
            "bstrip" => {
                let b = unhex(&a[0]);
                let chars = (a[1] != "~").then(|| unhex(&a[1]));
                (2, one(hexs(bytes::strip(&b, chars.as_deref()))))
            }
            _ => panic!("unknown op {op}"),
        },
        &[],
    );
}
