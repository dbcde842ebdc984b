//! The exact median of a stream of numbers read more than once, without holding the
//! numbers: a radix select on their total order. Each pass over the stream counts
//! the values of the range still open in up to 65,536 buckets and narrows the range
//! to the bucket(s) holding the middle rank(s); once the range holds at most
//! [`MEDIAN_HOLD`] values, one last pass collects and sorts them. The result is what
//! [`crate::stats::median`] gives for the same values, bit for bit.

use std::collections::BTreeMap;

/// Values collected for the last pass at most (8 bytes each).
const MEDIAN_HOLD: u64 = 1 << 16;

/// Buckets of one counting pass (16 bits of the key).
const BUCKETS: u128 = 1 << 16;

/// The key of `x` ordered as [`f64::total_cmp`] orders the numbers.
fn key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

/// The number whose key is `k`.
fn unkey(k: u64) -> f64 {
    if k >> 63 == 1 {
        f64::from_bits(k & !(1 << 63))
    } else {
        f64::from_bits(!k)
    }
}

/// The median of values at ranks `r0` and `r1` (equal when their number is odd),
/// as [`crate::stats::percentile_sorted`] interpolates at 0.5.
fn mid(x: f64, y: f64, r0: u64, r1: u64) -> f64 {
    if r1 > r0 {
        x + 0.5 * (y - x)
    } else {
        x
    }
}

/// What the pass being taken does.
#[derive(Debug)]
enum Step {
    /// Counts the values of the range per bucket of `width` keys.
    Count {
        width: u128,
        counts: BTreeMap<u64, u64>,
    },
    /// Collects the values of the range.
    Collect(Vec<f64>),
    /// The median is known.
    Done(f64),
}

/// The median of one stream being selected.
#[derive(Debug)]
pub(super) struct MedianSelect {
    /// Passes ended.
    passes: u32,
    n: u64,
    nan: bool,
    /// The keys still open, inclusive.
    lo: u64,
    hi: u64,
    /// Values below the range.
    below: u64,
    /// Values in the range.
    inside: u64,
    step: Step,
}

impl Default for MedianSelect {
    fn default() -> Self {
        MedianSelect {
            passes: 0,
            n: 0,
            nan: false,
            lo: 0,
            hi: u64::MAX,
            below: 0,
            inside: 0,
            step: Step::Count {
                width: (u64::MAX as u128 + 1) / BUCKETS,
                counts: BTreeMap::new(),
            },
        }
    }
}

impl MedianSelect {
    /// The selection of a stream of about `n` values: with at most [`MEDIAN_HOLD`],
    /// the first pass collects them and is the last (without the hint, it counts them
    /// and a second pass collects). Any number of values may come: the median is the
    /// same.
    pub fn expecting(n: u64) -> Self {
        let mut m = MedianSelect::default();
        if n <= MEDIAN_HOLD {
            m.step = Step::Collect(Vec::with_capacity(n as usize));
        }
        m
    }

    /// Offers a value of the stream (every value, on every pass).
    pub fn offer(&mut self, x: f64) {
        if self.first_pass() {
            self.n += 1;
            self.nan |= x.is_nan();
        }
        let k = key(x);
        if k < self.lo || k > self.hi {
            return;
        }
        match &mut self.step {
            Step::Count { width, counts } => {
                *counts
                    .entry(((k - self.lo) as u128 / *width) as u64)
                    .or_default() += 1;
            }
            Step::Collect(v) => v.push(x),
            Step::Done(_) => {}
        }
    }

    fn first_pass(&self) -> bool {
        self.passes == 0
    }

    /// The ranks (0-based) of the values the median reads, as
    /// [`crate::stats::percentile_sorted`] reads them at 0.5.
    fn ranks(&self) -> (u64, u64) {
        let i = (self.n - 1) / 2;
        (i, if self.n % 2 == 0 { i + 1 } else { i })
    }

    /// Ends a pass; `true` when another pass is needed.
    pub fn end_pass(&mut self) -> bool {
        if self.first_pass() {
            if self.n == 0 || self.nan {
                self.step = Step::Done(f64::NAN);
                return false;
            }
            self.inside = self.n;
        }
        self.passes += 1;
        let (r0, r1) = self.ranks();
        match std::mem::replace(&mut self.step, Step::Done(f64::NAN)) {
            Step::Count { width, counts } => {
                // The buckets holding ranks r0 and r1 (adjacent in rank order).
                let mut seen = self.below;
                let (mut b0, mut b1, mut before, mut inside) = (None, None, 0, 0);
                for (&b, &c) in &counts {
                    if b0.is_none() && r0 < seen + c {
                        (b0, before) = (Some(b), seen);
                    }
                    if b0.is_some() {
                        inside += c;
                    }
                    if r1 < seen + c {
                        b1 = Some(b);
                        break;
                    }
                    seen += c;
                }
                let (Some(b0), Some(b1)) = (b0, b1) else {
                    return false;
                };
                let lo = self.lo as u128 + b0 as u128 * width;
                let hi = (self.lo as u128 + (b1 as u128 + 1) * width - 1).min(self.hi as u128);
                (self.lo, self.hi) = (lo as u64, hi as u64);
                (self.below, self.inside) = (before, inside);
                if self.lo == self.hi || width == 1 {
                    // One key per bucket: rank r0 is the number of key `lo`, r1 that
                    // of key `hi` (the same key when one bucket holds both).
                    self.step = Step::Done(mid(unkey(self.lo), unkey(self.hi), r0, r1));
                    return false;
                }
                self.step = if self.inside <= MEDIAN_HOLD {
                    Step::Collect(Vec::new())
                } else {
                    let span = (self.hi - self.lo) as u128 + 1;
                    Step::Count {
                        width: span.div_ceil(BUCKETS),
                        counts: BTreeMap::new(),
                    }
                };
                true
            }
            Step::Collect(mut v) => {
                v.sort_by(f64::total_cmp);
                let at = |r: u64| v.get((r - self.below) as usize).copied();
                let m = match (at(r0), at(r1)) {
                    (Some(x), Some(y)) => mid(x, y, r0, r1),
                    _ => f64::NAN,
                };
                self.step = Step::Done(m);
                false
            }
            Step::Done(m) => {
                self.step = Step::Done(m);
                false
            }
        }
    }

    /// The median (NaN with no value, or a NaN among them), once no pass is needed.
    pub fn median(&self) -> f64 {
        match self.step {
            Step::Done(m) => m,
            _ => f64::NAN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select(values: &[f64]) -> (f64, usize) {
        select_from(MedianSelect::default(), values)
    }

    fn select_from(mut m: MedianSelect, values: &[f64]) -> (f64, usize) {
        let mut passes = 0;
        loop {
            passes += 1;
            for &x in values {
                m.offer(x);
            }
            if !m.end_pass() {
                return (m.median(), passes);
            }
        }
    }

    #[test]
    fn the_streamed_median_is_the_sorted_median_bit_for_bit() {
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        for n in [1usize, 2, 3, 10, 101, 1000, 200_001] {
            let values: Vec<f64> = (0..n)
                .map(|_| match next() % 5 {
                    0 => 0.0,
                    1 => -0.0,
                    2 => (next() % 2001) as f64 / 1000.0 - 1.0,
                    _ => f64::from_bits(next() >> 2) - 1.0,
                })
                .collect();
            let (got, passes) = select(&values);
            let want = crate::stats::median(&mut values.clone());
            assert_eq!(got.to_bits(), want.to_bits(), "n = {n}");
            assert!(passes <= 6, "n = {n}: {passes} passes");
            // Told how many values come (rightly, or not), the same median; a stream
            // short enough to hold takes one pass.
            for hint in [n as u64, 0, MEDIAN_HOLD] {
                let (got, passes) = select_from(MedianSelect::expecting(hint), &values);
                assert_eq!(got.to_bits(), want.to_bits(), "n = {n}, hint {hint}");
                if hint <= MEDIAN_HOLD && n as u64 == hint {
                    assert_eq!(passes, 1, "n = {n}");
                }
            }
        }
        // Many equal values around the middle: narrowed to one key, then collected.
        let same = vec![0.25; 300_000];
        assert_eq!(select(&same).0, 0.25);
        assert!(select(&[]).0.is_nan());
        assert!(select(&[1.0, f64::NAN, 2.0]).0.is_nan());
        for hint in [0, 3] {
            assert!(select_from(MedianSelect::expecting(hint), &[]).0.is_nan());
            let nan = select_from(MedianSelect::expecting(hint), &[1.0, f64::NAN, 2.0]);
            assert!(nan.0.is_nan());
        }
    }
}
