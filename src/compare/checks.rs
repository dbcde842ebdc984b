//! Comparability warnings: small groups, low lexicon coverage, and a pair whose
//! language mixes differ.

use crate::aggregate::GroupAgg;
use crate::config::{LANGUAGE_MIX_GAP, MIN_RESAMPLING_UNITS};
use crate::lang::Lang;
use crate::report::{language_mix_distance, percent, CoverageRecord, ResamplingUnit};
use std::collections::BTreeMap;

/// A group with fewer documents than this is small.
const SMALL_GROUP_DOCS: u64 = 20;
/// A group with fewer tokens than this is small.
const SMALL_GROUP_TOKENS: u64 = 10_000;
/// Coverage is judged only for languages with at least this many tokens in a group.
const COVERAGE_MIN_TOKENS: u64 = 500;
/// Token coverage of a lexicon below which a warning is given.
const LOW_COVERAGE: f64 = 0.03;

/// Warnings about small groups, then about low lexicon coverage.
pub(super) fn group_warnings(
    groups: &BTreeMap<String, GroupAgg>,
    coverage: &[CoverageRecord],
) -> Vec<String> {
    let mut out = Vec::new();
    for (g, agg) in groups {
        let t = &agg.totals;
        if t.documents < SMALL_GROUP_DOCS || t.all_tokens() < SMALL_GROUP_TOKENS {
            out.push(format!(
                "group {g} is small ({} document{}, {} tokens): intervals are wide and keyness finds only large differences",
                t.documents,
                if t.documents == 1 { "" } else { "s" },
                t.all_tokens()
            ));
        }
    }
    for c in coverage {
        if c.tokens >= COVERAGE_MIN_TOKENS && c.token_coverage < LOW_COVERAGE {
            out.push(format!(
                "lexicon covers only {:.1}% of {} tokens in group {}: its sentiment rests on few words",
                c.token_coverage * 100.0,
                c.lang,
                c.group
            ));
        }
    }
    out
}

/// A warning when group `g` is resampled by documents although the run resamples
/// sources (`sources` > 0: it names too few of them), and one when it has too few
/// units for intervals at all (`units` of kind `unit`).
pub(super) fn unit_warning(
    g: &str,
    unit: ResamplingUnit,
    sources: u64,
    units: u64,
) -> Option<String> {
    let plural = |n: u64, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    if units < MIN_RESAMPLING_UNITS {
        return Some(format!(
            "group {g} has only {}: its intervals are shown as n/a and no difference involving it is called out",
            plural(units, unit.as_str())
        ));
    }
    (unit == ResamplingUnit::Document && sources > 0).then(|| {
        format!(
            "group {g} names only {} (fewer than {MIN_RESAMPLING_UNITS}): its intervals and tests resample its {} instead, \
             as if they were independent; its differences may be one source's voice rather than the group's",
            plural(sources, "source"),
            plural(units, "document")
        )
    })
}

/// `g`'s token shares per language.
fn shares(g: &GroupAgg) -> Vec<(Lang, f64)> {
    let all = g.totals.all_tokens().max(1) as f64;
    g.totals
        .tokens
        .iter()
        .map(|(&l, &n)| (l, n as f64 / all))
        .collect()
}

/// A warning when the language mixes of groups `a` and `b` differ by more than
/// [`LANGUAGE_MIX_GAP`]: the lexicons differ between languages, so views call out a
/// difference of the whole text's sentiment only where a per-language row carries it.
pub(super) fn language_mix_warning(
    a: &str,
    ga: &GroupAgg,
    b: &str,
    gb: &GroupAgg,
) -> Option<String> {
    let (sa, sb) = (shares(ga), shares(gb));
    let gap = language_mix_distance(&sa, &sb);
    (gap > LANGUAGE_MIX_GAP).then(|| {
        let mix = |s: &[(Lang, f64)]| {
            s.iter()
                // Chinese and English whenever present, other languages from 1%.
                .filter(|(l, x)| *x >= 0.01 || (*x > 0.0 && matches!(l, Lang::Zh | Lang::En)))
                .map(|(l, x)| format!("{l} {}", percent(*x)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "groups {a} and {b} write in different language mixes ({} vs {}): whole-text sentiment differences mix the groups' views with differences between the Chinese and English lexicons, so one is called out only where a per-language row carries it; compare per-language rows",
            mix(&sa),
            mix(&sb)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(docs: u64, zh: u64, en: u64) -> GroupAgg {
        let mut g = GroupAgg::default();
        g.totals.documents = docs;
        g.totals.tokens.insert(Lang::Zh, zh);
        g.totals.tokens.insert(Lang::En, en);
        g
    }

    #[test]
    fn small_groups_and_language_mix_are_flagged() {
        let groups = BTreeMap::from([
            ("big".to_string(), group(40, 20_000, 0)),
            ("small".to_string(), group(5, 0, 900)),
        ]);
        let w = group_warnings(&groups, &[]);
        assert_eq!(w.len(), 1);
        assert!(w[0].starts_with("group small is small (5 documents, 900 tokens)"));
        let mix = language_mix_warning("big", &groups["big"], "small", &groups["small"]);
        assert!(mix.is_some_and(|m| m.contains("(zh 100% vs en 100%)")));
        // A few Chinese tokens are not reported as none.
        let few = group(5, 3, 900);
        let mix = language_mix_warning("big", &groups["big"], "few", &few);
        assert!(mix.is_some_and(|m| m.contains("(zh 100% vs zh <1%, en >99%)")));
        assert!(language_mix_warning("big", &groups["big"], "big", &groups["big"]).is_none());
    }

    /// Groups three-quarters and under a third Chinese (a newsroom's domestic and
    /// overseas desks) are far enough apart for the lexicons to decide a whole-text
    /// difference; groups 90% and 80% Chinese are not.
    #[test]
    fn a_partly_shared_language_mix_is_flagged_past_the_gap() {
        let desk = |zh, en| group(20, zh, en);
        let w = language_mix_warning("domestic", &desk(750, 250), "overseas", &desk(290, 710));
        assert!(w.is_some_and(|m| m.contains("(zh 75%, en 25% vs zh 29%, en 71%)")));
        assert!(language_mix_warning("a", &desk(900, 100), "b", &desk(800, 200)).is_none());
    }

    #[test]
    fn one_source_and_few_units_are_flagged() {
        let one = unit_warning("domestic", ResamplingUnit::Document, 1, 60);
        assert!(
            one.is_some_and(|w| w.contains("names only 1 source (fewer than 5)")
                && w.contains("resample its 60 documents"))
        );
        let few = unit_warning("tiny", ResamplingUnit::Document, 0, 2);
        assert!(few.is_some_and(|w| w.contains("only 2 documents") && w.contains("n/a")));
        assert!(unit_warning("ok", ResamplingUnit::Source, 12, 12).is_none());
        assert!(unit_warning("ok", ResamplingUnit::Document, 0, 36).is_none());
    }
}
