//! Push and pop allocate nothing in the steady state: counted with a global allocator that
//! counts the calling thread's allocations (both variants).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;

use weft_frame::{CHUNK_SLOTS, CodeInfo, FrameInit, with_stack};
use weft_object::{int_from_i64, none};

struct Counting;

std::thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

fn bump() {
    let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: forwards every call to the system allocator unchanged; counting touches only a
// const-initialised thread-local (no allocation, no re-entry).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump();
        // SAFETY: the caller's contract is forwarded.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump();
        // SAFETY: the caller's contract is forwarded.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump();
        // SAFETY: the caller's contract is forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocs() -> u64 {
    ALLOCS.with(Cell::get)
}

fn code(n_locals: usize, stack: u32) -> Arc<CodeInfo> {
    let names: Vec<String> = (0..n_locals).map(|i| format!("v{i}")).collect();
    Arc::new(
        CodeInfo::new("f", "a.py", 1)
            .with_locals(names)
            .with_stack_size(stack),
    )
}

#[test]
fn push_pop_allocates_nothing_after_warm_up() {
    let _attached = weft_refcount::attach();
    let base = code(4, 4);
    let filler = code(CHUNK_SLOTS - 16, 2);
    let callee = code(6, 10);
    let globals = none().to_ref();
    let init = |c: &Arc<CodeInfo>| FrameInit::new(c.clone(), globals.clone(), none().to_ref());
    with_stack(|ds| {
        let run = |n: i64| {
            for i in 0..n {
                // A call at depth 1 <-> 2, then calls that cross into a second chunk.
                ds.push(init(&callee)).unwrap();
                ds.set_local(0, Some(int_from_i64(i % 200)));
                ds.push_value(ds.local(0));
                ds.push_value(Some(int_from_i64(3)));
                ds.push_args(init(&callee), 2).unwrap();
                ds.set_ip(7);
                weft_frame::safe_point();
                ds.pop();
                ds.pop();
                ds.push(init(&filler)).unwrap();
                ds.push(init(&callee)).unwrap();
                ds.push(init(&callee)).unwrap();
                ds.pop();
                ds.pop();
                ds.pop();
            }
        };
        ds.push(init(&base)).unwrap();
        run(3);
        let stats = ds.chunk_stats();
        // The counter works.
        let probe = allocs();
        drop(std::hint::black_box(Box::new(1u64)));
        assert_eq!(allocs(), probe + 1);
        let before = allocs();
        run(10_000);
        let after = allocs();
        assert_eq!(
            after - before,
            0,
            "heap allocations in 10,000 steady-state rounds"
        );
        assert_eq!(ds.chunk_stats(), stats);
        ds.pop_all();
    });
}
