//! Bilingual concepts: totals per concept and group, the concept table (rates and
//! sentiment with intervals per group) and the concepts compared between a pair.

use super::permutations::{Input, PValues};
use super::units::{pairs, Col, Units};
use super::ConceptStats;
use crate::aggregate::GroupAgg;
use crate::concepts::ConceptInfo;
use crate::lang::Lang;
use crate::report::{
    round, round_opt, round_sig, CompareOptions, ConceptCompareRecord, ConceptGroupRecord,
};
use crate::stats::{self, KeynessOptions};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Sums of one concept's document rows in one group.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct ConceptTotals {
    /// Mentions (all languages).
    pub mentions: u64,
    /// Mentions in Chinese text.
    pub mentions_zh: u64,
    /// Mentions in English text.
    pub mentions_en: u64,
    /// Documents mentioning the concept.
    pub documents: u64,
    /// Sentences mentioning it.
    pub sentences: u64,
}

/// Totals per (concept index, group).
pub(super) type TotalsByGroup<'a> = BTreeMap<(u32, &'a str), ConceptTotals>;

/// The concept indexes that occur in `rows`, ascending.
#[cfg(test)]
pub(super) fn used(rows: &[ConceptStats]) -> Vec<u32> {
    rows.iter()
        .map(|c| c.concept_index)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Sums the document rows per concept and group.
#[cfg(test)]
pub(super) fn totals(rows: &[ConceptStats]) -> TotalsByGroup<'_> {
    let mut out: TotalsByGroup = BTreeMap::new();
    for c in rows {
        add_total(&mut out, c, &c.group);
    }
    out
}

/// Adds row `c` to the totals of its concept and group `g` (the row's group).
pub(super) fn add_total<'n>(out: &mut TotalsByGroup<'n>, c: &ConceptStats, g: &'n str) {
    let e = out.entry((c.concept_index, g)).or_default();
    e.mentions += c.mentions;
    e.mentions_zh += c.mentions_zh;
    e.mentions_en += c.mentions_en;
    e.documents += 1;
    e.sentences += c.sentences;
}

/// The concept indexes with totals, ascending.
pub(super) fn used_of(totals: &TotalsByGroup) -> Vec<u32> {
    totals
        .keys()
        .map(|k| k.0)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The record of concept `ci` in group `g`.
fn group_record(
    info: &ConceptInfo,
    ci: u32,
    g: &str,
    agg: &GroupAgg,
    t: &ConceptTotals,
    u: &Units,
    opts: &CompareOptions,
) -> ConceptGroupRecord {
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
    let (m, mz, me, nd) = (t.mentions, t.mentions_zh, t.mentions_en, t.documents);
    ConceptGroupRecord {
        concept: info.id.clone(),
        label_en: info.label_en.clone(),
        label_zh: info.label_zh.clone(),
        category: info.category.clone(),
        group: g.to_string(),
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
        sentences: t.sentences,
        sentiment: round_opt(sent.estimate, 4),
        sentiment_lo: round_opt(sent.lo, 4),
        sentiment_hi: round_opt(sent.hi, 4),
        units: u.n_units as u64,
        sentence_units: u.concept_sent.get(&ci).map_or(0, |v| v.len() as u64),
    }
}

/// The concept table: one record per used concept × group that mentions it, concepts
/// in index order (computed in parallel, collected in order).
pub(super) fn group_table(
    groups: &BTreeMap<String, GroupAgg>,
    used: &[u32],
    totals: &TotalsByGroup,
    units: &BTreeMap<&str, Units>,
    concept_info: &[ConceptInfo],
    opts: &CompareOptions,
) -> Vec<ConceptGroupRecord> {
    let rows: Vec<Vec<ConceptGroupRecord>> = used
        .par_iter()
        .map(|&ci| {
            let mut rows = Vec::new();
            let Some(info) = concept_info.get(ci as usize) else {
                return rows;
            };
            for (g, agg) in groups {
                let Some(t) = totals.get(&(ci, g.as_str())) else {
                    continue;
                };
                let Some(u) = units.get(g.as_str()) else {
                    continue;
                };
                rows.push(group_record(info, ci, g, agg, t, u, opts));
            }
            rows
        })
        .collect();
    rows.into_iter().flatten().collect()
}

/// One side of a compared pair: its name, aggregate and units.
pub(super) struct Side<'a> {
    /// Group label.
    pub name: &'a str,
    /// Aggregate.
    pub agg: &'a GroupAgg,
    /// Resampling units.
    pub units: &'a Units,
}

/// A compared concept and its unadjusted rate and tone p-values.
struct ConceptTest {
    record: ConceptCompareRecord,
    p: f64,
    tone_p: Option<f64>,
}

/// The tag of the permutation test of concept `info`'s tone: what seeds it.
fn tone_tag(info: &ConceptInfo) -> String {
    format!("csp:{}", info.id)
}

/// The tone tests of [`compare`] (the concepts of `used` both sides have sentences
/// mentioning), to draw beforehand.
pub(super) fn test_inputs(
    used: &[u32],
    ua: &Units,
    ub: &Units,
    concept_info: &[ConceptInfo],
) -> Vec<Input> {
    used.iter()
        .filter_map(|ci| {
            let info = concept_info.get(*ci as usize)?;
            let sa = ua.concept_sent.get(ci).filter(|s| !s.is_empty())?;
            let sb = ub.concept_sent.get(ci).filter(|s| !s.is_empty())?;
            Some(Input {
                tag: tone_tag(info),
                a: pairs(sa),
                b: pairs(sb),
            })
        })
        .collect()
}

/// The comparison of concept `ci` between `a` and `b` (None when neither mentions it),
/// `p_adj` still 0; its tone p-value from `pv`.
fn compare_one(
    ci: u32,
    a: &Side,
    b: &Side,
    totals: &TotalsByGroup,
    concept_info: &[ConceptInfo],
    pv: &PValues,
    opts: &CompareOptions,
) -> Option<ConceptTest> {
    let info = concept_info.get(ci as usize)?;
    let (ua, ub) = (a.units, b.units);
    let (na, nb) = (
        a.agg.totals.all_tokens() as f64,
        b.agg.totals.all_tokens() as f64,
    );
    let ma = totals.get(&(ci, a.name)).map_or(0, |v| v.mentions);
    let mb = totals.get(&(ci, b.name)).map_or(0, |v| v.mentions);
    if ma + mb == 0 {
        return None;
    }
    // Token-level G² (for reference) and the unit-level test that decides.
    let k = stats::keyness(ma as f64, mb as f64, na, nb, KeynessOptions::default());
    let (empty_m, empty_s) = (Vec::new(), Vec::new());
    let ment_a = ua.concept_ment.get(&ci).unwrap_or(&empty_m);
    let ment_b = ub.concept_ment.get(&ci).unwrap_or(&empty_m);
    let ct = stats::cluster_test(
        &ua.cluster_sums(ment_a),
        &ub.cluster_sums(ment_b),
        opts.alpha,
    );
    let (p, t, lrc) = ct.map_or((1.0, 0.0, 0.0), |c| (c.p, c.z, c.conservative));
    let ra = ua.rate(ment_a, Col::Ment(ci));
    let rb = ub.rate(ment_b, Col::Ment(ci));
    let rd = ra.diff(&rb, opts.level);
    let sa = ua.concept_sent.get(&ci).unwrap_or(&empty_s);
    let sb = ub.concept_sent.get(&ci).unwrap_or(&empty_s);
    let (sd, sp) = if !sa.is_empty() && !sb.is_empty() {
        (
            ua.ratio(sa, Col::CSentNum(ci), Col::CSentDen(ci)).diff(
                &ub.ratio(sb, Col::CSentNum(ci), Col::CSentDen(ci)),
                opts.level,
            ),
            pv.get(&tone_tag(info), || (pairs(sa), pairs(sb)), opts),
        )
    } else {
        (stats::Interval::NAN, f64::NAN)
    };
    Some(ConceptTest {
        record: ConceptCompareRecord {
            concept: info.id.clone(),
            label_en: info.label_en.clone(),
            label_zh: info.label_zh.clone(),
            mentions_a: ma,
            mentions_b: mb,
            per_10k_a: round(ma as f64 * 1e4 / na.max(1.0), 3),
            per_10k_b: round(mb as f64 * 1e4 / nb.max(1.0), 3),
            g2: round(k.g2, 4),
            g2_p: round_sig(k.p, 4),
            t: round(t, 4),
            p: round_sig(p, 4),
            p_adj: 0.0,
            log_ratio: round(k.log_ratio, 4),
            lrc: round(lrc, 4),
            rate_diff_lo: round(rd.lo, 3),
            rate_diff_hi: round(rd.hi, 3),
            sentiment_diff: round_opt(sd.estimate, 4),
            sentiment_diff_lo: round_opt(sd.lo, 4),
            sentiment_diff_hi: round_opt(sd.hi, 4),
            sentiment_p: round_opt(sp, 4),
            sentiment_p_adj: None,
            sentences_a: sa.iter().map(|x| x.weight as u64).sum(),
            sentences_b: sb.iter().map(|x| x.weight as u64).sum(),
            sentence_units_a: sa.len() as u64,
            sentence_units_b: sb.len() as u64,
            units_a: ua.n_units as u64,
            units_b: ub.n_units as u64,
            mention_units_a: ment_a.len() as u64,
            mention_units_b: ment_b.len() as u64,
        },
        p,
        tone_p: sp.is_finite().then_some(sp),
    })
}

/// Every used concept compared between `a` and `b`: rate keyness (Benjamini–Hochberg
/// adjusted over the concepts) and sentiment difference, most mentioned first.
pub(super) fn compare(
    used: &[u32],
    a: &Side,
    b: &Side,
    totals: &TotalsByGroup,
    concept_info: &[ConceptInfo],
    pv: &PValues,
    opts: &CompareOptions,
) -> Vec<ConceptCompareRecord> {
    let found: Vec<ConceptTest> = used
        .par_iter()
        .filter_map(|&ci| compare_one(ci, a, b, totals, concept_info, pv, opts))
        .collect();
    let pvals: Vec<f64> = found.iter().map(|t| t.p).collect();
    // Tones: adjusted over the concepts whose tone was tested (both sides have
    // sentences mentioning them).
    let tone: Vec<(usize, f64)> = found
        .iter()
        .enumerate()
        .filter_map(|(i, t)| Some((i, t.tone_p?)))
        .collect();
    let tone_adj = stats::benjamini_hochberg(&tone.iter().map(|x| x.1).collect::<Vec<_>>());
    let mut rows: Vec<ConceptCompareRecord> = found.into_iter().map(|t| t.record).collect();
    let adj = stats::benjamini_hochberg(&pvals);
    for (r, p) in rows.iter_mut().zip(adj) {
        r.p_adj = round_sig(p, 4);
    }
    for ((i, _), p) in tone.iter().zip(tone_adj) {
        rows[*i].sentiment_p_adj = Some(round_sig(p, 4));
    }
    rows.sort_by(|x, y| {
        (y.mentions_a + y.mentions_b)
            .cmp(&(x.mentions_a + x.mentions_b))
            .then_with(|| x.concept.cmp(&y.concept))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn row(concept: u32, group: &str, mentions: u64, sentences: u64) -> ConceptStats {
        ConceptStats {
            doc: 0,
            group: Arc::from(group),
            concept_index: concept,
            mentions,
            mentions_zh: mentions / 2,
            mentions_en: mentions - mentions / 2,
            sentences,
            sentiment_sum: 0.5,
        }
    }

    #[test]
    fn totals_sum_rows_per_concept_and_group() {
        let rows = [row(3, "a", 4, 2), row(3, "a", 1, 1), row(1, "b", 2, 0)];
        assert_eq!(used(&rows), vec![1, 3]);
        let t = totals(&rows);
        assert_eq!(
            t.get(&(3, "a")),
            Some(&ConceptTotals {
                mentions: 5,
                mentions_zh: 2,
                mentions_en: 3,
                documents: 2,
                sentences: 3,
            })
        );
        assert_eq!(t.get(&(1, "b")).map(|t| t.documents), Some(1));
        assert!(!t.contains_key(&(1, "a")));
    }
}
