//! The pipeline: corpus → documents → runs → tokens → per-document analysis →
//! group aggregates → report.
//!
//! Build a [`Pipeline`] once (it loads the jieba dictionary and the word lists) and
//! use it for any number of corpora or texts.
//!
//! ```
//! use duibi::pipeline::Pipeline;
//! let p = Pipeline::builder().build().unwrap();
//! let doc = p.analyze_text("監管趨嚴，礦工把礦機運往Texas。");
//! assert_eq!(doc.lang, duibi::lang::Lang::Zh);
//! assert_eq!(doc.zh_script.as_deref(), Some("zh-Hant"));
//! ```

use crate::aggregate::GroupAgg;
use crate::corpus::{
    Corpus, CorpusError, CorpusOptions, DocMeta, Document, Format, Skipped, Warning,
};
use crate::lang::{self, HanVariantCounts, Lang, LangDetector, Run};
use crate::report::{
    self, CorpusSummary, DocRecord, GroupSummary, LangSummary, Report, Settings, TermRecord,
};
use crate::tokenize::{TokenBuf, TokenizeError, Tokenizer};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Errors of a pipeline run.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The corpus is unusable.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// A resource (dictionary, lexicon) could not be loaded.
    #[error(transparent)]
    Tokenize(#[from] TokenizeError),
    /// No document could be analysed.
    #[error("{path}: no readable documents ({skipped} file(s) skipped; see the reasons with --keep-going-report)")]
    NoDocuments {
        /// Corpus root.
        path: String,
        /// Files skipped.
        skipped: usize,
    },
    /// The thread pool could not be built.
    #[error("cannot start {0} worker threads")]
    Threads(usize),
}

/// Builder for [`Pipeline`].
#[derive(Debug, Clone)]
pub struct PipelineBuilder {
    hmm: bool,
    keep_stopwords: bool,
    top: usize,
    languages: Vec<Lang>,
    user_dicts: Vec<PathBuf>,
    threads: usize,
}

impl Default for PipelineBuilder {
    fn default() -> Self {
        PipelineBuilder {
            hmm: false,
            keep_stopwords: false,
            top: 100,
            languages: vec![Lang::Zh, Lang::En, Lang::Ja, Lang::Ko],
            user_dicts: Vec::new(),
            threads: 0,
        }
    }
}

impl PipelineBuilder {
    /// jieba HMM for unknown words (default off: higher word F1 on PKU).
    pub fn hmm(mut self, on: bool) -> Self {
        self.hmm = on;
        self
    }
    /// Keep stopwords in term tables (default: dropped).
    pub fn keep_stopwords(mut self, on: bool) -> Self {
        self.keep_stopwords = on;
        self
    }
    /// Terms per group and language in the report (default 100).
    pub fn top(mut self, n: usize) -> Self {
        self.top = n;
        self
    }
    /// Languages runs may be assigned (default zh, en, ja, ko).
    pub fn languages(mut self, langs: &[Lang]) -> Self {
        self.languages = langs.to_vec();
        self
    }
    /// Adds a jieba user dictionary.
    pub fn user_dict(mut self, p: impl AsRef<Path>) -> Self {
        self.user_dicts.push(p.as_ref().to_path_buf());
        self
    }
    /// Worker threads (0 = one per core). Never changes the report.
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n;
        self
    }

    /// Loads the resources.
    pub fn build(self) -> Result<Pipeline, PipelineError> {
        let detector = LangDetector::builder().languages(&self.languages).build();
        let mut tb = Tokenizer::builder().hmm(self.hmm).detector(detector);
        for d in &self.user_dicts {
            tb = tb.user_dict(d);
        }
        let tokenizer = tb.build()?;
        Ok(Pipeline {
            tokenizer,
            settings: self,
        })
    }
}

/// A configured pipeline. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Pipeline {
    tokenizer: Tokenizer,
    settings: PipelineBuilder,
}

/// Reusable per-thread buffers.
#[derive(Debug, Default)]
pub struct Scratch {
    buf: TokenBuf,
    conv: String,
}

/// Analysis of one document: its record and term counts.
#[derive(Debug, Clone)]
pub struct DocAnalysis {
    /// The report record.
    pub record: DocRecord,
    /// Term counts (language, term, count), sorted.
    pub terms: Vec<(Lang, String, u32)>,
    /// Word tokens and their characters, per language.
    pub tokens_by_lang: BTreeMap<Lang, (u64, u64)>,
}

#[derive(Default)]
struct Acc {
    groups: BTreeMap<String, GroupAgg>,
    docs: Vec<DocRecord>,
    skipped: Vec<Skipped>,
    warnings: Vec<Warning>,
    files_analyzed: u64,
}

impl Acc {
    fn merge(mut self, o: Acc) -> Acc {
        for (g, a) in o.groups {
            self.groups.entry(g).or_default().merge(a);
        }
        self.docs.extend(o.docs);
        self.skipped.extend(o.skipped);
        self.warnings.extend(o.warnings);
        self.files_analyzed += o.files_analyzed;
        self
    }
}

impl Pipeline {
    /// A builder with the defaults.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// The tokenizer (shared dictionary).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The settings as recorded in reports.
    pub fn settings(&self) -> Settings {
        let s = &self.settings;
        Settings {
            segmenter: "jieba-rs 0.11 (default dictionary), UAX #29 word bounds for other scripts"
                .into(),
            hmm: s.hmm,
            keep_stopwords: s.keep_stopwords,
            top: s.top,
            languages: s.languages.clone(),
            user_dicts: s
                .user_dicts
                .iter()
                .map(|p| {
                    p.file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default()
                })
                .collect(),
            normalization: "NFKC; Latin lowercased".into(),
            traditional_chinese:
                "converted to Simplified for segmentation and terms; spans keep the original".into(),
            rate_denominator: "word tokens of the same language in the group, stopwords included"
                .into(),
        }
    }

    /// Analyses one in-memory text (group `text`).
    pub fn analyze_text(&self, text: &str) -> DocRecord {
        let doc = Document {
            meta: DocMeta {
                id: "text".into(),
                path: String::new(),
                group: "text".into(),
                group_from: "argument".into(),
                fields: Default::default(),
                date_iso: None,
                encoding: "UTF-8".into(),
                format: Format::Txt,
                bytes: text.len() as u64,
                replaced_chars: 0,
            },
            text: text.to_owned(),
        };
        self.analyze_document(doc, &mut Scratch::default()).record
    }

    /// Analyses one document with reusable buffers.
    pub fn analyze_document(&self, doc: Document, scratch: &mut Scratch) -> DocAnalysis {
        let text = lang::normalize(&doc.text);
        let runs: Vec<Run> = self.tokenizer.detector().runs(&text);
        scratch.buf.clear();
        self.tokenizer
            .tokenize_runs(&text, &runs, &mut scratch.buf, &mut scratch.conv);
        let buf = &scratch.buf;

        let mut tokens_by_lang: BTreeMap<Lang, (u64, u64)> = BTreeMap::new();
        let mut counts: FxHashMap<(Lang, &str), u32> = FxHashMap::default();
        let mut content = 0u64;
        for (t, term) in buf.iter() {
            let e = tokens_by_lang.entry(t.lang).or_default();
            e.0 += 1;
            e.1 += text[t.start as usize..t.end as usize].chars().count() as u64;
            if t.stop && !self.settings.keep_stopwords {
                continue;
            }
            content += 1;
            *counts.entry((t.lang, term)).or_default() += 1;
        }
        let per_lang: BTreeMap<Lang, u64> =
            tokens_by_lang.iter().map(|(l, (n, _))| (*l, *n)).collect();
        let total: u64 = per_lang.values().sum();
        let main = per_lang
            .iter()
            .filter(|(l, _)| **l != Lang::Und)
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(l, _)| *l)
            .unwrap_or(Lang::Und);
        let zh_script = if per_lang.contains_key(&Lang::Zh) {
            let mut c = HanVariantCounts::default();
            for r in runs.iter().filter(|r| r.lang == Lang::Zh) {
                c.add(HanVariantCounts::of(&text[r.start..r.end]));
            }
            Some(c.script().tag().to_string())
        } else {
            None
        };
        let lang_shares = per_lang
            .iter()
            .map(|(l, n)| (*l, report::round(*n as f64 / total.max(1) as f64, 4)))
            .collect();
        let mut terms: Vec<(Lang, String, u32)> = counts
            .into_iter()
            .map(|((l, t), c)| (l, t.to_owned(), c))
            .collect();
        terms.sort_unstable();
        DocAnalysis {
            record: DocRecord {
                meta: doc.meta,
                lang: main,
                zh_script,
                lang_shares,
                chars: text.chars().count() as u64,
                tokens: total,
                content_tokens: content,
            },
            terms,
            tokens_by_lang,
        }
    }

    fn add_to(&self, acc: &mut Acc, doc: Document, scratch: &mut Scratch) {
        let a = self.analyze_document(doc, scratch);
        let g = acc.groups.entry(a.record.meta.group.clone()).or_default();
        let t = &mut g.totals;
        t.documents += 1;
        t.bytes += a.record.meta.bytes;
        t.chars += a.record.chars;
        for (l, (n, chars)) in &a.tokens_by_lang {
            *t.tokens.entry(*l).or_default() += n;
            *t.token_chars.entry(*l).or_default() += chars;
        }
        *t.documents_by_lang.entry(a.record.lang).or_default() += 1;
        for (l, term, c) in &a.terms {
            g.terms.add_term(*l, term, *c);
        }
        acc.docs.push(a.record);
    }

    /// Analyses every document under `dir` and builds the report.
    ///
    /// `progress` is called once per file processed (from worker threads).
    pub fn analyze_dir(
        &self,
        dir: impl AsRef<Path>,
        opts: &CorpusOptions,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<Report, PipelineError> {
        let dir = dir.as_ref();
        let corpus = Corpus::discover(dir, opts)?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.settings.threads)
            .build()
            .map_err(|_| PipelineError::Threads(self.settings.threads))?;
        let acc = pool.install(|| {
            corpus
                .files()
                .par_iter()
                .fold(
                    || (Acc::default(), Scratch::default()),
                    |(mut acc, mut scratch), entry| {
                        match corpus.load(entry) {
                            Ok(loaded) => {
                                acc.files_analyzed += 1;
                                acc.warnings.extend(loaded.warnings);
                                for doc in loaded.docs {
                                    self.add_to(&mut acc, doc, &mut scratch);
                                }
                            }
                            Err(reason) => acc.skipped.push(Skipped {
                                path: entry.rel.clone(),
                                reason,
                            }),
                        }
                        progress(&entry.rel);
                        (acc, scratch)
                    },
                )
                .map(|(a, _)| a)
                .reduce(Acc::default, Acc::merge)
        });
        let mut acc = acc;
        acc.skipped.extend(corpus.skipped().iter().cloned());
        acc.warnings.extend(corpus.warnings().iter().cloned());
        if acc.docs.is_empty() {
            return Err(PipelineError::NoDocuments {
                path: dir.display().to_string(),
                skipped: acc.skipped.len(),
            });
        }
        let discovered =
            corpus.files().len() + corpus.skipped().len() + corpus.metadata_files().len();
        Ok(self.build_report(
            dir.display().to_string(),
            discovered as u64,
            corpus.metadata_files().to_vec(),
            acc,
        ))
    }

    fn build_report(
        &self,
        root: String,
        discovered: u64,
        metadata_files: Vec<String>,
        mut acc: Acc,
    ) -> Report {
        acc.docs.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        acc.skipped.sort();
        acc.warnings.sort();
        let mut groups = Vec::new();
        let mut languages = Vec::new();
        let mut terms = Vec::new();
        for (name, g) in &acc.groups {
            let t = &g.totals;
            let all = t.all_tokens();
            groups.push(GroupSummary {
                group: name.clone(),
                documents: t.documents,
                tokens: all,
                bytes: t.bytes,
                chars: t.chars,
            });
            for (lang, n) in &t.tokens {
                let chars = t.token_chars.get(lang).copied().unwrap_or(0);
                languages.push(LangSummary {
                    group: name.clone(),
                    lang: *lang,
                    tokens: *n,
                    token_share: report::round(*n as f64 / all.max(1) as f64, 4),
                    documents: t.documents_by_lang.get(lang).copied().unwrap_or(0),
                    vocabulary: g.terms.vocabulary(*lang) as u64,
                    chars_per_token: report::round(chars as f64 / (*n).max(1) as f64, 3),
                });
                for (rank, (term, s)) in g
                    .terms
                    .top(*lang, self.settings.top)
                    .into_iter()
                    .enumerate()
                {
                    terms.push(TermRecord {
                        group: name.clone(),
                        lang: *lang,
                        rank: rank as u32 + 1,
                        term: term.to_string(),
                        count: s.count,
                        per_10k: report::round(s.count as f64 * 10_000.0 / (*n).max(1) as f64, 3),
                        doc_freq: s.doc_freq,
                    });
                }
            }
        }
        let files_skipped = acc.skipped.len() as u64;
        Report {
            schema_version: report::SCHEMA_VERSION.into(),
            tool: Default::default(),
            settings: self.settings(),
            corpus: CorpusSummary {
                root,
                files_discovered: discovered,
                files_analyzed: acc.files_analyzed,
                files_skipped,
                metadata_files,
                documents: acc.docs.len() as u64,
                tokens: groups.iter().map(|g| g.tokens).sum(),
                groups,
                languages,
            },
            terms,
            documents: acc.docs,
            skipped: acc.skipped,
            warnings: acc.warnings,
        }
    }
}
