//! The symbol table against CPython: for every code object of the programs in
//! `tests/scopes/` and `tests/snapshots/`, the name, qualified name, argument counts, flags,
//! local/cell/free variable names and names must equal what CPython 3.11 produces
//! (`tests/data/scopes.txt`, written by `python3 tests/data/gen_scopes.py`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use weft_compiler::{CodeObject, Mode, compile};

fn sources() -> HashMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut out = HashMap::new();
    for dir in ["scopes", "snapshots"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "py") {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                out.insert(name, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    out
}

fn breadth_first(code: &Arc<CodeObject>) -> Vec<Arc<CodeObject>> {
    let mut out = Vec::new();
    let mut queue = std::collections::VecDeque::from([code.clone()]);
    while let Some(c) = queue.pop_front() {
        queue.extend(c.nested().cloned());
        out.push(c);
    }
    out
}

#[test]
fn code_object_layout_matches_cpython() {
    let sources = sources();
    let mut compiled: HashMap<String, Vec<Arc<CodeObject>>> = HashMap::new();
    let mut failures = Vec::new();
    let data = include_str!("data/scopes.txt");
    let mut checked = 0;
    for line in data.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 12, "bad line {line:?}");
        let file = f[0];
        let codes = compiled.entry(file.to_string()).or_insert_with(|| {
            let src = sources
                .get(file)
                .unwrap_or_else(|| panic!("missing {file}"));
            breadth_first(&compile(src, file, Mode::Exec).unwrap())
        });
        let index: usize = f[1].parse().unwrap();
        let Some(code) = codes.get(index) else {
            failures.push(format!("{file}: code object {index} missing"));
            continue;
        };
        let ours = [
            code.name.clone(),
            code.qualname.clone(),
            code.argcount.to_string(),
            code.posonlyargcount.to_string(),
            code.kwonlyargcount.to_string(),
            (code.flags.0 & 0x3f).to_string(),
            code.varnames.join(","),
            code.cellvars.join(","),
            code.freevars.join(","),
            code.names.join(","),
        ];
        let labels = [
            "name", "qualname", "argcount", "posonly", "kwonly", "flags", "varnames", "cellvars",
            "freevars", "names",
        ];
        for (i, label) in labels.iter().enumerate() {
            if ours[i] != f[i + 2] {
                failures.push(format!(
                    "{file} #{index} {}: {label} {:?} (CPython {:?})",
                    code.qualname,
                    ours[i],
                    f[i + 2]
                ));
            }
        }
        checked += 1;
    }
    assert!(checked > 100);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
