//! Hand-made SVG charts, emitted through maud so every label is escaped.
//!
//! Coordinates are rounded to one decimal to keep the file small. Colours come from CSS
//! classes (`g0`, `g1` …, one per group), so the page has one palette.

use maud::{html, Markup};

/// Formats a coordinate.
pub(super) fn c(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Approximate rendered width of `s` at `size` px (CJK and other wide characters count
/// as one em, Latin as about 0.56 em).
pub(super) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(|ch| char_em(ch) * size).sum()
}

fn char_em(ch: char) -> f64 {
    let u = ch as u32;
    if (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u)
        || (0x20000..=0x3FFFD).contains(&u)
    {
        1.0
    } else if ch.is_uppercase() || ch == 'm' || ch == 'w' {
        0.72
    } else if matches!(
        ch,
        'i' | 'l' | 'j' | '.' | ',' | '\'' | '|' | ' ' | 't' | 'f' | 'r'
    ) {
        0.32
    } else {
        0.56
    }
}

/// Cuts `s` to fit `max` px at `size` px, adding an ellipsis when it was cut.
pub(super) fn fit(s: &str, size: f64, max: f64) -> String {
    if text_width(s, size) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = text_width("…", size);
    for ch in s.chars() {
        let cw = char_em(ch) * size;
        if w + cw > max {
            break;
        }
        w += cw;
        out.push(ch);
    }
    out.push('…');
    out
}

/// A linear scale from a data domain to a pixel range.
#[derive(Clone, Copy, Debug)]
pub(super) struct Scale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Scale {
    pub(super) fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Scale {
        let (d0, d1) = if (d1 - d0).abs() < 1e-12 || !d0.is_finite() || !d1.is_finite() {
            (0.0, 1.0)
        } else {
            (d0, d1)
        };
        Scale { d0, d1, r0, r1 }
    }

    /// Pixel position of `v` (clamped to the domain).
    pub(super) fn at(&self, v: f64) -> f64 {
        let v = if v.is_finite() { v } else { self.d0 };
        let lo = self.d0.min(self.d1);
        let hi = self.d0.max(self.d1);
        let v = v.clamp(lo, hi);
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }

    /// Roughly `n` round tick values inside the domain.
    pub(super) fn ticks(&self, n: usize) -> Vec<f64> {
        let lo = self.d0.min(self.d1);
        let hi = self.d0.max(self.d1);
        let step = nice_step((hi - lo) / n.max(1) as f64);
        let mut out = Vec::new();
        let mut t = (lo / step).ceil() * step;
        while t <= hi + step * 1e-9 && out.len() < 50 {
            out.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
            t += step;
        }
        out
    }
}

/// A round step (1, 2, 2.5 or 5 × 10ⁿ) near `raw`.
pub(super) fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// A round upper bound for a maximum.
pub(super) fn nice_max(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return 1.0;
    }
    let step = nice_step(v / 8.0);
    (v / step).ceil() * step
}

/// Tick label: integers without decimals, others with up to two.
pub(super) fn tick_label(t: f64) -> String {
    let s = if (t - t.round()).abs() < 1e-9 {
        format!("{}", t.round() as i64)
    } else if (t * 10.0 - (t * 10.0).round()).abs() < 1e-9 {
        format!("{t:.1}")
    } else {
        format!("{t:.2}")
    };
    s.replace('-', "−")
}

/// Vertical grid lines with tick labels along the top (`y_top`) and a baseline.
pub(super) fn x_grid(scale: &Scale, ticks: &[f64], y_top: f64, y_bottom: f64) -> Markup {
    html! {
        @for t in ticks {
            @let x = scale.at(*t);
            line class=(if *t == 0.0 { "zero" } else { "grid" }) x1=(c(x)) x2=(c(x)) y1=(c(y_top)) y2=(c(y_bottom)) {}
            text class="tick" x=(c(x)) y=(c(y_bottom + 14.0)) text-anchor="middle" { (tick_label(*t)) }
        }
    }
}

/// A horizontal interval (whisker) with end caps.
pub(super) fn whisker(x0: f64, x1: f64, y: f64, cap: f64) -> Markup {
    html! {
        line class="whisk" x1=(c(x0)) x2=(c(x1)) y1=(c(y)) y2=(c(y)) {}
        line class="whisk" x1=(c(x0)) x2=(c(x0)) y1=(c(y - cap)) y2=(c(y + cap)) {}
        line class="whisk" x1=(c(x1)) x2=(c(x1)) y1=(c(y - cap)) y2=(c(y + cap)) {}
    }
}

/// The opening of an `<svg>` element: sized by its view box, labelled for screen readers.
pub(super) fn svg(width: f64, height: f64, label: &str, body: Markup) -> Markup {
    html! {
        svg viewBox=(format!("0 0 {} {}", c(width), c(height))) width=(c(width)) height=(c(height))
            role="img" aria-label=(label) {
            title { (label) }
            (body)
        }
    }
}

/// An SVG chart inside a `<figure>`.
pub(super) fn svg_figure(w: f64, h: f64, label: &str, body: Markup) -> Markup {
    html! { figure { (svg(w, h, label, body)) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_and_ticks() {
        let s = Scale::new(-2.0, 2.0, 0.0, 400.0);
        assert_eq!(s.at(0.0), 200.0);
        assert_eq!(s.at(5.0), 400.0);
        assert_eq!(s.ticks(4), vec![-2.0, -1.0, 0.0, 1.0, 2.0]);
        assert_eq!(nice_max(137.0), 140.0);
        assert_eq!(nice_max(6.36), 7.0);
        assert_eq!(tick_label(0.5), "0.5");
        assert_eq!(c(f64::NAN), "0");
        assert_eq!(c(2.04), "2");
    }

    #[test]
    fn fit_cuts_wide_text() {
        assert_eq!(fit("abc", 12.0, 100.0), "abc");
        let cut = fit("比特币挖矿比特币挖矿比特币挖矿", 12.0, 60.0);
        assert!(cut.ends_with('…'));
        assert!(cut.chars().count() <= 5);
    }
}
