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
}
