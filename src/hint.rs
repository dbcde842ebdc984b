//! CPU hints shared by the stages of the flow (the segmenter's dictionary index, the
//! analysis's vocabulary): they change how fast a result comes, never the result.

/// Asks for the cache line of `x` without waiting for it (a software prefetch into
/// every cache level, where the target has one; nothing elsewhere). The analysis loop
/// asks for the vocabulary records and per-id entries of the next tokens while it
/// works on the current one, and the segmenter for the index slots of a Han run's
/// prefixes before it cuts: most of them are in no cache (a worker's vocabulary holds
/// hundreds of thousands of terms, the shipped dictionary's index 8 MB), and a load
/// that waited for each would stall.
#[inline(always)]
pub(crate) fn prefetch<T>(x: Option<&T>) {
    #[cfg(target_arch = "x86_64")]
    if let Some(r) = x {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: SSE is part of the x86_64 baseline, and a prefetch reads nothing
        // the program sees and never faults (here the address is a reference's).
        unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(r).cast()) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}
