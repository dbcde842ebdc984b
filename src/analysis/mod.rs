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

/// The resources of per-document analysis, loaded once.
pub struct Analyzer {
    tokenizer: Tokenizer,
    sentiment: SentimentModel,
    matcher: ConceptMatcher,
    keep_stopwords: bool,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("concepts", &self.matcher.len())
            .field("keep_stopwords", &self.keep_stopwords)
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
            tokenizer,
            sentiment,
            matcher,
            keep_stopwords,
        }
    }

    /// The tokenizer (shared dictionary).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The sentiment model.
    pub fn sentiment(&self) -> &SentimentModel {
        &self.sentiment
    }

    /// The concept matcher.
    pub fn concepts(&self) -> &ConceptMatcher {
        &self.matcher
    }

    /// Whether stopwords are kept in the term counts.
    pub fn keeps_stopwords(&self) -> bool {
        self.keep_stopwords
    }
}
