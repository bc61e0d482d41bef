//! The `os` module (a POSIX subset) and `os.path`.

use std::path::Path;

use crate::modules::str_obj;
use weft_containers::dict::{self, Dict};
use weft_containers::{new_list, new_tuple};
use weft_object::scalar::int::Int;
use weft_object::types::PyBytes;
use weft_object::{ObjRef, Object, PyErr, bool_obj, int_from_i64, none};

use super::io::os_error;
use crate::core::{Args, Global, Result, as_str, module_add_fn, module_set, new_module, type_err};

fn path_arg(a: &Args<'_>, i: usize, fname: &str) -> Result<String> {
    let o = a.pos().get(i).ok_or_else(|| {
        PyErr::type_error(format!(
            "{fname}() missing required argument 'path' (pos {})",
            i + 1
        ))
    })?;
    path_of(o, fname)
}

fn path_of(o: &Object, fname: &str) -> Result<String> {
    if let Some(s) = as_str(o) {
        return Ok(s.to_owned());
    }
    if let Some(b) = o.downcast::<PyBytes>() {
        return Ok(String::from_utf8_lossy(b.as_bytes()).into_owned());
    }
    type_err(format!(
        "{fname}: path should be string, bytes or os.PathLike, not {}",
        o.ty().name
    ))
}

/// `path_arg` for a path handed to the OS: one with a NUL in it is CPython's `ValueError:
/// <fname>: embedded null character in <what>` (the OS would cut it short).
fn os_path_arg(a: &Args<'_>, i: usize, fname: &str, what: &str) -> Result<String> {
    let p = path_arg(a, i, fname)?;
    if p.contains('\0') {
        return Err(PyErr::value_error(format!(
            "{fname}: embedded null character in {what}"
        )));
    }
    Ok(p)
}

fn o_getcwd(a: &Args<'_>) -> Result<ObjRef> {
    a.check("getcwd", 0, 0)?;
    let p = std::env::current_dir().map_err(|e| os_error(&e, None))?;
    Ok(str_obj(p.to_string_lossy()))
}

fn o_chdir(a: &Args<'_>) -> Result<ObjRef> {
    a.check("chdir", 1, 1)?;
    path_op(a, "chdir", |p| std::env::set_current_dir(p))
}

fn o_getenv(a: &Args<'_>) -> Result<ObjRef> {
    a.check_pos("getenv", 1, 2)?;
    let k = as_str(&a.all[0]).ok_or_else(|| PyErr::type_error("str expected, not int"))?;
    // A value that is not UTF-8 reads with U+FFFD for its invalid bytes, as in `os.environ`.
    match std::env::var_os(k) {
        Some(v) => Ok(str_obj(v.to_string_lossy())),
        None => Ok(a
            .arg(1, "default")
            .cloned()
            .unwrap_or_else(|| none().to_ref())),
    }
}

fn o_getpid(a: &Args<'_>) -> Result<ObjRef> {
    a.check("getpid", 0, 0)?;
    Ok(int_from_i64(std::process::id() as i64))
}

fn o_cpu_count(a: &Args<'_>) -> Result<ObjRef> {
    a.check("cpu_count", 0, 0)?;
    Ok(match std::thread::available_parallelism() {
        Ok(n) => int_from_i64(n.get() as i64),
        Err(_) => none().to_ref(),
    })
}

fn o_listdir(a: &Args<'_>) -> Result<ObjRef> {
    a.check("listdir", 0, 1)?;
    let p = if a.all.is_empty() {
        ".".to_owned()
    } else {
        os_path_arg(a, 0, "listdir", "path")?
    };
    let rd = std::fs::read_dir(&p).map_err(|e| os_error(&e, Some(&p)))?;
    let mut names = Vec::new();
    for e in rd {
        let e = e.map_err(|e| os_error(&e, Some(&p)))?;
        names.push(str_obj(e.file_name().to_string_lossy()));
    }
    Ok(new_list(names))
}

/// `fname(path)` doing `op(path)`, which reports failure as an `OSError` naming the path.
fn path_op(a: &Args<'_>, fname: &str, op: fn(&str) -> std::io::Result<()>) -> Result<ObjRef> {
    let p = os_path_arg(a, 0, fname, "path")?;
    op(&p).map_err(|e| os_error(&e, Some(&p)))?;
    Ok(none().to_ref())
}

fn o_remove(a: &Args<'_>) -> Result<ObjRef> {
    a.check("remove", 1, 1)?;
    path_op(a, "remove", |p| std::fs::remove_file(p))
}

fn o_unlink(a: &Args<'_>) -> Result<ObjRef> {
    a.check("unlink", 1, 1)?;
    path_op(a, "unlink", |p| std::fs::remove_file(p))
}

fn o_mkdir(a: &Args<'_>) -> Result<ObjRef> {
    a.check_pos("mkdir", 1, 2)?;
    path_op(a, "mkdir", |p| std::fs::create_dir(p))
}

fn o_makedirs(a: &Args<'_>) -> Result<ObjRef> {
    a.only_kwargs("makedirs", &["mode", "exist_ok"])?;
    a.check_pos("makedirs", 1, 3)?;
    let p = os_path_arg(a, 0, "mkdir", "path")?;
    let exist_ok = match a.arg(2, "exist_ok") {
        Some(v) => v.is_true()?,
        None => false,
    };
    if Path::new(&p).exists() {
        if exist_ok && Path::new(&p).is_dir() {
            return Ok(none().to_ref());
        }
        return Err(super::io::os_error_from(17, "File exists", Some(&p)));
    }
    std::fs::create_dir_all(&p).map_err(|e| os_error(&e, Some(&p)))?;
    Ok(none().to_ref())
}

fn o_rmdir(a: &Args<'_>) -> Result<ObjRef> {
    a.check("rmdir", 1, 1)?;
    path_op(a, "rmdir", |p| std::fs::remove_dir(p))
}

fn o_rename(a: &Args<'_>) -> Result<ObjRef> {
    a.check("rename", 2, 2)?;
    let s = os_path_arg(a, 0, "rename", "src")?;
    let d = os_path_arg(a, 1, "rename", "dst")?;
    std::fs::rename(&s, &d).map_err(|e| os_error(&e, Some(&s)))?;
    Ok(none().to_ref())
}

fn o_urandom(a: &Args<'_>) -> Result<ObjRef> {
    use std::io::Read;
    a.check("urandom", 1, 1)?;
    let n = a.all[0]
        .downcast::<Int>()
        .and_then(Int::as_i64)
        .ok_or_else(|| PyErr::type_error("an integer is required"))?;
    if n < 0 {
        return Err(PyErr::value_error("negative argument not allowed"));
    }
    let mut buf = vec![0u8; n as usize];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .map_err(|e| os_error(&e, None))?;
    Ok(ObjRef::new(PyBytes::new(buf)))
}

// ---------------------------------------------------------------------------------------------
// os.path
// ---------------------------------------------------------------------------------------------

fn p_join(a: &Args<'_>) -> Result<ObjRef> {
    a.check_pos("join", 1, usize::MAX)?;
    let mut out = path_of(&a.all[0], "join")?;
    for o in &a.pos()[1..] {
        let s = path_of(o, "join")?;
        if s.starts_with('/') {
            out = s;
        } else if out.is_empty() || out.ends_with('/') {
            out.push_str(&s);
        } else {
            out.push('/');
            out.push_str(&s);
        }
    }
    Ok(str_obj(out))
}

fn split_str(p: &str) -> (String, String) {
    let i = p.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (head, tail) = p.split_at(i);
    let mut head = head.to_owned();
    if !head.is_empty() && head != "/".repeat(head.len()) {
        head = head.trim_end_matches('/').to_owned();
    }
    (head, tail.to_owned())
}

fn p_split(a: &Args<'_>) -> Result<ObjRef> {
    a.check("split", 1, 1)?;
    let (h, t) = split_str(&path_arg(a, 0, "split")?);
    Ok(new_tuple(vec![str_obj(h), str_obj(t)]))
}

fn p_dirname(a: &Args<'_>) -> Result<ObjRef> {
    a.check("dirname", 1, 1)?;
    Ok(str_obj(split_str(&path_arg(a, 0, "dirname")?).0))
}

fn p_basename(a: &Args<'_>) -> Result<ObjRef> {
    a.check("basename", 1, 1)?;
    Ok(str_obj(split_str(&path_arg(a, 0, "basename")?).1))
}

fn splitext_str(p: &str) -> (String, String) {
    let sep = p.rfind('/').map(|i| i + 1).unwrap_or(0);
    let name = &p[sep..];
    if let Some(dot) = name.rfind('.') {
        // Leading dots do not start an extension.
        if name[..dot].chars().any(|c| c != '.') {
            return (p[..sep + dot].to_owned(), name[dot..].to_owned());
        }
    }
    (p.to_owned(), String::new())
}

fn p_splitext(a: &Args<'_>) -> Result<ObjRef> {
    a.check("splitext", 1, 1)?;
    let (r, e) = splitext_str(&path_arg(a, 0, "splitext")?);
    Ok(new_tuple(vec![str_obj(r), str_obj(e)]))
}

/// `os.path.normpath`.
fn normpath(p: &str) -> String {
    if p.is_empty() {
        return ".".to_owned();
    }
    let initial = if p.starts_with("//") && !p.starts_with("///") {
        2
    } else if p.starts_with('/') {
        1
    } else {
        0
    };
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        if c.is_empty() || c == "." {
            continue;
        }
        if c != ".." || (initial == 0 && parts.is_empty()) || parts.last() == Some(&"..") {
            parts.push(c);
        } else if !parts.is_empty() {
            parts.pop();
        }
    }
    let s = "/".repeat(initial) + &parts.join("/");
    if s.is_empty() { ".".to_owned() } else { s }
}

fn p_normpath(a: &Args<'_>) -> Result<ObjRef> {
    a.check("normpath", 1, 1)?;
    Ok(str_obj(normpath(&path_arg(a, 0, "normpath")?)))
}

fn p_abspath(a: &Args<'_>) -> Result<ObjRef> {
    a.check("abspath", 1, 1)?;
    let p = path_arg(a, 0, "abspath")?;
    let full = if p.starts_with('/') {
        p
    } else {
        let cwd = std::env::current_dir().map_err(|e| os_error(&e, None))?;
        format!("{}/{}", cwd.to_string_lossy(), p)
    };
    Ok(str_obj(normpath(&full)))
}

fn p_realpath(a: &Args<'_>) -> Result<ObjRef> {
    a.check_pos("realpath", 1, 1)?;
    let p = os_path_arg(a, 0, "lstat", "path")?;
    match std::fs::canonicalize(&p) {
        Ok(c) => Ok(str_obj(c.to_string_lossy())),
        Err(_) => p_abspath(a),
    }
}

/// `fname(path)` answering `test(path)`.
fn path_test(a: &Args<'_>, fname: &str, test: fn(&Path) -> bool) -> Result<ObjRef> {
    a.check(fname, 1, 1)?;
    // A path with a NUL in it names no file: `False`, as in CPython.
    let p = path_arg(a, 0, fname)?;
    Ok(bool_obj(!p.contains('\0') && test(Path::new(&p))))
}

fn p_exists(a: &Args<'_>) -> Result<ObjRef> {
    path_test(a, "exists", Path::exists)
}

fn p_isfile(a: &Args<'_>) -> Result<ObjRef> {
    path_test(a, "isfile", Path::is_file)
}

fn p_isdir(a: &Args<'_>) -> Result<ObjRef> {
    path_test(a, "isdir", Path::is_dir)
}

fn p_isabs(a: &Args<'_>) -> Result<ObjRef> {
    a.check("isabs", 1, 1)?;
    Ok(bool_obj(path_arg(a, 0, "isabs")?.starts_with('/')))
}

fn p_getsize(a: &Args<'_>) -> Result<ObjRef> {
    a.check("getsize", 1, 1)?;
    let p = os_path_arg(a, 0, "stat", "path")?;
    let m = std::fs::metadata(&p).map_err(|e| os_error(&e, Some(&p)))?;
    Ok(int_from_i64(m.len() as i64))
}

static PATH_MODULE: Global = Global::new();

/// The `os.path` module (one object, shared by `os.path` and `import os.path`).
pub fn path_module() -> ObjRef {
    PATH_MODULE
        .get(|| {
            let m = new_module("posixpath");
            module_set(&m, "sep", str_obj("/"));
            module_set(&m, "curdir", str_obj("."));
            module_set(&m, "pardir", str_obj(".."));
            let fns: &[(&'static str, crate::core::NativeFn)] = &[
                ("join", p_join),
                ("split", p_split),
                ("dirname", p_dirname),
                ("basename", p_basename),
                ("splitext", p_splitext),
                ("normpath", p_normpath),
                ("abspath", p_abspath),
                ("realpath", p_realpath),
                ("exists", p_exists),
                ("isfile", p_isfile),
                ("isdir", p_isdir),
                ("isabs", p_isabs),
                ("getsize", p_getsize),
            ];
            for (n, f) in fns {
                module_add_fn(&m, n, *f);
            }
            m
        })
        .to_ref()
}

/// A new `os` module.
pub fn make_module() -> ObjRef {
    let m = new_module("os");
    module_set(&m, "sep", str_obj("/"));
    module_set(&m, "altsep", none().to_ref());
    module_set(&m, "extsep", str_obj("."));
    module_set(&m, "pathsep", str_obj(":"));
    module_set(&m, "linesep", str_obj("\n"));
    module_set(&m, "curdir", str_obj("."));
    module_set(&m, "pardir", str_obj(".."));
    module_set(&m, "devnull", str_obj("/dev/null"));
    module_set(&m, "name", str_obj("posix"));
    let env = dict::new();
    {
        let d = Dict::of(&env).expect("dict");
        for (k, v) in std::env::vars_os() {
            let _ = d.set_item(str_obj(k.to_string_lossy()), str_obj(v.to_string_lossy()));
        }
    }
    module_set(&m, "environ", env);
    module_set(&m, "path", path_module());
    let fns: &[(&'static str, crate::core::NativeFn)] = &[
        ("getcwd", o_getcwd),
        ("chdir", o_chdir),
        ("getenv", o_getenv),
        ("getpid", o_getpid),
        ("cpu_count", o_cpu_count),
        ("listdir", o_listdir),
        ("remove", o_remove),
        ("unlink", o_unlink),
        ("mkdir", o_mkdir),
        ("makedirs", o_makedirs),
        ("rmdir", o_rmdir),
        ("rename", o_rename),
        ("replace", o_rename),
        ("urandom", o_urandom),
    ];
    for (n, f) in fns {
        module_add_fn(&m, n, *f);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_helpers_match_posixpath() {
        assert_eq!(normpath("a//b/./c/../d"), "a/b/d");
        assert_eq!(normpath("/../x"), "/x");
        assert_eq!(normpath("../x"), "../x");
        assert_eq!(split_str("/a/b/c.txt"), ("/a/b".into(), "c.txt".into()));
        assert_eq!(split_str("c.txt"), ("".into(), "c.txt".into()));
        assert_eq!(split_str("/c"), ("/".into(), "c".into()));
        assert_eq!(splitext_str("a/b.tar.gz"), ("a/b.tar".into(), ".gz".into()));
        assert_eq!(splitext_str(".bashrc"), (".bashrc".into(), "".into()));
    }
}
