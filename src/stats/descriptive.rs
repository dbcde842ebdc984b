//! Descriptive statistics: [`mean`], [`median`], type-7 percentiles
//! ([`percentile_sorted`]) and fixed-width histograms ([`histogram`]).

/// [`percentile_sorted`] of `values` sorted by [`f64::total_cmp`], found by selection
/// instead of a full sort (`values` is reordered). The two order statistics it reads
/// are the same values as in the sorted slice, so the result is the same bits.
pub(super) fn percentile_selected(values: &mut [f64], q: f64) -> f64 {
    let Some((i, frac)) = percentile_position(values.len(), q) else {
        return f64::NAN;
    };
    let (_, &mut x, rest) = values.select_nth_unstable_by(i, f64::total_cmp);
    interpolate(x, rest.iter().copied().min_by(f64::total_cmp), frac)
}

/// Tails longer than this go to [`percentile_selected`] in [`percentile_pair`] (past
/// a few hundred values kept, one selection over a copy costs less than keeping them).
const TAIL_MAX: usize = 256;

/// The key of `x` whose unsigned order is [`f64::total_cmp`]'s order of the values
/// (the transform `total_cmp` makes, with the sign bit flipped for unsigned order).
#[inline(always)]
fn order_key(x: f64) -> u64 {
    let b = x.to_bits();
    (b ^ ((((b as i64) >> 63) as u64) >> 1)) ^ (1 << 63)
}

/// The value whose [`order_key`] is `k`.
#[inline(always)]
fn from_order_key(k: u64) -> f64 {
    let b = k ^ (1 << 63);
    f64::from_bits(b ^ ((((b as i64) >> 63) as u64) >> 1))
}

/// The `m ≥ 1` smallest keys offered: keys below the largest of the `m` smallest so
/// far are put aside unsorted, and when `2m` are, a selection keeps the `m` smallest.
struct Smallest {
    keys: Vec<u64>,
    m: usize,
    /// The largest of the `m` smallest kept at the last selection (keys at or above it
    /// would change no value kept); above every key before.
    bar: u64,
}

impl Smallest {
    fn new(m: usize) -> Self {
        let m = m.max(1);
        Smallest {
            keys: Vec::with_capacity(2 * m),
            m,
            bar: u64::MAX,
        }
    }

    #[inline(always)]
    fn offer(&mut self, k: u64) {
        if k < self.bar {
            self.keys.push(k);
            if self.keys.len() >= 2 * self.m {
                self.keep_smallest();
            }
        }
    }

    /// Keeps the `m` smallest keys put aside (all, when fewer) and lowers the bar.
    #[inline(never)]
    fn keep_smallest(&mut self) {
        if self.keys.len() > self.m {
            self.keys.select_nth_unstable(self.m - 1);
            self.keys.truncate(self.m);
        }
        if self.keys.len() == self.m {
            self.bar = self.keys.iter().copied().max().unwrap_or(u64::MAX);
        }
    }

    /// The `m` smallest keys offered (fewer when fewer were), ascending.
    fn finish(mut self) -> Vec<u64> {
        self.keep_smallest();
        self.keys.sort_unstable();
        self.keys
    }
}

/// [`percentile_sorted`] at `q_lo` and at `q_hi` of the values of `values` that are
/// not NaN, sorted by [`f64::total_cmp`]: the same bits, without sorting or copying
/// the values when both percentiles lie in short tails (as the 2.5 % and 97.5 % of
/// an interval from thousands of replicates do). One pass keeps the few smallest and
/// the few largest values (those the two percentiles read); otherwise (or when a
/// level is NaN) the values are copied and [`percentile_selected`] finds them.
pub(super) fn percentile_pair(values: &[f64], q_lo: f64, q_hi: f64) -> (f64, f64) {
    let n = values.iter().filter(|v| !v.is_nan()).count();
    let positions = (percentile_position(n, q_lo), percentile_position(n, q_hi));
    // The lower percentile reads ranks `il` and `il + 1`; the upper one ranks `ih` and
    // `ih + 1`, the `n − 1 − ih`-th and `n − 2 − ih`-th from the top.
    let tails = match positions {
        (Some((il, fl)), Some((ih, fh))) => Some((il, fl, ih, fh, (il + 2).min(n), n - ih)),
        _ => None,
    };
    let Some((il, fl, ih, fh, m_lo, m_hi)) = tails.filter(|t| t.4 <= TAIL_MAX && t.5 <= TAIL_MAX)
    else {
        let mut v: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        return (
            percentile_selected(&mut v, q_lo),
            percentile_selected(&mut v, q_hi),
        );
    };
    // The largest values are the smallest of the complemented keys.
    let (mut lo, mut hi) = (Smallest::new(m_lo), Smallest::new(m_hi));
    for &v in values {
        if v.is_nan() {
            continue;
        }
        let k = order_key(v);
        lo.offer(k);
        hi.offer(!k);
    }
    let (lo, hi) = (lo.finish(), hi.finish());
    let lo_at = |r: usize| lo.get(r).map(|&k| from_order_key(k));
    let hi_at = |r: usize| hi.get(r).map(|&k| from_order_key(!k));
    let a = interpolate(lo_at(il).unwrap_or(f64::NAN), lo_at(il + 1), fl);
    let next_hi = (ih + 1 < n).then(|| hi_at(n - 2 - ih)).flatten();
    let b = interpolate(hi_at(n - 1 - ih).unwrap_or(f64::NAN), next_hi, fh);
    (a, b)
}

/// Where quantile `q` of `n` sorted values lies (numpy's linear method): the index of
/// the value below it and the fraction of the way to the next; `None` for no values
/// or a NaN `q`.
fn percentile_position(n: usize, q: f64) -> Option<(usize, f64)> {
    if n == 0 || q.is_nan() {
        return None;
    }
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let i = h.floor() as usize;
    Some((i, h - i as f64))
}

/// `x` moved `frac` of the way to `next` (just `x` when there is no next or no way).
fn interpolate(x: f64, next: Option<f64>, frac: f64) -> f64 {
    match next {
        Some(next) if frac > 0.0 => x + frac * (next - x),
        _ => x,
    }
}

/// Arithmetic mean `Σxᵢ / n` (left-to-right summation); NaN if empty.
///
/// ```
/// use duibi::stats::mean;
/// assert_eq!(mean(&[1.0, 2.0, 6.0]), 3.0);
/// assert!(mean(&[]).is_nan());
/// ```
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// Median; sorts `values` in place (ascending, `f64::total_cmp`). Even
/// length → mean of the two middle values (= type-7 percentile at 0.5).
/// NaN if empty or if any value is NaN.
///
/// ```
/// use duibi::stats::median;
/// let mut v = [5.0, 1.0, 4.0, 2.0];
/// assert_eq!(median(&mut v), 3.0);
/// assert_eq!(v, [1.0, 2.0, 4.0, 5.0]);
/// ```
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() || values.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    percentile_sorted(values, 0.5)
}

/// Percentile of **already sorted** (ascending) data, Hyndman & Fan
/// **type 7** (the default of R and NumPy): with `n` values and
/// `h = (n − 1)·q`, `Q(q) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`
/// (0-based). `q` is clamped to `[0, 1]`; NaN if empty or `q` is NaN.
///
/// ```
/// use duibi::stats::percentile_sorted;
/// let x = [1.0, 2.0, 3.0, 4.0];
/// assert_eq!(percentile_sorted(&x, 0.25), 1.75); // numpy.percentile(x, 25)
/// assert_eq!(percentile_sorted(&x, 1.0), 4.0);
/// ```
pub fn percentile_sorted(sorted: &[f64], q: f64) -> f64 {
    let Some((i, frac)) = percentile_position(sorted.len(), q) else {
        return f64::NAN;
    };
    interpolate(sorted[i], sorted.get(i + 1).copied(), frac)
}

/// Fixed-width histogram (see [`histogram`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Lower edge of the first bin.
    pub lo: f64,
    /// Upper edge of the last bin.
    pub hi: f64,
    /// Counts per bin; bin `k` covers `[lo + k·w, lo + (k+1)·w)` with
    /// `w = (hi − lo)/bins`, the last bin also includes `hi`.
    pub counts: Vec<u64>,
    /// Values `< lo`.
    pub below: u64,
    /// Values `> hi`.
    pub above: u64,
    /// NaN values.
    pub nan: u64,
}

/// Histogram of `values` with `bins` equal-width bins on `[lo, hi]`.
///
/// Bin index `⌊(v − lo)/(hi − lo) · bins⌋`, with `v = hi` (and rounding
/// overshoot) put in the last bin; out-of-range values and NaNs are tallied
/// separately, not dropped silently. If `bins == 0`, `lo`/`hi` are not
/// finite, or `lo >= hi`, `counts` is empty and every value is ignored
/// (all tallies 0).
///
/// ```
/// use duibi::stats::histogram;
/// let h = histogram(&[0.0, 0.1, 0.5, 1.0, 2.0, f64::NAN], 0.0, 1.0, 2);
/// assert_eq!(h.counts, vec![2, 2]);
/// assert_eq!((h.below, h.above, h.nan), (0, 1, 1));
/// ```
pub fn histogram(values: &[f64], lo: f64, hi: f64, bins: usize) -> Histogram {
    let mut h = Histogram {
        lo,
        hi,
        counts: Vec::new(),
        below: 0,
        above: 0,
        nan: 0,
    };
    if bins == 0 || !lo.is_finite() || !hi.is_finite() || lo >= hi {
        return h;
    }
    h.counts = vec![0; bins];
    let width = hi - lo;
    for &v in values {
        if v.is_nan() {
            h.nan += 1;
        } else if v < lo {
            h.below += 1;
        } else if v > hi {
            h.above += 1;
        } else {
            let k = (((v - lo) / width) * bins as f64).floor() as usize;
            h.counts[k.min(bins - 1)] += 1;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Rng;

    #[test]
    fn descriptives() {
        assert_eq!(mean(&[2.0, 4.0]), 3.0);
        let mut v = [3.0, 1.0, 2.0];
        assert_eq!(median(&mut v), 2.0);
        assert!(median(&mut []).is_nan());
        assert!(median(&mut [1.0, f64::NAN]).is_nan());
        // numpy.percentile([1, 2, 3, 4, 10], [0, 10, 50, 90, 100])
        // = [1.0, 1.4, 3.0, 7.6, 10.0] (type 7, numpy's default "linear")
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        let want = [(0.0, 1.0), (0.1, 1.4), (0.5, 3.0), (0.9, 7.6), (1.0, 10.0)];
        for (q, w) in want {
            assert!((percentile_sorted(&x, q) - w).abs() < 1e-12);
        }
        assert_eq!(percentile_sorted(&[5.0], 0.3), 5.0);
        assert!(percentile_sorted(&[], 0.3).is_nan());

        // Selection gives the bits of the sorted percentile, ties, zeros of both
        // signs and infinities included.
        let mut rng = Rng::new(11);
        for n in [1usize, 2, 3, 10, 999, 2000] {
            let v: Vec<f64> = (0..n)
                .map(|k| match rng.below(9) {
                    0 => -0.0,
                    1 => 0.0,
                    2 => f64::INFINITY,
                    3 => (k % 5) as f64,
                    _ => rng.next_f64() * 2.0 - 1.0,
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            for q in [0.0, 0.025, 0.1, 0.5, 0.9, 0.975, 1.0, 1.5, f64::NAN] {
                let mut w = v.clone();
                let (a, b) = (
                    percentile_selected(&mut w, q),
                    percentile_sorted(&sorted, q),
                );
                assert_eq!(a.to_bits(), b.to_bits(), "n {n} q {q}");
            }
        }
        assert!(percentile_selected(&mut [], 0.5).is_nan());

        let h = histogram(&[-1.0, 0.0, 0.25, 0.5, 0.75, 1.0, 3.0], 0.0, 1.0, 4);
        assert_eq!(h.counts, vec![1, 1, 1, 2]);
        assert_eq!((h.below, h.above, h.nan), (1, 1, 0));
        let h = histogram(&[1.0], 1.0, 1.0, 4);
        assert!(h.counts.is_empty());
        let h = histogram(&[1.0], 0.0, 1.0, 0);
        assert!(h.counts.is_empty());
    }

    /// The plain definition of [`percentile_pair`]: NaN dropped, the rest sorted by
    /// `total_cmp`, [`percentile_sorted`] at both levels.
    fn pair_by_sorting(values: &[f64], q_lo: f64, q_hi: f64) -> (u64, u64) {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        sorted.sort_by(f64::total_cmp);
        (
            percentile_sorted(&sorted, q_lo).to_bits(),
            percentile_sorted(&sorted, q_hi).to_bits(),
        )
    }

    /// The tails kept in one pass (and the copy-and-select path for long tails) give
    /// the bits of sorting: ties, zeros of both signs, infinities and NaN among the
    /// values, in random, ascending and descending order, at the levels of intervals
    /// and at levels whose tails are too long to keep.
    #[test]
    fn percentile_pair_gives_the_bits_of_sorting() {
        let mut rng = Rng::new(5);
        let qs = [
            (0.025, 0.975),
            (0.005, 0.995),
            (0.0, 1.0),
            (0.05, 0.95),
            (0.25, 0.75),
            (0.5, 0.5),
            (0.975, 0.025),
            (-1.0, 2.0),
            (f64::NAN, 0.5),
        ];
        for n in [0usize, 1, 2, 3, 7, 40, 999, 2000, 2001, 12000] {
            let v: Vec<f64> = (0..n)
                .map(|k| match rng.below(12) {
                    0 => -0.0,
                    1 => 0.0,
                    2 => f64::INFINITY,
                    3 => f64::NEG_INFINITY,
                    4 => f64::NAN,
                    5 => (k % 5) as f64,
                    _ => rng.next_f64() * 2.0 - 1.0,
                })
                .collect();
            let mut up = v.clone();
            up.sort_by(f64::total_cmp);
            let down: Vec<f64> = up.iter().rev().copied().collect();
            for values in [&v, &up, &down] {
                for &(a, b) in &qs {
                    let (x, y) = percentile_pair(values, a, b);
                    assert_eq!(
                        (x.to_bits(), y.to_bits()),
                        pair_by_sorting(values, a, b),
                        "n {n} q {a} {b}"
                    );
                }
            }
        }
        let nan = [f64::NAN, f64::NAN];
        assert!(percentile_pair(&nan, 0.1, 0.9).0.is_nan());
        assert!(percentile_pair(&[], 0.1, 0.9).1.is_nan());
        for x in [
            -0.0,
            0.0,
            -1.5,
            3e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e-310,
        ] {
            assert_eq!(from_order_key(order_key(x)).to_bits(), x.to_bits());
        }
    }
}
