//! The screen's decisions taken with bounded memory ([`ScreenBuilder`]): the scanned
//! documents, the sketch values and the candidate pairs go through external sorts
//! (`crate::extsort`) and temporary files, so what stays in memory is a bit per
//! document with a full sketch, the units and groups, and the decisions themselves.
//!
//! **Order.** The documents are sorted by rank (earliest date first, undated last,
//! then smallest id, ties broken by the other fields), and read back once in that
//! order: each document with a full sketch gets the next *slot*, its sketch is written
//! to a file of fixed-size records, and its first `P` sketch values go to a sort of
//! (group, value, slot).
//!
//! **Candidates.** Two sketches of similarity `t` share at least `⌈64·t⌉` of the 64
//! smallest values of their union, so at most `u = 64 − ⌈64·t⌉` of those are held by
//! one only; then at least `P − u` of the union's `P` smallest are held by both, and
//! each of them is among the first `P` values of both sketches. So every pair at or
//! above the threshold shares at least `need = P − u` values of their first `P`
//! (`P = u` + [`config::SKETCH_PREFIX_EXTRA`]), and (with `P = 64`) at least `64 − u`
//! of their whole sketches. The holders of each (group, value) are counted over whole
//! sketches in a table of counters; each document is then indexed under only its
//! `u + 1` rarest values of all 64 (the rarest value a pair shares is among them for
//! both), with its first `P` values. A passage many documents repeat is so indexed
//! only by documents holding nothing rarer, so the postings stay short on a corpus
//! that repeats itself (wire copy reprinted everywhere). Within a run of equal keys,
//! pairs sharing at least `need` first
//! values go to a sort by (later, earlier), and only they have their full sketches
//! compared. As in a search with postings, a value indexed for
//! more than [`config::SKETCH_MAX_POSTINGS`] earlier documents proposes no pair.
//!
//! **Decisions.** Slots are taken in order; a slot is a duplicate of the first
//! earlier *kept* slot of its group whose sketch shares at least half its values and
//! is at least the threshold similar, else it is kept (one bit). Boilerplate is then
//! counted from the (passage, unit) pairs of the kept documents, sorted externally.

use super::pairs::{candidates, greedy, rarest, SketchFile};
use super::scan::ScanDoc;
use super::screen::{Duplicate, PassageStat, Screen, ScreenOptions, ScreenSummary};
use super::sketch;
use crate::config::{self, SKETCH_SIZE};
use crate::extsort::{fill, ExtSort, Sorted, Spill};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// Collects the scanned documents of a corpus (in any order) and decides what to set
/// aside, holding at most a fixed budget of them in memory.
///
/// ```
/// use duibi::corpus::Document;
/// use duibi::dedupe::{ScanDoc, ScreenBuilder, ScreenOptions};
/// let mut b = ScreenBuilder::new();
/// for i in 0..5 {
///     let d = Document::in_memory(format!("d{i}"), "g", format!("Post {i}.\nThanks for reading."));
///     b.add(ScanDoc::of(&d)).unwrap();
/// }
/// let screen = b.finish(&ScreenOptions::default()).unwrap();
/// assert_eq!(screen.summary().passages.len(), 1);
/// ```
#[derive(Debug)]
pub struct ScreenBuilder {
    docs: ExtSort<Ranked>,
    budget: usize,
}

impl Default for ScreenBuilder {
    fn default() -> Self {
        ScreenBuilder::with_budget(config::SCREEN_SORT_BYTES)
    }
}

impl ScreenBuilder {
    /// An empty builder with the default memory budget
    /// ([`config::SCREEN_SORT_BYTES`] per sort).
    pub fn new() -> Self {
        ScreenBuilder::default()
    }

    /// An empty builder holding about `bytes` of each sort in memory.
    pub fn with_budget(bytes: usize) -> Self {
        ScreenBuilder {
            docs: ExtSort::new(bytes),
            budget: bytes,
        }
    }

    /// Adds a scanned document (a temporary file is written when the budget is full).
    pub fn add(&mut self, d: ScanDoc) -> io::Result<()> {
        self.docs.push(Ranked(d))
    }

    /// The decisions (see the module documentation). The near-duplicate search and the
    /// counting of the passages' units run side by side ([`rayon::join`]: on the rayon
    /// pool this is called on, else on rayon's global pool).
    pub fn finish(self, o: &ScreenOptions) -> io::Result<Screen> {
        let budget = self.budget;
        // The fewest shared values of the union's first 64 at the threshold.
        let min_both = (0..=SKETCH_SIZE).find(|&b| b as f64 / SKETCH_SIZE as f64 >= o.similarity);
        let dups_on = o.duplicates && min_both.is_some();
        let unshared = SKETCH_SIZE - min_both.unwrap_or(SKETCH_SIZE);
        let prefix = (unshared + config::SKETCH_PREFIX_EXTRA).min(SKETCH_SIZE);
        let need = prefix.saturating_sub(unshared).max(1);
        // Values a pair at the threshold shares of its 64: the index needs one more.
        let keep = SKETCH_SIZE + 1 - (SKETCH_SIZE - unshared).max(1);

        // Pass 1, in rank order: sketches to their slots, prefixes to a sort, the rest
        // of each document to a file.
        let mut sketches = BufWriter::new(tempfile::tempfile()?);
        let mut rest = BufWriter::new(tempfile::tempfile()?);
        let mut groups: FxHashMap<String, u32> = FxHashMap::default();
        let mut slots: u32 = 0;
        for r in self.docs.finish()? {
            let Ranked(d) = r?;
            let full = dups_on && sketch::is_full(&d.sketch) && slots < u32::MAX;
            if full {
                for v in &d.sketch[..SKETCH_SIZE] {
                    sketches.write_all(&v.to_le_bytes())?;
                }
                let n = groups.len() as u32;
                let g = *groups.entry(d.group.clone()).or_insert(n);
                sketches.write_all(&g.to_le_bytes())?;
                slots += 1;
            }
            put_rest(&mut rest, full, &d)?;
        }
        let mut rest = rest.into_inner().map_err(|e| e.into_error())?;
        rest.seek(SeekFrom::Start(0))?;
        let file = sketches.into_inner().map_err(|e| e.into_error())?;
        // The duplicates and the passages' units are found side by side (on the pool
        // it runs on): the units of every document, duplicates to be, are counted,
        // and the duplicates' part taken out once they are known.
        let (dups, units) = rayon::join(
            || -> io::Result<Vec<(u32, u32, f64)>> {
                if !dups_on {
                    return Ok(Vec::new());
                }
                let mut file = SketchFile { file };
                let rare = rarest(&mut file, slots, budget, prefix, keep)?;
                let cands = candidates(rare, budget, need)?;
                greedy(cands, file, slots, o.similarity)
            },
            || -> io::Result<Option<Units>> {
                if !o.passages {
                    return Ok(None);
                }
                Units::count(BufReader::new(&rest), budget / 2).map(Some)
            },
        );
        let (dups, units) = (dups?, units?);
        rest.seek(SeekFrom::Start(0))?;
        let duplicates = duplicates(BufReader::new(&rest), &dups)?;
        let passages = match units {
            Some(u) => u.boilerplate(&dups, o)?,
            None => Vec::new(),
        };
        Ok(Screen::from_summary(ScreenSummary {
            passages,
            duplicates,
        }))
    }
}

/// A scanned document ordered by rank: earliest date first, undated last, then
/// smallest id, then the other fields (a total order, so the input order never
/// matters).
#[derive(Debug, PartialEq, Eq)]
struct Ranked(ScanDoc);

impl Ord for Ranked {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        let (a, b) = (&self.0, &o.0);
        (a.date.is_none(), &a.date, &a.id, &a.group, &a.source)
            .cmp(&(b.date.is_none(), &b.date, &b.id, &b.group, &b.source))
            .then_with(|| (&a.passages, &a.sketch).cmp(&(&b.passages, &b.sketch)))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

fn put_str(w: &mut impl Write, s: &str) -> io::Result<()> {
    w.write_all(&(s.len() as u64).to_le_bytes())?;
    w.write_all(s.as_bytes())
}

fn put_opt(w: &mut impl Write, s: &Option<String>) -> io::Result<()> {
    match s {
        Some(s) => {
            w.write_all(&[1])?;
            put_str(w, s)
        }
        None => w.write_all(&[0]),
    }
}

fn get_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn get_len(r: &mut impl Read) -> io::Result<usize> {
    usize::try_from(get_u64(r)?).map_err(|_| io::Error::from(io::ErrorKind::InvalidData))
}

fn get_str(r: &mut impl Read, len: usize) -> io::Result<String> {
    let mut b = vec![0u8; len];
    r.read_exact(&mut b)?;
    String::from_utf8(b).map_err(|_| io::Error::from(io::ErrorKind::InvalidData))
}

fn get_opt(r: &mut impl Read) -> io::Result<Option<String>> {
    let mut f = [0u8; 1];
    r.read_exact(&mut f)?;
    if f[0] == 0 {
        return Ok(None);
    }
    let n = get_len(r)?;
    get_str(r, n).map(Some)
}

fn put_keys(w: &mut impl Write, p: &[u64]) -> io::Result<()> {
    w.write_all(&(p.len() as u64).to_le_bytes())?;
    p.iter().try_for_each(|k| w.write_all(&k.to_le_bytes()))
}

fn get_keys(r: &mut impl Read) -> io::Result<Vec<u64>> {
    let n = get_len(r)?;
    (0..n).map(|_| get_u64(r)).collect()
}

/// The id's length, `None` at the end of the input.
fn first_len(r: &mut impl Read) -> io::Result<Option<usize>> {
    let mut b = [0u8; 8];
    if !fill(r, &mut b)? {
        return Ok(None);
    }
    usize::try_from(u64::from_le_bytes(b))
        .map(Some)
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidData))
}

/// `n` little-endian `u32`s, read a sketch's worth at a time.
fn get_u32s(r: &mut impl Read, n: usize) -> io::Result<Vec<u32>> {
    let mut out = Vec::with_capacity(n.min(SKETCH_SIZE));
    let mut b = [0u8; 4 * SKETCH_SIZE];
    let mut left = n;
    while left > 0 {
        let k = left.min(SKETCH_SIZE);
        r.read_exact(&mut b[..4 * k])?;
        out.extend(
            b[..4 * k]
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        left -= k;
    }
    Ok(out)
}

impl Spill for Ranked {
    fn put(&self, w: &mut impl Write) -> io::Result<()> {
        let d = &self.0;
        put_str(w, &d.id)?;
        put_str(w, &d.group)?;
        put_opt(w, &d.source)?;
        put_opt(w, &d.date)?;
        put_keys(w, &d.passages)?;
        w.write_all(&(d.sketch.len() as u64).to_le_bytes())?;
        d.sketch
            .iter()
            .try_for_each(|v| w.write_all(&v.to_le_bytes()))
    }

    fn get(r: &mut impl Read) -> io::Result<Option<Self>> {
        let Some(n) = first_len(r)? else {
            return Ok(None);
        };
        let id = get_str(r, n)?;
        let n = get_len(r)?;
        let group = get_str(r, n)?;
        let source = get_opt(r)?;
        let date = get_opt(r)?;
        let passages = get_keys(r)?;
        let n = get_len(r)?;
        let sketch = get_u32s(r, n)?;
        Ok(Some(Ranked(ScanDoc {
            id,
            group,
            source,
            date,
            passages,
            sketch,
        })))
    }

    fn bytes(&self) -> usize {
        let d = &self.0;
        std::mem::size_of::<Self>()
            + d.id.len()
            + d.group.len()
            + d.source.as_ref().map_or(0, String::len)
            + d.date.as_ref().map_or(0, String::len)
            + 8 * d.passages.capacity()
            + 4 * d.sketch.capacity()
    }
}

/// A document's record in rank order without its sketch.
fn put_rest(w: &mut impl Write, full: bool, d: &ScanDoc) -> io::Result<()> {
    put_str(w, &d.id)?;
    w.write_all(&[u8::from(full)])?;
    put_str(w, &d.group)?;
    put_opt(w, &d.source)?;
    put_keys(w, &d.passages)
}

/// (id, full sketch, group, source, passages), `None` at the end.
type Rest = (String, bool, String, Option<String>, Vec<u64>);

fn get_rest(r: &mut impl Read) -> io::Result<Option<Rest>> {
    let Some(n) = first_len(r)? else {
        return Ok(None);
    };
    let id = get_str(r, n)?;
    let mut f = [0u8; 1];
    r.read_exact(&mut f)?;
    let n = get_len(r)?;
    let group = get_str(r, n)?;
    let source = get_opt(r)?;
    let passages = get_keys(r)?;
    Ok(Some((id, f[0] == 1, group, source, passages)))
}

/// The duplicates `(duplicate slot, kept slot, similarity)` named: the ids and groups
/// read again from the documents in rank order, sorted by id.
fn duplicates(mut rest: impl Read, dups: &[(u32, u32, f64)]) -> io::Result<Vec<Duplicate>> {
    if dups.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: FxHashMap<u32, (String, String)> = dups
        .iter()
        .flat_map(|d| [d.0, d.1])
        .map(|s| (s, Default::default()))
        .collect();
    let mut slot = 0u32;
    while let Some((id, full, group, _, _)) = get_rest(&mut rest)? {
        if full {
            if let Some(e) = ids.get_mut(&slot) {
                *e = (id, group);
            }
            slot += 1;
        }
    }
    let mut duplicates: Vec<Duplicate> = dups
        .iter()
        .map(|&(d, k, similarity)| {
            let (id, group) = ids.get(&d).cloned().unwrap_or_default();
            let duplicate_of = ids.get(&k).map(|e| e.0.clone()).unwrap_or_default();
            Duplicate {
                id,
                group,
                duplicate_of,
                similarity,
            }
        })
        .collect();
    duplicates.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(duplicates)
}

/// The passages' units (group, source) of every document, counted before the
/// duplicates are known: the boilerplate is counted over the kept documents only
/// ([`Units::boilerplate`]).
struct Units {
    /// Documents per unit, duplicates included.
    unit_docs: Vec<u64>,
    /// Each unit's group.
    unit_group: Vec<String>,
    /// (passage, unit, slot + 1 or 0 without a full sketch), sorted: a duplicate's
    /// entries are known by their slot.
    pairs: Sorted<u128>,
    /// The unit of each slot, in slot order (`u32`s), to take the duplicates out of
    /// `unit_docs`.
    slot_units: BufWriter<std::fs::File>,
}

impl Units {
    /// Reads the documents in rank order (pairs sorted with about `budget` bytes in
    /// memory).
    fn count(mut rest: impl Read, budget: usize) -> io::Result<Self> {
        let mut units: FxHashMap<(String, Option<String>), u32> = FxHashMap::default();
        let mut unit_docs: Vec<u64> = Vec::new();
        let mut unit_group: Vec<String> = Vec::new();
        let mut pairs = ExtSort::<u128>::new(budget);
        let mut slot_units = BufWriter::new(tempfile::tempfile()?);
        let mut slot = 0u32;
        while let Some((_, full, group, source, passages)) = get_rest(&mut rest)? {
            let n = units.len() as u32;
            let u = match units.get(&(group.clone(), source.clone())) {
                Some(&u) => u,
                None => {
                    units.insert((group.clone(), source), n);
                    unit_docs.push(0);
                    unit_group.push(group);
                    n
                }
            };
            unit_docs[u as usize] += 1;
            let tag = if full {
                slot_units.write_all(&u.to_le_bytes())?;
                slot += 1;
                slot
            } else {
                0
            };
            for p in passages {
                pairs.push(u128::from(p) << 64 | u128::from(u) << 32 | u128::from(tag))?;
            }
        }
        // Sorted here, beside the search for duplicates.
        Ok(Units {
            unit_docs,
            unit_group,
            pairs: pairs.finish()?,
            slot_units,
        })
    }

    /// The set-aside passages of the documents not in `dups` (slot order).
    fn boilerplate(
        mut self,
        dups: &[(u32, u32, f64)],
        o: &ScreenOptions,
    ) -> io::Result<Vec<PassageStat>> {
        let is_dup: rustc_hash::FxHashSet<u32> = dups.iter().map(|d| d.0).collect();
        if !is_dup.is_empty() {
            let mut f = self.slot_units.into_inner().map_err(|e| e.into_error())?;
            f.seek(SeekFrom::Start(0))?;
            let mut r = BufReader::new(f);
            let mut b = [0u8; 4];
            let mut slot = 0u32;
            while fill(&mut r, &mut b)? {
                if is_dup.contains(&slot) {
                    if let Some(n) = self.unit_docs.get_mut(u32::from_le_bytes(b) as usize) {
                        *n -= 1;
                    }
                }
                slot += 1;
            }
        }
        let kept = |x: u128| {
            let tag = x as u32;
            tag == 0 || !is_dup.contains(&(tag - 1))
        };
        boilerplate(self.pairs, kept, &self.unit_docs, &self.unit_group, o)
    }
}

/// A passage being counted: its key, the unit of the current run and the run's
/// documents, the documents so far, whether some unit holds it commonly. Its
/// documents per group are counted apart, by group number ([`boilerplate`]).
struct Tally {
    key: u64,
    unit: u32,
    n: u64,
    documents: u64,
    hit: bool,
}

/// The set-aside passages from the sorted (passage, unit, tag) triples (`passage << 64
/// | unit << 32 | tag`) of the documents, those `kept` says no to left out.
///
/// Most passages are held by one document and set aside by none, so a passage's
/// documents per group are counted in an array by group number (the groups in name
/// order, each unit's number looked up once) and become a map of group names only
/// for the passages set aside: the same statistics as counting into the map.
fn boilerplate(
    pairs: impl IntoIterator<Item = io::Result<u128>>,
    kept: impl Fn(u128) -> bool,
    unit_docs: &[u64],
    unit_group: &[String],
    o: &ScreenOptions,
) -> io::Result<Vec<PassageStat>> {
    let mut group_docs: BTreeMap<&str, u64> = BTreeMap::new();
    for (g, n) in unit_group.iter().zip(unit_docs) {
        *group_docs.entry(g).or_default() += n;
    }
    // Group numbers: the groups in name order, and each unit's.
    let groups: Vec<(&str, u64)> = group_docs.into_iter().collect();
    let unit_gi: Vec<usize> = unit_group
        .iter()
        .map(|g| groups.partition_point(|(x, _)| *x < g.as_str()))
        .collect();
    let common = |n: u64, all: u64| n >= o.min_documents && n as f64 >= o.min_share * all as f64;
    let mut out = Vec::new();
    // The current passage's documents per group number (zero between passages).
    let mut by_group = vec![0u64; groups.len()];
    let end_unit = |t: &mut Tally, by_group: &mut [u64]| {
        let u = t.unit as usize;
        t.hit |= common(t.n, unit_docs.get(u).copied().unwrap_or(0));
        t.documents += t.n;
        if let Some(c) = unit_gi.get(u).and_then(|&g| by_group.get_mut(g)) {
            *c += t.n;
        }
    };
    let end_passage = |mut t: Tally, by_group: &mut [u64], out: &mut Vec<PassageStat>| {
        end_unit(&mut t, by_group);
        let hit = t.hit
            || by_group
                .iter()
                .zip(&groups)
                .any(|(&n, &(_, all))| n > 0 && common(n, all));
        if hit {
            out.push(PassageStat {
                passage: t.key,
                documents: t.documents,
                by_group: by_group
                    .iter()
                    .zip(&groups)
                    .filter(|(&n, _)| n > 0)
                    .map(|(&n, &(g, _))| (g.to_string(), n))
                    .collect(),
            });
        }
        by_group.fill(0);
    };
    let mut cur: Option<Tally> = None;
    for x in pairs {
        let x = x?;
        if !kept(x) {
            continue;
        }
        let (p, u) = ((x >> 64) as u64, (x >> 32) as u32);
        match &mut cur {
            Some(t) if t.key == p && t.unit == u => {
                t.n += 1;
                continue;
            }
            Some(t) if t.key == p => {
                end_unit(t, &mut by_group);
                (t.unit, t.n) = (u, 1);
                continue;
            }
            _ => {}
        }
        if let Some(t) = cur.take() {
            end_passage(t, &mut by_group, &mut out);
        }
        cur = Some(Tally {
            key: p,
            unit: u,
            n: 1,
            documents: 0,
            hit: false,
        });
    }
    if let Some(t) = cur {
        end_passage(t, &mut by_group, &mut out);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::pairs::{share_at_least, MIN_SHARED};
    use super::*;
    use crate::corpus::Document;
    use crate::dedupe::Scan;

    /// A small deterministic generator (xorshift).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// [`boilerplate`] by its definition: each passage's documents per group counted
    /// into a map of group names.
    fn boilerplate_by_map(
        pairs: &[u128],
        unit_docs: &[u64],
        unit_group: &[String],
        o: &ScreenOptions,
    ) -> Vec<PassageStat> {
        let mut group_docs: BTreeMap<&str, u64> = BTreeMap::new();
        for (g, n) in unit_group.iter().zip(unit_docs) {
            *group_docs.entry(g).or_default() += n;
        }
        let common =
            |n: u64, all: u64| n >= o.min_documents && n as f64 >= o.min_share * all as f64;
        let mut sorted = pairs.to_vec();
        sorted.sort_unstable();
        let mut out = Vec::new();
        let mut at = 0;
        while at < sorted.len() {
            let key = (sorted[at] >> 64) as u64;
            let end = at
                + sorted[at..]
                    .iter()
                    .take_while(|&&x| (x >> 64) as u64 == key)
                    .count();
            let mut per_unit: BTreeMap<u32, u64> = BTreeMap::new();
            for &x in &sorted[at..end] {
                *per_unit.entry((x >> 32) as u32).or_default() += 1;
            }
            let mut by_group: BTreeMap<String, u64> = BTreeMap::new();
            let mut hit = false;
            for (&u, &n) in &per_unit {
                hit |= common(n, unit_docs[u as usize]);
                *by_group.entry(unit_group[u as usize].clone()).or_default() += n;
            }
            hit |= by_group
                .iter()
                .any(|(g, &n)| common(n, group_docs[g.as_str()]));
            if hit {
                out.push(PassageStat {
                    passage: key,
                    documents: (end - at) as u64,
                    by_group,
                });
            }
            at = end;
        }
        out
    }

    #[test]
    fn boilerplate_counts_groups_as_a_map_would() {
        let mut r = Rng(0x2545_f491_4f6c_dd1d);
        // Units in three groups, named out of order and repeated (units of one group
        // are summed in it).
        let unit_group: Vec<String> = ["zz", "aa", "mm", "aa", "zz", "mm", "aa"]
            .iter()
            .map(|g| g.to_string())
            .collect();
        let unit_docs: Vec<u64> = (0..unit_group.len()).map(|_| 1 + r.next(30)).collect();
        for round in 0..40 {
            let pairs: Vec<u128> = (0..300)
                .map(|_| {
                    let p = r.next(25 + round);
                    let u = r.next(unit_group.len() as u64);
                    (u128::from(p) << 64) | (u128::from(u) << 32)
                })
                .collect();
            let o = ScreenOptions {
                min_documents: 1 + r.next(6),
                min_share: [0.0, 0.1, 0.3, 0.6][r.next(4) as usize],
                ..ScreenOptions::default()
            };
            let mut sort = ExtSort::<u128>::new(1 << 20);
            for &x in &pairs {
                sort.push(x).unwrap();
            }
            let got = boilerplate(
                sort.finish().unwrap(),
                |_| true,
                &unit_docs,
                &unit_group,
                &o,
            )
            .unwrap();
            assert_eq!(
                got,
                boilerplate_by_map(&pairs, &unit_docs, &unit_group, &o),
                "{round}"
            );
        }
    }

    /// 400 documents in 2 groups and 6 sources: sentences drawn from a small pool (so
    /// unrelated documents share values), near-copies with a line changed or added,
    /// footers, dates missing now and then.
    fn corpus() -> Vec<ScanDoc> {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        let words = [
            "miners", "hash", "rate", "texas", "ban", "power", "grid", "farm", "矿工", "算力",
            "迁移", "电价", "监管", "海外", "abroad", "cheap",
        ];
        let sentence = |r: &mut Rng| -> String {
            (0..8)
                .map(|_| words[r.next(words.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let pool: Vec<String> = (0..60).map(|_| sentence(&mut r)).collect();
        let mut texts: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for i in 0..400 {
            let text = if i > 10 && r.next(4) == 0 {
                // A near-copy of an earlier text: a line changed, or one added.
                let base = &texts[r.next(texts.len() as u64) as usize];
                let mut lines: Vec<String> = base.lines().map(str::to_owned).collect();
                let at = r.next(lines.len() as u64) as usize;
                if r.next(2) == 0 {
                    lines[at] = sentence(&mut r);
                } else {
                    lines.insert(at, format!("Reprinted from wire {i}."));
                }
                lines.join("\n")
            } else {
                let n = 3 + r.next(8) as usize;
                (0..n)
                    .map(|_| pool[r.next(pool.len() as u64) as usize].clone())
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            texts.push(text.clone());
            let group = if r.next(3) == 0 {
                "overseas"
            } else {
                "domestic"
            };
            let text = if r.next(2) == 0 {
                format!("{text}\nThanks for reading {group}.")
            } else {
                text
            };
            let mut d = ScanDoc::of(&Document::in_memory(
                format!("d{:03}", r.next(1000)),
                group,
                text,
            ));
            d.source = (r.next(3) > 0).then(|| format!("src{}", r.next(3)));
            d.date = (r.next(5) > 0).then(|| format!("2021-0{}-1{}", 1 + r.next(9), r.next(10)));
            out.push(d);
        }
        out
    }

    /// The duplicates as the search over every sketch value (without a postings cap)
    /// finds them: (id, duplicate_of, similarity), sorted by id.
    fn brute_force(docs: &[ScanDoc], t: f64) -> Vec<(String, String, f64)> {
        brute_force_kept(docs, t).0
    }

    /// [`brute_force`]'s duplicates, and the documents it keeps in rank order.
    fn brute_force_kept(docs: &[ScanDoc], t: f64) -> (Vec<(String, String, f64)>, Vec<ScanDoc>) {
        let mut order: Vec<Ranked> = docs.iter().cloned().map(Ranked).collect();
        order.sort();
        let mut kept: Vec<&ScanDoc> = Vec::new();
        let mut all_kept = Vec::new();
        let mut out = Vec::new();
        for Ranked(d) in &order {
            if !sketch::is_full(&d.sketch) {
                all_kept.push(d.clone());
                continue;
            }
            let hit = kept.iter().find_map(|k| {
                let sim = sketch::similarity(&d.sketch, &k.sketch);
                (k.group == d.group && share_at_least(&d.sketch, &k.sketch, MIN_SHARED) && sim >= t)
                    .then(|| (d.id.clone(), k.id.clone(), sim))
            });
            match hit {
                Some(h) => out.push(h),
                None => {
                    kept.push(d);
                    all_kept.push(d.clone());
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        (out, all_kept)
    }

    /// The boilerplate counted over the kept documents only, as if the duplicates had
    /// never been read: the search for duplicates and the counting of units run side
    /// by side, and the duplicates' passages and documents are taken out after.
    #[test]
    fn boilerplate_leaves_the_duplicates_out() {
        let docs = corpus();
        for min_documents in [2, 4, 8] {
            let o = ScreenOptions {
                min_documents,
                ..ScreenOptions::default()
            };
            let (dups, kept) = brute_force_kept(&docs, o.similarity);
            assert!(dups.len() >= 10, "{}", dups.len());
            let mut units: Vec<(String, Option<String>)> = Vec::new();
            let mut unit_docs: Vec<u64> = Vec::new();
            let mut pairs: Vec<u128> = Vec::new();
            for d in &kept {
                let key = (d.group.clone(), d.source.clone());
                let u = units.iter().position(|k| *k == key).unwrap_or_else(|| {
                    units.push(key);
                    unit_docs.push(0);
                    units.len() - 1
                });
                unit_docs[u] += 1;
                pairs.extend(
                    d.passages
                        .iter()
                        .map(|&p| (u128::from(p) << 64) | ((u as u128) << 32)),
                );
            }
            let unit_group: Vec<String> = units.into_iter().map(|u| u.0).collect();
            let want = boilerplate_by_map(&pairs, &unit_docs, &unit_group, &o);
            assert!(!want.is_empty(), "{min_documents}");
            for budget in [1 << 20, 2048] {
                let got = decide(&docs, budget, &o);
                assert_eq!(got.passages, want, "{min_documents} {budget}");
                assert_eq!(got.duplicates.len(), dups.len());
            }
        }
    }

    fn decide(docs: &[ScanDoc], budget: usize, o: &ScreenOptions) -> ScreenSummary {
        let mut b = ScreenBuilder::with_budget(budget);
        for d in docs.iter().rev() {
            b.add(d.clone()).unwrap();
        }
        b.finish(o).unwrap().summary().clone()
    }

    #[test]
    fn prefix_candidates_find_what_every_value_finds() {
        let docs = corpus();
        for t in [0.5, 0.7, 0.8, 0.9] {
            let o = ScreenOptions {
                similarity: t,
                ..ScreenOptions::default()
            };
            let got: Vec<(String, String, f64)> = decide(&docs, 1 << 20, &o)
                .duplicates
                .into_iter()
                .map(|d| (d.id, d.duplicate_of, d.similarity))
                .collect();
            let want = brute_force(&docs, t);
            assert!(!want.is_empty(), "{t}");
            assert_eq!(got, want, "threshold {t}");
        }
    }

    #[test]
    fn spilled_runs_decide_as_one_sort_does() {
        let docs = corpus();
        let o = ScreenOptions::default();
        let one = decide(&docs, 1 << 24, &o);
        assert!(!one.passages.is_empty() && !one.duplicates.is_empty());
        // About 2 KB a run: hundreds of temporary runs for every sort.
        assert_eq!(decide(&docs, 2048, &o), one);
        let forward = Screen::from_scan(&Scan::of_docs(docs), &o).unwrap();
        assert_eq!(forward.summary(), &one);
    }

    #[test]
    fn the_builder_holds_its_budget_not_the_corpus() {
        let docs = corpus();
        let mut b = ScreenBuilder::with_budget(16 << 10);
        for d in docs.iter().cycle().take(4000) {
            b.add(d.clone()).unwrap();
            assert!(b.docs.held() < (16 << 10) + 4096);
        }
        assert!(b.docs.runs() > 10);
    }
}
