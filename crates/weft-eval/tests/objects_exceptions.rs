//! Exceptions: the builtin hierarchy, `args`/`str`/`repr`, user subclasses, chaining.

mod support;
use support::{raises as error, str_r as result};
use weft_object::PyErr;

#[test]
fn str_and_repr_of_builtin_exceptions() {
    let src = "r = (str(ValueError()), str(ValueError('x')), str(ValueError(1, 2)), repr(ValueError('x')), repr(KeyError('k')), str(KeyError('k')))\n";
    assert_eq!(
        result(src),
        "('', 'x', '(1, 2)', \"ValueError('x')\", \"KeyError('k')\", \"'k'\")"
    );
}

#[test]
fn user_exception_with_init() {
    let src = "class E(ValueError):\n    def __init__(self, x):\n        super().__init__(f'bad {x}')\n        self.x = x\ntry:\n    raise E(3)\nexcept ValueError as e:\n    r = (str(e), e.args, e.x, repr(e))\n";
    assert_eq!(result(src), "('bad 3', ('bad 3',), 3, \"E('bad 3')\")");
}

#[test]
fn user_exception_repr_with_many_args() {
    assert_eq!(
        result("class MyErr(Exception): pass\nr = repr(MyErr(1, 2))\n"),
        "MyErr(1, 2)"
    );
}

#[test]
fn hierarchy_matches() {
    let src = "r = (issubclass(ZeroDivisionError, ArithmeticError), issubclass(KeyError, LookupError), issubclass(FileNotFoundError, OSError), issubclass(ModuleNotFoundError, ImportError), issubclass(KeyboardInterrupt, Exception))\n";
    assert_eq!(result(src), "(True, True, True, True, False)");
}

#[test]
fn raise_from_sets_cause() {
    let src = "try:\n    raise ValueError('a') from KeyError('b')\nexcept ValueError as e:\n    r = (repr(e.__cause__), e.__suppress_context__)\n";
    assert_eq!(result(src), "(\"KeyError('b')\", True)");
}

#[test]
fn implicit_context() {
    let src = "try:\n    try:\n        1/0\n    except ZeroDivisionError:\n        raise ValueError('v')\nexcept ValueError as e:\n    r = (type(e.__context__).__name__, e.__traceback__ is not None)\n";
    assert_eq!(result(src), "('ZeroDivisionError', True)");
}

#[test]
fn special_attributes() {
    let src = "e = OSError(2, 'No such file', 'x')\nr = (StopIteration(5).value, SystemExit(3).code, SystemExit().code, e.errno, str(e))\n";
    assert_eq!(
        result(src),
        "(5, 3, None, 2, \"[Errno 2] No such file: 'x'\")"
    );
}

#[test]
fn materialize_and_from_object_round_trip() {
    weft_eval::interp::init();
    let _a = weft_refcount::attach();
    let err = PyErr::new(weft_object::ExcKind::IndexError, "list index out of range");
    let exc = weft_eval::exceptions::materialize(&err);
    assert_eq!(exc.ty().name, "IndexError");
    assert_eq!(exc.str().unwrap(), "list index out of range");
    let back = weft_eval::exceptions::from_object(exc.clone());
    assert_eq!(back.kind, weft_object::ExcKind::IndexError);
    assert_eq!(back.msg, "list index out of range");
    assert!(back.object.as_ref().is_some_and(|o| o.is(&exc)));
}

#[test]
fn context_cycles_are_broken() {
    weft_eval::interp::init();
    let _a = weft_refcount::attach();
    let a = weft_eval::exceptions::materialize(&PyErr::new(weft_object::ExcKind::ValueError, "a"));
    let b = weft_eval::exceptions::materialize(&PyErr::new(weft_object::ExcKind::ValueError, "b"));
    weft_eval::exceptions::set_context(&a, Some(b.clone()));
    weft_eval::exceptions::set_context(&b, Some(a.clone()));
    let (_, ctx_b, _) = weft_eval::exceptions::chain_of(&b);
    let (_, ctx_a, _) = weft_eval::exceptions::chain_of(&a);
    assert!(ctx_b.is_some_and(|c| c.is(&a)));
    assert!(ctx_a.is_none(), "the older link is cut");
}

#[test]
fn keyerror_message_from_lower_layers() {
    let src = "try:\n    {}.popitem()\nexcept KeyError as e:\n    r = (str(e), e.args)\n";
    assert_eq!(
        result(src),
        "(\"'popitem(): dictionary is empty'\", ('popitem(): dictionary is empty',))"
    );
}

#[test]
fn key_error_carries_the_key() {
    assert_eq!(error("{}['k']\n"), "KeyError: 'k'");
    assert_eq!(error("{}[(1, 2)]\n"), "KeyError: (1, 2)");
}
