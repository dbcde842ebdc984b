//! The scan pass, first of a run's two: every document read once for its passage keys
//! and sketch ([`crate::dedupe`]), on the pool; and the screen a run applies.

use super::{Pipeline, PipelineError};
use crate::corpus::{self, Corpus, Document, Source, SourceKind};
use crate::dedupe::{Scan, ScanDoc, Screen};
use rayon::prelude::*;
use std::io::BufRead;

impl Pipeline {
    /// Scans every document of `source` (the first pass only): the [`Scan`] a sharded
    /// run merges over all shards and gives each shard's
    /// [`Pipeline::analyze_partial_with_scan`]. Files and lines that cannot be read
    /// are left out here; the analysis pass lists them as skipped.
    ///
    /// ```
    /// use duibi::corpus::{Document, Source};
    /// use duibi::run::Pipeline;
    /// let p = Pipeline::builder().build().unwrap();
    /// let docs = vec![Document::in_memory("a", "g", "One line.\nAnother.")];
    /// let scan = p.scan(Source::documents(docs)).unwrap();
    /// assert_eq!(scan.documents[0].passages.len(), 2);
    /// ```
    pub fn scan(&self, source: Source<'_>) -> Result<Scan, PipelineError> {
        scan(source, self.inner.settings.threads)
    }

    /// Whether anything is to be set aside (else a run needs no scan pass).
    pub(super) fn needs_screen(&self) -> bool {
        let o = &self.inner.settings.screen;
        o.passages || o.duplicates
    }

    /// The screen this pipeline's settings decide from a merged scan.
    pub(super) fn screen_of(&self, scan: &Scan) -> Screen {
        Screen::from_scan(scan, &self.inner.settings.screen)
    }
}

/// [`Pipeline::scan`] without a pipeline (the scan loads no dictionary or lexicon):
/// on `threads` worker threads (0: one per core, as [`crate::config::THREADS`]).
///
/// ```
/// use duibi::corpus::{Document, Source};
/// let docs = vec![Document::in_memory("a", "g", "One line.")];
/// let scan = duibi::run::scan(Source::documents(docs), 1).unwrap();
/// assert_eq!(scan.documents.len(), 1);
/// ```
pub fn scan(source: Source<'_>, threads: usize) -> Result<Scan, PipelineError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|_| PipelineError::Threads(threads))?;
    match source.kind {
        SourceKind::Dir { root, options } => {
            let corpus = Corpus::discover(&root, &options)?;
            Ok(scan_corpus(&pool, &corpus))
        }
        SourceKind::JsonLines {
            input,
            name,
            max_record,
        } => scan_jsonl(&pool, input, &name, max_record),
        SourceKind::Documents(docs) => Ok(scan_docs(&pool, &docs)),
    }
}

/// The scan of a discovered corpus, its files read on the pool.
pub(super) fn scan_corpus(pool: &rayon::ThreadPool, corpus: &Corpus) -> Scan {
    let docs: Vec<ScanDoc> = pool.install(|| {
        corpus
            .files()
            .par_iter()
            .flat_map_iter(|e| {
                let docs = corpus.load(e).map(|l| l.docs).unwrap_or_default();
                docs.into_iter().map(|d| ScanDoc::of(&d))
            })
            .collect()
    });
    Scan::of_docs(docs)
}

/// The scan of documents in memory.
pub(super) fn scan_docs(pool: &rayon::ThreadPool, docs: &[Document]) -> Scan {
    Scan::of_docs(pool.install(|| docs.par_iter().map(ScanDoc::of).collect()))
}

/// The scan of JSON lines, read a chunk of lines at a time (numbered as the analysis
/// pass numbers them, so ids without an `id` field agree).
pub(super) fn scan_jsonl(
    pool: &rayon::ThreadPool,
    input: impl BufRead,
    name: &str,
    max_record: u64,
) -> Result<Scan, PipelineError> {
    let mut out: Vec<ScanDoc> = Vec::new();
    // The same bounded reader as the analysis pass: a record it skips is not scanned.
    let mut records = corpus::jsonl::Records::new(input, max_record);
    loop {
        let mut chunk: Vec<(usize, String)> = Vec::with_capacity(super::JSONL_CHUNK);
        records
            .fill(&mut chunk, super::JSONL_CHUNK, |_, _| {})
            .map_err(|source| PipelineError::Read {
                name: name.to_string(),
                line: records.last_record() + 1,
                source,
            })?;
        if chunk.is_empty() {
            break;
        }
        let docs: Vec<ScanDoc> = pool.install(|| {
            chunk
                .par_iter()
                .flat_map_iter(|(no, line)| {
                    let docs = corpus::jsonl::document(name, *no, line)
                        .map(|l| l.docs)
                        .unwrap_or_default();
                    docs.into_iter().map(|d| ScanDoc::of(&d))
                })
                .collect()
        });
        out.extend(docs);
    }
    Ok(Scan::of_docs(out))
}
