//! The allocator of the `duibi` binary: huge pages for large blocks and a fixed glibc
//! mmap threshold (Linux). The library never sets an allocator; results never depend
//! on this module, only start-up time and peak memory.

/// Transparent huge pages for large blocks (Linux).
///
/// The Chinese cut probes a dictionary index of several MiB at random places: the
/// segmenter's 8 MiB table (copied at start-up from the one built at compile time), or
/// jieba-rs's with `--hmm` (some 350 000 inserts at start-up). With 4 KiB pages nearly
/// every probe and insert misses the TLB, and a table costs thousands of page faults.
/// Linux usually gives huge pages only where asked (`transparent_hugepage` in
/// `madvise` mode), so this is the system allocator plus `madvise(MADV_HUGEPAGE)` on
/// the 2 MiB-aligned part of every block of at least 8 MiB: jieba-rs's dictionary built
/// in about a sixth less time with it (measured when jieba was the default cut). Where
/// huge pages are off or `madvise` fails, nothing changes; results never do.
#[cfg(target_os = "linux")]
mod huge_pages {
    use std::alloc::{GlobalAlloc, Layout, System};

    /// The global allocator of the `duibi` binary (the library never sets one).
    pub struct HugePageAlloc;

    const HUGE: usize = 2 << 20;
    /// Smaller blocks keep ordinary pages: a partly used huge page costs memory.
    const MIN: usize = 8 << 20;

    /// Asks for huge pages for the aligned 2 MiB pages inside the block at `p`.
    fn advise(p: *mut u8, size: usize) {
        if p.is_null() || size < MIN {
            return;
        }
        let start = (p as usize).next_multiple_of(HUGE);
        let end = (p as usize).saturating_add(size) & !(HUGE - 1);
        if end > start {
            // SAFETY: [start, end) lies inside the block just allocated, which nothing
            // else uses yet or which its owner is growing; MADV_HUGEPAGE changes only how
            // the kernel backs those pages, never their contents. The result is ignored:
            // failing (huge pages off, old kernel) leaves the ordinary pages.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
    }

    // SAFETY: every call is passed on to `System` unchanged; `advise` only adds a hint
    // about pages of the block returned.
    unsafe impl GlobalAlloc for HugePageAlloc {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = System.alloc(layout);
            advise(p, layout.size());
            p
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let p = System.alloc_zeroed(layout);
            advise(p, layout.size());
            p
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            System.dealloc(ptr, layout)
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = System.realloc(ptr, layout, new_size);
            advise(p, new_size);
            p
        }
    }
}

/// Fixes glibc's mmap threshold at 1 MiB. By default glibc raises the threshold each
/// time a large block is freed, so later large blocks (term tables, bootstrap columns)
/// come from the heap and their memory stays with the process after they are freed;
/// with a fixed threshold they are mapped and unmapped. Peak RSS on the benchmark
/// corpus at 2 threads went from 110–120 MB (varying run to run) to 102 MB, with the
/// same CPU time, in alternating runs. Elsewhere (musl, other systems) it does nothing.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a glibc tunable; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOC: huge_pages::HugePageAlloc = huge_pages::HugePageAlloc;
