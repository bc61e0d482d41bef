//! Bytecode snapshots: every `tests/snapshots/NAME.py` is compiled and disassembled, and the
//! listing must equal the checked-in `tests/snapshots/NAME.dis`.
//!
//! To re-bless after an intended change of the code generator, run
//!
//! ```text
//! WEFT_BLESS=1 cargo test -p weft-compiler --test snapshots
//! ```
//!
//! and review the diff of the `.dis` files before committing.

use std::fs;
use std::path::{Path, PathBuf};

use weft_compiler::{Mode, compile, dis, verify};

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

fn programs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(snapshot_dir())
        .expect("snapshot directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    v.sort();
    v
}

fn file_name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn snapshots_match() {
    let bless = std::env::var_os("WEFT_BLESS").is_some_and(|v| v == "1");
    let programs = programs();
    assert!(
        programs.len() >= 30,
        "expected at least 30 snapshot programs"
    );
    let mut failures = Vec::new();
    for py in programs {
        let source = fs::read_to_string(&py).unwrap();
        let code = compile(&source, &file_name(&py), Mode::Exec)
            .unwrap_or_else(|e| panic!("{}: compile error:\n{e}", py.display()));
        let listing = dis(&code);
        let expected_path = py.with_extension("dis");
        if bless {
            fs::write(&expected_path, &listing).unwrap();
            continue;
        }
        match fs::read_to_string(&expected_path) {
            Ok(expected) if expected == listing => {}
            Ok(expected) => failures.push(format!(
                "{}: disassembly differs\n--- expected\n{expected}\n--- actual\n{listing}",
                file_name(&py)
            )),
            Err(_) => failures.push(format!(
                "{}: no {} (run with WEFT_BLESS=1 to create it)",
                file_name(&py),
                file_name(&expected_path)
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Stack depth is never negative, consistent on every path and within `stack_size`; every
/// jump target and handler is valid (the verifier walks all paths, nested code included).
#[test]
fn snapshot_programs_verify() {
    for py in programs() {
        let source = fs::read_to_string(&py).unwrap();
        let code = compile(&source, &file_name(&py), Mode::Exec).unwrap();
        if let Err(e) = verify(&code) {
            panic!("{}: {e}\n{}", py.display(), dis(&code));
        }
    }
}
