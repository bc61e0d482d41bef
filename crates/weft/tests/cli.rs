//! The `weft` command line: `-c`, `-m`, `-`, `-V`, exit statuses (`SystemExit`, uncaught
//! exceptions, usage errors), thread exceptions, and the syntax-error layout.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

fn weft() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_weft"));
    c.env("PYTHONHASHSEED", "0")
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONUNBUFFERED");
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

#[test]
fn non_utf8_arguments_and_script_path_never_panic() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    // A non-UTF-8 argument reaches `sys.argv` as one usable str per argument.
    let o = weft()
        .args(["-c", "import sys; a = sys.argv[1]; print(len(sys.argv), len(a), a[0] == a[-1], (a + 'x').upper()[-1])"])
        .arg(OsStr::from_bytes(b"\xff"))
        .arg(OsStr::from_bytes(b"ok\xfe\xfd"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o), "3 1 True X\n");
    // A script whose name is not UTF-8 runs, and its name is in `sys.argv[0]` and `__file__`.
    let d = scratch();
    let f = d.join(OsStr::from_bytes(b"scr\xffipt.py"));
    std::fs::write(
        &f,
        "import sys\nprint(sys.argv[0].endswith('ipt.py'), __file__.startswith('/'))\n",
    )
    .unwrap();
    let o = weft()
        .arg(&f)
        .arg(OsStr::from_bytes(b"\x80"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o), "True True\n");
    // A missing one is CPython's `can't open file`, status 2.
    let o = weft()
        .arg(d.join(OsStr::from_bytes(b"no\xff.py")))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
    assert!(stderr(&o).contains("can't open file"), "{}", stderr(&o));
    // Non-UTF-8 environment values read as strings, never a panic.
    let o = weft()
        .args([
            "-c",
            "import os; print(len(os.environ['WEFT_T_BAD']), len(os.getenv('WEFT_T_BAD')))",
        ])
        .env("WEFT_T_BAD", OsStr::from_bytes(b"a\xffb"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o), "3 3\n");
}

#[test]
fn broken_pipe_on_stdout_raises_and_exits_1() {
    use std::io::Read;
    // CPython: `python -c "for i in range(10**6): print(i)" | head -1` prints a
    // `BrokenPipeError` traceback and exits 1 (SIGPIPE is ignored, the write fails).
    let mut child = weft()
        .args(["-c", "for i in range(10**6): print(i)"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 2];
    out.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"0\n");
    drop(out);
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    assert!(
        err.starts_with("Traceback (most recent call last):\n"),
        "{err}"
    );
    assert!(
        err.ends_with("\nBrokenPipeError: [Errno 32] Broken pipe\n"),
        "{err}"
    );
}

#[test]
fn full_disk_on_stdout_raises_and_failed_exit_flush_is_status_120() {
    let full = std::path::Path::new("/dev/full");
    if !full.exists() {
        return;
    }
    let to_full = |src: &str| {
        weft()
            .args(["-c", src])
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(full).unwrap())
            .output()
            .unwrap()
    };
    // The flush at exit fails: CPython's report and status 120.
    let o = to_full("print('x')");
    assert_eq!(o.status.code(), Some(120), "stderr: {}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "Exception ignored on flushing sys.stdout:\nOSError: [Errno 28] No space left on device\n"
    );
    // An explicit flush raises OSError; the unwritten bytes stay, so the exit flush fails too.
    let o = to_full(
        "import sys\nprint('x')\ntry:\n    sys.stdout.flush()\nexcept OSError as e:\n    print(type(e).__name__, e.errno, e, file=sys.stderr)\n",
    );
    assert_eq!(o.status.code(), Some(120), "stderr: {}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "OSError 28 [Errno 28] No space left on device\nException ignored on flushing sys.stdout:\nOSError: [Errno 28] No space left on device\n"
    );
    // A write that overflows the buffer raises at once; what failed is dropped, so exit is 1.
    let o = to_full("print('x' * 100000)");
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    assert!(
        stderr(&o).ends_with("\nOSError: [Errno 28] No space left on device\n"),
        "{}",
        stderr(&o)
    );
    // Nothing written: nothing to report.
    let o = to_full("pass");
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
}

#[test]
fn stdout_write_errors_are_never_lost() {
    // Expected outputs from CPython 3.13.0. `sys.stdout.write` without a newline, then
    // stderr (which flushes stdout first in weft): the failure is still reported at exit.
    let full = std::path::Path::new("/dev/full");
    if full.exists() {
        let o = weft()
            .args([
                "-c",
                "import sys; sys.stdout.write('x'*100); sys.stderr.write('e\\n')",
            ])
            .stdout(std::fs::File::create(full).unwrap())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(120), "stderr: {}", stderr(&o));
        assert_eq!(
            stderr(&o),
            "e\nException ignored on flushing sys.stdout:\nOSError: [Errno 28] No space left on device\n"
        );
        // PYTHONUNBUFFERED (like -u): the write itself raises.
        let o = weft()
            .args(["-c", "import sys; sys.stdout.write('x'*100)"])
            .env("PYTHONUNBUFFERED", "1")
            .stdout(std::fs::File::create(full).unwrap())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
        assert!(
            stderr(&o).ends_with("\nOSError: [Errno 28] No space left on device\n"),
            "{}",
            stderr(&o)
        );
    }
    // A pipe whose reader has gone: buffered, the exit flush reports it (120); unbuffered,
    // print raises BrokenPipeError (1).
    for (unbuffered, status, tail) in [
        (
            false,
            120,
            "Exception ignored on flushing sys.stdout:\nBrokenPipeError: [Errno 32] Broken pipe\n",
        ),
        (true, 1, "\nBrokenPipeError: [Errno 32] Broken pipe\n"),
    ] {
        let mut c = weft();
        c.args(["-c", "import sys; sys.stdin.read(); print('a' * 10)"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if unbuffered {
            c.env("PYTHONUNBUFFERED", "1");
        }
        let mut child = c.spawn().unwrap();
        drop(child.stdout.take());
        drop(child.stdin.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(status), "stderr: {}", stderr(&o));
        assert!(stderr(&o).ends_with(tail), "{}", stderr(&o));
    }
}

#[test]
fn int_str_digit_limit_matches_cpython() {
    // The program and its expected output come from `python3.13` (CPython 3.13.0).
    let src = r#"import sys
print(sys.get_int_max_str_digits(), sys.flags.int_max_str_digits)
def t(f):
    try:
        r = f()
        print(r if not isinstance(r, str) or len(r) < 20 else len(r))
    except Exception as e:
        print(type(e).__name__, e)
t(lambda: str(10**100000))
t(lambda: int('1' * 5000))
t(lambda: repr(-10**4300))
t(lambda: '%d|%s' % (10**5000, 1))
t(lambda: f'{10**5000}')
t(lambda: f'{10**5000:,}')
t(lambda: str([10**5000]))
t(lambda: int(b'1' * 5000))
t(lambda: int('-' + '1_' * 4300 + '1'))
t(lambda: int('0' * 5000))
t(lambda: len(str(10**4299)))
t(lambda: int(' ' + '7' * 4300 + '\n') % 10)
t(lambda: int('1' * 5000, 16) > 0)
t(lambda: int('1' * 5000, 8) > 0)
t(lambda: int('1' * 5000, 36) > 0)
t(lambda: len(hex(10**5000)))
for v in (1, 639, -1, True, 2**40, 1.5, '5', 640, 0):
    t(lambda: (sys.set_int_max_str_digits(v), sys.get_int_max_str_digits(), sys.flags.int_max_str_digits))
t(lambda: sys.set_int_max_str_digits())
t(lambda: sys.set_int_max_str_digits(700, 1))
t(lambda: len(str(10**100000)))
sys.set_int_max_str_digits(maxdigits=700)
t(lambda: str(10**700))
t(lambda: len(str(10**699)))
t(lambda: int('9' * 701))
"#;
    let want = r#"4300 4300
ValueError Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit
ValueError Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit
ValueError Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit
ValueError Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit
ValueError Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit
ValueError Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit
ValueError Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit
ValueError Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit
ValueError Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use sys.set_int_max_str_digits() to increase the limit
ValueError Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit
4300
7
True
True
ValueError Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit
4155
ValueError maxdigits must be 0 or larger than 640
ValueError maxdigits must be 0 or larger than 640
ValueError maxdigits must be 0 or larger than 640
ValueError maxdigits must be 0 or larger than 640
OverflowError Python int too large to convert to C int
TypeError 'float' object cannot be interpreted as an integer
TypeError 'str' object cannot be interpreted as an integer
(None, 640, 4300)
(None, 0, 4300)
TypeError set_int_max_str_digits() missing required argument 'maxdigits' (pos 1)
TypeError set_int_max_str_digits() takes at most 1 argument (2 given)
100001
ValueError Exceeds the limit (700 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit
700
ValueError Exceeds the limit (700 digits) for integer string conversion: value has 701 digits; use sys.set_int_max_str_digits() to increase the limit
"#;
    let o = run(&["-c", src]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o), want);
}

#[test]
fn whole_container_reads_see_one_state_while_other_threads_mutate() {
    // 4 writers keep every dict and set at an even size across each critical section (two
    // keys per `update`, `clear`); 4 readers copy them whole with list(), tuple(), sorted(),
    // sum(), str.join(), unpacking, min/max. In nogil every copy must be a state the container
    // had (even) and none may raise "changed size during iteration" (CPython 3.13t copies
    // under the container's critical section too).
    let src = r#"import threading
N_W, N_R, ITER_W, ITER_R = 4, 4, 2000, 150
d, ds, s = {}, {}, set()
failures = []
go = threading.Barrier(N_W + N_R)

def writer(w):
    go.wait()
    base = w * 10**6
    for i in range(ITER_W):
        a = base + 2 * i
        # Two keys in one critical section, so every state of d, ds and s has an even size.
        d.update({a: 1, a + 1: 1})
        ds.update({'k%07d' % a: 1, 'k%07d' % (a + 1): 1})
        s.update({a, a + 1})
        if i % 64 == 63:
            d.clear()
            ds.clear()
            s.clear()

def reader(r):
    go.wait()
    try:
        for _ in range(ITER_R):
            sizes = {
                'list(d.items())': len(list(d.items())),
                'list(d)': len(list(d)),
                'list(d.values())': len(list(d.values())),
                'sum(d.values())': sum(d.values()),
                'tuple(d.keys())': len(tuple(d.keys())),
                'sorted(s)': len(sorted(s)),
                'list(s)': len(list(s)),
                'str.join(ds) / 8': len(''.join(ds)) // 8,
                '[*d]': len([*d]),
            }
            max(d, default=0)
            min(s, default=0)
            for what, n in sizes.items():
                if n % 2:
                    failures.append('%s has odd size %d' % (what, n))
    except Exception as e:
        failures.append('reader %d: %s: %s' % (r, type(e).__name__, e))

ts = [threading.Thread(target=writer, args=(w,)) for w in range(N_W)]
ts += [threading.Thread(target=reader, args=(r,)) for r in range(N_R)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(len(failures), 'failures')
for f in sorted(set(failures))[:10]:
    print(f)
"#;
    let o = run(&["-c", src]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o), "0 failures\n", "stderr: {}", stderr(&o));
}

/// Runs weft with `args`, killing it and failing the test if it runs past `secs` seconds.
fn run_with_timeout(args: &[&str], secs: u64) -> Output {
    let mut child = weft()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let o = child.wait_with_output().expect("output");
            panic!("weft still running after {secs} s; stdout: {}", stdout(&o));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn lookup_whose_eq_rebuilds_the_container_terminates() {
    // Each key's `__eq__` clears the container and puts the same items back: every
    // comparison replaces the table, so the probe would restart forever. weft gives up after
    // a bounded number of restarts with RuntimeError and leaves the container intact.
    let src = "\
class Rebuild:
    def __init__(self, box):
        self.box = box
    def __hash__(self):
        return 1
    def __eq__(self, other):
        c = self.box[0]
        items = list(c.items()) if isinstance(c, dict) else list(c)
        c.clear()
        if isinstance(c, dict):
            c.update(dict(items))
        else:
            c.update(items)
        return False
def attempt(what, f):
    try:
        f()
        print(what, 'ok')
    except RuntimeError as e:
        print(what, 'RuntimeError:', e)
box = [{}]
d = box[0]
d[Rebuild(box)] = 0
d[5] = 5
attempt('d[k] = v', lambda: d.__setitem__(Rebuild(box), 1))
attempt('k in d', lambda: Rebuild(box) in d)
attempt('d.get(k)', lambda: d.get(Rebuild(box)))
print(len(d), d[5])
sbox = [set()]
s = sbox[0]
s.add(Rebuild(sbox))
s.add(5)
attempt('s.add(k)', lambda: s.add(Rebuild(sbox)))
attempt('k in s', lambda: Rebuild(sbox) in s)
print(len(s), 5 in s)
";
    let o = run_with_timeout(&["-c", src], 20);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "d[k] = v RuntimeError: dictionary keys changed during lookup\n\
         k in d RuntimeError: dictionary keys changed during lookup\n\
         d.get(k) RuntimeError: dictionary keys changed during lookup\n\
         2 5\n\
         s.add(k) RuntimeError: set changed during lookup\n\
         k in s RuntimeError: set changed during lookup\n\
         2 True\n"
    );
}

/// Starts weft on the script `src` (written to a scratch file, after two lines of prelude;
/// its path is returned) with stdin a pipe kept open (so `input()` blocks), sends `SIGINT`
/// each time a line of stdout starts with `ready` (0.2 s later), and returns what it wrote
/// and how it ended; kills it and fails after 20 s.
fn interrupt_at_ready(src: &str) -> (String, Output, String) {
    use std::io::{BufRead, BufReader};
    // A program started with SIGINT ignored (a background job of a non-interactive shell)
    // keeps ignoring it, as CPython does: set the handler back for the test.
    let prelude = "import signal as _s\nif _s.getsignal(_s.SIGINT) == _s.SIG_IGN: _s.signal(_s.SIGINT, _s.default_int_handler)\n";
    let path = scratch().join("interrupted.py");
    std::fs::write(&path, format!("{prelude}{src}")).unwrap();
    let mut child = weft()
        .arg(&path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id().to_string();
    let stdin = child.stdin.take();
    let out = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in out.lines() {
            let line = line.unwrap_or_default();
            if line.starts_with("ready") {
                std::thread::sleep(std::time::Duration::from_millis(200));
                let _ = Command::new("kill").args(["-INT", &pid]).status();
            }
            all.push_str(&line);
            all.push('\n');
        }
        let _ = tx.send(());
        all
    });
    if rx.recv_timeout(std::time::Duration::from_secs(20)).is_err() {
        let _ = child.kill();
        panic!("weft did not end after SIGINT");
    }
    let out = reader.join().unwrap();
    drop(stdin);
    (
        out,
        child.wait_with_output().unwrap(),
        path.display().to_string(),
    )
}

#[test]
fn ctrl_c_raises_keyboard_interrupt_runs_finally_and_exits_by_sigint() {
    use std::os::unix::process::ExitStatusExt;
    // CPython 3.13: the traceback of the interrupted line, `finally` blocks run, and the
    // process ends by SIGINT (`exit_sigint`: a shell sees 130). Worker threads keep running
    // meanwhile (one spinning, one sleeping in a loop, one daemon).
    let src = "\
import threading, time
stop = False
def spin():
    while not stop:
        pass
def nap():
    while not stop:
        time.sleep(0.01)
for f, d in ((spin, False), (nap, False), (spin, True)):
    threading.Thread(target=f, daemon=d).start()
try:
    print('ready', flush=True)
    while True:
        pass
finally:
    stop = True
    print('finally ran', flush=True)
";
    let (out, o, path) = interrupt_at_ready(src);
    assert_eq!(out, "ready\nfinally ran\n");
    assert_eq!(o.status.signal(), Some(2), "{:?} {}", o.status, stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "Traceback (most recent call last):\n  File \"{path}\", line 15, in <module>\n    while True:\nKeyboardInterrupt\n"
        )
    );
}

#[test]
fn ctrl_c_wakes_blocking_calls_in_the_main_thread() {
    use std::os::unix::process::ExitStatusExt;
    // Each wait is interrupted in turn (while a worker thread runs), then an uncaught one
    // inside `input()` ends the program.
    let src = "\
import threading, time
stop = threading.Event()
worker = threading.Thread(target=lambda: stop.wait())
worker.start()
lock = threading.Lock()
lock.acquire()
def cond_wait():
    c = threading.Condition()
    with c:
        c.wait(30)
waits = [('sleep', lambda: time.sleep(30)), ('Event.wait', lambda: threading.Event().wait()),
         ('join', worker.join), ('acquire', lock.acquire), ('acquire timeout', lambda: lock.acquire(timeout=30)),
         ('Condition.wait', cond_wait)]
for name, f in waits:
    t0 = time.monotonic()
    try:
        print('ready', name, flush=True)
        f()
        print('returned', name)
    except KeyboardInterrupt:
        print('interrupted', name, time.monotonic() - t0 < 10, flush=True)
stop.set()
worker.join()
try:
    print('ready input', flush=True)
    input()
finally:
    print('finally', flush=True)
";
    let (out, o, _) = interrupt_at_ready(src);
    assert_eq!(
        out,
        "ready sleep\ninterrupted sleep True\nready Event.wait\ninterrupted Event.wait True\n\
         ready join\ninterrupted join True\nready acquire\ninterrupted acquire True\n\
         ready acquire timeout\ninterrupted acquire timeout True\nready Condition.wait\ninterrupted Condition.wait True\n\
         ready input\nfinally\n"
    );
    assert_eq!(o.status.signal(), Some(2), "{:?} {}", o.status, stderr(&o));
    assert!(
        stderr(&o).ends_with("    input()\nKeyboardInterrupt\n"),
        "{}",
        stderr(&o)
    );
}

/// Threads writing to (then reading from) one file object at once: each `write()` is whole
/// (the file's lock is held across the call, weft's guarantee: CPython's text files do not
/// make it), nothing is lost, and a thread waiting for the lock never holds up the holder (it
/// waits detached; a deadlock here would hit the timeout).
#[test]
fn threads_share_one_file_object() {
    let dir = scratch();
    let prog = dir.join("shared_file.py");
    std::fs::write(&prog, SHARED_FILE_PROGRAM).unwrap();
    let data = dir.join("shared_file.tmp");
    for _ in 0..3 {
        let o = run_with_timeout(&[prog.to_str().unwrap(), data.to_str().unwrap()], 30);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            stdout(&o),
            "1600\ntorn 0\nt0 400 True\nt1 400 True\nt2 400 True\nt3 400 True\nread 1600\n"
        );
    }
}

const SHARED_FILE_PROGRAM: &str = r#"# Threads writing to one file object at once: each write() is whole (the file's lock is held
# across the call), no line is lost or torn, and a thread waiting for the lock never holds up
# the others (it waits detached). Then threads reading one file object at once.
import os
import threading

import sys
path = sys.argv[1]
N_THREADS = 4
N_LINES = 400

f = open(path, "w")


def writer(t):
    for j in range(N_LINES):
        f.write("t%d line %d %s\n" % (t, j, "x" * (j % 37)))


threads = [threading.Thread(target=writer, args=(t,)) for t in range(N_THREADS)]
for th in threads:
    th.start()
for th in threads:
    th.join()
f.close()

with open(path) as g:
    lines = g.read().splitlines()
print(len(lines))
seen = {}
bad = 0
for line in lines:
    parts = line.split(" ")
    if len(parts) != 4 or parts[1] != "line" or parts[3] != "x" * (int(parts[2]) % 37):
        bad += 1
        continue
    seen.setdefault(parts[0], []).append(int(parts[2]))
print("torn", bad)
for t in sorted(seen):
    print(t, len(seen[t]), seen[t] == list(range(N_LINES)))

r = open(path)
counts = [0] * N_THREADS


def reader(t):
    while True:
        line = r.readline()
        if not line:
            break
        counts[t] += 1


threads = [threading.Thread(target=reader, args=(t,)) for t in range(N_THREADS)]
for th in threads:
    th.start()
for th in threads:
    th.join()
r.close()
print("read", sum(counts))
os.remove(path)
"#;
