//! Near-duplicate candidates and decisions of the bounded-memory screen
//! ([`super::decide`]): each document indexed under its rarest first sketch values,
//! pairs sharing enough of them, and the greedy pass over slots that reads full
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

impl Spill for Prefix {
    fn put(&self, w: &mut impl Write) -> io::Result<()> {
        w.write_all(&self.key.to_le_bytes())?;
        w.write_all(&self.slot.to_le_bytes())?;
        w.write_all(&[self.head.len() as u8])?;
        self.head
            .iter()
            .try_for_each(|v| w.write_all(&v.to_le_bytes()))
    }

    fn get(r: &mut impl Read) -> io::Result<Option<Self>> {
        let mut b = [0u8; 13];
        if !fill(r, &mut b)? {
            return Ok(None);
        }
        let key = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
        let slot = u32::from_le_bytes([b[8], b[9], b[10], b[11]]);
        let mut head = Vec::with_capacity(usize::from(b[12]));
        for _ in 0..b[12] {
            let mut v = [0u8; 4];
            r.read_exact(&mut v)?;
            head.push(u32::from_le_bytes(v));
        }
        Ok(Some(Prefix {
            key,
            slot,
            head: head.into(),
        }))
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

/// Calls `f` once per run of consecutive items with equal `key`, in order, with the
/// key and the run's items.
fn runs<T, K: PartialEq + Copy>(
    items: impl Iterator<Item = io::Result<T>>,
    key: impl Fn(&T) -> K,
    mut f: impl FnMut(K, &[T]) -> io::Result<()>,
) -> io::Result<()> {
    let mut run: Vec<T> = Vec::new();
    let mut current: Option<K> = None;
    for x in items {
        let x = x?;
        let k = key(&x);
        if current.is_some_and(|c| c != k) {
            if let Some(c) = current {
                f(c, &run)?;
            }
            run.clear();
        }
        current = Some(k);
        run.push(x);
    }
    match current {
        Some(c) => f(c, &run),
        None => Ok(()),
    }
}

/// Each document's entries under its `keep` rarest first values, with those first
/// values: `pre` (group, value, slot) sorted by key gives each key's holders; sorted
/// again by slot, each document's keys come rarest first (fewest holders, then key).
///
/// Two documents sharing at least `need` of their first `P` values, each indexed
/// under its `keep = P − need + 1` rarest, are both indexed under the rarest value
/// they share: at least `need − 1` of their shared values are more common, so it is
/// not among the `need − 1` most common values of either. So the pairs that matter
/// still meet, and a value common to many documents is mostly left out.
pub(super) fn rarest(
    pre: ExtSort<u128>,
    budget: usize,
    keep: usize,
) -> io::Result<ExtSort<Prefix>> {
    let mut by_slot = ExtSort::<u128>::new(budget);
    let mut holders: Vec<u32> = Vec::new();
    let flush = |key: Option<u64>, h: &[u32], out: &mut ExtSort<u128>| -> io::Result<()> {
        let (Some(k), Ok(n)) = (key, u32::try_from(h.len())) else {
            return Ok(());
        };
        h.iter().try_for_each(|&s| {
            out.push((u128::from(s) << 96) | (u128::from(n) << 64) | u128::from(k))
        })
    };
    runs(
        pre.finish()?,
        |x| (x >> 32) as u64,
        |k, run| {
            holders.clear();
            holders.extend(run.iter().map(|&x| x as u32));
            flush(Some(k), &holders, &mut by_slot)
        },
    )?;
    let mut out = ExtSort::<Prefix>::new(budget);
    let mut doc: Vec<u64> = Vec::new();
    let emit = |slot: Option<u32>, doc: &[u64], out: &mut ExtSort<Prefix>| -> io::Result<()> {
        let Some(slot) = slot else { return Ok(()) };
        let mut head: Vec<u32> = doc.iter().map(|&k| k as u32).collect();
        head.sort_unstable();
        let head: std::sync::Arc<[u32]> = head.into();
        doc.iter().take(keep).try_for_each(|&key| {
            out.push(Prefix {
                key,
                slot,
                head: head.clone(),
            })
        })
    };
    runs(
        by_slot.finish()?,
        |x| (x >> 96) as u32,
        |s, run| {
            doc.clear();
            doc.extend(run.iter().map(|&x| x as u64));
            emit(Some(s), &doc, &mut out)
        },
    )?;
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

/// Full sketches by slot, in a temporary file.
pub(super) struct SketchFile {
    /// The file, one record of 64 values per slot.
    pub file: std::fs::File,
}

impl SketchFile {
    fn read(&mut self, slot: u32, out: &mut [u32; SKETCH_SIZE]) -> io::Result<()> {
        let mut b = [0u8; 4 * SKETCH_SIZE];
        self.file
            .seek(SeekFrom::Start(u64::from(slot) * b.len() as u64))?;
        self.file.read_exact(&mut b)?;
        for (o, c) in out.iter_mut().zip(b.chunks_exact(4)) {
            *o = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
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
