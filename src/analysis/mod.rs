//! Per-document analysis: one document's text → tokens per language, term counts,
//! sentiment, concept mentions → its report record.
//!
//! An [`Analyzer`] holds the loaded resources (tokenizer with its dictionary,
//! sentiment model, concept matcher); a [`Pipeline`](crate::run::Pipeline) builds one
//! and shares it between its worker threads, each with its own [`Scratch`].
//!
//! ```
//! use duibi::analysis::Scratch;
//! use duibi::corpus::Document;
//! use duibi::run::Pipeline;
//! let p = Pipeline::builder().build().unwrap();
//! let doc = Document::in_memory("d1", "overseas", "Miners moved their rigs to Texas.");
//! let a = p.analyzer().analyze_document(doc, &mut Scratch::default());
//! assert_eq!(a.record.lang, duibi::lang::Lang::En);
//! assert!(a.terms.iter().any(|(_, t, _)| t == "texas"));
//! ```
//!
//! | file | holds |
//! |---|---|
//! | `document` | [`Analyzer::analyze_document`], [`Scratch`], [`DocAnalysis`] |
//! | `vocab` | a worker's vocabulary: term ids and their lexicon and concept facts |

mod document;
pub(crate) mod vocab;

pub use document::{DocAnalysis, Scratch};

use crate::concepts::ConceptMatcher;
use crate::sentiment::SentimentModel;
use crate::tokenize::Tokenizer;

/// The loaded models that give a term its facts: its stopword flag (tokenizer), its
/// sentiment-lexicon entry and its concept-trie node. One struct, so that a vocabulary
/// lookup ([`vocab::Vocab::entry_hinted`]) takes one reference to all three.
pub(crate) struct Models {
    /// The tokenizer (shared dictionary, stopword lists).
    pub(crate) tokenizer: Tokenizer,
    /// The sentiment model.
    pub(crate) sentiment: SentimentModel,
    /// The concept matcher.
    pub(crate) matcher: ConceptMatcher,
}

/// The resources of per-document analysis, loaded once.
pub struct Analyzer {
    models: Models,
    keep_stopwords: bool,
    keep_special: bool,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("concepts", &self.models.matcher.len())
            .field("keep_stopwords", &self.keep_stopwords)
            .field("keep_special", &self.keep_special)
            .finish_non_exhaustive()
    }
}

impl Analyzer {
    /// An analyzer over loaded resources; stopwords are left out of the term counts
    /// unless `keep_stopwords`.
    pub fn new(
        tokenizer: Tokenizer,
        sentiment: SentimentModel,
        matcher: ConceptMatcher,
        keep_stopwords: bool,
    ) -> Self {
        Analyzer {
            models: Models {
                tokenizer,
                sentiment,
                matcher,
            },
            keep_stopwords,
            keep_special: crate::config::KEEP_SPECIAL_TOKENS,
        }
    }

    /// Keep special tokens (URLs, e-mail addresses, handles, hashtags, hashes, numbers,
    /// dates) in the term counts, and count URLs … hashes as tokens of their run's
    /// language (default [`crate::config::KEEP_SPECIAL_TOKENS`]: they are left out of
    /// both, and only counted by kind).
    pub fn keep_special_tokens(mut self, on: bool) -> Self {
        self.keep_special = on;
        self
    }

    /// Whether special tokens are kept in the term counts.
    pub fn keeps_special_tokens(&self) -> bool {
        self.keep_special
    }

    /// The tokenizer (shared dictionary).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.models.tokenizer
    }

    /// The sentiment model.
    pub fn sentiment(&self) -> &SentimentModel {
        &self.models.sentiment
    }

    /// The concept matcher.
    pub fn concepts(&self) -> &ConceptMatcher {
        &self.models.matcher
    }

    /// Whether stopwords are kept in the term counts.
    pub fn keeps_stopwords(&self) -> bool {
        self.keep_stopwords
    }
}
