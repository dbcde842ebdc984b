//! The first step of a run, which needs the settings only (no dictionary, no
//! lexicon): the source discovered (a directory) or spooled (JSON lines read twice),
//! and screened by the scan pass ([`crate::dedupe`]). The analysis pass
//! ([`super::Pipeline`]) reads what this step hands on.
//!
//! Because nothing here needs the loaded resources, [`PipelineBuilder::analyze`]
//! loads them beside this step with two or more threads: the load (one thread's work,
//! longer than deciding the screen) shares the cores with the discovery and the scan
//! pass, so no core waits for it to finish before the analysis pass.

use super::cache::TextCache;
use super::{LazyReport, PipelineBuilder, PipelineError};
use crate::corpus::spool::Spool;
use crate::corpus::{Corpus, Document, Progress, Source, SourceKind};
use crate::dedupe::{Scan, Screen};
use std::io::BufRead;
use std::path::PathBuf;

/// A source after the scan pass: the screen the analysis pass applies, and where it
/// reads the documents.
pub(super) struct Screened<'a> {
    /// The run's worker pool (the analysis pass runs on the one the scan ran on).
    pub pool: rayon::ThreadPool,
    /// Called with each file or batch analysed.
    pub progress: Progress<'a>,
    /// What the analysis pass sets aside.
    pub screen: Screen,
    /// Whether the evidence pass reads the texts again.
    pub wants_texts: bool,
    /// Where the documents are read from.
    pub input: Input<'a>,
}

/// Where the analysis pass reads the documents.
// One value per run, moved once: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
pub(super) enum Input<'a> {
    /// A discovered corpus, and the texts the scan pass kept for the analysis pass.
    Dir {
        /// The corpus root.
        root: PathBuf,
        /// Its files.
        corpus: Corpus,
        /// Texts read once for both passes.
        cache: TextCache,
    },
    /// JSON lines spooled to a temporary file (scanned first, or read again by the
    /// evidence pass).
    Spooled {
        /// The spooled lines.
        spool: Spool,
        /// Name of the input.
        name: String,
        /// Longest record, in bytes.
        max_record: u64,
    },
    /// JSON lines read once, as they come.
    Stream {
        /// The lines.
        input: Box<dyn BufRead + 'a>,
        /// Name of the input.
        name: String,
        /// Longest record, in bytes.
        max_record: u64,
    },
    /// Documents in memory.
    Docs(Vec<Document>),
}

impl PipelineBuilder {
    /// Builds the pipeline and analyses `source` with it: the same report as
    /// [`PipelineBuilder::build`] followed by [`super::Pipeline::analyze`], and the
    /// same errors first (a resource that cannot be loaded before anything about the
    /// source). With more than one thread the resources load beside the discovery and
    /// the scan pass, which shortens the run by most of the dictionary's load.
    ///
    /// ```
    /// use duibi::corpus::{Document, Source};
    /// use duibi::run::Pipeline;
    /// let docs = vec![
    ///     Document::in_memory("d1", "domestic", "监管趋严，矿工把矿机运往海外。"),
    ///     Document::in_memory("d2", "overseas", "Miners moved their rigs to Texas."),
    /// ];
    /// let report = Pipeline::builder()
    ///     .bootstrap_reps(200)
    ///     .threads(2)
    ///     .analyze(Source::documents(docs))
    ///     .unwrap()
    ///     .into_report()
    ///     .unwrap();
    /// assert_eq!(report.corpus.documents, 2);
    /// ```
    pub fn analyze(self, source: Source<'_>) -> Result<LazyReport, PipelineError> {
        let wants_texts = self.wants_texts();
        let settings = &self;
        let (built, screened) = std::thread::scope(|scope| {
            let mut loading = None;
            let screened = settings.screen_source(source, None, wants_texts, &mut || {
                loading = Some(scope.spawn(|| settings.clone().build()));
            });
            let built = match loading {
                Some(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                None => settings.clone().build(),
            };
            (built, screened)
        });
        // The errors of building first, then of analysing, as in turn.
        let pipeline = built?;
        pipeline.report_screened(screened?)
    }

    /// Whether a report's evidence pass reads the texts again (so JSON lines are
    /// spooled even when nothing is to be set aside).
    pub(super) fn wants_texts(&self) -> bool {
        self.evidence > 0
    }

    /// The run's worker pool.
    pub(super) fn pool(&self) -> Result<rayon::ThreadPool, PipelineError> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .build()
            .map_err(|_| PipelineError::Threads(self.threads))
    }

    /// Discovers or spools `source` and decides its screen: from `scan` when given,
    /// else by a scan pass when anything is to be set aside. `started` is called once,
    /// before anything is read, when the pool has more than one thread (not at all
    /// otherwise): the work it starts shares the cores with this step's.
    pub(super) fn screen_source<'a>(
        &self,
        source: Source<'a>,
        scan: Option<Scan>,
        wants_texts: bool,
        started: &mut dyn FnMut(),
    ) -> Result<Screened<'a>, PipelineError> {
        let progress = source.progress;
        let pool = self.pool()?;
        // The hook only where a second thread can take the work it starts.
        if pool.current_num_threads() > 1 {
            started();
        }
        let given = scan.map(|s| self.screen_of(&pool, &s)).transpose()?;
        let scanning = given.is_none() && self.needs_screen();
        let (screen, input) = match source.kind {
            SourceKind::Dir { root, options } => {
                let corpus = Corpus::discover(&root, &options)?;
                let cache = TextCache::new(crate::config::TEXT_CACHE_BYTES);
                let screen = match given {
                    Some(s) => s,
                    None if scanning => self.screen_with(&pool, |sink| {
                        super::scan::scan_corpus(&pool, &corpus, sink, Some(&cache))
                    })?,
                    None => Screen::none(),
                };
                (
                    screen,
                    Input::Dir {
                        root,
                        corpus,
                        cache,
                    },
                )
            }
            SourceKind::JsonLines {
                input,
                name,
                max_record,
            } if scanning || wants_texts => {
                // Read more than once: spooled to a temporary file first.
                let spool = Spool::new(input).map_err(PipelineError::Spool)?;
                let screen = match given {
                    Some(s) => s,
                    None if scanning => {
                        let reader = spool.reader().map_err(PipelineError::Spool)?;
                        self.screen_with(&pool, |sink| {
                            super::scan::scan_jsonl(&pool, reader, &name, max_record, sink)
                        })?
                    }
                    None => Screen::none(),
                };
                let input = Input::Spooled {
                    spool,
                    name,
                    max_record,
                };
                (screen, input)
            }
            SourceKind::JsonLines {
                input,
                name,
                max_record,
            } => {
                let input = Input::Stream {
                    input,
                    name,
                    max_record,
                };
                (given.unwrap_or_default(), input)
            }
            SourceKind::Documents(docs) => {
                let screen = match given {
                    Some(s) => s,
                    None if scanning => {
                        self.screen_with(&pool, |sink| super::scan::scan_docs(&pool, &docs, sink))?
                    }
                    None => Screen::none(),
                };
                (screen, Input::Docs(docs))
            }
        };
        Ok(Screened {
            pool,
            progress,
            screen,
            wants_texts,
            input,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Vec<Document> {
        (0..6)
            .map(|i| Document::in_memory(format!("d{i}"), "g", format!("Text {i}.\nFooter.")))
            .collect()
    }

    /// The hook that starts loading the resources runs once, before the source is read,
    /// and only when there is a second thread (with a scan pass or without).
    #[test]
    fn the_hook_runs_once_with_two_threads() {
        for (threads, keep, expected) in [(2, false, 1), (1, false, 0), (2, true, 1)] {
            let b = PipelineBuilder::default()
                .threads(threads)
                .keep_boilerplate(keep)
                .keep_duplicates(keep);
            let mut calls = 0;
            let s = {
                let mut hook = || calls += 1;
                b.screen_source(Source::documents(docs()), None, false, &mut hook)
                    .unwrap()
            };
            assert_eq!(calls, expected, "threads {threads}, keep {keep}");
            assert!(matches!(s.input, Input::Docs(ref d) if d.len() == 6));
        }
    }
}
