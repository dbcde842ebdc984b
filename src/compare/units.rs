//! Resampling units: each group's documents summed per unit (a whole source when
//! documents name their source, else a document), with the bootstrap replicates of
//! every sum the group's statistics need, computed once per group.

use super::{ConceptStats, DocStats};
use crate::config::MIN_RESAMPLING_UNITS;
use crate::report::{CompareOptions, ResamplingUnit};
use crate::stats;
use compact_str::CompactString;
use std::collections::{BTreeMap, BTreeSet};

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
        stats::interval_of_replicates(self.value, &self.reps, level)
    }

    /// The difference `self − other` with its percentile interval at `level`.
    pub fn diff(&self, other: &Est, level: f64) -> stats::Interval {
        let reps: Vec<f64> = self
            .reps
            .iter()
            .zip(&other.reps)
            .map(|(a, b)| a - b)
            .collect();
        stats::interval_of_replicates(self.value - other.value, &reps, level)
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

/// What the first pass learns of the documents of one part (a group, or a group's
/// documents in one language) to choose its unit: the sources named, and the
/// documents naming none (documents sharing an id, met one after another, count once).
#[derive(Debug, Default)]
pub(super) struct PartScan {
    sources: BTreeSet<CompactString>,
    sourceless: usize,
    last_sourceless: Option<u64>,
}

impl PartScan {
    /// Adds document `d` of rank `rank` (its place in id order; equal ids, equal ranks).
    pub fn add(&mut self, rank: u64, d: &DocStats) {
        match &d.source {
            Some(s) => {
                if !self.sources.contains(s) {
                    self.sources.insert(s.clone());
                }
            }
            None => {
                if self.last_sourceless != Some(rank) {
                    self.sourceless += 1;
                    self.last_sourceless = Some(rank);
                }
            }
        }
    }

    /// The unit to resample the part by, and the number of units by source (0 when
    /// not resampling by source): sources when resampling by source, some document
    /// names one and they make at least [`MIN_RESAMPLING_UNITS`] units (a document
    /// naming none is a unit of its own), else documents. A part naming no source gets
    /// the same units either way and is said to resample documents.
    pub fn choose(&self, by_source: bool) -> (ResamplingUnit, usize) {
        if !by_source || self.sources.is_empty() {
            return (ResamplingUnit::Document, 0);
        }
        let n = self.sources.len() + self.sourceless;
        if n as u64 >= MIN_RESAMPLING_UNITS {
            (ResamplingUnit::Source, n)
        } else {
            (ResamplingUnit::Document, n)
        }
    }
}

/// Per (concept, unit): mentions, and sentence scores over sentences of the rows with
/// sentences.
#[derive(Debug, Clone, Copy, Default)]
struct ConceptSums {
    mentions: f64,
    sent: Sums,
    any: bool,
}

/// The sums of one unit, added document by document in id order.
#[derive(Debug, Clone, Default)]
struct UnitAcc {
    sentences: Sums,
    dscores: Sums,
    tokens: f64,
    unit_tokens: u64,
    /// By concept index.
    concepts: Vec<(u32, ConceptSums)>,
}

impl UnitAcc {
    fn add(&mut self, d: &DocStats, rows: &[ConceptStats]) {
        self.sentences.sum += d.hit_sum;
        self.sentences.weight += d.hit_sentences as f64;
        self.dscores.sum += d.sentiment;
        self.dscores.weight += 1.0;
        self.tokens += d.tokens as f64 / 10_000.0;
        self.unit_tokens += d.tokens;
        for c in rows {
            let at = match self
                .concepts
                .binary_search_by_key(&c.concept_index, |x| x.0)
            {
                Ok(i) => i,
                Err(i) => {
                    self.concepts
                        .insert(i, (c.concept_index, ConceptSums::default()));
                    i
                }
            };
            let e = &mut self.concepts[at].1;
            e.mentions += c.mentions as f64;
            if c.sentences > 0 {
                e.sent.sum += c.sentiment_sum;
                e.sent.weight += c.sentences as f64;
                e.any = true;
            }
        }
    }
}

/// The units of one part being summed: a unit per source (when resampling by source)
/// and one per document naming none, in the order of their keys `d:{id}` before
/// `s:{source}`, so the numbering is deterministic. Only documents that are units of
/// their own take memory per document.
#[derive(Debug)]
pub(super) struct UnitSet {
    unit: ResamplingUnit,
    sources_seen: usize,
    concepts: bool,
    /// Document units, by rank (documents come in id order).
    docs: Vec<(u64, UnitAcc)>,
    sources: BTreeMap<CompactString, UnitAcc>,
}

impl UnitSet {
    /// Units by `unit` (with `sources` recorded), summing concept rows when `concepts`.
    pub fn new(unit: ResamplingUnit, sources: usize, concepts: bool) -> Self {
        UnitSet {
            unit,
            sources_seen: sources,
            concepts,
            docs: Vec::new(),
            sources: BTreeMap::new(),
        }
    }

    /// Adds document `d` of rank `rank` with its concept rows (documents in id order).
    pub fn add(&mut self, rank: u64, d: &DocStats, rows: &[ConceptStats]) {
        let rows = if self.concepts { rows } else { &[] };
        let acc = match (&d.source, self.unit) {
            (Some(s), ResamplingUnit::Source) => {
                if !self.sources.contains_key(s) {
                    self.sources.insert(s.clone(), UnitAcc::default());
                }
                self.sources.get_mut(s)
            }
            _ => {
                if self.docs.last().map(|x| x.0) != Some(rank) {
                    self.docs.push((rank, UnitAcc::default()));
                }
                self.docs.last_mut().map(|x| &mut x.1)
            }
        };
        if let Some(acc) = acc {
            acc.add(d, rows);
        }
    }

    /// The units and all their replicates.
    pub fn finish(self, reps: usize, seed: u64) -> Units {
        let accs: Vec<UnitAcc> = self
            .docs
            .into_iter()
            .map(|x| x.1)
            .chain(self.sources.into_values())
            .collect();
        // Only a group's units (those that sum concept rows) give rates: a language
        // part's statistics are sentiment means, which never read the token column.
        let by_source = self.unit == ResamplingUnit::Source;
        let mut u = build(accs, by_source, self.concepts, reps, seed);
        (u.unit, u.sources) = (self.unit, self.sources_seen);
        u
    }
}

/// The seed of the bootstrap of the units of `key` (a group, or a group and language).
pub(super) fn unit_seed(opts: &CompareOptions, key: &str) -> u64 {
    seed_for(opts.seed, &format!("resample:{key}"))
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

/// Numerators and denominators of the ratios of one unit.
#[derive(Debug, Clone, Copy, Default)]
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

/// Units from their sums (in unit order), and all their bootstrap replicates: those of
/// the token column ([`Col::Tokens`], the denominator of [`Units::rate`]) only when
/// `rates` (each column's replicates are the same bits with or without another column).
fn build(accs: Vec<UnitAcc>, by_source: bool, rates: bool, reps: usize, seed: u64) -> Units {
    let n = accs.len();
    let mut sentences = Vec::with_capacity(n);
    let mut dscores = Vec::with_capacity(n);
    let mut tokens = Vec::with_capacity(n);
    let mut unit_tokens = Vec::with_capacity(n);
    // Per concept, the units mentioning it in unit order.
    let mut concept_sent: BTreeMap<u32, Vec<UnitSums>> = BTreeMap::new();
    let mut concept_ment: BTreeMap<u32, Vec<(usize, f64)>> = BTreeMap::new();
    for (u, a) in accs.into_iter().enumerate() {
        sentences.push(a.sentences);
        dscores.push(a.dscores);
        tokens.push(a.tokens);
        unit_tokens.push(a.unit_tokens);
        for (ci, c) in a.concepts {
            concept_ment.entry(ci).or_default().push((u, c.mentions));
            if c.any {
                concept_sent.entry(ci).or_default().push(c.sent.of_unit(u));
            }
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
    ];
    if rates {
        cols.push((Col::Tokens, tokens.iter().copied().enumerate().collect()));
    }
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
    build(Vec::new(), false, true, reps, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn doc(i: usize, source: Option<&str>) -> DocStats {
        DocStats {
            id: CompactString::from(format!("d{i:06}")),
            group: Arc::from("g"),
            source: source.map(CompactString::from),
            date_iso: None,
            lang: crate::lang::Lang::En,
            tokens: 100 + i as u64 % 7,
            sentences: 3,
            sentiment: (i as f64 * 0.37).sin(),
            label: 0,
            hit_sum: (i as f64 * 0.11).cos(),
            hit_sentences: 1 + i as u64 % 2,
            sentences_positive: 1,
            sentences_negative: 0,
        }
    }

    fn row(ci: u32, i: usize) -> ConceptStats {
        ConceptStats {
            doc: u32::MAX,
            group: Arc::from("g"),
            concept_index: ci,
            mentions: 1 + i as u64 % 3,
            mentions_zh: 0,
            mentions_en: 1,
            sentences: i as u64 % 2,
            sentiment_sum: (i as f64 * 0.7).sin(),
        }
    }

    /// Units by source hold one sum per source however many documents stream by; a
    /// document without a source is a unit of its own, numbered first.
    #[test]
    fn source_units_hold_a_sum_per_source_not_per_document() {
        const SOURCES: [&str; 7] = ["s0", "s1", "s2", "s3", "s4", "s5", "s6"];
        for n in [1_000usize, 20_000] {
            let mut scan = PartScan::default();
            let docs: Vec<DocStats> = (0..n)
                .map(|i| doc(i, (i % 100 != 0).then(|| SOURCES[i % 7])))
                .collect();
            for (i, d) in docs.iter().enumerate() {
                scan.add(i as u64, d);
            }
            let sourceless = n.div_ceil(100);
            assert_eq!(scan.choose(true), (ResamplingUnit::Source, 7 + sourceless));
            assert_eq!(scan.choose(false), (ResamplingUnit::Document, 0));
            let mut set = UnitSet::new(ResamplingUnit::Source, 7 + sourceless, true);
            for (i, d) in docs.iter().enumerate() {
                set.add(i as u64, d, &[row(3, i)]);
            }
            assert_eq!(set.sources.len(), 7);
            assert_eq!(
                set.docs.len(),
                sourceless,
                "only documents naming no source"
            );
            let u = set.finish(10, 1);
            assert_eq!(u.n_units, 7 + sourceless);
            // Source s0 is the first unit after the documents without a source; its sums
            // are added in document order.
            let s0: Vec<&DocStats> = docs
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 100 != 0 && i % 7 == 0)
                .map(|x| x.1)
                .collect();
            let want = s0.iter().fold(0.0, |a, d| a + d.sentiment);
            assert_eq!(u.docs[sourceless].sum.to_bits(), want.to_bits());
            assert_eq!(u.docs[sourceless].weight, s0.len() as f64);
            let ment = &u.concept_ment[&3];
            assert_eq!(ment.len(), u.n_units);
        }
    }

    /// A language part's units (no concept rows, no rates) have no token column, and
    /// every other column's replicates are the bits they have beside it; a group's units
    /// keep it, so its concept rates have intervals.
    #[test]
    fn the_token_column_is_drawn_only_where_rates_are_read() {
        let docs: Vec<DocStats> = (0..40).map(|i| doc(i, None)).collect();
        let set = |concepts: bool| {
            let mut set = UnitSet::new(ResamplingUnit::Document, 0, concepts);
            for (i, d) in docs.iter().enumerate() {
                set.add(i as u64, d, &[row(2, i)]);
            }
            set.finish(64, 9)
        };
        let (part, group) = (set(false), set(true));
        assert!(!part.sums.contains_key(&Col::Tokens));
        assert!(group.sums.contains_key(&Col::Tokens));
        for c in [Col::SentNum, Col::SentDen, Col::DocNum, Col::DocDen] {
            let bits = |u: &Units| u.reps(c).iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&part), bits(&group), "{c:?}");
            assert!(part.reps(c).iter().any(|&x| x != 0.0), "{c:?} drawn");
        }
        let m = &group.concept_ment[&2];
        let rate = group.rate(m, Col::Ment(2)).interval(0.95);
        assert!(rate.lo.is_finite() && rate.lo <= rate.hi, "{rate:?}");
    }

    /// Resampled by document, every document is a unit (documents sharing an id, met
    /// one after another, are one), numbered in id order.
    #[test]
    fn document_units_are_one_per_id_in_order() {
        let mut set = UnitSet::new(ResamplingUnit::Document, 0, false);
        let docs: Vec<DocStats> = (0..5).map(|i| doc(i, Some("s"))).collect();
        for (rank, i) in [(0u64, 0usize), (1, 1), (1, 2), (2, 3), (3, 4)] {
            set.add(rank, &docs[i], &[]);
        }
        let u = set.finish(10, 1);
        assert_eq!(u.n_units, 4);
        assert_eq!(u.docs[1].weight, 2.0);
        assert_eq!(
            u.docs[1].sum.to_bits(),
            (docs[1].sentiment + docs[2].sentiment).to_bits()
        );
        assert!(u.concept_ment.is_empty());
    }
}
