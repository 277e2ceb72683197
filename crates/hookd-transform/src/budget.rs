//! The memory a run may use: an allocator that counts what QuickJS holds and refuses what
//! would go over the budget, noting that it did, so a run stopped by it is reported as out of
//! memory (QuickJS itself then often has no memory left to say so, and throws `null`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rquickjs::allocator::{Allocator, RustAllocator};

pub(crate) struct Budget {
    used: usize,
    limit: usize,
    refused: Arc<AtomicBool>,
}

impl Budget {
    pub(crate) fn new(limit: usize, refused: Arc<AtomicBool>) -> Self {
        Self { used: 0, limit, refused }
    }

    /// Whether `more` bytes fit; notes a refusal when they do not.
    fn fits(&mut self, more: usize) -> bool {
        let fits = self.used.checked_add(more).is_some_and(|n| n <= self.limit);
        if !fits {
            self.refused.store(true, Ordering::Relaxed);
        }
        fits
    }
}

// SAFETY: every block comes from `RustAllocator` and goes back to it; this type only adds up
// their usable sizes, and answers null (which QuickJS handles as out of memory) past the budget.
unsafe impl Allocator for Budget {
    fn alloc(&mut self, size: usize) -> *mut u8 {
        if !self.fits(size) {
            return std::ptr::null_mut();
        }
        let ptr = RustAllocator.alloc(size);
        if !ptr.is_null() {
            // SAFETY: `ptr` was just handed out by `RustAllocator`.
            self.used += unsafe { RustAllocator::usable_size(ptr) };
        }
        ptr
    }

    fn calloc(&mut self, count: usize, size: usize) -> *mut u8 {
        // `RustAllocator` panics on an overflowing product; a script must not reach a panic.
        let Some(total) = count.checked_mul(size) else { return std::ptr::null_mut() };
        if !self.fits(total) {
            return std::ptr::null_mut();
        }
        let ptr = RustAllocator.calloc(count, size);
        if !ptr.is_null() {
            // SAFETY: as in `alloc`.
            self.used += unsafe { RustAllocator::usable_size(ptr) };
        }
        ptr
    }

    unsafe fn dealloc(&mut self, ptr: *mut u8) {
        if ptr.is_null() {
            return;
        }
        // SAFETY: QuickJS frees only what this allocator gave it.
        unsafe {
            self.used = self.used.saturating_sub(RustAllocator::usable_size(ptr));
            RustAllocator.dealloc(ptr);
        }
    }

    unsafe fn realloc(&mut self, ptr: *mut u8, new_size: usize) -> *mut u8 {
        if ptr.is_null() {
            return self.alloc(new_size);
        }
        // SAFETY: as in `dealloc`.
        let old = unsafe { RustAllocator::usable_size(ptr) };
        if new_size > old && !self.fits(new_size - old) {
            return std::ptr::null_mut();
        }
        // SAFETY: as in `dealloc`; a null answer leaves the old block in place.
        let moved = unsafe { RustAllocator.realloc(ptr, new_size) };
        if !moved.is_null() {
            // SAFETY: `moved` was just handed out by `RustAllocator`.
            self.used = self.used.saturating_sub(old) + unsafe { RustAllocator::usable_size(moved) };
        }
        moved
    }

    unsafe fn usable_size(ptr: *mut u8) -> usize {
        // SAFETY: as in `dealloc`.
        unsafe { RustAllocator::usable_size(ptr) }
    }
}
