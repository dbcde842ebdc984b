//! Sentiment per group (means with intervals, median, label shares, histogram), lexicon
//! coverage per group and language, sentiment per group and main language of the
//! documents, and the sentiment differences of a pair (whole text and per language).

use super::median::MedianSelect;
use super::permutations::{Input, PValues};
use super::units::{self, pairs, Col, UnitSums, Units};
use super::DocStats;
use crate::aggregate::{Coverage, GroupAgg};
use crate::lang::Lang;
use crate::report::{
    round, round_sig, CompareOptions, CoverageRecord, SentimentDiffRecord, SentimentGroupRecord,
    SentimentLangRecord, SentimentMeasure,
};
use crate::stats;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Bins of [`SentimentGroupRecord::doc_score_hist`] (width 0.2 over −1..1).
const DOC_SCORE_BINS: usize = 10;

/// The bin of a document score among [`DOC_SCORE_BINS`] bins of width 0.2 over −1..1
/// (scores outside go to the first or last bin).
fn score_bin(score: f64) -> usize {
    (((score + 1.0) / 0.2).floor() as i64).clamp(0, DOC_SCORE_BINS as i64 - 1) as usize
}

/// What a group's sentiment record reads of its documents, added one document at a
/// time: counts, and the selection of the scores' median.
#[derive(Debug, Default)]
pub(super) struct GroupDocs {
    documents: u64,
    positive: u64,
    negative: u64,
    sentences: u64,
    sentences_positive: u64,
    sentences_negative: u64,
    hist: [u64; DOC_SCORE_BINS],
    /// The median of the document scores (more passes: [`MedianSelect::offer`]).
    pub median: MedianSelect,
}

impl GroupDocs {
    /// The counts of a group of about `n` documents (a hint for the median's
    /// selection: [`MedianSelect::expecting`]).
    pub fn expecting(n: u64) -> Self {
        GroupDocs {
            median: MedianSelect::expecting(n),
            ..GroupDocs::default()
        }
    }

    /// Adds a document.
    pub fn add(&mut self, d: &DocStats) {
        self.documents += 1;
        self.positive += (d.label == 1) as u64;
        self.negative += (d.label == -1) as u64;
        self.sentences += d.sentences;
        self.sentences_positive += d.sentences_positive;
        self.sentences_negative += d.sentences_negative;
        self.hist[score_bin(d.sentiment)] += 1;
        self.median.offer(d.sentiment);
    }
}

/// `part / whole` (0 when `whole` is 0), rounded to 4 decimals.
fn share(part: u64, whole: u64) -> f64 {
    round(part as f64 / whole.max(1) as f64, 4)
}

/// The sentiment record of group `g` with documents `ds`, units `u` and aggregate `agg`.
pub(super) fn group_record(
    g: &str,
    agg: &GroupAgg,
    ds: &mut GroupDocs,
    u: &Units,
    opts: &CompareOptions,
) -> SentimentGroupRecord {
    let sm = mean_interval(u, SentimentMeasure::SentenceMean, opts.level);
    let dm = mean_interval(u, SentimentMeasure::DocMean, opts.level);
    let median = ds.median.median();
    let n = ds.documents.max(1) as f64;
    let sent_total = ds.sentences;
    let mut cov = Coverage::default();
    for c in agg.coverage.values() {
        cov.add(c);
    }
    SentimentGroupRecord {
        group: g.to_string(),
        documents: ds.documents,
        units: u.n_units as u64,
        resampling_unit: Some(u.unit),
        sentence_mean: round(sm.estimate, 4),
        sentence_mean_lo: round(sm.lo, 4),
        sentence_mean_hi: round(sm.hi, 4),
        doc_mean: round(dm.estimate, 4),
        doc_mean_lo: round(dm.lo, 4),
        doc_mean_hi: round(dm.hi, 4),
        doc_median: round(median, 4),
        share_positive_docs: round(ds.positive as f64 / n, 4),
        share_negative_docs: round(ds.negative as f64 / n, 4),
        share_positive_sentences: share(ds.sentences_positive, sent_total),
        share_negative_sentences: share(ds.sentences_negative, sent_total),
        token_coverage: share(cov.hit_tokens, cov.tokens),
        sentence_coverage: share(cov.hit_sentences, cov.sentences),
        doc_score_hist: ds.hist.to_vec(),
    }
}

/// The coverage record of language `lang` in group `g`.
pub(super) fn coverage_record(g: &str, lang: Lang, c: &Coverage) -> CoverageRecord {
    CoverageRecord {
        group: g.to_string(),
        lang,
        tokens: c.tokens,
        hit_tokens: c.hit_tokens,
        token_coverage: share(c.hit_tokens, c.tokens),
        sentences: c.sentences,
        hit_sentences: c.hit_sentences,
        sentence_coverage: share(c.hit_sentences, c.sentences),
    }
}

/// Sentiment and coverage of every group with documents, in group order.
pub(super) fn per_group(
    groups: &BTreeMap<String, GroupAgg>,
    mut group_docs: BTreeMap<&str, GroupDocs>,
    units: &BTreeMap<&str, Units>,
    opts: &CompareOptions,
) -> (Vec<SentimentGroupRecord>, Vec<CoverageRecord>) {
    let (mut sentiment, mut coverage) = (Vec::new(), Vec::new());
    for (g, agg) in groups {
        let mut ds = group_docs.remove(g.as_str()).unwrap_or_default();
        let Some(u) = units.get(g.as_str()) else {
            continue;
        };
        sentiment.push(group_record(g, agg, &mut ds, u, opts));
        for (l, c) in &agg.coverage {
            coverage.push(coverage_record(g, *l, c));
        }
    }
    (sentiment, coverage)
}

/// The unit sums of `m` and the columns of their replicates.
fn measure_sums(u: &Units, m: SentimentMeasure) -> (&[UnitSums], Col, Col) {
    match m {
        SentimentMeasure::SentenceMean => (&u.sentences, Col::SentNum, Col::SentDen),
        SentimentMeasure::DocMean => (&u.docs, Col::DocNum, Col::DocDen),
    }
}

/// The estimate of measure `m` over `u` with its bootstrap interval at `level`.
fn mean_interval(u: &Units, m: SentimentMeasure, level: f64) -> stats::Interval {
    let (x, num, den) = measure_sums(u, m);
    u.ratio(x, num, den).interval(level)
}

/// The tag of the permutation test of measure `m` (of the documents in `lang`, or of
/// all): what seeds it.
fn test_tag(m: SentimentMeasure, lang: Option<Lang>) -> String {
    match lang {
        None => format!("perm:{m}"),
        Some(l) => format!("perm:{m}:{l}"),
    }
}

/// The permutation tests of [`differences`] over the same units, to draw beforehand.
pub(super) fn test_inputs(ua: &Units, ub: &Units, lang: Option<Lang>) -> Vec<Input> {
    SentimentMeasure::ALL
        .into_iter()
        .map(|m| Input {
            tag: test_tag(m, lang),
            a: pairs(measure_sums(ua, m).0),
            b: pairs(measure_sums(ub, m).0),
        })
        .collect()
}

/// The difference A − B on each sentiment measure (of the documents in `lang`, or of
/// all), with bootstrap interval and permutation p-value over the same units (from
/// `pv`), and the unrounded p-value (`p_adj` still unset).
pub(super) fn differences(
    ua: &Units,
    ub: &Units,
    lang: Option<Lang>,
    pv: &PValues,
    opts: &CompareOptions,
) -> Vec<(SentimentDiffRecord, f64)> {
    // Each measure's interval on its own: run in parallel, kept in order.
    SentimentMeasure::ALL
        .into_par_iter()
        .map(|measure| {
            let (xa, cn, cd) = measure_sums(ua, measure);
            let (xb, _, _) = measure_sums(ub, measure);
            let (ea, eb) = (ua.ratio(xa, cn, cd), ub.ratio(xb, cn, cd));
            let d = ea.diff(&eb, opts.level);
            let p = pv.get(&test_tag(measure, lang), || (pairs(xa), pairs(xb)), opts);
            let support = |x: &[UnitSums]| x.iter().map(|u| u.weight).sum::<f64>() as u64;
            let record = SentimentDiffRecord {
                measure,
                a: round(ea.value, 4),
                b: round(eb.value, 4),
                diff: round(d.estimate, 4),
                diff_lo: round(d.lo, 4),
                diff_hi: round(d.hi, 4),
                p_permutation: round_sig(p, 4),
                p_adj: None,
                lang,
                resampling_unit: Some(units::pair_unit(ua, ub)),
                units_a: xa.len() as u64,
                units_b: xb.len() as u64,
                support_a: support(xa),
                support_b: support(xb),
            };
            (record, p)
        })
        .collect()
}

/// The records of one family of tests with their p Benjamini–Hochberg adjusted over
/// the family.
pub(super) fn adjusted(family: Vec<(SentimentDiffRecord, f64)>) -> Vec<SentimentDiffRecord> {
    let adj = stats::benjamini_hochberg(&family.iter().map(|x| x.1).collect::<Vec<_>>());
    family
        .into_iter()
        .zip(adj)
        .map(|((mut r, _), p)| {
            r.p_adj = Some(round_sig(p, 4));
            r
        })
        .collect()
}

/// The documents of one group written mainly in one language, and their units.
pub(super) struct LangPart {
    /// Number of documents.
    pub documents: u64,
    /// Their sentences with a lexicon match.
    pub hit_sentences: u64,
    /// Their units.
    pub units: Units,
}

/// Per (group, language): the group's documents whose main language it is, and their
/// units (by [`units::PartScan::choose`], seeded per group and language).
pub(super) type LangParts<'g> = BTreeMap<(&'g str, Lang), LangPart>;

/// The sentiment record of the documents of `g` in language `l`.
pub(super) fn lang_record(
    g: &str,
    l: Lang,
    part: &LangPart,
    cov: Option<&Coverage>,
    opts: &CompareOptions,
) -> SentimentLangRecord {
    let u = &part.units;
    let sm = mean_interval(u, SentimentMeasure::SentenceMean, opts.level);
    let dm = mean_interval(u, SentimentMeasure::DocMean, opts.level);
    let c = cov.cloned().unwrap_or_default();
    SentimentLangRecord {
        group: g.to_string(),
        lang: l,
        documents: part.documents,
        units: u.n_units as u64,
        resampling_unit: u.unit,
        sentences: part.hit_sentences,
        sentence_mean: round(sm.estimate, 4),
        sentence_mean_lo: round(sm.lo, 4),
        sentence_mean_hi: round(sm.hi, 4),
        doc_mean: round(dm.estimate, 4),
        doc_mean_lo: round(dm.lo, 4),
        doc_mean_hi: round(dm.hi, 4),
        token_coverage: share(c.hit_tokens, c.tokens),
        sentence_coverage: share(c.hit_sentences, c.sentences),
    }
}

/// Sentiment of every group × main language, in (group, language) order.
pub(super) fn per_lang(
    groups: &BTreeMap<String, GroupAgg>,
    parts: &LangParts,
    opts: &CompareOptions,
) -> Vec<SentimentLangRecord> {
    parts
        .iter()
        .map(|((g, l), part)| {
            let cov = groups.get(*g).and_then(|a| a.coverage.get(l));
            lang_record(g, *l, part, cov, opts)
        })
        .collect()
}

/// The languages both `a` and `b` have documents in, with their two parts.
fn lang_pairs<'p>(
    a: &str,
    b: &'p str,
    parts: &'p LangParts<'p>,
) -> Vec<(Lang, &'p LangPart, &'p LangPart)> {
    parts
        .iter()
        .filter(|((g, _), _)| *g == a)
        .filter_map(|((_, l), pa)| parts.get(&(b, *l)).map(|pb| (*l, pa, pb)))
        .collect()
}

/// The permutation tests of [`lang_differences`], to draw beforehand.
pub(super) fn lang_test_inputs(a: &str, b: &str, parts: &LangParts) -> Vec<Input> {
    lang_pairs(a, b, parts)
        .into_iter()
        .flat_map(|(l, pa, pb)| test_inputs(&pa.units, &pb.units, Some(l)))
        .collect()
}

/// The differences A − B per language, for every language both `a` and `b` have
/// documents in, adjusted over all of them (languages × measures).
pub(super) fn lang_differences(
    a: &str,
    b: &str,
    parts: &LangParts,
    pv: &PValues,
    opts: &CompareOptions,
) -> Vec<SentimentDiffRecord> {
    let both = lang_pairs(a, b, parts);
    // The languages in parallel, their records in language order.
    let per_lang: Vec<Vec<(SentimentDiffRecord, f64)>> = both
        .par_iter()
        .map(|(l, pa, pb)| differences(&pa.units, &pb.units, Some(*l), pv, opts))
        .collect();
    adjusted(per_lang.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use compact_str::CompactString;
    use std::sync::Arc;

    fn doc(sentiment: f64) -> DocStats {
        DocStats {
            id: CompactString::from("d"),
            group: Arc::from("g"),
            source: None,
            date_iso: None,
            lang: Lang::En,
            tokens: 10,
            sentences: 1,
            sentiment,
            label: 0,
            hit_sum: 0.0,
            hit_sentences: 0,
            sentences_positive: 0,
            sentences_negative: 0,
        }
    }

    #[test]
    fn histogram_bins_of_width_one_fifth_clamped_to_the_range() {
        let mut g = GroupDocs::default();
        for s in [-1.0, -0.95, 0.0, 0.19, 0.999, 1.0, 7.0, -3.0] {
            g.add(&doc(s));
        }
        assert_eq!(g.hist, [3, 0, 0, 0, 0, 2, 0, 0, 0, 3]);
        assert_eq!(g.documents, 8);
    }

    #[test]
    fn coverage_shares_are_zero_without_tokens() {
        let c = Coverage {
            tokens: 0,
            hit_tokens: 0,
            sentences: 8,
            hit_sentences: 2,
        };
        let r = coverage_record("g", Lang::En, &c);
        assert_eq!((r.token_coverage, r.sentence_coverage), (0.0, 0.25));
    }
}
