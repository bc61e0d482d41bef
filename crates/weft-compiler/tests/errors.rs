//! Compile-time errors: message, class and position must equal what CPython 3.11 reports.
//!
//! The expectations in `tests/data/errors.txt` were produced by running CPython itself on
//! each case (`python3 tests/data/gen_errors.py > tests/data/errors.txt`).

use weft_compiler::{CompileError, ErrorKind, Mode, compile};

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

struct Case {
    source: String,
    kind: String,
    message: String,
    line: u32,
    offset: i64,
    end_line: i64,
    end_offset: i64,
}

fn cases() -> Vec<Case> {
    include_str!("data/errors.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 7, "bad line {l:?}");
            Case {
                source: unescape(f[0]),
                kind: f[1].to_string(),
                message: unescape(f[2]),
                line: f[3].parse().unwrap(),
                offset: f[4].parse().unwrap(),
                end_line: f[5].parse().unwrap(),
                end_offset: f[6].parse().unwrap(),
            }
        })
        .collect()
}

fn check(case: &Case, err: &CompileError) -> Result<(), String> {
    let mut problems = Vec::new();
    if err.kind.name() != case.kind {
        problems.push(format!("class {} (CPython {})", err.kind.name(), case.kind));
    }
    if err.message != case.message {
        problems.push(format!(
            "message {:?} (CPython {:?})",
            err.message, case.message
        ));
    }
    if err.line != case.line {
        problems.push(format!("line {} (CPython {})", err.line, case.line));
    }
    // Where CPython prints no caret for an indentation error, only the line is compared.
    let caretless = matches!(err.kind, ErrorKind::IndentationError | ErrorKind::TabError)
        && err.end_column.is_none();
    if !caretless {
        if err.column as i64 != case.offset {
            problems.push(format!("offset {} (CPython {})", err.column, case.offset));
        }
        if err.end_line as i64 != case.end_line {
            problems.push(format!(
                "end line {} (CPython {})",
                err.end_line, case.end_line
            ));
        }
        let end = err.end_column.map_or(-1, |e| e as i64);
        if end != case.end_offset {
            problems.push(format!("end offset {end} (CPython {})", case.end_offset));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn errors_match_cpython() {
    let cases = cases();
    assert!(cases.len() >= 60);
    let mut failures = Vec::new();
    for case in &cases {
        match compile(&case.source, "x.py", Mode::Exec) {
            Ok(_) => failures.push(format!("{:?}: compiled without error", case.source)),
            Err(e) => {
                if let Err(p) = check(case, &e) {
                    failures.push(format!("{:?}: {p}", case.source));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn display_layout() {
    let err = compile("x = 1\ndef f(:\n    pass\n", "x.py", Mode::Exec).unwrap_err();
    assert_eq!(
        err.to_string(),
        "  File \"x.py\", line 2\n    def f(:\n          ^\nSyntaxError: invalid syntax"
    );
    let err = compile("if 1:\n        return 1 + 2\n", "r.py", Mode::Exec).unwrap_err();
    assert_eq!(
        err.to_string(),
        "  File \"r.py\", line 2\n    return 1 + 2\n    ^^^^^^^^^^^^\nSyntaxError: 'return' outside function"
    );
    let err = compile("x = 1\n  y\n", "r.py", Mode::Exec).unwrap_err();
    assert_eq!(
        err.to_string(),
        "  File \"r.py\", line 2\n    y\nIndentationError: unexpected indent"
    );
    let err = compile(
        "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
        "r.py",
        Mode::Exec,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "  File \"r.py\", line 3\n    except:\n    ^^^^^^^\nSyntaxError: default 'except:' must be last"
    );
}

#[test]
fn unsupported_constructs_are_syntax_errors() {
    for src in [
        "match x:\n    case 1:\n        pass\n",
        "async def f():\n    pass\n",
        "try:\n    pass\nexcept* ValueError:\n    pass\n",
    ] {
        let err = compile(src, "x.py", Mode::Exec).unwrap_err();
        assert_eq!(err.kind, ErrorKind::SyntaxError, "{src:?}");
        assert!(
            err.message.contains("not supported"),
            "{src:?}: {}",
            err.message
        );
    }
}

#[test]
fn modes() {
    assert!(compile("1 + 2", "x", Mode::Eval).is_ok());
    assert!(compile("x = 1", "x", Mode::Eval).is_err());
    let err = compile("x = 1\ny = 2\n", "x", Mode::Single).unwrap_err();
    assert_eq!(
        err.message,
        "multiple statements found while compiling a single statement"
    );
    let code = compile("1 + x\n", "x", Mode::Single).unwrap();
    assert!(code.instructions.contains(&weft_compiler::Instr::PrintExpr));
}
