//! The eval loop, functions, calls and generators, driven through `eval::run_code` on fresh
//! globals; each test asserts on the `repr` of globals the Python snippet computed.

mod support;
use support::{global, raises, repr_r as result, run};

#[test]
fn arithmetic_loop() {
    assert_eq!(
        result("t = 0\nfor i in range(1000):\n    t += i * 2\nr = t\n"),
        "999000"
    );
    assert_eq!(
        result("i = 0\nwhile i < 10:\n    i += 1\n    if i == 5:\n        break\nr = i\n"),
        "5"
    );
}

#[test]
fn closures_and_nonlocal() {
    let src = "\
def counter():
    n = 0
    def inc(k=1):
        nonlocal n
        n += k
        return n
    return inc
c = counter()
c(); c(); c(10)
r = c()
";
    assert_eq!(result(src), "13");
    let src = "\
def outer(x):
    def mid():
        def inner():
            return x * 2
        return inner()
    return mid()
r = [outer(i) for i in range(4)]
";
    assert_eq!(result(src), "[0, 2, 4, 6]");
}

#[test]
fn argument_binding() {
    let src = "\
def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))
r = [f(1, c=3), f(1, 5, 6, 7, c=8, z=9), f(*[1, 2], **{'c': 0, 'd': 1})]
";
    assert_eq!(
        result(src),
        "[(1, 2, (), 3, 4, []), (1, 5, (6, 7), 8, 4, [('z', 9)]), (1, 2, (), 0, 1, [])]"
    );
    let src = "def p(a, /, b, **kw):\n    return (a, b, kw)\nr = p(1, a=2, b=3)\n";
    assert_eq!(result(src), "(1, 3, {'a': 2})");
}

#[test]
fn binding_errors() {
    assert_eq!(
        raises("def f(a, b): pass\nf(1)\n"),
        "TypeError: f() missing 1 required positional argument: 'b'"
    );
    assert_eq!(
        raises("def f(a, b): pass\nf()\n"),
        "TypeError: f() missing 2 required positional arguments: 'a' and 'b'"
    );
    assert_eq!(
        raises("def f(a, b): pass\nf(1, 2, 3)\n"),
        "TypeError: f() takes 2 positional arguments but 3 were given"
    );
    assert_eq!(
        raises("def f(a, b=1): pass\nf(1, 2, 3)\n"),
        "TypeError: f() takes from 1 to 2 positional arguments but 3 were given"
    );
    assert_eq!(
        raises("def f(a): pass\nf(x=1)\n"),
        "TypeError: f() got an unexpected keyword argument 'x'"
    );
    assert_eq!(
        raises("def f(a): pass\nf(1, a=1)\n"),
        "TypeError: f() got multiple values for argument 'a'"
    );
    assert_eq!(
        raises("def f(*, k): pass\nf()\n"),
        "TypeError: f() missing 1 required keyword-only argument: 'k'"
    );
    assert_eq!(
        raises("def f(a, /): pass\nf(a=1)\n"),
        "TypeError: f() got some positional-only arguments passed as keyword arguments: 'a'"
    );
    assert_eq!(
        raises("class C:\n    def m(self): pass\nC().m(1)\n"),
        "TypeError: C.m() takes 1 positional argument but 2 were given"
    );
    assert_eq!(
        raises("def f(a): pass\nf(a=1, **{'a': 2})\n"),
        "TypeError: __main__.f() got multiple values for keyword argument 'a'"
    );
    assert_eq!(
        raises("x = 1\nx()\n"),
        "TypeError: 'int' object is not callable"
    );
}

#[test]
fn name_errors() {
    assert_eq!(
        raises("print(undefined_name)\n"),
        "NameError: name 'undefined_name' is not defined"
    );
    assert_eq!(
        raises("def f():\n    x\n    x = 1\nf()\n"),
        "UnboundLocalError: cannot access local variable 'x' where it is not associated with a value"
    );
}

#[test]
fn try_except_finally_order() {
    let src = "\
log = []
def f():
    try:
        log.append('try')
        raise ValueError('boom')
    except ValueError as e:
        log.append('except ' + str(e))
        return 'ret'
    finally:
        log.append('finally')
r = (f(), log)
";
    assert_eq!(result(src), "('ret', ['try', 'except boom', 'finally'])");
    let src = "\
log = []
for i in range(3):
    try:
        if i == 1:
            continue
        log.append(i)
    finally:
        log.append('f')
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise KeyError('k')
except KeyError as e:
    log.append(type(e.__context__).__name__)
r = log
";
    assert_eq!(result(src), "[0, 'f', 'f', 2, 'f', 'ZeroDivisionError']");
}

#[test]
fn raise_forms() {
    assert_eq!(
        raises("raise\n"),
        "RuntimeError: No active exception to reraise"
    );
    assert_eq!(
        raises("raise 5\n"),
        "TypeError: exceptions must derive from BaseException"
    );
    assert_eq!(
        raises("try:\n    pass\nexcept 5:\n    pass\ntry:\n    1/0\nexcept 5:\n    pass\n"),
        "TypeError: catching classes that do not inherit from BaseException is not allowed"
    );
    let src = "\
try:
    try:
        raise ValueError
    except ValueError as e:
        raise TypeError('t') from e
except TypeError as e:
    r = (type(e.__cause__).__name__, e.__suppress_context__)
";
    assert_eq!(result(src), "('ValueError', True)");
}

#[test]
fn with_statement() {
    let src = "\
log = []
class CM:
    def __enter__(self):
        log.append('enter')
        return 7
    def __exit__(self, t, v, tb):
        log.append(('exit', t.__name__ if t else None))
        return True
with CM() as x:
    log.append(x)
with CM():
    raise ValueError
r = log
";
    assert_eq!(
        result(src),
        "['enter', 7, ('exit', None), 'enter', ('exit', 'ValueError')]"
    );
    assert_eq!(
        raises("with 1:\n    pass\n"),
        "TypeError: 'int' object does not support the context manager protocol"
    );
}

#[test]
fn unpacking() {
    assert_eq!(
        result("a, *b, c = range(5)\nr = (a, b, c)\n"),
        "(0, [1, 2, 3], 4)"
    );
    assert_eq!(
        raises("a, b, c = [1, 2]\n"),
        "ValueError: not enough values to unpack (expected 3, got 2)"
    );
    assert_eq!(
        raises("a, b = (1, 2, 3)\n"),
        "ValueError: too many values to unpack (expected 2)"
    );
    assert_eq!(
        result("x = {'a': 1}\nr = {**x, 'b': 2, **{'a': 3}}\n"),
        "{'a': 3, 'b': 2}"
    );
    assert_eq!(result("r = f'{1+1}-{\"s\"!r:>5}'\n"), "\"2-  's'\"");
}

#[test]
fn generators_send_throw_close() {
    let src = "\
def g():
    got = yield 1
    try:
        yield got
    except KeyError:
        yield 'caught'
    finally:
        log.append('fin')
log = []
it = g()
a = next(it)
b = it.send('sent')
c = it.throw(KeyError)
it.close()
r = (a, b, c, log)
";
    assert_eq!(result(src), "(1, 'sent', 'caught', ['fin'])");
    assert_eq!(
        raises("def g():\n    yield 1\ng().send(2)\n"),
        "TypeError: can't send non-None value to a just-started generator"
    );
    assert_eq!(
        raises(
            "def g():\n    try:\n        yield 1\n    finally:\n        yield 2\nx = g()\nnext(x)\nx.close()\n"
        ),
        "RuntimeError: generator ignored GeneratorExit"
    );
    assert_eq!(
        raises("def g():\n    raise StopIteration\n    yield\nnext(g())\n"),
        "RuntimeError: generator raised StopIteration"
    );
}

#[test]
fn yield_from_return_value() {
    let src = "\
def sub():
    x = yield 1
    yield x
    return 'done'
def outer():
    v = yield from sub()
    yield v
it = outer()
r = [next(it), it.send(5), next(it)]
try:
    next(it)
except StopIteration as e:
    r.append(e.value)
def gen_ret():
    return 3
    yield
try:
    gen_ret().send(None)
except StopIteration as e:
    r.append(e.value)
r.append(list(x * x for x in range(4)))
";
    assert_eq!(result(src), "[1, 5, 'done', None, 3, [0, 1, 4, 9]]");
}

#[test]
fn yield_from_forwards_throw() {
    let src = "\
def sub():
    try:
        yield 1
    except ValueError:
        return 'handled'
def outer():
    r = yield from sub()
    yield r
it = outer()
next(it)
r = it.throw(ValueError)
";
    assert_eq!(result(src), "'handled'");
}

#[test]
fn recursion_error_is_catchable() {
    let src = "\
def f(n):
    return f(n + 1)
try:
    f(0)
except RecursionError as e:
    r = str(e)
";
    assert_eq!(result(src), "'maximum recursion depth exceeded'");
}

#[test]
fn deep_recursion_with_raised_limit_never_crashes() {
    // A 16 MiB thread, like the interpreter's main thread.
    let h = std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(|| {
            weft_eval::eval::set_native_stack_size(16 << 20);
            weft_frame::with_stack(|ds| ds.set_recursion_limit(200_000));
            let src = "\
def f(n):
    return f(n + 1)
try:
    f(0)
except RecursionError:
    r = 'caught'
";
            let r = result(src);
            weft_frame::with_stack(|ds| ds.set_recursion_limit(1000));
            r
        })
        .unwrap();
    assert_eq!(h.join().unwrap(), "'caught'");
}

/// (function name, line) of each traceback entry of the exception `src` raises, outermost
/// first.
fn traceback_lines(src: &str) -> Vec<(String, u32)> {
    let err = run(src).unwrap_err();
    let exc = err.object.expect("an exception object");
    let tb = weft_eval::exceptions::traceback_of(&exc);
    tb.iter().map(|e| (e.name.to_string(), e.line)).collect()
}

#[test]
fn traceback_line_numbers() {
    let src = "\
def inner():
    x = 1
    raise ValueError('v')
def outer():
    inner()
outer()
";
    assert_eq!(
        traceback_lines(src),
        vec![
            ("<module>".to_string(), 6),
            ("outer".to_string(), 5),
            ("inner".to_string(), 3)
        ]
    );
}

#[test]
fn function_attributes() {
    let src = "\
def f(a, b=1, *, c=2):
    'doc'
    return a
f.extra = 5
r = (f.__name__, f.__qualname__, f.__doc__, f.__defaults__, f.__kwdefaults__, f.extra,
     f.__code__.co_varnames, f.__module__, repr(f).startswith('<function f at 0x'),
     hash(f) == hash(f))
";
    assert_eq!(
        result(src),
        "('f', 'f', 'doc', (1,), {'c': 2}, 5, ('a', 'b', 'c'), '__main__', True, True)"
    );
}

#[test]
fn bound_methods() {
    let src = "\
class C:
    def m(self, x):
        return (self.v, x)
c = C()
c.v = 3
m = c.m
r = (m(4), m == c.m, m.__self__ is c, m.__func__ is C.m, repr(m).startswith('<bound method C.m of '))
";
    assert_eq!(result(src), "((3, 4), True, True, True, True)");
}

#[test]
fn class_body_and_super() {
    let src = "\
class A:
    def f(self):
        return 'A'
class B(A):
    x = 1
    y = x + 1
    def f(self):
        return 'B' + super().f()
r = (B().f(), B.y)
";
    assert_eq!(result(src), "('BA', 2)");
}

#[test]
fn generator_reentry_is_refused() {
    let src = "\
def g():
    yield next(it)
it = g()
try:
    next(it)
except ValueError as e:
    r = str(e)
";
    assert_eq!(result(src), "'generator already executing'");
}

#[test]
fn generator_shared_between_threads() {
    let g = run("it = (i for i in range(20000))\n").unwrap();
    let it = global(&g, "it");
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let it = it.clone();
            std::thread::spawn(move || {
                let _attached = weft_refcount::attach();
                let (mut got, mut busy) = (Vec::new(), 0usize);
                loop {
                    match weft_eval::generator::send(&it, weft_object::none().to_ref()) {
                        Ok(weft_eval::generator::Resumed::Yielded(v)) => {
                            got.push(v.repr().unwrap())
                        }
                        Ok(weft_eval::generator::Resumed::Returned(_)) => break,
                        Err(e) => {
                            assert_eq!(e.msg, "generator already executing");
                            busy += 1;
                            // Detached while waiting: in the gil build the other thread
                            // needs the GIL to finish its resumption.
                            weft_refcount::blocking(std::thread::yield_now);
                        }
                    }
                }
                let _ = busy;
                got
            })
        })
        .collect();
    let mut all: Vec<i64> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .map(|s| s.parse().unwrap())
        .collect();
    all.sort();
    assert_eq!(all, (0..20000).collect::<Vec<i64>>());
}

#[test]
fn locals_and_exc_info_in_generators() {
    let src = "\
import sys
def loc(a, b=2):
    c = a + b
    def inner():
        return c
    return sorted(locals().items(), key=lambda kv: kv[0])[:3]
def g():
    try:
        raise ValueError('in gen')
    except ValueError:
        yield sys.exc_info()[0].__name__
    yield sys.exc_info()[0]
try:
    raise KeyError('outer')
except KeyError:
    it = g()
    seen = [next(it), sys.exc_info()[0].__name__]
seen.append(next(it))
r = (loc(1), seen)
";
    assert_eq!(
        result(src),
        "([('a', 1), ('b', 2), ('c', 3)], ['ValueError', 'KeyError', None])"
    );
}

#[test]
fn traceback_through_generator() {
    let src = "\
def gen():
    yield 1
    raise KeyError('k')
def consume():
    for x in gen():
        pass
consume()
";
    assert_eq!(
        traceback_lines(src),
        vec![
            ("<module>".to_string(), 7),
            ("consume".to_string(), 5),
            ("gen".to_string(), 3)
        ]
    );
}
