//! Type version tags and the type attribute cache: tags change whenever a type or a class on
//! its MRO changes, a cached lookup is served without walking until then, and lookups racing
//! with replacements return the old or the new value, never a freed or third one.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use weft_object::types::{OBJECT_TYPE, PyStr};
use weft_object::{ObjRef, Slots, TypeObject, intern, str_obj, type_cache};

weft_sync::shim_static! {
    static BASE: TypeObject = TypeObject::new_static::<()>("Base", Some(&OBJECT_TYPE), Slots::EMPTY);
}

fn heap_sub(name: &str, base: &'static TypeObject) -> &'static TypeObject {
    let mut tail = vec![base];
    tail.extend_from_slice(&base.mro()[1..]);
    TypeObject::new_heap::<()>(name, Some(base), Slots::EMPTY, Box::new(()), &tail, &[base])
}

#[test]
fn version_tags_are_reset_for_the_type_and_its_subclasses() {
    let a = heap_sub("A", &OBJECT_TYPE);
    let b = heap_sub("B", a);
    let c = heap_sub("C", b);
    let (va, vb, vc) = (a.version_tag(), b.version_tag(), c.version_tag());
    assert!(va != 0 && vb != 0 && vc != 0);
    assert_eq!(
        a.version_tag(),
        va,
        "a tag is stable until the type changes"
    );
    b.modified();
    assert_eq!(
        a.version_tag(),
        va,
        "a base is not affected by its subclass"
    );
    let (vb2, vc2) = (b.version_tag(), c.version_tag());
    assert!(
        vb2 != vb && vc2 != vc,
        "the type and its subclasses get new tags"
    );
    assert!(vb2 > vc && vc2 > vc, "tags are never reused");
    assert_eq!(a.subclasses().len(), 1);
    assert!(c.is_heap() && !OBJECT_TYPE.is_heap());
    assert!(c.is_subtype(a) && !a.is_subtype(c));
    assert_eq!(c.mro().len(), 4);
}

#[test]
fn multiple_inheritance_subtypes_follow_the_mro() {
    let a = heap_sub("MA", &OBJECT_TYPE);
    let b = heap_sub("MB", &OBJECT_TYPE);
    let c = TypeObject::new_heap::<()>(
        "MC",
        Some(a),
        Slots::EMPTY,
        Box::new(()),
        &[a, b, &OBJECT_TYPE],
        &[a, b],
    );
    assert!(c.is_subtype(b), "the second base is on the MRO");
    a.version_tag();
    let vc = c.version_tag();
    b.modified();
    assert_ne!(
        c.version_tag(),
        vc,
        "changing the second base invalidates the subclass"
    );
}

#[test]
fn lookups_are_cached_until_the_type_changes() {
    let _g = weft_refcount::attach();
    let t = heap_sub("Cached", &BASE);
    let name = intern("weft_type_cache_test_attr");
    let walks = AtomicUsize::new(0);
    let value = str_obj("first");
    let walk = |v: &ObjRef| {
        walks.fetch_add(1, Ordering::Relaxed);
        Ok::<_, ()>(Some(v.clone()))
    };
    for _ in 0..5 {
        let got = type_cache::lookup(t, name, || walk(&value))
            .unwrap()
            .unwrap();
        assert!(got.is(&value));
    }
    assert_eq!(walks.load(Ordering::Relaxed), 1, "one walk, then hits");
    BASE.modified();
    let second = str_obj("second");
    let got = type_cache::lookup(t, name, || walk(&second))
        .unwrap()
        .unwrap();
    assert!(got.is(&second), "a change to a base is seen at once");
    assert_eq!(walks.load(Ordering::Relaxed), 2);
    // Absent names are cached too.
    let absent = intern("weft_type_cache_absent");
    for _ in 0..3 {
        let r = type_cache::lookup(t, absent, || {
            walks.fetch_add(1, Ordering::Relaxed);
            Ok::<_, ()>(None)
        });
        assert!(r.unwrap().is_none());
    }
    assert_eq!(walks.load(Ordering::Relaxed), 3);
    // A name that is not immortal is never cached (its address may be reused).
    let mortal = str_obj("weft_type_cache_mortal");
    for _ in 0..2 {
        type_cache::lookup(t, &mortal, || walk(&value)).unwrap();
    }
    assert_eq!(walks.load(Ordering::Relaxed), 5);
}

#[test]
fn readers_racing_with_replacements_see_old_or_new_values_only() {
    const WRITES: usize = 2_000;
    let t = heap_sub("Raced", &OBJECT_TYPE);
    let name = intern("weft_type_cache_raced");
    let current = Arc::new(weft_sync::Mutex::new(str_obj("v0")));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (current, stop, started) = (current.clone(), stop.clone(), started.clone());
            std::thread::spawn(move || {
                let g = weft_refcount::attach();
                started.fetch_add(1, Ordering::AcqRel);
                let mut reads = 0usize;
                loop {
                    for _ in 0..100 {
                        let v = type_cache::lookup(t, name, || {
                            Ok::<_, ()>(Some(current.lock().clone()))
                        })
                        .unwrap()
                        .expect("always defined");
                        let s = v.downcast::<PyStr>().expect("a str").as_str();
                        let n: usize = s[1..].parse().expect("a value the writer stored");
                        assert!(s.starts_with('v') && n <= WRITES, "{s}");
                        reads += 1;
                    }
                    g.check_point();
                    // Detach briefly so the writer gets the GIL in the gil build (its hand-over
                    // is not fair yet), and stop after a bounded number of reads in any case.
                    weft_refcount::blocking(std::thread::yield_now);
                    if stop.load(Ordering::Acquire) || reads >= 400_000 {
                        break;
                    }
                }
                reads
            })
        })
        .collect();
    while started.load(Ordering::Acquire) < 2 {
        std::thread::yield_now();
    }
    {
        let g = weft_refcount::attach();
        for i in 1..=WRITES {
            *current.lock() = str_obj(format!("v{i}"));
            t.modified();
            if i % 50 == 0 {
                g.check_point();
            }
        }
    }
    stop.store(true, Ordering::Release);
    let total: usize = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert!(total > 0);
    let _g = weft_refcount::attach();
    let last = type_cache::lookup(t, name, || Ok::<_, ()>(Some(current.lock().clone())))
        .unwrap()
        .unwrap();
    assert_eq!(
        last.downcast::<PyStr>().unwrap().as_str(),
        format!("v{WRITES}")
    );
}
