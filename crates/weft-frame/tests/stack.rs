//! The data stack: deep recursion, steady-state reuse of chunks, calls, values, limits, and a
//! model-based property test (both variants).

use std::sync::Arc;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use weft_frame::{CHUNK_SLOTS, CodeInfo, DataStack, FrameInit, LineTable, with_stack};
use weft_object::{ExcKind, ObjRef, int_from_i64, none};

fn code(name: &str, n_locals: usize, stack: u32) -> Arc<CodeInfo> {
    let names: Vec<String> = (0..n_locals).map(|i| format!("v{i}")).collect();
    Arc::new(
        CodeInfo::new(name, "stack_test.py", 1)
            .with_locals(names)
            .with_stack_size(stack)
            .with_lines(LineTable::new(vec![(0, 1), (10, 2), (20, 3)])),
    )
}

fn init(c: &Arc<CodeInfo>) -> FrameInit {
    FrameInit::new(c.clone(), none().to_ref(), none().to_ref())
}

fn int_of(v: &ObjRef) -> i64 {
    v.repr().unwrap().parse().unwrap()
}

#[test]
fn deep_recursion_returns_all_chunks() {
    with_stack(|ds| {
        ds.set_recursion_limit(200_000);
        let c = code("rec", 4, 6); // 10 slots a frame: ~204 frames a chunk
        let before = ds.chunk_stats();
        for i in 0..100_000u32 {
            ds.push(init(&c)).unwrap();
            ds.set_ip(i % 30);
            ds.set_local(0, Some(int_from_i64(i64::from(i % 7))));
        }
        assert_eq!(ds.depth(), 100_000);
        let deep = ds.chunk_stats();
        assert!(
            deep.allocated - before.allocated >= 100_000 * 10 / CHUNK_SLOTS as u64,
            "{deep:?}"
        );
        assert_eq!(deep.allocated - deep.freed, deep.live as u64);
        // A frame deep down is intact.
        assert_eq!(ds.ip_at(490), Some(490 % 30));
        assert_eq!(ds.line(490), Some(2));
        ds.pop_all();
        assert_eq!(ds.depth(), 0);
        let after = ds.chunk_stats();
        // Everything but the bottom chunk and one spare went back.
        assert!(after.live <= 2, "{after:?}");
        assert_eq!(after.allocated - after.freed, after.live as u64);
        ds.release_memory();
        let empty = ds.chunk_stats();
        assert_eq!(empty.live, 0, "{empty:?}");
        assert_eq!(empty.allocated, empty.freed);
    });
}

#[test]
fn push_pop_loop_allocates_no_chunks_after_warm_up() {
    with_stack(|ds| {
        let small = code("small", 2, 4);
        // A frame that fills most of a chunk, so the call below crosses a chunk boundary.
        let filler = code("filler", CHUNK_SLOTS - 8, 0);
        let callee = code("callee", 8, 8);
        ds.push(init(&small)).unwrap();
        ds.push(init(&filler)).unwrap();
        // Warm-up.
        for _ in 0..3 {
            ds.push(init(&callee)).unwrap();
            ds.pop();
        }
        let warm = ds.chunk_stats();
        for i in 0..100_000 {
            ds.push(init(&callee)).unwrap();
            ds.set_local(1, Some(int_from_i64(i)));
            ds.push_value(Some(int_from_i64(i)));
            ds.push(init(&small)).unwrap();
            ds.pop();
            ds.pop();
        }
        assert_eq!(ds.chunk_stats(), warm, "no chunk allocated or freed");
        // At depth 0 <-> 1 too.
        ds.pop_all();
        ds.push(init(&small)).unwrap();
        ds.pop();
        let warm = ds.chunk_stats();
        for _ in 0..10_000 {
            ds.push(init(&small)).unwrap();
            ds.pop();
        }
        assert_eq!(ds.chunk_stats(), warm);
    });
}

#[test]
fn recursion_limit_raises_recursion_error() {
    with_stack(|ds| {
        ds.set_recursion_limit(50);
        let c = code("r", 1, 1);
        for _ in 0..50 {
            ds.push(init(&c)).unwrap();
        }
        let err = ds.push(init(&c)).unwrap_err();
        assert_eq!(err.kind, ExcKind::RecursionError);
        assert_eq!(err.msg, "maximum recursion depth exceeded");
        assert_eq!(ds.depth(), 50);
        ds.pop();
        ds.push(init(&c)).unwrap();
        ds.pop_all();
    });
}

#[test]
fn push_args_moves_caller_values_into_callee_locals() {
    with_stack(|ds| {
        let caller = code("caller", 1, 5);
        let callee = code("callee", 3, 2);
        ds.push(init(&caller)).unwrap();
        ds.push_value(Some(int_from_i64(9)));
        for v in [1, 2, 3] {
            ds.push_value(Some(int_from_i64(v)));
        }
        ds.push_args(init(&callee), 3).unwrap();
        assert_eq!(ds.depth(), 2);
        let got: Vec<i64> = (0..3).map(|i| int_of(&ds.local(i).unwrap())).collect();
        assert_eq!(got, [1, 2, 3]);
        assert_eq!(ds.value_depth(), 0);
        ds.pop();
        assert_eq!(ds.value_depth(), 1);
        assert_eq!(int_of(&ds.pop_value().unwrap()), 9);
        ds.pop();
    });
}

#[test]
fn push_args_across_a_chunk_boundary() {
    with_stack(|ds| {
        let caller = code("caller", CHUNK_SLOTS - 10, 4);
        let callee = code("callee", 20, 0);
        ds.push(init(&caller)).unwrap();
        ds.push_value(Some(int_from_i64(1000)));
        ds.push_value(Some(int_from_i64(2000)));
        ds.push_args(init(&callee), 2).unwrap();
        assert_eq!(ds.chunk_stats().live, 2);
        assert_eq!(int_of(&ds.local(0).unwrap()), 1000);
        assert_eq!(int_of(&ds.local(1).unwrap()), 2000);
        assert!(ds.local(2).is_none());
        ds.pop_all();
    });
}

#[test]
fn pop_releases_every_value() {
    let obj = int_from_i64(1 << 40);
    assert_eq!(obj.count(), 1);
    let globals = int_from_i64(1 << 41);
    with_stack(|ds| {
        let c = code("f", 3, 3);
        for _ in 0..10 {
            ds.push(
                FrameInit::new(c.clone(), globals.clone(), none().to_ref())
                    .with_function(obj.clone()),
            )
            .unwrap();
            ds.set_local(0, Some(obj.clone()));
            ds.set_local(2, Some(obj.clone()));
            ds.push_value(Some(obj.clone()));
            ds.push_value(None);
        }
        assert_eq!(obj.count(), 1 + 10 * 4);
        assert_eq!(globals.count(), 11);
        let top = ds.top_frame_object().unwrap();
        ds.pop_all();
        // The popped frame object keeps its locals (two references) and its globals, and so
        // does each frame object of its f_back chain, made as the frames were popped.
        assert_eq!(obj.count(), 1 + 10 * 2);
        assert_eq!(globals.count(), 1 + 10);
        drop(top);
        assert_eq!(obj.count(), 1);
        assert_eq!(globals.count(), 1);
    });
}

#[test]
fn value_stack_and_locals() {
    with_stack(|ds| {
        let c = code("f", 2, 3);
        ds.push(init(&c)).unwrap();
        assert!(ds.local(0).is_none());
        ds.set_local(1, Some(int_from_i64(5)));
        assert_eq!(int_of(&ds.take_local(1).unwrap()), 5);
        assert!(ds.local(1).is_none());
        ds.push_value(Some(int_from_i64(1)));
        ds.push_value(None);
        ds.push_value(Some(int_from_i64(3)));
        assert_eq!(int_of(&ds.peek_value(0).unwrap()), 3);
        assert!(ds.peek_value(1).is_none());
        assert_eq!(int_of(&ds.peek_value(2).unwrap()), 1);
        assert_eq!(ds.value_depth(), 3);
        ds.set_ip(21);
        assert_eq!(ds.line(0), Some(3));
        assert_eq!(ds.frames()[0].line(), 3);
        ds.pop();
    });
}

#[test]
#[should_panic(expected = "value stack overflow")]
fn value_stack_overflow_panics() {
    with_stack(|ds| {
        ds.push(init(&code("f", 0, 1))).unwrap();
        ds.push_value(None);
        ds.push_value(None);
    });
}

#[test]
fn stacks_are_per_thread_with_distinct_ids() {
    let mine = with_stack(DataStack::id);
    assert_eq!(weft_frame::current_stack_id(), Some(mine));
    let theirs = std::thread::spawn(|| {
        assert_eq!(weft_frame::current_stack_id(), None);
        with_stack(DataStack::id)
    })
    .join()
    .unwrap();
    assert_ne!(mine, theirs);
    // thread_exit ends the stack; the next use makes a new one.
    weft_frame::thread_exit();
    assert_eq!(weft_frame::current_stack_id(), None);
    assert_ne!(with_stack(DataStack::id), mine);
}

// ---- model-based property test ---------------------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    Push {
        n_locals: usize,
        stack: u32,
    },
    PushArgs {
        n_locals: usize,
        stack: u32,
        n_args: usize,
    },
    Pop,
    SetLocal {
        i: usize,
        v: Option<i64>,
    },
    PushValue(Option<i64>),
    PopValue,
    SetIp(u32),
}

fn op() -> impl Strategy<Value = Op> {
    let n_locals =
        prop_oneof![8 => 0usize..6, 1 => Just(CHUNK_SLOTS + 3), 1 => Just(CHUNK_SLOTS / 2)];
    let value = prop_oneof![
        Just(None),
        (-10i64..300).prop_map(Some),
        any::<i64>().prop_map(Some)
    ];
    prop_oneof![
        3 => (n_locals.clone(), 0u32..5).prop_map(|(n_locals, stack)| Op::Push { n_locals, stack }),
        2 => (n_locals, 0u32..5, 0usize..4)
            .prop_map(|(n_locals, stack, n_args)| Op::PushArgs { n_locals, stack, n_args }),
        4 => Just(Op::Pop),
        3 => (0usize..8, value.clone()).prop_map(|(i, v)| Op::SetLocal { i, v }),
        3 => value.prop_map(Op::PushValue),
        2 => Just(Op::PopValue),
        1 => (0u32..40).prop_map(Op::SetIp),
    ]
}

#[derive(Debug)]
struct MFrame {
    locals: Vec<Option<i64>>,
    stack: Vec<Option<i64>>,
    stack_cap: usize,
    ip: u32,
}

const LIMIT: usize = 40;

/// Checks the stack against the model: every frame when `all`, else the top one.
fn check(ds: &DataStack, model: &[MFrame], code_of: &[Arc<CodeInfo>], all: bool) {
    assert_eq!(ds.depth(), model.len());
    let stats = ds.chunk_stats();
    assert_eq!(stats.allocated - stats.freed, stats.live as u64);
    let from = if all {
        0
    } else {
        model.len().saturating_sub(1)
    };
    for (index, m) in model.iter().enumerate().skip(from) {
        assert_eq!(ds.ip_at(index), Some(m.ip));
        assert!(Arc::ptr_eq(&ds.code(index).unwrap(), &code_of[index]));
        let want: Vec<(String, i64)> = m
            .locals
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((format!("v{i}"), (*v)?)))
            .collect();
        let got: Vec<(String, i64)> = ds
            .locals(index)
            .unwrap()
            .iter()
            .map(|(n, v)| (n.to_string(), int_of(v)))
            .collect();
        assert_eq!(got, want, "locals of frame {index}");
    }
    if let Some(top) = model.last() {
        assert_eq!(ds.value_depth(), top.stack.len());
        for (n, v) in top.stack.iter().rev().enumerate() {
            assert_eq!(ds.peek_value(n).as_ref().map(int_of), *v);
        }
    }
}

fn run(ops: &[Op]) {
    with_stack(|ds| {
        ds.set_recursion_limit(LIMIT);
        let tracked = int_from_i64(1 << 50);
        let mut model: Vec<MFrame> = Vec::new();
        let mut code_of: Vec<Arc<CodeInfo>> = Vec::new();
        let obj = |v: Option<i64>| v.map(int_from_i64);
        let mut codes = std::collections::HashMap::new();
        for (n, op) in ops.iter().enumerate() {
            match *op {
                Op::Push { n_locals, stack }
                | Op::PushArgs {
                    n_locals, stack, ..
                } => {
                    let c = codes
                        .entry((n_locals, stack))
                        .or_insert_with(|| code("p", n_locals, stack))
                        .clone();
                    let n_args = match *op {
                        Op::PushArgs { n_args, .. } => {
                            let avail = model.last().map_or(0, |f| f.stack.len());
                            n_args.min(avail).min(n_locals)
                        }
                        _ => 0,
                    };
                    let fi = FrameInit::new(c.clone(), tracked.clone(), none().to_ref());
                    let r = ds.push_args(fi, n_args);
                    if model.len() >= LIMIT {
                        assert_eq!(r.unwrap_err().kind, ExcKind::RecursionError);
                    } else {
                        r.unwrap();
                        let mut locals = vec![None; n_locals];
                        if let Some(caller) = model.last_mut() {
                            let from = caller.stack.len() - n_args;
                            for (k, v) in caller.stack.drain(from..).enumerate() {
                                locals[k] = v;
                            }
                        }
                        model.push(MFrame {
                            locals,
                            stack: Vec::new(),
                            stack_cap: stack as usize,
                            ip: 0,
                        });
                        code_of.push(c);
                    }
                }
                Op::Pop => {
                    if model.pop().is_some() {
                        code_of.pop();
                        ds.pop();
                    }
                }
                Op::SetLocal { i, v } => {
                    if let Some(top) = model.last_mut().filter(|f| !f.locals.is_empty()) {
                        let i = i % top.locals.len();
                        top.locals[i] = v;
                        ds.set_local(i, obj(v));
                    }
                }
                Op::PushValue(v) => {
                    if let Some(top) = model.last_mut().filter(|f| f.stack.len() < f.stack_cap) {
                        top.stack.push(v);
                        ds.push_value(obj(v));
                    }
                }
                Op::PopValue => {
                    if let Some(top) = model.last_mut().filter(|f| !f.stack.is_empty()) {
                        let want = top.stack.pop().unwrap();
                        assert_eq!(ds.pop_value().as_ref().map(int_of), want);
                    }
                }
                Op::SetIp(ip) => {
                    if let Some(top) = model.last_mut() {
                        top.ip = ip;
                        ds.set_ip(ip);
                    }
                }
            }
            check(ds, &model, &code_of, n % 16 == 15 || n + 1 == ops.len());
        }
        ds.pop_all();
        assert_eq!(tracked.count(), 1, "every frame released its globals");
        let s = ds.chunk_stats();
        assert!(s.live <= 2, "{s:?}");
    });
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]
    #[test]
    fn random_push_pop_matches_model(ops in prop::collection::vec(op(), 0..200)) {
        run(&ops);
    }
}

// ---------------------------------------------------------------------------------------------
// Pop releases values in place; frames whose code and namespaces come from their function
// ---------------------------------------------------------------------------------------------

mod reentrant {
    use std::cell::{Cell, RefCell};

    use weft_object::types::OBJECT_TYPE;
    use weft_object::{ObjRef, Payload};
    use weft_object::{Slots, TypeObject};

    /// What a [`Hook`]'s drop does, on the dropping thread's stack.
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub enum Act {
        /// Push and pop a frame (code a drop runs calls a function).
        PushPop,
        /// Make the frame object of the frame being popped (a drop looks at its caller).
        FrameObject,
    }

    /// A payload whose drop uses the thread's data stack.
    pub struct Hook(pub Act);

    std::thread_local! {
        /// Depths the drops saw: (before their own push, after their own pop).
        pub static SEEN: RefCell<Vec<(usize, usize)>> = const { RefCell::new(Vec::new()) };
        /// Frame objects the drops made.
        pub static MADE: RefCell<Vec<ObjRef>> = const { RefCell::new(Vec::new()) };
        pub static DROPS: Cell<usize> = const { Cell::new(0) };
    }

    impl Drop for Hook {
        fn drop(&mut self) {
            DROPS.with(|d| d.set(d.get() + 1));
            weft_frame::with_stack(|ds| match self.0 {
                Act::PushPop => {
                    let before = ds.depth();
                    ds.push(super::init(&super::code("in_drop", 2, 2))).unwrap();
                    ds.set_local(1, Some(weft_object::int_from_i64(1 << 45)));
                    ds.push_value(Some(weft_object::int_from_i64(1 << 46)));
                    ds.pop();
                    SEEN.with(|s| s.borrow_mut().push((before, ds.depth())));
                }
                Act::FrameObject => {
                    let top = ds.depth() - 1;
                    let f = ds.frame_object(top).expect("the frame being popped");
                    MADE.with(|m| m.borrow_mut().push(f));
                }
            });
        }
    }

    static HOOK_TYPE: TypeObject =
        TypeObject::new_static::<Hook>("Hook", Some(&OBJECT_TYPE), Slots::EMPTY);

    impl Payload for Hook {
        fn type_object() -> &'static TypeObject {
            &HOOK_TYPE
        }
    }
}

#[test]
fn a_drop_during_pop_may_push_and_pop_frames() {
    use reentrant::{Act, DROPS, Hook, SEEN};
    use std::cell::Cell;
    let other = int_from_i64(1 << 44);
    with_stack(|ds| {
        let outer = code("outer", 1, 1);
        let inner = code("inner", 3, 3);
        ds.push(init(&outer)).unwrap();
        ds.push(init(&inner)).unwrap();
        ds.set_local(0, Some(ObjRef::new(Hook(Act::PushPop))));
        ds.set_local(1, Some(other.clone()));
        ds.push_value(Some(ObjRef::new(Hook(Act::PushPop))));
        ds.push_value(Some(other.clone()));
        assert_eq!(other.count(), 3);
        ds.pop();
        // Both hooks ran with the popped frame still on the stack (depth 2), and their own
        // frames came and went above it; every value of the frame was released once.
        assert_eq!(DROPS.with(Cell::get), 2);
        assert_eq!(SEEN.with(|s| s.borrow().clone()), vec![(2, 2), (2, 2)]);
        assert_eq!(other.count(), 1);
        assert_eq!(ds.depth(), 1);
        assert_eq!(ds.code(0).unwrap().name(), "outer");
        // The stack is consistent: a new frame reuses the popped one's slots, unbound.
        ds.push(init(&inner)).unwrap();
        assert!((0..3).all(|i| ds.local(i).is_none()));
        assert_eq!(ds.value_depth(), 0);
        ds.pop_all();
    });
}

#[test]
fn a_frame_object_made_during_pop_gets_its_copy() {
    use reentrant::{Act, Hook, MADE};
    with_stack(|ds| {
        let outer = code("outer", 0, 1);
        let inner = code("inner", 2, 1);
        ds.push(init(&outer)).unwrap();
        ds.push(init(&inner)).unwrap();
        ds.set_ip(10);
        ds.set_local(1, Some(ObjRef::new(Hook(Act::FrameObject))));
        ds.pop();
        assert_eq!(ds.depth(), 1);
        let made = MADE
            .with(|m| m.borrow_mut().pop())
            .expect("the drop made a frame object");
        let f = made.downcast::<weft_frame::FrameObject>().unwrap();
        // The frame is gone: the object answers from its copy (line of ip 10, no locals: they
        // were being released), and its f_back is the caller's frame object.
        assert_eq!(f.lineno().unwrap(), 2);
        assert!(f.locals().unwrap().is_empty());
        let back = f.back().unwrap().expect("the caller");
        let back = back.downcast::<weft_frame::FrameObject>().unwrap();
        assert_eq!(back.code().name(), "outer");
        ds.pop_all();
    });
}

mod function_frames {
    use std::sync::Arc;

    use weft_frame::CodeInfo;
    use weft_object::types::OBJECT_TYPE;
    use weft_object::{ObjRef, Object, Payload};
    use weft_object::{Slots, TypeObject};

    /// A stand-in for a Python function: its code and namespaces.
    pub struct Func {
        pub code: Arc<CodeInfo>,
        pub globals: ObjRef,
        pub builtins: ObjRef,
    }

    static FUNC_TYPE: TypeObject =
        TypeObject::new_static::<Func>("Func", Some(&OBJECT_TYPE), Slots::EMPTY);

    impl Payload for Func {
        fn type_object() -> &'static TypeObject {
            &FUNC_TYPE
        }
    }

    pub fn parts(o: &Object) -> (&Arc<CodeInfo>, &ObjRef, &ObjRef) {
        let f = o.downcast::<Func>().expect("a Func");
        (&f.code, &f.globals, &f.builtins)
    }
}

#[test]
fn function_frames_read_code_and_namespaces_from_their_function() {
    use function_frames::{Func, parts};
    let c = code("fn_frame", 2, 2);
    let globals = int_from_i64(1 << 47);
    let builtins = int_from_i64(1 << 48);
    let f = ObjRef::new(Func {
        code: c.clone(),
        globals: globals.clone(),
        builtins: builtins.clone(),
    });
    with_stack(|ds| {
        let init = FrameInit::of_function(f.clone(), parts);
        assert_eq!(init.code().name(), "fn_frame");
        ds.push(init).unwrap();
        // The frame holds one reference, to the function; none to its code or namespaces.
        assert_eq!(f.count(), 2);
        assert_eq!(Arc::strong_count(&c), 2);
        assert_eq!(globals.count(), 2);
        assert_eq!(ds.code(0).unwrap().name(), "fn_frame");
        assert!(ds.globals(0).unwrap().is(&globals));
        assert!(ds.builtins(0).unwrap().is(&builtins));
        assert!(ds.function(0).unwrap().is(&f));
        // Its layout is the code's.
        ds.set_local(1, Some(int_from_i64(5)));
        ds.push_value(Some(int_from_i64(6)));
        ds.push_value(Some(int_from_i64(7)));
        let fo = ds.top_frame_object().unwrap();
        ds.pop();
        let fo = fo.downcast::<weft_frame::FrameObject>().unwrap();
        assert!(fo.globals().is(&globals));
        assert_eq!(fo.code().name(), "fn_frame");
        assert_eq!(f.count(), 1);
    });
}
