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
//! | `output` | [`LazyReport`]: writing the report, streaming the documents |
//! | `error` | [`PipelineError`] |
//! | `compat` | the old entry points, kept for one release |

mod build;
mod builder;
mod compat;
mod error;
mod evidence;
mod evidence_pick;
mod output;
mod pool;

pub use builder::PipelineBuilder;
pub use error::{ErrorKind, PipelineError};
pub use output::LazyReport;

use crate::aggregate::partial::{Partial, PartialHead};
use crate::aggregate::RunAgg;
use crate::analysis::{Analyzer, DocAnalysis, Scratch};
use crate::concepts::ConceptMatcher;
use crate::corpus::{self, Corpus, CorpusOptions, Document, Skipped, Source, SourceKind, Warning};
use crate::report::{DocRecord, Report, Settings};
use crate::sentiment::SentimentModel;
use crate::tokenize::Tokenizer;
use evidence::Reread;
use pool::{Acc, Collected, Slots};
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
    /// evidence reads the texts again, so it is collected for directory and in-memory
    /// sources, not for streamed JSON lines.
    pub fn analyze(&self, source: Source<'_>) -> Result<LazyReport, PipelineError> {
        let (c, texts, pool) = self.collect(source)?;
        // The same checks and report as a merge of this run's partial, without the
        // round trip through the sorted partial form.
        let mut acc = c.acc.run;
        let mut report =
            pool.install(|| self.checked_report(c.root, c.discovered, c.metadata, &mut acc))?;
        let n = self.inner.settings.evidence;
        if let (Some(texts), true) = (&texts, n > 0) {
            report.evidence = pool.install(|| {
                evidence::evidence(self.analyzer(), n, texts, &report, &acc.groups, &acc.store)
            });
        }
        Ok(LazyReport {
            report,
            store: acc.store,
            pipeline: self.clone(),
        })
    }

    /// Analyses every document of `source` into a partial aggregate (the map step of
    /// a sharded run; see [`crate::aggregate::partial`]).
    pub fn analyze_partial(&self, source: Source<'_>) -> Result<Partial, PipelineError> {
        let c = self.collect(source)?.0;
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
                vec!["shipped (VADER + en-domain; zh-core + zh-cedict-projected)".to_string()]
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
        }
    }

    fn pool(&self) -> Result<rayon::ThreadPool, PipelineError> {
        let threads = self.inner.settings.threads;
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|_| PipelineError::Threads(threads))
    }

    /// Analyses every document of `source` on a new pool; the corpus or the documents
    /// are returned for the evidence pass to read again, unless they were streamed.
    fn collect(
        &self,
        source: Source<'_>,
    ) -> Result<(Collected, Option<Reread>, rayon::ThreadPool), PipelineError> {
        let progress = source.progress;
        let pool = self.pool()?;
        Ok(match source.kind {
            SourceKind::Dir { root, options } => {
                let (corpus, c) = self.collect_dir(&pool, &root, &options, progress)?;
                (c, Some(Reread::Corpus(corpus)), pool)
            }
            SourceKind::JsonLines {
                input,
                name,
                max_record,
            } => (
                self.collect_jsonl(&pool, input, name, max_record, progress)?,
                None,
                pool,
            ),
            SourceKind::Documents(docs) => {
                let c = self.collect_docs(&pool, &docs, progress);
                (c, Some(Reread::Documents(docs)), pool)
            }
        })
    }

    fn collect_dir(
        &self,
        pool: &rayon::ThreadPool,
        dir: &Path,
        opts: &CorpusOptions,
        progress: corpus::Progress<'_>,
    ) -> Result<(Corpus, Collected), PipelineError> {
        let corpus = Corpus::discover(dir, opts)?;
        let slots = Slots::new(pool);
        slots.share(pool, corpus.files(), |acc, scratch, ordinal, entry| {
            match corpus.load(entry) {
                Ok(loaded) => {
                    acc.run.files_analyzed += 1;
                    acc.run.warnings.extend(loaded.warnings);
                    let file = u32::try_from(ordinal).unwrap_or(u32::MAX);
                    for doc in loaded.docs {
                        self.add_to(acc, doc, scratch, file);
                    }
                }
                Err(reason) => acc.run.skipped.push(Skipped {
                    path: entry.rel.clone(),
                    reason,
                }),
            }
            progress(&entry.rel);
        });
        let mut acc = slots.into_acc(pool);
        acc.run.skipped.extend(corpus.skipped().iter().cloned());
        acc.run.warnings.extend(corpus.warnings().iter().cloned());
        let discovered =
            corpus.files().len() + corpus.skipped().len() + corpus.metadata_files().len();
        let collected = Collected {
            acc,
            root: dir.display().to_string(),
            discovered: discovered as u64,
            metadata: corpus.metadata_files().to_vec(),
        };
        Ok((corpus, collected))
    }

    /// JSON lines, streamed a chunk of lines at a time; one accumulator per pool
    /// thread for the whole stream, as in directory runs.
    fn collect_jsonl(
        &self,
        pool: &rayon::ThreadPool,
        input: Box<dyn std::io::BufRead + '_>,
        name: String,
        max_record: u64,
        progress: corpus::Progress<'_>,
    ) -> Result<Collected, PipelineError> {
        use corpus::jsonl::{line_name, Record};
        const CHUNK: usize = 1024;
        let slots = Slots::new(pool);
        let mut records = corpus::jsonl::Records::new(input, max_record);
        let mut n = 0usize;
        let mut discovered = 0u64;
        let mut skipped = Vec::new();
        loop {
            let mut chunk: Vec<(usize, String)> = Vec::with_capacity(CHUNK);
            for rec in records.by_ref() {
                let rec = rec.map_err(|source| PipelineError::Read {
                    name: name.clone(),
                    line: n + 1,
                    source,
                })?;
                discovered += 1;
                match rec {
                    Record::Line(line_no, line) => {
                        n = line_no;
                        chunk.push((line_no, line));
                        if chunk.len() == CHUNK {
                            break;
                        }
                    }
                    Record::Bad(line_no, reason) => {
                        n = line_no;
                        skipped.push(Skipped {
                            path: line_name(&name, line_no),
                            reason,
                        });
                    }
                }
            }
            if chunk.is_empty() {
                break;
            }
            slots.share(pool, &chunk, |acc, scratch, _, (line_no, line)| {
                match corpus::jsonl::document(&name, *line_no, line) {
                    Ok(loaded) => {
                        acc.run.files_analyzed += 1;
                        acc.run.warnings.extend(loaded.warnings);
                        for doc in loaded.docs {
                            self.add_to(acc, doc, scratch, u32::MAX);
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
        Ok(Collected {
            acc,
            root: name,
            discovered,
            metadata: Vec::new(),
        })
    }

    /// Documents in memory, each analysed from a copy on one pool thread (file `i` is
    /// the `i`-th document, for the evidence pass).
    fn collect_docs(
        &self,
        pool: &rayon::ThreadPool,
        docs: &[Document],
        progress: corpus::Progress<'_>,
    ) -> Collected {
        let slots = Slots::new(pool);
        slots.share(pool, docs, |acc, scratch, i, doc| {
            acc.run.files_analyzed += 1;
            if let Some(message) = doc.date_warning() {
                acc.run.warnings.push(Warning {
                    path: doc.meta.id.clone(),
                    message,
                });
            }
            let file = u32::try_from(i).unwrap_or(u32::MAX);
            self.add_to(acc, doc.clone(), scratch, file);
            progress(&doc.meta.id);
        });
        Collected {
            acc: slots.into_acc(pool),
            root: "memory".into(),
            discovered: docs.len() as u64,
            metadata: Vec::new(),
        }
    }

    /// Adds one document of file `file` (its ordinal in the sorted file list, or
    /// `u32::MAX` outside directory runs).
    fn add_to(&self, acc: &mut Acc, doc: Document, scratch: &mut Scratch, file: u32) {
        let g = acc.run.groups.entry(doc.meta.group.clone()).or_default();
        // Terms go into the group's id-indexed table: no owned copy, no hashing.
        let dense = match acc.dense.get_mut(&doc.meta.group) {
            Some(d) => d,
            None => acc.dense.entry(doc.meta.group.clone()).or_default(),
        };
        let a = self
            .inner
            .analyzer
            .analyze_with(doc, scratch, |id, _, _, c, doc_tokens, n| {
                dense.add(id, c, doc_tokens, file, n)
            });
        let t = &mut g.totals;
        t.documents += 1;
        t.bytes += a.record.meta.bytes;
        t.chars += a.record.chars;
        for (l, (n, chars)) in &a.tokens_by_lang {
            t.add_lang_tokens(*l, *n, *chars);
        }
        *t.documents_by_lang.entry(a.record.lang).or_default() += 1;
        for (l, c) in &a.coverage {
            g.coverage.entry(*l).or_default().add(c);
        }
        acc.run.store.push(a.record, a.concepts, file);
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}
