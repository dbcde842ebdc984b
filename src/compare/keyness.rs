//! Distinctive terms: keyness of every term tested in each language, group A vs B.

use crate::aggregate::{GroupAgg, TermStat};
use crate::lang::Lang;
use crate::report::{round, round_sig, CompareOptions, KeynessRecord};
use crate::stats::{self, KeynessOptions};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// The distinctive terms of a pair and the number of terms tested per language.
#[derive(Debug, Clone, Default)]
pub(super) struct Keyness {
    /// Distinctive terms, per language: A's then B's, each by rank.
    pub records: Vec<KeynessRecord>,
    /// Terms tested per language (after the document-frequency filter).
    pub tested: BTreeMap<Lang, u64>,
    /// Terms significant per language (all of them, not only the `top` listed).
    pub significant: BTreeMap<Lang, u64>,
}

/// A term with its statistics in A and in B.
#[derive(Clone, Copy)]
struct TestedTerm<'a> {
    term: &'a str,
    a: TermStat,
    b: TermStat,
}

/// The statistics of one tested term that decide significance and rank: the
/// document-level test ([`stats::cluster_test`]).
#[derive(Clone, Copy)]
struct TermTest {
    /// Index of the term in the tested terms.
    index: usize,
    /// Two-sided p of the document-level test (1 where it cannot be below alpha:
    /// [`stats::ClusterSieve`]).
    p: f64,
    /// Its t statistic (A over B).
    z: f64,
    /// Log Ratio (log₂ of the rate ratio, 0.5 added to both counts when one is 0).
    log_ratio: f64,
    /// Conservative Log Ratio from the document-level interval.
    lrc: f64,
}

/// A term significant after adjustment.
#[derive(Clone, Copy)]
struct Significant {
    test: TermTest,
    p_adj: f64,
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
) -> Vec<TestedTerm<'a>> {
    ga.terms
        .outer_join(&gb.terms, lang)
        .filter(|(_, sa, sb)| sa.doc_freq + sb.doc_freq >= min_df)
        .map(|(term, a, b)| TestedTerm { term, a, b })
        .collect()
}

/// The document-level test of every tested term, in the order of `terms` (terms the
/// test cannot judge, with fewer than two documents a side, get p = 1).
fn test_terms(
    terms: &[TestedTerm],
    units_a: stats::UnitTotals,
    units_b: stats::UnitTotals,
    alpha: f64,
) -> Vec<TermTest> {
    // Each term's test is independent: an indexed parallel map keeps the order. The
    // sieve leaves out the tests whose p cannot be below alpha (`candidate`: only
    // their t is computed; they come out as p = 1, with no t or ratio), which changes
    // no adjusted p below alpha, and only those are kept (with their t and ratios).
    let sieve = stats::ClusterSieve::new(alpha);
    terms
        .par_iter()
        .enumerate()
        .map(|(index, t)| {
            let a = stats::ClusterSums {
                units: units_a,
                term: t.a.unit_sums(),
            };
            let b = stats::ClusterSums {
                units: units_b,
                term: t.b.unit_sums(),
            };
            match sieve.candidate(&a, &b) {
                Some(c) => TermTest {
                    index,
                    p: c.p,
                    z: c.z,
                    log_ratio: c.log_ratio,
                    lrc: c.conservative,
                },
                None => TermTest {
                    index,
                    p: 1.0,
                    z: 0.0,
                    log_ratio: 0.0,
                    lrc: 0.0,
                },
            }
        })
        .collect()
}

/// The tests with Benjamini–Hochberg adjusted p < `alpha` and a non-zero Log Ratio,
/// ranked by |Log Ratio|, then |t|, then the term.
fn significant(rows: Vec<TermTest>, terms: &[TestedTerm], alpha: f64) -> Vec<Significant> {
    let adj = stats::benjamini_hochberg(&rows.iter().map(|r| r.p).collect::<Vec<_>>());
    let mut kept: Vec<Significant> = rows
        .into_iter()
        .zip(adj)
        .filter(|(t, p_adj)| *p_adj < alpha && t.log_ratio != 0.0)
        .map(|(test, p_adj)| Significant { test, p_adj })
        .collect();
    kept.sort_by(|x, y| {
        let (x, y) = (&x.test, &y.test);
        y.log_ratio
            .abs()
            .total_cmp(&x.log_ratio.abs())
            .then(y.z.abs().total_cmp(&x.z.abs()))
            .then_with(|| terms[x.index].term.cmp(terms[y.index].term))
    });
    kept
}

/// The report record of a distinctive term (with the token-level G² and the log-odds,
/// computed only for the terms reported).
fn record(
    lang: Lang,
    t: &TestedTerm,
    favours: &str,
    rank: usize,
    s: &Significant,
    na: f64,
    nb: f64,
) -> KeynessRecord {
    let (sa, sb) = (&t.a, &t.b);
    let k = stats::keyness(
        sa.count as f64,
        sb.count as f64,
        na,
        nb,
        KeynessOptions::default(),
    );
    KeynessRecord {
        lang,
        term: t.term.to_string(),
        favours: favours.to_string(),
        rank: rank as u32 + 1,
        count_a: sa.count,
        count_b: sb.count,
        per_10k_a: round(sa.count as f64 * 1e4 / na, 3),
        per_10k_b: round(sb.count as f64 * 1e4 / nb, 3),
        doc_freq_a: sa.doc_freq,
        doc_freq_b: sb.doc_freq,
        g2: round(k.g2, 4),
        g2_p: round_sig(k.p, 4),
        t: round(s.test.z, 4),
        p: round_sig(s.test.p, 4),
        p_adj: round_sig(s.p_adj, 4),
        log_ratio: round(k.log_ratio, 4),
        lrc: round(s.test.lrc, 4),
        log_odds_z: round(k.log_odds_z, 4),
    }
}

/// The distinctive terms of A and B, and the number of terms tested per language.
pub(super) fn keyness(
    ga: &GroupAgg,
    gb: &GroupAgg,
    a: &str,
    b: &str,
    opts: &CompareOptions,
) -> Keyness {
    let mut out = Keyness::default();
    let langs: BTreeSet<Lang> = ga.terms.langs().chain(gb.terms.langs()).collect();
    for lang in langs {
        let terms = tested_terms(ga, gb, lang, opts.min_doc_freq);
        out.tested.insert(lang, terms.len() as u64);
        let na = ga.totals.tokens.get(&lang).copied().unwrap_or(0) as f64;
        let nb = gb.totals.tokens.get(&lang).copied().unwrap_or(0) as f64;
        if na == 0.0 || nb == 0.0 {
            continue;
        }
        let (ua, ub) = (ga.totals.unit_totals(lang), gb.totals.unit_totals(lang));
        let kept = significant(test_terms(&terms, ua, ub, opts.alpha), &terms, opts.alpha);
        out.significant.insert(lang, kept.len() as u64);
        for side_a in [true, false] {
            let side = if side_a { a } else { b };
            let mine = kept.iter().filter(|r| (r.test.log_ratio >= 0.0) == side_a);
            for (rank, s) in mine.take(opts.top).enumerate() {
                let t = &terms[s.test.index];
                out.records.push(record(lang, t, side, rank, s, na, nb));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::GroupAgg;

    /// A group of 10 English documents of `tokens / 10` tokens each; terms are
    /// (term, count, docs): the count spread over the first `docs` documents.
    fn group(tokens: u64, terms: &[(&str, u32, u32)]) -> GroupAgg {
        let mut g = GroupAgg::default();
        let n = tokens / 10;
        for _ in 0..10 {
            g.totals.add_lang_tokens(Lang::En, n, 0);
        }
        g.totals.documents = 10;
        for &(term, count, docs) in terms {
            for i in 0..docs {
                let c = count / docs + u32::from(i < count % docs);
                g.terms.add_term_in(Lang::En, term, c, n, u32::MAX);
            }
        }
        g
    }

    #[test]
    fn keyness_finds_the_distinctive_term_and_respects_min_df() {
        let ga = group(
            10_000,
            &[("exodus", 80, 8), ("mining", 100, 10), ("burst", 30, 1)],
        );
        let gb = group(
            10_000,
            &[("exodus", 5, 3), ("mining", 100, 10), ("burst", 0, 0)],
        );
        let opts = CompareOptions::default();
        let k = keyness(&ga, &gb, "a", "b", &opts);
        assert_eq!(k.tested, BTreeMap::from([(Lang::En, 2)]));
        let terms: Vec<&str> = k.records.iter().map(|r| r.term.as_str()).collect();
        assert_eq!(
            terms,
            vec!["exodus"],
            "mining is not distinctive; burst is one document"
        );
        let r = &k.records[0];
        assert_eq!(r.favours, "a");
        // Log Ratio = log2((80/10000)/(5/10000)) = log2(16) = 4.
        assert!((r.log_ratio - 4.0).abs() < 1e-3);
        assert!(r.lrc > 0.0 && r.lrc < r.log_ratio);
    }

    #[test]
    fn a_stricter_alpha_keeps_fewer_terms() {
        let ga = group(10_000, &[("exodus", 80, 8), ("texas", 14, 5)]);
        let gb = group(10_000, &[("exodus", 5, 3), ("texas", 5, 3)]);
        let loose = CompareOptions {
            alpha: 0.5,
            ..CompareOptions::default()
        };
        let strict = CompareOptions {
            alpha: 1e-6,
            ..CompareOptions::default()
        };
        let n_loose = keyness(&ga, &gb, "a", "b", &loose).records.len();
        let n_strict = keyness(&ga, &gb, "a", "b", &strict).records.len();
        assert!(n_strict < n_loose, "{n_strict} vs {n_loose}");
    }
}
