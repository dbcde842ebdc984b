//! Near-duplicate candidates and decisions of the bounded-memory screen
//! ([`super::decide`]): each document indexed under its rarest sketch values, pairs
//! sharing enough of their first values, and the greedy pass over slots that reads full
//! sketches back from their temporary file.

use super::sketch;
use crate::config::{self, SKETCH_SIZE};
use crate::extsort::{fill, ExtSort, Sorted, Spill};
use std::io::{self, Read, Seek, SeekFrom, Write};

/// Sketch values two documents must share before their similarity is estimated:
/// similar documents share most of them (at a similarity of 0.8 about 0.9), so half
/// is a safe floor that skips most estimates.
pub(super) const MIN_SHARED: usize = SKETCH_SIZE.div_ceil(2);

/// A document's entry under one of its first `P` sketch values: (group, value) as
/// the key, its slot, and those first values (so a pair is filtered where it meets).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Prefix {
    key: u64,
    slot: u32,
    head: std::sync::Arc<[u32]>,
}

/// Most bytes of a [`Prefix`] in a run: key, slot, head length, head (at most a
/// whole sketch).
const PREFIX_BYTES: usize = 13 + 4 * SKETCH_SIZE;

impl Spill for Prefix {
    fn put(&self, w: &mut impl Write) -> io::Result<()> {
        // One write of the whole entry.
        let mut b = [0u8; PREFIX_BYTES];
        let n = self.head.len().min(SKETCH_SIZE);
        b[..8].copy_from_slice(&self.key.to_le_bytes());
        b[8..12].copy_from_slice(&self.slot.to_le_bytes());
        b[12] = n as u8;
        for (o, v) in b[13..].chunks_exact_mut(4).zip(&self.head[..n]) {
            o.copy_from_slice(&v.to_le_bytes());
        }
        w.write_all(&b[..13 + 4 * n])
    }

    fn get(r: &mut impl Read) -> io::Result<Option<Self>> {
        let mut b = [0u8; PREFIX_BYTES];
        if !fill(r, &mut b[..13])? {
            return Ok(None);
        }
        let key = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
        let slot = u32::from_le_bytes([b[8], b[9], b[10], b[11]]);
        let n = usize::from(b[12]);
        let head = &mut b[13..13 + 4 * n.min(SKETCH_SIZE)];
        r.read_exact(head)?;
        // Built in place: one allocation per entry.
        let head = head
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Ok(Some(Prefix { key, slot, head }))
    }

    fn bytes(&self) -> usize {
        // The head is shared by the document's entries: counted once each anyway.
        std::mem::size_of::<Self>() + 16 + 4 * self.head.len()
    }
}

/// Whether two sorted prefixes (or sketches) share at least `need` values (stops as
/// soon as the answer is known).
pub(super) fn share_at_least(a: &[u32], b: &[u32], need: usize) -> bool {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if n >= need {
            return true;
        }
        if n + (a.len() - i).min(b.len() - j) < need {
            return false;
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n >= need
}

/// A value's key in the index: its group above it, so documents of different groups
/// never meet.
fn index_key(group: u32, value: u32) -> u64 {
    (u64::from(group) << 32) | u64::from(value)
}

/// How many documents hold each (group, value) key, counted in a table of
/// `2^bits` counters (a key adds to the counter its hash picks, so keys that share a
/// counter are counted together). Any count that is a function of the key alone
/// orders the values the same way for every document, which is all [`rarest`] needs;
/// close counts only make its index smaller.
struct Holders {
    counts: Vec<u32>,
    shift: u32,
}

impl Holders {
    /// A table for about `keys` key occurrences, at most `budget` bytes (and at least
    /// 1,024 counters).
    fn new(keys: u64, budget: usize) -> Self {
        let most = (budget / 4).max(1024);
        let most = 1usize << (usize::BITS - 1 - most.leading_zeros());
        let want = usize::try_from(keys.saturating_mul(2)).unwrap_or(usize::MAX);
        let size = want.clamp(1024, most).next_power_of_two().min(most);
        Holders {
            counts: vec![0; size],
            shift: 64 - size.trailing_zeros(),
        }
    }

    fn at(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    fn add(&mut self, key: u64) {
        let i = self.at(key);
        if let Some(c) = self.counts.get_mut(i) {
            *c = c.saturating_add(1);
        }
    }

    fn get(&self, key: u64) -> u32 {
        self.counts.get(self.at(key)).copied().unwrap_or(u32::MAX)
    }
}

/// Each document's entries under its `keep` rarest sketch values (fewest holders of
/// the key in the document's group, then smallest value), each with the document's
/// first `head` values (so a pair is filtered where it meets). The holders are
/// counted over whole sketches in a first read of the sketch file; a second read
/// picks each document's values.
///
/// Two documents at or above the threshold share at least `64 − keep + 1` of their
/// 64 values (see [`super::decide`]). Under any one order of the values, the rarest
/// value they share has at least `64 − keep` shared values after it, so it is among
/// the `keep` rarest of both: the pairs that matter still meet. A value that opens a
/// passage many documents hold (a wire story's sentence reprinted everywhere) is then
/// indexed only by documents that hold nothing rarer, so the postings stay short
/// where the corpus repeats itself.
pub(super) fn rarest(
    sketches: &mut SketchFile,
    slots: u32,
    budget: usize,
    head: usize,
    keep: usize,
) -> io::Result<ExtSort<Prefix>> {
    let keep = keep.clamp(1, SKETCH_SIZE);
    let head = head.clamp(1, SKETCH_SIZE);
    let mut holders = Holders::new(u64::from(slots) * SKETCH_SIZE as u64, budget);
    sketches.each(|_, sketch, group| {
        sketch
            .iter()
            .for_each(|&v| holders.add(index_key(group, v)));
        Ok(())
    })?;
    let mut out = ExtSort::<Prefix>::new(budget);
    let mut order = [0u64; SKETCH_SIZE];
    sketches.each(|slot, sketch, group| {
        for (o, &v) in order.iter_mut().zip(sketch) {
            *o = (u64::from(holders.get(index_key(group, v))) << 32) | u64::from(v);
        }
        if keep < SKETCH_SIZE {
            order.select_nth_unstable(keep - 1);
        }
        let mut first = sketch[..head].to_vec();
        first.sort_unstable();
        let first: std::sync::Arc<[u32]> = first.into();
        order[..keep].iter().try_for_each(|&o| {
            out.push(Prefix {
                key: index_key(group, o as u32),
                slot,
                head: first.clone(),
            })
        })
    })?;
    Ok(out)
}

/// The candidate pairs `later << 32 | earlier` (sharing at least `need` of their
/// first values), sorted, possibly repeated (once per shared value).
pub(super) fn candidates(
    pre: ExtSort<Prefix>,
    budget: usize,
    need: usize,
) -> io::Result<Sorted<u64>> {
    let mut out = ExtSort::<u64>::new(budget);
    let mut bucket: Vec<Prefix> = Vec::new();
    for x in pre.finish()? {
        let x = x?;
        if bucket.first().is_some_and(|b| b.key != x.key) {
            bucket.clear();
        }
        // The holder at position j has j earlier ones: compared while j <= the cap.
        if bucket.len() > config::SKETCH_MAX_POSTINGS {
            continue;
        }
        for k in &bucket {
            if share_at_least(&x.head, &k.head, need) {
                out.push((u64::from(x.slot) << 32) | u64::from(k.slot))?;
            }
        }
        bucket.push(x);
    }
    out.finish()
}

/// Words of a slot's record in the sketch file: its sketch, then its group.
pub(super) const RECORD: usize = SKETCH_SIZE + 1;

/// Full sketches and groups by slot, in a temporary file.
pub(super) struct SketchFile {
    /// The file, one record of [`RECORD`] values per slot.
    pub file: std::fs::File,
}

impl SketchFile {
    fn read(&mut self, slot: u32, out: &mut [u32; SKETCH_SIZE]) -> io::Result<()> {
        let mut b = [0u8; 4 * SKETCH_SIZE];
        self.file
            .seek(SeekFrom::Start(u64::from(slot) * 4 * RECORD as u64))?;
        self.file.read_exact(&mut b)?;
        for (o, c) in out.iter_mut().zip(b.chunks_exact(4)) {
            *o = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
        Ok(())
    }

    /// Calls `f(slot, sketch, group)` for every record, in slot order.
    fn each(
        &mut self,
        mut f: impl FnMut(u32, &[u32; SKETCH_SIZE], u32) -> io::Result<()>,
    ) -> io::Result<()> {
        self.file.seek(SeekFrom::Start(0))?;
        let mut r = io::BufReader::with_capacity(1 << 16, &mut self.file);
        let mut b = [0u8; 4 * RECORD];
        let mut sketch = [0u32; SKETCH_SIZE];
        let mut slot = 0u32;
        while fill(&mut r, &mut b)? {
            let mut words = b
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
            for (o, w) in sketch.iter_mut().zip(&mut words) {
                *o = w;
            }
            let group = words.next().unwrap_or(0);
            f(slot, &sketch, group)?;
            slot = slot.wrapping_add(1);
        }
        Ok(())
    }
}

/// Whether slot `s` is set aside (a bit per slot).
fn is_dup(bits: &[u64], s: u32) -> bool {
    bits.get(s as usize / 64)
        .is_some_and(|w| w >> (s % 64) & 1 == 1)
}

/// (duplicate slot, kept slot, similarity), in slot order.
pub(super) fn greedy(
    cands: Sorted<u64>,
    mut sketches: SketchFile,
    slots: u32,
    threshold: f64,
) -> io::Result<Vec<(u32, u32, f64)>> {
    let mut dup = vec![0u64; (slots as usize).div_ceil(64)];
    let mut out = Vec::new();
    let (mut sd, mut sk) = ([0u32; SKETCH_SIZE], [0u32; SKETCH_SIZE]);
    let mut loaded: Option<u32> = None;
    let mut decided: Option<u32> = None;
    let mut check = |pair: u64, dup: &mut Vec<u64>, out: &mut Vec<_>| -> io::Result<()> {
        let (d, k) = ((pair >> 32) as u32, pair as u32);
        if decided == Some(d) || is_dup(&dup[..], k) {
            return Ok(());
        }
        if loaded != Some(d) {
            sketches.read(d, &mut sd)?;
            loaded = Some(d);
        }
        sketches.read(k, &mut sk)?;
        if share_at_least(&sd, &sk, MIN_SHARED) {
            let sim = sketch::similarity(&sd, &sk);
            if sim >= threshold {
                out.push((d, k, sim));
                dup[d as usize / 64] |= 1 << (d % 64);
                decided = Some(d);
            }
        }
        Ok(())
    };
    let mut last: Option<u64> = None;
    for x in cands {
        let x = x?;
        if last != Some(x) {
            check(x, &mut dup, &mut out)?;
            last = Some(x);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::dedupe::ScanDoc;
    use std::collections::BTreeMap;

    /// A sketch file of the documents' sketches (all in group 0).
    fn sketch_file(texts: &[String]) -> (SketchFile, u32) {
        let mut file = tempfile::tempfile().unwrap();
        let mut slots = 0;
        for (i, t) in texts.iter().enumerate() {
            let d = ScanDoc::of(&Document::in_memory(format!("d{i}"), "g", t.clone()));
            assert!(sketch::is_full(&d.sketch), "{i}");
            for v in &d.sketch[..SKETCH_SIZE] {
                file.write_all(&v.to_le_bytes()).unwrap();
            }
            file.write_all(&0u32.to_le_bytes()).unwrap();
            slots += 1;
        }
        (SketchFile { file }, slots)
    }

    /// Holders of each key in the index `rarest` builds.
    fn postings(texts: &[String], budget: usize) -> BTreeMap<u64, Vec<u32>> {
        let (mut file, slots) = sketch_file(texts);
        let mut out: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
        for p in rarest(&mut file, slots, budget, 20, 13)
            .unwrap()
            .finish()
            .unwrap()
        {
            let p = p.unwrap();
            assert_eq!(p.head.len(), 20);
            out.entry(p.key).or_default().push(p.slot);
        }
        out
    }

    /// A passage of `words` made-up words of its own.
    fn passage(tag: u64, words: usize) -> String {
        let mut x = tag.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..words)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (0..6)
                    .map(|k| char::from(b'a' + ((x >> (5 * k)) % 26) as u8))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn prefixes_read_back_as_written() {
        let heads: [Vec<u32>; 3] = [vec![7], (0..20).collect(), (100..164).collect()];
        let written: Vec<Prefix> = heads
            .iter()
            .enumerate()
            .map(|(i, h)| Prefix {
                key: u64::MAX - i as u64,
                slot: 3 * i as u32 + 1,
                head: h.as_slice().into(),
            })
            .collect();
        let mut run = Vec::new();
        for p in &written {
            p.put(&mut run).unwrap();
        }
        let mut r = run.as_slice();
        let read: Vec<Prefix> = std::iter::from_fn(|| Prefix::get(&mut r).unwrap()).collect();
        assert_eq!(read, written);
        // A run cut inside an entry is an error, not an end.
        let mut cut = &run[..run.len() - 1];
        let _ = Prefix::get(&mut cut).unwrap();
        let _ = Prefix::get(&mut cut).unwrap();
        assert!(Prefix::get(&mut cut).is_err());
    }

    #[test]
    fn a_passage_every_document_holds_is_not_indexed() {
        // 200 documents: a passage all of them hold (about half of each sketch),
        // and one as long of their own. Each indexes its rarest values, which are
        // its own: no posting holds two documents. (Indexed under the rarest 13 of
        // their first 20 values only, each document would index about three of the
        // shared passage's values, each posting holding all 200.)
        let shared = passage(1, 100);
        let texts: Vec<String> = (0..200)
            .map(|i| format!("{shared}\n{}", passage(1000 + i, 100)))
            .collect();
        let index = postings(&texts, 1 << 20);
        assert_eq!(index.values().map(Vec::len).sum::<usize>(), 200 * 13);
        let most = index.values().map(Vec::len).max().unwrap();
        assert_eq!(most, 1);
    }

    #[test]
    fn counters_shared_by_keys_keep_one_order() {
        // With 1,024 counters for 12,800 key occurrences most keys share a counter:
        // each document still indexes 13 distinct values of its own sketch, and the
        // same ones whatever else is in the corpus (the order is by key alone).
        let texts: Vec<String> = (0..200).map(|i| passage(i, 60)).collect();
        let small = postings(&texts, 0);
        assert_eq!(small.values().map(Vec::len).sum::<usize>(), 200 * 13);
        let twice: Vec<String> = texts.iter().chain(&texts).cloned().collect();
        let again = postings(&twice, 0);
        for (k, v) in &small {
            let w: Vec<u32> = again[k].iter().copied().filter(|&s| s < 200).collect();
            assert_eq!(&w, v);
        }
    }

    #[test]
    fn holders_tables_are_powers_of_two_within_the_budget() {
        for (keys, budget, size) in [
            (0, 0, 1024),
            (10, 1 << 20, 1024),
            (3000, 1 << 20, 8192),
            (1 << 30, 1 << 20, 1 << 18),
            (1 << 30, (1 << 20) + 5, 1 << 18),
        ] {
            let h = Holders::new(keys, budget);
            assert_eq!(h.counts.len(), size, "{keys} {budget}");
            assert!(h.at(u64::MAX) < size && h.at(0x1234_5678_9abc_def0) < size);
        }
    }
}
