//! The native modules (`sys`, `math`, `os`, `time`, `_thread`/`threading`), files, imports
//! and traceback formatting, driven through the public API: each Python test program
//! asserts its own expectations, and the Rust side checks that it ran to the end (status 0)
//! or that the formatted traceback is exactly CPython's.

use std::sync::atomic::{AtomicUsize, Ordering};

use weft_eval::interp;

/// The tests share one process, so one `sys` (argv, path, stdout): they run one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `src` as `__main__` on a big-stack interpreter thread; returns the exit status.
fn run(src: &str) -> i32 {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let src = src.to_owned();
    interp::run_in_main_thread(move || interp::run_source(&src, "<test>", vec!["<test>".into()]))
}

fn scratch() -> std::path::PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "weft-modules-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn math_module() {
    let status = run(r#"
import math
assert math.floor(-2.5) == -3 and type(math.floor(2.5)) is int
assert math.ceil(1e30) == 1000000000000000019884624838656
assert math.factorial(30) == 265252859812191058636308480000000
assert math.gcd(12, 18, 27) == 3 and math.gcd() == 0 and math.lcm(4, 6, 10) == 60
assert math.isqrt(10**40 + 1) == 10**20
assert math.comb(10, 3) == 120 and math.perm(5) == 120 and math.perm(5, 2) == 20
assert math.fsum([0.1] * 10) == 1.0 and sum([0.1] * 10) != 1.0
assert math.log(8, 2) == 3.0 and math.log10(1000) == 3.0 and math.log2(1024) == 10.0
assert abs(math.log(10**400) - 921.0340371976183) < 1e-9
assert math.isclose(math.sin(math.pi / 2), 1.0) and math.isnan(math.nan) and math.isinf(math.inf)
assert math.frexp(8.0) == (0.5, 4) and math.ldexp(0.5, 4) == 8.0 and math.modf(2.5) == (0.5, 2.0)
assert math.hypot(3, 4) == 5.0 and math.copysign(1.0, -0.0) == -1.0 and math.trunc(-2.7) == -2
assert math.prod([1, 2, 3, 4]) == 24 and math.tau == 2 * math.pi
for f, exc, msg in [(lambda: math.sqrt(-1), ValueError, "math domain error"),
                    (lambda: math.log(0), ValueError, "math domain error"),
                    (lambda: math.exp(1000), OverflowError, "math range error"),
                    (lambda: math.factorial(-1), ValueError, "factorial() not defined for negative values"),
                    (lambda: math.floor(math.inf), OverflowError, "cannot convert float infinity to integer"),
                    (lambda: math.gcd(1.5), TypeError, "'float' object cannot be interpreted as an integer")]:
    try:
        f()
    except exc as e:
        assert str(e) == msg, (str(e), msg)
    else:
        raise AssertionError(msg)
"#);
    assert_eq!(status, 0);
}

#[test]
fn sys_module() {
    let status = run(r#"
import sys
assert sys.argv == ['<test>']
assert sys.version_info >= (3, 11) and sys.version_info.major == 3 and sys.version_info[:2] == (3, 11)
assert sys.implementation.name == 'weft' and 'weft' in sys.version
assert sys.maxsize == 2**63 - 1 and sys.byteorder in ('little', 'big')
assert sys.modules['sys'] is sys
assert isinstance(sys._is_gil_enabled(), bool)
old = sys.getrecursionlimit()
sys.setrecursionlimit(old + 100)
assert sys.getrecursionlimit() == old + 100
sys.setrecursionlimit(old)
def inner():
    f = sys._getframe()
    return f.f_code.co_name, f.f_back.f_code.co_name, f.f_lineno
assert inner() == ('inner', '<module>', 15), inner()
try:
    raise KeyError('k')
except KeyError:
    t, v, tb = sys.exc_info()
    assert t is KeyError and v.args == ('k',)
assert sys.exc_info() == (None, None, None)
assert sys.intern('abc') is sys.intern('ab' + 'c')
try:
    sys.exit(5)
except SystemExit as e:
    assert e.code == 5
"#);
    assert_eq!(status, 0);
}

#[test]
fn exit_statuses() {
    assert_eq!(run("raise SystemExit(7)"), 7);
    assert_eq!(run("import sys\nsys.exit()"), 0);
    assert_eq!(run("import sys\nsys.exit('message to stderr')"), 1);
    assert_eq!(run("1/0"), 1);
    assert_eq!(run("def f(:\n  pass"), 1);
}

#[test]
fn os_time_and_files() {
    let d = scratch();
    let src = format!(
        r#"
import os, os.path, time
d = {d:?}
os.chdir(d)
assert os.getcwd() == os.path.realpath(d) or os.getcwd() == d
with open('f.txt', 'w') as f:
    assert f.write('héllo\n') == 6
    f.writelines(['a\n', 'b'])
assert f.closed
with open('f.txt') as f:
    assert [l for l in f] == ['héllo\n', 'a\n', 'b']
assert open('f.txt').read(2) == 'hé'
assert open('f.txt', 'rb').read() == 'héllo\na\nb'.encode()
with open('f.txt', 'a') as f:
    f.write('!')
assert open('f.txt').readlines()[-1] == 'b!'
assert os.path.getsize('f.txt') == 11
os.makedirs('x/y', exist_ok=True)
assert os.path.isdir('x/y') and sorted(os.listdir('.')) == ['f.txt', 'x']
os.rename('f.txt', 'x/g.txt')
assert os.path.exists('x/g.txt') and not os.path.exists('f.txt')
try:
    open('f.txt')
except FileNotFoundError as e:
    assert e.errno == 2 and str(e) == "[Errno 2] No such file or directory: 'f.txt'"
else:
    raise AssertionError
try:
    open('x/g.txt', 'x')
except FileExistsError as e:
    assert e.errno == 17
os.remove('x/g.txt'); os.rmdir('x/y'); os.rmdir('x')
assert os.path.join('a', 'b', 'c') == 'a/b/c' and os.path.splitext('a/b.c.d') == ('a/b.c', '.d')
assert os.path.split('/a/b') == ('/a', 'b') and os.path.abspath('/a/./b/../c') == '/a/c'
assert os.sep == '/' and os.name == 'posix' and isinstance(os.environ, dict)
t0 = time.monotonic()
time.sleep(0.02)
assert time.monotonic() - t0 >= 0.02
assert isinstance(time.time_ns(), int) and time.perf_counter() > 0
try:
    time.sleep(-1)
except ValueError as e:
    assert str(e) == 'sleep length must be non-negative'
"#,
        d = d.to_string_lossy()
    );
    assert_eq!(run(&src), 0);
}

#[test]
fn threads_and_locks() {
    let status = run(r#"
import threading, _thread
lock = threading.Lock()
count = 0
def work(n):
    global count
    for _ in range(n):
        with lock:
            count += 1
ts = [threading.Thread(target=work, args=(500,)) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
assert count == 2000, count
assert lock.acquire() and not lock.acquire(False) and not lock.acquire(timeout=0.01)
lock.release()
try:
    lock.release()
except RuntimeError as e:
    assert str(e) == 'release unlocked lock'
r = threading.RLock()
with r:
    with r:
        pass
try:
    r.release()
except RuntimeError as e:
    assert str(e) == 'cannot release un-acquired lock'
b = threading.Barrier(3)
idx = []
ts = [threading.Thread(target=lambda: idx.append(b.wait())) for _ in range(3)]
for t in ts: t.start()
for t in ts: t.join()
assert sorted(idx) == [0, 1, 2]
sem = threading.BoundedSemaphore(1)
sem.acquire(); sem.release()
try:
    sem.release()
except ValueError as e:
    assert str(e) == 'Semaphore released too many times'
loc = threading.local()
loc.x = 'main'
seen = []
t = threading.Thread(target=lambda: seen.append(hasattr(loc, 'x')))
t.start(); t.join()
assert seen == [False] and loc.x == 'main'
t = threading.Thread(target=lambda: None)
assert t.name.startswith('Thread-') and t.name.endswith('(<lambda>)')
t.start(); t.join()
try:
    t.start()
except RuntimeError as e:
    assert str(e) == 'threads can only be started once'
# (one process runs several tests: the main thread is whichever imported threading first)
assert threading.main_thread().name == 'MainThread'
assert threading.get_ident() == _thread.get_ident()
done = _thread.allocate_lock()
done.acquire()
_thread.start_new_thread(lambda a, b=0: done.release(), (1,), {'b': 2})
assert done.acquire(timeout=5)
"#);
    assert_eq!(status, 0);
}

#[test]
fn imports_from_sys_path() {
    let d = scratch();
    std::fs::create_dir_all(d.join("pkg/sub")).unwrap();
    std::fs::write(d.join("pkg/__init__.py"), "from .a import A\nVALUE = 1\n").unwrap();
    std::fs::write(d.join("pkg/a.py"), "A = 'a'\nfrom . import b\n").unwrap();
    std::fs::write(
        d.join("pkg/b.py"),
        "from .a import A as ALIAS\n__all__ = ['B']\nB = 2\n_p = 3\n",
    )
    .unwrap();
    std::fs::write(d.join("pkg/sub/__init__.py"), "").unwrap();
    std::fs::write(
        d.join("pkg/sub/c.py"),
        "from .. import VALUE\nC = VALUE + 1\n",
    )
    .unwrap();
    std::fs::write(
        d.join("broken.py"),
        "X = 1\nraise ValueError('during import')\n",
    )
    .unwrap();
    let src = format!(
        r#"
import sys
sys.path.insert(0, {d:?})
import pkg
assert pkg.A == 'a' and pkg.VALUE == 1 and pkg.b.ALIAS == 'a'
import pkg.sub.c
assert pkg.sub.c.C == 2 and sys.modules['pkg.sub.c'] is pkg.sub.c
from pkg.sub import c as cc
assert cc is pkg.sub.c
from pkg.b import *
assert B == 2 and '_p' not in dir()
try:
    import broken
except ValueError:
    assert 'broken' not in sys.modules
try:
    import pkg.nope
except ModuleNotFoundError as e:
    assert str(e) == "No module named 'pkg.nope'" and e.name == 'pkg.nope'
try:
    from pkg import nothing_here
except ImportError as e:
    assert str(e).startswith("cannot import name 'nothing_here' from 'pkg' ("), str(e)
import threading as t1, threading as t2
assert t1 is t2
"#,
        d = d.to_string_lossy()
    );
    assert_eq!(run(&src), 0);
}

#[test]
fn traceback_layout() {
    use std::sync::mpsc;
    let (tx, rx) = mpsc::channel();
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    interp::run_in_main_thread(move || {
        let _g = weft_refcount::attach();
        interp::init();
        let src = "def f():\n    raise ValueError('inner')\n\ntry:\n    f()\nexcept ValueError as e:\n    raise KeyError('k') from e\n";
        let code = weft_compiler::compile(src, "<tb-test>", weft_compiler::Mode::Exec).unwrap();
        let m = weft_eval::core::new_module("tbtest");
        let err = weft_eval::import::exec_module_code(&m, code).unwrap_err();
        let exc = weft_eval::exceptions::materialize(&err);
        tx.send(weft_eval::traceback::format_exception(&exc))
            .unwrap();
        0
    });
    let text = rx.recv().unwrap();
    assert_eq!(
        text,
        "Traceback (most recent call last):\n  File \"<tb-test>\", line 5, in <module>\n  File \"<tb-test>\", line 2, in f\nValueError: inner\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File \"<tb-test>\", line 7, in <module>\nKeyError: 'k'\n"
    );
}

#[test]
fn io_module_and_redirection() {
    let status = run(r#"
import io, sys, builtins
s = io.StringIO()
s.write("hello\n")
print("world", 1, file=s)
assert s.getvalue() == "hello\nworld 1\n"
s.seek(0)
assert s.readline() == "hello\n" and s.read() == "world 1\n"
assert list(io.StringIO("a\nb")) == ["a\n", "b"]
b = io.BytesIO(b"xy\nz")
assert b.readline() == b"xy\n" and b.read() == b"z"
old = sys.stdout
sys.stdout = io.StringIO()
print("captured")
value = sys.stdout.getvalue()
sys.stdout = old
assert value == "captured\n", value
assert builtins.len is len
assert issubclass(io.UnsupportedOperation, OSError) and issubclass(io.UnsupportedOperation, ValueError)
"#);
    assert_eq!(status, 0);
}

#[test]
fn embedded_null_in_paths_is_value_error() {
    // CPython 3.13's messages, checked against `python3.13`.
    let status = run(r#"
import os
def err(f, *args):
    try:
        f(*args)
    except ValueError as e:
        return str(e)
    except Exception as e:
        return 'wrong: %s %s' % (type(e).__name__, e)
    return 'no error'
p = 'a\0b'
assert err(open, p) == 'embedded null byte', err(open, p)
assert err(open, p, 'w') == 'embedded null byte'
assert err(open, p.encode(), 'rb') == 'embedded null byte'
assert err(open, p, 'q') == "invalid mode: 'q'"
assert err(os.listdir, p) == 'listdir: embedded null character in path', err(os.listdir, p)
assert err(os.remove, p) == 'remove: embedded null character in path'
assert err(os.unlink, p) == 'unlink: embedded null character in path'
assert err(os.mkdir, p) == 'mkdir: embedded null character in path'
assert err(os.makedirs, p) == 'mkdir: embedded null character in path'
assert err(os.rmdir, p) == 'rmdir: embedded null character in path'
assert err(os.chdir, p) == 'chdir: embedded null character in path'
assert err(os.rename, p, 'x') == 'rename: embedded null character in src'
assert err(os.rename, 'x', p) == 'rename: embedded null character in dst'
assert err(os.path.getsize, p) == 'stat: embedded null character in path'
assert err(os.path.realpath, p) == 'lstat: embedded null character in path'
assert os.path.exists(p) is False and os.path.isfile(p) is False and os.path.isdir(p) is False
"#);
    assert_eq!(status, 0);
}
