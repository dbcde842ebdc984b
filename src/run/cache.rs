//! The files the scan pass read, kept for the analysis pass up to a byte budget.
//!
//! A directory run reads every file twice: once to scan it (passage keys and sketch)
//! and once to analyse it. The scan pass keeps the bytes it read here, in memory up
//! to [`TEXT_CACHE_BYTES`](crate::config::TEXT_CACHE_BYTES), and the analysis pass
//! takes them back (freeing them) and decodes and extracts them
//! ([`Corpus::load_bytes`](crate::corpus::Corpus::load_bytes)) instead of opening and
//! reading the file again. Files that did not fit are read again as before. A file's
//! documents are the same whichever way its bytes come, so the report does not
//! depend on what fitted (which can differ between runs with several threads).
//!
//! **Why bytes, in blocks.** The bytes are copied into blocks of [`BLOCK`] bytes (a
//! block is freed when the last file in it is taken), and nothing else of a file is
//! kept. The cache used to keep each file's documents as loaded: thousands of texts
//! of as many sizes, pinned by the small strings of their metadata, which left the
//! allocator's heap full of free chunks of every size once the analysis pass freed
//! them. With glibc each allocation of a kilobyte or more then walked long sorted
//! lists of those chunks (cache misses all the way): on the benchmark corpus at one
//! thread the run spent about three times as many cycles in `malloc` as with no cache
//! at all. A block is one allocation of its own (mapped apart from the heap under the
//! binary's allocator settings), and what the analysis pass loads from it lives as
//! long as the file's analysis, as when a file is read again.

use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Bytes a kept file is charged for beyond its bytes.
const PER_ITEM: usize = 256;

/// Bytes of one block (a longer file has a block of its own length).
const BLOCK: usize = 1 << 20;

/// Kept files by their index in the corpus's file list, with a byte budget.
#[derive(Debug)]
pub(super) struct TextCache {
    held: Mutex<Held>,
    /// Bytes still free.
    left: AtomicUsize,
}

/// Where a file's bytes are: their block and their place there.
#[derive(Debug, Clone, Copy)]
struct Span {
    block: usize,
    start: usize,
    end: usize,
}

/// A block of files' bytes, and how many of those files are still to be taken.
#[derive(Debug)]
struct Block {
    bytes: Vec<u8>,
    live: usize,
}

/// What the cache holds behind its lock.
#[derive(Debug, Default)]
struct Held {
    files: FxHashMap<usize, Span>,
    /// By number; `None` once every file in it was taken.
    blocks: Vec<Option<Block>>,
}

impl Held {
    /// Copies `bytes` into the last block (a new one when it has no room).
    fn store(&mut self, bytes: &[u8]) -> Span {
        let mut b = match self.blocks.pop() {
            Some(Some(b)) if b.bytes.capacity() - b.bytes.len() >= bytes.len() => b,
            last => {
                self.blocks.extend(last);
                Block {
                    bytes: Vec::with_capacity(BLOCK.max(bytes.len())),
                    live: 0,
                }
            }
        };
        let start = b.bytes.len();
        b.bytes.extend_from_slice(bytes);
        b.live += 1;
        let end = b.bytes.len();
        self.blocks.push(Some(b));
        Span {
            block: self.blocks.len() - 1,
            start,
            end,
        }
    }

    /// The bytes at `s` (`None` if its block is gone); frees the block when they
    /// were the last there.
    fn fetch(&mut self, s: Span) -> Option<Vec<u8>> {
        let slot = self.blocks.get_mut(s.block)?;
        let b = slot.as_mut()?;
        let bytes = b.bytes.get(s.start..s.end).map(<[u8]>::to_vec);
        b.live -= 1;
        if b.live == 0 {
            *slot = None;
        }
        bytes
    }
}

impl TextCache {
    /// An empty cache that keeps at most `budget` bytes (0: keeps nothing).
    pub(super) fn new(budget: usize) -> Self {
        TextCache {
            held: Mutex::new(Held::default()),
            left: AtomicUsize::new(budget),
        }
    }

    /// What keeping `len` bytes costs.
    fn cost(len: usize) -> usize {
        len.saturating_add(PER_ITEM)
    }

    /// Keeps a copy of file `index`'s bytes when they fit the budget left; whether
    /// it did.
    pub(super) fn offer(&self, index: usize, bytes: &[u8]) -> bool {
        let cost = Self::cost(bytes.len());
        let reserved = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(cost)
            })
            .is_ok();
        if !reserved {
            return false;
        }
        let Ok(mut held) = self.held.lock() else {
            self.left.fetch_add(cost, Ordering::Relaxed);
            return false;
        };
        let span = held.store(bytes);
        held.files.insert(index, span);
        true
    }

    /// File `index`'s bytes, if they were kept (taken out: a second call gives
    /// `None`).
    pub(super) fn take(&self, index: usize) -> Option<Vec<u8>> {
        let mut held = self.held.lock().ok()?;
        let span = held.files.remove(&index)?;
        let bytes = held.fetch(span);
        drop(held);
        self.left
            .fetch_add(Self::cost(span.end - span.start), Ordering::Relaxed);
        bytes
    }

    /// Blocks not yet freed.
    #[cfg(test)]
    fn blocks(&self) -> usize {
        self.held
            .lock()
            .map(|h| h.blocks.iter().flatten().count())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_fits_and_gives_it_back_once() {
        let one = TextCache::cost(3);
        let c = TextCache::new(2 * one);
        assert!(c.offer(0, b"abc"));
        assert!(c.offer(1, b"def"));
        // Over budget: not kept, to be read again later.
        assert!(!c.offer(2, b"ghi"));
        assert_eq!(c.take(1).as_deref(), Some(&b"def"[..]));
        assert!(c.take(1).is_none());
        assert!(c.take(2).is_none());
        // Taking frees its share of the budget.
        assert!(c.offer(3, b"jkl"));
        assert_eq!(c.take(3).as_deref(), Some(&b"jkl"[..]));
        assert_eq!(c.take(0).as_deref(), Some(&b"abc"[..]));
    }

    #[test]
    fn a_zero_budget_keeps_nothing() {
        let c = TextCache::new(0);
        assert!(!c.offer(0, b""));
        assert!(c.take(0).is_none());
    }

    #[test]
    fn files_come_back_whole_across_blocks_in_any_order() {
        // Files filling blocks unevenly (some empty, some not UTF-8), and ones longer
        // than a block.
        let files: Vec<Vec<u8>> = (0..60usize)
            .map(|f| match f % 5 {
                0 => Vec::new(),
                1 => "比特币挖矿。".repeat(1 + f * 997 % 9000).into_bytes(),
                2 => format!("file {f} ")
                    .repeat(1 + f * 131 % 20000)
                    .into_bytes(),
                3 => (0..BLOCK / 3 + f).map(|i| (i * 7 + f) as u8).collect(),
                _ => vec![b'x'; BLOCK + 1 + f],
            })
            .collect();
        let c = TextCache::new(usize::MAX);
        for (i, f) in files.iter().enumerate() {
            assert!(c.offer(i, f));
        }
        assert!(c.blocks() >= 12, "{}", c.blocks());
        // Taken back odd files first, then the even ones backwards.
        let order = (0..60)
            .filter(|i| i % 2 == 1)
            .chain((0..60).filter(|i| i % 2 == 0).rev());
        for i in order {
            assert_eq!(c.take(i).as_ref(), Some(&files[i]), "file {i}");
        }
        // Every block was freed with its last file.
        assert_eq!(c.blocks(), 0);
    }

    #[test]
    fn a_block_is_freed_with_its_last_file_only() {
        let c = TextCache::new(usize::MAX);
        let half = vec![b'a'; BLOCK / 2 - 1];
        // Files 0 and 1 share the first block, file 2 starts the second.
        for i in 0..3 {
            assert!(c.offer(i, &half));
        }
        assert_eq!(c.blocks(), 2);
        assert_eq!(c.take(0).as_ref(), Some(&half));
        assert_eq!(c.blocks(), 2);
        assert_eq!(c.take(1).as_ref(), Some(&half));
        assert_eq!(c.blocks(), 1);
        // A file kept after that goes on filling the second block.
        assert!(c.offer(3, b"tail"));
        assert_eq!(c.blocks(), 1);
        assert_eq!(c.take(3).as_deref(), Some(&b"tail"[..]));
        assert_eq!(c.take(2).as_ref(), Some(&half));
        assert_eq!(c.blocks(), 0);
    }
}
