//! Ten million uncontended one-object critical sections, for counting instructions with
//! callgrind (see weft-refcount's `pair_loop` example for the method).

use std::hint::black_box;

fn main() {
    let m = weft_sync::RawMutex::new();
    let n = if std::env::args().nth(1).as_deref() == Some("none") {
        0
    } else {
        10_000_000u64
    };
    let mut x = 0u64;
    for _ in 0..n {
        weft_object::critical_section::with_mutex(black_box(&m), || x += 1);
    }
    black_box(x);
}
