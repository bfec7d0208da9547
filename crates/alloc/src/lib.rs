//! A cache of freed small blocks in front of another allocator: one free
//! list per power-of-two size class (8 bytes to 4 KiB). A call into billpay
//! allocates and frees the same few small sizes over and over (a rendered
//! block: 19 allocations, all but one under 64 bytes); popping a list is
//! a few loads, where talc splits and merges gaps on every call. Measured on
//! block renders (fresh processes alternating, paired): a tenth faster in
//! both the storefront ("z") and the Node (opt-level 3) builds.
//!
//! Blocks in a list are never given back to the allocator behind it; wasm
//! memory is never given back to the system either, so what stays is at most
//! the peak use of each class.
//!
//! Only for single-threaded programs: the lists are plain cells, and the
//! type is `Sync` only on wasm32 without the atomics feature.

#![no_std]

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;
use core::ptr;

/// The smallest class: room for the link to the next free block.
const MIN_SHIFT: u32 = 3;
/// Classes of 8, 16, … 4096 bytes.
const CLASSES: usize = 10;
/// Every cached block is allocated with this alignment; requests that need
/// more go straight to the allocator behind.
const ALIGN: usize = 8;

/// `backing` with a free list per size class in front of it.
pub struct SizeClasses<A> {
    backing: A,
    free: [Cell<*mut u8>; CLASSES],
}

impl<A> SizeClasses<A> {
    pub const fn new(backing: A) -> Self {
        SizeClasses {
            backing,
            free: [const { Cell::new(ptr::null_mut()) }; CLASSES],
        }
    }
}

// SAFETY: without threads (wasm32 without the atomics feature) nothing can
// reach the cells from two threads.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl<A: Sync> Sync for SizeClasses<A> {}

/// The class of a request, if it is cached: small enough and aligned to at
/// most `ALIGN`.
fn class(layout: Layout) -> Option<usize> {
    if layout.align() > ALIGN {
        return None;
    }
    let size = layout.size().max(1 << MIN_SHIFT);
    // The power of two at or above `size`.
    let shift = usize::BITS - (size - 1).leading_zeros();
    let index = (shift - MIN_SHIFT) as usize;
    (index < CLASSES).then_some(index)
}

/// What a block of class `index` is allocated as behind the cache.
fn class_layout(index: usize) -> Option<Layout> {
    Layout::from_size_align((1 << MIN_SHIFT) << index, ALIGN).ok()
}

// Not inlined: at opt-level 3 every allocation site took a copy of the
// class lookup (the Node module grew by 70 KB raw), for no measured gain.
unsafe impl<A: GlobalAlloc> GlobalAlloc for SizeClasses<A> {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(index) = class(layout) else {
            // SAFETY: the caller's layout, passed on unchanged.
            return unsafe { self.backing.alloc(layout) };
        };
        let Some(list) = self.free.get(index) else {
            return ptr::null_mut();
        };
        let head = list.get();
        if head.is_null() {
            return match class_layout(index) {
                // SAFETY: a class layout has a non-zero size.
                Some(whole) => unsafe { self.backing.alloc(whole) },
                None => ptr::null_mut(),
            };
        }
        // SAFETY: a block in the list is free, at least 8 bytes long, aligned
        // to 8, and starts with the link that `dealloc` wrote.
        list.set(unsafe { head.cast::<*mut u8>().read() });
        head
    }

    #[inline(never)]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        match class(layout).and_then(|index| self.free.get(index)) {
            Some(list) => {
                // SAFETY: the block came from `alloc` with a layout of this
                // class (the caller's contract), so it is a whole block of the
                // class, aligned to 8: room for the link.
                unsafe { block.cast::<*mut u8>().write(list.get()) };
                list.set(block);
            }
            // SAFETY: not cached, so it came from the allocator behind with
            // this layout.
            None => unsafe { self.backing.dealloc(block, layout) },
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return ptr::null_mut();
        };
        match (class(layout), class(new_layout)) {
            // The block already has the room.
            (Some(old), Some(new)) if old == new => block,
            // SAFETY: neither is cached: the allocator behind owns the block.
            (None, None) => unsafe { self.backing.realloc(block, layout, new_size) },
            _ => {
                // SAFETY: new_layout is valid; the copy stays within both
                // blocks; the old block is given back with its own layout.
                unsafe {
                    let moved = self.alloc(new_layout);
                    if !moved.is_null() {
                        ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                        self.dealloc(block, layout);
                    }
                    moved
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::alloc::System;
    use std::vec::Vec;

    #[test]
    fn classes_are_powers_of_two_up_to_4_kib() {
        let of = |size, align| class(Layout::from_size_align(size, align).ok()?);
        assert_eq!(of(0, 1), Some(0));
        assert_eq!(of(1, 1), Some(0));
        assert_eq!(of(8, 8), Some(0));
        assert_eq!(of(9, 1), Some(1));
        assert_eq!(of(16, 4), Some(1));
        assert_eq!(of(17, 8), Some(2));
        assert_eq!(of(4096, 8), Some(9));
        assert_eq!(of(4097, 1), None);
        assert_eq!(
            of(8, 16),
            None,
            "more alignment than the cached blocks have"
        );
    }

    /// Random allocations, frees and reallocs of every size around the
    /// classes' edges; each live block holds its own pattern, which must be
    /// intact when it is freed or moved.
    #[test]
    fn blocks_keep_their_bytes_and_are_reused() {
        let heap = SizeClasses::new(System);
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        let mut seed = 0x2545_f491_u32;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let sizes = [
            0usize, 1, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 1000, 2048, 4095, 4096, 4097, 10_000,
        ];
        let aligns = [1usize, 2, 4, 8, 16, 64];
        let check = |block: *mut u8, size: usize, tag: u8| {
            for i in 0..size {
                assert_eq!(unsafe { block.add(i).read() }, tag.wrapping_add(i as u8));
            }
        };
        let fill = |block: *mut u8, size: usize, tag: u8| {
            for i in 0..size {
                unsafe { block.add(i).write(tag.wrapping_add(i as u8)) };
            }
        };
        for step in 0..20_000u32 {
            let choice = next() % 10;
            if choice < 5 || live.is_empty() {
                let size = sizes[next() as usize % sizes.len()];
                let align = aligns[next() as usize % aligns.len()];
                let layout = Layout::from_size_align(size, align).unwrap();
                let block = unsafe { heap.alloc(layout) };
                assert!(!block.is_null());
                assert_eq!(block as usize % align, 0, "aligned to {align}");
                let tag = step as u8;
                fill(block, size, tag);
                live.push((block, layout, tag));
            } else if choice < 8 {
                let (block, layout, tag) = live.swap_remove(next() as usize % live.len());
                check(block, layout.size(), tag);
                unsafe { heap.dealloc(block, layout) };
            } else {
                let at = next() as usize % live.len();
                let (block, layout, tag) = live[at];
                check(block, layout.size(), tag);
                let new_size = sizes[next() as usize % sizes.len()];
                let moved = unsafe { heap.realloc(block, layout, new_size) };
                assert!(!moved.is_null());
                assert_eq!(moved as usize % layout.align(), 0);
                check(moved, layout.size().min(new_size), tag);
                fill(moved, new_size, tag);
                live[at] = (
                    moved,
                    Layout::from_size_align(new_size, layout.align()).unwrap(),
                    tag,
                );
            }
        }
        for (block, layout, tag) in live {
            check(block, layout.size(), tag);
            unsafe { heap.dealloc(block, layout) };
        }
    }

    #[test]
    fn a_freed_block_is_the_next_one_of_its_class() {
        let heap = SizeClasses::new(System);
        let small = Layout::from_size_align(20, 4).unwrap();
        let a = unsafe { heap.alloc(small) };
        unsafe { heap.dealloc(a, small) };
        // 17..=32 bytes share a class.
        let b = unsafe { heap.alloc(Layout::from_size_align(32, 8).unwrap()) };
        assert_eq!(a, b);
        unsafe { heap.dealloc(b, Layout::from_size_align(32, 8).unwrap()) };
    }
}
