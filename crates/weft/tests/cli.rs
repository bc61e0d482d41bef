//! The `weft` command line: `-c`, `-m`, `-`, `-V`, exit statuses (`SystemExit`, uncaught
//! exceptions, usage errors), thread exceptions, and the syntax-error layout.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

fn weft() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_weft"));
    c.env("PYTHONHASHSEED", "0").env_remove("PYTHONPATH");
    c
}

fn run(args: &[&str]) -> Output {
    weft()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run weft")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh scratch directory for one test.
fn scratch() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "weft-cli-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

#[test]
fn version_flags() {
    let o = run(&["-V"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("weft "), "{}", stdout(&o));
    assert_eq!(stdout(&o).lines().count(), 1);
    let o = run(&["-VV"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains(weft_eval::VARIANT), "{out}");
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn help_and_unknown_option() {
    let o = run(&["-h"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("-X opt"));
    let o = run(&["-Z"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("usage: weft"), "{}", stderr(&o));
    let o = run(&["-c"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn command_and_argv() {
    let o = run(&["-c", "import sys; print(1 + 1, sys.argv)", "a", "b"]);
    assert_eq!(stdout(&o), "2 ['-c', 'a', 'b']\n", "{}", stderr(&o));
    assert!(o.status.success());
}

#[test]
fn program_from_stdin() {
    let mut child = weft()
        .args(["-", "x"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"import sys\nprint('hi', sys.argv)\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(stdout(&o), "hi ['-', 'x']\n", "{}", stderr(&o));
}

#[test]
fn run_module_and_dis() {
    let d = scratch();
    std::fs::write(
        d.join("mymod.py"),
        "import sys\nprint(__name__, sys.argv[1:])\n",
    )
    .unwrap();
    let o = weft()
        .args(["-m", "mymod", "q"])
        .current_dir(&d)
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "__main__ ['q']\n", "{}", stderr(&o));
    let o = weft()
        .args(["-m", "dis", "mymod.py"])
        .current_dir(&d)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("LOAD_CONST") || stdout(&o).contains("IMPORT_NAME"));
    let o = weft()
        .args(["-m", "no_such_module_here"])
        .current_dir(&d)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn system_exit_codes() {
    assert_eq!(run(&["-c", "raise SystemExit(3)"]).status.code(), Some(3));
    assert_eq!(
        run(&["-c", "import sys; sys.exit()"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&["-c", "import sys; sys.exit(None)"]).status.code(),
        Some(0)
    );
    let o = run(&["-c", "import sys; print('a'); sys.exit('bye')"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "a\n");
    assert_eq!(stderr(&o), "bye\n");
}

#[test]
fn uncaught_exception() {
    let d = scratch();
    let f = d.join("boom.py");
    std::fs::write(&f, "def f():\n    return 1 / 0\n\nprint('before')\nf()\n").unwrap();
    let o = weft().arg(&f).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "before\n");
    let err = stderr(&o);
    let want = format!(
        "Traceback (most recent call last):\n  File \"{0}\", line 5, in <module>\n    f()\n  File \"{0}\", line 2, in f\n    return 1 / 0\nZeroDivisionError: division by zero\n",
        f.display()
    );
    assert_eq!(err, want);
}

#[test]
fn missing_script() {
    let o = run(&["/nonexistent/dir/x.py"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("can't open file"), "{}", stderr(&o));
    assert!(stderr(&o).contains("[Errno 2] No such file or directory"));
}

#[test]
fn syntax_error_layout() {
    let d = scratch();
    let f = d.join("bad.py");
    std::fs::write(&f, "print('never')\ndef f(:\n    pass\n").unwrap();
    let o = weft().arg(&f).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    let want = format!(
        "  File \"{}\", line 2\n    def f(:\n          ^\nSyntaxError: invalid syntax\n",
        f.display()
    );
    assert_eq!(stderr(&o), want);
}

#[test]
fn exception_in_thread_is_reported_and_program_continues() {
    let src = "import threading\n\
               def work():\n    raise ValueError('boom')\n\
               t = threading.Thread(target=work)\n\
               t.start()\n\
               t.join()\n\
               print('after', t.is_alive())\n";
    let o = run(&["-c", src]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "after False\n");
    let err = stderr(&o);
    assert!(
        err.starts_with(
            "Exception in thread Thread-1 (work):\nTraceback (most recent call last):\n"
        ),
        "{err}"
    );
    assert!(err.ends_with("ValueError: boom\n"), "{err}");
}

#[test]
fn non_daemon_threads_are_joined_at_exit() {
    let src = "import threading, time\n\
               def work():\n    time.sleep(0.2)\n    print('worker done')\n\
               threading.Thread(target=work).start()\n\
               print('main done')\n";
    let o = run(&["-c", src]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "main done\nworker done\n");
}

#[test]
fn xoptions_and_unbuffered() {
    let o = run(&[
        "-u",
        "-X",
        "gil=0",
        "-c",
        "import sys; print(sys._xoptions)",
    ]);
    assert_eq!(stdout(&o), "{'gil': '0'}\n", "{}", stderr(&o));
}

#[test]
fn stats_at_exit() {
    let o = weft()
        .args(["-c", "print('x')"])
        .env("WEFT_STATS", "1")
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "x\n");
    let err = stderr(&o);
    assert!(err.starts_with("weft stats ("), "{err}");
    assert!(err.contains("freed_by_owner"), "{err}");
    let o = run(&["-c", "print('x')"]);
    assert_eq!(stderr(&o), "");
}

#[test]
fn recursion_to_depth_100000_never_overflows_the_native_stack() {
    // With the limit raised past 100,000, a recursion that deep either completes or raises
    // RecursionError (the native-stack guard) — never a crash — and the program goes on.
    let src = "\
import sys
sys.setrecursionlimit(150000)
def down(n):
    return 0 if n == 0 else 1 + down(n - 1)
try:
    print('depth', down(100000))
except RecursionError as e:
    print('RecursionError:', e)
def forever(n):
    return forever(n + 1)
try:
    forever(0)
except RecursionError:
    print('unbounded: RecursionError')
print('alive')
";
    let o = run(&["-c", src]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first == "depth 100000" || first.starts_with("RecursionError: maximum recursion depth"),
        "{out}"
    );
    assert!(out.ends_with("unbounded: RecursionError\nalive\n"), "{out}");
}
