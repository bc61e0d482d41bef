//! `import`: native modules, embedded Python modules, then `.py` files (and packages) on
//! `sys.path`; `sys.modules` caches them.
//!
//! A module is in `sys.modules` before its code runs (so circular imports see the partial
//! module) and is removed again when its code raises. A thread importing a module that another
//! thread is loading waits for that load to end, detached (so it holds no GIL meanwhile).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use weft_sync::shim::{Condvar, Mutex, MutexGuard};

use crate::modules::str_obj;
use weft_compiler::CodeObject;
use weft_containers::dict::Dict;
use weft_containers::{List, new_list};
use weft_object::{ExcKind, ObjRef, Object, PyErr, intern, none};

use crate::core::{Module, Result, as_str, module_set, new_module};

// ---------------------------------------------------------------------------------------------
// Per-module import locks
// ---------------------------------------------------------------------------------------------

/// Modules being loaded right now, with the thread loading each. A thread that imports a
/// module another thread is loading waits (detached) until that load ends; the loading thread
/// itself (a circular import) gets the partial module from `sys.modules`.
static INITIALIZING: Mutex<Vec<(String, u64)>> = Mutex::new(Vec::new());
static INITIALIZED: Condvar = Condvar::new();

fn init_list() -> MutexGuard<'static, Vec<(String, u64)>> {
    INITIALIZING.lock().unwrap_or_else(|p| p.into_inner())
}

/// Whether `list` says a thread other than `me` is loading `name`.
fn loading_elsewhere(list: &[(String, u64)], name: &str, me: u64) -> bool {
    list.iter().any(|(n, t)| n == name && *t != me)
}

/// Either the module `full` (already in `sys.modules`, or partially initialized by this very
/// thread), or `None` after registering this thread as its loader: the caller must then load
/// it and call [`release`].
fn claim(full: &str) -> Result<Option<ObjRef>> {
    let me = crate::modules::thread::get_ident();
    loop {
        {
            let mut g = init_list();
            if !loading_elsewhere(&g, full, me) {
                if let Some(m) = modules_dict().get(intern(full))? {
                    return Ok(Some(m));
                }
                g.push((full.to_owned(), me));
                return Ok(None);
            }
        }
        weft_frame::blocking(|| {
            let mut g = init_list();
            while loading_elsewhere(&g, full, me) {
                g = INITIALIZED.wait(g).unwrap_or_else(|p| p.into_inner());
            }
        });
    }
}

/// Whether another thread is loading module `name` right now.
fn initializing_elsewhere(name: &str) -> bool {
    loading_elsewhere(&init_list(), name, crate::modules::thread::get_ident())
}

/// Ends this thread's load of `full` (see [`claim`]).
fn release(full: &str) {
    let me = crate::modules::thread::get_ident();
    let mut g = init_list();
    if let Some(i) = g.iter().rposition(|(n, t)| n == full && *t == me) {
        g.remove(i);
    }
    drop(g);
    INITIALIZED.notify_all();
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn modules_dict() -> Dict<'static> {
    Dict::of(crate::modules::sys::modules()).expect("sys.modules is a dict")
}

fn dict_get(d: &Object, name: &str) -> Option<ObjRef> {
    Dict::of(d)?.get(intern(name)).ok().flatten()
}

fn module_dict(m: &Object) -> Option<&Object> {
    m.downcast::<Module>().map(|m| &*m.dict)
}

fn not_found(name: &str) -> PyErr {
    import_error(
        ExcKind::ModuleNotFoundError,
        format!("No module named {}", weft_object::scalar::str::repr(name)),
        Some(name),
    )
}

/// The `name` attribute of an `ImportError`.
fn error_name(e: &PyErr) -> Option<String> {
    let o = e.object.as_ref()?;
    let n = crate::attr::getattr_opt(o, intern("name")).ok()??;
    as_str(&n).map(str::to_owned)
}

/// An `ImportError` (or `ModuleNotFoundError`) object with `msg` and the `name` attribute.
fn import_error(kind: ExcKind, msg: String, name: Option<&str>) -> PyErr {
    let exc = crate::exceptions::new_exception(
        crate::exceptions::exc_type(kind),
        crate::core::tuple(vec![str_obj(&msg)]),
    );
    if let Some(n) = name {
        let _ = crate::attr::setattr(&exc, intern("name"), str_obj(n));
    }
    crate::exceptions::from_object(exc)
}

/// Makes the globals of a module ready to run: `__builtins__`, `__file__`, `__package__`, and
/// `__path__` for packages.
fn prepare_module(module: &Object, file: Option<&str>, package_dir: Option<&str>) {
    let name = module
        .downcast::<Module>()
        .map(|m| m.name.clone())
        .unwrap_or_default();
    module_set(
        module,
        "__builtins__",
        crate::builtins::builtins_dict().to_ref(),
    );
    module_set(module, "__doc__", none().to_ref());
    module_set(module, "__spec__", none().to_ref());
    module_set(module, "__loader__", none().to_ref());
    if let Some(f) = file {
        module_set(module, "__file__", str_obj(f));
    }
    match package_dir {
        Some(dir) => {
            module_set(module, "__path__", new_list(vec![str_obj(dir)]));
            module_set(module, "__package__", str_obj(&name));
        }
        None => {
            let pkg = name.rsplit_once('.').map(|(p, _)| p).unwrap_or("");
            module_set(module, "__package__", str_obj(pkg));
        }
    }
}

/// Runs the compiled `code` as the body of `module` (its dict is globals and locals),
/// setting `__builtins__` first when missing.
pub fn exec_module_code(module: &Object, code: Arc<CodeObject>) -> Result<()> {
    let dict = module_dict(module)
        .ok_or_else(|| PyErr::type_error("exec_module_code() needs a module"))?
        .to_ref();
    if dict_get(&dict, "__builtins__").is_none() {
        module_set(
            module,
            "__builtins__",
            crate::builtins::builtins_dict().to_ref(),
        );
    }
    let code = crate::function::Code::new(code);
    crate::eval::run_code(&code, &dict, None)?;
    Ok(())
}

/// A `SyntaxError` exception (or subclass) for a compile error, with CPython's attributes.
pub fn syntax_error(e: &weft_compiler::CompileError) -> PyErr {
    use weft_compiler::error::ErrorKind;
    let kind = match e.kind {
        ErrorKind::RecursionError => ExcKind::RecursionError,
        ErrorKind::SystemError => ExcKind::RuntimeError,
        _ => ExcKind::SyntaxError,
    };
    if kind != ExcKind::SyntaxError {
        return PyErr::new(kind, e.message.clone());
    }
    let ty: &'static weft_object::TypeObject = match e.kind {
        ErrorKind::IndentationError => &crate::exceptions::INDENTATION_ERROR_TYPE,
        ErrorKind::TabError => &crate::exceptions::TAB_ERROR_TYPE,
        _ => &crate::exceptions::SYNTAX_ERROR_TYPE,
    };
    let (msg, filename) = (str_obj(&e.message), str_obj(&e.filename));
    let (line, column) = (
        weft_object::int_from_i64(e.line as i64),
        weft_object::int_from_i64(e.column as i64),
    );
    let text = match &e.text {
        Some(t) => str_obj(format!("{t}\n")),
        None => none().to_ref(),
    };
    let details = crate::core::tuple(vec![
        filename.clone(),
        line.clone(),
        column.clone(),
        text.clone(),
    ]);
    let exc = crate::exceptions::new_exception(ty, crate::core::tuple(vec![msg.clone(), details]));
    for (n, v) in [
        ("msg", msg),
        ("filename", filename),
        ("lineno", line),
        ("offset", column),
        ("text", text),
    ] {
        let _ = crate::attr::setattr(&exc, intern(n), v);
    }
    crate::exceptions::from_object(exc)
}

/// Where a module's source was found.
enum Found {
    /// `<dir>/<name>.py`
    File(PathBuf),
    /// `<dir>/<name>/__init__.py`
    Package(PathBuf, PathBuf),
}

fn find_in(dirs: &[String], short: &str) -> Option<Found> {
    for d in dirs {
        let base = if d.is_empty() {
            Path::new(".")
        } else {
            Path::new(d)
        };
        let pkg = base.join(short);
        let init = pkg.join("__init__.py");
        if init.is_file() {
            return Some(Found::Package(pkg, init));
        }
        let file = base.join(format!("{short}.py"));
        if file.is_file() {
            return Some(Found::File(file));
        }
    }
    None
}

fn str_list(o: &Object) -> Vec<String> {
    match List::of(o) {
        Some(l) => l
            .to_vec()
            .iter()
            .filter_map(|s| as_str(s).map(str::to_owned))
            .collect(),
        None => Vec::new(),
    }
}

fn path_display(p: &Path) -> String {
    let s = p.to_string_lossy().into_owned();
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

/// Reads and compiles the source file `file`.
fn compile_file(file: &str) -> Result<Arc<CodeObject>> {
    let source = std::fs::read(file).map_err(|e| crate::modules::io::os_error(&e, Some(file)))?;
    weft_compiler::compile(
        &String::from_utf8_lossy(&source),
        file,
        weft_compiler::Mode::Exec,
    )
    .map_err(|e| syntax_error(&e))
}

/// Loads the module `full` (not yet in `sys.modules`) from `found`.
fn load_source(full: &str, found: Found) -> Result<ObjRef> {
    let (file, pkg_dir) = match &found {
        Found::File(f) => (path_display(f), None),
        Found::Package(d, f) => (path_display(f), Some(path_display(d))),
    };
    let code = compile_file(&file)?;
    let module = new_module(full);
    prepare_module(&module, Some(&file), pkg_dir.as_deref());
    run_registered(full, &module, code)?;
    // The module may have replaced itself in sys.modules.
    Ok(modules_dict().get(intern(full))?.unwrap_or(module))
}

/// Registers `module` as `full` in `sys.modules`, runs `code` in it, and unregisters it again
/// if the code raises.
fn run_registered(full: &str, module: &ObjRef, code: Arc<CodeObject>) -> Result<()> {
    modules_dict().set_item(str_obj(full), module.clone())?;
    let r = exec_module_code(module, code);
    if let Err(e) = r {
        let _ = modules_dict().del_item(intern(full));
        return Err(e);
    }
    Ok(())
}

/// Imports the single module `full` whose parent (if any) is already imported.
fn import_one(full: &str, parent: Option<&ObjRef>) -> Result<ObjRef> {
    if let Some(m) = claim(full)? {
        return Ok(m);
    }
    let r = load_claimed(full, parent);
    release(full);
    r
}

/// Loads `full`, claimed by this thread.
fn load_claimed(full: &str, parent: Option<&ObjRef>) -> Result<ObjRef> {
    if let Some(r) = crate::modules::builtin_module(full) {
        let m = r?;
        modules_dict().set_item(str_obj(full), m.clone())?;
        return Ok(m);
    }
    let (short, dirs) = match (full.rsplit_once('.'), parent) {
        (Some((pname, short)), Some(p)) => {
            let path = module_dict(p).and_then(|d| dict_get(d, "__path__"));
            match path {
                Some(path) => (short, str_list(&path)),
                None => {
                    return Err(import_error(
                        ExcKind::ModuleNotFoundError,
                        format!(
                            "No module named {}; {} is not a package",
                            weft_object::scalar::str::repr(full),
                            weft_object::scalar::str::repr(pname)
                        ),
                        Some(full),
                    ));
                }
            }
        }
        _ => (
            full,
            crate::interp::sys_attr("path")
                .map(|p| str_list(&p))
                .unwrap_or_default(),
        ),
    };
    let found = find_in(&dirs, short).ok_or_else(|| not_found(full))?;
    load_source(full, found)
}

/// Imports `full` and its parents (`a`, `a.b`, `a.b.c`), binding each submodule as an
/// attribute of its parent. Returns the module `full`.
pub fn import_module(full: &str) -> Result<ObjRef> {
    if !initializing_elsewhere(full)
        && let Some(m) = modules_dict().get(intern(full))?
    {
        return Ok(m);
    }
    let mut parent: Option<ObjRef> = None;
    let mut end = 0;
    let parts: Vec<&str> = full.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(PyErr::value_error("Empty module name"));
    }
    for (i, part) in parts.iter().enumerate() {
        end += part.len() + usize::from(i > 0);
        let name = &full[..end];
        let m = import_one(name, parent.as_ref())?;
        if let Some(p) = &parent {
            let pd = module_dict(p);
            if pd.and_then(|d| dict_get(d, part)).is_none() {
                let _ = crate::attr::setattr(p, intern(part), m.clone());
            }
        }
        parent = Some(m);
    }
    Ok(parent.expect("at least one part"))
}

/// The absolute name of a relative import of `name` at `level` from the module whose globals
/// are `globals`.
fn resolve_name(name: &str, globals: &Object, level: i64) -> Result<String> {
    let package = match dict_get(globals, "__package__").filter(|p| !p.is(none())) {
        Some(p) => as_str(&p)
            .ok_or_else(|| PyErr::type_error("package must be a string"))?
            .to_owned(),
        None => {
            let modname = dict_get(globals, "__name__")
                .and_then(|n| as_str(&n).map(str::to_owned))
                .ok_or_else(|| PyErr::new(ExcKind::KeyError, "'__name__' not in globals"))?;
            if dict_get(globals, "__path__").is_some() {
                modname
            } else {
                modname
                    .rsplit_once('.')
                    .map(|(p, _)| p.to_owned())
                    .unwrap_or_default()
            }
        }
    };
    if package.is_empty() {
        return Err(PyErr::new(
            ExcKind::ImportError,
            "attempted relative import with no known parent package",
        ));
    }
    let mut base = package.as_str();
    for _ in 1..level {
        match base.rsplit_once('.') {
            Some((b, _)) => base = b,
            None => {
                return Err(PyErr::new(
                    ExcKind::ImportError,
                    "attempted relative import beyond top-level package",
                ));
            }
        }
    }
    Ok(if name.is_empty() {
        base.to_owned()
    } else {
        format!("{base}.{name}")
    })
}

/// `IMPORT_NAME`: `__import__(name, globals, None, fromlist, level)`.
pub fn import_name(name: &str, globals: &Object, fromlist: &Object, level: i64) -> Result<ObjRef> {
    if level < 0 {
        return Err(PyErr::value_error("level must be >= 0"));
    }
    let full = if level > 0 {
        resolve_name(name, globals, level)?
    } else {
        if name.is_empty() {
            return Err(PyErr::value_error("Empty module name"));
        }
        name.to_owned()
    };
    let module = import_module(&full)?;
    let from: Vec<ObjRef> = if fromlist.is(none()) {
        Vec::new()
    } else {
        weft_containers::list::collect_iterable(fromlist)?
    };
    if from.is_empty() {
        if level == 0 {
            // `import a.b` binds `a`.
            let top = full.split('.').next().unwrap_or(&full);
            return match modules_dict().get(intern(top))? {
                Some(m) => Ok(m),
                None => Ok(module),
            };
        }
        // `from . import` never gets here without a fromlist; `__import__('.x', level=1)`
        // returns the top of the relative name.
        let bound = name.split('.').next().unwrap_or(name);
        if bound.is_empty() {
            return Ok(module);
        }
        let cut = full.len() - (name.len() - bound.len());
        return Ok(modules_dict().get(intern(&full[..cut]))?.unwrap_or(module));
    }
    // `from package import submodule`: import submodules named in the fromlist that are not
    // attributes yet.
    let is_package = module_dict(&module)
        .and_then(|d| dict_get(d, "__path__"))
        .is_some();
    if is_package {
        for f in &from {
            let Some(f) = as_str(f) else { continue };
            if f == "*" {
                continue;
            }
            let has = crate::attr::getattr_opt(&module, intern(f))?.is_some();
            if !has {
                let sub = format!("{full}.{f}");
                match import_module(&sub) {
                    Ok(_) => {}
                    Err(e)
                        if e.kind == ExcKind::ModuleNotFoundError
                            && error_name(&e).as_deref() == Some(sub.as_str()) =>
                    {
                        // Left for IMPORT_FROM to report as `cannot import name`.
                    }
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(module)
}

/// `IMPORT_FROM`: `module.name`, falling back to the submodule `module.name` in `sys.modules`;
/// `ImportError: cannot import name 'x' from 'm'`.
pub fn import_from(module: &Object, name: &Object) -> Result<ObjRef> {
    if let Some(v) = crate::attr::getattr_opt(module, name)? {
        return Ok(v);
    }
    let n = as_str(name).unwrap_or("?");
    let modname = crate::attr::getattr_opt(module, intern("__name__"))?
        .and_then(|m| as_str(&m).map(str::to_owned));
    if let Some(mn) = &modname
        && let Some(sub) = modules_dict().get(intern(&format!("{mn}.{n}")))?
    {
        return Ok(sub);
    }
    let mn = modname.unwrap_or_else(|| "<unknown module name>".to_owned());
    let file = module_dict(module)
        .and_then(|d| dict_get(d, "__file__"))
        .and_then(|f| as_str(&f).map(str::to_owned));
    let initializing = init_list().iter().any(|(x, _)| *x == mn);
    let loc = file.unwrap_or_else(|| "unknown location".to_owned());
    let msg = if initializing {
        format!(
            "cannot import name '{n}' from partially initialized module '{mn}' (most likely due to a circular import) ({loc})"
        )
    } else {
        format!("cannot import name '{n}' from '{mn}' ({loc})")
    };
    Err(import_error(ExcKind::ImportError, msg, Some(&mn)))
}

/// `IMPORT_STAR`: copies the public names (or `__all__`) of `module` into `locals`.
pub fn import_star(module: &Object, locals: &Object) -> Result<()> {
    let names: Vec<ObjRef> = match crate::attr::getattr_opt(module, intern("__all__"))? {
        Some(all) => weft_containers::list::collect_iterable(&all)?,
        None => {
            let d = match module_dict(module) {
                Some(d) => d.to_ref(),
                None => crate::attr::getattr(module, intern("__dict__"))?,
            };
            let keys = match Dict::of(&d) {
                Some(dd) => dd.keys_vec(),
                None => Vec::new(),
            };
            keys.into_iter()
                .filter(|k| as_str(k).is_some_and(|s| !s.starts_with('_')))
                .collect()
        }
    };
    for n in names {
        let v = crate::attr::getattr(module, &n)?;
        match Dict::of(locals) {
            Some(d) => d.set_item(n, v)?,
            None => crate::ops::setitem(locals, &n, v)?,
        }
    }
    Ok(())
}

/// Imports `name` from `sys.path` and runs it as `__main__` (`weft -m name`). Packages run
/// their `__main__` submodule.
pub fn run_module_as_main(name: &str) -> Result<()> {
    let (parent, short) = match name.rsplit_once('.') {
        Some((p, s)) => (Some(p), s),
        None => (None, name),
    };
    let dirs = match parent {
        Some(p) => {
            let pm = import_module(p)?;
            module_dict(&pm)
                .and_then(|d| dict_get(d, "__path__"))
                .map(|p| str_list(&p))
                .ok_or_else(|| not_found(name))?
        }
        None => crate::interp::sys_attr("path")
            .map(|p| str_list(&p))
            .unwrap_or_default(),
    };
    let found = find_in(&dirs, short).ok_or_else(|| {
        PyErr::new(
            ExcKind::ModuleNotFoundError,
            format!("No module named {name}"),
        )
    })?;
    let file = match found {
        Found::File(f) => f,
        Found::Package(d, _) => {
            let m = d.join("__main__.py");
            if !m.is_file() {
                return Err(PyErr::new(
                    ExcKind::ImportError,
                    format!(
                        "No module named {name}.__main__; '{name}' is a package and cannot be directly executed"
                    ),
                ));
            }
            m
        }
    };
    let file = path_display(&file);
    let code = compile_file(&file)?;
    let module = new_module("__main__");
    prepare_module(&module, Some(&file), None);
    module_set(&module, "__package__", str_obj(parent.unwrap_or("")));
    modules_dict().set_item(str_obj("__main__"), module.clone())?;
    exec_module_code(&module, code)
}
