//! The `weft-dis` binary.

use std::process::Command;

fn weft_dis() -> Command {
    Command::new(env!("CARGO_BIN_EXE_weft-dis"))
}

#[test]
fn disassembles_code_from_the_command_line() {
    let out = weft_dis()
        .args(["-c", "x = 1\nprint(x)\n"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("Disassembly of <code object <module>, file \"<string>\", line 1>:")
    );
    assert!(stdout.contains("LOAD_GLOBAL") || stdout.contains("LOAD_NAME"));
    assert!(stdout.contains("CALL"));
}

#[test]
fn disassembles_a_file() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/03_closure.py");
    let out = weft_dis().arg(&path).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("MAKE_CELL"));
    assert!(stdout.contains("COPY_FREE_VARS"));
}

#[test]
fn syntax_errors_go_to_stderr_with_exit_status_1() {
    let out = weft_dis()
        .args(["-c", "def f(:\n    pass\n"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "  File \"<string>\", line 1\n    def f(:\n          ^\nSyntaxError: invalid syntax\n"
    );
}

#[test]
fn usage_errors() {
    let out = weft_dis().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = weft_dis().arg("/nonexistent/x.py").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
