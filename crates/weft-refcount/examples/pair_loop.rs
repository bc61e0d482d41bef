//! Ten million clone + drop pairs of `Rc`, `Arc` or an owned `Brc`, for counting instructions
//! with callgrind, which is exact and unaffected by machine noise:
//!
//! ```text
//! cargo build --release -p weft-refcount [--features nogil] --example pair_loop
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/pair_loop brc
//! ```
//! Subtract the `none` run and divide by 10^7 for instructions per pair.

use std::hint::black_box;

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "brc".into());
    let n: u64 = 10_000_000;
    let _g = weft_refcount::attach();
    match which.as_str() {
        "rc" => {
            let r = std::rc::Rc::new(1u64);
            for _ in 0..n {
                drop(black_box(black_box(&r).clone()));
            }
        }
        "arc" => {
            let r = std::sync::Arc::new(1u64);
            for _ in 0..n {
                drop(black_box(black_box(&r).clone()));
            }
        }
        "brc" => {
            let r = weft_refcount::Brc::new(1u64);
            for _ in 0..n {
                drop(black_box(black_box(&r).clone()));
            }
        }
        "none" => {}
        other => {
            eprintln!("usage: pair_loop rc|arc|brc|none (got {other:?})");
            std::process::exit(2);
        }
    }
}
