//! Checks the crate graph in `cargo metadata` against the tables in ARCHITECTURE.md:
//!
//! 1. every internal dependency (normal or build) of a `crates/*` crate is an edge listed under
//!    "## Allowed dependency edges", and every listed edge not marked `(planned)` exists;
//! 2. every internal dependency, dev-dependencies included, points to a lower layer
//!    ("## Layers");
//! 3. every package but xtask declares `gil` (on by default) and `nogil`, and its `nogil`
//!    forwards to the `nogil` of each internal dependency;
//! 4. `crates/<dir>` holds package `<dir>`, and every `crates/*/Cargo.toml` is a workspace member.
//!
//! All violations are reported together, each naming the offending crate or edge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use weft_tests::json::{self, Value};

/// What ARCHITECTURE.md says: layer per crate and allowed edges, each with its `(planned)` flag.
#[derive(Debug, Default)]
struct Architecture {
    layers: BTreeMap<String, (u32, bool)>,
    edges: BTreeMap<(String, String), bool>,
}

/// Strips a trailing `(planned)` marker, returning the rest and whether it was there.
fn planned(text: &str) -> (&str, bool) {
    match text.trim().strip_suffix("(planned)") {
        Some(rest) => (rest.trim(), true),
        None => (text.trim(), false),
    }
}

/// Reads the `- <n>: <crate>, ...` lines of "## Layers" and the `- <from> -> <to>, ...` lines of
/// "## Allowed dependency edges"; other lines are prose.
fn parse_architecture(text: &str) -> Result<Architecture, String> {
    let mut arch = Architecture::default();
    let mut section = "";
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.trim();
            continue;
        }
        let Some(item) = line.strip_prefix("- ") else {
            continue;
        };
        match section {
            "Layers" => {
                let (layer, crates) = item
                    .split_once(':')
                    .ok_or(format!("bad layer line `{line}`"))?;
                let layer: u32 = layer
                    .trim()
                    .parse()
                    .map_err(|_| format!("bad layer in `{line}`"))?;
                for name in crates.split(',') {
                    let (name, planned) = planned(name);
                    arch.layers.insert(name.to_owned(), (layer, planned));
                }
            }
            "Allowed dependency edges" => {
                let (item, planned) = planned(item);
                let (from, to) = item
                    .split_once("->")
                    .ok_or(format!("bad edge line `{line}`"))?;
                for to in to.split(',') {
                    arch.edges
                        .insert((from.trim().to_owned(), to.trim().to_owned()), planned);
                }
            }
            _ => {}
        }
    }
    if arch.layers.is_empty() || arch.edges.is_empty() {
        return Err(
            "ARCHITECTURE.md needs `## Layers` and `## Allowed dependency edges` lists".into(),
        );
    }
    Ok(arch)
}

/// One workspace package, reduced to what the checks need.
struct Package {
    name: String,
    manifest: PathBuf,
    /// `(dependency name, kind)` with kind `normal`, `dev` or `build`.
    deps: Vec<(String, String)>,
    features: BTreeMap<String, Vec<String>>,
}

fn strings(value: Option<&Value>) -> Vec<String> {
    let items = value.and_then(Value::as_array).unwrap_or_default();
    items
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Runs `cargo metadata --no-deps` and returns the workspace root and its packages.
fn metadata() -> (PathBuf, Vec<Package>) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("could not run `{cargo} metadata`: {e}"));
    assert!(
        output.status.success(),
        "`{cargo} metadata` failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("cargo metadata prints UTF-8");
    let doc = json::parse(&text).unwrap_or_else(|e| panic!("cargo metadata output: {e}"));
    let root = PathBuf::from(
        doc.get("workspace_root")
            .and_then(Value::as_str)
            .expect("workspace_root"),
    );
    let packages = doc
        .get("packages")
        .and_then(Value::as_array)
        .expect("packages");
    let packages = packages
        .iter()
        .map(|p| {
            let field = |key| {
                p.get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let deps = p
                .get("dependencies")
                .and_then(Value::as_array)
                .unwrap_or_default();
            let deps = deps
                .iter()
                .map(|d| {
                    let name = d.get("name").and_then(Value::as_str).unwrap_or_default();
                    let kind = d.get("kind").and_then(Value::as_str).unwrap_or("normal");
                    (name.to_owned(), kind.to_owned())
                })
                .collect();
            let features = p
                .get("features")
                .and_then(Value::as_object)
                .unwrap_or_default();
            let features = features
                .iter()
                .map(|(k, v)| (k.clone(), strings(Some(v))))
                .collect();
            Package {
                name: field("name"),
                manifest: field("manifest_path").into(),
                deps,
                features,
            }
        })
        .collect();
    (root, packages)
}

/// Every violation of the rules in the module docs, as readable lines.
fn violations(root: &Path, packages: &[Package], arch: &Architecture) -> Vec<String> {
    let mut errors = Vec::new();
    let crates_dir = root.join("crates");
    let layered: Vec<&Package> = packages
        .iter()
        .filter(|p| p.manifest.starts_with(&crates_dir))
        .collect();
    let internal: BTreeSet<&str> = layered.iter().map(|p| p.name.as_str()).collect();
    let is_internal = |(dep, _): &&(String, String)| internal.contains(dep.as_str());

    // 4. Directory names are package names; every crate directory is a member.
    for p in &layered {
        let dir = p
            .manifest
            .parent()
            .and_then(Path::file_name)
            .unwrap_or_default();
        if dir.to_string_lossy() != p.name {
            let dir = dir.display();
            errors.push(format!(
                "package `{}` lives in crates/{dir}: rename the directory",
                p.name
            ));
        }
    }
    for entry in std::fs::read_dir(&crates_dir)
        .into_iter()
        .flatten()
        .flatten()
    {
        let manifest = entry.path().join("Cargo.toml");
        if manifest.is_file() && !layered.iter().any(|p| p.manifest == manifest) {
            errors.push(format!("{} is not a workspace member", manifest.display()));
        }
    }

    // 2. Layers: every crate has one, and the list names only what exists (or is planned).
    for name in &internal {
        match arch.layers.get(*name) {
            None => errors.push(format!("crate `{name}` has no layer in `## Layers`")),
            Some((_, true)) => errors.push(format!(
                "crate `{name}` exists: drop its `(planned)` in `## Layers`"
            )),
            Some(_) => {}
        }
    }
    for (name, (_, planned)) in &arch.layers {
        if !planned && !internal.contains(name.as_str()) {
            errors.push(format!(
                "`## Layers` lists `{name}`, which is not under crates/: mark it `(planned)`"
            ));
        }
    }

    // 1 and 2. Edges.
    let mut actual = BTreeSet::new();
    for p in &layered {
        for (dep, kind) in p.deps.iter().filter(is_internal) {
            let edge = format!("{} -> {dep} ({kind} dependency)", p.name);
            let layer = |name: &str| arch.layers.get(name).map(|(layer, _)| *layer);
            if let (Some(from), Some(to)) = (layer(&p.name), layer(dep))
                && to >= from
            {
                errors.push(format!(
                    "{edge}: layer {from} may only depend on lower layers, `{dep}` is layer {to}"
                ));
            }
            if kind == "dev" {
                continue;
            }
            actual.insert((p.name.clone(), dep.clone()));
            match arch.edges.get(&(p.name.clone(), dep.clone())) {
                None => errors.push(format!(
                    "{edge} is not listed in ARCHITECTURE.md `## Allowed dependency edges`"
                )),
                Some(true) => errors.push(format!(
                    "{edge} exists: drop its `(planned)` in ARCHITECTURE.md"
                )),
                Some(false) => {}
            }
        }
    }
    for ((from, to), planned) in &arch.edges {
        if !planned && !actual.contains(&(from.clone(), to.clone())) {
            errors.push(format!(
                "ARCHITECTURE.md lists `{from} -> {to}`, which no Cargo.toml has: \
                 remove it or mark it `(planned)`"
            ));
        }
    }

    // 3. Variant features.
    for p in packages.iter().filter(|p| p.name != "xtask") {
        let feature = |name: &str| p.features.get(name);
        let default_gil = feature("default").is_some_and(|d| d.iter().any(|f| f == "gil"));
        if feature("gil").is_none() || !default_gil {
            errors.push(format!(
                "package `{}` needs a `gil` feature, on by default",
                p.name
            ));
        }
        let Some(nogil) = feature("nogil") else {
            errors.push(format!("package `{}` has no `nogil` feature", p.name));
            continue;
        };
        for (dep, _) in p
            .deps
            .iter()
            .filter(is_internal)
            .filter(|(_, kind)| kind != "dev")
        {
            let forwards =
                |f: &String| *f == format!("{dep}/nogil") || *f == format!("{dep}?/nogil");
            if !nogil.iter().any(forwards) {
                errors.push(format!(
                    "package `{}`: feature `nogil` must include \"{dep}/nogil\"",
                    p.name
                ));
            }
        }
    }
    errors
}

#[test]
fn crate_graph_matches_architecture_md() {
    let (root, packages) = metadata();
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("read ARCHITECTURE.md");
    let arch = parse_architecture(&text).unwrap_or_else(|e| panic!("ARCHITECTURE.md: {e}"));
    let errors = violations(&root, &packages, &arch);
    assert!(
        errors.is_empty(),
        "architecture violations:\n  {}",
        errors.join("\n  ")
    );
}

#[test]
fn parses_the_table_format() {
    let text = "intro\n## Layers\n- 0: a\n- 1: b, c (planned)\nprose - 9: x\n\
                ## Allowed dependency edges\n- b -> a\n- c -> a, b (planned)\n## Next\n- 5: z\n";
    let arch = parse_architecture(text).unwrap();
    let layers: Vec<_> = arch.layers.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        layers,
        [("a", (0, false)), ("b", (1, false)), ("c", (1, true))]
    );
    let edges: Vec<_> = arch
        .edges
        .iter()
        .map(|((f, t), p)| (f.as_str(), t.as_str(), *p))
        .collect();
    assert_eq!(
        edges,
        [("b", "a", false), ("c", "a", true), ("c", "b", true)]
    );
}

#[test]
fn reports_an_upward_edge_and_a_missing_forward() {
    let arch = parse_architecture(
        "## Layers\n- 0: low\n- 1: high\n## Allowed dependency edges\n- high -> low\n",
    )
    .unwrap();
    let package = |name: &str, deps: &[(&str, &str)], nogil: &[&str]| Package {
        name: name.into(),
        manifest: PathBuf::from(format!("/ws/crates/{name}/Cargo.toml")),
        deps: deps
            .iter()
            .map(|(d, k)| (d.to_string(), k.to_string()))
            .collect(),
        features: [
            ("default", vec!["gil"]),
            ("gil", vec![]),
            ("nogil", nogil.to_vec()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
        .collect(),
    };
    let packages = [
        package("low", &[("high", "normal")], &[]),
        package("high", &[("low", "normal")], &[]),
    ];
    let errors = violations(Path::new("/ws"), &packages, &arch);
    let expected = [
        "low -> high (normal dependency): layer 0 may only depend on lower layers, `high` is layer 1",
        "low -> high (normal dependency) is not listed in ARCHITECTURE.md `## Allowed dependency edges`",
        "package `low`: feature `nogil` must include \"high/nogil\"",
        "package `high`: feature `nogil` must include \"low/nogil\"",
    ];
    for e in expected {
        assert!(
            errors.iter().any(|x| x == e),
            "missing {e:?} in {errors:#?}"
        );
    }
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
}
