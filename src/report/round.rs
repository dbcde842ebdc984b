//! Rounding of report floats: fixed decimals for readable, stable numbers and
//! significant digits for p-values, which can be tiny.
//!
//! Every float written into a report goes through one of these, so the same input gives
//! the same bytes.
//!
//! ```
//! use duibi::report::{round, round_sig};
//! assert_eq!(round(0.123456, 3), 0.123);
//! assert_eq!(round_sig(0.000123456, 2), 0.00012);
//! ```

/// A share (0–1) as a whole percentage for people to read: a share that is not zero
/// but rounds to 0% shows as `<1%`, and one that is not whole but rounds to 100% as
/// `>99%`, so a language or a side with a few tokens is not read as absent; `–` for
/// a share that could not be computed. Every view and warning prints shares this way.
///
/// ```
/// use duibi::report::percent;
/// assert_eq!(percent(0.0), "0%");
/// assert_eq!(percent(0.0004), "<1%");
/// assert_eq!(percent(0.42), "42%");
/// assert_eq!(percent(0.9996), ">99%");
/// assert_eq!(percent(1.0), "100%");
/// assert_eq!(percent(f64::NAN), "–");
/// ```
pub fn percent(x: f64) -> String {
    if !x.is_finite() {
        "–".to_string()
    } else if x > 0.0 && x < 0.005 {
        "<1%".to_string()
    } else if (0.995..1.0).contains(&x) {
        ">99%".to_string()
    } else {
        format!("{:.0}%", x * 100.0)
    }
}

/// Rounds to `d` significant digits (for p-values, which can be tiny).
pub fn round_sig(x: f64, d: i32) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let mag = x.abs().log10().floor() as i32;
    let p = 10f64.powi(d - 1 - mag);
    if !p.is_finite() || p == 0.0 {
        return x;
    }
    let r = (x * p).round() / p;
    if r.is_finite() {
        r
    } else {
        x
    }
}

/// Rounds to `d` decimals (for stable, readable floats).
pub fn round(x: f64, d: i32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let p = 10f64.powi(d);
    (x * p).round() / p
}

/// [`round`] of a finite `x`; `None` for NaN and infinities (statistics that could not
/// be computed, written as `null`).
pub fn round_opt(x: f64, d: i32) -> Option<f64> {
    x.is_finite().then(|| round(x, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_decimals_and_significant_digits() {
        assert_eq!(round(2.345_67, 2), 2.35);
        assert_eq!(round(-0.000_04, 4), -0.0);
        assert!(round(f64::NAN, 2).is_nan());
        assert_eq!(round_sig(123_456.0, 3), 123_000.0);
        assert_eq!(round_sig(1.234_5e-12, 2), 1.2e-12);
        assert_eq!(round_sig(0.0, 4), 0.0);
        assert_eq!(round_opt(f64::INFINITY, 2), None);
        assert_eq!(round_opt(0.126, 2), Some(0.13));
    }
}
