//! Frame benchmarks: pushing and popping an interpreter frame on the thread's data stack
//! against a `Box` allocation of the same number of slots, one pair per iteration.
//!
//! The frame has 16 slots (8 locals, 8 value-stack entries) and is pushed on top of a caller
//! frame, as a call is. The push retains the code (`Arc` clone) and the namespaces (immortal
//! objects here), the pop clears the slots and releases them; the box is allocated with its
//! slots unbound and freed (`box_alloc`), or also holding the same retained references
//! (`box_alloc_with_refs`).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use weft_frame::{CodeInfo, FrameInit, Slot, with_stack};
use weft_object::none;

const LOCALS: usize = 8;
const STACK: usize = 8;
const SLOTS: usize = LOCALS + STACK;

fn push_pop(c: &mut Criterion) {
    let _attached = weft_refcount::attach();
    let mut g = c.benchmark_group("frame");
    let names: Vec<String> = (0..LOCALS).map(|i| format!("v{i}")).collect();
    let code = Arc::new(
        CodeInfo::new("f", "bench.py", 1)
            .with_locals(names)
            .with_stack_size(STACK as u32),
    );
    assert_eq!(code.n_slots(), SLOTS);
    let init = FrameInit::new(code.clone(), none().to_ref(), none().to_ref());
    with_stack(|ds| {
        ds.push(init.clone()).unwrap();
        g.bench_function("push_pop", |b| {
            b.iter(|| {
                ds.push(black_box(&init).clone()).unwrap();
                ds.pop();
            })
        });
        ds.pop_all();
    });
    g.bench_function("box_alloc", |b| {
        b.iter(|| {
            let frame: Box<[Slot; SLOTS]> = Box::new(std::array::from_fn(|_| None));
            drop(black_box(frame));
        })
    });
    // The same box also holding what a frame retains (code, namespaces), for a like-for-like
    // comparison of the reference traffic.
    g.bench_function("box_alloc_with_refs", |b| {
        b.iter(|| {
            let slots: [Slot; SLOTS] = std::array::from_fn(|_| None);
            let frame = Box::new((black_box(&init).clone(), slots));
            drop(black_box(frame));
        })
    });
    // The eval breaker's check with no snapshot requested.
    g.bench_function("safe_point", |b| b.iter(weft_frame::safe_point));
    g.finish();
}

// criterion's macros generate undocumented items.
#[allow(missing_docs)]
mod harness {
    use super::*;
    criterion_group!(benches, push_pop);
}
criterion_main!(harness::benches);
