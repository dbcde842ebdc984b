//! [`PipelineBuilder`]: the settings of a run, and loading the resources they name
//! (dictionary, glossary, lexicons) into a [`Pipeline`].

use super::{Inner, Pipeline, PipelineError};
use crate::analysis::Analyzer;
use crate::compare::CompareOptions;
use crate::concepts::{ConceptMatcher, FormCuts, Glossary, MergeMode};
use crate::config;
use crate::corpus::date::Period;
use crate::lang::{Lang, LangDetector};
use crate::sentiment::{Mode, Polarity, ScaleMap, SentimentModel};
use crate::tokenize::{BaseDict, Prepared, Tokenizer};
use std::path::{Path, PathBuf};

/// Builder for [`Pipeline`]. Its defaults are those of [`crate::config`].
#[derive(Debug, Clone)]
pub struct PipelineBuilder {
    pub(super) hmm: bool,
    pub(super) keep_stopwords: bool,
    pub(super) keep_special_tokens: bool,
    pub(super) top: usize,
    pub(super) languages: Vec<Lang>,
    pub(super) user_dicts: Vec<PathBuf>,
    pub(super) threads: usize,
    pub(super) lexicons: Vec<PathBuf>,
    pub(super) replace_lexicons: bool,
    pub(super) word_lists: Vec<(PathBuf, Polarity, Lang)>,
    pub(super) glossaries: Vec<PathBuf>,
    pub(super) replace_glossary: bool,
    pub(super) compare: CompareOptions,
    pub(super) evidence: usize,
    pub(super) screen: crate::dedupe::ScreenOptions,
    pub(super) scale_map: bool,
}

impl Default for PipelineBuilder {
    fn default() -> Self {
        PipelineBuilder {
            hmm: config::HMM,
            keep_stopwords: false,
            keep_special_tokens: config::KEEP_SPECIAL_TOKENS,
            top: config::TOP,
            languages: config::LANGUAGES.to_vec(),
            user_dicts: Vec::new(),
            threads: config::THREADS,
            lexicons: Vec::new(),
            replace_lexicons: false,
            word_lists: Vec::new(),
            glossaries: Vec::new(),
            replace_glossary: false,
            compare: CompareOptions::default(),
            evidence: config::EVIDENCE,
            screen: crate::dedupe::ScreenOptions::default(),
            scale_map: config::SCALE_MAP,
        }
    }
}

impl PipelineBuilder {
    /// jieba HMM for unknown words (default [`config::HMM`], off: higher word F1 on PKU).
    pub fn hmm(mut self, on: bool) -> Self {
        self.hmm = on;
        self
    }
    /// Keep stopwords in term tables (default: dropped).
    pub fn keep_stopwords(mut self, on: bool) -> Self {
        self.keep_stopwords = on;
        self
    }
    /// Keep special tokens (URLs, e-mail addresses, handles, hashtags, hashes, numbers,
    /// dates) in term tables and keyness (default [`config::KEEP_SPECIAL_TOKENS`]: left
    /// out, and counted per group by kind).
    pub fn keep_special_tokens(mut self, on: bool) -> Self {
        self.keep_special_tokens = on;
        self
    }
    /// Terms per group and language in the report (default [`config::TOP`]).
    pub fn top(mut self, n: usize) -> Self {
        self.top = n;
        self
    }
    /// Languages runs may be assigned (default [`config::LANGUAGES`]).
    pub fn languages(mut self, langs: &[Lang]) -> Self {
        self.languages = langs.to_vec();
        self
    }
    /// Adds a jieba user dictionary.
    pub fn user_dict(mut self, p: impl AsRef<Path>) -> Self {
        self.user_dicts.push(p.as_ref().to_path_buf());
        self
    }
    /// Worker threads (0 = one per core; default [`config::THREADS`]). Never changes
    /// the report.
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
    /// Put Chinese and English sentence scores on one scale with the fitted map
    /// ([`crate::sentiment::ScaleMap::fitted`]; default [`config::SCALE_MAP`], on).
    pub fn scale_map(mut self, on: bool) -> Self {
        self.scale_map = on;
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
    /// Minimum document frequency for keyness (default [`config::MIN_DOC_FREQ`]).
    pub fn min_doc_freq(mut self, n: u64) -> Self {
        self.compare.min_doc_freq = n;
        self
    }
    /// Seed of bootstrap and permutation resampling (default [`config::SEED`]).
    pub fn seed(mut self, seed: u64) -> Self {
        self.compare.seed = seed;
        self
    }
    /// Bootstrap and permutation replicates (default [`config::BOOTSTRAP_REPS`]).
    pub fn bootstrap_reps(mut self, n: usize) -> Self {
        self.compare.reps = n;
        self
    }
    /// Permutations at least as extreme as the observed difference after which a
    /// permutation test stops (default [`config::PERMUTATION_STOP`]; 0: draw all
    /// replicates, as reports before schema 2.2 did).
    ///
    /// ```no_run
    /// // Every permutation test draws all 5,000 replicates.
    /// let p = duibi::run::Pipeline::builder()
    ///     .bootstrap_reps(5000)
    ///     .permutation_stop(0)
    ///     .build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn permutation_stop(mut self, n: usize) -> Self {
        self.compare.permutation_stop = n;
        self
    }
    /// Time series granularity (default [`config::PERIOD`]).
    pub fn period(mut self, p: Period) -> Self {
        self.compare.period = p;
        self
    }
    /// Keyword-in-context examples per term or concept (default [`config::EVIDENCE`];
    /// 0 turns the evidence pass off).
    pub fn evidence(mut self, n: usize) -> Self {
        self.evidence = n;
        self
    }

    /// Keep passages repeated across many documents of a source or group (footers,
    /// signatures, …) instead of setting them aside (default: set aside; see
    /// [`crate::dedupe`]).
    pub fn keep_boilerplate(mut self, on: bool) -> Self {
        self.screen.passages = !on;
        self
    }
    /// Analyse near-duplicate documents (reprints) too instead of only the first copy
    /// (default: one copy; see [`crate::dedupe`]).
    pub fn keep_duplicates(mut self, on: bool) -> Self {
        self.screen.duplicates = !on;
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
            let base = BaseDict::load_for(self.hmm);
            let rest = rest.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            (base, rest)
        });
        let (glossary, tokenizer, sentiment, cuts) = rest?;
        let tokenizer = tokenizer.finish_on(base)?;
        let matcher = ConceptMatcher::with_cuts(&glossary, &tokenizer, cuts);
        Ok(Pipeline {
            inner: std::sync::Arc::new(Inner {
                analyzer: Analyzer::new(tokenizer, sentiment, matcher, self.keep_stopwords)
                    .keep_special_tokens(self.keep_special_tokens),
                settings: self,
            }),
        })
    }

    /// Everything [`PipelineBuilder::build`] loads but jieba's dictionary, and the
    /// glossary forms that can be cut without it.
    #[allow(clippy::type_complexity)]
    /// Whether the shipped lexicons are used: unless the added lexicons or word lists
    /// replace them.
    pub(crate) fn keeps_shipped_lexicons(&self) -> bool {
        !self.replace_lexicons || (self.lexicons.is_empty() && self.word_lists.is_empty())
    }

    fn load_rest(&self) -> Result<(Glossary, Prepared, SentimentModel, FormCuts), PipelineError> {
        // This thread finishes well before jieba's dictionary: the scan's table is
        // built here, off the critical path of start-up.
        crate::dedupe::warm_tables();
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
        let mut sb = SentimentModel::builder()
            .shipped(self.keeps_shipped_lexicons())
            .scale_map(if self.scale_map {
                ScaleMap::fitted()
            } else {
                ScaleMap::identity()
            });
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
