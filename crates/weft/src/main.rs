//! The `weft` command: runs a Python program.
//!
//! ```text
//! weft [option] ... [-c cmd | -m mod | file | -] [arg] ...
//! ```
//!
//! Options are parsed by hand, CPython style: they end at the first argument that is not an
//! option (the script), at `-c CMD`, at `-m MOD`, or at `-`; everything after is `sys.argv`.

use std::io::{IsTerminal, Read};

/// mimalloc for every allocation of the process (objects, frames' side buffers, containers):
/// see ARCHITECTURE.md, "External crates and why".
#[global_allocator]
static ALLOCATOR: weft_sync::alloc::WeftAlloc = weft_sync::alloc::WeftAlloc;

const USAGE: &str = "usage: weft [option] ... [-c cmd | -m mod | file | -] [arg] ...";

fn help() -> String {
    format!(
        "{USAGE}
Options (and corresponding environment variables):
-c cmd : program passed in as string (terminates option list)
-h     : print this help message and exit (also -? or --help)
-m mod : run library module as a script (terminates option list);
         `-m dis FILE` prints the bytecode of FILE
-u     : force the stdout stream to be unbuffered
-V     : print the version number and exit (also --version)
         when given twice, print more information about the build
-X opt : set implementation-specific option; accepted: -X gil=0|1
         (recorded in sys._xoptions; switching the GIL at start-up comes with a later
         release: today the build decides: {} build); -X specialization=0 turns the
         specializing interpreter off
-E -B -s -S -I -O -q : accepted for compatibility, no effect
file   : program read from script file
-      : program read from stdin (default; interactive mode is not supported)
arg ...: arguments passed to program in sys.argv[1:]

Environment variables:
PYTHONPATH   : ':'-separated list of directories prefixed to the module search path
PYTHONUNBUFFERED : if this is set to a non-empty string it is equivalent to the -u option
WEFT_SPECIALIZATION : `0` turns the specializing interpreter off (as -X specialization=0)
WEFT_LOG     : tracing filter (e.g. `WEFT_LOG=debug`) for the runtime's events, on stderr
WEFT_STATS   : `WEFT_STATS=1` prints the runtime's event counters on stderr at exit
",
        weft_eval::VARIANT
    )
}

fn version(verbose: bool) -> String {
    let base = format!(
        "weft {} (Python 3.11 language)",
        weft_eval::modules::sys::WEFT_VERSION
    );
    if !verbose {
        return base;
    }
    format!(
        "{base}\n[{} build; rust {}; {}-{}]",
        weft_eval::VARIANT,
        env!("CARGO_PKG_RUST_VERSION"),
        std::env::consts::ARCH,
        std::env::consts::OS
    )
}

/// What to run.
enum Program {
    /// The script path as the OS gave it (it need not be UTF-8).
    File(std::ffi::OsString),
    Command(String),
    Module(String),
    Stdin,
}

fn usage_error(msg: &str) -> ! {
    eprintln!("{msg}");
    eprintln!("{USAGE}");
    eprintln!("Try `weft -h' for more information.");
    std::process::exit(2);
}

fn apply_environment() {
    // CPython: a non-empty PYTHONUNBUFFERED is `-u`.
    if std::env::var_os("PYTHONUNBUFFERED").is_some_and(|v| !v.is_empty()) {
        weft_eval::modules::set_unbuffered(true);
    }
    if std::env::var_os("WEFT_SPECIALIZATION").is_some_and(|v| v == "0") {
        weft_eval::specialize::set_enabled(false);
    }
    if let Some(filter) = std::env::var_os("WEFT_LOG") {
        let filter = tracing_subscriber::EnvFilter::try_new(filter.to_string_lossy())
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .try_init();
    }
}

/// `sys.argv`: `first`, then the arguments after the program.
fn argv(first: &str, rest: Vec<String>) -> Vec<String> {
    std::iter::once(first.to_owned()).chain(rest).collect()
}

/// The command-line arguments after the command name as text. The OS hands out bytes that
/// need not be UTF-8; an invalid sequence becomes U+FFFD here (CPython's surrogateescape
/// would make lone surrogates, which weft's `str` cannot hold), so `sys.argv` always holds
/// usable strings and nothing panics. The raw arguments come back with them, for opening the
/// script by its real name.
fn os_args() -> (Vec<std::ffi::OsString>, Vec<String>) {
    let raw: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let text = raw
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    (raw, text)
}

fn main() {
    apply_environment();
    // CPython's start-up handlers: Ctrl-C raises KeyboardInterrupt in the main thread.
    weft_eval::modules::signal::install_default_handlers();
    let (raw_args, args) = os_args();
    let mut i = 0;
    let mut program = None;
    let mut versions = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-" {
            program = Some(Program::Stdin);
            i += 1;
            break;
        }
        if a == "--help" {
            print!("{}", help());
            return;
        }
        if a == "--version" {
            versions += 1;
            i += 1;
            continue;
        }
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a.len() < 2 {
            break;
        }
        if a.starts_with("--") {
            usage_error(&format!("unknown option {a}"));
        }
        // A cluster of one-letter options: `-uV`, `-c CODE`, `-cCODE`, `-X opt`.
        let chars: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        let mut consumed_next = false;
        while j < chars.len() {
            let c = chars[j];
            let rest: String = chars[j + 1..].iter().collect();
            match c {
                'c' | 'm' | 'X' => {
                    let val = if !rest.is_empty() {
                        rest
                    } else if i + 1 < args.len() {
                        consumed_next = true;
                        args[i + 1].clone()
                    } else {
                        usage_error(&format!("Argument expected for the -{c} option"));
                    };
                    match c {
                        'c' => program = Some(Program::Command(val)),
                        'm' => program = Some(Program::Module(val)),
                        _ => {
                            if val == "specialization=0" {
                                weft_eval::specialize::set_enabled(false);
                            }
                            weft_eval::modules::sys::add_xoption(&val)
                        }
                    }
                    j = chars.len();
                    continue;
                }
                'u' => weft_eval::modules::set_unbuffered(true),
                'V' => versions += 1,
                'h' | '?' => {
                    print!("{}", help());
                    return;
                }
                'E' | 'B' | 's' | 'S' | 'I' | 'O' | 'q' | 'b' | 'd' | 'i' | 'v' | 'x' | 'P' => {}
                _ => usage_error(&format!("Unknown option: -{c}")),
            }
            j += 1;
        }
        i += 1;
        if consumed_next {
            i += 1;
        }
        if matches!(
            program,
            Some(Program::Command(_)) | Some(Program::Module(_))
        ) {
            break;
        }
    }
    if versions > 0 {
        println!("{}", version(versions > 1));
        return;
    }
    let rest: Vec<String> = args[i.min(args.len())..].to_vec();
    let program = match program {
        Some(p) => p,
        None => match raw_args.get(i) {
            Some(f) => Program::File(f.clone()),
            None => Program::Stdin,
        },
    };
    let status = weft_eval::interp::run_in_main_thread(move || match program {
        Program::File(f) => weft_eval::interp::run_file(std::path::Path::new(&f), rest),
        Program::Command(code) => {
            weft_eval::interp::run_source(&code, "<string>", argv("-c", rest))
        }
        Program::Module(m) => weft_eval::interp::run_module(&m, argv(&m, rest)),
        Program::Stdin => {
            if std::io::stdin().is_terminal() && rest.is_empty() {
                eprintln!(
                    "weft: interactive mode is not supported; give a file, -c CMD or pipe a program into `weft -`"
                );
                return 2;
            }
            let mut src = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut src) {
                eprintln!("weft: cannot read the program from stdin: {e}");
                return 2;
            }
            weft_eval::interp::run_source(&src, "<stdin>", argv("-", rest))
        }
    });
    if std::env::var_os("WEFT_STATS").is_some_and(|v| !v.is_empty() && v != "0") {
        eprintln!(
            "weft stats ({} build):\n{}",
            weft_eval::VARIANT,
            weft_sync::stats::snapshot()
        );
    }
    if weft_eval::interp::exited_by_keyboard_interrupt() {
        weft_sync::signals::die_by_signal(2);
    }
    std::process::exit(status);
}
