//! `cargo xtask pybench`: the speed harness. Times the Python programs in `benches/py` under
//! CPython 3.11 (`python3`), CPython 3.13 (the reference) and weft's gil and nogil release
//! builds, side by side in one run, and optionally counts their instructions with cachegrind.
//!
//! * **Interleaving.** Each program runs `--runs` times per interpreter (default 3, `--quick`:
//!   1); every round goes over all interpreters, so machine noise hits them alike. The table
//!   shows the best wall time of each.
//! * **Reference.** Ratios are weft ÷ python3.13; when no CPython 3.13 is found (see
//!   [`find_python313`]) its column is left out and `python3` is the reference instead.
//! * **Correctness.** Every run's stdout must equal the reference's: a fast wrong answer is not
//!   a result. A mismatch shows as `WRONG` in the table, a crash as `FAIL`, and either makes
//!   the command exit non-zero after the table is printed.
//! * **Sizes.** A program that mentions `PYBENCH_N` reads its size from that environment
//!   variable, and may name smaller sizes for `--quick` and for instruction counting in a
//!   marker line, e.g. `# pybench: quick=1000 instructions=10000` (see [`Program`]). Programs
//!   without `PYBENCH_N` always run as they are.
//! * **Instructions** (`--instructions`). One more run per interpreter and program under
//!   `valgrind --tool=cachegrind --cache-sim=no`, its `I refs` total reported in millions with
//!   the same ratios; plus one run of `-c pass` per interpreter for the startup cost.
//! * **Report.** The Markdown table goes to stdout and, with the interpreters and sizes used, to
//!   `target/bench/report.md`.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};
use std::time::{Duration, Instant};

use crate::cmd::Cmd;
use crate::{Variant, root, target_dir};

const USAGE: &str = "\
usage: cargo xtask pybench [--runs N] [--quick] [--instructions] [--no-build] [--size N]
                           [FILTER...]

Builds `weft` in release for both variants, then runs every benches/py/*.py (or those whose
name contains a FILTER) under python3, python3.13 (the reference, found through pyenv), weft
gil and weft nogil, N runs each (default 3), interleaved, and prints the best wall time of
each with the ratios weft / python3.13. Each run's stdout must equal python3.13's; a mismatch
or crash is marked in the table and makes the command fail. The table is also written to
target/bench/report.md.

options:
  --runs N          timed runs per interpreter and program (default 3; --quick: 1)
  --quick           one run each at the programs' small sizes: checks that the harness works
  --instructions    also count the instructions of one run of each with
                    `valgrind --tool=cachegrind --cache-sim=no`, and of `-c pass` (startup)
  --no-build        do not build weft; target/{gil,nogil}/release/weft must exist
  --size N          set PYBENCH_N=N for every program that reads it (wall and instructions)
  -h, --help        print this text

Programs that read PYBENCH_N can name their --quick and --instructions sizes in a line
`# pybench: quick=N instructions=N`.
";

/// The parsed command line.
struct Options {
    runs: usize,
    quick: bool,
    instructions: bool,
    build: bool,
    /// `--size`: PYBENCH_N for every program that reads it.
    size: Option<u64>,
    filters: Vec<String>,
}

/// Parses the arguments after `pybench`; `Ok(None)` when help was asked for.
fn parse_args(args: &[String]) -> Result<Option<Options>, String> {
    let number = |flag: &str, value: Option<&String>| -> Result<u64, String> {
        value
            .and_then(|n| n.replace('_', "").parse().ok())
            .filter(|&n: &u64| n > 0)
            .ok_or_else(|| format!("{flag} needs a positive number\n\n{USAGE}"))
    };
    let mut runs = None;
    let mut options = Options {
        runs: 3,
        quick: false,
        instructions: false,
        build: true,
        size: None,
        filters: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--help" | "-h" => return Ok(None),
            "--runs" => {
                let n = number("--runs", it.next())?;
                runs = Some(usize::try_from(n).map_err(|_| "--runs: too many runs")?);
            }
            "--size" => options.size = Some(number("--size", it.next())?),
            "--quick" => options.quick = true,
            "--instructions" => options.instructions = true,
            "--no-build" => options.build = false,
            f if f.starts_with('-') => return Err(format!("unknown option `{f}`\n\n{USAGE}")),
            f => options.filters.push(f.to_owned()),
        }
    }
    options.runs = runs.unwrap_or(if options.quick { 1 } else { 3 });
    Ok(Some(options))
}

/// One interpreter column.
struct Interp {
    /// Column heading: `python3`, `python3.13`, `weft gil` or `weft nogil`.
    label: &'static str,
    /// The executable. CPython paths are resolved through `sys.executable`, so that a pyenv
    /// shim (a shell script) is neither timed nor, under valgrind, counted in place of it.
    exe: PathBuf,
    /// The version it reports, for the report header.
    version: String,
}

/// A CPython found on this machine: its real executable and `sys.version`'s first word.
fn probe_python(candidate: &Path) -> Option<(PathBuf, String)> {
    let out = Command::new(candidate)
        .args([
            "-c",
            "import sys; print(sys.executable); print(sys.version.split()[0])",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    let exe = lines.next().filter(|l| !l.is_empty())?;
    let version = lines.next()?.to_owned();
    Some((PathBuf::from(exe), version))
}

/// CPython 3.13, tried in order: pyenv's 3.13.0 (`PYENV_VERSION=3.13.0 pyenv which
/// python3.13`), `/root/.pyenv/versions/3.13.0/bin/python3.13`, then `python3.13` on `PATH`.
/// The first that runs and reports a 3.13 version wins.
fn find_python313() -> Option<(PathBuf, String)> {
    let mut candidates = Vec::new();
    if let Ok(out) = Command::new("pyenv")
        .args(["which", "python3.13"])
        .env("PYENV_VERSION", "3.13.0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        && out.status.success()
    {
        let path = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if !path.is_empty() {
            candidates.push(PathBuf::from(path));
        }
    }
    candidates.push(PathBuf::from("/root/.pyenv/versions/3.13.0/bin/python3.13"));
    candidates.push(PathBuf::from("python3.13"));
    candidates
        .iter()
        .filter_map(|c| probe_python(c))
        .find(|(_, version)| version.starts_with("3.13"))
}

/// The interpreters in column order, the CPython ones that could not be found left out
/// (with a message on stderr). Fails if a weft binary is missing.
fn interpreters() -> Result<Vec<Interp>, String> {
    let mut interps = Vec::new();
    match probe_python(Path::new("python3")) {
        Some((exe, version)) => interps.push(Interp {
            label: "python3",
            exe,
            version,
        }),
        None => eprintln!("pybench: no working `python3` on PATH; its column is left out"),
    }
    match find_python313() {
        Some((exe, version)) => interps.push(Interp {
            label: "python3.13",
            exe,
            version,
        }),
        None => eprintln!(
            "pybench: CPython 3.13 not found (tried `PYENV_VERSION=3.13.0 pyenv which \
             python3.13`, /root/.pyenv/versions/3.13.0/bin/python3.13 and `python3.13` on \
             PATH); its column is left out and ratios are to python3"
        ),
    }
    if interps.is_empty() {
        return Err(
            "no CPython found (neither python3 nor python3.13): nothing to compare \
                    against"
                .into(),
        );
    }
    for (label, variant) in [("weft gil", Variant::Gil), ("weft nogil", Variant::Nogil)] {
        let exe = Path::new(&target_dir(variant.name())).join("release/weft");
        if !exe.is_file() {
            return Err(format!(
                "{} does not exist: build it with `cargo xtask build --release --variant {}` \
                 (or run pybench without --no-build)",
                exe.display(),
                variant.name()
            ));
        }
        let version = Command::new(&exe)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_else(|| "version unknown".into());
        interps.push(Interp {
            label,
            exe,
            version,
        });
    }
    Ok(interps)
}

/// One program of `benches/py`.
///
/// A program *takes a size* when its source mentions `PYBENCH_N`; it then reads
/// `int(os.environ.get("PYBENCH_N", DEFAULT))`. A line `# pybench: quick=N instructions=M`
/// names the sizes for `--quick` and for the cachegrind run (each optional; without one the
/// program runs at its default size).
struct Program {
    /// File name, e.g. `nbody.py`.
    name: String,
    path: PathBuf,
    takes_size: bool,
    quick_size: Option<u64>,
    instructions_size: Option<u64>,
}

impl Program {
    /// Reads `path` and its `# pybench:` marker.
    fn load(path: PathBuf) -> Result<Program, String> {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let source =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Program::parse(name, path, &source)
    }

    /// The program `name` at `path` whose text is `source`.
    fn parse(name: String, path: PathBuf, source: &str) -> Result<Program, String> {
        let mut program = Program {
            name,
            takes_size: source.contains("PYBENCH_N"),
            path,
            quick_size: None,
            instructions_size: None,
        };
        for line in source.lines() {
            let Some(marker) = line.trim().strip_prefix("# pybench:") else {
                continue;
            };
            for item in marker.split_whitespace() {
                let bad = || {
                    format!(
                        "{}: bad `# pybench:` item `{item}` (expected quick=N or \
                         instructions=N)",
                        program.name
                    )
                };
                let (key, value) = item.split_once('=').ok_or_else(bad)?;
                let value: u64 = value
                    .replace('_', "")
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(bad)?;
                match key {
                    "quick" => program.quick_size = Some(value),
                    "instructions" => program.instructions_size = Some(value),
                    _ => return Err(bad()),
                }
            }
        }
        Ok(program)
    }

    /// The PYBENCH_N to run with (`None`: the program's default), for a timed run
    /// (`instructions == false`) or the cachegrind run.
    fn size(&self, options: &Options, instructions: bool) -> Option<u64> {
        if !self.takes_size {
            return None;
        }
        if options.size.is_some() {
            return options.size;
        }
        if options.quick {
            return self.quick_size;
        }
        if instructions {
            self.instructions_size
        } else {
            None
        }
    }

    /// The file name without `.py`.
    fn stem(&self) -> &str {
        self.name.strip_suffix(".py").unwrap_or(&self.name)
    }
}

/// What one interpreter did on one program.
#[derive(Default)]
struct Cell {
    /// Best wall time over the successful timed runs.
    best: Option<Duration>,
    /// Instructions of the cachegrind run.
    instructions: Option<u64>,
    /// `FAIL` (a run exited non-zero or could not start) or `WRONG` (a run printed something
    /// other than the reference); such a cell has no ratio.
    bad: Option<&'static str>,
}

impl Cell {
    fn mark(&mut self, why: &'static str) {
        // A crash says more than a wrong answer.
        if self.bad != Some("FAIL") {
            self.bad = Some(why);
        }
    }
}

/// One finished run.
struct RunOutput {
    elapsed: Duration,
    output: Output,
    /// `I refs` of a cachegrind run.
    instructions: Option<u64>,
}

/// Runs `interp` on `what` (a program path, or `-c pass` as two arguments) in `benches/py`,
/// with PYBENCH_N set to `size` (removed when `None`), under cachegrind if `count` is set.
fn run_once(
    interp: &Interp,
    what: &[&std::ffi::OsStr],
    size: Option<u64>,
    count: bool,
) -> Result<RunOutput, String> {
    let mut command = if count {
        let mut c = Command::new("valgrind");
        c.args([
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
        ])
        .arg(&interp.exe);
        c
    } else {
        Command::new(&interp.exe)
    };
    command
        .args(what)
        .current_dir(root().join("benches/py"))
        .stdin(Stdio::null());
    match size {
        Some(n) => command.env("PYBENCH_N", n.to_string()),
        None => command.env_remove("PYBENCH_N"),
    };
    let start = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("could not start {}: {e}", interp.exe.display()))?;
    let elapsed = start.elapsed();
    let instructions = if count {
        parse_instructions(&String::from_utf8_lossy(&output.stderr))
    } else {
        None
    };
    Ok(RunOutput {
        elapsed,
        output,
        instructions,
    })
}

/// The total of cachegrind's `==PID== I   refs:      1,234,567` line, commas removed.
fn parse_instructions(stderr: &str) -> Option<u64> {
    stderr.lines().rev().find_map(|line| {
        let (_, rest) = line.split_once("I   refs:")?;
        rest.trim().replace(',', "").parse().ok()
    })
}

/// The progress line on stderr: rewritten in place with `\r` on a terminal, one line per step
/// otherwise (CI logs).
struct Progress {
    done: usize,
    total: usize,
    tty: bool,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            done: 0,
            total,
            tty: std::io::stderr().is_terminal(),
        }
    }

    /// Announces the next step, e.g. `[3/20] objects.py weft-nogil run 2/3`.
    fn step(&mut self, what: std::fmt::Arguments) {
        self.done += 1;
        let line = format!("[{}/{}] {what}", self.done, self.total);
        if self.tty {
            eprint!("\r{line}\x1b[K");
            let _ = std::io::stderr().flush();
        } else {
            eprintln!("{line}");
        }
    }

    /// Clears the line so that what follows starts clean.
    fn clear(&self) {
        if self.tty {
            eprint!("\r\x1b[K");
            let _ = std::io::stderr().flush();
        }
    }
}

/// The last lines of a failed run's stderr, indented, for the failure list.
fn stderr_tail(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = text.lines().collect();
    let tail = &lines[lines.len().saturating_sub(8)..];
    tail.iter().map(|l| format!("\n    {l}")).collect()
}

/// At most 200 characters of `bytes`, for mismatch messages.
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut short: String = text.chars().take(200).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    format!("{short:?}")
}

/// Entry point: `args` are the arguments after `pybench`. Exits 2 on a usage error, 1 when
/// a run failed or printed a wrong answer (after printing the table) or the harness could not
/// do its work, 0 otherwise.
pub fn main(args: &[String]) -> ExitCode {
    let options = match parse_args(args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match bench(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Builds (unless `--no-build`), measures, prints and writes the report.
fn bench(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let programs = programs(&options.filters)?;
    if options.instructions {
        let works = Command::new("valgrind")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !works {
            return Err("--instructions needs valgrind (cachegrind) on PATH".into());
        }
    }
    if options.build {
        for v in [Variant::Gil, Variant::Nogil] {
            Cmd::cargo()
                .env("CARGO_TARGET_DIR", target_dir(v.name()))
                .args(["build", "--release", "-p", "weft"])
                .args(v.features())
                .run(root())?;
        }
    }
    let interps = interpreters()?;
    let reference = interps
        .iter()
        .position(|i| i.label == "python3.13")
        .unwrap_or(0);

    let per_program = interps.len() * (options.runs + usize::from(options.instructions));
    let startup_steps = if options.instructions {
        interps.len()
    } else {
        0
    };
    let mut progress = Progress::new(programs.len() * per_program + startup_steps);
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for program in &programs {
        let cells = measure(
            program,
            &interps,
            reference,
            options,
            &mut progress,
            &mut failures,
        );
        table.push((program, cells));
    }
    let startup = if options.instructions {
        startup_instructions(&interps, &mut progress, &mut failures)
    } else {
        Vec::new()
    };
    progress.clear();

    let report = render(
        options,
        &interps,
        reference,
        &table,
        &startup,
        started.elapsed(),
    );
    println!("\n{report}");
    let dir = Path::new(&target_dir("bench")).to_path_buf();
    let file = dir.join("report.md");
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&file, &report))
        .map_err(|e| format!("{}: {e}", file.display()))?;
    eprintln!("pybench: report written to {}", file.display());
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} failure(s):\n{}",
            failures.len(),
            failures.join("\n")
        ))
    }
}

/// `benches/py/*.py` whose name contains one of `filters` (all if none), sorted by name.
fn programs(filters: &[String]) -> Result<Vec<Program>, String> {
    let dir = root().join("benches/py");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "py"))
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
        })
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(format!(
            "no program in benches/py matches {}",
            if filters.is_empty() {
                "(none there)".to_owned()
            } else {
                filters.join(", ")
            }
        ));
    }
    paths.into_iter().map(Program::load).collect()
}

/// Runs `program` under every interpreter: `options.runs` timed rounds, interleaved, then the
/// cachegrind run if asked. Each run's stdout is checked against the reference's (timed runs
/// against the timed reference, the cachegrind run against the reference's cachegrind run, as
/// their sizes may differ). Problems are appended to `failures` and marked in the cells.
fn measure(
    program: &Program,
    interps: &[Interp],
    reference: usize,
    options: &Options,
    progress: &mut Progress,
    failures: &mut Vec<String>,
) -> Vec<Cell> {
    let mut cells: Vec<Cell> = interps.iter().map(|_| Cell::default()).collect();
    let name = &program.name;
    let prog = [program.path.as_os_str()];
    // One pass: the timed rounds (`count == false`) or the cachegrind run.
    let mut pass = |count: bool, cells: &mut Vec<Cell>, progress: &mut Progress| {
        let rounds = if count { 1 } else { options.runs };
        let size = program.size(options, count);
        let mut outputs: Vec<Vec<Vec<u8>>> = interps.iter().map(|_| Vec::new()).collect();
        for round in 1..=rounds {
            for (i, interp) in interps.iter().enumerate() {
                let label = interp.label.replace(' ', "-");
                if count {
                    progress.step(format_args!("{name} {label} instructions"));
                } else {
                    progress.step(format_args!("{name} {label} run {round}/{rounds}"));
                }
                let kind = if count { "cachegrind run" } else { "run" };
                let run = match run_once(interp, &prog, size, count) {
                    Ok(run) => run,
                    Err(e) => {
                        cells[i].mark("FAIL");
                        failures.push(format!("{name} under {}: {e}", interp.label));
                        continue;
                    }
                };
                if !run.output.status.success() {
                    if cells[i].bad != Some("FAIL") {
                        failures.push(format!(
                            "{name} under {} ({kind}): {}{}",
                            interp.label,
                            run.output.status,
                            stderr_tail(&run.output)
                        ));
                    }
                    cells[i].mark("FAIL");
                    continue;
                }
                if count {
                    match run.instructions {
                        Some(n) => cells[i].instructions = Some(n),
                        None => {
                            cells[i].mark("FAIL");
                            failures.push(format!(
                                "{name} under {}: no `I refs:` line in cachegrind's output{}",
                                interp.label,
                                stderr_tail(&run.output)
                            ));
                        }
                    }
                } else {
                    let best = cells[i].best.get_or_insert(run.elapsed);
                    *best = (*best).min(run.elapsed);
                }
                outputs[i].push(run.output.stdout);
            }
        }
        // Without a reference output the reference failed, which is already reported.
        let Some(expected) = outputs[reference].first().cloned() else {
            return;
        };
        for (i, interp) in interps.iter().enumerate() {
            if let Some(got) = outputs[i].iter().find(|o| **o != expected) {
                cells[i].mark("WRONG");
                failures.push(format!(
                    "{name}: {} printed {} where {} printed {}{}",
                    interp.label,
                    excerpt(got),
                    interps[reference].label,
                    excerpt(&expected),
                    if count { " (cachegrind run)" } else { "" }
                ));
            }
        }
    };
    pass(false, &mut cells, progress);
    if options.instructions {
        pass(true, &mut cells, progress);
    }
    cells
}

/// Instructions of `-c pass` under each interpreter: what starting up and shutting down cost,
/// included in every count of the table.
fn startup_instructions(
    interps: &[Interp],
    progress: &mut Progress,
    failures: &mut Vec<String>,
) -> Vec<Option<u64>> {
    let what = ["-c", "pass"].map(std::ffi::OsStr::new);
    interps
        .iter()
        .map(|interp| {
            let label = interp.label.replace(' ', "-");
            progress.step(format_args!("-c pass {label} instructions"));
            match run_once(interp, &what, None, true) {
                Ok(run) if run.output.status.success() && run.instructions.is_some() => {
                    run.instructions
                }
                Ok(run) => {
                    failures.push(format!(
                        "`-c pass` under {} (cachegrind run): {}{}",
                        interp.label,
                        run.output.status,
                        stderr_tail(&run.output)
                    ));
                    None
                }
                Err(e) => {
                    failures.push(format!("`-c pass` under {}: {e}", interp.label));
                    None
                }
            }
        })
        .collect()
}

/// A Markdown table with columns padded to equal width; `right[c]` right-aligns column `c`.
fn markdown_table(header: &[String], right: &[bool], rows: &[Vec<String>]) -> String {
    let width = |c: usize| {
        rows.iter()
            .map(|r| r[c].chars().count())
            .chain([header[c].chars().count(), 3])
            .max()
            .unwrap_or(3)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: &[String]| {
        let mut s = String::from("|");
        for (c, cell) in cells.iter().enumerate() {
            let w = widths[c];
            if right[c] {
                let _ = write!(s, " {cell:>w$} |");
            } else {
                let _ = write!(s, " {cell:<w$} |");
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(header);
    out.push('|');
    for (c, &w) in widths.iter().enumerate() {
        let dashes = "-".repeat(w.saturating_sub(1));
        if right[c] {
            let _ = write!(out, " {dashes}: |");
        } else {
            let _ = write!(out, " -{dashes} |");
        }
    }
    out.push('\n');
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

/// The report: how it was run, the table, the sizes used and the startup cost.
fn render(
    options: &Options,
    interps: &[Interp],
    reference: usize,
    table: &[(&Program, Vec<Cell>)],
    startup: &[Option<u64>],
    took: Duration,
) -> String {
    let gil = interps.iter().position(|i| i.label == "weft gil");
    let nogil = interps.iter().position(|i| i.label == "weft nogil");
    let ref_short = match interps[reference].label {
        "python3.13" => "3.13",
        _ => "py3",
    };
    // The three ratio columns: (numerator, denominator, heading).
    let ratios = [
        (gil, Some(reference), format!("gil ÷ {ref_short}")),
        (nogil, Some(reference), format!("nogil ÷ {ref_short}")),
        (nogil, gil, "nogil ÷ gil".to_owned()),
    ];
    let mut header = vec!["program".to_owned()];
    let mut right = vec![false];
    for interp in interps {
        header.push(format!("{} ms", interp.label));
        right.push(true);
    }
    for (_, _, h) in &ratios {
        header.push(h.clone());
        right.push(true);
    }
    if options.instructions {
        for interp in interps {
            header.push(format!("{} M instr", interp.label));
            right.push(true);
        }
        for (_, _, h) in &ratios {
            header.push(format!("{h} (instr)"));
            right.push(true);
        }
    }
    let mut rows = Vec::new();
    for (program, cells) in table {
        let mut row = vec![program.stem().to_owned()];
        let ms = |c: &Cell| match (c.bad, c.best) {
            (Some(bad), _) => bad.to_owned(),
            (None, Some(d)) => format!("{:.1}", d.as_secs_f64() * 1e3),
            (None, None) => "—".to_owned(),
        };
        let ratio = |value: &dyn Fn(&Cell) -> Option<f64>, a: Option<usize>, b: Option<usize>| {
            let get = |i: Option<usize>| {
                let cell = &cells[i?];
                if cell.bad.is_some() {
                    None
                } else {
                    value(cell)
                }
            };
            match (get(a), get(b)) {
                (Some(x), Some(y)) if y > 0.0 => format!("{:.2}", x / y),
                _ => "—".to_owned(),
            }
        };
        let wall = |c: &Cell| c.best.map(|d| d.as_secs_f64());
        let instr = |c: &Cell| c.instructions.map(|n| n as f64);
        row.extend(cells.iter().map(ms));
        row.extend(ratios.iter().map(|&(a, b, _)| ratio(&wall, a, b)));
        if options.instructions {
            row.extend(cells.iter().map(|c| match (c.bad, c.instructions) {
                (Some(bad), _) => bad.to_owned(),
                (None, Some(n)) => format!("{:.1}", n as f64 / 1e6),
                (None, None) => "—".to_owned(),
            }));
            row.extend(ratios.iter().map(|&(a, b, _)| ratio(&instr, a, b)));
        }
        rows.push(row);
    }

    let mut out = String::from("# pybench\n\n");
    let _ = writeln!(
        out,
        "{} run{} per interpreter and program, interleaved; best wall time in ms.{}",
        options.runs,
        if options.runs == 1 { "" } else { "s" },
        if options.quick { " Quick mode." } else { "" }
    );
    if options.instructions {
        out.push_str(
            "Instructions: one run each under `valgrind --tool=cachegrind --cache-sim=no`, \
             in millions.\n",
        );
    }
    let _ = writeln!(
        out,
        "Ratios: weft ÷ {} (lower is better). WRONG: stdout differs from {}'s; FAIL: the \
         run failed.\n",
        interps[reference].label, interps[reference].label
    );
    for interp in interps {
        let _ = writeln!(
            out,
            "- {}: `{}` ({})",
            interp.label,
            interp.exe.display(),
            interp.version
        );
    }
    out.push('\n');
    out.push_str(&markdown_table(&header, &right, &rows));

    let sized: Vec<String> = table
        .iter()
        .filter_map(|(p, _)| {
            let wall = p.size(options, false);
            let counted = p.size(options, true);
            let show = |n: Option<u64>| n.map_or("default".to_owned(), |n| n.to_string());
            if !p.takes_size {
                None
            } else if options.instructions && wall != counted {
                Some(format!(
                    "{} {} (instructions: {})",
                    p.stem(),
                    show(wall),
                    show(counted)
                ))
            } else {
                Some(format!("{} {}", p.stem(), show(wall)))
            }
        })
        .collect();
    if !sized.is_empty() {
        let _ = writeln!(out, "\nPYBENCH_N: {}.", sized.join(", "));
    }
    if options.instructions {
        let parts: Vec<String> = interps
            .iter()
            .zip(startup)
            .map(|(interp, n)| match n {
                Some(n) => format!("{} {:.1} M", interp.label, *n as f64 / 1e6),
                None => format!("{} FAIL", interp.label),
            })
            .collect();
        let _ = writeln!(
            out,
            "\nStartup (`-c pass`), included in each count above: {}.",
            parts.join(", ")
        );
    }
    let _ = writeln!(out, "\nTook {:.1} s.", took.as_secs_f64());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| (*a).to_owned()).collect()
    }

    fn program(source: &str) -> Result<Program, String> {
        Program::parse("p.py".into(), PathBuf::from("p.py"), source)
    }

    #[test]
    fn options_parse_and_reject() {
        let o = parse_args(&args(&["--quick", "--instructions", "--no-build", "fib"]))
            .unwrap()
            .unwrap();
        assert!(o.quick && o.instructions && !o.build);
        assert_eq!((o.runs, o.size), (1, None));
        assert_eq!(o.filters, ["fib"]);
        let o = parse_args(&args(&["--quick", "--runs", "4", "--size", "10_000"]))
            .unwrap()
            .unwrap();
        assert_eq!((o.runs, o.size), (4, Some(10_000)));
        assert_eq!(parse_args(&args(&[])).unwrap().unwrap().runs, 3);
        assert!(parse_args(&args(&["-h"])).unwrap().is_none());
        for bad in [
            &["--bogus"][..],
            &["--runs"],
            &["--runs", "0"],
            &["--size", "x"],
        ] {
            assert!(parse_args(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn cachegrind_total_is_read_without_commas() {
        let stderr = "==12== Cachegrind, a cache and branch-prediction profiler\n\
                      ==12== \n==12== I   refs:      1,234,567\n";
        assert_eq!(parse_instructions(stderr), Some(1_234_567));
        assert_eq!(parse_instructions("no total here\n"), None);
    }

    #[test]
    fn sizes_come_from_the_marker_and_the_mode() {
        let p =
            program("# pybench: quick=10 instructions=1_000\nN = os.environ.get(\"PYBENCH_N\")\n")
                .unwrap();
        let mut o = parse_args(&args(&[])).unwrap().unwrap();
        assert_eq!((p.size(&o, false), p.size(&o, true)), (None, Some(1000)));
        o.quick = true;
        assert_eq!((p.size(&o, false), p.size(&o, true)), (Some(10), Some(10)));
        o.size = Some(7);
        assert_eq!((p.size(&o, false), p.size(&o, true)), (Some(7), Some(7)));
        // A program that does not read PYBENCH_N always runs as it is.
        let fixed = program("# pybench: quick=10\nprint(1)\n").unwrap();
        assert_eq!(fixed.size(&o, false), None);
        assert!(program("# pybench: quick=0\n").is_err());
        assert!(program("# pybench: fast=1\n").is_err());
        assert!(program("# pybench: quick\n").is_err());
    }

    #[test]
    fn markdown_table_pads_and_aligns() {
        let header = args(&["program", "ms"]);
        let rows = vec![args(&["fib", "12.5"]), args(&["nbody", "WRONG"])];
        assert_eq!(
            markdown_table(&header, &[false, true], &rows),
            "| program |    ms |\n\
             | ------- | ----: |\n\
             | fib     |  12.5 |\n\
             | nbody   | WRONG |\n"
        );
    }
}
