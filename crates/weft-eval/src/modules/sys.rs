//! The `sys` module: `argv`, `path`, `modules`, `exit`, the standard streams, version
//! information, recursion limit, `_getframe`, `exc_info`, ...

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use weft_sync::shim::Mutex;

use crate::modules::str_obj;
use weft_containers::dict::{self, Dict};
use weft_containers::tuple::{PyTuple, TUPLE_TYPE, tuple_getitem, tuple_richcompare};
use weft_containers::{new_list, new_tuple};
use weft_object::scalar::int::Int;
use weft_object::types::OBJECT_TYPE;
use weft_object::{
    ExcKind, ObjRef, Object, Payload, PyErr, Slots, TypeObject, bool_obj, int_from_i64, intern,
    none,
};

use super::io::native_getattr;
use crate::core::{self, Args, Global, Result, module_add_fn, module_set, new_module, type_err};

static SYS: Global = Global::new();
static MODULES: Global = Global::new();
static MADE: OnceLock<()> = OnceLock::new();

/// `-X` options given on the command line (`sys._xoptions`), set before start-up.
static XOPTIONS: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// The recursion limit new threads start with (`sys.setrecursionlimit` updates it).
static RECURSION_LIMIT: AtomicUsize = AtomicUsize::new(0);

/// The weft version.
pub const WEFT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// `sys.version`.
pub fn version_string() -> String {
    format!("3.11.0 (weft {WEFT_VERSION}, {} build)", crate::VARIANT)
}

/// Records a `-X name[=value]` option for `sys._xoptions` (call before [`crate::interp::init`]).
pub fn add_xoption(opt: &str) {
    let (k, v) = match opt.split_once('=') {
        Some((k, v)) => (k.to_owned(), v.to_owned()),
        None => (opt.to_owned(), String::new()),
    };
    XOPTIONS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push((k, v));
}

/// The `sys.modules` dict.
pub fn modules() -> &'static Object {
    MODULES.get(dict::new)
}

/// The `sys` module, if it was made already (never makes it).
pub fn sys_module_if_made() -> Option<&'static Object> {
    MADE.get()?;
    Some(sys_module())
}

/// The recursion limit a new thread should start with.
pub fn recursion_limit() -> usize {
    match RECURSION_LIMIT.load(Ordering::Relaxed) {
        0 => weft_frame::DEFAULT_RECURSION_LIMIT,
        n => n,
    }
}

/// Sets `sys.argv`.
pub fn set_argv(argv: &[String]) {
    let l = new_list(argv.iter().map(str_obj).collect());
    module_set(sys_module(), "argv", l);
}

/// Sets `sys.path` to `first` (the script's directory, or `''`) then `$PYTHONPATH`'s entries.
pub fn set_path(first: &str) {
    let mut items = vec![str_obj(first)];
    if let Ok(pp) = std::env::var("PYTHONPATH") {
        for p in pp.split(':').filter(|p| !p.is_empty()) {
            items.push(str_obj(p));
        }
    }
    module_set(sys_module(), "path", new_list(items));
}

/// The `sys` module (made on first use).
pub fn sys_module() -> &'static Object {
    let m = SYS.get(make_sys);
    let _ = MADE.set(());
    m
}

fn make_sys() -> ObjRef {
    let m = new_module("sys");
    module_set(&m, "modules", modules().to_ref());
    module_set(&m, "argv", new_list(vec![str_obj("")]));
    module_set(&m, "path", new_list(vec![str_obj("")]));
    module_set(&m, "version", str_obj(version_string()));
    module_set(&m, "version_info", version_info());
    module_set(&m, "hexversion", int_from_i64(0x030B00F0));
    module_set(&m, "implementation", ObjRef::new(Implementation));
    module_set(&m, "flags", ObjRef::new(Flags));
    module_set(&m, "maxsize", int_from_i64(i64::MAX));
    module_set(&m, "maxunicode", int_from_i64(0x10FFFF));
    module_set(&m, "platform", str_obj(std::env::consts::OS));
    module_set(
        &m,
        "byteorder",
        str_obj(if cfg!(target_endian = "little") {
            "little"
        } else {
            "big"
        }),
    );
    let exe = std::env::current_exe()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    module_set(&m, "executable", str_obj(exe));
    module_set(&m, "prefix", str_obj("/usr/local"));
    module_set(&m, "api_version", int_from_i64(1013));
    module_set(
        &m,
        "copyright",
        str_obj("weft: a free-threaded Python runtime"),
    );
    module_set(&m, "stdin", super::io::stdin_object().to_ref());
    module_set(&m, "stdout", super::io::stdout_object().to_ref());
    module_set(&m, "stderr", super::io::stderr_object().to_ref());
    module_set(&m, "__stdin__", super::io::stdin_object().to_ref());
    module_set(&m, "__stdout__", super::io::stdout_object().to_ref());
    module_set(&m, "__stderr__", super::io::stderr_object().to_ref());
    module_set(&m, "dont_write_bytecode", bool_obj(true));
    let names: Vec<ObjRef> = super::BUILTIN_MODULE_NAMES
        .iter()
        .chain(["builtins"].iter())
        .map(str_obj)
        .collect();
    module_set(&m, "builtin_module_names", new_tuple(names));
    let xo = dict::new();
    {
        let d = Dict::of(&xo).expect("dict");
        for (k, v) in XOPTIONS.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            let v = if v.is_empty() {
                bool_obj(true)
            } else {
                str_obj(v)
            };
            let _ = d.set_item(str_obj(k), v);
        }
    }
    module_set(&m, "_xoptions", xo);
    module_add_fn(&m, "exit", sys_exit);
    module_add_fn(&m, "getrefcount", sys_getrefcount);
    module_add_fn(&m, "getrecursionlimit", sys_getrecursionlimit);
    module_add_fn(&m, "setrecursionlimit", sys_setrecursionlimit);
    module_add_fn(&m, "_getframe", sys_getframe);
    module_add_fn(&m, "intern", sys_intern);
    module_add_fn(&m, "exc_info", sys_exc_info);
    module_add_fn(&m, "exception", sys_exception);
    module_add_fn(&m, "_is_gil_enabled", sys_is_gil_enabled);
    module_add_fn(&m, "getdefaultencoding", |_| Ok(str_obj("utf-8")));
    module_add_fn(&m, "getfilesystemencoding", |_| Ok(str_obj("utf-8")));
    module_add_fn(&m, "getsizeof", sys_getsizeof);
    module_add_fn(&m, "getswitchinterval", |_| Ok(ObjRef::new(0.005f64)));
    module_add_fn(&m, "setswitchinterval", |_| Ok(none().to_ref()));
    module_add_fn(&m, "get_int_max_str_digits", |_| {
        Ok(int_from_i64(
            weft_object::scalar::int::max_str_digits() as i64
        ))
    });
    module_add_fn(&m, "set_int_max_str_digits", sys_set_int_max_str_digits);
    module_add_fn(&m, "excepthook", sys_excepthook);
    module_set(
        &m,
        "__excepthook__",
        core::new_builtin("excepthook", sys_excepthook),
    );
    Dict::of(modules())
        .expect("dict")
        .set_item(str_obj("sys"), m.clone())
        .expect("str keys never fail");
    m
}

/// A new `sys.version_info` object.
fn version_info() -> ObjRef {
    ObjRef::with_type(
        PyTuple::new(vec![
            int_from_i64(3),
            int_from_i64(11),
            int_from_i64(0),
            str_obj("final"),
            int_from_i64(0),
        ]),
        &VERSION_INFO_TYPE,
    )
}

fn sys_exit(args: &Args<'_>) -> Result<ObjRef> {
    args.check("exit", 0, 1)?;
    let code = args.pos().first().cloned();
    let exc_ty = crate::exceptions::exc_type(ExcKind::SystemExit);
    let exc = match code {
        None => crate::call::call(exc_ty.as_object(), &[], &[])?,
        Some(c) => crate::call::call(exc_ty.as_object(), &[c], &[])?,
    };
    Err(crate::exceptions::from_object(exc))
}

fn sys_getrefcount(args: &Args<'_>) -> Result<ObjRef> {
    args.check("getrefcount", 1, 1)?;
    let o = &args.all[0];
    if o.refcount().is_immortal() {
        return Ok(int_from_i64(u32::MAX as i64));
    }
    Ok(int_from_i64(o.count() as i64))
}

fn sys_getrecursionlimit(args: &Args<'_>) -> Result<ObjRef> {
    args.check("getrecursionlimit", 0, 0)?;
    Ok(int_from_i64(
        weft_frame::with_stack(|ds| ds.recursion_limit()) as i64,
    ))
}

fn sys_setrecursionlimit(args: &Args<'_>) -> Result<ObjRef> {
    args.check("setrecursionlimit", 1, 1)?;
    let n = args.all[0]
        .downcast::<Int>()
        .filter(|_| !args.all[0].ty().is_subtype(&weft_object::types::FLOAT_TYPE))
        .ok_or_else(|| PyErr::type_error("'float' object cannot be interpreted as an integer"))?;
    let n = n.as_i64().unwrap_or(i64::MAX);
    if n < 1 {
        return Err(PyErr::value_error(
            "recursion limit must be greater or equal than 1",
        ));
    }
    let n = n.min(i32::MAX as i64) as usize;
    let depth = weft_frame::with_stack(|ds| ds.depth());
    if n <= depth {
        return Err(PyErr::new(
            ExcKind::RecursionError,
            format!(
                "cannot set the recursion limit to {n} at the recursion depth {depth}: the limit is too low"
            ),
        ));
    }
    RECURSION_LIMIT.store(n, Ordering::Relaxed);
    weft_frame::with_stack(|ds| ds.set_recursion_limit(n));
    Ok(none().to_ref())
}

/// The frame object of the calling thread's running Python frame (`sys._getframe()`).
pub(crate) fn current_frame() -> Option<ObjRef> {
    install_frame_attrs();
    weft_frame::with_stack(|ds| {
        let top = ds.depth().checked_sub(1)?;
        ds.frame_object(top)
    })
}

fn sys_getframe(args: &Args<'_>) -> Result<ObjRef> {
    args.check("_getframe", 0, 1)?;
    let depth = match args.all.first() {
        None => 0,
        Some(d) => match d.downcast::<Int>().and_then(Int::as_i64) {
            Some(n) => n,
            None => return type_err("an integer is required"),
        },
    };
    install_frame_attrs();
    let depth = depth.max(0) as usize;
    let f = weft_frame::with_stack(|ds| {
        let top = ds.depth().checked_sub(1 + depth)?;
        ds.frame_object(top)
    });
    f.ok_or_else(|| PyErr::value_error("call stack is not deep enough"))
}

fn sys_intern(args: &Args<'_>) -> Result<ObjRef> {
    args.check("intern", 1, 1)?;
    match core::as_str(&args.all[0]) {
        Some(s) => Ok(intern(s).to_ref()),
        None => type_err(format!(
            "intern() argument must be str, not {}",
            args.all[0].ty().name
        )),
    }
}

fn sys_exc_info(args: &Args<'_>) -> Result<ObjRef> {
    args.check("exc_info", 0, 0)?;
    Ok(match crate::eval::current_exception() {
        None => new_tuple(vec![none().to_ref(), none().to_ref(), none().to_ref()]),
        Some(e) => new_tuple(vec![
            e.ty().as_object().to_ref(),
            e.clone(),
            none().to_ref(),
        ]),
    })
}

fn sys_exception(args: &Args<'_>) -> Result<ObjRef> {
    args.check("exception", 0, 0)?;
    Ok(crate::eval::current_exception().unwrap_or_else(|| none().to_ref()))
}

fn sys_is_gil_enabled(args: &Args<'_>) -> Result<ObjRef> {
    args.check("_is_gil_enabled", 0, 0)?;
    Ok(bool_obj(crate::VARIANT == "gil"))
}

fn sys_getsizeof(args: &Args<'_>) -> Result<ObjRef> {
    args.check_pos("getsizeof", 1, 2)?;
    Ok(int_from_i64((std::mem::size_of::<usize>() * 4) as i64))
}

fn sys_set_int_max_str_digits(args: &Args<'_>) -> Result<ObjRef> {
    const F: &str = "set_int_max_str_digits";
    args.only_kwargs(F, &["maxdigits"])?;
    if args.pos().len() > 1 {
        return type_err(format!(
            "{F}() takes at most 1 argument ({} given)",
            args.all.len()
        ));
    }
    let v = args.arg(0, "maxdigits").ok_or_else(|| {
        PyErr::type_error(format!(
            "{F}() missing required argument 'maxdigits' (pos 1)"
        ))
    })?;
    // A C int, as in CPython: `__index__`, then `OverflowError` past 32 bits.
    let v = crate::builtins::util::index_int(v)?
        .as_i64()
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(|| {
            PyErr::new(
                ExcKind::OverflowError,
                "Python int too large to convert to C int",
            )
        })?;
    if v != 0 && v < 640 {
        return Err(PyErr::value_error("maxdigits must be 0 or larger than 640"));
    }
    weft_object::scalar::int::set_max_str_digits(v as usize);
    Ok(none().to_ref())
}

fn sys_excepthook(args: &Args<'_>) -> Result<ObjRef> {
    args.check("excepthook", 3, 3)?;
    let text = crate::traceback::format_exception(&args.all[1]);
    super::write_stderr(&text)?;
    Ok(none().to_ref())
}

// ---------------------------------------------------------------------------------------------
// version_info, implementation, flags
// ---------------------------------------------------------------------------------------------

/// The type of `sys.version_info`: a tuple with named fields.
pub static VERSION_INFO_TYPE: TypeObject = TypeObject::new_static::<PyTuple>(
    "sys.version_info",
    Some(&TUPLE_TYPE),
    Slots {
        hash: Some(|o| {
            weft_containers::tuple::hash_items(o.downcast::<PyTuple>().expect("tuple").as_slice())
        }),
        repr: Some(|o| {
            let t = o.downcast::<PyTuple>().expect("tuple");
            let names = ["major", "minor", "micro", "releaselevel", "serial"];
            let mut parts = Vec::new();
            for (n, v) in names.iter().zip(t.as_slice()) {
                parts.push(format!("{n}={}", v.repr()?));
            }
            Ok(format!("sys.version_info({})", parts.join(", ")))
        }),
        richcompare: Some(tuple_richcompare),
        len: Some(|o| Ok(o.downcast::<PyTuple>().expect("tuple").len())),
        getitem: Some(|o, k| {
            if let Some(i) = k.downcast::<Int>().and_then(Int::as_i64) {
                return tuple_getitem(o, i);
            }
            let plain = new_tuple(o.downcast::<PyTuple>().expect("tuple").as_slice().to_vec());
            crate::ops::getitem(&plain, k)
        }),
        iter: Some(|o| Ok(weft_containers::iter::tuple_iter(o))),
        getattr: Some(|o, n| {
            native_getattr(o, n, |n| {
                let t = o.downcast::<PyTuple>().expect("tuple");
                let i = ["major", "minor", "micro", "releaselevel", "serial"]
                    .iter()
                    .position(|x| *x == n)?;
                Some(Ok(t.as_slice()[i].clone()))
            })
        }),
        ..Slots::EMPTY
    },
);

/// `sys.implementation`.
pub struct Implementation;

/// The type of `sys.implementation`.
pub static IMPLEMENTATION_TYPE: TypeObject = TypeObject::new_static::<Implementation>(
    "types.SimpleNamespace",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(|_| {
            Ok(format!(
                "namespace(name='weft', cache_tag=None, version=sys.version_info(major=3, minor=11, micro=0, releaselevel='final', serial=0), weft_version='{WEFT_VERSION}')"
            ))
        }),
        getattr: Some(|o, n| {
            native_getattr(o, n, |n| match n {
                "name" => Some(Ok(str_obj("weft"))),
                "cache_tag" => Some(Ok(none().to_ref())),
                "version" => Some(Ok(version_info())),
                "weft_version" => Some(Ok(str_obj(WEFT_VERSION))),
                "_multiarch" => Some(Ok(str_obj(std::env::consts::ARCH))),
                _ => None,
            })
        }),
        ..Slots::EMPTY
    },
);

impl Payload for Implementation {
    fn type_object() -> &'static TypeObject {
        &IMPLEMENTATION_TYPE
    }
}

/// `sys.flags`.
pub struct Flags;

/// The type of `sys.flags`.
pub static FLAGS_TYPE: TypeObject = TypeObject::new_static::<Flags>(
    "sys.flags",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(|_| {
            Ok("sys.flags(optimize=0, dont_write_bytecode=1, verbose=0, utf8_mode=1, int_max_str_digits=4300)".to_owned())
        }),
        getattr: Some(|o, n| {
            native_getattr(o, n, |n| match n {
                "dont_write_bytecode" | "utf8_mode" => Some(Ok(int_from_i64(1))),
                // The limit the process started with; `sys.set_int_max_str_digits` leaves
                // the flag alone, as in CPython.
                "int_max_str_digits" => Some(Ok(int_from_i64(
                    weft_object::scalar::int::DEFAULT_MAX_STR_DIGITS as i64,
                ))),
                "optimize" | "verbose" | "debug" | "inspect" | "interactive" | "quiet"
                | "no_user_site" | "no_site" | "ignore_environment" | "bytes_warning"
                | "hash_randomization" | "isolated" | "dev_mode" | "safe_path" => {
                    Some(Ok(int_from_i64(0)))
                }
                _ => None,
            })
        }),
        ..Slots::EMPTY
    },
);

impl Payload for Flags {
    fn type_object() -> &'static TypeObject {
        &FLAGS_TYPE
    }
}

// ---------------------------------------------------------------------------------------------
// Frame attributes (`sys._getframe()`)
// ---------------------------------------------------------------------------------------------

/// The `f_code` of a frame object: the frame layer's code info seen as a small code object.
pub struct FrameCode {
    info: std::sync::Arc<weft_frame::CodeInfo>,
}

/// The type of [`FrameCode`].
pub static FRAME_CODE_TYPE: TypeObject = TypeObject::new_static::<FrameCode>(
    "code",
    Some(&OBJECT_TYPE),
    Slots {
        repr: Some(|o| {
            let c = o.downcast::<FrameCode>().expect("code");
            Ok(format!(
                "<code object {} at {:#x}, file \"{}\", line {}>",
                c.info.name(),
                o.id(),
                c.info.filename(),
                c.info.first_line()
            ))
        }),
        hash: Some(crate::class::identity_hash),
        getattr: Some(|o, n| {
            native_getattr(o, n, |n| {
                let c = o.downcast::<FrameCode>().expect("code");
                match n {
                    "co_name" => Some(Ok(str_obj(c.info.name()))),
                    "co_qualname" => Some(Ok(str_obj(c.info.qualname()))),
                    "co_filename" => Some(Ok(str_obj(c.info.filename()))),
                    "co_firstlineno" => Some(Ok(int_from_i64(c.info.first_line() as i64))),
                    "co_varnames" => Some(Ok(new_tuple(
                        c.info.local_names().iter().map(str_obj).collect(),
                    ))),
                    _ => None,
                }
            })
        }),
        ..Slots::EMPTY
    },
);

impl Payload for FrameCode {
    fn type_object() -> &'static TypeObject {
        &FRAME_CODE_TYPE
    }
}

fn frame_arg<'a>(args: &Args<'a>) -> Result<&'a weft_frame::FrameObject> {
    args.all
        .first()
        .and_then(|o| o.downcast::<weft_frame::FrameObject>())
        .ok_or_else(|| PyErr::type_error("a frame object is required"))
}

/// Installs `f_lineno`, `f_back`, `f_code`, `f_globals`, `f_locals`, `f_lasti` on the frame
/// type as properties (once).
pub(crate) fn install_frame_attrs() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let Ok(Some(property)) = Dict::of(crate::builtins::builtins_dict())
            .expect("dict")
            .get(intern("property"))
        else {
            return;
        };
        let props: [(&'static str, core::NativeFn); 7] = [
            ("f_lineno", |a| {
                Ok(int_from_i64(frame_arg(a)?.lineno()? as i64))
            }),
            ("f_lasti", |a| {
                Ok(int_from_i64(frame_arg(a)?.lasti()? as i64 * 2))
            }),
            ("f_back", |a| {
                Ok(frame_arg(a)?.back()?.unwrap_or_else(|| none().to_ref()))
            }),
            ("f_code", |a| {
                Ok(ObjRef::new(FrameCode {
                    info: frame_arg(a)?.code().clone(),
                }))
            }),
            ("f_globals", |a| Ok(frame_arg(a)?.globals().clone())),
            ("f_builtins", |a| Ok(frame_arg(a)?.builtins().clone())),
            ("f_locals", |a| {
                let f = frame_arg(a)?;
                if f.code().name() == "<module>" {
                    return Ok(f.globals().clone());
                }
                let d = dict::new();
                let dd = Dict::of(&d).expect("dict");
                for (k, v) in f.locals()? {
                    let v = match v.downcast::<crate::function::Cell>() {
                        Some(c) => match c.get() {
                            Some(v) => v,
                            None => continue,
                        },
                        None => v,
                    };
                    dd.set_item(str_obj(&k), v)?;
                }
                Ok(d)
            }),
        ];
        for (name, f) in props {
            if let Ok(p) = crate::call::call1(&property, core::new_builtin(name, f)) {
                core::set_type_attr(&weft_frame::FRAME_TYPE, name, p);
            }
        }
    });
}
