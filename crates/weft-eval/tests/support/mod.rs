//! Shared by the eval-layer integration tests: run a Python snippet as a module and look at the
//! globals it left, or at the exception it raised.
#![allow(dead_code)] // each test file uses a different subset

use weft_compiler::Mode;
use weft_containers::dict::{self, Dict};
use weft_eval::eval::run_code;
use weft_eval::function::Code;
use weft_object::{ObjRef, PyErr, intern, str_obj};

/// Runs `src` as the module `__main__`; returns its globals dict or the error.
pub fn run(src: &str) -> Result<ObjRef, PyErr> {
    weft_eval::interp::init();
    let _attached = weft_refcount::attach();
    let code = weft_compiler::compile(src, "<test>", Mode::Exec).expect("compiles");
    let code = Code::new(code);
    let globals = dict::new();
    Dict::of(&globals)
        .unwrap()
        .set_item(intern("__name__").to_ref(), str_obj("__main__"))
        .unwrap();
    run_code(&code, &globals, None)?;
    Ok(globals)
}

/// The global `name` of `globals`.
pub fn global(globals: &ObjRef, name: &str) -> ObjRef {
    Dict::of(globals)
        .unwrap()
        .get(intern(name))
        .unwrap()
        .unwrap_or_else(|| panic!("global {name} not set"))
}

/// `repr(globals[name])`.
pub fn get(globals: &ObjRef, name: &str) -> String {
    global(globals, name).repr().unwrap()
}

fn r_of(src: &str) -> ObjRef {
    match run(src) {
        Ok(g) => global(&g, "r"),
        Err(e) => panic!("{src:?} raised {}: {}", e.kind.name(), e.msg),
    }
}

/// Runs `src` and returns `repr(r)` of the global `r` it set.
pub fn repr_r(src: &str) -> String {
    r_of(src).repr().unwrap()
}

/// Runs `src` and returns `str(r)` (through the eval layer's `str`).
pub fn str_r(src: &str) -> String {
    let s = weft_eval::ops::str(&r_of(src)).unwrap();
    weft_eval::core::str_of(&s).to_owned()
}

/// Runs `src`, which must raise; returns `Class: message` of the exception object.
pub fn raises(src: &str) -> String {
    match run(src) {
        Ok(_) => panic!("no exception from {src:?}"),
        Err(e) => {
            let exc = weft_eval::exceptions::materialize(&e);
            format!("{}: {}", exc.ty().name, exc.str().unwrap_or_default())
        }
    }
}
