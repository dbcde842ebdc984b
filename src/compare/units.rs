//! Resampling units: each group's documents summed per unit (a whole source when
//! documents name their source, else a document), with the bootstrap replicates of
//! every sum the group's statistics need, computed once per group.

use super::{ConceptStats, DocStats};
use crate::config::MIN_RESAMPLING_UNITS;
use crate::report::{CompareOptions, ResamplingUnit};
use crate::stats;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A ratio's numerator and denominator summed over one unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct UnitSums {
    /// The unit.
    pub unit: usize,
    /// Sum of the numerator (scores).
    pub sum: f64,
    /// Sum of the denominator (sentences or documents).
    pub weight: f64,
}

/// Per-unit sums of one group, and the group's shared bootstrap resamples.
#[derive(Clone)]
pub(super) struct Units {
    /// What a unit is.
    pub unit: ResamplingUnit,
    /// Number of units.
    pub n_units: usize,
    /// Units the group's documents would have by source (sources, plus documents
    /// naming none); 0 when no document of the run names a source.
    pub sources: usize,
    /// Bootstrap replicates of every weighted sum the group's statistics need, computed
    /// in one pass over the units ([`stats::Resamples::sum_replicates_many`]).
    sums: BTreeMap<Col, Vec<f64>>,
    /// `reps` zeros: the replicates of a sum with no units.
    zeros: Vec<f64>,
    /// Sums of hit-sentence scores over hit sentences, units with hits only.
    pub sentences: Vec<UnitSums>,
    /// Sums of document scores over documents, every unit.
    pub docs: Vec<UnitSums>,
    /// Σ tokens/10k.
    tokens_total: f64,
    /// Word tokens of each unit (all languages), for the unit-level rate test.
    unit_tokens: Vec<u64>,
    /// `K`, `Σn`, `Σn²` of those units (the same for every concept).
    unit_totals: stats::UnitTotals,
    /// Per concept: sums of sentence scores over sentences, units with sentences only.
    pub concept_sent: BTreeMap<u32, Vec<UnitSums>>,
    /// Per concept: (unit, mentions), units with mentions only (a column in the form
    /// [`stats::Resamples`] takes).
    pub concept_ment: BTreeMap<u32, Vec<(usize, f64)>>,
}

/// A weighted sum over a group's units whose bootstrap replicates are needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Col {
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
pub(super) struct Est {
    /// The estimate.
    pub value: f64,
    reps: Vec<f64>,
}

impl Est {
    /// The percentile interval at `level`.
    pub fn interval(&self, level: f64) -> stats::Interval {
        stats::interval_from_replicates(self.value, self.reps.clone(), level)
    }

    /// The difference `self − other` with its percentile interval at `level`.
    pub fn diff(&self, other: &Est, level: f64) -> stats::Interval {
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

    /// Ratio of sums `Σ sum / Σ weight` over `v`, with replicates from the columns
    /// `num` and `den` (which must hold the same sums).
    pub fn ratio(&self, v: &[UnitSums], num: Col, den: Col) -> Est {
        let s: f64 = v.iter().map(|x| x.sum).sum();
        let w: f64 = v.iter().map(|x| x.weight).sum();
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

    /// The sums of the unit-level rate test ([`stats::cluster_test`]) of a count
    /// whose non-zero units are `m` = (unit, count), over all tokens of each unit.
    pub fn cluster_sums(&self, m: &[(usize, f64)]) -> stats::ClusterSums {
        let mut out = stats::ClusterSums {
            units: self.unit_totals,
            ..Default::default()
        };
        for &(u, c) in m {
            let n = self.unit_tokens.get(u).copied().unwrap_or(0);
            out.term.add_unit(c as u64, n);
        }
        out
    }

    /// Rate per 10k tokens of the sum over `m` = (unit, count), replicates from `num`.
    pub fn rate(&self, m: &[(usize, f64)], num: Col) -> Est {
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
pub(super) fn pairs(v: &[UnitSums]) -> Vec<(f64, f64)> {
    v.iter().map(|x| (x.sum, x.weight)).collect()
}

/// The seed of one statistic: FNV-1a of `tag` mixed into `base`, so each statistic gets
/// its own stream, independent of which other statistics were computed.
pub(super) fn seed_for(base: u64, tag: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in tag.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    base ^ h
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
pub(super) struct ByDoc<'a> {
    starts: Vec<u32>,
    rows: Vec<&'a ConceptStats>,
}

impl<'a> ByDoc<'a> {
    /// Indexes `concepts` by their document (rows naming no document of the
    /// `n_docs` are left out).
    pub fn new(n_docs: usize, concepts: &'a [ConceptStats]) -> Self {
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

/// The unit to resample `docs` by, and the number of units by source (0 when not
/// resampling by source): sources when resampling by source, some document names one
/// and they make at least [`MIN_RESAMPLING_UNITS`] units (a document naming none is
/// a unit of its own), else documents. A group naming no source gets the same units
/// either way and is said to resample documents.
pub(super) fn choose(docs: &[(usize, &DocStats)], by_source: bool) -> (ResamplingUnit, usize) {
    if !by_source || docs.iter().all(|d| d.1.source.is_none()) {
        return (ResamplingUnit::Document, 0);
    }
    let (_, n) = unit_numbers(docs, true);
    if n as u64 >= MIN_RESAMPLING_UNITS {
        (ResamplingUnit::Source, n)
    } else {
        (ResamplingUnit::Document, n)
    }
}

/// The seed of the bootstrap of the units of `key` (a group, or a group and language).
pub(super) fn unit_seed(opts: &CompareOptions, key: &str) -> u64 {
    seed_for(opts.seed, &format!("resample:{key}"))
}

/// The units of `docs` by `unit` (with `sources` recorded), and all their replicates.
pub(super) fn build_as(
    docs: &[(usize, &DocStats)],
    concepts: &ByDoc,
    unit: ResamplingUnit,
    sources: usize,
    reps: usize,
    seed: u64,
) -> Units {
    let mut u = build(docs, concepts, unit == ResamplingUnit::Source, reps, seed);
    (u.unit, u.sources) = (unit, sources);
    u
}

/// The [`Units`] of every group of `group_docs` (documents with their index in the
/// run's documents), each by the unit [`choose`] picks for it, built in parallel on
/// the current rayon pool and collected in group order, so the result does not
/// depend on the thread count.
pub(super) fn build_all<'g>(
    group_docs: &BTreeMap<&'g str, Vec<(usize, &DocStats)>>,
    concepts: &ByDoc,
    by_source: bool,
    opts: &CompareOptions,
) -> BTreeMap<&'g str, Units> {
    group_docs
        .par_iter()
        .map(|(g, ds)| {
            let (unit, sources) = choose(ds, by_source);
            let seed = unit_seed(opts, g);
            (*g, build_as(ds, concepts, unit, sources, opts.reps, seed))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// The unit of a comparison of `a` and `b`: sources when either side resamples
/// sources (each side resamples its own units), else documents.
pub(super) fn pair_unit(a: &Units, b: &Units) -> ResamplingUnit {
    if a.unit == ResamplingUnit::Source || b.unit == ResamplingUnit::Source {
        ResamplingUnit::Source
    } else {
        ResamplingUnit::Document
    }
}

/// A document × concept row with the unit of its document.
struct ConceptRow<'a> {
    concept: u32,
    unit: usize,
    stats: &'a ConceptStats,
}

/// Numerators and denominators of the ratios of one unit.
#[derive(Clone, Copy, Default)]
struct Sums {
    sum: f64,
    weight: f64,
}

impl Sums {
    fn of_unit(self, unit: usize) -> UnitSums {
        UnitSums {
            unit,
            sum: self.sum,
            weight: self.weight,
        }
    }
}

/// The units of one group's documents, and all their bootstrap replicates.
fn build(
    docs: &[(usize, &DocStats)],
    concepts: &ByDoc,
    by_source: bool,
    reps: usize,
    seed: u64,
) -> Units {
    let (unit_of, n) = unit_numbers(docs, by_source);
    let mut sentences = vec![Sums::default(); n];
    let mut dscores = vec![Sums::default(); n];
    let mut tokens = vec![0.0; n];
    let mut unit_tokens = vec![0u64; n];
    // Concept rows in document order.
    let mut rows: Vec<ConceptRow> = Vec::new();
    for (&(di, d), &u) in docs.iter().zip(&unit_of) {
        sentences[u].sum += d.hit_sum;
        sentences[u].weight += d.hit_sentences as f64;
        dscores[u].sum += d.sentiment;
        dscores[u].weight += 1.0;
        tokens[u] += d.tokens as f64 / 10_000.0;
        unit_tokens[u] += d.tokens;
        rows.extend(concepts.of(di).iter().map(|&c| ConceptRow {
            concept: c.concept_index,
            unit: u,
            stats: c,
        }));
    }
    // Per concept and unit, sums over its rows in document order (a stable sort).
    rows.sort_by_key(|r| (r.concept, r.unit));
    let mut concept_sent: BTreeMap<u32, Vec<UnitSums>> = BTreeMap::new();
    let mut concept_ment: BTreeMap<u32, Vec<(usize, f64)>> = BTreeMap::new();
    for same in rows.chunk_by(|x, y| (x.concept, x.unit) == (y.concept, y.unit)) {
        let (ci, u) = (same[0].concept, same[0].unit);
        let mut m = 0.0;
        let (mut s, mut any) = (Sums::default(), false);
        for r in same {
            let c = r.stats;
            m += c.mentions as f64;
            if c.sentences > 0 {
                s.sum += c.sentiment_sum;
                s.weight += c.sentences as f64;
                any = true;
            }
        }
        concept_ment.entry(ci).or_default().push((u, m));
        if any {
            concept_sent.entry(ci).or_default().push(s.of_unit(u));
        }
    }
    let sentences: Vec<UnitSums> = sentences
        .into_iter()
        .enumerate()
        .filter(|(_, s)| s.weight > 0.0)
        .map(|(i, s)| s.of_unit(i))
        .collect();
    let docs: Vec<UnitSums> = dscores
        .into_iter()
        .enumerate()
        .map(|(i, s)| s.of_unit(i))
        .collect();
    // Every column, then all replicates in one pass over the units.
    let num = |v: &[UnitSums]| v.iter().map(|x| (x.unit, x.sum)).collect::<Vec<_>>();
    let den = |v: &[UnitSums]| v.iter().map(|x| (x.unit, x.weight)).collect::<Vec<_>>();
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
        unit: if by_source {
            ResamplingUnit::Source
        } else {
            ResamplingUnit::Document
        },
        n_units: n,
        sources: 0,
        sums: names.into_iter().zip(replicates).collect(),
        zeros: vec![0.0; reps],
        tokens_total: tokens.iter().sum(),
        unit_totals: unit_tokens
            .iter()
            .fold(stats::UnitTotals::default(), |mut t, &n| {
                t.add_unit(n);
                t
            }),
        unit_tokens,
        sentences,
        docs,
        concept_sent,
        concept_ment,
    }
}

/// The units of a group without documents: no units, every sum 0.
pub(super) fn empty(reps: usize) -> Units {
    build(&[], &ByDoc::new(0, &[]), false, reps, 0)
}
