//! The `range_iterator` fast path (`range_iter_next_i64`) and its thread safety: a shared
//! iterator hands every position out exactly once.

use weft_eval::builtins::range::{Range, range_iter, range_iter_next_i64};
use weft_object::scalar::int::Int;

fn range(a: i64, b: i64, c: i64) -> Range {
    Range::new(Int::from_i64(a), Int::from_i64(b), Int::from_i64(c)).expect("valid range")
}

#[test]
fn fast_path_values() {
    let _attached = weft_refcount::attach();
    let it = range_iter(&range(10, 0, -3), false);
    let mut got = Vec::new();
    while let Some(Some(v)) = range_iter_next_i64(&it) {
        got.push(v);
    }
    assert_eq!(got, vec![10, 7, 4, 1]);
    assert_eq!(range_iter_next_i64(&it), Some(None));
    let rev = range_iter(&range(1, 10, 4), true);
    assert_eq!(range_iter_next_i64(&rev), Some(Some(9)));
    // Not a range iterator: the caller must use the generic protocol.
    assert_eq!(range_iter_next_i64(&weft_object::int_from_i64(3)), None);
}

#[test]
fn zero_step_is_refused() {
    let r = Range::new(Int::from_i64(0), Int::from_i64(5), Int::from_i64(0));
    assert!(r.is_err());
}

#[test]
fn shared_iterator_claims_each_item_once() {
    let _attached = weft_refcount::attach();
    let n = 20_000i64;
    let it = range_iter(&range(0, n, 1), false);
    let obj: &weft_object::Object = &it;
    let parts: Vec<Vec<i64>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(move || {
                    let mut mine = Vec::new();
                    while let Some(Some(v)) = range_iter_next_i64(obj) {
                        mine.push(v);
                    }
                    mine
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all: Vec<i64> = parts.into_iter().flatten().collect();
    all.sort_unstable();
    assert_eq!(all, (0..n).collect::<Vec<_>>());
}
