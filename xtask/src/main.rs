//! `cargo xtask`: the contributor commands of the weft workspace (`cargo xtask --help`).
//!
//! Each variant builds in its own target directory (`target/gil`, `target/nogil`, `target/loom`,
//! `target/loom-nogil`) so switching variants never rebuilds the world. Every cargo invocation is
//! printed exactly as it is run. Standard library only.

mod bench_table;
mod bless;
mod cmd;
mod pybench;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use cmd::Cmd;

const USAGE: &str = "\
usage: cargo xtask <command> [options] [-- args]

commands:
  build [--variant V] [--release]  build the workspace (all packages but xtask)
  test  [--variant V] [-- ARGS]    run every test; ARGS go to the test binaries
                                   (WEFT_EXPECT_VARIANT is set so tests/variant.rs checks the build)
  bench [--variant V] [-- ARGS]    run the criterion benches of weft-benches (ARGS go to criterion),
                                   then print nogil vs gil means and their ratio
  loom  [--variant V] [-- ARGS]    model-check crates/*/tests/loom_*.rs in release with
                                   RUSTFLAGS='--cfg weft_loom' (LOOM_MAX_PREEMPTIONS=3 unless set)
  ci                               fmt, clippy, tests, loom and docs for both variants, then
                                   `pybench --quick` (the harness works), stopping at the
                                   first failing step
  bless [--check] [FILTER...]      run tests/corpus programs with python3 (3.11) and rewrite
                                   their .stdout/.meta expectations; --check only reports
                                   the out-of-date ones (`cargo xtask bless --help`)
  pybench [--runs N] [--quick] [--instructions] [--no-build] [--size N] [FILTER...]
                                   time benches/py/*.py under python3, python3.13 (reference),
                                   weft gil and weft nogil (release builds), interleaved; print
                                   the ratios (--instructions: also cachegrind counts) and write
                                   target/bench/report.md (`cargo xtask pybench --help`)
  help, --help, -h                 print this text

V is gil, nogil or both (default: both). Variant V builds in target/V (loom: target/loom and
target/loom-nogil); nogil adds `--features nogil`.
";

/// The two builds of the runtime.
#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Gil,
    Nogil,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Gil => "gil",
            Variant::Nogil => "nogil",
        }
    }

    /// The cargo arguments that select this variant (`gil` is the default feature).
    fn features(self) -> &'static [&'static str] {
        match self {
            Variant::Gil => &[],
            Variant::Nogil => &["--features", "nogil"],
        }
    }
}

/// Options shared by the commands; each command accepts a subset.
struct Options {
    variants: Vec<Variant>,
    release: bool,
    /// Everything after `--`.
    extra: Vec<String>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        eprint!("error: no command given\n\n{USAGE}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let parsed = match command.as_str() {
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        "build" => parse(rest, &["--variant", "--release"]).map(|o| (build as Run, o)),
        "test" => parse(rest, &["--variant", "--"]).map(|o| (test as Run, o)),
        "bench" => parse(rest, &["--variant", "--"]).map(|o| (bench as Run, o)),
        "loom" => parse(rest, &["--variant", "--"]).map(|o| (loom as Run, o)),
        "ci" => parse(rest, &[]).map(|o| (ci as Run, o)),
        "bless" => return bless::main(rest),
        "pybench" => return pybench::main(rest),
        other => Err(format!("unknown command `{other}`")),
    };
    let (run, options) = match parsed {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("error: {message}\nrun `cargo xtask --help` for usage");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

type Run = fn(&Options) -> Result<(), String>;

/// Parses `[--variant V] [--release] [-- extra...]`, accepting only the `allowed` flags.
fn parse(args: &[String], allowed: &[&str]) -> Result<Options, String> {
    let mut options = Options {
        variants: vec![Variant::Gil, Variant::Nogil],
        release: false,
        extra: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, value) = match arg.split_once('=') {
            Some((flag, value)) if flag == "--variant" => (flag, Some(value)),
            _ => (arg.as_str(), None),
        };
        if !allowed.contains(&flag) {
            return Err(format!("unexpected argument `{arg}`"));
        }
        match flag {
            "--release" => options.release = true,
            "--" => {
                options.extra = args.cloned().collect();
                break;
            }
            _ => {
                let value = value.or_else(|| args.next().map(String::as_str));
                options.variants = variants(value.ok_or("`--variant` needs gil, nogil or both")?)?;
            }
        }
    }
    Ok(options)
}

fn variants(value: &str) -> Result<Vec<Variant>, String> {
    match value {
        "gil" => Ok(vec![Variant::Gil]),
        "nogil" => Ok(vec![Variant::Nogil]),
        "both" => Ok(vec![Variant::Gil, Variant::Nogil]),
        _ => Err(format!(
            "unknown variant `{value}` (expected gil, nogil or both)"
        )),
    }
}

/// The workspace root: xtask lives in `<root>/xtask`.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
}

/// `<root>/target/<name>`, absolute because benches run with their package as working directory
/// and criterion writes to `$CARGO_TARGET_DIR/criterion`.
fn target_dir(name: &str) -> String {
    root().join("target").join(name).display().to_string()
}

/// `cargo <subcommand>` for `variant`, in the variant's own target directory.
fn cargo_in(variant: Variant, subcommand: &str) -> Cmd {
    Cmd::cargo()
        .env("CARGO_TARGET_DIR", target_dir(variant.name()))
        .arg(subcommand)
}

/// `cargo <subcommand> --workspace --exclude xtask [--features nogil]`.
fn workspace(variant: Variant, subcommand: &str) -> Cmd {
    cargo_in(variant, subcommand)
        .args(["--workspace", "--exclude", "xtask"])
        .args(variant.features())
}

/// Appends `-- extra...` when there is anything to pass through.
fn pass_through(cmd: Cmd, extra: &[String]) -> Cmd {
    if extra.is_empty() {
        cmd
    } else {
        cmd.arg("--").args(extra)
    }
}

fn build(options: &Options) -> Result<(), String> {
    for &variant in &options.variants {
        let mut cmd = workspace(variant, "build");
        if options.release {
            cmd = cmd.arg("--release");
        }
        cmd.run(root())?;
    }
    Ok(())
}

fn test(options: &Options) -> Result<(), String> {
    options
        .variants
        .iter()
        .try_for_each(|&v| test_variant(v, &options.extra))
}

fn test_variant(variant: Variant, extra: &[String]) -> Result<(), String> {
    let cmd = workspace(variant, "test").env("WEFT_EXPECT_VARIANT", variant.name());
    pass_through(cmd, extra).run(root())
}

fn bench(options: &Options) -> Result<(), String> {
    for &variant in &options.variants {
        let cmd = cargo_in(variant, "bench")
            .args(["-p", "weft-benches"])
            .args(variant.features());
        pass_through(cmd, &options.extra).run(root())?;
    }
    let means =
        |v: Variant| bench_table::collect(&Path::new(&target_dir(v.name())).join("criterion"));
    println!();
    println!("mean time per iteration (latest criterion run of each variant):");
    bench_table::print(&means(Variant::Gil), &means(Variant::Nogil));
    Ok(())
}

fn loom(options: &Options) -> Result<(), String> {
    options
        .variants
        .iter()
        .try_for_each(|&v| loom_variant(v, &options.extra))
}

/// Runs every `crates/<package>/tests/loom_*.rs` target of `variant` in one cargo invocation.
fn loom_variant(variant: Variant, extra: &[String]) -> Result<(), String> {
    let tests = loom_tests()?;
    if tests.is_empty() {
        eprintln!(
            "loom ({}): no crates/*/tests/loom_*.rs files, nothing to check",
            variant.name()
        );
        return Ok(());
    }
    let mut packages: Vec<&str> = tests.iter().map(|(package, _)| package.as_str()).collect();
    packages.dedup();
    let target = match variant {
        Variant::Gil => "loom",
        Variant::Nogil => "loom-nogil",
    };
    let rustflags = match std::env::var("RUSTFLAGS") {
        Ok(flags) if !flags.trim().is_empty() => format!("{flags} --cfg weft_loom"),
        _ => "--cfg weft_loom".to_owned(),
    };
    let mut cmd = Cmd::cargo().env("RUSTFLAGS", rustflags);
    if std::env::var_os("LOOM_MAX_PREEMPTIONS").is_none() {
        cmd = cmd.env("LOOM_MAX_PREEMPTIONS", "3");
    }
    cmd = cmd
        .env("CARGO_TARGET_DIR", target_dir(target))
        // The `loom` profile: optimised like release, without its LTO (models run through small
        // test binaries; whole-program optimisation would only lengthen the build).
        .args(["test", "--profile", "loom"]);
    for package in packages {
        cmd = cmd.args(["-p", package]);
    }
    for (_, test) in &tests {
        cmd = cmd.args(["--test", test]);
    }
    pass_through(cmd.args(variant.features()), extra).run(root())
}

/// `(package, test target)` for each `crates/<package>/tests/loom_*.rs`, sorted. The directory
/// name is the package name (tests/architecture.rs checks that).
fn loom_tests() -> Result<Vec<(String, String)>, String> {
    let list = |dir: &Path| -> Result<Vec<PathBuf>, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(entries.flatten().map(|entry| entry.path()).collect())
    };
    let mut tests = Vec::new();
    for crate_dir in list(&root().join("crates"))? {
        let tests_dir = crate_dir.join("tests");
        if !tests_dir.is_dir() {
            continue;
        }
        let package = file_name(&crate_dir);
        for file in list(&tests_dir)? {
            let name = file_name(&file);
            if let Some(stem) = name.strip_suffix(".rs").filter(|s| s.starts_with("loom_")) {
                tests.push((package.clone(), stem.to_owned()));
            }
        }
    }
    tests.sort();
    Ok(tests)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn ci(_: &Options) -> Result<(), String> {
    type Step = (&'static str, Box<dyn Fn() -> Result<(), String>>);
    let no_extra: &[String] = &[];
    let steps: Vec<Step> = vec![
        (
            "fmt",
            Box::new(|| {
                Cmd::cargo()
                    .args(["fmt", "--all", "--", "--check"])
                    .run(root())
            }),
        ),
        ("clippy (gil)", Box::new(|| clippy(Variant::Gil))),
        ("clippy (nogil)", Box::new(|| clippy(Variant::Nogil))),
        ("xtask (clippy, unit tests)", Box::new(check_xtask)),
        (
            "test (gil)",
            Box::new(|| test_variant(Variant::Gil, no_extra)),
        ),
        (
            "test (nogil)",
            Box::new(|| test_variant(Variant::Nogil, no_extra)),
        ),
        (
            "loom (gil)",
            Box::new(|| loom_variant(Variant::Gil, no_extra)),
        ),
        (
            "loom (nogil)",
            Box::new(|| loom_variant(Variant::Nogil, no_extra)),
        ),
        ("doc", Box::new(doc)),
        (
            // Only that the speed harness works (both release builds, one small run of each
            // program under each interpreter, outputs compared); the numbers are not judged.
            "pybench (quick)",
            Box::new(|| {
                if pybench::main(&["--quick".to_owned()]) == ExitCode::SUCCESS {
                    Ok(())
                } else {
                    Err("cargo xtask pybench --quick failed".to_owned())
                }
            }),
        ),
    ];
    let start = Instant::now();
    let mut done: Vec<(&str, Duration)> = Vec::new();
    let mut failure = None;
    for (i, (name, step)) in steps.iter().enumerate() {
        eprintln!("\n==> ci step {}/{}: {name}", i + 1, steps.len());
        let step_start = Instant::now();
        let result = step();
        let elapsed = step_start.elapsed();
        match result {
            Ok(()) => {
                eprintln!("<== {name}: ok in {:.1}s", elapsed.as_secs_f64());
                done.push((name, elapsed));
            }
            Err(message) => {
                eprintln!("<== {name}: FAILED after {:.1}s", elapsed.as_secs_f64());
                failure = Some((i, message, elapsed));
                break;
            }
        }
    }
    println!("\nci summary:");
    for (name, elapsed) in &done {
        println!("  ok       {:>7.1}s  {name}", elapsed.as_secs_f64());
    }
    if let Some((i, _, elapsed)) = &failure {
        println!(
            "  FAILED   {:>7.1}s  {}",
            elapsed.as_secs_f64(),
            steps[*i].0
        );
        for (name, _) in &steps[i + 1..] {
            println!("  skipped            {name}");
        }
    }
    println!("  total    {:>7.1}s", start.elapsed().as_secs_f64());
    match failure {
        None => Ok(()),
        Some((i, message, _)) => Err(format!("ci step `{}` failed: {message}", steps[i].0)),
    }
}

fn clippy(variant: Variant) -> Result<(), String> {
    workspace(variant, "clippy")
        .args(["--all-targets", "--", "-D", "warnings"])
        .run(root())
}

/// xtask is not a variant-specific package: lint and unit-test it once, in the gil target dir.
fn check_xtask() -> Result<(), String> {
    let xtask = |subcommand: &str| cargo_in(Variant::Gil, subcommand).args(["-p", "xtask"]);
    xtask("clippy")
        .args(["--all-targets", "--", "-D", "warnings"])
        .run(root())?;
    xtask("test").run(root())
}

fn doc() -> Result<(), String> {
    cargo_in(Variant::Gil, "doc")
        .env("RUSTDOCFLAGS", "-D warnings")
        .args(["--workspace", "--no-deps"])
        .run(root())
}
