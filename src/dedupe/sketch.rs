//! Near-duplicate signatures: a bottom-k MinHash sketch of a document's character
//! shingles, and the similarity estimate of two sketches.
//!
//! A shingle is [`SHINGLE_CHARS`] consecutive letters or digits of the text,
//! lowercased, with spaces and punctuation skipped, so the same article set in other
//! lines, spacing or punctuation has the same shingles, in Chinese and in English
//! alike. The sketch keeps the [`SKETCH_SIZE`] smallest distinct 32-bit hashes of
//! them; the share of the union's smallest `k` values that both sketches hold
//! estimates the Jaccard similarity of the two shingle sets (Broder 1997). Hashes are
//! fixed functions of the text: no seed, so every partition and machine agrees.

use super::fold::Classes;
use super::passage::mix;
use crate::config::{SHINGLE_CHARS, SKETCH_SIZE};

/// The sketch of `text`: at most [`SKETCH_SIZE`] hash values, sorted and distinct.
/// No allocation per character: the shingle window is a fixed array.
///
/// ```
/// use duibi::dedupe::sketch::{similarity, sketch};
/// let a = sketch("The crackdown pushed miners to Texas, where power is cheap and plentiful.");
/// let b = sketch("THE CRACKDOWN pushed miners to Texas — where power is cheap and plentiful!");
/// assert_eq!(a, b);
/// assert_eq!(similarity(&a, &b), 1.0);
/// ```
pub fn sketch(text: &str) -> Vec<u32> {
    let mut s = Shingles::new();
    let k = Classes::get();
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                s.push(c.to_ascii_lowercase());
            }
        } else if k.is_alnum(c) {
            k.lower(c, |l| s.push(l));
        }
    }
    s.finish()
}

/// Polynomial rolling hash of the window (exact modulo 2^64), so each character
/// costs O(1) whatever the shingle length; `mix` spreads it.
const BASE: u64 = 0x0000_0100_0000_01b3;
/// `BASE` to the power of the window length: what the character leaving the window
/// weighs.
const DROP: u64 = {
    let mut p = 1u64;
    let mut i = 0;
    while i < SHINGLE_CHARS {
        p = p.wrapping_mul(BASE);
        i += 1;
    }
    p
};

/// Slots of [`Shingles`]'s ring: the power of two at or above [`SHINGLE_CHARS`], so a
/// slot is a position masked (no compare and wrap per character).
const RING: usize = SHINGLE_CHARS.next_power_of_two();

/// The state of [`sketch`]: the last [`SHINGLE_CHARS`] characters, their hash and
/// the smallest hash values so far.
pub(super) struct Shingles {
    /// `c + 1` of the last characters at `pos & (RING - 1)` and before; 0 for the
    /// places before the first character, which add nothing to the hash, so the hash
    /// of a window not yet full is that of its characters alone.
    window: [u64; RING],
    /// Characters pushed (wrapping: only `pos & (RING - 1)` is used).
    pos: usize,
    /// Characters still to push before the first window is full.
    warm: usize,
    h: u64,
    out: Vec<u32>,
    /// The largest value kept once [`SKETCH_SIZE`] are (values at or above it cannot
    /// enter); above every `u32` before.
    bar: u64,
}

impl Shingles {
    /// No character yet.
    pub(super) fn new() -> Self {
        Shingles {
            window: [0; RING],
            pos: 0,
            warm: SHINGLE_CHARS - 1,
            h: 0,
            out: Vec::with_capacity(SKETCH_SIZE + 1),
            bar: u64::MAX,
        }
    }

    /// The sketch of the characters pushed.
    pub(super) fn finish(self) -> Vec<u32> {
        self.out
    }

    /// Adds one (lowercased letter or digit) character.
    #[inline(always)]
    pub(super) fn push(&mut self, l: char) {
        const MASK: usize = RING - 1;
        let x = l as u64 + 1;
        self.pos = self.pos.wrapping_add(1);
        // The character leaving the window, pushed SHINGLE_CHARS before this one (0
        // while there was none), read before its slot is written when RING is
        // SHINGLE_CHARS.
        let old = self.window[self.pos.wrapping_sub(SHINGLE_CHARS) & MASK];
        self.window[self.pos & MASK] = x;
        self.h = self
            .h
            .wrapping_mul(BASE)
            .wrapping_add(x)
            .wrapping_sub(old.wrapping_mul(DROP));
        if self.warm > 0 {
            // The first window is not full yet.
            self.warm -= 1;
            return;
        }
        let v = (mix(self.h) >> 32) as u32;
        // Above `bar` (the largest value kept, once SKETCH_SIZE are) nothing enters.
        if u64::from(v) >= self.bar {
            return;
        }
        let out = &mut self.out;
        if let Err(at) = out.binary_search(&v) {
            out.insert(at, v);
            out.truncate(SKETCH_SIZE);
            if out.len() == SKETCH_SIZE {
                self.bar = out.last().map_or(u64::MAX, |&m| u64::from(m));
            }
        }
    }
}

/// Whether a sketch is full (the document has at least [`SKETCH_SIZE`] distinct
/// shingles, about 70 letters): shorter texts are never called duplicates, so two
/// one-line reviews that happen to agree stay two documents.
pub fn is_full(s: &[u32]) -> bool {
    s.len() >= SKETCH_SIZE
}

/// Estimated Jaccard similarity of the shingle sets behind two sketches (0 when both
/// are empty): of the [`SKETCH_SIZE`] smallest values of their union, the share both
/// hold.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut n, mut both) = (0usize, 0usize, 0usize, 0usize);
    while n < SKETCH_SIZE {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                both += 1;
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => i += 1,
            (Some(_), Some(_)) | (None, Some(_)) => j += 1,
            (Some(_), None) => i += 1,
            (None, None) => break,
        }
        n += 1;
    }
    if n == 0 {
        0.0
    } else {
        both as f64 / n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> String {
        (0..40)
            .map(|i| {
                format!(
                    "Sentence {i} about hash rate number {} moving abroad. ",
                    i * 7
                )
            })
            .collect()
    }

    #[test]
    fn a_reprint_with_a_line_added_is_similar() {
        let a = sketch(&article());
        let b = sketch(&format!("Reprinted from Example Wire.\n{}", article()));
        assert!(is_full(&a));
        assert!(similarity(&a, &b) >= 0.9, "{}", similarity(&a, &b));
    }

    #[test]
    fn different_texts_are_not() {
        let a = sketch(&article());
        let b = sketch(&"矿工把矿机运往海外，电价低廉。监管趋严，算力外流。".repeat(10));
        assert!(similarity(&a, &b) < 0.1);
    }

    /// The sketch by its definition: every window of SHINGLE_CHARS folded letters and
    /// digits hashed on its own, the SKETCH_SIZE smallest distinct values.
    fn by_definition(text: &str) -> Vec<u32> {
        let chars: Vec<char> = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let mut all: Vec<u32> = chars
            .windows(SHINGLE_CHARS)
            .map(|w| {
                let h = w.iter().fold(0u64, |h, &c| {
                    h.wrapping_mul(BASE).wrapping_add(c as u64 + 1)
                });
                (mix(h) >> 32) as u32
            })
            .collect();
        all.sort_unstable();
        all.dedup();
        all.truncate(SKETCH_SIZE);
        all
    }

    #[test]
    fn the_rolling_sketch_equals_the_definition() {
        let texts = [
            String::new(),
            "abcde".into(),
            "abcdef".into(),
            "İstanbul ＡＢＣ１２３ 矿工把矿机运往海外".into(),
            article(),
            "比特币挖矿".repeat(40),
            (0..500).map(|i| format!("w{i} ")).collect(),
        ];
        for t in &texts {
            assert_eq!(sketch(t), by_definition(t), "{t:?}");
        }
    }

    #[test]
    fn sketches_are_sorted_distinct_and_bounded() {
        let s = sketch(&article());
        assert_eq!(s.len(), SKETCH_SIZE);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        assert!(!is_full(&sketch("short text")));
        assert_eq!(similarity(&[], &[]), 0.0);
    }
}
