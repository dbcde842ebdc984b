//! The files the scan pass read, kept for the analysis pass up to a byte budget.
//!
//! A directory run reads every file twice: once to scan it (passage keys and sketch)
//! and once to analyse it. Reading is a file open, a read, an encoding guess and
//! decode, and for HTML a parse and text extraction; the scan pass keeps what it
//! loaded here, in memory up to [`TEXT_CACHE_BYTES`](crate::config::TEXT_CACHE_BYTES),
//! and the analysis pass takes it back (freeing it) instead of loading the file
//! again. Files that did not fit are read again as before. A file's documents are the
//! same whichever way they come, so the report does not depend on what fitted (which
//! can differ between runs with several threads).

use crate::corpus::Loaded;
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Bytes a loaded file is charged for beyond its texts, per document (its metadata)
/// and per warning.
const PER_ITEM: usize = 256;

/// Loaded files by their index in the corpus's file list, with a byte budget.
#[derive(Debug)]
pub(super) struct TextCache {
    files: Mutex<FxHashMap<usize, Loaded>>,
    /// Bytes still free.
    left: AtomicUsize,
}

impl TextCache {
    /// An empty cache that keeps at most `budget` bytes (0: keeps nothing).
    pub(super) fn new(budget: usize) -> Self {
        TextCache {
            files: Mutex::new(FxHashMap::default()),
            left: AtomicUsize::new(budget),
        }
    }

    /// What keeping `loaded` costs.
    fn cost(loaded: &Loaded) -> usize {
        let texts: usize = loaded
            .docs
            .iter()
            .map(|d| d.text.len() + d.meta.id.len() + PER_ITEM)
            .sum();
        texts + loaded.warnings.len() * PER_ITEM
    }

    /// Keeps file `index`'s documents when they fit the budget left; gives them back
    /// otherwise.
    pub(super) fn offer(&self, index: usize, loaded: Loaded) -> Option<Loaded> {
        let cost = Self::cost(&loaded);
        let reserved = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(cost)
            })
            .is_ok();
        if !reserved {
            return Some(loaded);
        }
        match self.files.lock() {
            Ok(mut m) => {
                m.insert(index, loaded);
                None
            }
            Err(_) => Some(loaded),
        }
    }

    /// File `index`'s documents, if they were kept (taken out: a second call gives
    /// `None`).
    pub(super) fn take(&self, index: usize) -> Option<Loaded> {
        let loaded = self.files.lock().ok()?.remove(&index)?;
        self.left.fetch_add(Self::cost(&loaded), Ordering::Relaxed);
        Some(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;

    fn loaded(text: &str) -> Loaded {
        Loaded {
            docs: vec![Document::in_memory("d", "g", text)],
            warnings: Vec::new(),
        }
    }

    #[test]
    fn keeps_what_fits_and_gives_it_back_once() {
        let one = TextCache::cost(&loaded("abc"));
        let c = TextCache::new(2 * one);
        assert!(c.offer(0, loaded("abc")).is_none());
        assert!(c.offer(1, loaded("abc")).is_none());
        // Over budget: handed back to be dropped and read again later.
        assert!(c.offer(2, loaded("abc")).is_some());
        assert_eq!(
            c.take(1).map(|l| l.docs[0].text.clone()).as_deref(),
            Some("abc")
        );
        assert!(c.take(1).is_none());
        assert!(c.take(2).is_none());
        // Taking frees its share of the budget.
        assert!(c.offer(3, loaded("abc")).is_none());
    }

    #[test]
    fn a_zero_budget_keeps_nothing() {
        let c = TextCache::new(0);
        assert!(c.offer(0, loaded("")).is_some());
        assert!(c.take(0).is_none());
    }
}
