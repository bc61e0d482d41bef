//! Optional: compile every `.py` file under a directory (for example CPython's standard
//! library) and verify the result. Files CPython itself cannot compile are skipped by the
//! caller's choice of corpus; weft must give a code object that verifies or a clean
//! `SyntaxError` (weft refuses `async`, `match` and `except*`).
//!
//! ```text
//! WEFT_CORPUS=/usr/lib/python3.11 cargo test -p weft-compiler --test corpus -- --ignored --nocapture
//! ```

use weft_compiler::{ErrorKind, Mode, compile, verify};

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "py") {
            out.push(p);
        }
    }
}

#[test]
#[ignore = "needs WEFT_CORPUS=<directory of .py files>"]
fn corpus_compiles_or_refuses_cleanly() {
    let Some(root) = std::env::var_os("WEFT_CORPUS") else {
        return;
    };
    let mut files = Vec::new();
    walk(std::path::Path::new(&root), &mut files);
    files.sort();
    let (mut ok, mut refused) = (0, 0);
    let mut messages: std::collections::BTreeMap<String, usize> = Default::default();
    for f in &files {
        let Ok(src) = std::fs::read_to_string(f) else {
            continue;
        };
        match compile(&src, &f.to_string_lossy(), Mode::Exec) {
            Ok(code) => {
                if let Err(e) = verify(&code) {
                    panic!("{}: verifier: {e}", f.display());
                }
                ok += 1;
            }
            Err(e) => {
                assert_ne!(e.kind, ErrorKind::SystemError, "{}: {e}", f.display());
                refused += 1;
                *messages.entry(e.message.clone()).or_default() += 1;
            }
        }
    }
    eprintln!("{ok} compiled, {refused} refused");
    for (m, n) in messages {
        eprintln!("{n:5} {m}");
    }
}
