//! Comparison of two groups: distinctive terms (keyness), bilingual concepts, sentiment
//! with uncertainty, and time series.
//!
//! ```
//! use duibi::aggregate::GroupAgg;
//! use duibi::compare::{analyze, CompareOptions};
//! use duibi::lang::Lang;
//! use std::collections::BTreeMap;
//!
//! // Two groups of ten English documents of 1,000 tokens: "crackdown" occurs 8 times
//! // in each domestic document and once in 5 of the overseas ones.
//! let mut groups = BTreeMap::new();
//! for (name, per_doc, docs) in [("domestic", 8, 10), ("overseas", 1, 5)] {
//!     let mut g = GroupAgg::default();
//!     g.totals.documents = 10;
//!     for i in 0..10 {
//!         g.totals.add_lang_tokens(Lang::En, 1_000, 0);
//!         if i < docs {
//!             g.terms.add_term_in(Lang::En, "crackdown", per_doc, 1_000, u32::MAX);
//!         }
//!     }
//!     groups.insert(name.to_string(), g);
//! }
//! let analysis = analyze(&groups, &[], &[], &[], &CompareOptions::default());
//! let cmp = analysis.comparison.expect("two groups are compared");
//! assert_eq!((cmp.group_a.as_str(), cmp.group_b.as_str()), ("domestic", "overseas"));
//! let k = &cmp.keyness[0];
//! assert_eq!((k.term.as_str(), k.favours.as_str()), ("crackdown", "domestic"));
//! assert_eq!(k.log_ratio, 4.0); // 80 vs 5 per 10,000 tokens: 2⁴ times as often
//! ```
//!
//! Everything here is computed from integer aggregates and per-document summaries
//! sorted by document id, so the numbers are the same for any thread count or sharding.
//! The records it fills live in [`crate::report`]; one file per part:
//! `pass` (the two streaming passes over the documents that everything per group is
//! summed from), `units` (resampling units and their bootstrap replicates), `keyness`, `concepts`,
//! `sentiment` (and lexicon coverage), `time` and `checks` (comparability warnings).
//!
//! # Keyness (per language, group A vs group B)
//! For a term with `c_i` occurrences among `n_i` tokens of its language in document `i`:
//! * **The test that decides** — [`stats::cluster_test`](crate::stats::cluster_test):
//!   the difference of the rates `Σc/Σn` over the documents, with cluster-robust
//!   variances and a Welch t (degrees of freedom from the documents that contain the
//!   term), so a term bunched in a few documents is not significant however often it
//!   occurs there; p Benjamini–Hochberg adjusted over all terms tested in the language.
//! * **Log Ratio** (Hardie 2014) — `log2((a/n_a) / (b/n_b))`; when one count is zero,
//!   0.5 is added to both counts. +1 means twice as frequent in A.
//! * **LRC** — the bound nearer 0 of the Log Ratio's document-level interval (0 when
//!   it contains 0).
//! * **G²** and **log-odds z** (Monroe, Colaresi & Quinn 2008) — token-level, kept in the
//!   records for comparison with other tools; they decide nothing.
//!
//! Terms must occur in at least `min_doc_freq` documents (both groups together).
//! Distinctive terms are those with adjusted p < `alpha`, ranked by |Log Ratio|, then |t|.
//! Concept rates get the same test over the resampling units (sources or documents).
//!
//! # Uncertainty
//! Means (sentiment of sentences, concept rates) are ratios of sums over *units*: whole
//! documents, or whole sources when documents name their source (so one prolific outlet
//! cannot dominate). A group naming fewer than
//! [`MIN_RESAMPLING_UNITS`](crate::config::MIN_RESAMPLING_UNITS) sources is resampled by
//! documents instead, with a warning; each record says its unit. Per-language rows take a group's documents
//! whose main language is the language. 95% intervals are percentile bootstrap intervals resampling units;
//! group differences get a bootstrap interval and a permutation p-value. All resampling
//! is seeded.

mod checks;
mod concepts;
mod keyness;
mod median;
mod pass;
mod permutations;
mod sentiment;
mod time;
mod units;

use crate::aggregate::GroupAgg;
use crate::concepts::ConceptInfo;
use crate::report::{DocConceptRecord, DocRecord};
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::docstats::DocStream;
/// Old paths of the storage summaries (now in `crate::docstats`), kept for one release.
pub(crate) use crate::docstats::{ConceptStats, DocStats};
pub use crate::report::CompareOptions;
/// Old paths of the comparison records (now in [`crate::report`]), kept for one release.
#[doc(hidden)]
pub use crate::report::{
    Comparison, ConceptCompareRecord, ConceptGroupRecord, ConceptTimeRecord, CoverageRecord,
    KeynessRecord, SentimentDiffRecord, SentimentGroupRecord, TimeRecord,
};

/// Everything computed from documents and aggregates.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Concept table per concept × group.
    pub concepts: Vec<ConceptGroupRecord>,
    /// Sentiment per group.
    pub sentiment: Vec<SentimentGroupRecord>,
    /// Coverage per group × language.
    pub coverage: Vec<CoverageRecord>,
    /// Sentiment per group × main language of the documents.
    pub sentiment_by_lang: Vec<crate::report::SentimentLangRecord>,
    /// Time series per period × group.
    pub time: Vec<TimeRecord>,
    /// Concept time series.
    pub concept_time: Vec<ConceptTimeRecord>,
    /// Comparison of the chosen pair (None with fewer than two groups).
    pub comparison: Option<Comparison>,
    /// Comparability warnings.
    pub warnings: Vec<String>,
}

/// Computes the concept table, sentiment per group, coverage, time series and the
/// comparison of the chosen pair. The documents are read in id order (a stable sort
/// of `docs`), as a run reads its own, so their order here changes nothing.
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
    let mem = crate::docstats::MemDocs::new(stats, concepts);
    // Documents in memory are never read from a file: this cannot fail.
    analyze_stats(groups, &mem, concept_info, opts).unwrap_or_default()
}

/// [`analyze`] from a stream of the documents' statistics, read twice (fails when
/// reading it fails).
pub(crate) fn analyze_stats(
    groups: &BTreeMap<String, GroupAgg>,
    docs: &dyn DocStream,
    concept_info: &[ConceptInfo],
    opts: &CompareOptions,
) -> std::io::Result<Analysis> {
    let mut out = Analysis::default();
    let names = docs.groups();
    let g = pass::gather(docs, &names, concept_info, opts)?;
    let (units, lang_parts, totals, used) = (g.units, g.lang_parts, g.totals, g.used);
    let group_docs = g.group_docs;
    let ((by_group, by_lang), table) = rayon::join(
        || {
            rayon::join(
                || sentiment::per_group(groups, group_docs, &units, opts),
                || sentiment::per_lang(groups, &lang_parts, opts),
            )
        },
        || concepts::group_table(groups, &used, &totals, &units, concept_info, opts),
    );
    (out.sentiment, out.coverage) = by_group;
    out.sentiment_by_lang = by_lang;
    out.concepts = table;
    (out.time, out.concept_time) = (g.series.time, g.series.concept_time);
    out.warnings = checks::group_warnings(groups, &out.coverage);
    out.warnings.extend(
        units.iter().filter_map(|(g, u)| {
            checks::unit_warning(g, u.unit, u.sources as u64, u.n_units as u64)
        }),
    );

    let Some((a, b)) = pair(groups, opts) else {
        return Ok(out);
    };
    let (Some(ga), Some(gb)) = (groups.get(&a), groups.get(&b)) else {
        return Ok(out);
    };
    out.warnings
        .extend(checks::language_mix_warning(&a, ga, &b, gb));
    // A group without documents has no units (only possible when the aggregates and
    // the documents given disagree): its statistics are NaN.
    let no_units;
    let (ua, ub) = match (units.get(a.as_str()), units.get(b.as_str())) {
        (Some(ua), Some(ub)) => (ua, ub),
        (ua, ub) => {
            no_units = units::empty(opts.reps);
            (ua.unwrap_or(&no_units), ub.unwrap_or(&no_units))
        }
    };
    let side_a = concepts::Side {
        name: &a,
        agg: ga,
        units: ua,
    };
    let side_b = concepts::Side {
        name: &b,
        agg: gb,
        units: ub,
    };
    // The permutation tests in one batch, beside keyness; then the records that read
    // them: the sentiment tests and the concepts at once (each keeps its order).
    let (pv, kn) = rayon::join(
        || {
            let mut inputs = sentiment::test_inputs(ua, ub, None);
            inputs.extend(sentiment::lang_test_inputs(&a, &b, &lang_parts));
            inputs.extend(concepts::test_inputs(&used, ua, ub, concept_info));
            permutations::PValues::draw(inputs, opts)
        },
        || keyness::keyness(ga, gb, &a, &b, opts),
    );
    let ((sentiment, sentiment_by_lang), concepts) = rayon::join(
        || {
            rayon::join(
                || sentiment::adjusted(sentiment::differences(ua, ub, None, &pv, opts)),
                || sentiment::lang_differences(&a, &b, &lang_parts, &pv, opts),
            )
        },
        || concepts::compare(&used, &side_a, &side_b, &totals, concept_info, &pv, opts),
    );
    out.comparison = Some(Comparison {
        group_a: a.clone(),
        group_b: b.clone(),
        resampling_unit: units::pair_unit(ua, ub),
        options: opts.clone(),
        keyness: kn.records,
        terms_tested: kn.tested,
        terms_significant: kn.significant,
        concepts,
        sentiment,
        sentiment_by_lang,
    });
    Ok(out)
}

/// The pair to compare: the one asked for, else the two groups with the most documents
/// (ties by name), in name order; `None` with fewer than two groups.
fn pair(groups: &BTreeMap<String, GroupAgg>, opts: &CompareOptions) -> Option<(String, String)> {
    if let Some(p) = &opts.pair {
        return Some(p.clone());
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn group(documents: u64) -> GroupAgg {
        let mut g = GroupAgg::default();
        g.totals.documents = documents;
        g.totals.tokens.insert(Lang::En, 100);
        g
    }

    #[test]
    fn the_pair_is_the_two_largest_groups_in_name_order() {
        let groups = BTreeMap::from([
            ("b".to_string(), group(5)),
            ("c".to_string(), group(9)),
            ("a".to_string(), group(5)),
        ]);
        let opts = CompareOptions::default();
        assert_eq!(pair(&groups, &opts), Some(("a".into(), "c".into())));
        let chosen = CompareOptions {
            pair: Some(("b".into(), "a".into())),
            ..CompareOptions::default()
        };
        assert_eq!(pair(&groups, &chosen), Some(("b".into(), "a".into())));
        let one = BTreeMap::from([("a".to_string(), group(1))]);
        assert_eq!(pair(&one, &opts), None);
    }

    #[test]
    fn groups_without_documents_are_compared_without_panicking() {
        let groups = BTreeMap::from([("a".to_string(), group(3)), ("b".to_string(), group(4))]);
        let out = analyze(&groups, &[], &[], &[], &CompareOptions::default());
        let c = out.comparison.expect("a pair");
        assert_eq!(c.sentiment.len(), 2);
        assert!(c.sentiment.iter().all(|s| s.a.is_nan() && s.b.is_nan()));
        assert!(out.sentiment.is_empty(), "no units, no per-group sentiment");
    }
}
