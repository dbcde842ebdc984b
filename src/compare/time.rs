//! Time series: documents, tokens and sentiment per period and group, and mentions of
//! the most mentioned concepts per period and group (dated documents only).

use super::concepts::TotalsByGroup;
use super::{ConceptStats, DocStats};
use crate::concepts::ConceptInfo;
use crate::corpus::date;
use crate::report::{round, CompareOptions, ConceptTimeRecord, TimeRecord};
use std::collections::{BTreeMap, BTreeSet};

/// Sums of the dated documents of one group in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct PeriodTotals {
    documents: u64,
    tokens: u64,
    /// Sum of the scores of sentences with a lexicon match.
    hit_sum: f64,
    /// Sentences with a lexicon match.
    hit_sentences: f64,
    /// Sum of document scores.
    doc_score_sum: f64,
}

/// The time series and the concept time series.
pub(super) struct Series {
    /// Per period × group.
    pub time: Vec<TimeRecord>,
    /// Per period × group × followed concept.
    pub concept_time: Vec<ConceptTimeRecord>,
}

/// Both time series being summed, one document at a time.
pub(super) struct TimeAcc<'n> {
    period: date::Period,
    /// Concepts whose mentions are followed.
    followed: BTreeSet<u32>,
    periods: BTreeMap<(String, &'n str), PeriodTotals>,
    /// Mentions of followed concepts per period × group × concept.
    mentions: BTreeMap<(String, &'n str, u32), u64>,
}

impl<'n> TimeAcc<'n> {
    /// An empty series following the `opts.time_concepts` most mentioned of the `used`
    /// concepts.
    pub fn new(used: &[u32], totals: &TotalsByGroup, opts: &CompareOptions) -> Self {
        TimeAcc {
            period: opts.period,
            followed: followed(used, totals, opts.time_concepts),
            periods: BTreeMap::new(),
            mentions: BTreeMap::new(),
        }
    }

    /// Adds document `d` of group `g` with its concept rows (their groups named by
    /// `name`); undated documents are left out.
    pub fn add(
        &mut self,
        d: &DocStats,
        g: &'n str,
        rows: &[ConceptStats],
        name: &dyn Fn(&str) -> &'n str,
    ) {
        let Some(p) = d
            .date_iso
            .as_deref()
            .and_then(|x| date::period(x, self.period))
        else {
            return;
        };
        for c in rows {
            if self.followed.contains(&c.concept_index) {
                *self
                    .mentions
                    .entry((p.clone(), name(&c.group), c.concept_index))
                    .or_default() += c.mentions;
            }
        }
        let e = self.periods.entry((p, g)).or_default();
        e.documents += 1;
        e.tokens += d.tokens;
        e.hit_sum += d.hit_sum;
        e.hit_sentences += d.hit_sentences as f64;
        e.doc_score_sum += d.sentiment;
    }

    /// Both series.
    pub fn finish(self, concept_info: &[ConceptInfo]) -> Series {
        let time = self
            .periods
            .iter()
            .map(|((p, g), t)| TimeRecord {
                period: p.clone(),
                group: g.to_string(),
                documents: t.documents,
                tokens: t.tokens,
                sentence_mean: (t.hit_sentences > 0.0)
                    .then(|| round(t.hit_sum / t.hit_sentences, 4)),
                doc_mean: round(t.doc_score_sum / t.documents as f64, 4),
            })
            .collect();
        let concept_time = if self.periods.is_empty() {
            Vec::new()
        } else {
            concept_series(&self.mentions, &self.periods, &self.followed, concept_info)
        };
        Series { time, concept_time }
    }
}

/// The `n` most mentioned of the `used` concepts (ties by index).
fn followed(used: &[u32], totals: &TotalsByGroup, n: usize) -> BTreeSet<u32> {
    let mut by_mentions: Vec<(u64, u32)> = used
        .iter()
        .map(|&c| {
            (
                totals
                    .iter()
                    .filter(|((ci, _), _)| *ci == c)
                    .map(|(_, v)| v.mentions)
                    .sum(),
                c,
            )
        })
        .collect();
    by_mentions.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    by_mentions.iter().take(n).map(|x| x.1).collect()
}

/// Mentions of the `followed` concepts per period × group (every period and group with
/// dated documents, zero mentions included).
fn concept_series(
    ct: &BTreeMap<(String, &str, u32), u64>,
    periods: &BTreeMap<(String, &str), PeriodTotals>,
    followed: &BTreeSet<u32>,
    concept_info: &[ConceptInfo],
) -> Vec<ConceptTimeRecord> {
    let mut out = Vec::new();
    for ((p, g), t) in periods {
        for &ci in followed {
            let m = ct.get(&(p.clone(), g, ci)).copied().unwrap_or(0);
            if let Some(info) = concept_info.get(ci as usize) {
                out.push(ConceptTimeRecord {
                    period: p.clone(),
                    group: g.to_string(),
                    concept: info.id.clone(),
                    mentions: m,
                    per_10k: round(m as f64 * 1e4 / t.tokens.max(1) as f64, 3),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::concepts::ConceptTotals;
    use super::*;

    #[test]
    fn followed_concepts_are_the_most_mentioned_ties_by_index() {
        let mut totals: TotalsByGroup = BTreeMap::new();
        let t = |mentions| ConceptTotals {
            mentions,
            ..ConceptTotals::default()
        };
        totals.insert((0, "a"), t(3));
        totals.insert((1, "a"), t(2));
        totals.insert((1, "b"), t(2));
        totals.insert((2, "b"), t(4));
        totals.insert((5, "b"), t(1));
        let f = followed(&[0, 1, 2, 5], &totals, 2);
        assert_eq!(f, BTreeSet::from([1, 2]));
        let f = followed(&[0, 1, 2, 5], &totals, 3);
        assert_eq!(f, BTreeSet::from([0, 1, 2]));
    }
}
