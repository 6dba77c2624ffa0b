//! The module's allocator: power-of-two size classes, each with a free list, carved
//! from linear memory with a bump pointer. A few hundred bytes of code instead of
//! dlmalloc's ~5 KB; O(1) allocation and free; a freed block is reused by the next
//! allocation of its class (so steady-state memory stays flat, which the leak tests
//! check), at the price of up to 2× rounding. Single-threaded, as wasm32 here is.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

/// The smallest block (and the alignment every block has).
const MIN: usize = 16;
/// Size classes: 16 B … 2 GiB.
const CLASSES: usize = 28;

/// The class of a request: the smallest power of two ≥ its size (at least 16).
fn class(layout: &Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(MIN);
    let k = usize::BITS
        .saturating_sub(size.saturating_sub(1).leading_zeros())
        .saturating_sub(MIN.trailing_zeros()) as usize;
    (k < CLASSES).then_some(k)
}

/// The heap's state; `grow(bytes)` adds memory and returns where it starts.
pub struct Heap {
    next: usize,
    end: usize,
    free: [usize; CLASSES],
    grow: fn(usize) -> Option<usize>,
}

impl Heap {
    /// An empty heap that gets its memory from `grow`.
    pub const fn new(grow: fn(usize) -> Option<usize>) -> Heap {
        Heap {
            next: 0,
            end: 0,
            free: [0; CLASSES],
            grow,
        }
    }

    /// A block for `layout`, or null.
    ///
    /// # Safety
    /// `self` must only hand out memory `grow` gave it.
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        let Some(k) = class(&layout) else {
            return core::ptr::null_mut();
        };
        let size = MIN << k;
        let head = self.free.get(k).copied().unwrap_or(0);
        if head != 0 && layout.align() <= MIN {
            // SAFETY: a free block holds the address of the next one in its first word.
            let next = unsafe { *(head as *const usize) };
            if let Some(slot) = self.free.get_mut(k) {
                *slot = next;
            }
            return head as *mut u8;
        }
        let align = layout.align().max(MIN);
        let mut start = self.next.next_multiple_of(align);
        if self.next == 0 || start.saturating_add(size) > self.end {
            let want = size.saturating_add(align);
            let Some(base) = (self.grow)(want) else {
                return core::ptr::null_mut();
            };
            let grown_end = base.saturating_add(want.next_multiple_of(PAGE));
            if base != self.end || self.next == 0 {
                // Not contiguous with what we had: start afresh there (the rest of the
                // old region stays unused).
                self.next = base;
            }
            self.end = grown_end;
            start = self.next.next_multiple_of(align);
        }
        self.next = start.saturating_add(size);
        start as *mut u8
    }

    /// Returns a block.
    ///
    /// # Safety
    /// `ptr` must come from [`Heap::alloc`] with the same `layout`.
    pub unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        let Some(k) = class(&layout) else { return };
        if let Some(slot) = self.free.get_mut(k) {
            // SAFETY: the block is at least 16 bytes and ours again.
            unsafe { *(ptr as *mut usize) = *slot };
            *slot = ptr as usize;
        }
    }
}

/// Wasm memory pages are 64 KiB.
const PAGE: usize = 65_536;

/// The global allocator over a [`Heap`].
pub struct Allocator(UnsafeCell<Heap>);

// SAFETY: wasm32-unknown-unknown without threads: one caller at a time.
unsafe impl Sync for Allocator {}

impl Allocator {
    /// An allocator that grows with `grow`.
    pub const fn new(grow: fn(usize) -> Option<usize>) -> Allocator {
        Allocator(UnsafeCell::new(Heap::new(grow)))
    }
}

unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: single-threaded, and no allocation re-enters.
        unsafe { (*self.0.get()).alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above; `ptr` came from `alloc` with `layout`.
        unsafe { (*self.0.get()).dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new) = Layout::from_size_align(new_size, layout.align()) else {
            return core::ptr::null_mut();
        };
        if class(&new) == class(&layout) && layout.align() <= MIN {
            return ptr;
        }
        // SAFETY: as above.
        unsafe {
            let out = self.alloc(new);
            if !out.is_null() {
                core::ptr::copy_nonoverlapping(ptr, out, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            out
        }
    }
}

/// Linear memory grown by whole pages; where the new memory starts.
#[cfg(target_arch = "wasm32")]
pub fn grow_memory(bytes: usize) -> Option<usize> {
    let pages = bytes.div_ceil(PAGE);
    let old = core::arch::wasm32::memory_grow(0, pages);
    (old != usize::MAX).then(|| old.saturating_mul(PAGE))
}

// Native only: the arena below stands in for `memory.grow`.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn arena(bytes: usize) -> Option<usize> {
        // Leaked, page-aligned memory standing in for memory.grow.
        let layout = Layout::from_size_align(bytes.next_multiple_of(PAGE), PAGE).ok()?;
        // SAFETY: a fresh, non-zero layout.
        let p = unsafe { std::alloc::alloc(layout) };
        (!p.is_null()).then_some(p as usize)
    }

    #[test]
    fn classes_are_powers_of_two_from_16() {
        let l = |size, align| Layout::from_size_align(size, align).unwrap();
        assert_eq!(class(&l(1, 1)), Some(0));
        assert_eq!(class(&l(16, 8)), Some(0));
        assert_eq!(class(&l(17, 8)), Some(1));
        assert_eq!(class(&l(32, 8)), Some(1));
        assert_eq!(class(&l(4096, 8)), Some(8));
        assert_eq!(class(&l(8, 64)), Some(2));
        assert_eq!(class(&l(1usize << 40, 8)), None);
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_reused() {
        let mut h = Heap::new(arena);
        let l = |size| Layout::from_size_align(size, 8).unwrap();
        let mut live: Vec<(usize, usize)> = Vec::new();
        for i in 1..2000usize {
            let size = (i * 37) % 5000 + 1;
            let p = unsafe { h.alloc(l(size)) } as usize;
            assert!(p != 0 && p % 16 == 0);
            unsafe { std::ptr::write_bytes(p as *mut u8, 0xAB, size) };
            live.push((p, size));
        }
        let mut spans: Vec<(usize, usize)> = live.clone();
        spans.sort();
        assert!(
            spans.windows(2).all(|w| w[0].0 + w[0].1 <= w[1].0),
            "no overlap"
        );
        let (p, size) = live[10];
        unsafe { h.dealloc(p as *mut u8, l(size)) };
        let again = unsafe { h.alloc(l(size)) } as usize;
        assert_eq!(
            again, p,
            "a freed block serves the next request of its class"
        );
        let big = unsafe { h.alloc(l(10 * PAGE)) } as usize;
        assert!(big != 0 && big % 16 == 0);
        let wide = unsafe { h.alloc(Layout::from_size_align(64, 64).unwrap()) } as usize;
        assert_eq!(wide % 64, 0);
    }
}
