//! The nogil-versus-gil table printed after `cargo xtask bench`, read from criterion's
//! `<target>/criterion/**/new/estimates.json` files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Mean time in nanoseconds per benchmark id (its path below `criterion/`, e.g. `mutex/lock`).
pub type Means = BTreeMap<String, f64>;

/// Collects the latest mean of every benchmark under `criterion_dir` (empty if it does not exist).
pub fn collect(criterion_dir: &Path) -> Means {
    let mut means = Means::new();
    walk(criterion_dir, "", &mut means);
    means
}

fn walk(dir: &Path, id: &str, means: &mut Means) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "new" {
            let json = std::fs::read_to_string(path.join("estimates.json")).unwrap_or_default();
            if let Some(mean) = mean_point_estimate(&json) {
                means.insert(id.to_owned(), mean);
            }
        } else if name != "report" && name != "base" && name != "change" {
            let child = if id.is_empty() {
                name
            } else {
                format!("{id}/{name}")
            };
            walk(&path, &child, means);
        }
    }
}

/// Extracts `"mean": { ..., "point_estimate": N, ... }` from criterion's estimates JSON.
pub fn mean_point_estimate(json: &str) -> Option<f64> {
    const KEY: &str = "\"point_estimate\"";
    let mean = &json[json.find("\"mean\"")?..];
    let after_key = &mean[mean.find(KEY)? + KEY.len()..];
    let value = after_key.trim_start().strip_prefix(':')?.trim_start();
    let number = |c: char| c.is_ascii_digit() || "+-.eE".contains(c);
    let end = value.find(|c| !number(c)).unwrap_or(value.len());
    value[..end].parse().ok()
}

/// Prints one row per benchmark found in either variant, with the nogil/gil ratio where both
/// have it, and the geometric mean of those ratios.
pub fn print(gil: &Means, nogil: &Means) {
    let ids: BTreeSet<&String> = gil.keys().chain(nogil.keys()).collect();
    if ids.is_empty() {
        println!("no criterion results found");
        return;
    }
    let width = ids
        .iter()
        .map(|id| id.len())
        .max()
        .unwrap_or(0)
        .max("benchmark".len());
    println!(
        "{:<width$}  {:>12}  {:>12}  {:>9}",
        "benchmark", "gil", "nogil", "nogil/gil"
    );
    let mut log_sum = 0.0;
    let mut paired = 0;
    for id in ids {
        let (g, n) = (gil.get(id), nogil.get(id));
        let ratio = match (g, n) {
            (Some(&g), Some(&n)) if g > 0.0 => {
                log_sum += (n / g).ln();
                paired += 1;
                format!("{:.3}x", n / g)
            }
            _ => "-".to_owned(),
        };
        println!("{id:<width$}  {:>12}  {:>12}  {ratio:>9}", time(g), time(n));
    }
    if paired > 0 {
        let geomean = (log_sum / f64::from(paired)).exp();
        let label = format!("geometric mean ({paired} in both)");
        println!(
            "{label:<width$}  {:>12}  {:>12}  {:>9}",
            "",
            "",
            format!("{geomean:.3}x")
        );
    }
}

/// Formats nanoseconds with a readable unit, or `-` when missing.
fn time(ns: Option<&f64>) -> String {
    match ns {
        None => "-".to_owned(),
        Some(&ns) if ns < 1e3 => format!("{ns:.2} ns"),
        Some(&ns) if ns < 1e6 => format!("{:.2} µs", ns / 1e3),
        Some(&ns) if ns < 1e9 => format!("{:.2} ms", ns / 1e6),
        Some(&ns) => format!("{:.2} s", ns / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_mean_not_the_median() {
        let json = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,
            "lower_bound":11.5,"upper_bound":13.0},"point_estimate":12.25,"standard_error":0.3},
            "median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,
            "upper_bound":2.0},"point_estimate":1.5,"standard_error":0.1},"slope":null}"#;
        assert_eq!(mean_point_estimate(json), Some(12.25));
        assert_eq!(
            mean_point_estimate(r#"{"mean":{"point_estimate": 1.5e3}}"#),
            Some(1500.0)
        );
        assert_eq!(
            mean_point_estimate(r#"{"median":{"point_estimate":1}}"#),
            None
        );
    }

    #[test]
    fn formats_units() {
        assert_eq!(time(Some(&12.345)), "12.35 ns");
        assert_eq!(time(Some(&2_500.0)), "2.50 µs");
        assert_eq!(time(Some(&3e7)), "30.00 ms");
        assert_eq!(time(None), "-");
    }
}
