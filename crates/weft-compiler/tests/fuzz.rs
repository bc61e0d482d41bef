//! The compiler never panics: random programs from a small grammar of Python fragments,
//! random token soup, and mutated snapshot programs all give either a code object that
//! passes the verifier or a `SyntaxError`-family error (never an internal `SystemError`).

use proptest::prelude::*;
use proptest::sample::select;
use weft_compiler::{CompileError, ErrorKind, Mode, compile, dis, verify};

fn check(source: &str) -> Result<(), TestCaseError> {
    for mode in [Mode::Exec, Mode::Single, Mode::Eval] {
        match compile(source, "fuzz.py", mode) {
            Ok(code) => {
                if let Err(e) = verify(&code) {
                    return Err(TestCaseError::fail(format!(
                        "verifier rejected {source:?} ({mode:?}): {e}\n{}",
                        dis(&code)
                    )));
                }
                let _ = dis(&code);
            }
            Err(e) => check_error(source, &e)?,
        }
    }
    Ok(())
}

fn check_error(source: &str, e: &CompileError) -> Result<(), TestCaseError> {
    prop_assert!(
        matches!(
            e.kind,
            ErrorKind::SyntaxError
                | ErrorKind::IndentationError
                | ErrorKind::TabError
                | ErrorKind::RecursionError
        ),
        "{source:?}: unexpected {}",
        e
    );
    prop_assert!(!e.to_string().is_empty());
    Ok(())
}

fn name() -> impl Strategy<Value = String> {
    select(vec![
        "x",
        "y",
        "a",
        "b",
        "self",
        "super",
        "__class__",
        "_",
        "__priv",
        "print",
        "cls",
        "e",
    ])
    .prop_map(String::from)
}

fn expr() -> impl Strategy<Value = String> {
    expr_with(true)
}

/// Expressions; without `rich`, no `yield` and no walrus (which are only valid in some
/// scopes).
fn expr_with(rich: bool) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => name(),
        2 => select(vec![
            "0", "1", "-1", "2.5", "3j", "'s'", "b'b'", "None", "True", "...", "10**100",
            "f'{x}'", "1 << 300", "'a' * 5000", "(1, 2)",
        ])
        .prop_map(String::from),
    ];
    // Operands are parenthesized so that most generated programs parse; the rare forms
    // (`*a`, `await`, bare `yield`) exercise the error paths.
    leaf.prop_recursive(4, 40, 4, move |e| {
        let bin = select(vec![
            "+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@", "<", "<=", "==",
            "!=", "is", "is not", "in", "not in", "and", "or",
        ]);
        prop_oneof![
            6 => (e.clone(), bin, e.clone()).prop_map(|(a, o, b)| format!("({a}) {o} ({b})")),
            2 => (select(vec!["-", "+", "~", "not "]), e.clone())
                .prop_map(|(u, a)| format!("{u}({a})")),
            2 => prop::collection::vec(e.clone(), 0..3)
                .prop_map(|v| format!("[{}]", v.join(", "))),
            2 => prop::collection::vec(e.clone(), 0..3).prop_map(|v| {
                if v.is_empty() {
                    "()".to_string()
                } else {
                    format!("({},)", v.join(", "))
                }
            }),
            1 => (e.clone(), e.clone()).prop_map(|(a, b)| format!("{{{a}, *({b})}}")),
            1 => (e.clone(), e.clone(), e.clone())
                .prop_map(|(a, b, c)| format!("{{{a}: {b}, **({c})}}")),
            2 => (e.clone(), e.clone(), e.clone(), e.clone())
                .prop_map(|(f, a, b, c)| format!("({f})({a}, *({b}), k={c}, **({a}))")),
            3 => (e.clone(), e.clone()).prop_map(|(f, a)| format!("({f})({a}, k=1, j=2)")),
            2 => e.clone().prop_map(|a| format!("({a}).attr")),
            2 => (e.clone(), e.clone()).prop_map(|(a, b)| format!("({a})[{b}]")),
            1 => (e.clone(), e.clone()).prop_map(|(a, b)| format!("({a})[{b}:{b}:2]")),
            2 => (e.clone(), name(), e.clone(), e.clone())
                .prop_map(|(a, n, b, c)| format!("[{a} for {n} in {b} if {c}]")),
            1 => (e.clone(), name(), e.clone())
                .prop_map(|(a, n, b)| format!("({a} for {n} in {b})")),
            1 => (e.clone(), name(), e.clone(), name(), e.clone()).prop_map(|(a, n, b, m, c)| {
                format!("{{{a}: {n} for {n} in {b} for {m} in {c}}}")
            }),
            2 => (name(), e.clone()).prop_map(|(n, a)| format!("(lambda {n}, *args, k=1: {a})")),
            2 => (e.clone(), e.clone(), e.clone())
                .prop_map(|(a, b, c)| format!("(({a}) if ({b}) else ({c}))")),
            2 => (e.clone(), e.clone(), e.clone())
                .prop_map(|(a, b, c)| format!("(({a}) < ({b}) <= ({c}))")),
            1 => (name(), e.clone()).prop_map(move |(n, a)| if rich {
                format!("({n} := {a})")
            } else {
                format!("({n})")
            }),
            1 => e.clone().prop_map(move |a| if rich {
                format!("(yield {a})")
            } else {
                format!("{{{a}}}")
            }),
            1 => e.clone().prop_map(move |a| if rich {
                format!("(yield from {a})")
            } else {
                format!("({a})(*{a})")
            }),
            1 => (name(), name(), e.clone())
                .prop_map(|(a, b, c)| format!("f\"{{{a}!r:>{{{b}}}}} {{{a}=}} {{{c}}}\"")),
        ]
    })
}

fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => name(),
        2 => name().prop_map(|n| format!("{n}.attr")),
        2 => (name(), name()).prop_map(|(a, b)| format!("{a}[{b}]")),
        2 => (name(), name()).prop_map(|(a, b)| format!("{a}, *{b}")),
        2 => (name(), name()).prop_map(|(a, b)| format!("({a}, [{b}, x])")),
    ]
}

fn simple_stmt() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (target(), expr()).prop_map(|(t, e)| format!("{t} = {e}")),
        2 => (prop_oneof![name(), name().prop_map(|n| format!("{n}.attr")), name().prop_map(|n| format!("{n}[0]"))], expr())
            .prop_map(|(t, e)| format!("{t} += {e}")),
        1 => (name(), expr()).prop_map(|(t, e)| format!("{t}: int = {e}")),
        4 => expr(),
        2 => expr().prop_map(|e| format!("return {e}")),
        1 => Just("return".to_string()),
        1 => expr().prop_map(|e| format!("yield {e}")),
        1 => Just("break".to_string()),
        1 => Just("continue".to_string()),
        2 => Just("pass".to_string()),
        1 => name().prop_map(|n| format!("global {n}")),
        1 => name().prop_map(|n| format!("nonlocal {n}")),
        1 => (name(), name()).prop_map(|(a, b)| format!("del {a}, {b}.attr, {a}[{b}]")),
        1 => (expr(), expr()).prop_map(|(a, b)| format!("raise {a} from {b}")),
        1 => Just("raise".to_string()),
        1 => (expr(), expr()).prop_map(|(a, b)| format!("assert {a}, {b}")),
        1 => Just("import a.b.c as d".to_string()),
        1 => name().prop_map(|n| format!("from m import {n} as z")),
        1 => Just("from m import *".to_string()),
        1 => Just("from . import x".to_string()),
        1 => (expr(), select(vec![
            "*x", "await x", "__debug__ = 1", "f(**a, *b)", "x = *a", "del f()", "(yield) = 1",
            "lambda: (yield)", "[x for x in (yield)]", "f(a=1, a=2)",
        ]))
            .prop_map(|(e, w)| format!("{e}; {w}")),
        1 => (expr(), expr()).prop_map(|(e, t)| format!("{t} = {e}")),
    ]
}

/// Statements that are valid anywhere inside a function body.
fn safe_simple_stmt() -> impl Strategy<Value = String> {
    let e = || expr_with(false);
    prop_oneof![
        8 => (target(), e()).prop_map(|(t, e)| format!("{t} = {e}")),
        2 => (name(), e()).prop_map(|(t, e)| format!("{t} += {e}")),
        4 => e(),
        2 => e().prop_map(|e| format!("return {e}")),
        1 => e().prop_map(|e| format!("yield {e}")),
        1 => e().prop_map(|e| format!("x = yield from {e}")),
        1 => Just("pass".to_string()),
        1 => (name(), name()).prop_map(|(a, b)| format!("del {a}, {b}.attr, {a}[{b}]")),
        1 => (e(), e()).prop_map(|(a, b)| format!("raise {a} from {b}")),
        1 => (e(), e()).prop_map(|(a, b)| format!("assert {a}, {b}")),
        1 => Just("import a.b.c as d".to_string()),
    ]
}

fn safe_stmt() -> impl Strategy<Value = Vec<String>> {
    let e = || expr_with(false);
    safe_simple_stmt()
        .prop_map(|s| vec![s])
        .prop_recursive(3, 24, 3, move |inner| {
            let b = move || block(inner.clone());
            prop_oneof![
                (e(), b(), b()).prop_map(|(c, x, y)| {
                    let mut v = vec![format!("if {c}:")];
                    v.extend(x);
                    v.push("else:".into());
                    v.extend(y);
                    v
                }),
                (e(), b(), b()).prop_map(|(c, mut x, y)| {
                    let mut v = vec![format!("while {c}:")];
                    x.push("    if x: break".into());
                    x.push("    continue".into());
                    v.extend(x);
                    v.push("else:".into());
                    v.extend(y);
                    v
                }),
                (target(), e(), b()).prop_map(|(t, c, mut x)| {
                    let mut v = vec![format!("for {t} in {c}:")];
                    x.insert(0, "    if y: continue".into());
                    v.extend(x);
                    v
                }),
                (name(), b()).prop_map(|(n, x)| {
                    let mut v = vec![format!("def {n}(a, /, b=1, *args, c, d=2, **kw):")];
                    v.extend(x);
                    v
                }),
                (b(), name(), b(), b(), b()).prop_map(|(t, n, h, e, f)| {
                    let mut v = vec!["try:".to_string()];
                    v.extend(t);
                    v.push(format!("except ValueError as {n}:"));
                    v.extend(h);
                    v.push("except:".into());
                    v.extend(e.clone());
                    v.push("else:".into());
                    v.extend(e);
                    v.push("finally:".into());
                    v.extend(f);
                    v
                }),
                (e(), target(), b()).prop_map(|(c, t, x)| {
                    let mut v = vec![format!("with {c} as ({t}), {c}:")];
                    v.extend(x);
                    v
                }),
            ]
        })
}

/// Programs that are (almost always) valid: nested functions, loops with `break` and
/// `continue`, handlers, `with`, closures.
fn valid_program() -> impl Strategy<Value = String> {
    prop::collection::vec(safe_stmt(), 1..4).prop_map(|v| {
        let body: Vec<String> = v.into_iter().flatten().collect();
        let mut lines = vec![
            "def outer(x, y, *a, **k):".to_string(),
            "    def inner(a, b=1):".to_string(),
            "        nonlocal y".to_string(),
        ];
        lines.extend(indent(indent(body.clone())));
        lines.extend(indent(body.clone()));
        lines.push("class K(Base):".into());
        lines.push("    def m(self, x):".into());
        lines.push("        return super().m(x)".into());
        lines.push("    def n(self):".into());
        lines.extend(indent(indent(body)));
        let mut s = lines.join("\n");
        s.push('\n');
        s
    })
}

fn indent(lines: Vec<String>) -> Vec<String> {
    lines.into_iter().map(|l| format!("    {l}")).collect()
}

fn block(s: impl Strategy<Value = Vec<String>> + Clone) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(s, 1..3).prop_map(|v| indent(v.into_iter().flatten().collect()))
}

fn stmt() -> impl Strategy<Value = Vec<String>> {
    simple_stmt()
        .prop_map(|s| vec![s])
        .prop_recursive(3, 24, 3, |inner| {
            let b = move || block(inner.clone());
            prop_oneof![
                (expr(), b(), b()).prop_map(|(c, x, y)| {
                    let mut v = vec![format!("if {c}:")];
                    v.extend(x);
                    v.push("else:".into());
                    v.extend(y);
                    v
                }),
                (expr(), b(), b()).prop_map(|(c, x, y)| {
                    let mut v = vec![format!("while {c}:")];
                    v.extend(x);
                    v.push("else:".into());
                    v.extend(y);
                    v
                }),
                (target(), expr(), b()).prop_map(|(t, c, x)| {
                    let mut v = vec![format!("for {t} in {c}:")];
                    v.extend(x);
                    v
                }),
                (name(), b()).prop_map(|(n, x)| {
                    let mut v = vec![format!("def {n}(a, /, b=1, *args, c, d=2, **kw):")];
                    v.extend(x);
                    v
                }),
                (name(), b()).prop_map(|(n, x)| {
                    let mut v = vec![format!("class {n}(Base, metaclass=M):")];
                    v.extend(x);
                    v
                }),
                (b(), name(), b(), b(), b()).prop_map(|(t, n, h, e, f)| {
                    let mut v = vec!["try:".to_string()];
                    v.extend(t);
                    v.push(format!("except ValueError as {n}:"));
                    v.extend(h);
                    v.push("except:".into());
                    v.extend(e.clone());
                    v.push("else:".into());
                    v.extend(e);
                    v.push("finally:".into());
                    v.extend(f);
                    v
                }),
                (expr(), target(), b()).prop_map(|(c, t, x)| {
                    let mut v = vec![format!("with {c} as {t}, {c}:")];
                    v.extend(x);
                    v
                }),
            ]
        })
}

fn program() -> impl Strategy<Value = String> {
    (prop::collection::vec(stmt(), 1..5), any::<u8>()).prop_map(|(v, wrap)| {
        let lines: Vec<String> = v.into_iter().flatten().collect();
        // Most programs are function bodies, so that `return`, `yield` and closures are valid.
        let lines = match wrap % 4 {
            0 => lines,
            1 => {
                let mut w = vec!["class K:".to_string(), "    def m(self, x):".to_string()];
                w.extend(indent(indent(lines)));
                w
            }
            _ => {
                let mut w = vec!["def outer(x, y, *a, **k):".to_string()];
                w.push("    def inner(a, b=1):".to_string());
                w.extend(indent(indent(lines.clone())));
                w.extend(indent(lines));
                w
            }
        };
        let mut s = lines.join("\n");
        s.push('\n');
        s
    })
}

fn token_soup() -> impl Strategy<Value = String> {
    let tokens = select(vec![
        "\n",
        "\n    ",
        "\n        ",
        "\t",
        ":",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ".",
        "=",
        "==",
        "+",
        "-",
        "*",
        "**",
        "/",
        "->",
        ":=",
        "@",
        "if",
        "else",
        "elif",
        "for",
        "in",
        "while",
        "def",
        "class",
        "return",
        "yield",
        "from",
        "import",
        "as",
        "try",
        "except",
        "finally",
        "with",
        "lambda",
        "not",
        "and",
        "or",
        "global",
        "nonlocal",
        "del",
        "pass",
        "break",
        "continue",
        "raise",
        "assert",
        "async",
        "await",
        "match",
        "case",
        "x",
        "y",
        "f",
        "1",
        "2.0",
        "'s'",
        "f'{",
        "}'",
        "\"",
        "#",
        "\\",
        ";",
        "...",
        "*a",
        "**k",
    ]);
    prop::collection::vec(tokens, 0..40).prop_map(|v| v.join(" "))
}

fn snapshot_sources() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Applies byte-level mutations (at char boundaries) to a valid program.
fn mutate(source: &str, ops: &[(u32, u8, u32)]) -> String {
    const INSERTS: [&str; 16] = [
        "(",
        ")",
        ":",
        "\n",
        "    ",
        "\t",
        "*",
        "yield ",
        "return ",
        "break",
        "lambda: ",
        " = ",
        "nonlocal x\n",
        "global x\n",
        "[",
        "'",
    ];
    let mut s = source.to_string();
    for &(pos, op, arg) in ops {
        if s.is_empty() {
            break;
        }
        let mut at = pos as usize % (s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        match op % 4 {
            0 => {
                let mut end = (at + 1 + arg as usize % 8).min(s.len());
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                s.replace_range(at..end, "");
            }
            1 => s.insert_str(at, INSERTS[arg as usize % INSERTS.len()]),
            2 => {
                let lines: Vec<&str> = s.lines().collect();
                let i = arg as usize % lines.len().max(1);
                let mut v: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                if i < v.len() {
                    let dup = v[i].clone();
                    v.insert(i, dup);
                }
                s = v.join("\n");
            }
            _ => {
                let mut v: Vec<String> = s.lines().map(str::to_string).collect();
                let i = arg as usize % v.len().max(1);
                if i < v.len() {
                    v[i] = v[i].trim_start().to_string();
                }
                s = v.join("\n");
            }
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn grammar_programs_never_panic(src in program()) {
        check(&src)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn valid_programs_compile_and_verify(src in valid_program()) {
        if let Err(e) = compile(&src, "fuzz.py", Mode::Exec) {
            // A few generated programs are invalid for reasons the grammar does not track
            // (a walrus rebinding a comprehension variable...); they must still be clean
            // syntax errors.
            check_error(&src, &e)?;
        }
        check(&src)?;
    }

    #[test]
    fn token_soup_never_panics(src in token_soup()) {
        check(&src)?;
    }

    #[test]
    fn mutated_programs_never_panic(
        file in any::<prop::sample::Index>(),
        ops in prop::collection::vec((any::<u32>(), any::<u8>(), any::<u32>()), 1..6),
    ) {
        let sources = snapshot_sources();
        let source = file.get(&sources);
        check(&mutate(source, &ops))?;
    }
}

#[test]
fn every_snapshot_single_line_deletion_is_handled() {
    // Exhaustive: delete each line of each snapshot program in turn.
    for source in snapshot_sources() {
        let lines: Vec<&str> = source.lines().collect();
        for i in 0..lines.len() {
            let mut v = lines.clone();
            v.remove(i);
            let mutated = v.join("\n");
            check(&mutated).unwrap();
        }
    }
}
