//! Comparison of two groups: distinctive terms (keyness), bilingual concepts, sentiment
//! with uncertainty, and time series.
//!
//! Everything here is computed from integer aggregates and per-document summaries
//! sorted by document id, so the numbers are the same for any thread count or sharding.
//!
//! # Keyness (per language, group A vs group B)
//! For a term with `a` occurrences in A (of `n_a` tokens of that language) and `b` in B:
//! * **G²** — log-likelihood ratio of the 2×2 table (term / other tokens × A / B),
//!   `G² = 2 Σ O ln(O/E)`; its p-value from χ² with 1 df, then Benjamini–Hochberg
//!   adjusted over all terms tested in that language.
//! * **Log Ratio** (Hardie 2014) — `log2((a/n_a) / (b/n_b))`; when one count is zero,
//!   0.5 is added to both counts. +1 means twice as frequent in A.
//! * **LRC** — the conservative Log Ratio (Evert): the bound of its 95% Clopper–Pearson
//!   interval nearer to zero (0 when the interval contains 0).
//! * **Log-odds z** — Monroe, Colaresi & Quinn (2008) weighted log-odds ratio with an
//!   informative Dirichlet prior from the pooled counts (α₀ = n_a + n_b), divided by its
//!   standard deviation.
//!
//! Terms must occur in at least `min_doc_freq` documents (both groups together).
//! Distinctive terms are those with adjusted p < `alpha`, ranked by |Log Ratio|, then G².
//!
//! # Uncertainty
//! Means (sentiment of sentences, concept rates) are ratios of sums over *units*: whole
//! documents, or whole sources when documents name their source (so one prolific outlet
//! cannot dominate). 95% intervals are percentile bootstrap intervals resampling units;
//! group differences get a bootstrap interval and a permutation p-value. All resampling
//! is seeded.

use crate::aggregate::{GroupAgg, TermStat};
use crate::concepts::ConceptInfo;
use crate::corpus::date::{self, Period};
use crate::lang::Lang;
use crate::report::{round, round_sig, DocConceptRecord, DocRecord};
use crate::stats::{self, KeynessOptions};
use compact_str::CompactString;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Options of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CompareOptions {
    /// The two groups (A, B); `None` picks the two largest by documents.
    pub pair: Option<(String, String)>,
    /// Minimum documents (both groups together) for a term to be tested.
    pub min_doc_freq: u64,
    /// Significance level after Benjamini–Hochberg adjustment.
    pub alpha: f64,
    /// Distinctive terms kept per language and direction.
    pub top: usize,
    /// Bootstrap and permutation replicates.
    pub reps: usize,
    /// Seed of all resampling.
    pub seed: u64,
    /// Confidence level of intervals.
    pub level: f64,
    /// Time series granularity.
    pub period: Period,
    /// Concepts followed in the time series (most mentioned).
    pub time_concepts: usize,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            pair: None,
            min_doc_freq: 2,
            alpha: 0.05,
            top: 50,
            reps: 2000,
            seed: 20210521,
            level: 0.95,
            period: Period::Month,
            time_concepts: 12,
        }
    }
}

/// A distinctive term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KeynessRecord {
    /// Language.
    pub lang: Lang,
    /// Term.
    pub term: String,
    /// The group it is more frequent in.
    pub favours: String,
    /// Rank within language and direction (1 = largest effect).
    pub rank: u32,
    /// Count in A.
    pub count_a: u64,
    /// Count in B.
    pub count_b: u64,
    /// Per 10k tokens (same language) in A.
    pub per_10k_a: f64,
    /// Per 10k tokens in B.
    pub per_10k_b: f64,
    /// Documents in A.
    pub doc_freq_a: u64,
    /// Documents in B.
    pub doc_freq_b: u64,
    /// Log-likelihood G².
    pub g2: f64,
    /// p-value of G² (χ², 1 df).
    pub p: f64,
    /// Benjamini–Hochberg adjusted p.
    pub p_adj: f64,
    /// Log Ratio (binary log of the ratio of relative frequencies, A over B).
    pub log_ratio: f64,
    /// Conservative Log Ratio (95% CI bound nearer 0).
    pub lrc: f64,
    /// Monroe et al. weighted log-odds z-score (A over B).
    pub log_odds_z: f64,
}

/// A concept's use in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConceptGroupRecord {
    /// Concept id.
    pub concept: String,
    /// English label.
    pub label_en: String,
    /// Chinese label.
    pub label_zh: String,
    /// Category.
    pub category: String,
    /// Group.
    pub group: String,
    /// Mentions (all languages).
    pub mentions: u64,
    /// Mentions in Chinese text.
    pub mentions_zh: u64,
    /// Mentions in English text.
    pub mentions_en: u64,
    /// Mentions per 10k tokens (all languages).
    pub per_10k: f64,
    /// 95% bootstrap interval of `per_10k`, lower bound.
    pub per_10k_lo: f64,
    /// Upper bound.
    pub per_10k_hi: f64,
    /// Chinese mentions per 10k Chinese tokens (null without Chinese text).
    pub per_10k_zh: Option<f64>,
    /// English mentions per 10k English tokens.
    pub per_10k_en: Option<f64>,
    /// Documents mentioning the concept.
    pub documents: u64,
    /// Share of the group's documents mentioning it.
    pub doc_share: f64,
    /// Sentences mentioning it.
    pub sentences: u64,
    /// Mean sentiment of those sentences.
    pub sentiment: Option<f64>,
    /// 95% bootstrap interval, lower bound.
    pub sentiment_lo: Option<f64>,
    /// Upper bound.
    pub sentiment_hi: Option<f64>,
}

/// A concept compared between the two groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConceptCompareRecord {
    /// Concept id.
    pub concept: String,
    /// English label.
    pub label_en: String,
    /// Chinese label.
    pub label_zh: String,
    /// Mentions in A.
    pub mentions_a: u64,
    /// Mentions in B.
    pub mentions_b: u64,
    /// Per 10k tokens in A.
    pub per_10k_a: f64,
    /// Per 10k tokens in B.
    pub per_10k_b: f64,
    /// Log-likelihood G² of the rates.
    pub g2: f64,
    /// p-value of G².
    pub p: f64,
    /// Benjamini–Hochberg adjusted over concepts.
    pub p_adj: f64,
    /// Log Ratio of the rates (A over B).
    pub log_ratio: f64,
    /// Conservative Log Ratio.
    pub lrc: f64,
    /// Rate difference A − B per 10k, bootstrap interval lower bound.
    pub rate_diff_lo: f64,
    /// Upper bound.
    pub rate_diff_hi: f64,
    /// Sentiment difference A − B of sentences mentioning the concept.
    pub sentiment_diff: Option<f64>,
    /// Interval lower bound.
    pub sentiment_diff_lo: Option<f64>,
    /// Upper bound.
    pub sentiment_diff_hi: Option<f64>,
    /// Permutation p-value of the sentiment difference.
    pub sentiment_p: Option<f64>,
}

/// Sentiment of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SentimentGroupRecord {
    /// Group.
    pub group: String,
    /// Documents.
    pub documents: u64,
    /// Resampling units (documents or sources).
    pub units: u64,
    /// Mean score of sentences with a lexicon match (−1..1).
    pub sentence_mean: f64,
    /// 95% interval, lower bound.
    pub sentence_mean_lo: f64,
    /// Upper bound.
    pub sentence_mean_hi: f64,
    /// Mean document score.
    pub doc_mean: f64,
    /// 95% interval, lower bound.
    pub doc_mean_lo: f64,
    /// Upper bound.
    pub doc_mean_hi: f64,
    /// Median document score.
    pub doc_median: f64,
    /// Share of documents labelled positive.
    pub share_positive_docs: f64,
    /// Share labelled negative.
    pub share_negative_docs: f64,
    /// Share of sentences labelled positive.
    pub share_positive_sentences: f64,
    /// Share labelled negative.
    pub share_negative_sentences: f64,
    /// Share of word tokens inside a lexicon match.
    pub token_coverage: f64,
    /// Share of sentences with a lexicon match.
    pub sentence_coverage: f64,
    /// Document score histogram: counts in 10 bins of width 0.2 over −1..1.
    pub doc_score_hist: Vec<u64>,
}

/// Difference between the groups on one sentiment measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SentimentDiffRecord {
    /// `sentence_mean` or `doc_mean`.
    pub measure: String,
    /// A's estimate.
    pub a: f64,
    /// B's estimate.
    pub b: f64,
    /// A − B.
    pub diff: f64,
    /// Bootstrap interval, lower bound.
    pub diff_lo: f64,
    /// Upper bound.
    pub diff_hi: f64,
    /// Two-sided permutation p-value.
    pub p_permutation: f64,
}

/// One period of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TimeRecord {
    /// `YYYY-MM` or `YYYY-Www`.
    pub period: String,
    /// Group.
    pub group: String,
    /// Documents dated in the period.
    pub documents: u64,
    /// Tokens.
    pub tokens: u64,
    /// Mean score of sentences with a lexicon match.
    pub sentence_mean: Option<f64>,
    /// Mean document score.
    pub doc_mean: f64,
}

/// One concept in one period of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConceptTimeRecord {
    /// Period.
    pub period: String,
    /// Group.
    pub group: String,
    /// Concept id.
    pub concept: String,
    /// Mentions.
    pub mentions: u64,
    /// Per 10k tokens of the period's documents.
    pub per_10k: f64,
}

/// Lexicon coverage of one language in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CoverageRecord {
    /// Group.
    pub group: String,
    /// Language.
    pub lang: Lang,
    /// Word tokens.
    pub tokens: u64,
    /// Tokens inside a lexicon match.
    pub hit_tokens: u64,
    /// Share.
    pub token_coverage: f64,
    /// Sentences.
    pub sentences: u64,
    /// Sentences with a match.
    pub hit_sentences: u64,
    /// Share.
    pub sentence_coverage: f64,
}

/// The comparison of groups A and B.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Comparison {
    /// Group A.
    pub group_a: String,
    /// Group B.
    pub group_b: String,
    /// `source` or `document`: what bootstrap and permutation resample.
    pub resampling_unit: String,
    /// Options used.
    pub options: CompareOptions,
    /// Distinctive terms.
    pub keyness: Vec<KeynessRecord>,
    /// Terms tested per language (after the document-frequency filter).
    pub terms_tested: BTreeMap<Lang, u64>,
    /// Concepts compared between A and B.
    pub concepts: Vec<ConceptCompareRecord>,
    /// Sentiment differences.
    pub sentiment: Vec<SentimentDiffRecord>,
}

/// Everything computed from documents and aggregates.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Concept table per concept × group.
    pub concepts: Vec<ConceptGroupRecord>,
    /// Sentiment per group.
    pub sentiment: Vec<SentimentGroupRecord>,
    /// Coverage per group × language.
    pub coverage: Vec<CoverageRecord>,
    /// Time series per period × group.
    pub time: Vec<TimeRecord>,
    /// Concept time series.
    pub concept_time: Vec<ConceptTimeRecord>,
    /// Comparison of the chosen pair (None with fewer than two groups).
    pub comparison: Option<Comparison>,
    /// Comparability warnings.
    pub warnings: Vec<String>,
}

/// What the comparison reads of one document: the numbers of its [`DocRecord`] that
/// statistics use, without the rest (paths, encodings, per-language maps), so a run
/// can keep these in memory and leave the full records elsewhere.
#[derive(Debug, Clone)]
pub(crate) struct DocStats {
    /// Document id.
    pub id: CompactString,
    /// Group (shared between the documents of a group).
    pub group: Arc<str>,
    /// Source, when the document names one.
    pub source: Option<CompactString>,
    /// Normalized date.
    pub date_iso: Option<CompactString>,
    pub tokens: u64,
    pub sentences: u64,
    pub sentiment: f64,
    /// `sentiment_label`: 1 `pos`, -1 `neg`, 0 otherwise.
    pub label: i8,
    pub hit_sum: f64,
    pub hit_sentences: u64,
    pub sentences_positive: u64,
    pub sentences_negative: u64,
}

impl DocStats {
    /// The statistics of `d`, with its group as `group`.
    pub fn of(d: &DocRecord, group: Arc<str>) -> Self {
        DocStats {
            id: CompactString::from(d.meta.id.as_str()),
            group,
            source: d.meta.fields.source.as_deref().map(CompactString::from),
            date_iso: d.meta.date_iso.as_deref().map(CompactString::from),
            tokens: d.tokens,
            sentences: d.sentences,
            sentiment: d.sentiment,
            label: match d.sentiment_label.as_str() {
                "pos" => 1,
                "neg" => -1,
                _ => 0,
            },
            hit_sum: d.sentiment_hit_sum,
            hit_sentences: d.hit_sentences,
            sentences_positive: d.sentences_positive,
            sentences_negative: d.sentences_negative,
        }
    }
}

/// One [`DocConceptRecord`] with its document as an index into the documents.
#[derive(Debug, Clone)]
pub(crate) struct ConceptStats {
    /// Index of the document in the documents given with it (`u32::MAX`: none).
    pub doc: u32,
    /// Group of the document.
    pub group: Arc<str>,
    pub concept_index: u32,
    pub mentions: u64,
    pub mentions_zh: u64,
    pub mentions_en: u64,
    pub sentences: u64,
    pub sentiment_sum: f64,
}

impl ConceptStats {
    /// The statistics of `c`, of document `doc`.
    pub fn of(c: &DocConceptRecord, doc: u32, group: Arc<str>) -> Self {
        ConceptStats {
            doc,
            group,
            concept_index: c.concept_index,
            mentions: c.mentions,
            mentions_zh: c.mentions_zh,
            mentions_en: c.mentions_en,
            sentences: c.sentences,
            sentiment_sum: c.sentiment_sum,
        }
    }

    /// The report record of these statistics ([`ConceptStats::of`] reversed), for
    /// document `doc_id` and concept id `concept`.
    pub fn to_record(&self, doc_id: String, concept: String) -> DocConceptRecord {
        DocConceptRecord {
            doc_id,
            group: self.group.to_string(),
            concept,
            concept_index: self.concept_index,
            mentions: self.mentions,
            mentions_zh: self.mentions_zh,
            mentions_en: self.mentions_en,
            sentences: self.sentences,
            sentiment_sum: self.sentiment_sum,
        }
    }
}

/// Mentions, mentions in zh, in en, documents, sentences, sentence-score sum.
type ConceptTotals = (u64, u64, u64, u64, u64, f64);
/// Documents, tokens, hit-sentence score sum, hit sentences, doc-score sum.
type PeriodTotals = (u64, u64, f64, f64, f64);

/// Per-unit sums of one group, and the group's shared bootstrap resamples.
struct Units {
    n_units: usize,
    /// Bootstrap replicates of every weighted sum the group's statistics need, computed
    /// in one pass over the units ([`stats::Resamples::sum_replicates_many`]).
    sums: BTreeMap<Col, Vec<f64>>,
    /// `reps` zeros: the replicates of a sum with no units.
    zeros: Vec<f64>,
    /// (unit, sum of hit-sentence scores, hit sentences), units with hits only.
    sentences: Vec<(usize, f64, f64)>,
    /// (unit, sum of document scores, documents).
    docs: Vec<(usize, f64, f64)>,
    /// Σ tokens/10k.
    tokens_total: f64,
    /// Per concept: (unit, sentence score sum, sentences), units with sentences only.
    concept_sent: BTreeMap<u32, Vec<(usize, f64, f64)>>,
    /// Per concept: (unit, mentions), units with mentions only.
    concept_ment: BTreeMap<u32, Vec<(usize, f64)>>,
}

/// A weighted sum over a group's units whose bootstrap replicates are needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Col {
    SentNum,
    SentDen,
    DocNum,
    DocDen,
    Tokens,
    Ment(u32),
    CSentNum(u32),
    CSentDen(u32),
}

/// A point estimate and its bootstrap replicates.
struct Est {
    value: f64,
    reps: Vec<f64>,
}

impl Est {
    fn interval(&self, level: f64) -> stats::Interval {
        stats::interval_from_replicates(self.value, self.reps.clone(), level)
    }

    fn diff(&self, other: &Est, level: f64) -> stats::Interval {
        let reps = self
            .reps
            .iter()
            .zip(&other.reps)
            .map(|(a, b)| a - b)
            .collect();
        stats::interval_from_replicates(self.value - other.value, reps, level)
    }
}

impl Units {
    fn reps(&self, c: Col) -> &[f64] {
        self.sums.get(&c).map_or(&self.zeros, |v| v.as_slice())
    }

    /// Ratio of sums `Σ x / Σ w` over `v` = (unit, x, w), with replicates from the
    /// columns `num` and `den` (which must hold the same sums).
    fn ratio(&self, v: &[(usize, f64, f64)], num: Col, den: Col) -> Est {
        let s: f64 = v.iter().map(|x| x.1).sum();
        let w: f64 = v.iter().map(|x| x.2).sum();
        Est {
            value: if w > 0.0 { s / w } else { f64::NAN },
            reps: self
                .reps(num)
                .iter()
                .zip(self.reps(den))
                .map(|(a, b)| if *b > 0.0 { a / b } else { f64::NAN })
                .collect(),
        }
    }

    /// Rate per 10k tokens of the sum over `m` = (unit, count), replicates from `num`.
    fn rate(&self, m: &[(usize, f64)], num: Col) -> Est {
        let total: f64 = m.iter().map(|x| x.1).sum();
        Est {
            value: if self.tokens_total > 0.0 {
                total / self.tokens_total
            } else {
                f64::NAN
            },
            reps: self
                .reps(num)
                .iter()
                .zip(self.reps(Col::Tokens))
                .map(|(a, b)| if *b > 0.0 { a / b } else { f64::NAN })
                .collect(),
        }
    }
}

/// (sum, weight) pairs for the permutation test.
fn pairs(v: &[(usize, f64, f64)]) -> Vec<(f64, f64)> {
    v.iter().map(|x| (x.1, x.2)).collect()
}

/// The resampling unit of `d`: its source (tag `s`) when resampling by source and it
/// names one, else the document (tag `d`). Ordered as the strings `s:{source}` and
/// `d:{id}` would be, without building them.
fn unit_key(d: &DocStats, by_source: bool) -> (u8, &str) {
    match (&d.source, by_source) {
        (Some(s), true) => (b's', s.as_str()),
        _ => (b'd', d.id.as_str()),
    }
}

/// The unit of each of `docs` (units numbered in the order of their keys, so the
/// numbering is deterministic), and the number of units.
fn unit_numbers(docs: &[(usize, &DocStats)], by_source: bool) -> (Vec<usize>, usize) {
    let key = |k: usize| unit_key(docs[k].1, by_source);
    let mut order: Vec<usize> = (0..docs.len()).collect();
    // Documents come sorted by id, so with document units this is already in order.
    if !order.windows(2).all(|w| key(w[0]) <= key(w[1])) {
        order.sort_by(|&x, &y| key(x).cmp(&key(y)));
    }
    let mut unit = vec![0; docs.len()];
    let mut n = 0;
    for (pos, &k) in order.iter().enumerate() {
        if pos > 0 && key(order[pos - 1]) != key(k) {
            n += 1;
        }
        unit[k] = n;
    }
    (unit, if docs.is_empty() { 0 } else { n + 1 })
}

/// The concept rows of each document: `rows[starts[d]..starts[d + 1]]` are those of
/// document `d`, in their order in the input.
struct ByDoc<'a> {
    starts: Vec<u32>,
    rows: Vec<&'a ConceptStats>,
}

impl<'a> ByDoc<'a> {
    fn new(n_docs: usize, concepts: &'a [ConceptStats]) -> Self {
        let mut starts = vec![0u32; n_docs + 1];
        for c in concepts {
            if let Some(s) = starts.get_mut(c.doc as usize + 1) {
                *s += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut rows: Vec<Option<&ConceptStats>> = vec![None; starts[n_docs] as usize];
        for c in concepts {
            if let Some(n) = next.get_mut(c.doc as usize) {
                if (c.doc as usize) < n_docs {
                    rows[*n as usize] = Some(c);
                    *n += 1;
                }
            }
        }
        ByDoc {
            starts,
            rows: rows.into_iter().flatten().collect(),
        }
    }

    fn of(&self, doc: usize) -> &[&'a ConceptStats] {
        match (self.starts.get(doc), self.starts.get(doc + 1)) {
            (Some(&a), Some(&b)) => &self.rows[a as usize..b as usize],
            _ => &[],
        }
    }
}

fn build_units(
    docs: &[(usize, &DocStats)],
    concepts: &ByDoc,
    by_source: bool,
    reps: usize,
    seed: u64,
) -> Units {
    let (unit_of, n) = unit_numbers(docs, by_source);
    let mut sentences = vec![(0.0, 0.0); n];
    let mut dscores = vec![(0.0, 0.0); n];
    let mut tokens = vec![0.0; n];
    // (concept, unit, row) in document order.
    let mut rows: Vec<(u32, usize, &ConceptStats)> = Vec::new();
    for (&(di, d), &u) in docs.iter().zip(&unit_of) {
        sentences[u].0 += d.hit_sum;
        sentences[u].1 += d.hit_sentences as f64;
        dscores[u].0 += d.sentiment;
        dscores[u].1 += 1.0;
        tokens[u] += d.tokens as f64 / 10_000.0;
        rows.extend(concepts.of(di).iter().map(|&c| (c.concept_index, u, c)));
    }
    // Per concept and unit, sums over its rows in document order (a stable sort).
    rows.sort_by_key(|r| (r.0, r.1));
    let mut concept_sent: BTreeMap<u32, Vec<(usize, f64, f64)>> = BTreeMap::new();
    let mut concept_ment: BTreeMap<u32, Vec<(usize, f64)>> = BTreeMap::new();
    for same in rows.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
        let (ci, u) = (same[0].0, same[0].1);
        let mut m = 0.0;
        let (mut ss, mut sn, mut any) = (0.0, 0.0, false);
        for &(_, _, c) in same {
            m += c.mentions as f64;
            if c.sentences > 0 {
                ss += c.sentiment_sum;
                sn += c.sentences as f64;
                any = true;
            }
        }
        concept_ment.entry(ci).or_default().push((u, m));
        if any {
            concept_sent.entry(ci).or_default().push((u, ss, sn));
        }
    }
    let sentences: Vec<(usize, f64, f64)> = sentences
        .into_iter()
        .enumerate()
        .filter(|(_, u)| u.1 > 0.0)
        .map(|(i, u)| (i, u.0, u.1))
        .collect();
    let docs: Vec<(usize, f64, f64)> = dscores
        .into_iter()
        .enumerate()
        .map(|(i, u)| (i, u.0, u.1))
        .collect();
    // Every column, then all replicates in one pass over the units.
    let num = |v: &[(usize, f64, f64)]| v.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>();
    let den = |v: &[(usize, f64, f64)]| v.iter().map(|x| (x.0, x.2)).collect::<Vec<_>>();
    let mut cols: Vec<(Col, Vec<(usize, f64)>)> = vec![
        (Col::SentNum, num(&sentences)),
        (Col::SentDen, den(&sentences)),
        (Col::DocNum, num(&docs)),
        (Col::DocDen, den(&docs)),
        (Col::Tokens, tokens.iter().copied().enumerate().collect()),
    ];
    for (c, v) in &concept_sent {
        cols.push((Col::CSentNum(*c), num(v)));
        cols.push((Col::CSentDen(*c), den(v)));
    }
    let mut names: Vec<Col> = cols.iter().map(|(c, _)| *c).collect();
    let mut columns: Vec<&[(usize, f64)]> = cols.iter().map(|(_, v)| v.as_slice()).collect();
    for (c, v) in &concept_ment {
        names.push(Col::Ment(*c));
        columns.push(v);
    }
    let rs = stats::Resamples::new(n, reps, seed);
    let replicates = rs.sum_replicates_many(&columns);
    Units {
        n_units: n,
        sums: names.into_iter().zip(replicates).collect(),
        zeros: vec![0.0; reps],
        tokens_total: tokens.iter().sum(),
        sentences,
        docs,
        concept_sent,
        concept_ment,
    }
}

fn opt(x: f64, d: i32) -> Option<f64> {
    x.is_finite().then(|| round(x, d))
}

fn seed_for(base: u64, tag: &str) -> u64 {
    // FNV-1a of the tag mixed into the seed: each statistic gets its own stream,
    // independent of which other statistics were computed.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in tag.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    base ^ h
}

/// Computes the concept table, sentiment per group, coverage, time series and the
/// comparison of the chosen pair.
pub fn analyze(
    groups: &BTreeMap<String, GroupAgg>,
    docs: &[DocRecord],
    doc_concepts: &[DocConceptRecord],
    concept_info: &[ConceptInfo],
    opts: &CompareOptions,
) -> Analysis {
    let mut names: BTreeMap<String, Arc<str>> = BTreeMap::new();
    let mut name = |g: &str| -> Arc<str> {
        if let Some(n) = names.get(g) {
            return n.clone();
        }
        let n: Arc<str> = Arc::from(g);
        names.insert(g.to_string(), n.clone());
        n
    };
    let stats: Vec<DocStats> = docs
        .iter()
        .map(|d| DocStats::of(d, name(d.meta.group.as_str())))
        .collect();
    // A concept row names its document by id; the first document with that id.
    let mut index: BTreeMap<&str, u32> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate().rev() {
        index.insert(d.meta.id.as_str(), i as u32);
    }
    let concepts: Vec<ConceptStats> = doc_concepts
        .iter()
        .map(|c| {
            let doc = index.get(c.doc_id.as_str()).copied().unwrap_or(u32::MAX);
            ConceptStats::of(c, doc, name(c.group.as_str()))
        })
        .collect();
    analyze_stats(groups, &stats, &concepts, concept_info, opts)
}

/// [`analyze`] from the documents' statistics: `concepts[i].doc` indexes `docs`.
pub(crate) fn analyze_stats(
    groups: &BTreeMap<String, GroupAgg>,
    docs: &[DocStats],
    doc_concepts: &[ConceptStats],
    concept_info: &[ConceptInfo],
    opts: &CompareOptions,
) -> Analysis {
    let mut out = Analysis::default();
    let by_source = docs.iter().any(|d| d.source.is_some());
    let concepts_by_doc = ByDoc::new(docs.len(), doc_concepts);
    let used_concepts: Vec<u32> = doc_concepts
        .iter()
        .map(|c| c.concept_index)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut group_docs: BTreeMap<&str, Vec<(usize, &DocStats)>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        group_docs.entry(&d.group).or_default().push((i, d));
    }
    // Independent work items run on the current rayon pool; results are collected in
    // order, so the output does not depend on the thread count.
    let units: BTreeMap<&str, Units> = group_docs
        .par_iter()
        .map(|(g, ds)| {
            let seed = seed_for(opts.seed, &format!("resample:{g}"));
            (
                *g,
                build_units(ds, &concepts_by_doc, by_source, opts.reps, seed),
            )
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();

    // Sentiment and coverage per group.
    for (g, agg) in groups {
        let ds = group_docs.get(g.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let Some(u) = units.get(g.as_str()) else {
            continue;
        };
        let sm = u
            .ratio(&u.sentences, Col::SentNum, Col::SentDen)
            .interval(opts.level);
        let dm = u
            .ratio(&u.docs, Col::DocNum, Col::DocDen)
            .interval(opts.level);
        let mut scores: Vec<f64> = ds.iter().map(|d| d.1.sentiment).collect();
        let median = stats::median(&mut scores);
        let n = ds.len().max(1) as f64;
        let mut hist = vec![0u64; 10];
        for (_, d) in ds {
            let b = (((d.sentiment + 1.0) / 0.2).floor() as i64).clamp(0, 9) as usize;
            hist[b] += 1;
        }
        let sent_total: u64 = ds.iter().map(|d| d.1.sentences).sum();
        let cov = &agg.coverage;
        let (tok, hit, sen, hsen) = cov.values().fold((0, 0, 0, 0), |a, c| {
            (
                a.0 + c.tokens,
                a.1 + c.hit_tokens,
                a.2 + c.sentences,
                a.3 + c.hit_sentences,
            )
        });
        out.sentiment.push(SentimentGroupRecord {
            group: g.clone(),
            documents: ds.len() as u64,
            units: u.n_units as u64,
            sentence_mean: round(sm.estimate, 4),
            sentence_mean_lo: round(sm.lo, 4),
            sentence_mean_hi: round(sm.hi, 4),
            doc_mean: round(dm.estimate, 4),
            doc_mean_lo: round(dm.lo, 4),
            doc_mean_hi: round(dm.hi, 4),
            doc_median: round(median, 4),
            share_positive_docs: round(ds.iter().filter(|d| d.1.label == 1).count() as f64 / n, 4),
            share_negative_docs: round(ds.iter().filter(|d| d.1.label == -1).count() as f64 / n, 4),
            share_positive_sentences: round(
                ds.iter().map(|d| d.1.sentences_positive).sum::<u64>() as f64
                    / sent_total.max(1) as f64,
                4,
            ),
            share_negative_sentences: round(
                ds.iter().map(|d| d.1.sentences_negative).sum::<u64>() as f64
                    / sent_total.max(1) as f64,
                4,
            ),
            token_coverage: round(hit as f64 / tok.max(1) as f64, 4),
            sentence_coverage: round(hsen as f64 / sen.max(1) as f64, 4),
            doc_score_hist: hist,
        });
        for (l, c) in cov {
            out.coverage.push(CoverageRecord {
                group: g.clone(),
                lang: *l,
                tokens: c.tokens,
                hit_tokens: c.hit_tokens,
                token_coverage: round(c.hit_tokens as f64 / c.tokens.max(1) as f64, 4),
                sentences: c.sentences,
                hit_sentences: c.hit_sentences,
                sentence_coverage: round(c.hit_sentences as f64 / c.sentences.max(1) as f64, 4),
            });
        }
    }

    // Concept table per concept × group.
    let mut concept_totals: BTreeMap<(u32, &str), ConceptTotals> = BTreeMap::new();
    for c in doc_concepts {
        let e = concept_totals
            .entry((c.concept_index, &c.group))
            .or_default();
        e.0 += c.mentions;
        e.1 += c.mentions_zh;
        e.2 += c.mentions_en;
        e.3 += 1;
        e.4 += c.sentences;
        e.5 += c.sentiment_sum;
    }
    let concept_rows: Vec<Vec<ConceptGroupRecord>> = used_concepts
        .par_iter()
        .map(|&ci| {
            let mut rows = Vec::new();
            let Some(info) = concept_info.get(ci as usize) else {
                return rows;
            };
            for (g, agg) in groups {
                let Some(&(m, mz, me, nd, ns, _)) = concept_totals.get(&(ci, g.as_str())) else {
                    continue;
                };
                let Some(u) = units.get(g.as_str()) else {
                    continue;
                };
                let tokens = agg.totals.all_tokens();
                let tz = agg.totals.tokens.get(&Lang::Zh).copied().unwrap_or(0);
                let te = agg.totals.tokens.get(&Lang::En).copied().unwrap_or(0);
                let rate = u
                    .concept_ment
                    .get(&ci)
                    .map(|m| u.rate(m, Col::Ment(ci)).interval(opts.level))
                    .unwrap_or(stats::Interval::NAN);
                let sent = u
                    .concept_sent
                    .get(&ci)
                    .map(|v| {
                        u.ratio(v, Col::CSentNum(ci), Col::CSentDen(ci))
                            .interval(opts.level)
                    })
                    .unwrap_or(stats::Interval::NAN);
                rows.push(ConceptGroupRecord {
                    concept: info.id.clone(),
                    label_en: info.label_en.clone(),
                    label_zh: info.label_zh.clone(),
                    category: info.category.clone(),
                    group: g.clone(),
                    mentions: m,
                    mentions_zh: mz,
                    mentions_en: me,
                    per_10k: round(m as f64 * 1e4 / tokens.max(1) as f64, 3),
                    per_10k_lo: round(rate.lo, 3),
                    per_10k_hi: round(rate.hi, 3),
                    per_10k_zh: (tz > 0).then(|| round(mz as f64 * 1e4 / tz as f64, 3)),
                    per_10k_en: (te > 0).then(|| round(me as f64 * 1e4 / te as f64, 3)),
                    documents: nd,
                    doc_share: round(nd as f64 / agg.totals.documents.max(1) as f64, 4),
                    sentences: ns,
                    sentiment: opt(sent.estimate, 4),
                    sentiment_lo: opt(sent.lo, 4),
                    sentiment_hi: opt(sent.hi, 4),
                });
            }
            rows
        })
        .collect();
    out.concepts = concept_rows.into_iter().flatten().collect();

    // Time series.
    let mut periods: BTreeMap<(String, &str), PeriodTotals> = BTreeMap::new();
    let mut period_of: BTreeMap<&str, String> = BTreeMap::new();
    for d in docs {
        let Some(p) = d
            .date_iso
            .as_deref()
            .and_then(|x| date::period(x, opts.period))
        else {
            continue;
        };
        period_of.insert(d.id.as_str(), p.clone());
        let e = periods.entry((p, &d.group)).or_default();
        e.0 += 1;
        e.1 += d.tokens;
        e.2 += d.hit_sum;
        e.3 += d.hit_sentences as f64;
        e.4 += d.sentiment;
    }
    for ((p, g), (n, t, hs, hn, ds)) in &periods {
        out.time.push(TimeRecord {
            period: p.clone(),
            group: g.to_string(),
            documents: *n,
            tokens: *t,
            sentence_mean: (*hn > 0.0).then(|| round(hs / hn, 4)),
            doc_mean: round(ds / *n as f64, 4),
        });
    }
    if !periods.is_empty() {
        let mut by_mentions: Vec<(u64, u32)> = used_concepts
            .iter()
            .map(|&c| {
                (
                    concept_totals
                        .iter()
                        .filter(|((ci, _), _)| *ci == c)
                        .map(|(_, v)| v.0)
                        .sum(),
                    c,
                )
            })
            .collect();
        by_mentions.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let followed: BTreeSet<u32> = by_mentions
            .iter()
            .take(opts.time_concepts)
            .map(|x| x.1)
            .collect();
        let mut ct: BTreeMap<(String, &str, u32), u64> = BTreeMap::new();
        for c in doc_concepts {
            if !followed.contains(&c.concept_index) {
                continue;
            }
            let id = docs.get(c.doc as usize).map(|d| d.id.as_str());
            if let Some(p) = id.and_then(|id| period_of.get(id)) {
                *ct.entry((p.clone(), &c.group, c.concept_index))
                    .or_default() += c.mentions;
            }
        }
        for ((p, g), (_, t, ..)) in &periods {
            for &ci in &followed {
                let m = ct.get(&(p.clone(), g, ci)).copied().unwrap_or(0);
                if let Some(info) = concept_info.get(ci as usize) {
                    out.concept_time.push(ConceptTimeRecord {
                        period: p.clone(),
                        group: g.to_string(),
                        concept: info.id.clone(),
                        mentions: m,
                        per_10k: round(m as f64 * 1e4 / (*t).max(1) as f64, 3),
                    });
                }
            }
        }
    }

    // Comparability warnings.
    for (g, agg) in groups {
        let t = &agg.totals;
        if t.documents < 20 || t.all_tokens() < 10_000 {
            out.warnings.push(format!(
                "group {g} is small ({} documents, {} tokens): intervals are wide and keyness finds only large differences",
                t.documents,
                t.all_tokens()
            ));
        }
    }
    for c in &out.coverage {
        if c.tokens >= 500 && c.token_coverage < 0.03 {
            out.warnings.push(format!(
                "lexicon covers only {:.1}% of {} tokens in group {}: its sentiment rests on few words",
                c.token_coverage * 100.0,
                c.lang,
                c.group
            ));
        }
    }

    // The pair.
    let pair = match &opts.pair {
        Some(p) => Some(p.clone()),
        None => {
            let mut gs: Vec<(&String, u64)> = groups
                .iter()
                .map(|(g, a)| (g, a.totals.documents))
                .collect();
            gs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            (gs.len() >= 2).then(|| {
                let (mut a, mut b) = (gs[0].0.clone(), gs[1].0.clone());
                if a > b {
                    std::mem::swap(&mut a, &mut b);
                }
                (a, b)
            })
        }
    };
    if let Some((a, b)) = pair {
        if let (Some(ga), Some(gb)) = (groups.get(&a), groups.get(&b)) {
            let ua = &units[a.as_str()];
            let ub = &units[b.as_str()];
            // Language mix warning: sentiment lexicons differ between languages.
            let share = |g: &GroupAgg, l: Lang| {
                g.totals.tokens.get(&l).copied().unwrap_or(0) as f64
                    / g.totals.all_tokens().max(1) as f64
            };
            if (share(ga, Lang::Zh) - share(gb, Lang::Zh)).abs() > 0.5 {
                out.warnings.push(format!(
                    "groups {a} and {b} are written in different languages (Chinese share {:.0}% vs {:.0}%): sentiment differences mix the groups' views with differences between the Chinese and English lexicons; compare per-language rows and concepts",
                    share(ga, Lang::Zh) * 100.0,
                    share(gb, Lang::Zh) * 100.0
                ));
            }
            let mut c = Comparison {
                group_a: a.clone(),
                group_b: b.clone(),
                resampling_unit: if by_source {
                    "source".into()
                } else {
                    "document".into()
                },
                options: opts.clone(),
                keyness: Vec::new(),
                terms_tested: BTreeMap::new(),
                concepts: Vec::new(),
                sentiment: Vec::new(),
            };
            for (measure, xa, xb, cn, cd) in [
                (
                    "sentence_mean",
                    &ua.sentences,
                    &ub.sentences,
                    Col::SentNum,
                    Col::SentDen,
                ),
                ("doc_mean", &ua.docs, &ub.docs, Col::DocNum, Col::DocDen),
            ] {
                let (ea, eb) = (ua.ratio(xa, cn, cd), ub.ratio(xb, cn, cd));
                let d = ea.diff(&eb, opts.level);
                let p = stats::permutation_p_value(
                    &pairs(xa),
                    &pairs(xb),
                    opts.reps,
                    seed_for(opts.seed, &format!("perm:{measure}")),
                );
                c.sentiment.push(SentimentDiffRecord {
                    measure: measure.into(),
                    a: round(ea.value, 4),
                    b: round(eb.value, 4),
                    diff: round(d.estimate, 4),
                    diff_lo: round(d.lo, 4),
                    diff_hi: round(d.hi, 4),
                    p_permutation: round_sig(p, 4),
                });
            }
            // Concepts between the pair.
            let (na, nb) = (ga.totals.all_tokens() as f64, gb.totals.all_tokens() as f64);
            let concept_row = |ci: u32| -> Option<(ConceptCompareRecord, f64)> {
                let info = concept_info.get(ci as usize)?;
                let ma = concept_totals.get(&(ci, a.as_str())).map_or(0, |v| v.0);
                let mb = concept_totals.get(&(ci, b.as_str())).map_or(0, |v| v.0);
                if ma + mb == 0 {
                    return None;
                }
                let k = stats::keyness(ma as f64, mb as f64, na, nb, KeynessOptions::default());
                let (empty_m, empty_s) = (Vec::new(), Vec::new());
                let ra = ua.rate(ua.concept_ment.get(&ci).unwrap_or(&empty_m), Col::Ment(ci));
                let rb = ub.rate(ub.concept_ment.get(&ci).unwrap_or(&empty_m), Col::Ment(ci));
                let rd = ra.diff(&rb, opts.level);
                let sa = ua.concept_sent.get(&ci).unwrap_or(&empty_s);
                let sb = ub.concept_sent.get(&ci).unwrap_or(&empty_s);
                let (sd, sp) = if !sa.is_empty() && !sb.is_empty() {
                    (
                        ua.ratio(sa, Col::CSentNum(ci), Col::CSentDen(ci)).diff(
                            &ub.ratio(sb, Col::CSentNum(ci), Col::CSentDen(ci)),
                            opts.level,
                        ),
                        stats::permutation_p_value(
                            &pairs(sa),
                            &pairs(sb),
                            opts.reps,
                            seed_for(opts.seed, &format!("csp:{}", info.id)),
                        ),
                    )
                } else {
                    (stats::Interval::NAN, f64::NAN)
                };
                Some((
                    ConceptCompareRecord {
                        concept: info.id.clone(),
                        label_en: info.label_en.clone(),
                        label_zh: info.label_zh.clone(),
                        mentions_a: ma,
                        mentions_b: mb,
                        per_10k_a: round(ma as f64 * 1e4 / na.max(1.0), 3),
                        per_10k_b: round(mb as f64 * 1e4 / nb.max(1.0), 3),
                        g2: round(k.g2, 4),
                        p: round_sig(k.p, 4),
                        p_adj: 0.0,
                        log_ratio: round(k.log_ratio, 4),
                        lrc: round(k.lrc, 4),
                        rate_diff_lo: round(rd.lo, 3),
                        rate_diff_hi: round(rd.hi, 3),
                        sentiment_diff: opt(sd.estimate, 4),
                        sentiment_diff_lo: opt(sd.lo, 4),
                        sentiment_diff_hi: opt(sd.hi, 4),
                        sentiment_p: opt(sp, 4),
                    },
                    k.p,
                ))
            };
            type Keyed = (Vec<KeynessRecord>, BTreeMap<Lang, u64>);
            let (kn, found): (Keyed, Vec<(ConceptCompareRecord, f64)>) = rayon::join(
                || keyness(ga, gb, &a, &b, opts),
                || {
                    used_concepts
                        .par_iter()
                        .filter_map(|&ci| concept_row(ci))
                        .collect()
                },
            );
            (c.keyness, c.terms_tested) = kn;
            let (mut rows, pvals): (Vec<ConceptCompareRecord>, Vec<f64>) =
                found.into_iter().unzip();
            let adj = stats::benjamini_hochberg(&pvals);
            for (r, p) in rows.iter_mut().zip(adj) {
                r.p_adj = round_sig(p, 4);
            }
            rows.sort_by(|x, y| {
                (y.mentions_a + y.mentions_b)
                    .cmp(&(x.mentions_a + x.mentions_b))
                    .then_with(|| x.concept.cmp(&y.concept))
            });
            c.concepts = rows;
            out.comparison = Some(c);
        }
    }
    out
}

/// Terms of `lang` with document frequency ≥ `min_df` in A and B together, with their
/// statistics in A and in B, in no particular order: nothing computed from them depends
/// on their order (Benjamini–Hochberg gives each p-value the same adjusted value in any
/// order, and the reported terms are sorted by a total order that ends with the term).
fn tested_terms<'a>(
    ga: &'a GroupAgg,
    gb: &'a GroupAgg,
    lang: Lang,
    min_df: u64,
) -> Vec<(&'a str, TermStat, TermStat)> {
    ga.terms
        .outer_join(&gb.terms, lang)
        .filter(|(_, sa, sb)| sa.doc_freq + sb.doc_freq >= min_df)
        .collect()
}

/// The distinctive terms of A and B, and the number of terms tested per language.
fn keyness(
    ga: &GroupAgg,
    gb: &GroupAgg,
    a: &str,
    b: &str,
    opts: &CompareOptions,
) -> (Vec<KeynessRecord>, BTreeMap<Lang, u64>) {
    let mut out = Vec::new();
    let mut tested = BTreeMap::new();
    let langs: BTreeSet<Lang> = ga.terms.langs().chain(gb.terms.langs()).collect();
    for lang in langs {
        let terms = tested_terms(ga, gb, lang, opts.min_doc_freq);
        tested.insert(lang, terms.len() as u64);
        let na = ga.totals.tokens.get(&lang).copied().unwrap_or(0) as f64;
        let nb = gb.totals.tokens.get(&lang).copied().unwrap_or(0) as f64;
        if na == 0.0 || nb == 0.0 {
            continue;
        }
        // G², p and Log Ratio for every tested term (they decide significance and
        // rank); the costlier LRC and log-odds only for the terms reported.
        let mut rows: Vec<(usize, f64, f64, f64)> = Vec::with_capacity(terms.len());
        for (i, (_, sa, sb)) in terms.iter().enumerate() {
            let (ca, cb) = (sa.count as f64, sb.count as f64);
            let g2 = stats::log_likelihood_g2(ca, cb, na, nb);
            rows.push((
                i,
                g2,
                stats::chi2_sf_1df(g2),
                stats::log_ratio(ca, cb, na, nb),
            ));
        }
        let adj = stats::benjamini_hochberg(&rows.iter().map(|r| r.2).collect::<Vec<_>>());
        let mut kept: Vec<(usize, f64, f64, f64, f64)> = rows
            .into_iter()
            .zip(adj)
            .filter(|((_, _, _, lr), p_adj)| *p_adj < opts.alpha && *lr != 0.0)
            .map(|((i, g2, p, lr), p_adj)| (i, g2, p, lr, p_adj))
            .collect();
        kept.sort_by(|x, y| {
            y.3.abs()
                .total_cmp(&x.3.abs())
                .then(y.1.total_cmp(&x.1))
                .then_with(|| terms[x.0].0.cmp(terms[y.0].0))
        });
        for side_a in [true, false] {
            let side = if side_a { a } else { b };
            let mine = kept.iter().filter(|r| (r.3 >= 0.0) == side_a);
            for (rank, &(i, _, _, _, p_adj)) in mine.take(opts.top).enumerate() {
                let (t, sa, sb) = terms[i];
                let k = stats::keyness(
                    sa.count as f64,
                    sb.count as f64,
                    na,
                    nb,
                    KeynessOptions::default(),
                );
                out.push(KeynessRecord {
                    lang,
                    term: t.to_string(),
                    favours: side.to_string(),
                    rank: rank as u32 + 1,
                    count_a: sa.count,
                    count_b: sb.count,
                    per_10k_a: round(sa.count as f64 * 1e4 / na, 3),
                    per_10k_b: round(sb.count as f64 * 1e4 / nb, 3),
                    doc_freq_a: sa.doc_freq,
                    doc_freq_b: sb.doc_freq,
                    g2: round(k.g2, 4),
                    p: round_sig(k.p, 4),
                    p_adj: round_sig(p_adj, 4),
                    log_ratio: round(k.log_ratio, 4),
                    lrc: round(k.lrc, 4),
                    log_odds_z: round(k.log_odds_z, 4),
                });
            }
        }
    }
    (out, tested)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::{GroupAgg, TermTable};

    fn group(tokens: u64, terms: &[(&str, u32, u32)]) -> GroupAgg {
        // terms: (term, count, docs) — spread the count over `docs` documents.
        let mut t = TermTable::default();
        for &(term, count, docs) in terms {
            for i in 0..docs {
                let c = count / docs + u32::from(i < count % docs);
                t.add_term(Lang::En, term, c);
            }
        }
        let mut g = GroupAgg::default();
        g.totals.tokens.insert(Lang::En, tokens);
        g.totals.documents = 10;
        g.terms = t;
        g
    }

    #[test]
    fn keyness_finds_the_distinctive_term_and_respects_min_df() {
        let ga = group(
            10_000,
            &[("exodus", 60, 6), ("mining", 100, 10), ("burst", 30, 1)],
        );
        let gb = group(
            10_000,
            &[("exodus", 5, 3), ("mining", 100, 10), ("burst", 0, 0)],
        );
        let opts = CompareOptions::default();
        let (k, tested) = keyness(&ga, &gb, "a", "b", &opts);
        assert_eq!(tested, BTreeMap::from([(Lang::En, 2)]));
        let terms: Vec<&str> = k.iter().map(|r| r.term.as_str()).collect();
        assert_eq!(
            terms,
            vec!["exodus"],
            "mining is not distinctive; burst is one document"
        );
        let r = &k[0];
        assert_eq!(r.favours, "a");
        // Log Ratio = log2((60/10000)/(5/10000)) = log2(12).
        assert!((r.log_ratio - 12f64.log2()).abs() < 1e-3);
        assert!(r.lrc > 0.0 && r.lrc < r.log_ratio);
    }
}
