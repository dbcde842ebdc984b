//! The run: a [`Pipeline`] takes a [`Source`] of documents (a corpus directory, JSON
//! lines, or documents in memory) through per-document analysis on a thread pool into
//! mergeable group aggregates, then to a report (or to a partial aggregate, the map
//! step of a sharded run).
//!
//! Build a [`Pipeline`] once (it loads the jieba dictionary and the word lists) and
//! use it for any number of corpora or texts.
//!
//! ```
//! use duibi::corpus::{Document, Source};
//! use duibi::run::Pipeline;
//! let p = Pipeline::builder().bootstrap_reps(200).build().unwrap();
//! let docs = vec![
//!     Document::in_memory("d1", "domestic", "监管趋严，矿工把矿机运往海外。"),
//!     Document::in_memory("d2", "overseas", "Miners moved their rigs to Texas."),
//! ];
//! let report = p.analyze(Source::documents(docs)).unwrap().into_report().unwrap();
//! assert_eq!(report.corpus.documents, 2);
//! assert_eq!(report.corpus.groups.len(), 2);
//! ```
//!
//! | file | holds |
//! |---|---|
//! | `builder` | [`PipelineBuilder`]: settings, resource loading |
//! | `pool` | thread scheduling: per-thread accumulators, merged at the end |
//! | `build` | the report from the aggregates |
//! | `evidence` | the evidence pass (keyword-in-context examples): candidates as positions |
//! | `evidence_pick` | picking the examples (spread, no sentence twice) and quoting them as written |
//! | `scan` | the scan pass (first of two) and the screen it decides |
//! | `screened` | a run's first step, on settings alone: the source discovered or spooled, and screened; [`PipelineBuilder::analyze`] |
//! | `output` | [`LazyReport`]: writing the report, streaming the documents |
//! | `parquet` | [`write_parquet`]: a per-document table as a Parquet file |
//! | `error` | [`PipelineError`] |
//! | `compat` | the old entry points, kept for one release |

mod build;
mod builder;
mod cache;
mod compat;
mod error;
mod evidence;
mod evidence_pick;
mod evidence_skip;
mod output;
mod parquet;
mod pool;
mod pretty;
mod scan;
mod screened;

pub use builder::PipelineBuilder;
pub use error::{ErrorKind, PipelineError};
pub use output::LazyReport;
pub use parquet::write_parquet;
pub use scan::scan;

use crate::aggregate::partial::{Partial, PartialHead};
use crate::aggregate::RunAgg;
use crate::analysis::vocab::DenseSink;
use crate::analysis::{Analyzer, DocAnalysis, Scratch};
use crate::concepts::ConceptMatcher;
use crate::corpus::{self, Corpus, Document, Skipped, Source, Warning};
use crate::dedupe::{Scan, Screen};
use crate::report::{DocRecord, Report, Settings};
use crate::sentiment::SentimentModel;
use crate::tokenize::Tokenizer;
use evidence::Reread;
use pool::{Acc, Collected, Slots};
use screened::{Input, Screened};
use std::path::Path;

struct Inner {
    analyzer: Analyzer,
    settings: PipelineBuilder,
}

/// A configured pipeline. Cheap to clone and share across threads.
#[derive(Clone)]
pub struct Pipeline {
    inner: std::sync::Arc<Inner>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("settings", &self.inner.settings)
            .finish()
    }
}

impl Pipeline {
    /// A builder with the defaults.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// The per-document analyzer (tokenizer, sentiment model, concept matcher).
    pub fn analyzer(&self) -> &Analyzer {
        &self.inner.analyzer
    }

    /// The tokenizer (shared dictionary).
    pub fn tokenizer(&self) -> &Tokenizer {
        self.inner.analyzer.tokenizer()
    }

    /// The sentiment model.
    pub fn sentiment(&self) -> &SentimentModel {
        self.inner.analyzer.sentiment()
    }

    /// The concept matcher.
    pub fn concepts(&self) -> &ConceptMatcher {
        self.inner.analyzer.concepts()
    }

    /// Analyses one in-memory text (id and group `text`).
    pub fn analyze_text(&self, text: &str) -> DocRecord {
        self.inner.analyzer.analyze_text(text)
    }

    /// Analyses one document with reusable buffers.
    pub fn analyze_document(&self, doc: Document, scratch: &mut Scratch) -> DocAnalysis {
        self.inner.analyzer.analyze_document(doc, scratch)
    }

    /// Analyses every document of `source` and builds the report.
    ///
    /// The documents and document × concept rows stay in temporary files until the
    /// report is written ([`LazyReport::write_json`]): the memory of the run grows with
    /// the vocabulary, hardly with the number of documents. Keyword-in-context
    /// evidence reads the texts again: a directory's files, the documents in memory,
    /// or JSON lines spooled to a temporary file (read back a batch at a time).
    ///
    /// Unless both [`PipelineBuilder::keep_boilerplate`] and
    /// [`PipelineBuilder::keep_duplicates`] are on, the documents are read twice: a
    /// scan pass decides what to set aside ([`crate::dedupe`]), then the analysis pass
    /// skips it (JSON lines are spooled to a temporary file for that).
    pub fn analyze(&self, source: Source<'_>) -> Result<LazyReport, PipelineError> {
        self.analyze_scanned(source, None)
    }

    /// [`Pipeline::analyze`] with the screen decided from `scan` (the merged scan of
    /// the whole corpus) instead of a scan pass over `source`.
    pub fn analyze_with_scan(
        &self,
        source: Source<'_>,
        scan: Scan,
    ) -> Result<LazyReport, PipelineError> {
        self.analyze_scanned(source, Some(scan))
    }

    fn analyze_scanned(
        &self,
        source: Source<'_>,
        scan: Option<Scan>,
    ) -> Result<LazyReport, PipelineError> {
        let settings = &self.inner.settings;
        let screened = settings.screen_source(source, scan, settings.wants_texts(), &mut || {})?;
        self.report_screened(screened)
    }

    /// The analysis pass over a screened source, the report, and its evidence.
    fn report_screened(&self, screened: Screened<'_>) -> Result<LazyReport, PipelineError> {
        let (c, texts, pool) = self.collect(screened)?;
        // The same checks and report as a merge of this run's partial, without the
        // round trip through the sorted partial form.
        let mut acc = c.acc.run;
        let mut report =
            pool.install(|| self.checked_report(c.root, c.discovered, c.metadata, &mut acc))?;
        let n = self.inner.settings.evidence;
        if let (Some(texts), true) = (&texts, n > 0) {
            report.evidence = pool.install(|| {
                evidence::evidence(
                    self.analyzer(),
                    n,
                    texts,
                    &c.screen,
                    &report,
                    &acc.groups,
                    &acc.store,
                )
            });
        }
        let store = std::mem::take(&mut acc.store);
        // What the report no longer needs is freed beside the writing of the report
        // when the pool has a second thread.
        let rest = (acc, c.screen, texts);
        if pool.current_num_threads() > 1 {
            pool.spawn(move || drop(rest));
        }
        Ok(LazyReport {
            report,
            store,
            pipeline: self.clone(),
        })
    }

    /// Analyses every document of `source` into a partial aggregate (the map step of
    /// a sharded run; see [`crate::aggregate::partial`]).
    ///
    /// The screen comes from a scan pass over `source` only: for shards of one corpus,
    /// use [`Pipeline::analyze_partial_with_scan`] with the merged scan of all shards.
    pub fn analyze_partial(&self, source: Source<'_>) -> Result<Partial, PipelineError> {
        self.partial_scanned(source, None)
    }

    /// [`Pipeline::analyze_partial`] with the screen decided from `scan` (the merged
    /// [`Pipeline::scan`] of every shard), so every shard sets aside the same.
    pub fn analyze_partial_with_scan(
        &self,
        source: Source<'_>,
        scan: Scan,
    ) -> Result<Partial, PipelineError> {
        self.partial_scanned(source, Some(scan))
    }

    fn partial_scanned(
        &self,
        source: Source<'_>,
        scan: Option<Scan>,
    ) -> Result<Partial, PipelineError> {
        let screened = self
            .inner
            .settings
            .screen_source(source, scan, false, &mut || {})?;
        let c = self.collect(screened)?.0;
        let head = PartialHead {
            root: c.root,
            files_discovered: c.discovered,
            metadata_files: c.metadata,
        };
        let name = |c: u32| self.concepts().id(c).to_string();
        c.acc
            .run
            .into_partial(self.settings(), head, &name)
            .map_err(PipelineError::TempFile)
    }

    /// Merges partial aggregates (in any order) and builds the report: the reduce step.
    ///
    /// Fails when the partials were made with different settings, when a document id
    /// occurs twice, or when there is no document at all.
    pub fn report_from_partials(&self, parts: Vec<Partial>) -> Result<Report, PipelineError> {
        self.report_from_partials_lazy(parts)?.into_report()
    }

    /// [`Pipeline::report_from_partials`] with the documents left in temporary files
    /// until the report is written (see [`Pipeline::analyze`]).
    pub fn report_from_partials_lazy(
        &self,
        parts: Vec<Partial>,
    ) -> Result<LazyReport, PipelineError> {
        let settings = self.settings();
        let mut acc = RunAgg::default();
        let mut roots: Vec<String> = Vec::new();
        let mut discovered = 0u64;
        let mut metadata: Vec<String> = Vec::new();
        for (i, p) in parts.into_iter().enumerate() {
            let fail = |problem| PipelineError::Partial {
                index: i + 1,
                problem,
            };
            p.check(&settings).map_err(fail)?;
            if i > 0 && p.set_aside.screen != acc.set_aside.screen {
                return Err(fail(crate::aggregate::partial::PartialError::Screen));
            }
            let (part, head) =
                RunAgg::from_partial(p, |c| self.concepts().index_of(c)).map_err(fail)?;
            roots.extend(head.root.split(',').map(str::to_owned));
            discovered += head.files_discovered;
            metadata.extend(head.metadata_files);
            acc = acc.merge(part);
        }
        roots.sort();
        roots.dedup();
        let root = roots.join(",");
        let report = self
            .pool()?
            .install(|| self.checked_report(root, discovered, metadata, &mut acc))?;
        Ok(LazyReport {
            report,
            store: acc.store,
            pipeline: self.clone(),
        })
    }

    /// The settings as recorded in reports.
    pub fn settings(&self) -> Settings {
        let s = &self.inner.settings;
        Settings {
            segmenter: "jieba-rs 0.11 (default dictionary), UAX #29 word bounds for other scripts"
                .into(),
            hmm: s.hmm,
            keep_stopwords: s.keep_stopwords,
            keep_special_tokens: s.keep_special_tokens,
            top: s.top,
            languages: s.languages.clone(),
            user_dicts: s.user_dicts.iter().map(|p| file_name(p)).collect(),
            normalization: "NFKC; Latin lowercased".into(),
            traditional_chinese:
                "converted to Simplified for segmentation and terms; spans keep the original".into(),
            rate_denominator: "word tokens of the same language in the group, stopwords included"
                .into(),
            lexicons: if !s.keeps_shipped_lexicons() {
                Vec::new()
            } else {
                vec![
                    "shipped (VADER + en-domain; zh-core + zh-cedict-projected + zh-parallel)"
                        .to_string(),
                ]
            }
            .into_iter()
            .chain(
                s.lexicons
                    .iter()
                    .chain(s.word_lists.iter().map(|w| &w.0))
                    .map(|p| file_name(p)),
            )
            .collect(),
            glossaries: if s.replace_glossary && !s.glossaries.is_empty() {
                Vec::new()
            } else {
                vec!["shipped (data/concepts/default.tsv)".to_string()]
            }
            .into_iter()
            .chain(s.glossaries.iter().map(|p| file_name(p)))
            .collect(),
            concepts: self.concepts().len() as u64,
            evidence: s.evidence as u64,
            set_aside: crate::report::SetAsideSettings {
                passages: s.screen.passages,
                duplicates: s.screen.duplicates,
                passage_min_documents: s.screen.min_documents,
                passage_min_share: s.screen.min_share,
                duplicate_similarity: s.screen.similarity,
            },
            sentiment_scale: self.sentiment().scale_map().describe(),
        }
    }

    fn pool(&self) -> Result<rayon::ThreadPool, PipelineError> {
        self.inner.settings.pool()
    }

    /// The analysis pass over a screened source on its pool; the corpus or the
    /// documents are returned for the evidence pass to read again when it wants the
    /// texts.
    fn collect(
        &self,
        s: Screened<'_>,
    ) -> Result<(Collected, Option<Reread>, rayon::ThreadPool), PipelineError> {
        let Screened {
            pool,
            progress,
            screen,
            wants_texts,
            input,
        } = s;
        Ok(match input {
            Input::Dir {
                root,
                corpus,
                cache,
            } => {
                let c = self.collect_dir(&pool, &root, &corpus, screen, progress, &cache);
                (c, Some(Reread::Corpus(corpus)), pool)
            }
            Input::Spooled {
                spool,
                name,
                max_record,
            } => {
                let reader = spool.reader().map_err(PipelineError::Spool)?;
                let (c, chunks) = self.collect_jsonl(
                    &pool,
                    Box::new(reader),
                    name.clone(),
                    screen,
                    max_record,
                    progress,
                )?;
                let texts = wants_texts.then_some(Reread::Spooled {
                    spool,
                    chunks,
                    max_record,
                    name,
                });
                (c, texts, pool)
            }
            Input::Stream {
                input,
                name,
                max_record,
            } => {
                let (c, _) =
                    self.collect_jsonl(&pool, input, name, screen, max_record, progress)?;
                (c, None, pool)
            }
            Input::Docs(docs) => {
                let c = self.collect_docs(&pool, &docs, screen, progress);
                (c, Some(Reread::Documents(docs)), pool)
            }
        })
    }

    fn collect_dir(
        &self,
        pool: &rayon::ThreadPool,
        dir: &Path,
        corpus: &Corpus,
        screen: Screen,
        progress: corpus::Progress<'_>,
        cache: &cache::TextCache,
    ) -> Collected {
        let slots = Slots::new(pool);
        // Files are listed by path: a new top directory (a group) starts a block.
        let breaks: Vec<usize> = corpus
            .files()
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0].rel.split('/').next() != w[1].rel.split('/').next())
            .map(|(i, _)| i + 1)
            .collect();
        slots.share(
            pool,
            corpus.files(),
            &breaks,
            |acc, scratch, ordinal, entry| {
                let file = u32::try_from(ordinal).unwrap_or(u32::MAX);
                let mut add = |loaded: corpus::Loaded| {
                    acc.run.warnings.extend(loaded.warnings);
                    for doc in loaded.docs {
                        self.add_to(acc, doc, scratch, file, &screen);
                    }
                };
                // Kept by the scan pass, or read again (a large JSON Lines file a block of
                // lines at a time).
                let read = match cache.take(ordinal) {
                    Some(bytes) => corpus.load_bytes(entry, bytes).map(&mut add),
                    None => corpus.load_each(entry, &mut add),
                };
                match read {
                    Ok(()) => acc.run.files_analyzed += 1,
                    Err(reason) => acc.run.skipped.push(Skipped {
                        path: entry.rel.clone(),
                        reason,
                    }),
                }
                progress(&entry.rel);
            },
        );
        let mut acc = slots.into_acc(pool);
        acc.run.skipped.extend(corpus.skipped().iter().cloned());
        acc.run.warnings.extend(corpus.warnings().iter().cloned());
        let discovered =
            corpus.files().len() + corpus.skipped().len() + corpus.metadata_files().len();
        Collected::new(
            acc,
            dir.display().to_string(),
            discovered as u64,
            corpus.metadata_files().to_vec(),
            screen,
        )
    }

    /// JSON lines, streamed a chunk of lines at a time; one accumulator per pool
    /// thread for the whole stream, as in directory runs.
    fn collect_jsonl(
        &self,
        pool: &rayon::ThreadPool,
        input: Box<dyn std::io::BufRead + '_>,
        name: String,
        screen: Screen,
        max_record: u64,
        progress: corpus::Progress<'_>,
    ) -> Result<(Collected, Vec<corpus::jsonl::RecordPos>), PipelineError> {
        use corpus::jsonl::line_name;
        let slots = Slots::new(pool);
        let mut records = corpus::jsonl::Records::new(input, max_record);
        let mut discovered = 0u64;
        let mut skipped = Vec::new();
        // Where each chunk starts: chunk `k` is "file" `k` for the evidence pass.
        let mut chunks = Vec::new();
        loop {
            let at = records.position();
            let mut chunk: Vec<(usize, String)> = Vec::with_capacity(JSONL_CHUNK);
            records
                .fill(&mut chunk, JSONL_CHUNK, |line_no, reason| {
                    discovered += 1;
                    skipped.push(Skipped {
                        path: line_name(&name, line_no),
                        reason,
                    });
                })
                .map_err(|source| PipelineError::Read {
                    name: name.clone(),
                    line: records.last_record() + 1,
                    source,
                })?;
            discovered += chunk.len() as u64;
            if chunk.is_empty() {
                break;
            }
            let file = u32::try_from(chunks.len()).unwrap_or(u32::MAX);
            chunks.push(at);
            slots.share(pool, &chunk, &[], |acc, scratch, _, (line_no, line)| {
                match corpus::jsonl::document(&name, *line_no, line) {
                    Ok(loaded) => {
                        acc.run.files_analyzed += 1;
                        acc.run.warnings.extend(loaded.warnings);
                        for doc in loaded.docs {
                            self.add_to(acc, doc, scratch, file, &screen);
                        }
                    }
                    Err(reason) => {
                        let prefix = format!("line {line_no}: ");
                        acc.run.skipped.push(Skipped {
                            path: line_name(&name, *line_no),
                            reason: reason
                                .strip_prefix(&prefix)
                                .map_or(reason.clone(), str::to_owned),
                        })
                    }
                }
            });
            progress(&name);
        }
        let mut acc = slots.into_acc(pool);
        acc.run.skipped.extend(skipped);
        let c = Collected::new(acc, name, discovered, Vec::new(), screen);
        Ok((c, chunks))
    }

    /// Documents in memory, each analysed from a copy on one pool thread (file `i` is
    /// the `i`-th document, for the evidence pass).
    fn collect_docs(
        &self,
        pool: &rayon::ThreadPool,
        docs: &[Document],
        screen: Screen,
        progress: corpus::Progress<'_>,
    ) -> Collected {
        let slots = Slots::new(pool);
        slots.share(pool, docs, &[], |acc, scratch, i, doc| {
            acc.run.files_analyzed += 1;
            if let Some(message) = doc.date_warning() {
                acc.run.warnings.push(Warning {
                    path: doc.meta.id.clone(),
                    message,
                });
            }
            let file = u32::try_from(i).unwrap_or(u32::MAX);
            self.add_to(acc, doc.clone(), scratch, file, &screen);
            progress(&doc.meta.id);
        });
        Collected::new(
            slots.into_acc(pool),
            "memory".into(),
            docs.len() as u64,
            Vec::new(),
            screen,
        )
    }

    /// Adds one document of file `file` (its ordinal in the sorted file list, or
    /// `u32::MAX` outside directory runs): nothing when the screen sets it aside as a
    /// duplicate, else its text with the set-aside passages blanked.
    fn add_to(
        &self,
        acc: &mut Acc,
        mut doc: Document,
        scratch: &mut Scratch,
        file: u32,
        screen: &Screen,
    ) {
        if screen.duplicate_of(&doc.meta.id).is_some() {
            return;
        }
        let mut set_aside = 0u64;
        if let Some(s) = screen.strip(&doc.text) {
            for (k, line) in &s.lines {
                acc.run.set_aside.offer_text(*k, line);
            }
            self.inner
                .analyzer
                .tokenize_into(&s.removed, scratch, false);
            set_aside = scratch.buf.len() as u64;
            acc.run.set_aside.add_removed(&doc.meta.group, set_aside);
            doc.text = s.kept;
        }
        let copies = screen.copies_of(&doc.meta.id).to_vec();
        let g = acc.run.groups.entry(doc.meta.group.clone()).or_default();
        // Terms go into the group's id-indexed table: no owned copy, no hashing.
        let dense = match acc.dense.get_mut(&doc.meta.group) {
            Some(d) => d,
            None => acc.dense.entry(doc.meta.group.clone()).or_default(),
        };
        let a = self
            .inner
            .analyzer
            .analyze_with(doc, scratch, DenseSink { terms: dense, file });
        let t = &mut g.totals;
        t.documents += 1;
        t.bytes += a.record.meta.bytes;
        t.chars += a.record.chars;
        for (l, (n, chars)) in &a.tokens_by_lang {
            t.add_lang_tokens(*l, *n, *chars);
        }
        *t.documents_by_lang.entry(a.record.lang).or_default() += 1;
        t.special.merge(&a.special);
        for (l, c) in &a.coverage {
            g.coverage.entry(*l).or_default().add(c);
        }
        let mut record = a.record;
        record.tokens_set_aside = set_aside;
        record.duplicates = copies;
        acc.run.store.push(record, a.concepts, file);
    }
}

/// Records of a JSON-lines stream analysed as one batch; batch `k` is "file" `k` of
/// the run (what the evidence pass reads again from the spool).
pub(super) const JSONL_CHUNK: usize = 1024;

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}
