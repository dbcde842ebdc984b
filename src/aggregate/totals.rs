//! Integer totals of a group of documents, and lexicon coverage counts.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Integer totals of a group of documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Documents.
    pub documents: u64,
    /// Bytes of the documents in their files.
    pub bytes: u64,
    /// Characters of normalized text.
    pub chars: u64,
    /// Word tokens (stopwords included) per language.
    pub tokens: BTreeMap<Lang, u64>,
    /// Characters of word tokens per language (for characters-per-token checks).
    pub token_chars: BTreeMap<Lang, u64>,
    /// Documents per main language.
    pub documents_by_lang: BTreeMap<Lang, u64>,
}

impl Totals {
    /// Merges another set of totals.
    pub fn merge(&mut self, o: &Totals) {
        self.documents += o.documents;
        self.bytes += o.bytes;
        self.chars += o.chars;
        for (l, v) in &o.tokens {
            *self.tokens.entry(*l).or_default() += v;
        }
        for (l, v) in &o.token_chars {
            *self.token_chars.entry(*l).or_default() += v;
        }
        for (l, v) in &o.documents_by_lang {
            *self.documents_by_lang.entry(*l).or_default() += v;
        }
    }

    /// All word tokens.
    pub fn all_tokens(&self) -> u64 {
        self.tokens.values().sum()
    }
}

/// Lexicon coverage counts of one language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Word tokens.
    pub tokens: u64,
    /// Word tokens inside a lexicon match.
    pub hit_tokens: u64,
    /// Sentences.
    pub sentences: u64,
    /// Sentences with a lexicon match.
    pub hit_sentences: u64,
}

impl Coverage {
    /// Adds another set of counts.
    pub fn add(&mut self, o: &Coverage) {
        self.tokens += o.tokens;
        self.hit_tokens += o.hit_tokens;
        self.sentences += o.sentences;
        self.hit_sentences += o.hit_sentences;
    }
}
