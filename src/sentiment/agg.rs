//! Mergeable sentiment aggregates of a group of documents (counts and sums only), and
//! their summary.
//!
//! ```
//! use duibi::sentiment::{SentimentAgg, SentimentModel};
//! use duibi::tokenize::Tokenizer;
//! let (m, t) = (SentimentModel::builder().build().unwrap(), Tokenizer::builder().build().unwrap());
//! let (mut a, mut b) = (SentimentAgg::new(), SentimentAgg::new());
//! a.add(&m.score_text(&t, "Great news."));
//! b.add(&m.score_text(&t, "很糟糕。"));
//! a.merge(&b);
//! assert_eq!((a.docs, a.pos_docs, a.neg_docs), (2, 1, 1));
//! ```

use super::result::ratio;
use super::{DocSentiment, Label, LangCoverage};
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// Number of bins of the document-score histogram in [`SentimentAgg`] (width 0.1 on −1..1).
pub const HIST_BINS: usize = 20;

/// Mergeable sentiment aggregate of a group of documents: plain counts and sums, so
/// partial aggregates (per thread, per file) merge associatively.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SentimentAgg {
    /// Documents.
    pub docs: u64,
    /// Documents labelled positive / negative / neutral.
    pub pos_docs: u64,
    /// See `pos_docs`.
    pub neg_docs: u64,
    /// See `pos_docs`.
    pub neu_docs: u64,
    /// Sum of document scores.
    pub score_sum: f64,
    /// Sum of squared document scores.
    pub score_sq_sum: f64,
    /// Histogram of document scores: bin `i` holds −1 + 0.1·i ≤ s < −0.9 + 0.1·i (1.0 in the last bin).
    pub hist: [u64; HIST_BINS],
    /// Sentences.
    pub sentences: u64,
    /// Sentences labelled positive / negative / neutral.
    pub pos_sentences: u64,
    /// See `pos_sentences`.
    pub neg_sentences: u64,
    /// See `pos_sentences`.
    pub neu_sentences: u64,
    /// Coverage sums per language, in [`Lang::ALL`] order.
    pub coverage: Vec<LangCoverage>,
}

/// Summary statistics of a [`SentimentAgg`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AggSummary {
    /// Documents.
    pub docs: u64,
    /// Mean document score.
    pub mean: f64,
    /// Standard deviation of document scores.
    pub std: f64,
    /// Median document score, interpolated within its histogram bin (±0.05).
    pub median: f64,
    /// Share of positive documents.
    pub share_pos: f64,
    /// Share of negative documents.
    pub share_neg: f64,
    /// Share of neutral documents.
    pub share_neu: f64,
    /// Share of positive sentences.
    pub sentence_share_pos: f64,
    /// Share of negative sentences.
    pub sentence_share_neg: f64,
    /// Share of word tokens that hit the lexicon (all languages).
    pub token_coverage: f64,
    /// Share of sentences with a lexicon match (all languages).
    pub sentence_coverage: f64,
    /// Coverage per language.
    pub coverage: Vec<LangCoverage>,
    /// The histogram.
    pub hist: [u64; HIST_BINS],
}

impl SentimentAgg {
    /// An empty aggregate.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one document.
    pub fn add(&mut self, d: &DocSentiment) {
        self.docs += 1;
        match d.label {
            Label::Pos => self.pos_docs += 1,
            Label::Neg => self.neg_docs += 1,
            Label::Neu => self.neu_docs += 1,
        }
        let s = f64::from(d.score.clamp(-1.0, 1.0));
        self.score_sum += s;
        self.score_sq_sum += s * s;
        self.hist[hist_bin(s)] += 1;
        self.sentences += d.sentences.len() as u64;
        self.pos_sentences += u64::from(d.positive);
        self.neg_sentences += u64::from(d.negative);
        self.neu_sentences += u64::from(d.neutral);
        for c in &d.coverage {
            self.add_coverage(c);
        }
    }

    fn add_coverage(&mut self, c: &LangCoverage) {
        if let Some(m) = self.coverage.iter_mut().find(|m| m.lang == c.lang) {
            m.add(c);
        } else {
            self.coverage.push(c.clone());
            let order = |l: Lang| Lang::ALL.iter().position(|x| *x == l).unwrap_or(usize::MAX);
            self.coverage.sort_by_key(|m| order(m.lang));
        }
    }

    /// Merges another aggregate into this one (associative and commutative).
    pub fn merge(&mut self, o: &SentimentAgg) {
        self.docs += o.docs;
        self.pos_docs += o.pos_docs;
        self.neg_docs += o.neg_docs;
        self.neu_docs += o.neu_docs;
        self.score_sum += o.score_sum;
        self.score_sq_sum += o.score_sq_sum;
        for (a, b) in self.hist.iter_mut().zip(o.hist.iter()) {
            *a += b;
        }
        self.sentences += o.sentences;
        self.pos_sentences += o.pos_sentences;
        self.neg_sentences += o.neg_sentences;
        self.neu_sentences += o.neu_sentences;
        for c in &o.coverage {
            self.add_coverage(c);
        }
    }

    /// Mean, spread, histogram median, label shares and coverage.
    pub fn summary(&self) -> AggSummary {
        let n = self.docs as f64;
        let mean = if self.docs == 0 {
            0.0
        } else {
            self.score_sum / n
        };
        let var = if self.docs == 0 {
            0.0
        } else {
            (self.score_sq_sum / n - mean * mean).max(0.0)
        };
        AggSummary {
            docs: self.docs,
            mean,
            std: var.sqrt(),
            median: self.median(),
            share_pos: ratio(self.pos_docs, self.docs),
            share_neg: ratio(self.neg_docs, self.docs),
            share_neu: ratio(self.neu_docs, self.docs),
            sentence_share_pos: ratio(self.pos_sentences, self.sentences),
            sentence_share_neg: ratio(self.neg_sentences, self.sentences),
            token_coverage: ratio(
                self.coverage.iter().map(|c| c.hit_tokens).sum(),
                self.coverage.iter().map(|c| c.tokens).sum(),
            ),
            sentence_coverage: ratio(
                self.coverage.iter().map(|c| c.hit_sentences).sum(),
                self.coverage.iter().map(|c| c.sentences).sum(),
            ),
            coverage: self.coverage.clone(),
            hist: self.hist,
        }
    }

    /// Median document score from the histogram (linear within the median's bin).
    pub fn median(&self) -> f64 {
        if self.docs == 0 {
            return 0.0;
        }
        let half = self.docs as f64 / 2.0;
        let mut cum = 0f64;
        for (i, &c) in self.hist.iter().enumerate() {
            let next = cum + c as f64;
            if next >= half && c > 0 {
                let lo = -1.0 + 0.1 * i as f64;
                return lo + 0.1 * ((half - cum) / c as f64);
            }
            cum = next;
        }
        0.0
    }
}

fn hist_bin(s: f64) -> usize {
    (((s + 1.0) * 10.0).floor().max(0.0) as usize).min(HIST_BINS - 1)
}
