//! Tidy check: one concurrency vocabulary.
//!
//! Every mutable field of a Python object is either under that object's critical section or an
//! atomic reclaimed through QSBR (see ARCHITECTURE.md, "Concurrency vocabulary"). So no code
//! outside `crates/weft-sync` names a `std::sync` lock: `Mutex`, `RwLock`, `Condvar` or one of
//! their guards. Process-wide state that is not a Python object takes its lock from
//! `weft_sync::shim` (which is what lets loom see it) or uses `weft_sync::Mutex`, the futex
//! mutex.
//!
//! The check reads every `crates/*/src/**/*.rs` except weft-sync's, drops comments and string
//! literals, and parses each `std::sync::...` path, including `use` trees such as
//! `use std::sync::{Arc, Mutex};` and `use std::{sync::{Condvar, Mutex}};`. Every banned name
//! is reported with its file and line.

use std::path::{Path, PathBuf};

/// The names that must not be reached through `std::sync` (nor a glob import of it).
const BANNED: &[&str] = &[
    "Mutex",
    "MutexGuard",
    "RwLock",
    "RwLockReadGuard",
    "RwLockWriteGuard",
    "Condvar",
];

/// Files still allowed to name a `std::sync` lock, each with the reason. Empty since every
/// object's state moved to critical sections, atomics or weft-sync's locks (issue 11,
/// deliverable 5); an entry that no longer has a finding fails the test, so the list cannot
/// go stale.
const ALLOWED: &[(&str, &str)] = &[];

/// The tree to check: the workspace this test was built in, or `WEFT_TIDY_ROOT` (to check
/// another checkout, e.g. an older commit exported with `git archive`).
fn workspace_root() -> PathBuf {
    match std::env::var_os("WEFT_TIDY_ROOT") {
        Some(r) => PathBuf::from(r),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
    }
    .canonicalize()
    .expect("workspace root")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `src` with comments, string and char literals blanked out (newlines kept, so byte offsets
/// still give line numbers).
fn strip(src: &str) -> Vec<u8> {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |n| i + n);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // Block comments nest in Rust.
                let (mut depth, mut j) = (1, i + 2);
                while j < b.len() && depth > 0 {
                    if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                    } else {
                        j += 1;
                    }
                }
                blank(&mut out, i, j);
                i = j;
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !is_ident(b[i - 1])) =>
            {
                // Raw string r"..." / r#"..."#.
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= b.len() {
                        break;
                    }
                    if b[j] == b'"' && b[j + 1..].iter().take(hashes).all(|&c| c == b'#') {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                let j = j.min(b.len());
                blank(&mut out, i, j);
                i = j;
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let j = (j + 1).min(b.len());
                blank(&mut out, i, j);
                i = j;
            }
            b'\'' => {
                // A char literal ('a', '\n', '\''), or a lifetime ('a), which is left alone.
                let close = if b.get(i + 1) == Some(&b'\\') {
                    b[i + 2..]
                        .iter()
                        .skip(1)
                        .position(|&c| c == b'\'')
                        .map(|n| i + 3 + n)
                } else if b.get(i + 2) == Some(&b'\'') {
                    Some(i + 2)
                } else {
                    None
                };
                match close {
                    Some(c) if c - i <= 10 => {
                        blank(&mut out, i, c + 1);
                        i = c + 1;
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// A tiny reader of path and `use` trees over stripped source.
struct Paths<'a> {
    b: &'a [u8],
    /// (byte offset of the leaf name, full path), e.g. `(123, "std::sync::Mutex")`.
    found: Vec<(usize, String)>,
}

impl Paths<'_> {
    fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.b.len() && self.b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    }

    fn ident(&self, i: usize) -> Option<(usize, &str)> {
        let mut j = i;
        while j < self.b.len() && is_ident(self.b[j]) {
            j += 1;
        }
        (j > i).then(|| {
            (
                j,
                std::str::from_utf8(&self.b[i..j]).expect("identifiers are ASCII"),
            )
        })
    }

    /// Parses one use-tree (or path) starting at `i` under `prefix`, recording every leaf;
    /// returns where it ends.
    fn tree(&mut self, i: usize, prefix: &str) -> usize {
        let i = self.skip_ws(i);
        if self.b.get(i) == Some(&b'{') {
            let mut j = i + 1;
            loop {
                j = self.skip_ws(j);
                match self.b.get(j) {
                    None => return j,
                    Some(b'}') => return j + 1,
                    Some(b',') => j += 1,
                    Some(_) => {
                        let end = self.tree(j, prefix);
                        if end == j {
                            // Not a tree element (malformed or `*`): step over it.
                            j += 1;
                        } else {
                            j = end;
                        }
                    }
                }
            }
        }
        if self.b.get(i) == Some(&b'*') {
            self.found.push((i, format!("{prefix}::*")));
            return i + 1;
        }
        let Some((j, name)) = self.ident(i) else {
            return i;
        };
        let path = format!("{prefix}::{name}");
        let k = self.skip_ws(j);
        if self.b[k..].starts_with(b"::") {
            return self.tree(k + 2, &path);
        }
        self.found.push((i, path));
        j
    }
}

/// Every `std::sync::<banned>` in `src`, as (line, path).
fn findings(src: &str) -> Vec<(usize, String)> {
    let b = strip(src);
    let mut p = Paths {
        b: &b,
        found: Vec::new(),
    };
    let mut i = 0;
    while let Some(n) = b[i..].windows(3).position(|w| w == b"std") {
        let at = i + n;
        i = at + 3;
        if (at > 0 && is_ident(b[at - 1])) || b.get(at + 3).is_some_and(|&c| is_ident(c)) {
            continue;
        }
        let k = p.skip_ws(at + 3);
        if b[k..].starts_with(b"::") {
            i = p.tree(k + 2, "std").max(i);
        }
    }
    let mut out: Vec<(usize, String)> = p
        .found
        .into_iter()
        .filter(|(_, path)| {
            path.strip_prefix("std::sync::")
                .is_some_and(|leaf| leaf == "*" || BANNED.contains(&leaf))
        })
        .map(|(at, path)| (1 + b[..at].iter().filter(|&&c| c == b'\n').count(), path))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn the_parser_catches_every_spelling() {
    let src = r#"
use std::sync::{Arc, Mutex, MutexGuard, Once};
use std::sync::atomic::{AtomicU64, Ordering};
use std::{collections::HashMap, sync::{Condvar, atomic::AtomicBool}};
// std::sync::Mutex in a comment is fine
/* and std::sync::RwLock in a block comment */
const S: &str = "std::sync::Mutex in a string";
static M: std::sync::Mutex<u8> = std::sync::Mutex::new(0);
fn f(g: std::sync :: RwLockReadGuard<'_, u8>) -> char { let _ = g; 'x' }
use weft_sync::shim::Mutex as Ok1;
use mystd::sync::Mutex as Ok2;
use std::sync::*;
"#;
    let got = findings(src);
    let want: Vec<(usize, String)> = vec![
        (2, "std::sync::Mutex".into()),
        (2, "std::sync::MutexGuard".into()),
        (4, "std::sync::Condvar".into()),
        (8, "std::sync::Mutex".into()),
        (9, "std::sync::RwLockReadGuard".into()),
        (12, "std::sync::*".into()),
    ];
    assert_eq!(got, want);
}

#[test]
fn no_std_sync_locks_outside_weft_sync() {
    let root = workspace_root();
    let mut files = Vec::new();
    let crates = std::fs::read_dir(root.join("crates")).expect("crates/");
    let mut dirs: Vec<PathBuf> = crates.filter_map(|e| e.ok().map(|e| e.path())).collect();
    dirs.sort();
    for d in dirs {
        if d.file_name().is_some_and(|n| n == "weft-sync") {
            continue;
        }
        rust_files(&d.join("src"), &mut files);
    }
    assert!(
        files.len() > 50,
        "found only {} source files under {}",
        files.len(),
        root.display()
    );
    let mut errors = Vec::new();
    let mut allowed_hit = vec![false; ALLOWED.len()];
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        let src = std::fs::read_to_string(f).expect("readable source");
        let found = findings(&src);
        if found.is_empty() {
            continue;
        }
        if let Some(k) = ALLOWED.iter().position(|(p, _)| *p == rel) {
            allowed_hit[k] = true;
            continue;
        }
        for (line, path) in found {
            errors.push(format!(
                "{rel}:{line}: `{path}` outside weft-sync: put the object's state under its \
                 critical section or make it atomic; process state takes weft_sync::shim's lock"
            ));
        }
    }
    for (k, (p, _)) in ALLOWED.iter().enumerate() {
        if !allowed_hit[k] {
            errors.push(format!(
                "{p}: on the allow-list but names no std::sync lock any more: remove the entry"
            ));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
