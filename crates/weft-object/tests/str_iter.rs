//! `str` and `bytes` iterators: order, exhaustion, and exactly-once delivery when shared.

use std::sync::Arc;

use weft_object::types::{PyBytes, PyStr};
use weft_object::{ObjRef, Object, str_obj};

fn drain(it: &Object) -> Vec<ObjRef> {
    let next = it.ty().slots.next.expect("an iterator");
    let mut out = Vec::new();
    while let Some(x) = next(it).unwrap() {
        out.push(x);
    }
    out
}

#[test]
fn str_iterates_characters() {
    let _g = weft_refcount::attach();
    let s = str_obj("hé✓x");
    let it = (s.ty().slots.iter.unwrap())(&s).unwrap();
    let chars: Vec<String> = drain(&it)
        .iter()
        .map(|c| c.downcast::<PyStr>().unwrap().as_str().to_owned())
        .collect();
    assert_eq!(chars, ["h", "é", "✓", "x"]);
    assert!(
        drain(&it).is_empty(),
        "an exhausted iterator stays exhausted"
    );
}

#[test]
fn bytes_iterates_ints() {
    let _g = weft_refcount::attach();
    let b = ObjRef::new(PyBytes::new(vec![0u8, 7, 255]));
    let it = (b.ty().slots.iter.unwrap())(&b).unwrap();
    let vals: Vec<String> = drain(&it).iter().map(|v| v.repr().unwrap()).collect();
    assert_eq!(vals, ["0", "7", "255"]);
}

#[test]
fn shared_str_iterator_yields_each_char_once() {
    let text: String = (0..20_000)
        .map(|i| if i % 3 == 0 { 'é' } else { 'a' })
        .collect();
    let _g = weft_refcount::attach();
    let s = str_obj(text.as_str());
    let it = Arc::new((s.ty().slots.iter.unwrap())(&s).unwrap());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let it = it.clone();
            std::thread::spawn(move || {
                let _g = weft_refcount::attach();
                let got = drain(&it);
                let e = got
                    .iter()
                    .filter(|c| c.downcast::<PyStr>().unwrap().as_str() == "é")
                    .count();
                (got.len(), e)
            })
        })
        .collect();
    let (mut n, mut e) = (0, 0);
    for h in handles {
        // Detached while waiting: in the gil build the workers need the GIL.
        let (a, b) = weft_refcount::blocking(|| h.join()).unwrap();
        n += a;
        e += b;
    }
    assert_eq!(n, 20_000);
    assert_eq!(e, 6_667);
}
