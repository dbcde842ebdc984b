//! Number, label and link formatting shared by the sections.

use crate::lang::Lang;
use maud::{html, Markup};

/// A metadata value (title, source, URL, date, group) as a view prints it: at most
/// [`VIEW_META_CHARS`](crate::config::VIEW_META_CHARS) characters, a longer one cut
/// and ended with `…`, so no metadata value makes the page large.
pub(super) fn clip(v: &str) -> std::borrow::Cow<'_, str> {
    let max = crate::config::VIEW_META_CHARS;
    match v.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(v),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &v[..cut])),
    }
}

/// A number with a real minus sign.
pub(super) fn num(x: f64, d: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = format!("{x:.d$}");
    let zero = s
        .trim_start_matches('-')
        .chars()
        .all(|ch| ch == '0' || ch == '.');
    if zero {
        s.trim_start_matches('-').to_string()
    } else {
        s.replace('-', "−")
    }
}

/// A signed number (`+0.12`, `−0.12`).
pub(super) fn signed(x: f64, d: usize) -> String {
    let s = num(x, d);
    if x > 0.0 && !s.chars().all(|ch| ch == '0' || ch == '.') {
        format!("+{s}")
    } else {
        s
    }
}

/// A significance level as given (`0.05`).
pub(super) fn level(alpha: f64) -> String {
    format!("{alpha}")
}

pub(super) fn opt_num(x: Option<f64>, d: usize) -> String {
    x.map(|v| signed(v, d)).unwrap_or_else(|| "–".into())
}

/// An estimate with its interval: `−0.05 [−0.11, −0.01]`.
pub(super) fn interval(est: f64, lo: f64, hi: f64, d: usize) -> String {
    format!("{} [{}, {}]", signed(est, d), signed(lo, d), signed(hi, d))
}

/// An estimate with its interval over `units` resampling units, or with "n/a: k
/// units" instead of an interval too few units make meaningless.
pub(super) fn interval_n(est: f64, lo: f64, hi: f64, d: usize, units: u64) -> String {
    interval_by(signed, est, lo, hi, d, units)
}

/// [`interval_n`] with the numbers written by `f` (e.g. [`num`] for rates).
pub(super) fn interval_by(
    f: fn(f64, usize) -> String,
    est: f64,
    lo: f64,
    hi: f64,
    d: usize,
    units: u64,
) -> String {
    if crate::report::interval_informative(units) {
        format!("{} [{}, {}]", f(est, d), f(lo, d), f(hi, d))
    } else {
        format!(
            "{} [n/a: {units} unit{}]",
            f(est, d),
            if units == 1 { "" } else { "s" }
        )
    }
}

/// An integer with thousands separators.
pub(super) fn int(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

pub(super) use crate::report::percent as pct;

/// A p-value.
pub(super) fn pval(p: f64) -> String {
    if !p.is_finite() {
        "–".into()
    } else if p < 0.001 {
        "< 0.001".into()
    } else if p < 0.01 {
        format!("{p:.3}")
    } else {
        format!("{p:.2}")
    }
}

/// `p = 0.02` or `p < 0.001`.
pub(super) fn p_phrase(p: f64) -> String {
    let v = pval(p);
    if v.starts_with('<') {
        format!("p {v}")
    } else {
        format!("p = {v}")
    }
}

pub(super) fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Zh => "Chinese 中文",
        Lang::En => "English",
        Lang::Ja => "Japanese 日本語",
        Lang::Ko => "Korean 한국어",
        Lang::De => "German",
        Lang::Fr => "French",
        Lang::Es => "Spanish",
        Lang::Und => "undetermined",
    }
}

/// The `lang` attribute for text in `l`.
pub(super) fn lang_attr(l: Lang) -> &'static str {
    match l {
        Lang::Zh => "zh-Hans",
        Lang::Und => "und",
        other => other.code(),
    }
}

/// Concept label: `挖矿 mining`, or the English label alone when the same.
pub(super) fn concept_label(zh: &str, en: &str, id: &str) -> String {
    match (zh.trim().is_empty(), en.trim().is_empty()) {
        (true, true) => id.to_string(),
        (true, false) => en.to_string(),
        (false, true) => zh.to_string(),
        (false, false) if zh == en => en.to_string(),
        (false, false) => format!("{zh} {en}"),
    }
}

/// A URL usable as a link target: only plain `http(s)` URLs, anything else is shown as
/// text (so `javascript:` or `data:` URLs never become links).
pub(super) fn safe_href(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && u.len() > 8
        && !u.chars().any(|ch| ch.is_control() || ch.is_whitespace());
    ok.then_some(u)
}

/// Short "how to read" note under a chart.
pub(super) fn howto(body: Markup) -> Markup {
    html! { p.howto { b { "How to read this: " } (body) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_become_links() {
        assert_eq!(
            safe_href(" https://example.org/x "),
            Some("https://example.org/x")
        );
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href("JaVaScRiPt:alert(1)").is_none());
        assert!(safe_href("data:text/html,<script>").is_none());
        assert!(safe_href("http://a b").is_none());
    }

    #[test]
    fn numbers() {
        assert_eq!(signed(-0.0001, 2), "0.00");
        assert_eq!(signed(0.5, 2), "+0.50");
        assert_eq!(signed(-0.5, 2), "−0.50");
        assert_eq!(int(1234567), "1,234,567");
        assert_eq!(pval(0.0001), "< 0.001");
    }
}
