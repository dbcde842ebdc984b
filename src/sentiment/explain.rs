//! Explanations of a score, for `duibi score`: the sentences and the matched terms with
//! the rules that changed them, self-contained and serializable.
//!
//! ```
//! use duibi::sentiment::SentimentModel;
//! use duibi::tokenize::Tokenizer;
//! let e = SentimentModel::builder().build().unwrap().explain_text(&Tokenizer::builder().build().unwrap(), "Not good.");
//! assert_eq!(e.sentences[0].text, "Not good.");
//! assert!(e.score < 0.0 && !e.sentences[0].terms.is_empty());
//! ```

use super::{lexicon, DocSentiment, Label};
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

impl DocSentiment {
    /// A self-contained, serializable explanation (sentence texts and matched terms);
    /// `text` is the normalized text this result was computed on. Sentence offsets
    /// are in characters of it.
    pub fn explain(&self, text: &str) -> Explanation {
        let mut chars = crate::text::offsets::CharCounter::new(text);
        Explanation {
            lang: self.lang,
            score: self.score,
            label: self.label,
            sentence_mean: self.sentence_mean,
            positive: self.positive,
            negative: self.negative,
            neutral: self.neutral,
            token_coverage: self.token_coverage(),
            sentence_coverage: self.sentence_coverage(),
            sentences: self
                .sentences
                .iter()
                .map(|s| SentenceExplanation {
                    text: text.get(s.start..s.end).unwrap_or("").to_owned(),
                    start: chars.at(s.start),
                    end: chars.at(s.end),
                    score: s.score,
                    label: s.label,
                    terms: s
                        .terms
                        .iter()
                        .map(|h| {
                            let surface = text.get(h.start as usize..h.end as usize).unwrap_or("");
                            TermExplanation {
                                text: surface.to_owned(),
                                term: lexicon::normalize_term(surface),
                                valence: h.valence,
                                score: h.score,
                                negated: h.negated,
                                degree: h.degree,
                                caps: h.caps,
                                contrast_weight: h.contrast_weight,
                            }
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Explanation of a document score, for `duibi score` (one JSON object per input).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Main language.
    pub lang: Lang,
    /// Document score (see [`DocSentiment::score`]).
    pub score: f32,
    /// Document label.
    pub label: Label,
    /// Mean score of sentences with lexicon matches.
    pub sentence_mean: f32,
    /// Positive sentences.
    pub positive: u32,
    /// Negative sentences.
    pub negative: u32,
    /// Neutral sentences.
    pub neutral: u32,
    /// Share of word tokens that hit the lexicon.
    pub token_coverage: f64,
    /// Share of sentences with a lexicon match.
    pub sentence_coverage: f64,
    /// Sentences.
    pub sentences: Vec<SentenceExplanation>,
}

/// One sentence of an [`Explanation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceExplanation {
    /// Sentence text.
    pub text: String,
    /// Start in the normalized text, in characters (Unicode scalar values), the unit
    /// of every offset duibi prints.
    pub start: usize,
    /// End (one past the last character), in characters.
    pub end: usize,
    /// Sentence score.
    pub score: f32,
    /// Sentence label.
    pub label: Label,
    /// Matched terms.
    pub terms: Vec<TermExplanation>,
}

/// One matched term of an [`Explanation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermExplanation {
    /// Surface text as written.
    pub text: String,
    /// Lexicon form (Simplified, lowercase).
    pub term: String,
    /// Lexicon valence.
    pub valence: f32,
    /// Contribution after the rules.
    pub score: f32,
    /// Negators applied.
    pub negated: u8,
    /// Degree change (see [`TermHit::degree`](super::TermHit::degree)).
    pub degree: f32,
    /// ALL-CAPS emphasis applied.
    pub caps: bool,
    /// Contrast weight.
    pub contrast_weight: f32,
}
