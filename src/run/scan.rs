//! The scan pass, first of a run's two: every document read once for its passage keys
//! and sketch ([`crate::dedupe`]), on the pool; and the screen a run applies, decided
//! from the scanned documents with bounded memory unless a merged scan is given.

use super::cache::TextCache;
use super::{Pipeline, PipelineBuilder, PipelineError};
use crate::corpus::{self, Corpus, Document, Loaded, Source, SourceKind};
use crate::dedupe::{Scan, ScanDoc, Screen, ScreenBuilder};
use rayon::prelude::*;
use std::io::BufRead;
use std::sync::Mutex;

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
}

impl PipelineBuilder {
    /// Whether anything is to be set aside (else a run needs no scan pass).
    pub(super) fn needs_screen(&self) -> bool {
        let o = &self.screen;
        o.passages || o.duplicates
    }

    /// The screen these settings decide from a merged scan (on `pool`).
    pub(super) fn screen_of(
        &self,
        pool: &rayon::ThreadPool,
        scan: &Scan,
    ) -> Result<Screen, PipelineError> {
        pool.install(|| Screen::from_scan(scan, &self.screen))
            .map_err(PipelineError::TempFile)
    }

    /// The screen of a scan pass over the documents `feed` sends to its sink, with
    /// bounded memory ([`ScreenBuilder`]: no scan is held whole), decided on `pool`.
    pub(super) fn screen_with(
        &self,
        pool: &rayon::ThreadPool,
        feed: impl FnOnce(&Mutex<Sink>) -> Result<(), PipelineError>,
    ) -> Result<Screen, PipelineError> {
        let sink = Mutex::new(Sink::Screen(ScreenBuilder::new()));
        feed(&sink)?;
        match sink.into_inner() {
            Ok(Sink::Screen(b)) => pool
                .install(|| b.finish(&self.screen))
                .map_err(PipelineError::TempFile),
            _ => Err(PipelineError::TempFile(poisoned())),
        }
    }
}

/// Where the scan pass sends the documents it scanned.
pub(super) enum Sink {
    /// Kept whole, for a [`Scan`] (`duibi scan`, the map step of a sharded run).
    Scan(Vec<ScanDoc>),
    /// Decided on with bounded memory.
    Screen(ScreenBuilder),
}

impl Sink {
    fn add(&mut self, docs: Vec<ScanDoc>) -> std::io::Result<()> {
        match self {
            Sink::Scan(v) => {
                v.extend(docs);
                Ok(())
            }
            Sink::Screen(b) => docs.into_iter().try_for_each(|d| b.add(d)),
        }
    }
}

fn poisoned() -> std::io::Error {
    std::io::Error::other("a scan thread failed")
}

/// Scans the documents of `loaded` into the shared sink.
fn scan_loaded(sink: &Mutex<Sink>, loaded: &Loaded) -> Result<(), PipelineError> {
    send(sink, loaded.docs.iter().map(ScanDoc::of).collect())
}

/// Adds `docs` to the shared sink.
fn send(sink: &Mutex<Sink>, docs: Vec<ScanDoc>) -> Result<(), PipelineError> {
    sink.lock()
        .map_err(|_| poisoned())
        .and_then(|mut s| s.add(docs))
        .map_err(PipelineError::TempFile)
}

/// The documents a sink kept, as a scan.
fn into_scan(sink: Mutex<Sink>) -> Result<Scan, PipelineError> {
    match sink.into_inner() {
        Ok(Sink::Scan(v)) => Ok(Scan::of_docs(v)),
        _ => Err(PipelineError::TempFile(poisoned())),
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
    let sink = Mutex::new(Sink::Scan(Vec::new()));
    match source.kind {
        SourceKind::Dir { root, options } => {
            let corpus = Corpus::discover(&root, &options)?;
            scan_corpus(&pool, &corpus, &sink, None)?;
        }
        SourceKind::JsonLines {
            input,
            name,
            max_record,
        } => scan_jsonl(&pool, input, &name, max_record, &sink)?,
        SourceKind::Documents(docs) => scan_docs(&pool, &docs, &sink)?,
    }
    into_scan(sink)
}

/// Scans a discovered corpus, its files read on the pool, each file's documents sent
/// to `sink` together; the bytes of the files read whole are offered to `cache` for
/// the analysis pass.
pub(super) fn scan_corpus(
    pool: &rayon::ThreadPool,
    corpus: &Corpus,
    sink: &Mutex<Sink>,
    cache: Option<&TextCache>,
) -> Result<(), PipelineError> {
    pool.install(|| {
        corpus
            .files()
            .par_iter()
            .enumerate()
            .try_for_each(|(i, e)| match cache {
                // Read whole (the only way a file is read that a block at a time
                // never is): its bytes kept when they fit.
                Some(c) if !corpus.streams(e) => {
                    let loaded = corpus.read(e).and_then(|bytes| {
                        c.offer(i, &bytes);
                        corpus.load_bytes(e, bytes)
                    });
                    match loaded {
                        Ok(l) => scan_loaded(sink, &l),
                        Err(_) => send(sink, Vec::new()),
                    }
                }
                // A file read a block at a time sends each block's documents as it
                // comes.
                _ => {
                    let mut sent = Ok(());
                    let read = corpus.load_each(e, |loaded| {
                        if sent.is_ok() {
                            sent = scan_loaded(sink, &loaded);
                        }
                    });
                    sent?;
                    match read {
                        Ok(()) => Ok(()),
                        Err(_) => send(sink, Vec::new()),
                    }
                }
            })
    })
}

/// Scans documents in memory, a chunk at a time.
pub(super) fn scan_docs(
    pool: &rayon::ThreadPool,
    docs: &[Document],
    sink: &Mutex<Sink>,
) -> Result<(), PipelineError> {
    for chunk in docs.chunks(super::JSONL_CHUNK) {
        send(
            sink,
            pool.install(|| chunk.par_iter().map(ScanDoc::of).collect()),
        )?;
    }
    Ok(())
}

/// Scans JSON lines, read a chunk of lines at a time (numbered as the analysis pass
/// numbers them, so ids without an `id` field agree).
pub(super) fn scan_jsonl(
    pool: &rayon::ThreadPool,
    input: impl BufRead,
    name: &str,
    max_record: u64,
    sink: &Mutex<Sink>,
) -> Result<(), PipelineError> {
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
        send(sink, docs)?;
    }
    Ok(())
}
