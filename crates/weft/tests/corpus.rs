//! The differential corpus: every `tests/corpus/**/<name>.py` of the workspace runs under the
//! `weft` binary and must print exactly CPython's stdout (`<name>.stdout`), exit with the
//! status in `<name>.meta` (`exit=N`), and, when the meta file has `stderr_last=<line>`, end
//! its stderr with that line. `helper_*.py` files are modules the programs import.
//!
//! `WEFT_CORPUS_FILTER=substring` runs only the programs whose path contains it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "py")
            && !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("helper_"))
        {
            out.push(p);
        }
    }
}

struct Meta {
    exit: i32,
    stderr_last: Option<String>,
}

fn read_meta(py: &Path) -> Meta {
    let text = std::fs::read_to_string(py.with_extension("meta")).unwrap_or_default();
    let mut meta = Meta {
        exit: 0,
        stderr_last: None,
    };
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("exit=") {
            meta.exit = v.trim().parse().unwrap_or(0);
        } else if let Some(v) = line.strip_prefix("stderr_last=") {
            meta.stderr_last = Some(v.to_owned());
        }
    }
    meta
}

/// Runs `py` under weft; `Err` with a description on a mismatch.
fn check(py: &Path, env: &[(&str, &str)]) -> Result<(), String> {
    let expected = std::fs::read(py.with_extension("stdout")).unwrap_or_default();
    let meta = read_meta(py);
    let dir = py.parent().expect("a program has a directory");
    let mut child = Command::new(env!("CARGO_BIN_EXE_weft"))
        .arg(py.file_name().expect("file name"))
        .current_dir(dir)
        .env("PYTHONHASHSEED", "0")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start weft: {e}"))?;
    // Drain both pipes on their own threads so a chatty program cannot block on a full pipe.
    let mut so = child.stdout.take().expect("stdout");
    let mut se = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = so.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = se.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {}s", TIMEOUT.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("wait failed: {e}")),
        }
    };
    let stdout = t_out.join().unwrap_or_default();
    let stderr = t_err.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&stderr);
    let mut problems = Vec::new();
    if stdout != expected {
        let got = String::from_utf8_lossy(&stdout);
        let want = String::from_utf8_lossy(&expected);
        let (mut gl, mut wl) = (got.lines(), want.lines());
        let mut n = 1;
        loop {
            match (gl.next(), wl.next()) {
                (None, None) => {
                    problems.push("stdout differs in line endings or trailing newline".to_owned());
                    break;
                }
                (g, w) if g == w => n += 1,
                (g, w) => {
                    problems.push(format!(
                        "stdout line {n}: expected {:?}, got {:?}",
                        w.unwrap_or("<end>"),
                        g.unwrap_or("<end>")
                    ));
                    break;
                }
            }
        }
    }
    let code = status.code().unwrap_or(-1);
    if code != meta.exit {
        problems.push(format!("exit status: expected {}, got {code}", meta.exit));
    }
    if let Some(want) = &meta.stderr_last {
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        if last != want {
            problems.push(format!("last stderr line: expected {want:?}, got {last:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        if !tail.is_empty() && code != meta.exit {
            problems.push(format!("stderr tail: {}", tail.join(" | ")));
        }
        Err(problems.join("; "))
    }
}

#[test]
fn corpus() {
    run_corpus(|_| true, &[]);
}

/// The programs about classes and threads again with the specializing interpreter off: the
/// generic paths must give the same output.
#[test]
fn corpus_without_specialization() {
    let root = corpus_dir();
    run_corpus(
        |p| {
            let rel = p.strip_prefix(&root).unwrap_or(p);
            rel.starts_with("classes") || rel.starts_with("threading")
        },
        &[("WEFT_SPECIALIZATION", "0")],
    );
}

fn run_corpus(select: impl Fn(&Path) -> bool, env: &[(&str, &str)]) {
    let mut programs = Vec::new();
    collect(&corpus_dir(), &mut programs);
    programs.retain(|p| select(p));
    if let Ok(f) = std::env::var("WEFT_CORPUS_FILTER") {
        programs.retain(|p| p.to_string_lossy().contains(&f));
    }
    if programs.is_empty() {
        eprintln!("corpus: no programs selected");
        return;
    }
    let next = AtomicUsize::new(0);
    let failures: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 4);
    let root = corpus_dir();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(p) = programs.get(i) else { break };
                    if let Err(msg) = check(p, env) {
                        let name = p
                            .strip_prefix(&root)
                            .unwrap_or(p)
                            .to_string_lossy()
                            .into_owned();
                        failures.lock().unwrap().push((name, msg));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    if !failures.is_empty() {
        let mut report = format!(
            "{} of {} corpus programs failed:\n",
            failures.len(),
            programs.len()
        );
        for (name, msg) in &failures {
            report.push_str(&format!("  {name}: {msg}\n"));
        }
        panic!("{report}");
    }
    eprintln!("corpus: {} programs passed", programs.len());
}
