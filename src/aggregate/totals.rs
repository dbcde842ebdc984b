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
    /// Per language, the documents with word tokens of that language, their tokens
    /// and the sum of squared tokens per document: the units of the document-level
    /// test of a term's rate ([`crate::stats::cluster_test`]).
    pub units: BTreeMap<Lang, LangUnits>,
    /// Special tokens by kind (URLs, e-mail addresses, …, numbers, dates).
    #[serde(default)]
    pub special: crate::tokenize::KindCounts,
}

/// The documents of a group that have word tokens of one language, as units of the
/// document-level test: `K`, and `Σn²` (`Σn` is [`Totals::tokens`]). Saturates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LangUnits {
    /// Documents with tokens of the language.
    pub documents: u64,
    /// Σn² over those documents, `n` a document's tokens of the language.
    pub tokens_sq: u128,
}

impl Totals {
    /// Adds one document's `n` word tokens of `lang` (and `chars` characters of them).
    pub fn add_lang_tokens(&mut self, lang: Lang, n: u64, chars: u64) {
        *self.tokens.entry(lang).or_default() += n;
        *self.token_chars.entry(lang).or_default() += chars;
        if n > 0 {
            let u = self.units.entry(lang).or_default();
            u.documents += 1;
            u.tokens_sq = u.tokens_sq.saturating_add(u128::from(n) * u128::from(n));
        }
    }

    /// The units of `lang` as the document-level test takes them.
    pub fn unit_totals(&self, lang: Lang) -> crate::stats::UnitTotals {
        let u = self.units.get(&lang).copied().unwrap_or_default();
        crate::stats::UnitTotals {
            units: u.documents,
            tokens: self.tokens.get(&lang).copied().unwrap_or(0),
            tokens_sq: u.tokens_sq,
        }
    }
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
        for (l, v) in &o.units {
            let u = self.units.entry(*l).or_default();
            u.documents += v.documents;
            u.tokens_sq = u.tokens_sq.saturating_add(v.tokens_sq);
        }
        self.special.merge(&o.special);
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
