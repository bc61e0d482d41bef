//! The object header, type objects and the scalar objects (both variants).

use std::sync::atomic::{AtomicUsize, Ordering};

use weft_object::scalar::int::Int;
use weft_object::types::{BOOL_TYPE, FLOAT_TYPE, INT_TYPE, OBJECT_TYPE, PyStr, STR_TYPE};
use weft_object::{
    CompareOp, ExcKind, ObjRef, Object, Payload, Slots, TypeObject, bool_obj, int_from_i64,
    int_obj, intern, none, str_obj,
};

#[test]
fn header_size_meets_target() {
    let expect = if cfg!(feature = "nogil") { 24 } else { 16 };
    assert_eq!(std::mem::size_of::<Object>(), expect);
    assert_eq!(std::mem::align_of::<Object>(), 8);
    assert_eq!(
        weft_object::VARIANT,
        if cfg!(feature = "nogil") {
            "nogil"
        } else {
            "gil"
        }
    );
}

#[test]
fn singletons_and_small_ints_are_immortal_and_unique() {
    assert_eq!(none().count(), usize::MAX);
    assert!(int_from_i64(256).is(&int_from_i64(256)));
    assert!(int_from_i64(-5).is(&int_from_i64(-5)));
    assert!(!int_from_i64(257).is(&int_from_i64(257)));
    assert_eq!(int_from_i64(7).count(), usize::MAX);
    let big = int_from_i64(1_000_000);
    assert_eq!(big.count(), 1);
    let b2 = big.clone();
    assert_eq!(big.count(), 2);
    drop(b2);
    assert_eq!(big.count(), 1);
    assert!(bool_obj(true).is_instance(&INT_TYPE));
    assert!(bool_obj(true).ty().is(&BOOL_TYPE));
    assert_eq!(bool_obj(false).repr().unwrap(), "False");
}

#[test]
fn interned_strings_are_identical_and_immortal() {
    let a = intern("weft_name");
    let b = intern(&(String::from("weft_") + "name"));
    assert!(a.is(b));
    assert_eq!(a.count(), usize::MAX);
    assert!(!str_obj("weft_name").is(a));
    assert!(str_obj("weft_name").eq(a).unwrap());
}

#[test]
fn str_hash_is_cached_and_equal_strings_hash_equal() {
    let s = str_obj("héllo wörld");
    let p = s.downcast::<PyStr>().unwrap();
    assert_eq!(p.char_len(), 11);
    assert!(!p.is_ascii());
    let h = s.hash().unwrap();
    assert_eq!(h, str_obj("héllo wörld").hash().unwrap());
    assert_eq!(h, p.hash());
    assert_ne!(h, -1);
    assert_eq!(s.repr().unwrap(), "'héllo wörld'");
    assert!(s.ty().is(&STR_TYPE));
}

#[test]
fn numbers_follow_python_semantics() {
    let add = INT_TYPE.slots.number.add.unwrap();
    let r = add(&int_from_i64(i64::MAX), &int_from_i64(1)).unwrap();
    assert_eq!(r.repr().unwrap(), "9223372036854775808");
    let fdiv = INT_TYPE.slots.number.floordiv.unwrap();
    assert_eq!(
        fdiv(&int_from_i64(-7), &int_from_i64(2))
            .unwrap()
            .repr()
            .unwrap(),
        "-4"
    );
    let e = fdiv(&int_from_i64(1), &int_from_i64(0)).unwrap_err();
    assert_eq!(e.kind, ExcKind::ZeroDivisionError);
    assert_eq!(e.msg, "integer division or modulo by zero");
    let tdiv = INT_TYPE.slots.number.truediv.unwrap();
    assert_eq!(
        tdiv(&int_from_i64(1), &int_from_i64(3))
            .unwrap()
            .repr()
            .unwrap(),
        "0.3333333333333333"
    );
    let f = ObjRef::new(0.5f64);
    assert!(f.ty().is(&FLOAT_TYPE));
    let mixed = add(&int_from_i64(1), &f).unwrap();
    assert_eq!(mixed.repr().unwrap(), "1.5");
    // int and float with equal values are equal and hash equal.
    let two = ObjRef::new(2.0f64);
    assert!(int_from_i64(2).eq(&two).unwrap());
    assert_eq!(int_from_i64(2).hash().unwrap(), two.hash().unwrap());
    // NaN is unequal to itself but `is` still holds.
    let nan = ObjRef::new(f64::NAN);
    assert!(!nan.compare(&nan, CompareOp::Eq).unwrap().is_true().unwrap());
    assert!(nan.eq(&nan).unwrap());
    let big = int_obj(Int::parse("123456789012345678901234567890", 10).unwrap());
    assert!(
        big.compare(&int_from_i64(1), CompareOp::Gt)
            .unwrap()
            .is_true()
            .unwrap()
    );
}

#[test]
fn unsupported_comparison_raises_type_error() {
    let e = int_from_i64(1)
        .compare(&str_obj("a"), CompareOp::Lt)
        .unwrap_err();
    assert_eq!(e.kind, ExcKind::TypeError);
    assert_eq!(
        e.msg,
        "'<' not supported between instances of 'int' and 'str'"
    );
    assert!(!int_from_i64(1).eq(&str_obj("1")).unwrap());
    assert_eq!(none().hash().unwrap(), none().hash().unwrap());
    let unhashable = ObjRef::new(Plain);
    assert_eq!(
        unhashable.hash().unwrap_err().msg,
        "unhashable type: 'Plain'"
    );
}

/// A payload with no slots at all (and no drop counting, unlike `Tracked`).
struct Plain;

weft_sync::shim_static! {
    static PLAIN_TYPE: TypeObject =
        TypeObject::new_static::<Plain>("Plain", Some(&OBJECT_TYPE), Slots::EMPTY);
}

impl Payload for Plain {
    fn type_object() -> &'static TypeObject {
        &PLAIN_TYPE
    }
}

/// Drops of `Tracked`, counted only by `objects_shared_between_threads_are_freed_exactly_once`.
static FREED: AtomicUsize = AtomicUsize::new(0);

struct Tracked(usize);

impl Drop for Tracked {
    fn drop(&mut self) {
        FREED.fetch_add(1, Ordering::SeqCst);
    }
}

weft_sync::shim_static! {
    static TRACKED_TYPE: TypeObject =
        TypeObject::new_static::<Tracked>("Tracked", Some(&OBJECT_TYPE), Slots::EMPTY);
}

impl Payload for Tracked {
    fn type_object() -> &'static TypeObject {
        &TRACKED_TYPE
    }
}

#[test]
fn objects_shared_between_threads_are_freed_exactly_once() {
    let before = FREED.load(Ordering::SeqCst);
    let n = 2_000;
    {
        let g = weft_refcount::attach();
        let objs: Vec<ObjRef> = (0..n).map(|i| ObjRef::new(Tracked(i))).collect();
        let copies: Vec<ObjRef> = objs.to_vec();
        let h = std::thread::spawn(move || {
            let _g = weft_refcount::attach();
            let mut sum = 0;
            for o in &copies {
                sum += o.downcast::<Tracked>().unwrap().0;
                let extra = o.clone();
                drop(extra);
            }
            sum
        });
        let sum = g.blocking(|| h.join().unwrap());
        assert_eq!(sum, n * (n - 1) / 2);
        drop(objs);
        g.check_point();
    }
    weft_refcount::thread_exit();
    assert_eq!(FREED.load(Ordering::SeqCst) - before, n);
}

#[test]
#[should_panic(expected = "does not store")]
fn wrong_layout_is_refused() {
    let _ = ObjRef::with_type(1.0f64, &INT_TYPE);
}

#[test]
fn bitwise_operators_on_bools_give_bools() {
    use weft_object::bool_obj;
    let _g = weft_refcount::attach();
    let and = weft_object::types::BOOL_TYPE.slots.number.and.unwrap();
    let or = weft_object::types::BOOL_TYPE.slots.number.or.unwrap();
    let xor = weft_object::types::BOOL_TYPE.slots.number.xor.unwrap();
    assert_eq!(
        and(&bool_obj(true), &bool_obj(false))
            .unwrap()
            .repr()
            .unwrap(),
        "False"
    );
    assert_eq!(
        or(&bool_obj(true), &bool_obj(false))
            .unwrap()
            .repr()
            .unwrap(),
        "True"
    );
    assert_eq!(
        xor(&bool_obj(true), &bool_obj(true))
            .unwrap()
            .repr()
            .unwrap(),
        "False"
    );
    // With a plain int the result is an int.
    let three = weft_object::int_from_i64(3);
    assert_eq!(and(&bool_obj(true), &three).unwrap().repr().unwrap(), "1");
}
