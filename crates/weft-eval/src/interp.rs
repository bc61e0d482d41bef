//! Running programs: start-up (builtins, type methods, `sys`), `__main__`, and the exit
//! status rules of CPython (0; 1 after printing an uncaught exception; `SystemExit` codes).
//!
//! The interpreter runs on a thread of its own with a big native stack
//! ([`MAIN_STACK_SIZE`], virtual memory only): [`run_in_main_thread`] spawns it. Before the
//! process exits, every non-daemon `threading` thread is joined (`threading._shutdown`) and
//! stdout is flushed.

use std::sync::Once;

use crate::modules::str_obj;
use weft_containers::dict::Dict;
use weft_object::scalar::int::Int;
use weft_object::{ExcKind, ObjRef, Object, PyErr, intern, none};

use crate::core::{Module, module_set, new_module};
use crate::modules::{self, sys};

/// Native stack size of the main interpreter thread.
pub const MAIN_STACK_SIZE: usize = 256 << 20;

/// Prepares the runtime once per process (type methods, builtins, `sys`); later calls do
/// nothing.
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // `<class '__main__.P'>` everywhere a type is repr'd, also inside containers.
        let _ = weft_object::types::TYPE_REPR_HOOK.set(|t| Some(crate::class::type_repr(t)));
        crate::methods::install_all();
        crate::function::install_types();
        modules::io::install();
        modules::thread::install();
        let _ = crate::builtins::builtins_dict();
        let _ = sys::sys_module();
    });
}

/// Runs `f` on a new thread with a [`MAIN_STACK_SIZE`] native stack (the eval loop's stack
/// budget set accordingly) and returns its result; a panic in the interpreter becomes status
/// 70 after a message on stderr.
pub fn run_in_main_thread(f: impl FnOnce() -> i32 + Send + 'static) -> i32 {
    let h = std::thread::Builder::new()
        .name("weft-main".to_owned())
        .stack_size(MAIN_STACK_SIZE)
        .spawn(move || {
            crate::eval::set_native_stack_size(MAIN_STACK_SIZE);
            f()
        });
    match h {
        Ok(h) => match h.join() {
            Ok(code) => code,
            Err(_) => {
                let _ = modules::flush_stdout();
                eprintln!("weft: internal error (the interpreter panicked)");
                70
            }
        },
        Err(e) => {
            eprintln!("weft: cannot start the interpreter thread: {e}");
            70
        }
    }
}

static UNHANDLED_KEYBOARD_INTERRUPT: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Whether the main program ended with an uncaught `KeyboardInterrupt` (exactly that type).
/// The CLI then ends the process by `SIGINT` with its default action, as CPython 3.13 does
/// (`weft_sync::signals::die_by_signal`): a shell sees status 130, a parent "killed by
/// SIGINT". The status [`run_source`] returned for it is 130.
pub fn exited_by_keyboard_interrupt() -> bool {
    UNHANDLED_KEYBOARD_INTERRUPT.load(std::sync::atomic::Ordering::Relaxed)
}

/// What `__main__` runs.
enum MainSource<'a> {
    /// Source text with the file name it reports.
    Text(&'a str, &'a str),
    /// A module found on `sys.path` (`-m`).
    Module(&'a str),
}

/// Runs `source` as the `__main__` module from `filename` with `sys.argv = argv`, on the
/// calling thread (attaching it). Prints an uncaught exception like CPython and returns the
/// process exit status.
pub fn run_source(source: &str, filename: &str, argv: Vec<String>) -> i32 {
    run_main(MainSource::Text(source, filename), argv)
}

/// Runs the file `path` as `__main__` (`weft path args...`; `argv[0]` is `path`). A file that
/// cannot be read gives CPython's `can't open file` message and status 2. The path need not
/// be UTF-8: it is opened as given and reported with U+FFFD for invalid bytes.
pub fn run_file(path: &std::path::Path, argv: Vec<String>) -> i32 {
    // CPython reports the main script by its absolute path (`__file__`, tracebacks).
    let abs = std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned();
    match std::fs::read(path) {
        Ok(bytes) => run_source(&String::from_utf8_lossy(&bytes), &abs, argv),
        Err(e) => {
            let err = modules::io::os_error(&e, None);
            eprintln!(
                "{}: can't open file {}: {}",
                argv0_name(),
                weft_object::scalar::str::repr(&abs),
                err.msg
            );
            2
        }
    }
}

fn argv0_name() -> String {
    std::env::args_os()
        .next()
        .and_then(|a| {
            std::path::Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "weft".to_owned())
}

/// Runs the module `name` from `sys.path` as `__main__` (`weft -m name args...`).
/// `weft -m dis file.py` prints the disassembly of `file.py`.
pub fn run_module(name: &str, argv: Vec<String>) -> i32 {
    if name == "dis" {
        return run_dis(&argv);
    }
    run_main(MainSource::Module(name), argv)
}

fn run_dis(argv: &[String]) -> i32 {
    let Some(path) = argv.get(1) else {
        eprintln!("usage: weft -m dis FILE");
        return 2;
    };
    let src = match std::fs::read(path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("weft -m dis: {path}: {e}");
            return 1;
        }
    };
    match weft_compiler::compile(&src, path, weft_compiler::Mode::Exec) {
        Ok(code) => {
            let _ = modules::write_real_stdout(&weft_compiler::dis(&code));
            modules::flush_stdout_at_exit().unwrap_or(0)
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

fn sys_path_first(src: &MainSource<'_>) -> String {
    match src {
        MainSource::Text(_, f) if !f.starts_with('<') => {
            let p = std::path::Path::new(f);
            let dir = p.parent().map(|d| d.to_path_buf()).unwrap_or_default();
            let dir = if dir.as_os_str().is_empty() {
                std::path::PathBuf::from(".")
            } else {
                dir
            };
            std::fs::canonicalize(&dir)
                .unwrap_or(dir)
                .to_string_lossy()
                .into_owned()
        }
        MainSource::Module(_) => std::env::current_dir()
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn run_main(src: MainSource<'_>, argv: Vec<String>) -> i32 {
    let guard = weft_refcount::attach();
    init();
    weft_sync::signals::mark_main_thread();
    modules::signal::register_thread(modules::thread::get_ident());
    weft_frame::with_stack(|ds| ds.set_recursion_limit(sys::recursion_limit()));
    sys::set_argv(&argv);
    sys::set_path(&sys_path_first(&src));
    let result = match src {
        MainSource::Text(source, filename) => run_text(source, filename),
        MainSource::Module(name) => crate::import::run_module_as_main(name).map_err(Some),
    };
    if let Err(Some(e)) = &result {
        // CPython notes an uncaught exception of exactly `KeyboardInterrupt` type and, after
        // finalizing, ends the process by SIGINT (`exit_sigint`).
        let exc = crate::exceptions::materialize(e);
        if std::ptr::eq(
            exc.ty(),
            crate::exceptions::exc_type(ExcKind::KeyboardInterrupt),
        ) {
            UNHANDLED_KEYBOARD_INTERRUPT.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
    let mut status = match result {
        Ok(()) => 0,
        Err(None) => 1,
        Err(Some(e)) => handle_uncaught(&e),
    };
    if let Some(s) = shutdown_threads() {
        status = s;
    }
    if let Some(s) = modules::flush_stdout_at_exit() {
        status = s;
    }
    modules::thread::clear_thread_locals();
    weft_frame::thread_exit();
    drop(guard);
    status
}

/// Compiles and runs the main program; `Err(None)` when a syntax error was already printed.
fn run_text(source: &str, filename: &str) -> Result<(), Option<PyErr>> {
    let code = match weft_compiler::compile(source, filename, weft_compiler::Mode::Exec) {
        Ok(c) => c,
        Err(e) => {
            let _ = modules::flush_stdout();
            modules::write_real_stderr(&format!("{e}\n"));
            return Err(None);
        }
    };
    if !filename.starts_with('<') {
        crate::traceback::register_source(filename, source);
    }
    let module = new_module("__main__");
    module_set(
        &module,
        "__builtins__",
        crate::builtins::builtins_dict().to_ref(),
    );
    if !filename.starts_with('<') || filename == "<stdin>" {
        module_set(&module, "__file__", str_obj(filename));
    }
    module_set(&module, "__doc__", none().to_ref());
    module_set(&module, "__package__", none().to_ref());
    module_set(&module, "__spec__", none().to_ref());
    module_set(&module, "__loader__", none().to_ref());
    if let Err(e) = Dict::of(sys::modules())
        .expect("dict")
        .set_item(str_obj("__main__"), module.clone())
    {
        return Err(Some(e));
    }
    crate::import::exec_module_code(&module, code).map_err(Some)
}

/// The exit status for the `SystemExit` exception `exc`, printing a non-integer code.
fn system_exit_status(exc: &Object) -> i32 {
    let args = crate::exceptions::args_of(exc);
    let items = weft_containers::tuple::as_tuple(&args)
        .map(|t| t.as_slice().to_vec())
        .unwrap_or_default();
    let code = match items.len() {
        0 => none().to_ref(),
        1 => items[0].clone(),
        _ => args.clone(),
    };
    if code.is(none()) {
        return 0;
    }
    if let Some(i) = code.downcast::<Int>() {
        return match i.as_i64() {
            Some(v) => v as i32,
            None => -1,
        };
    }
    let text = match code.str() {
        Ok(s) => s,
        Err(_) => "<exception str() failed>".to_owned(),
    };
    to_stderr(&format!("{text}\n"));
    1
}

/// Whether the exception object `exc` is a `SystemExit`.
pub(crate) fn is_system_exit(exc: &Object) -> bool {
    exc.ty()
        .is_subtype(crate::exceptions::exc_type(ExcKind::SystemExit))
}

/// Prints an uncaught exception (through `sys.excepthook` when a program replaced it) and
/// returns the exit status.
fn handle_uncaught(e: &PyErr) -> i32 {
    let exc = crate::exceptions::materialize(e);
    if is_system_exit(&exc) {
        return system_exit_status(&exc);
    }
    report_exception(&exc);
    if std::ptr::eq(
        exc.ty(),
        crate::exceptions::exc_type(ExcKind::KeyboardInterrupt),
    ) {
        return 130;
    }
    1
}

/// Prints `exc` as an uncaught exception: `sys.excepthook(type, value, tb)` when a program
/// replaced it, else the default report on stderr.
pub fn report_exception(exc: &Object) {
    let hook = sys_attr("excepthook");
    let is_default = hook.as_ref().is_some_and(|h| {
        h.downcast::<crate::core::Builtin>()
            .is_some_and(|b| b.name == "excepthook")
    });
    if let Some(h) = hook
        && !is_default
    {
        let r = crate::call::call(
            &h,
            &[exc.ty().as_object().to_ref(), exc.to_ref(), none().to_ref()],
            &[],
        );
        if let Err(e2) = r {
            let e2 = crate::exceptions::materialize(&e2);
            modules::write_real_stderr("Error in sys.excepthook:\n");
            modules::write_real_stderr(&crate::traceback::format_exception(&e2));
            modules::write_real_stderr("\nOriginal exception was:\n");
            modules::write_real_stderr(&crate::traceback::format_exception(exc));
        }
        return;
    }
    let text = crate::traceback::format_exception(exc);
    let _ = modules::flush_stdout();
    to_stderr(&text);
}

/// Writes to `sys.stderr` (a program may have replaced it), falling back to the real stderr
/// when that fails.
fn to_stderr(text: &str) {
    if modules::write_stderr(text).is_err() {
        modules::write_real_stderr(text);
    }
}

/// Joins the non-daemon threads through `threading._shutdown()` when `threading` was
/// imported. Returns a new exit status when the shutdown itself raised `SystemExit`.
fn shutdown_threads() -> Option<i32> {
    let threading = Dict::of(sys::modules())?.get(intern("threading")).ok()??;
    let f = crate::attr::getattr_opt(&threading, intern("_shutdown")).ok()??;
    match crate::call::call(&f, &[], &[]) {
        Ok(_) => None,
        Err(e) => Some(handle_uncaught(&e)),
    }
}

/// Looks up `sys.<name>` (for embedders and tests).
pub fn sys_attr(name: &str) -> Option<ObjRef> {
    let m = sys::sys_module().downcast::<Module>()?;
    Dict::of(&m.dict)?.get(intern(name)).ok()?
}
