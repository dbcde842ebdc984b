//! The two passes over the documents that everything per group is summed from,
//! streamed in id order from a [`DocStream`], so the comparison holds sums per group,
//! per unit and per period, not the documents.
//!
//! The first pass counts each part's sources (a part: a group, or a group's documents
//! in one main language) and sums the concept rows per concept and group; that
//! decides each part's resampling unit ([`PartScan::choose`]) and the concepts the
//! time series follows. The second pass sums each part's units ([`UnitSet`]), the
//! groups' sentiment counts ([`GroupDocs`]) and the time series ([`TimeAcc`]), and
//! collects each group's scores for its exact median (`median`) where they are few
//! enough to hold (the first pass counts them); a larger group's median takes a few
//! more passes. Only a part resampled by document holds an entry per document (its
//! units).

use super::concepts::{self, TotalsByGroup};
use super::sentiment::{GroupDocs, LangPart, LangParts};
use super::time::{Series, TimeAcc};
use super::units::{self, PartScan, UnitSet, Units};
use crate::concepts::ConceptInfo;
use crate::docstats::{DocStats, DocStream};
use crate::lang::Lang;
use crate::report::CompareOptions;
use compact_str::CompactString;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What the comparison reads of the documents, summed.
pub(super) struct Gathered<'n> {
    /// Sentiment counts per group.
    pub group_docs: BTreeMap<&'n str, GroupDocs>,
    /// Units per group (concept rows included).
    pub units: BTreeMap<&'n str, Units>,
    /// Documents and units per group × main language.
    pub lang_parts: LangParts<'n>,
    /// Concept rows summed per concept and group.
    pub totals: TotalsByGroup<'n>,
    /// Concepts with rows, ascending.
    pub used: Vec<u32>,
    /// Both time series.
    pub series: Series,
}

/// Numbers documents in id order, documents sharing an id alike.
#[derive(Default)]
struct Ranks {
    prev: Option<CompactString>,
    rank: u64,
}

impl Ranks {
    fn of(&mut self, d: &DocStats) -> u64 {
        if self.prev.as_ref() != Some(&d.id) {
            if self.prev.is_some() {
                self.rank += 1;
            }
            self.prev = Some(d.id.clone());
        }
        self.rank
    }
}

/// A part whose units are summed: a group (`None`) or a group in one language.
type PartKey<'n> = (&'n str, Option<Lang>);

/// Both passes over `docs`; `names` are its groups (as [`DocStream::groups`] gives).
pub(super) fn gather<'n>(
    docs: &dyn DocStream,
    names: &'n [Arc<str>],
    concept_info: &[ConceptInfo],
    opts: &CompareOptions,
) -> std::io::Result<Gathered<'n>> {
    let name = |g: &str| -> &'n str { names.iter().find(|n| ***n == *g).map_or("", |n| &**n) };
    let by_source = docs.by_source();
    // First pass: each part's sources, the concept totals.
    let mut scans: BTreeMap<PartKey<'n>, PartScan> = BTreeMap::new();
    let mut totals: TotalsByGroup<'n> = BTreeMap::new();
    // Documents per group: the medians' selections know how many scores come.
    let mut counts: BTreeMap<&'n str, u64> = BTreeMap::new();
    let mut ranks = Ranks::default();
    docs.each(&mut |d, rows| {
        for c in rows {
            concepts::add_total(&mut totals, c, name(&c.group));
        }
        let Some(d) = d else {
            return;
        };
        let (rank, g) = (ranks.of(d), name(&d.group));
        *counts.entry(g).or_default() += 1;
        scans.entry((g, None)).or_default().add(rank, d);
        scans.entry((g, Some(d.lang))).or_default().add(rank, d);
    })?;
    let used = concepts::used_of(&totals);
    let mut sets: BTreeMap<PartKey<'n>, UnitSet> = scans
        .iter()
        .map(|(k, s)| {
            let (unit, sources) = s.choose(by_source);
            (*k, UnitSet::new(unit, sources, k.1.is_none()))
        })
        .collect();
    drop(scans);
    // Second pass: the units, the groups' counts, the time series.
    let mut group_docs: BTreeMap<&'n str, GroupDocs> = BTreeMap::new();
    let mut lang_counts: BTreeMap<(&'n str, Lang), (u64, u64)> = BTreeMap::new();
    let mut time = TimeAcc::new(&used, &totals, opts);
    let mut ranks = Ranks::default();
    docs.each(&mut |d, rows| {
        let Some(d) = d else {
            return;
        };
        let (rank, g) = (ranks.of(d), name(&d.group));
        group_docs
            .entry(g)
            .or_insert_with(|| GroupDocs::expecting(counts.get(g).copied().unwrap_or(0)))
            .add(d);
        let n = lang_counts.entry((g, d.lang)).or_default();
        n.0 += 1;
        n.1 += d.hit_sentences;
        for key in [(g, None), (g, Some(d.lang))] {
            if let Some(s) = sets.get_mut(&key) {
                s.add(rank, d, rows);
            }
        }
        time.add(d, g, rows, &name);
    })?;
    // More passes for the groups' medians, until each is known.
    let mut open: Vec<&'n str> = group_docs
        .iter_mut()
        .filter_map(|(g, s)| s.median.end_pass().then_some(*g))
        .collect();
    while !open.is_empty() {
        docs.each(&mut |d, _| {
            if let Some(d) = d {
                let g = name(&d.group);
                if let Some(s) = group_docs.get_mut(g).filter(|_| open.contains(&g)) {
                    s.median.offer(d.sentiment);
                }
            }
        })?;
        open.retain(|g| group_docs.get_mut(g).is_some_and(|s| s.median.end_pass()));
    }
    // The replicates of every part, in parallel, collected in order.
    let jobs: Vec<(PartKey<'n>, UnitSet)> = std::mem::take(&mut sets).into_iter().collect();
    let built: Vec<(PartKey<'n>, Units)> = jobs
        .into_par_iter()
        .map(|((g, l), s)| {
            let seed = match l {
                None => units::unit_seed(opts, g),
                Some(l) => units::unit_seed(opts, &format!("{g}:{l}")),
            };
            ((g, l), s.finish(opts.reps, seed))
        })
        .collect();
    let mut group_units = BTreeMap::new();
    let mut lang_parts: LangParts<'n> = BTreeMap::new();
    for ((g, l), u) in built {
        match l {
            None => {
                group_units.insert(g, u);
            }
            Some(l) => {
                let (documents, hit_sentences) =
                    lang_counts.get(&(g, l)).copied().unwrap_or_default();
                lang_parts.insert(
                    (g, l),
                    LangPart {
                        documents,
                        hit_sentences,
                        units: u,
                    },
                );
            }
        }
    }
    Ok(Gathered {
        group_docs,
        units: group_units,
        lang_parts,
        totals,
        used,
        series: time.finish(concept_info),
    })
}
