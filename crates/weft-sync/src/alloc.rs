//! The process allocator of the `weft` binary: mimalloc, entered at its unaligned functions.
//!
//! The `mimalloc` crate's `MiMalloc` calls `mi_malloc_aligned(size, align)` for every
//! allocation; for the small, 8- or 16-aligned blocks weft allocates by the million (ints,
//! floats, frames' side buffers) that path costs about 80 instructions (cachegrind), where
//! `mi_malloc` costs about 20. mimalloc guarantees that `mi_malloc` blocks are aligned to
//! `MI_MAX_ALIGN_SIZE` (16) for sizes of 16 and up and to 8 below, so a layout whose alignment
//! is at most 16 and at most its size needs nothing more. Other layouts take the aligned
//! functions, as `MiMalloc` does.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// mimalloc's guaranteed alignment of `mi_malloc` blocks of at least this size.
const MAX_ALIGN: usize = 16;

/// A [`GlobalAlloc`] over mimalloc (see the module docs).
pub struct WeftAlloc;

/// Whether `mi_malloc`'s own alignment satisfies `layout`.
#[inline(always)]
fn plain(layout: &Layout) -> bool {
    // Sizes are multiples of alignments: an 8-byte block is 8-aligned, a 16-byte or bigger one
    // 16-aligned.
    layout.align() <= MAX_ALIGN && layout.align() <= layout.size()
}

// SAFETY: every function forwards to mimalloc, whose blocks satisfy the layouts as argued in
// the module docs; `dealloc` and `realloc` receive blocks that `alloc`/`alloc_zeroed`/`realloc`
// made (GlobalAlloc's contract), all of which `mi_free`/`mi_realloc` accept whichever mimalloc
// function made them.
unsafe impl GlobalAlloc for WeftAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's allocation functions have no preconditions.
        unsafe {
            if plain(&layout) {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe {
            if plain(&layout) {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the caller's contract).
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout` (the caller's contract); the
        // new block keeps `layout.align()`: `mi_realloc`'s by the argument above applied to
        // `new_size` (not below the alignment: `new_size` rounded to it is non-zero).
        unsafe {
            if layout.align() <= MAX_ALIGN && layout.align() <= new_size {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_have_their_layouts_alignment() {
        let a = WeftAlloc;
        for &(size, align) in &[
            (1, 1),
            (8, 8),
            (16, 16),
            (24, 8),
            (48, 16),
            (64, 32),
            (4096, 64),
            (1 << 20, 4096),
        ] {
            let l = Layout::from_size_align(size, align).unwrap();
            // SAFETY: non-zero sizes; each block is freed once below with its layout.
            unsafe {
                let p = a.alloc(l);
                assert!(!p.is_null());
                assert_eq!(p as usize % align, 0, "{size}/{align}");
                p.write_bytes(0xab, size);
                let z = a.alloc_zeroed(l);
                assert_eq!(z as usize % align, 0);
                assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                let r = a.realloc(p, l, size * 3);
                assert_eq!(r as usize % align, 0, "realloc {size}/{align}");
                assert!(
                    std::slice::from_raw_parts(r, size)
                        .iter()
                        .all(|&b| b == 0xab)
                );
                a.dealloc(r, Layout::from_size_align(size * 3, align).unwrap());
                a.dealloc(z, l);
            }
        }
    }
}
