//! `cargo xtask pybench`: wall time of the Python programs in `benches/py` under `python3`,
//! `weft` (gil build) and `weft` (nogil build), measured side by side in one run.
//!
//! Each program runs `--runs` times per interpreter (default 3), the three interpreters
//! interleaved so that machine noise hits them alike; the table shows the best time of each
//! and the ratios to `python3`. A weft run whose stdout differs from python3's is reported as
//! a failure (a fast wrong answer is not a result).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::cmd::Cmd;
use crate::{Variant, root, target_dir};

const USAGE: &str = "\
usage: cargo xtask pybench [--runs N] [FILTER...]

Builds `weft` in release for both variants, then times every benches/py/*.py (or those whose
name contains a FILTER) under python3, weft gil and weft nogil, N runs each (default 3),
interleaved, and prints the best wall time of each with the ratios weft/python3.
";

/// Entry point: `args` are the arguments after `pybench`.
pub fn main(args: &[String]) -> Result<(), String> {
    let mut runs = 3usize;
    let mut filters = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--help" | "-h" => {
                print!("{USAGE}");
                return Ok(());
            }
            "--runs" => {
                runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--runs needs a positive number")?;
            }
            f if f.starts_with('-') => return Err(format!("unknown option `{f}`\n{USAGE}")),
            f => filters.push(f.to_owned()),
        }
    }
    let mut programs: Vec<PathBuf> = std::fs::read_dir(root().join("benches/py"))
        .map_err(|e| format!("benches/py: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
        })
        .collect();
    programs.sort();
    if programs.is_empty() {
        return Err("no program matches".into());
    }
    for v in [Variant::Gil, Variant::Nogil] {
        Cmd::cargo()
            .env("CARGO_TARGET_DIR", target_dir(v.name()))
            .args(["build", "--release", "-p", "weft"])
            .args(v.features())
            .run(root())?;
    }
    let interpreters: Vec<(&str, PathBuf)> = vec![
        ("python3", PathBuf::from("python3")),
        (
            "weft gil",
            Path::new(&target_dir("gil")).join("release/weft"),
        ),
        (
            "weft nogil",
            Path::new(&target_dir("nogil")).join("release/weft"),
        ),
    ];
    println!(
        "\n{} runs each, best wall time; ratio = weft / python3 (lower is better)\n",
        runs
    );
    println!("| program | python3 | weft gil | weft nogil | gil/py | nogil/py | nogil/gil |");
    println!("|---|---|---|---|---|---|---|");
    let mut failed = Vec::new();
    for prog in &programs {
        let name = prog
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut best = vec![Duration::MAX; interpreters.len()];
        let mut outputs: Vec<Option<Vec<u8>>> = vec![None; interpreters.len()];
        for _ in 0..runs {
            for (i, (_, exe)) in interpreters.iter().enumerate() {
                let start = Instant::now();
                let out = Command::new(exe)
                    .arg(prog)
                    .current_dir(root().join("benches/py"))
                    .output()
                    .map_err(|e| format!("{}: {e}", exe.display()))?;
                let t = start.elapsed();
                if !out.status.success() {
                    failed.push(format!(
                        "{name} under {}: exit {:?}\n{}",
                        interpreters[i].0,
                        out.status.code(),
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
                best[i] = best[i].min(t);
                outputs[i] = Some(out.stdout);
            }
        }
        for i in 1..interpreters.len() {
            if outputs[i] != outputs[0] {
                failed.push(format!(
                    "{name}: {} printed {:?}, python3 {:?}",
                    interpreters[i].0,
                    String::from_utf8_lossy(outputs[i].as_deref().unwrap_or_default()),
                    String::from_utf8_lossy(outputs[0].as_deref().unwrap_or_default())
                ));
            }
        }
        let s = |d: Duration| format!("{:.3} s", d.as_secs_f64());
        let r = |a: Duration, b: Duration| format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64());
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} |",
            s(best[0]),
            s(best[1]),
            s(best[2]),
            r(best[1], best[0]),
            r(best[2], best[0]),
            r(best[2], best[1]),
        );
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} failure(s):\n{}",
            failed.len(),
            failed.join("\n")
        ))
    }
}
