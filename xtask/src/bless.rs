//! `cargo xtask bless [--check] [FILTER...]`: regenerates the expectations of the differential
//! test corpus in `tests/corpus` from CPython 3.11 (see `tests/corpus/README.md`).
//!
//! Every `tests/corpus/**/<name>.py`, except `helper_*.py` modules and anything under a
//! `__pycache__` directory, runs with `python3` in its own directory, argv = `[<name>.py]`,
//! `PYTHONHASHSEED=0`, `PYTHONIOENCODING=utf-8` and `PYTHONDONTWRITEBYTECODE=1`, at most 10 s.
//! Each program runs twice and must behave the same both times. Its stdout becomes
//! `<name>.stdout` and its exit status (plus the last stderr line when it fails) `<name>.meta`.
//! With `--check` nothing is written: programs whose expectations differ from what python3 does
//! now are reported, and the command fails if there is any.

use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: cargo xtask bless [--check] [FILTER...]

Runs every tests/corpus/**/*.py program (but helper_*.py) with python3 3.11 and writes its
<name>.stdout and <name>.meta. With --check, writes nothing and fails if any expectation is out
of date. A FILTER is a substring of the path below tests/corpus (e.g. `threading/` or `slice`);
with several, a program is taken when it matches any. $WEFT_BLESS_PYTHON overrides `python3`.
";

/// The CPython release whose behaviour the corpus records.
const PYTHON_VERSION: &str = "3.11";

/// The wall-clock limit of one program run.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The environment of every program run (the runner of the corpus sets the same).
const ENV: &[(&str, &str)] = &[
    ("PYTHONHASHSEED", "0"),
    ("PYTHONIOENCODING", "utf-8"),
    ("PYTHONDONTWRITEBYTECODE", "1"),
];

/// Variables that would change how CPython runs a program (`-O`, the import path, warnings...).
const ENV_REMOVED: &[&str] = &[
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "PYTHONOPTIMIZE",
    "PYTHONWARNINGS",
    "PYTHONDEVMODE",
    "PYTHONSAFEPATH",
    "PYTHONINSPECT",
    "PYTHONUTF8",
    "PYTHONPYCACHEPREFIX",
];

/// A program asks for `stderr_check=none` with this line (for a failure whose message is
/// implementation-specific).
const DIRECTIVE: &str = "# corpus-meta: stderr_check=none";

/// Exceptions whose wording differs between implementations: never compared.
const UNCOMPARED_ERRORS: &[&str] = &["SyntaxError", "IndentationError", "TabError"];

/// The entry point of `cargo xtask bless`.
pub fn main(args: &[String]) -> ExitCode {
    let mut check = false;
    let mut filters = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" | "help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            flag if flag.starts_with('-') => {
                eprintln!("error: unexpected argument `{flag}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
            filter => filters.push(filter.to_owned()),
        }
    }
    match run(check, &filters) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What became of one program.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    /// The expectations match what python3 does.
    UpToDate,
    /// Bless: expectations rewritten. Check: they differ.
    Changed,
    /// Bless: expectations written for the first time. Check: there are none.
    New,
    /// The program could not be recorded (timeout, two different runs, killed, no python3).
    Failed,
}

/// Blesses or checks every program that matches `filters`; `Ok(false)` when something failed
/// (or, with `check`, is out of date).
fn run(check: bool, filters: &[String]) -> Result<bool, String> {
    let corpus = super::root().join("tests").join("corpus");
    let python = std::env::var("WEFT_BLESS_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    check_version(&python)?;
    let mut programs = Vec::new();
    let mut stale = Vec::new();
    walk(&corpus, &mut programs, &mut stale)?;
    let wanted = |path: &Path| {
        let name = relative(&corpus, path);
        filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
    };
    programs.retain(|p| wanted(p));
    stale.retain(|p| wanted(p));
    if programs.is_empty() {
        return Err(format!(
            "no program in {} matches {filters:?}",
            corpus.display()
        ));
    }

    let start = Instant::now();
    let mut counts = [0usize; 4];
    for program in &programs {
        let name = relative(&corpus, program);
        let (outcome, details) = match bless_one(&python, program, check) {
            Ok(result) => result,
            Err(message) => (Outcome::Failed, vec![message]),
        };
        counts[outcome as usize] += 1;
        let label = match (outcome, check) {
            (Outcome::UpToDate, _) => "ok",
            (Outcome::Changed, false) => "updated",
            (Outcome::Changed, true) => "DIFFERS",
            (Outcome::New, false) => "new",
            (Outcome::New, true) => "MISSING",
            (Outcome::Failed, _) => "FAILED",
        };
        println!("{label:<8} {name}");
        for line in details {
            println!("           {line}");
        }
    }
    for file in &stale {
        let name = relative(&corpus, file);
        if check {
            println!("STALE    {name} (no program)");
        } else {
            std::fs::remove_file(file).map_err(|e| format!("{name}: {e}"))?;
            println!("removed  {name} (no program)");
        }
    }

    let [up_to_date, changed, new, failed] = counts;
    let elapsed = start.elapsed().as_secs_f64();
    let total = programs.len();
    if check {
        println!(
            "bless --check: {total} programs, {up_to_date} up to date, {changed} differ, \
             {new} missing, {failed} failed, {} stale files ({elapsed:.1}s)",
            stale.len()
        );
        Ok(changed + new + failed + stale.len() == 0)
    } else {
        println!(
            "bless: {total} programs, {up_to_date} unchanged, {changed} updated, {new} new, \
             {failed} failed, {} stale files removed ({elapsed:.1}s)",
            stale.len()
        );
        Ok(failed == 0)
    }
}

/// Fails unless `python` is the CPython release the corpus records.
fn check_version(python: &str) -> Result<(), String> {
    let output = Command::new(python)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .map_err(|e| format!("could not start `{python}`: {e}"))?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if version == PYTHON_VERSION {
        Ok(())
    } else {
        Err(format!(
            "`{python}` is Python {version:?}, the corpus records Python {PYTHON_VERSION} \
             (set WEFT_BLESS_PYTHON to a python{PYTHON_VERSION})"
        ))
    }
}

/// Collects the programs below `dir` and the expectation files without a program, sorted.
fn walk(dir: &Path, programs: &mut Vec<PathBuf>, stale: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
    paths.sort();
    for path in paths {
        let name = super::file_name(&path);
        if path.is_dir() {
            if name != "__pycache__" {
                walk(&path, programs, stale)?;
            }
        } else if let Some(stem) = name.strip_suffix(".py") {
            if !is_helper(stem) {
                programs.push(path);
            }
        } else if let Some(stem) = name
            .strip_suffix(".stdout")
            .or_else(|| name.strip_suffix(".meta"))
            && (is_helper(stem) || !path.with_file_name(format!("{stem}.py")).is_file())
        {
            stale.push(path);
        }
    }
    Ok(())
}

/// `helper_*.py` files are modules the programs import, not programs.
fn is_helper(stem: &str) -> bool {
    stem.starts_with("helper_")
}

/// `path` below `corpus`, with `/` separators.
fn relative(corpus: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(corpus).unwrap_or(path);
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// What one run of a program did.
#[derive(PartialEq, Eq, Debug)]
struct Run {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    exit: i32,
}

/// Runs `program` twice and writes (or, with `check`, compares) its expectations. The details
/// say what differs.
fn bless_one(python: &str, program: &Path, check: bool) -> Result<(Outcome, Vec<String>), String> {
    let source = std::fs::read_to_string(program).map_err(|e| format!("read: {e}"))?;
    let first = run_program(python, program)?;
    let second = run_program(python, program)?;
    if first.stdout != second.stdout || first.exit != second.exit {
        let mut details =
            vec!["two runs behaved differently (the program is not deterministic)".to_owned()];
        details.extend(compare_stdout(&first.stdout, &second.stdout));
        if first.exit != second.exit {
            details.push(format!("exit status {} then {}", first.exit, second.exit));
        }
        return Ok((Outcome::Failed, details));
    }
    let meta = render_meta(&first, &source);
    if meta != render_meta(&second, &source) {
        let details = vec!["two runs ended with different stderr lines".to_owned()];
        return Ok((Outcome::Failed, details));
    }

    let stdout_path = program.with_extension("stdout");
    let meta_path = program.with_extension("meta");
    let old_stdout = std::fs::read(&stdout_path).ok();
    let old_meta = std::fs::read_to_string(&meta_path).ok();
    let mut details = Vec::new();
    if let Some(old) = &old_stdout {
        details.extend(compare_stdout(old, &first.stdout));
    }
    if let Some(old) = &old_meta
        && *old != meta
    {
        details.push(format!("meta was {:?}", old.trim_end()));
        details.push(format!("now      {:?}", meta.trim_end()));
    }
    let outcome = if old_stdout.is_none() || old_meta.is_none() {
        Outcome::New
    } else if details.is_empty() {
        Outcome::UpToDate
    } else {
        Outcome::Changed
    };
    if !check && outcome != Outcome::UpToDate {
        std::fs::write(&stdout_path, &first.stdout)
            .map_err(|e| format!("{}: {e}", stdout_path.display()))?;
        std::fs::write(&meta_path, &meta).map_err(|e| format!("{}: {e}", meta_path.display()))?;
    }
    Ok((outcome, details))
}

/// Runs `program` once with python3, in the program's directory, under [`TIMEOUT`].
fn run_program(python: &str, program: &Path) -> Result<Run, String> {
    let dir = program.parent().ok_or("a program has a directory")?;
    let mut command = Command::new(python);
    command
        .arg(super::file_name(program))
        .current_dir(dir)
        .envs(ENV.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for key in ENV_REMOVED {
        command.env_remove(key);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start `{python}`: {e}"))?;
    // Drain both pipes on their own threads so a chatty program never blocks on a full pipe.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| format!("wait: {e}"))? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("timed out after {}s", TIMEOUT.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = stdout.join().map_err(|_| "stdout reader panicked")?;
    let stderr = stderr.join().map_err(|_| "stderr reader panicked")?;
    let exit = status
        .code()
        .ok_or_else(|| format!("killed by a signal ({status})"))?;
    Ok(Run {
        stdout,
        stderr,
        exit,
    })
}

/// Reads `pipe` to its end on a new thread.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// The `.meta` file for `run` of a program whose text is `source`: `exit=N`, then for a failure
/// either `stderr_last=<last non-empty stderr line>` or `stderr_check=none`.
fn render_meta(run: &Run, source: &str) -> String {
    let mut meta = format!("exit={}\n", run.exit);
    if run.exit != 0 {
        let last = last_line(&run.stderr);
        let uncompared = source.lines().any(|line| line.trim_end() == DIRECTIVE)
            || UNCOMPARED_ERRORS.iter().any(|error| {
                last.strip_prefix(error)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(':'))
            });
        if uncompared {
            meta.push_str("stderr_check=none\n");
        } else {
            let _ = writeln!(meta, "stderr_last={last}");
        }
    }
    meta
}

/// The last line of `stderr` that is not blank, without trailing whitespace ("" when none).
fn last_line(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .map(str::trim_end)
        .rfind(|line| !line.is_empty())
        .unwrap_or("")
        .to_owned()
}

/// Says where stdout `old` and `new` first differ (nothing when they are equal).
fn compare_stdout(old: &[u8], new: &[u8]) -> Option<String> {
    if old == new {
        return None;
    }
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let mut old_lines = old.split_inclusive('\n');
    let mut new_lines = new.split_inclusive('\n');
    let mut line = 1;
    loop {
        match (old_lines.next(), new_lines.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (a, b) => {
                return Some(format!(
                    "stdout line {line}: was {:?}, now {:?}",
                    a.unwrap_or("<end>"),
                    b.unwrap_or("<end>")
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failing(stderr: &str, exit: i32) -> Run {
        Run {
            stdout: Vec::new(),
            stderr: stderr.as_bytes().to_vec(),
            exit,
        }
    }

    #[test]
    fn success_records_only_the_exit_status() {
        let run = failing("warning on stderr\n", 0);
        assert_eq!(render_meta(&run, "print(1)\n"), "exit=0\n");
    }

    #[test]
    fn failure_records_the_last_non_blank_stderr_line() {
        let run = failing("Traceback...\n  File x\nKeyError: 'k'\r\n\n  \n", 1);
        assert_eq!(render_meta(&run, ""), "exit=1\nstderr_last=KeyError: 'k'\n");
        assert_eq!(render_meta(&failing("", 3), ""), "exit=3\nstderr_last=\n");
    }

    #[test]
    fn syntax_errors_and_the_directive_are_not_compared() {
        let syntax = failing("    def f(:\nSyntaxError: invalid syntax\n", 1);
        assert_eq!(render_meta(&syntax, ""), "exit=1\nstderr_check=none\n");
        let other = failing("SyntaxErrorish: no\n", 1);
        assert_eq!(
            render_meta(&other, ""),
            "exit=1\nstderr_last=SyntaxErrorish: no\n"
        );
        let source = format!("{DIRECTIVE}\nraise ValueError(1)\n");
        let run = failing("ValueError: 1\n", 1);
        assert_eq!(render_meta(&run, &source), "exit=1\nstderr_check=none\n");
    }

    #[test]
    fn stdout_differences_name_the_first_line() {
        assert_eq!(compare_stdout(b"a\nb\n", b"a\nb\n"), None);
        assert_eq!(
            compare_stdout(b"a\nb\n", b"a\nc\n").as_deref(),
            Some(r#"stdout line 2: was "b\n", now "c\n""#)
        );
        assert_eq!(
            compare_stdout(b"a\n", b"a\nb").as_deref(),
            Some(r#"stdout line 2: was "<end>", now "b""#)
        );
    }

    #[test]
    fn helpers_and_paths() {
        assert!(is_helper("helper_math"));
        assert!(!is_helper("import_helper"));
        let corpus = Path::new("/x/tests/corpus");
        assert_eq!(
            relative(corpus, &corpus.join("basics").join("a.py")),
            "basics/a.py"
        );
    }
}
