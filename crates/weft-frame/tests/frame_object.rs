//! Frame objects: made on demand, refused to other threads while live, answered from a copy
//! once popped (both variants).

use std::sync::Arc;
use std::sync::mpsc;

use weft_frame::{
    CodeInfo, FRAME_TYPE, FrameInit, FrameObject, LineTable, OTHER_THREAD_MSG, with_stack,
};
use weft_object::{ExcKind, ObjRef, int_from_i64, none, str_obj};

fn code(name: &str) -> Arc<CodeInfo> {
    Arc::new(
        CodeInfo::new(name, "frames.py", 10)
            .with_locals(["a", "b"])
            .with_cells(["c"])
            .with_stack_size(2)
            .with_lines(LineTable::new(vec![(0, 10), (4, 11), (8, 12)])),
    )
}

fn frame(obj: &ObjRef) -> &FrameObject {
    obj.downcast::<FrameObject>().expect("a frame object")
}

fn names_and_values(locals: &[(Arc<str>, ObjRef)]) -> Vec<(String, String)> {
    locals
        .iter()
        .map(|(n, v)| (n.to_string(), v.repr().unwrap()))
        .collect()
}

#[test]
fn frame_object_is_lazy_cached_and_live_on_the_owner() {
    with_stack(|ds| {
        let globals = str_obj("globals");
        ds.push(FrameInit::new(
            code("outer"),
            globals.clone(),
            none().to_ref(),
        ))
        .unwrap();
        ds.push(FrameInit::new(
            code("inner"),
            globals.clone(),
            none().to_ref(),
        ))
        .unwrap();
        ds.set_local(0, Some(int_from_i64(1)));
        ds.set_ip(5);
        let f1 = ds.top_frame_object().unwrap();
        let f2 = ds.frame_object(1).unwrap();
        assert!(f1.is(&f2), "the same object while the frame lives");
        assert!(std::ptr::eq(f1.ty(), &FRAME_TYPE));
        let f = frame(&f1);
        assert!(f.is_live());
        assert_eq!(f.lineno().unwrap(), 11);
        assert_eq!(f.lasti().unwrap(), 5);
        ds.set_ip(9);
        assert_eq!(
            f.lineno().unwrap(),
            12,
            "a live frame object follows its frame"
        );
        ds.set_local(1, Some(int_from_i64(2)));
        assert_eq!(
            names_and_values(&f.locals().unwrap()),
            [("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        assert!(f.globals().is(&globals));
        assert_eq!(f.code().name(), "inner");
        let back = f.back().unwrap().unwrap();
        assert_eq!(frame(&back).code().name(), "outer");
        assert!(frame(&back).back().unwrap().is_none());
        let repr = f1.repr().unwrap();
        assert!(
            repr.starts_with("<frame at 0x")
                && repr.ends_with(", file 'frames.py', line 12, code inner>"),
            "{repr}"
        );
        ds.pop_all();
    });
}

#[test]
fn frame_object_after_pop_returns_the_copied_line_and_locals() {
    let fobj = with_stack(|ds| {
        ds.push(FrameInit::new(
            code("outer"),
            none().to_ref(),
            none().to_ref(),
        ))
        .unwrap();
        ds.set_ip(8);
        ds.push(FrameInit::new(
            code("inner"),
            none().to_ref(),
            none().to_ref(),
        ))
        .unwrap();
        ds.set_local(0, Some(int_from_i64(42)));
        ds.set_local(2, Some(str_obj("cell")));
        ds.push_value(Some(int_from_i64(7)));
        ds.set_ip(6);
        let fobj = ds.top_frame_object().unwrap();
        ds.pop();
        // The stack changes afterwards; the copy does not.
        ds.set_ip(0);
        ds.push(FrameInit::new(
            code("other"),
            none().to_ref(),
            none().to_ref(),
        ))
        .unwrap();
        ds.set_local(0, Some(int_from_i64(-1)));
        fobj
    });
    let f = frame(&fobj);
    assert!(!f.is_live());
    assert_eq!(f.lineno().unwrap(), 11);
    assert_eq!(f.lasti().unwrap(), 6);
    assert_eq!(
        names_and_values(&f.locals().unwrap()),
        [("a".into(), "42".into()), ("c".into(), "'cell'".into())]
    );
    // f_back was made as the frame was popped; its frame ("outer") is still live here, at
    // the line it had then moved to (0 -> line 10).
    let back = f.back().unwrap().unwrap();
    assert_eq!(frame(&back).code().name(), "outer");
    assert_eq!(frame(&back).lineno().unwrap(), 10);
    // From another thread: the copy, not an error.
    let (line, locals) = std::thread::spawn(move || {
        let f = frame(&fobj);
        (f.lineno().unwrap(), names_and_values(&f.locals().unwrap()))
    })
    .join()
    .unwrap();
    assert_eq!(line, 11);
    assert_eq!(locals.len(), 2);
    with_stack(|ds| ds.pop_all());
}

#[test]
fn clear_drops_the_copied_locals_and_refuses_live_frames() {
    let value = int_from_i64(1 << 45);
    let fobj = with_stack(|ds| {
        ds.push(FrameInit::new(code("f"), none().to_ref(), none().to_ref()))
            .unwrap();
        ds.set_local(0, Some(value.clone()));
        let fobj = ds.top_frame_object().unwrap();
        // A local holding the frame's own object: a cycle once popped.
        ds.set_local(1, Some(fobj.clone()));
        let err = frame(&fobj).clear().unwrap_err();
        assert_eq!(err.kind, ExcKind::RuntimeError);
        assert_eq!(err.msg, "cannot clear an executing frame");
        ds.pop();
        fobj
    });
    assert_eq!(value.count(), 2);
    assert_eq!(fobj.count(), 2, "held by us and by its own copied locals");
    frame(&fobj).clear().unwrap();
    assert_eq!(value.count(), 1);
    assert_eq!(fobj.count(), 1);
    assert!(frame(&fobj).locals().unwrap().is_empty());
    assert_eq!(frame(&fobj).lineno().unwrap(), 10);
}

#[test]
fn live_frame_object_from_another_thread_raises_runtime_error() {
    let (to_reader, from_owner) = mpsc::channel::<ObjRef>();
    let (to_owner, from_reader) = mpsc::channel::<()>();
    let (popped_tx, popped_rx) = mpsc::channel::<()>();
    let owner = std::thread::spawn(move || {
        with_stack(|ds| {
            ds.push(FrameInit::new(
                code("busy"),
                none().to_ref(),
                none().to_ref(),
            ))
            .unwrap();
            ds.set_local(0, Some(int_from_i64(5)));
            ds.set_ip(4);
            to_reader.send(ds.top_frame_object().unwrap()).unwrap();
            // Keep the frame live until the reader has tried.
            from_reader.recv().unwrap();
            ds.pop();
            popped_tx.send(()).unwrap();
        });
    });
    let fobj = from_owner.recv().unwrap();
    let f = frame(&fobj);
    // This thread has a stack of its own; the frame is not on it.
    with_stack(|ds| assert_ne!(ds.id(), f.owner()));
    assert!(f.is_live());
    for err in [
        f.lineno().unwrap_err(),
        f.lasti().unwrap_err(),
        f.locals().unwrap_err(),
        f.back().unwrap_err(),
    ] {
        assert_eq!(err.kind, ExcKind::RuntimeError);
        assert_eq!(err.msg, OTHER_THREAD_MSG);
        assert_eq!(
            err.to_string(),
            "RuntimeError: frame is executing in another thread"
        );
    }
    // Immutable parts are fine from anywhere.
    assert_eq!(f.code().name(), "busy");
    let repr = fobj.repr().unwrap();
    assert!(repr.ends_with(", file 'frames.py', code busy>"), "{repr}");
    // A thread without any stack gets the same error.
    let fobj2 = fobj.clone();
    let err = std::thread::spawn(move || frame(&fobj2).lineno().unwrap_err())
        .join()
        .unwrap();
    assert_eq!(err.msg, OTHER_THREAD_MSG);
    to_owner.send(()).unwrap();
    popped_rx.recv().unwrap();
    // Popped: the copy answers here.
    assert!(!f.is_live());
    assert_eq!(f.lineno().unwrap(), 11);
    assert_eq!(
        names_and_values(&f.locals().unwrap()),
        [("a".into(), "5".into())]
    );
    owner.join().unwrap();
}

#[test]
fn frames_of_an_exited_thread_are_popped_with_copies() {
    let fobj = std::thread::spawn(|| {
        with_stack(|ds| {
            ds.push(FrameInit::new(
                code("left"),
                none().to_ref(),
                none().to_ref(),
            ))
            .unwrap();
            ds.set_ip(9);
            ds.set_local(1, Some(int_from_i64(3)));
            ds.top_frame_object().unwrap()
        })
        // The thread ends with the frame still pushed: its stack's destructor pops it.
    })
    .join()
    .unwrap();
    let f = frame(&fobj);
    assert!(!f.is_live());
    assert_eq!(f.lineno().unwrap(), 12);
    assert_eq!(
        names_and_values(&f.locals().unwrap()),
        [("b".into(), "3".into())]
    );
}

#[test]
fn thread_exit_pops_frames() {
    with_stack(|ds| {
        ds.push(FrameInit::new(code("x"), none().to_ref(), none().to_ref()))
            .unwrap();
    });
    let fobj = with_stack(|ds| ds.top_frame_object().unwrap());
    assert!(frame(&fobj).is_live());
    weft_frame::thread_exit();
    assert!(!frame(&fobj).is_live());
    assert_eq!(frame(&fobj).lineno().unwrap(), 10);
}
