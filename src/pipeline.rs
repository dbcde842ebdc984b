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

use crate::aggregate::{FirstFiles, GroupAgg, TermTable};
use crate::compare::{self, CompareOptions};
use crate::concepts::{ConceptHit, ConceptMatcher, FormCuts, Glossary, GlossaryError, MergeMode};
use crate::corpus::date::Period;
use crate::corpus::{
    Corpus, CorpusError, CorpusOptions, DocMeta, Document, Format, Skipped, Warning,
};
use crate::docstore::DocStore;
use crate::lang::{self, HanVariantCounts, Lang, LangDetector, Run};
use crate::partial::{Partial, PartialGroup, PARTIAL_VERSION};
use crate::report::{
    self, Checks, CorpusSummary, DocConceptRecord, DocRecord, EvidenceKind, EvidenceRecord,
    GroupSummary, LangSummary, Report, Settings, TermRecord,
};
use crate::sentiment::{DocSentiment, Mode, Polarity, SentimentError, SentimentModel};
use crate::tokenize::{BaseDict, Prepared, TokenBuf, TokenizeError, Tokenizer};
use crate::vocab::{DenseTerms, Entry as VocabEntry, Vocab};
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
    /// A sentiment lexicon could not be loaded.
    #[error(transparent)]
    Sentiment(#[from] SentimentError),
    /// A concept glossary could not be loaded.
    #[error(transparent)]
    Glossary(#[from] GlossaryError),
    /// Unusable input: a standard-input read error, or partials that cannot be merged.
    #[error("{0}")]
    Input(String),
    /// A group named in `--compare` is not in the corpus.
    #[error("--compare: no group named {0:?} in the corpus (groups: {1})")]
    UnknownGroup(String, String),
    /// No document could be analysed.
    #[error("{path}: no readable documents ({skipped} file(s) skipped; rerun without --quiet to see why)")]
    NoDocuments {
        /// Corpus root.
        path: String,
        /// Files skipped.
        skipped: usize,
    },
    /// The thread pool could not be built.
    #[error("cannot start {0} worker threads")]
    Threads(usize),
    /// The temporary file holding the document records could not be written or read.
    #[error("temporary file of document records: {0}")]
    TempFile(std::io::Error),
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
    lexicons: Vec<PathBuf>,
    replace_lexicons: bool,
    word_lists: Vec<(PathBuf, Polarity, Lang)>,
    glossaries: Vec<PathBuf>,
    replace_glossary: bool,
    compare: CompareOptions,
    evidence: usize,
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
            lexicons: Vec::new(),
            replace_lexicons: false,
            word_lists: Vec::new(),
            glossaries: Vec::new(),
            replace_glossary: false,
            compare: CompareOptions::default(),
            evidence: 3,
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

    /// Adds a sentiment lexicon (TSV `term<TAB>score[<TAB>lang]`).
    pub fn lexicon(mut self, p: impl AsRef<Path>) -> Self {
        self.lexicons.push(p.as_ref().to_path_buf());
        self
    }
    /// Use only the added lexicons and word lists, not the shipped lexicons (with
    /// none added, the shipped ones stay).
    pub fn replace_lexicons(mut self, on: bool) -> Self {
        self.replace_lexicons = on;
        self
    }
    /// Adds a plain positive or negative word list (one word a line, any encoding).
    pub fn word_list(mut self, p: impl AsRef<Path>, polarity: Polarity, lang: Lang) -> Self {
        self.word_lists
            .push((p.as_ref().to_path_buf(), polarity, lang));
        self
    }
    /// Adds a concept glossary (TSV or TOML) to the shipped one.
    pub fn glossary(mut self, p: impl AsRef<Path>) -> Self {
        self.glossaries.push(p.as_ref().to_path_buf());
        self
    }
    /// Use only the added glossaries, not the shipped one.
    pub fn replace_glossary(mut self, on: bool) -> Self {
        self.replace_glossary = on;
        self
    }
    /// The two groups to compare (default: the two largest).
    pub fn compare_groups(mut self, a: impl Into<String>, b: impl Into<String>) -> Self {
        self.compare.pair = Some((a.into(), b.into()));
        self
    }
    /// Minimum document frequency for keyness (default 2).
    pub fn min_doc_freq(mut self, n: u64) -> Self {
        self.compare.min_doc_freq = n;
        self
    }
    /// Seed of bootstrap and permutation resampling.
    pub fn seed(mut self, seed: u64) -> Self {
        self.compare.seed = seed;
        self
    }
    /// Bootstrap and permutation replicates (default 2000).
    pub fn bootstrap_reps(mut self, n: usize) -> Self {
        self.compare.reps = n;
        self
    }
    /// Time series granularity (default month).
    pub fn period(mut self, p: Period) -> Self {
        self.compare.period = p;
        self
    }
    /// Keyword-in-context examples per term or concept (default 3; 0 turns the
    /// evidence pass off).
    pub fn evidence(mut self, n: usize) -> Self {
        self.evidence = n;
        self
    }

    /// Loads the resources: dictionary, lexicons, glossary. Do this once.
    ///
    /// jieba's default dictionary (most of the time) loads on this thread while a
    /// second one reads the glossary, the user dictionaries and the lexicons; only what
    /// needs the dictionary (adding the domain and glossary words, cutting the glossary
    /// forms for the concept matcher) follows it. Errors are reported in the order the
    /// steps would run in turn: glossary, user dictionaries, lexicons.
    pub fn build(self) -> Result<Pipeline, PipelineError> {
        let (base, rest) = std::thread::scope(|scope| {
            let rest = scope.spawn(|| self.load_rest());
            let base = BaseDict::load();
            let rest = rest.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            (base, rest)
        });
        let (glossary, tokenizer, sentiment, cuts) = rest?;
        let tokenizer = tokenizer.finish_on(base)?;
        let matcher = ConceptMatcher::with_cuts(&glossary, &tokenizer, cuts);
        Ok(Pipeline {
            inner: std::sync::Arc::new(Inner {
                tokenizer,
                sentiment,
                matcher,
                settings: self,
            }),
        })
    }

    /// Whether the shipped lexicons are used: unless the added lexicons or word lists
    /// replace them.
    fn keeps_shipped_lexicons(&self) -> bool {
        !self.replace_lexicons || (self.lexicons.is_empty() && self.word_lists.is_empty())
    }

    /// Everything [`PipelineBuilder::build`] loads but jieba's dictionary, and the
    /// glossary forms that can be cut without it.
    #[allow(clippy::type_complexity)]
    fn load_rest(&self) -> Result<(Glossary, Prepared, SentimentModel, FormCuts), PipelineError> {
        let mut glossary = if self.replace_glossary && !self.glossaries.is_empty() {
            Glossary::new()
        } else {
            Glossary::shipped()
        };
        for g in &self.glossaries {
            glossary.merge(Glossary::from_path(g)?, MergeMode::Extend);
        }
        let detector = LangDetector::builder().languages(&self.languages).build();
        let mut tb = Tokenizer::builder()
            .hmm(self.hmm)
            .detector(detector)
            .words(glossary.zh_words().map(str::to_owned).collect::<Vec<_>>());
        for d in &self.user_dicts {
            tb = tb.user_dict(d);
        }
        let tokenizer = tb.prepare()?;
        let mut sb = SentimentModel::builder().shipped(self.keeps_shipped_lexicons());
        for l in &self.lexicons {
            sb = sb.lexicon_file(l, Mode::Extend);
        }
        for (p, pol, l) in &self.word_lists {
            sb = sb.word_list(p, *pol, *l);
        }
        let sentiment = sb.build()?;
        let cuts = FormCuts::without_dict(&glossary, &tokenizer);
        Ok((glossary, tokenizer, sentiment, cuts))
    }
}

struct Inner {
    tokenizer: Tokenizer,
    sentiment: SentimentModel,
    matcher: ConceptMatcher,
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

/// Reusable per-thread buffers, and the thread's vocabulary (term ids with their
/// lexicon and concept facts, looked up once per distinct term; it grows with the
/// vocabulary of the documents analysed with this scratch, not with their number).
#[derive(Debug, Default)]
pub struct Scratch {
    buf: TokenBuf,
    conv: String,
    hits: Vec<ConceptHit>,
    vocab: Vocab,
    /// Vocabulary entry of each token of the current document.
    tok_entries: Vec<VocabEntry>,
    /// Per vocabulary id: occurrences in the current document (zero between documents).
    doc_counts: Vec<u32>,
    /// Ids counted in the current document, with the index of their first token.
    touched: Vec<(u32, u32)>,
}

/// Analysis of one document: its record, term counts, concepts and sentiment.
#[derive(Debug, Clone)]
pub struct DocAnalysis {
    /// The report record.
    pub record: DocRecord,
    /// Term counts (language, term, count), sorted.
    pub terms: Vec<(Lang, String, u32)>,
    /// Word tokens and their characters, per language.
    pub tokens_by_lang: BTreeMap<Lang, (u64, u64)>,
    /// Concept mentions.
    pub concepts: Vec<DocConceptRecord>,
    /// Lexicon coverage per language.
    pub coverage: BTreeMap<Lang, crate::aggregate::Coverage>,
}

/// One accumulator (and scratch buffers) per pool thread. [`Slots::share`] hands items
/// to the threads one at a time from a shared counter, so none sits idle while another
/// still has a long run of items (an up-front split of the list can be uneven: Chinese
/// text costs more per byte). Aggregates are sums and the report sorts everything, so
/// which thread took which item does not change the result.
struct Slots(Vec<std::sync::Mutex<(Acc, Scratch)>>);

impl Slots {
    fn new(pool: &rayon::ThreadPool) -> Self {
        Slots(
            (0..pool.current_num_threads())
                .map(|_| std::sync::Mutex::new(Default::default()))
                .collect(),
        )
    }

    /// Calls `each(acc, scratch, index, item)` once per item, on the pool's threads.
    fn share<T: Sync>(
        &self,
        pool: &rayon::ThreadPool,
        items: &[T],
        each: impl Fn(&mut Acc, &mut Scratch, usize, &T) + Sync,
    ) {
        let next = std::sync::atomic::AtomicUsize::new(0);
        pool.broadcast(|ctx| {
            let Some(slot) = self.0.get(ctx.index()) else {
                return;
            };
            let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
            let (acc, scratch) = &mut *slot;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else {
                    break;
                };
                each(acc, scratch, i, item);
            }
        });
    }

    /// The threads' accumulators merged. The vocabularies are folded into the largest
    /// one first (each thread's id-indexed term counts renumbered and added to its
    /// arrays, and the thread's vocabulary dropped), so the terms are turned into
    /// string-keyed tables once, one group per pool thread, instead of once per thread
    /// and then merged: a run holds one string table per group, never one per thread.
    /// Every step is a sum, so the result does not depend on which thread met what.
    fn into_acc(self, pool: &rayon::ThreadPool) -> Acc {
        let mut slots: Vec<(Acc, Scratch)> = self
            .0
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect();
        slots.sort_by_key(|(_, s)| std::cmp::Reverse(s.vocab.len()));
        let mut slots = slots.into_iter();
        let Some((mut acc, base)) = slots.next() else {
            return Acc::default();
        };
        let mut vocab = base.vocab;
        for (mut o, os) in slots {
            let ids = vocab.absorb(&os.vocab);
            drop(os);
            for (g, d) in std::mem::take(&mut o.dense) {
                acc.dense.entry(g).or_default().absorb(d, &ids, vocab.len());
            }
            let dense = std::mem::take(&mut acc.dense);
            acc = acc.merge(o);
            acc.dense = dense;
        }
        let dense: Vec<(String, DenseTerms)> = std::mem::take(&mut acc.dense).into_iter().collect();
        let vocab = &vocab;
        let tables: Vec<(String, TermTable)> = pool.install(|| {
            dense
                .into_par_iter()
                .map(|(g, mut d)| {
                    let mut t = TermTable::default();
                    d.drain_into(vocab, &mut t);
                    (g, t)
                })
                .collect()
        });
        for (g, t) in tables {
            acc.groups.entry(g).or_default().terms.merge(t);
        }
        acc
    }
}

/// A directory run's aggregate with what its report needs besides.
struct Collected {
    acc: Acc,
    root: String,
    discovered: u64,
    metadata: Vec<String>,
}

#[derive(Default)]
struct Acc {
    groups: BTreeMap<String, GroupAgg>,
    /// Term counts per group by vocabulary id (of the owning thread's [`Scratch`]),
    /// moved into `groups` by [`Slots::into_acc`].
    dense: BTreeMap<String, DenseTerms>,
    /// Documents and their concept rows: statistics in memory, records spilled.
    store: DocStore,
    skipped: Vec<Skipped>,
    warnings: Vec<Warning>,
    files_analyzed: u64,
}

impl Acc {
    fn merge(mut self, o: Acc) -> Acc {
        debug_assert!(self.dense.is_empty() && o.dense.is_empty());
        for (g, a) in o.groups {
            self.groups.entry(g).or_default().merge(a);
        }
        self.store.merge(o.store);
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
        &self.inner.tokenizer
    }

    /// The sentiment model.
    pub fn sentiment(&self) -> &SentimentModel {
        &self.inner.sentiment
    }

    /// The concept matcher.
    pub fn concepts(&self) -> &ConceptMatcher {
        &self.inner.matcher
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
            concepts: self.inner.matcher.len() as u64,
            evidence: s.evidence as u64,
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

    /// Normalizes `raw`, cuts it into script runs and tokenizes it into `scratch.buf`
    /// (stopwords flagged when `flag_stop`); returns the normalized text (all spans
    /// refer to it) and the runs.
    fn tokenize_into(
        &self,
        raw: &str,
        scratch: &mut Scratch,
        flag_stop: bool,
    ) -> (String, Vec<Run>) {
        let tok = &self.inner.tokenizer;
        let text = lang::normalize(raw);
        let runs = tok.detector().runs(&text);
        scratch.buf.clear();
        tok.tokenize_runs_with(&text, &runs, &mut scratch.buf, &mut scratch.conv, flag_stop);
        (text, runs)
    }

    /// Analyses one document with reusable buffers.
    pub fn analyze_document(&self, doc: Document, scratch: &mut Scratch) -> DocAnalysis {
        let mut terms: Vec<(Lang, String, u32)> = Vec::new();
        let mut a = self.analyze_with(doc, scratch, |_, l, t, c, _| {
            terms.push((l, t.to_owned(), c))
        });
        terms.sort_unstable();
        a.terms = terms;
        a
    }

    /// [`Pipeline::analyze_document`] without an owned copy of each term: the term counts
    /// go to `sink` (vocabulary id, language, term, count, vocabulary size), in no
    /// particular order (term tables are order-independent); the returned `terms` is
    /// empty.
    fn analyze_with(
        &self,
        doc: Document,
        scratch: &mut Scratch,
        mut sink: impl FnMut(u32, Lang, &str, u32, usize),
    ) -> DocAnalysis {
        let inner = &*self.inner;
        // Stopword flags come from the vocabulary (one lookup per token for all facts).
        let (text, runs) = self.tokenize_into(&doc.text, scratch, false);
        let Scratch {
            buf,
            hits,
            vocab,
            tok_entries,
            doc_counts,
            touched,
            ..
        } = scratch;

        // (tokens, chars) per language, indexed by `Lang as usize`.
        let mut by_lang = [(0u64, 0u64, false); Lang::ALL.len()];
        let mut content = 0u64;
        let bytes = text.as_bytes();
        tok_entries.clear();
        touched.clear();
        for (k, (t, term)) in buf.iter().enumerate() {
            let e = &mut by_lang[t.lang as usize];
            e.2 = true;
            e.0 += 1;
            // Characters = bytes that are not UTF-8 continuation bytes.
            e.1 += bytes[t.start as usize..t.end as usize]
                .iter()
                .filter(|&&b| (b as i8) >= -0x40)
                .count() as u64;
            let entry = vocab.entry(
                t.lang,
                term,
                &inner.tokenizer,
                &inner.sentiment,
                &inner.matcher,
            );
            tok_entries.push(entry);
            let id = entry.id;
            if entry.stop && !inner.settings.keep_stopwords {
                continue;
            }
            content += 1;
            let i = id as usize;
            if i >= doc_counts.len() {
                doc_counts.resize(vocab.len().max(i + 1), 0);
            }
            if doc_counts[i] == 0 {
                touched.push((id, k as u32));
            }
            doc_counts[i] += 1;
        }
        let tokens_by_lang: BTreeMap<Lang, (u64, u64)> = Lang::ALL
            .iter()
            .filter(|l| by_lang[**l as usize].2)
            .map(|l| {
                let (n, c, _) = by_lang[*l as usize];
                (*l, (n, c))
            })
            .collect();
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
        buf.set_stop(|k| tok_entries[k].stop);
        let buf = &*buf;
        let toks = buf.tokens();
        for &(id, k) in touched.iter() {
            let c = std::mem::take(&mut doc_counts[id as usize]);
            let t = &toks[k as usize];
            sink(id, t.lang, buf.term(t), c, vocab.len());
        }

        // Sentiment per sentence, then concepts and the sentences that mention them
        // (each token's lexicon entry and concept start from the vocabulary).
        let tok_entries = &*tok_entries;
        let senti: DocSentiment = inner
            .sentiment
            .score_with(&text, buf, |k| tok_entries[k].senti);
        hits.clear();
        inner
            .matcher
            .find_with(buf, hits, |k| tok_entries[k].concept);
        let concepts = self.doc_concepts(&doc.meta, buf, &senti, hits);
        let mut coverage: BTreeMap<Lang, crate::aggregate::Coverage> = BTreeMap::new();
        for c in &senti.coverage {
            if c.tokens == 0 && c.sentences == 0 {
                continue;
            }
            coverage
                .entry(c.lang)
                .or_default()
                .add(&crate::aggregate::Coverage {
                    tokens: c.tokens,
                    hit_tokens: c.hit_tokens,
                    sentences: c.sentences,
                    hit_sentences: c.hit_sentences,
                });
        }
        let hit: Vec<&crate::sentiment::SentenceSentiment> = senti
            .sentences
            .iter()
            .filter(|s| !s.terms.is_empty())
            .collect();
        let hit_sum: f64 = hit.iter().map(|s| s.score as f64).sum();
        let r6 = |x: f64| report::round(x, 6);
        DocAnalysis {
            record: DocRecord {
                meta: doc.meta,
                lang: main,
                zh_script,
                lang_shares,
                chars: text.chars().count() as u64,
                tokens: total,
                content_tokens: content,
                tokens_by_lang: per_lang,
                sentences: senti.sentences.len() as u64,
                sentiment: r6(senti.score as f64),
                sentiment_label: label(senti.score as f64).into(),
                sentiment_sentence_mean: r6(senti.sentence_mean as f64),
                sentiment_hit_sum: r6(hit_sum),
                hit_sentences: hit.len() as u64,
                sentences_positive: senti.positive as u64,
                sentences_negative: senti.negative as u64,
                sentences_neutral: senti.neutral as u64,
                lexicon_token_coverage: r6(senti.token_coverage()),
                lexicon_sentence_coverage: r6(senti.sentence_coverage()),
                concept_mentions: hits.len() as u64,
            },
            terms: Vec::new(),
            tokens_by_lang,
            concepts,
            coverage,
        }
    }

    fn doc_concepts(
        &self,
        meta: &DocMeta,
        buf: &TokenBuf,
        senti: &DocSentiment,
        hits: &[ConceptHit],
    ) -> Vec<DocConceptRecord> {
        // concept → (mentions, zh, en, sentences seen)
        let mut by: BTreeMap<u32, (u64, u64, u64, Vec<usize>)> = BTreeMap::new();
        let toks = buf.tokens();
        for h in hits {
            let Some(t) = toks.get(h.first as usize) else {
                continue;
            };
            let e = by.entry(h.concept).or_default();
            e.0 += 1;
            match t.lang {
                Lang::Zh => e.1 += 1,
                Lang::En => e.2 += 1,
                _ => {}
            }
            let pos = t.start as usize;
            let si = senti.sentences.partition_point(|s| s.end <= pos);
            if si < senti.sentences.len()
                && senti.sentences[si].start <= pos
                && e.3.last() != Some(&si)
            {
                e.3.push(si);
            }
        }
        by.into_iter()
            .map(|(c, (m, z, en, sents))| DocConceptRecord {
                doc_id: meta.id.clone(),
                group: meta.group.clone(),
                concept: self.inner.matcher.id(c).to_string(),
                concept_index: c,
                mentions: m,
                mentions_zh: z,
                mentions_en: en,
                sentences: sents.len() as u64,
                sentiment_sum: report::round(
                    sents.iter().map(|&i| senti.sentences[i].score as f64).sum(),
                    6,
                ),
            })
            .collect()
    }

    /// Adds one document of file `file` (its ordinal in the sorted file list, or
    /// `u32::MAX` outside directory runs).
    fn add_to(&self, acc: &mut Acc, doc: Document, scratch: &mut Scratch, file: u32) {
        let g = acc.groups.entry(doc.meta.group.clone()).or_default();
        // Terms go into the group's id-indexed table: no owned copy, no hashing.
        let dense = match acc.dense.get_mut(&doc.meta.group) {
            Some(d) => d,
            None => acc.dense.entry(doc.meta.group.clone()).or_default(),
        };
        let a = self.analyze_with(doc, scratch, |id, _, _, c, n| dense.add(id, c, file, n));
        let t = &mut g.totals;
        t.documents += 1;
        t.bytes += a.record.meta.bytes;
        t.chars += a.record.chars;
        for (l, (n, chars)) in &a.tokens_by_lang {
            *t.tokens.entry(*l).or_default() += n;
            *t.token_chars.entry(*l).or_default() += chars;
        }
        *t.documents_by_lang.entry(a.record.lang).or_default() += 1;
        for (l, c) in &a.coverage {
            g.coverage.entry(*l).or_default().add(c);
        }
        acc.store.push(a.record, a.concepts, file);
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
        self.analyze_dir_lazy(dir, opts, progress)?.into_report()
    }

    /// [`Pipeline::analyze_dir`] with the documents and document × concept rows left
    /// in temporary files until the report is written ([`LazyReport::write_json`]):
    /// the memory of the run then grows with the vocabulary, hardly with the number
    /// of documents.
    pub fn analyze_dir_lazy(
        &self,
        dir: impl AsRef<Path>,
        opts: &CorpusOptions,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<LazyReport, PipelineError> {
        let (corpus, c, pool) = self.collect_dir(dir.as_ref(), opts, progress)?;
        // The same checks and report as a merge of this run's partial, without the
        // round trip through the sorted partial form.
        let mut acc = c.acc;
        let mut report =
            pool.install(|| self.checked_report(c.root, c.discovered, c.metadata, &mut acc))?;
        if self.inner.settings.evidence > 0 {
            report.evidence =
                pool.install(|| self.evidence(&corpus, &report, &acc.groups, &acc.store));
        }
        Ok(LazyReport {
            report,
            store: acc.store,
            pipeline: self.clone(),
        })
    }

    /// Analyses every document under `dir` into a partial aggregate (the map step of
    /// a sharded run; see [`crate::partial`]).
    pub fn analyze_dir_partial(
        &self,
        dir: impl AsRef<Path>,
        opts: &CorpusOptions,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<Partial, PipelineError> {
        let c = self.collect_dir(dir.as_ref(), opts, progress)?.1;
        self.to_partial(c.acc, c.root, c.discovered, c.metadata)
    }

    fn pool(&self) -> Result<rayon::ThreadPool, PipelineError> {
        let threads = self.inner.settings.threads;
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|_| PipelineError::Threads(threads))
    }

    fn collect_dir(
        &self,
        dir: &Path,
        opts: &CorpusOptions,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<(Corpus, Collected, rayon::ThreadPool), PipelineError> {
        let corpus = Corpus::discover(dir, opts)?;
        let pool = self.pool()?;
        let slots = Slots::new(&pool);
        slots.share(&pool, corpus.files(), |acc, scratch, ordinal, entry| {
            match corpus.load(entry) {
                Ok(loaded) => {
                    acc.files_analyzed += 1;
                    acc.warnings.extend(loaded.warnings);
                    let file = u32::try_from(ordinal).unwrap_or(u32::MAX);
                    for doc in loaded.docs {
                        self.add_to(acc, doc, scratch, file);
                    }
                }
                Err(reason) => acc.skipped.push(Skipped {
                    path: entry.rel.clone(),
                    reason,
                }),
            }
            progress(&entry.rel);
        });
        let mut acc = slots.into_acc(&pool);
        acc.skipped.extend(corpus.skipped().iter().cloned());
        acc.warnings.extend(corpus.warnings().iter().cloned());
        let discovered =
            corpus.files().len() + corpus.skipped().len() + corpus.metadata_files().len();
        let collected = Collected {
            acc,
            root: dir.display().to_string(),
            discovered: discovered as u64,
            metadata: corpus.metadata_files().to_vec(),
        };
        Ok((corpus, collected, pool))
    }

    /// Analyses documents given as JSON lines (`{"text": …, "group": …, "id": …,
    /// "source": …, "date": …, "title": …}`) read from `input`, streaming in chunks.
    ///
    /// A line without `id` gets `<name>#L<line>`: give ids when shards are merged, so
    /// they stay unique. Lines that are not JSON objects with a `text` and a `group`
    /// are listed as skipped with their line number. Evidence needs the texts again
    /// and is not collected here.
    pub fn analyze_jsonl(
        &self,
        input: impl std::io::BufRead,
        name: &str,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<Partial, PipelineError> {
        const CHUNK: usize = 1024;
        let pool = self.pool()?;
        // One accumulator per pool thread for the whole stream, as in directory runs.
        let slots = Slots::new(&pool);
        let mut lines = input.lines();
        let mut n = 0usize;
        let mut discovered = 0u64;
        loop {
            let mut chunk: Vec<(usize, String)> = Vec::with_capacity(CHUNK);
            for line in lines.by_ref() {
                n += 1;
                let line =
                    line.map_err(|e| PipelineError::Input(format!("{name}: line {n}: {e}")))?;
                if line.trim().is_empty() {
                    continue;
                }
                chunk.push((n, line));
                if chunk.len() == CHUNK {
                    break;
                }
            }
            if chunk.is_empty() {
                break;
            }
            discovered += chunk.len() as u64;
            slots.share(
                &pool,
                &chunk,
                |acc, scratch, _, (line_no, line)| match jsonl_document(name, *line_no, line) {
                    Ok(doc) => {
                        acc.files_analyzed += 1;
                        self.add_to(acc, doc, scratch, u32::MAX);
                    }
                    Err(reason) => acc.skipped.push(Skipped {
                        path: format!("{name}#L{line_no}"),
                        reason,
                    }),
                },
            );
            progress(name);
        }
        let acc = slots.into_acc(&pool);
        self.to_partial(acc, name.to_string(), discovered, Vec::new())
    }

    fn to_partial(
        &self,
        mut acc: Acc,
        root: String,
        discovered: u64,
        metadata: Vec<String>,
    ) -> Result<Partial, PipelineError> {
        // In report order, so a partial does not depend on which thread took which file.
        acc.store.sort();
        acc.skipped.sort();
        acc.warnings.sort();
        acc.store.finish().map_err(PipelineError::TempFile)?;
        let documents = acc
            .store
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(PipelineError::TempFile)?;
        let name = |c: u32| self.inner.matcher.id(c).to_string();
        let doc_concepts = acc.store.concept_records(&name).collect();
        Ok(Partial {
            partial_version: PARTIAL_VERSION,
            tool: Default::default(),
            settings: self.settings(),
            root,
            files_discovered: discovered,
            files_analyzed: acc.files_analyzed,
            metadata_files: metadata,
            groups: acc
                .groups
                .iter()
                .map(|(g, a)| (g.clone(), PartialGroup::from_agg(a)))
                .collect(),
            documents,
            doc_concepts,
            skipped: acc.skipped,
            warnings: acc.warnings,
        })
    }

    /// Merges partial aggregates (in any order) and builds the report: the reduce step.
    ///
    /// Fails when the partials were made with different settings, when a document id
    /// occurs twice, or when there is no document at all.
    pub fn report_from_partials(&self, parts: Vec<Partial>) -> Result<Report, PipelineError> {
        self.report_from_partials_lazy(parts)?.into_report()
    }

    /// [`Pipeline::report_from_partials`] with the documents left in temporary files
    /// until the report is written (see [`Pipeline::analyze_dir_lazy`]).
    pub fn report_from_partials_lazy(
        &self,
        parts: Vec<Partial>,
    ) -> Result<LazyReport, PipelineError> {
        let settings = self.settings();
        let mut acc = Acc::default();
        let mut roots: Vec<String> = Vec::new();
        let mut discovered = 0u64;
        let mut metadata: Vec<String> = Vec::new();
        for (i, p) in parts.into_iter().enumerate() {
            if p.partial_version != PARTIAL_VERSION {
                return Err(PipelineError::Input(format!(
                    "partial {}: format version {} (this duibi reads {PARTIAL_VERSION})",
                    i + 1,
                    p.partial_version
                )));
            }
            if p.settings != settings {
                return Err(PipelineError::Input(format!(
                    "partial {}: made with different settings than this merge (segmentation, stopwords, lexicons or glossary differ)",
                    i + 1
                )));
            }
            roots.extend(p.root.split(',').map(str::to_owned));
            discovered += p.files_discovered;
            metadata.extend(p.metadata_files);
            let mut part = Acc {
                groups: p
                    .groups
                    .into_iter()
                    .map(|(g, pg)| (g, pg.into_agg()))
                    .collect(),
                dense: BTreeMap::new(),
                store: DocStore::default(),
                skipped: p.skipped,
                warnings: p.warnings,
                files_analyzed: p.files_analyzed,
            };
            // Concept rows by document (the first document with the id).
            let mut by_doc: FxHashMap<&str, Vec<DocConceptRecord>> = p
                .documents
                .iter()
                .map(|d| (d.meta.id.as_str(), Vec::new()))
                .collect();
            for mut c in p.doc_concepts {
                c.concept_index = self.inner.matcher.index_of(&c.concept).ok_or_else(|| {
                    PipelineError::Input(format!(
                        "partial {}: concept {:?} is not in this glossary",
                        i + 1,
                        c.concept
                    ))
                })?;
                let Some(v) = by_doc.get_mut(c.doc_id.as_str()) else {
                    return Err(PipelineError::Input(format!(
                        "partial {}: concept row for document {:?}, which it does not list",
                        i + 1,
                        c.doc_id
                    )));
                };
                v.push(c);
            }
            let mut concepts: Vec<Vec<DocConceptRecord>> = p
                .documents
                .iter()
                .map(|d| {
                    by_doc
                        .get_mut(d.meta.id.as_str())
                        .map(std::mem::take)
                        .unwrap_or_default()
                })
                .collect();
            drop(by_doc);
            for (d, cs) in p.documents.into_iter().zip(concepts.iter_mut()) {
                part.store.push(d, std::mem::take(cs), u32::MAX);
            }
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

    /// Checks a merged aggregate (documents present, ids unique, compared groups
    /// present) and builds its report.
    fn checked_report(
        &self,
        root: String,
        discovered: u64,
        mut metadata: Vec<String>,
        acc: &mut Acc,
    ) -> Result<Report, PipelineError> {
        metadata.sort();
        metadata.dedup();
        acc.store.finish().map_err(PipelineError::TempFile)?;
        if acc.store.is_empty() {
            return Err(PipelineError::NoDocuments {
                path: root,
                skipped: acc.skipped.len(),
            });
        }
        let mut ids: Vec<&str> = acc.store.stats.iter().map(|d| d.id.as_str()).collect();
        ids.sort_unstable();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(PipelineError::Input(format!(
                "document id {:?} occurs twice (shards overlap, or JSON lines lack unique ids)",
                w[0]
            )));
        }
        if let Some((a, b)) = &self.inner.settings.compare.pair {
            for g in [a, b] {
                if !acc.groups.contains_key(g) {
                    let names: Vec<&str> = acc.groups.keys().map(String::as_str).collect();
                    return Err(PipelineError::UnknownGroup(g.clone(), names.join(", ")));
                }
            }
        }
        Ok(self.build_report(root, discovered, metadata, acc))
    }

    /// Second pass: keyword-in-context examples for the top distinctive terms and
    /// concepts. The examples of a target are its first documents in sorted file order
    /// (one per document). The main pass recorded, for every term, the first
    /// [`FirstFiles::CAP`] files containing it, and the report lists the documents
    /// that mention each concept, so this pass reads only those candidate files, in
    /// order; only a target still short after them (more examples asked than
    /// [`FirstFiles::CAP`], or a match outside any sentence) sends it on through the
    /// remaining files. The result does not depend on the thread count.
    fn evidence(
        &self,
        corpus: &Corpus,
        report: &Report,
        groups: &BTreeMap<String, GroupAgg>,
        store: &DocStore,
    ) -> Vec<EvidenceRecord> {
        let n = self.inner.settings.evidence;
        let mut targets = EvidenceTargets::new(report, n);
        if targets.is_done() {
            return Vec::new();
        }
        let mut candidates: Vec<u32> = Vec::new();
        for (lang, terms) in &targets.terms {
            for (term, group) in terms {
                if let Some(s) = groups.get(group).and_then(|g| g.terms.get(*lang, term)) {
                    candidates.extend(s.first_files.files());
                }
            }
        }
        for (concept, gs) in &targets.concepts {
            let Some(ci) = self.inner.matcher.index_of(concept) else {
                continue;
            };
            for g in gs {
                let mut files = FirstFiles::default();
                for c in store
                    .concepts
                    .iter()
                    .filter(|c| c.concept_index == ci && *c.group == **g)
                {
                    // The file of the document (its ordinal in this run's file list).
                    if let Some(l) = store.locs.get(c.doc as usize) {
                        files.insert(l.file);
                    }
                }
                candidates.extend(files.files());
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let files = corpus.files();
        let first: Vec<&crate::corpus::FileEntry> = candidates
            .iter()
            .filter_map(|&i| files.get(i as usize))
            .collect();
        self.evidence_in(corpus, &first, &mut targets);
        if !targets.is_done() {
            let rest: Vec<&crate::corpus::FileEntry> = files
                .iter()
                .enumerate()
                .filter(|(i, _)| candidates.binary_search(&(*i as u32)).is_err())
                .map(|(_, f)| f)
                .collect();
            self.evidence_in(corpus, &rest, &mut targets);
        }
        targets.into_records()
    }

    /// Offers the examples found in `files` (in their order, a chunk at a time, stopping
    /// once every target is filled).
    fn evidence_in(
        &self,
        corpus: &Corpus,
        files: &[&crate::corpus::FileEntry],
        targets: &mut EvidenceTargets,
    ) {
        for chunk in files.chunks(64) {
            if targets.is_done() {
                break;
            }
            let t: &EvidenceTargets = targets;
            let found: Vec<Vec<EvidenceRecord>> = chunk
                .par_iter()
                .map_init(Scratch::default, |scratch, entry| {
                    let Ok(loaded) = corpus.load(entry) else {
                        return Vec::new();
                    };
                    let mut out = Vec::new();
                    for doc in loaded.docs {
                        if t.open_in(&doc.meta.group) > 0 {
                            self.find_evidence(doc, t, scratch, &mut out);
                        }
                    }
                    out
                })
                .collect();
            for recs in found {
                for r in recs {
                    targets.offer(r);
                }
            }
        }
    }

    fn find_evidence(
        &self,
        doc: Document,
        targets: &EvidenceTargets,
        scratch: &mut Scratch,
        out: &mut Vec<EvidenceRecord>,
    ) {
        let inner = &*self.inner;
        let (text, _) = self.tokenize_into(&doc.text, scratch, true);
        let group = &doc.meta.group;
        // (kind, key, lang, start, end)
        let mut matches: Vec<(EvidenceKind, String, Lang, usize, usize)> = Vec::new();
        for (t, term) in scratch.buf.iter() {
            if targets.wants_term(t.lang, term, group) {
                matches.push((
                    EvidenceKind::Term,
                    term.to_string(),
                    t.lang,
                    t.start as usize,
                    t.end as usize,
                ));
            }
        }
        scratch.hits.clear();
        inner.matcher.find(&scratch.buf, &mut scratch.hits);
        let toks = scratch.buf.tokens();
        for h in &scratch.hits {
            let id = inner.matcher.id(h.concept);
            if !targets.wants_concept(id, group) {
                continue;
            }
            let (Some(f), Some(l)) = (toks.get(h.first as usize), toks.get(h.last as usize)) else {
                continue;
            };
            matches.push((
                EvidenceKind::Concept,
                id.to_string(),
                f.lang,
                f.start as usize,
                l.end as usize,
            ));
        }
        if matches.is_empty() {
            return;
        }
        let senti = inner.sentiment.score_document(&text, &scratch.buf);
        for (kind, key, lang, start, end) in matches {
            let si = senti.sentences.partition_point(|s| s.end <= start);
            let (ss, se, score) = match senti.sentences.get(si) {
                Some(s) if s.start <= start && end <= s.end => (s.start, s.end, s.score as f64),
                _ => continue,
            };
            out.push(EvidenceRecord {
                kind,
                key,
                lang,
                group: group.clone(),
                doc_id: doc.meta.id.clone(),
                sentence: text[ss..se].to_string(),
                match_start: text[ss..start].chars().count() as u64,
                match_end: text[ss..end].chars().count() as u64,
                sentence_sentiment: report::round(score, 4),
            });
        }
    }

    /// Builds the report without its documents and document × concept rows (they stay
    /// in `acc.store`, sorted); takes the skipped files and warnings out of `acc` and
    /// leaves its group aggregates (the evidence pass reads them).
    fn build_report(
        &self,
        root: String,
        discovered: u64,
        metadata_files: Vec<String>,
        acc: &mut Acc,
    ) -> Report {
        acc.store.sort();
        acc.skipped.sort();
        acc.warnings.sort();
        let analysis = compare::analyze_stats(
            &acc.groups,
            &acc.store.stats,
            &acc.store.concepts,
            self.inner.matcher.infos(),
            &self.inner.settings.compare,
        );
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
                    .top(*lang, self.inner.settings.top)
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
                documents: acc.store.len() as u64,
                tokens: groups.iter().map(|g| g.tokens).sum(),
                groups,
                languages,
            },
            terms,
            // Filled from the store by `LazyReport`.
            documents: Vec::new(),
            concepts: analysis.concepts,
            doc_concepts: Vec::new(),
            sentiment: analysis.sentiment,
            coverage: analysis.coverage,
            time: analysis.time,
            concept_time: analysis.concept_time,
            comparison: analysis.comparison,
            evidence: Vec::new(),
            checks: Checks {
                segmenter: format!(
                    "jieba-rs 0.11, HMM {}, shipped domain words + glossary words; NFKC; Traditional mapped to Simplified",
                    if self.inner.settings.hmm { "on" } else { "off" }
                ),
                warnings: analysis.warnings,
            },
            skipped: std::mem::take(&mut acc.skipped),
            warnings: std::mem::take(&mut acc.warnings),
        }
    }
}

/// A finished report whose `documents` and `doc_concepts` are still in the run's
/// temporary files: [`LazyReport::write_json`] streams them into the JSON one record at
/// a time, so writing a report does not hold every document record in memory. The JSON
/// is byte-identical to [`Report::to_json`] of [`LazyReport::into_report`].
pub struct LazyReport {
    /// The report with `documents` and `doc_concepts` empty.
    report: Report,
    store: DocStore,
    pipeline: Pipeline,
}

impl std::fmt::Debug for LazyReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyReport")
            .field("documents", &self.store.len())
            .field("doc_concepts", &self.store.concepts.len())
            .finish_non_exhaustive()
    }
}

impl LazyReport {
    /// Everything but `documents` and `doc_concepts` (empty here).
    pub fn head(&self) -> &Report {
        &self.report
    }

    fn concept_name(&self) -> impl Fn(u32) -> String + '_ {
        |c| self.pipeline.inner.matcher.id(c).to_string()
    }

    /// The whole report, with every document and document × concept record in memory.
    pub fn into_report(self) -> Result<Report, PipelineError> {
        let name = self.concept_name();
        let documents = self
            .store
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(PipelineError::TempFile)?;
        let doc_concepts = self.store.concept_records(&name).collect();
        drop(name);
        let mut report = self.report;
        report.documents = documents;
        report.doc_concepts = doc_concepts;
        Ok(report)
    }

    /// Writes the report as [`Report::write_json`] does (buffer `w`).
    pub fn write_json(&self, mut w: impl std::io::Write) -> std::io::Result<()> {
        let name = self.concept_name();
        // Formatting the documents is most of the writing: it goes to the pool unless
        // one thread was asked for.
        let pool = if self.pipeline.inner.settings.threads == 1 {
            None
        } else {
            self.pipeline.pool().ok()
        };
        let r = &self.report;
        let view = ReportView {
            schema_version: &r.schema_version,
            tool: &r.tool,
            settings: &r.settings,
            corpus: &r.corpus,
            terms: &r.terms,
            documents: StoredDocs {
                store: &self.store,
                pool: pool.as_ref(),
            },
            concepts: &r.concepts,
            doc_concepts: StoredConcepts(&self.store, &name),
            sentiment: &r.sentiment,
            coverage: &r.coverage,
            time: &r.time,
            concept_time: &r.concept_time,
            comparison: &r.comparison,
            evidence: &r.evidence,
            checks: &r.checks,
            skipped: &r.skipped,
            warnings: &r.warnings,
        };
        serde_json::to_writer_pretty(&mut w, &view)?;
        w.write_all(b"\n")
    }

    /// Writes one JSON line per document record (the `documents` array as JSON Lines).
    pub fn write_documents_jsonl(&self, mut w: impl std::io::Write) -> std::io::Result<()> {
        for d in self.store.records() {
            serde_json::to_writer(&mut w, &d?)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// [`Report`]'s fields in its order, with the per-document arrays read from the store
/// while serializing. A test checks it against [`Report::to_json`].
#[derive(serde::Serialize)]
struct ReportView<'a> {
    schema_version: &'a String,
    tool: &'a report::ToolInfo,
    settings: &'a Settings,
    corpus: &'a CorpusSummary,
    terms: &'a Vec<TermRecord>,
    documents: StoredDocs<'a>,
    concepts: &'a Vec<compare::ConceptGroupRecord>,
    doc_concepts: StoredConcepts<'a>,
    sentiment: &'a Vec<compare::SentimentGroupRecord>,
    coverage: &'a Vec<compare::CoverageRecord>,
    time: &'a Vec<compare::TimeRecord>,
    concept_time: &'a Vec<compare::ConceptTimeRecord>,
    comparison: &'a Option<compare::Comparison>,
    evidence: &'a Vec<EvidenceRecord>,
    checks: &'a Checks,
    skipped: &'a Vec<Skipped>,
    warnings: &'a Vec<Warning>,
}

/// The stored documents as the report's `documents` array. With a pool, the records
/// are parsed and formatted on it, a chunk at a time, and written in order as
/// pre-formatted JSON: the same bytes [`serde_json::to_writer_pretty`] gives for the
/// whole report, since a record there sits two levels deep (four spaces) and JSON
/// strings hold no raw newlines.
struct StoredDocs<'a> {
    store: &'a DocStore,
    pool: Option<&'a rayon::ThreadPool>,
}

/// Record bytes from the spill as a pretty-printed array element of the report.
fn pretty_element(raw: &[u8]) -> Result<Box<serde_json::value::RawValue>, String> {
    let rec = DocStore::parse(raw).map_err(|e| e.to_string())?;
    let flat = serde_json::to_vec_pretty(&rec).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(flat.len() + flat.len() / 8);
    for &b in &flat {
        out.push(b);
        if b == b'\n' {
            out.extend_from_slice(b"    ");
        }
    }
    let text = String::from_utf8(out).map_err(|e| e.to_string())?;
    serde_json::value::RawValue::from_string(text).map_err(|e| e.to_string())
}

impl serde::Serialize for StoredDocs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(Some(self.store.len()))?;
        let Some(pool) = self.pool else {
            for d in self.store.records() {
                seq.serialize_element(&d.map_err(S::Error::custom)?)?;
            }
            return seq.end();
        };
        const CHUNK: usize = 1024;
        let n = self.store.len();
        let mut raw: Vec<Vec<u8>> = Vec::new();
        for start in (0..n).step_by(CHUNK) {
            let end = (start + CHUNK).min(n);
            raw.resize_with(end - start, Vec::new);
            for (k, b) in raw.iter_mut().enumerate() {
                self.store.raw(start + k, b).map_err(S::Error::custom)?;
            }
            let done: Vec<_> = pool.install(|| raw.par_iter().map(|b| pretty_element(b)).collect());
            for d in done {
                seq.serialize_element(&d.map_err(S::Error::custom)?)?;
            }
        }
        seq.end()
    }
}

struct StoredConcepts<'a>(&'a DocStore, &'a (dyn Fn(u32) -> String + 'a));

impl serde::Serialize for StoredConcepts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.concept_records(self.1))
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn label(score: f64) -> &'static str {
    // VADER's conventional thresholds on the compound score.
    if score >= 0.05 {
        "pos"
    } else if score <= -0.05 {
        "neg"
    } else {
        "neu"
    }
}

/// What the evidence pass looks for, and what it has found.
struct EvidenceTargets {
    /// lang → term → favoured group.
    terms: FxHashMap<Lang, FxHashMap<String, String>>,
    /// concept id → groups of interest.
    concepts: FxHashMap<String, Vec<String>>,
    /// (kind, key, group) → (examples wanted, examples found so far). A target wants
    /// min(n, documents of the group that contain it), so the pass can stop early.
    found: BTreeMap<(EvidenceKind, String, String), (usize, Vec<EvidenceRecord>)>,
    open: usize,
}

/// Distinctive terms per language and direction that get evidence.
const EVIDENCE_TERMS: u32 = 20;
/// Concepts (most mentioned) that get evidence, per group.
const EVIDENCE_CONCEPTS: usize = 30;

impl EvidenceTargets {
    fn new(report: &Report, n: usize) -> Self {
        let mut t = EvidenceTargets {
            terms: FxHashMap::default(),
            concepts: FxHashMap::default(),
            found: BTreeMap::new(),
            open: 0,
        };
        if let Some(c) = &report.comparison {
            for k in c.keyness.iter().filter(|k| k.rank <= EVIDENCE_TERMS) {
                t.terms
                    .entry(k.lang)
                    .or_default()
                    .insert(k.term.clone(), k.favours.clone());
                let docs = if k.favours == c.group_a {
                    k.doc_freq_a
                } else {
                    k.doc_freq_b
                };
                t.found.insert(
                    (EvidenceKind::Term, k.term.clone(), k.favours.clone()),
                    (n.min(docs as usize), Vec::new()),
                );
            }
            for cc in c.concepts.iter().take(EVIDENCE_CONCEPTS) {
                let mut gs = Vec::new();
                for (g, m) in [(&c.group_a, cc.mentions_a), (&c.group_b, cc.mentions_b)] {
                    if m > 0 {
                        gs.push(g.clone());
                        let docs = report
                            .concepts
                            .iter()
                            .find(|x| x.concept == cc.concept && &x.group == g)
                            .map_or(n as u64, |x| x.documents);
                        t.found.insert(
                            (EvidenceKind::Concept, cc.concept.clone(), g.clone()),
                            (n.min(docs as usize), Vec::new()),
                        );
                    }
                }
                t.concepts.insert(cc.concept.clone(), gs);
            }
        }
        t.open = t.found.values().filter(|(want, _)| *want > 0).count();
        t
    }

    fn is_done(&self) -> bool {
        self.open == 0
    }

    /// Targets of `group` still short of examples.
    fn open_in(&self, group: &str) -> usize {
        self.found
            .iter()
            .filter(|((_, _, g), (want, v))| g == group && v.len() < *want)
            .count()
    }

    fn wants_term(&self, lang: Lang, term: &str, group: &str) -> bool {
        self.terms
            .get(&lang)
            .and_then(|m| m.get(term))
            .is_some_and(|g| g == group)
    }

    fn wants_concept(&self, id: &str, group: &str) -> bool {
        self.concepts
            .get(id)
            .is_some_and(|gs| gs.iter().any(|g| g == group))
    }

    fn offer(&mut self, r: EvidenceRecord) {
        let key = (r.kind, r.key.clone(), r.group.clone());
        if let Some((want, v)) = self.found.get_mut(&key) {
            // One example per document: more variety for the reader.
            if v.len() < *want && !v.iter().any(|x| x.doc_id == r.doc_id) {
                v.push(r);
                if v.len() == *want {
                    self.open -= 1;
                }
            }
        }
    }

    fn into_records(self) -> Vec<EvidenceRecord> {
        self.found.into_values().flat_map(|(_, v)| v).collect()
    }
}

/// One JSON Lines record from standard input as a document.
fn jsonl_document(name: &str, line_no: usize, line: &str) -> Result<Document, String> {
    let (text, id, fields) = match crate::corpus::format::parse_jsonl_line(line) {
        Ok(Some(x)) => x,
        Ok(None) => return Err(format!("line {line_no}: no \"text\" field")),
        Err(e) => return Err(format!("line {line_no}: malformed JSON: {e}")),
    };
    let Some(group) = fields.group.clone() else {
        return Err(format!("line {line_no}: no \"group\" field"));
    };
    let date_iso = fields
        .date
        .as_deref()
        .and_then(crate::corpus::date::normalize);
    Ok(Document {
        meta: DocMeta {
            id: id.unwrap_or_else(|| format!("{name}#L{line_no}")),
            path: name.to_string(),
            group,
            group_from: "record".into(),
            fields,
            date_iso,
            encoding: "UTF-8".into(),
            format: Format::Jsonl,
            bytes: line.len() as u64,
            replaced_chars: 0,
        },
        text,
    })
}
