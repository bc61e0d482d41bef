//! Running programs: start-up (builtins, type methods, `sys`), `__main__`, and the exit
//! status rules of CPython (0; 1 after printing an uncaught exception; `SystemExit` codes).

/// Prepares the runtime once per process (type methods, builtins, `sys`); later calls do
/// nothing.
pub fn init() {
    todo!("interp::init")
}

/// Runs `source` as the `__main__` module from `filename` with `sys.argv = argv`, on the
/// calling thread (attaching it). Prints an uncaught exception like CPython and returns the
/// process exit status.
pub fn run_source(source: &str, filename: &str, argv: Vec<String>) -> i32 {
    let _ = (source, filename, argv);
    todo!("interp::run_source")
}
