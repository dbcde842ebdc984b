//! Cross-lingual consistency of a [`SentimentModel`] on parallel Chinese–English text.
//!
//! A pair is one sentence (or short text) and its translation. A scorer that means the
//! same in both languages gives both sides the same polarity and similar scores. The
//! measures (polarity is [`Label::of`] the score: the ±0.05 neutral band):
//!
//! * **same polarity**: share of pairs whose two labels agree (pos/neg/neu);
//! * **Pearson r** between the zh and en scores;
//! * **bias**: mean(zh score) − mean(en score);
//! * **opposite**: share of pairs where one side is positive and the other negative;
//! * with an optional `label` column (`pos`/`neg`/`neu`, `+`/`-`/`0`, or a number):
//!   the share of labelled pairs each side labels correctly.
//!
//! The input is UTF-8 TSV with a header naming at least the columns `zh` and `en`
//! (others, such as Tatoeba's `attribution`, are ignored).
//!
//! ```
//! use duibi::sentiment::crosslingual::{self, Pair};
//! use duibi::sentiment::SentimentModel;
//! use duibi::tokenize::Tokenizer;
//! let pairs = crosslingual::parse_pairs("zh\ten\n很好。\tVery good.\n很糟糕。\tTerrible.\n", "x").unwrap();
//! assert_eq!(pairs.len(), 2);
//! let (m, t) = (SentimentModel::builder().build().unwrap(), Tokenizer::builder().build().unwrap());
//! let r = crosslingual::evaluate(&m, &t, &pairs);
//! assert_eq!(r.metrics.same_polarity, 1.0);
//! assert_eq!(r.metrics.opposite, 0.0);
//! ```

use super::{Label, SentimentError, SentimentModel};
use crate::tokenize::Tokenizer;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One parallel pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The Chinese side.
    pub zh: String,
    /// The English side.
    pub en: String,
    /// Gold polarity, when the file has a `label` column with a value on this line.
    pub label: Option<Label>,
}

/// Consistency figures over a set of pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossMetrics {
    /// Pairs scored.
    pub pairs: usize,
    /// Share of pairs whose zh and en labels agree.
    pub same_polarity: f64,
    /// Pearson r of the zh and en scores (0 when either side is constant).
    pub pearson_r: f64,
    /// mean(zh) − mean(en).
    pub bias: f64,
    /// Share of pairs with one side positive and the other negative.
    pub opposite: f64,
    /// Mean zh score.
    pub mean_zh: f64,
    /// Mean en score.
    pub mean_en: f64,
    /// Pairs with a gold label.
    pub labelled: usize,
    /// Share of labelled pairs whose zh label equals the gold label.
    pub accuracy_zh: Option<f64>,
    /// Share of labelled pairs whose en label equals the gold label.
    pub accuracy_en: Option<f64>,
}

/// The figures and each pair's two scores (zh, en), in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossResult {
    /// The figures.
    pub metrics: CrossMetrics,
    /// (zh score, en score) per pair.
    pub scores: Vec<(f32, f32)>,
}

/// Reads a parallel TSV file (see the [module docs](self)). Errors name the file and line.
pub fn read_pairs(path: &Path) -> Result<Vec<Pair>, SentimentError> {
    let text = super::read_any_encoding(path)?;
    parse_pairs(&text, &path.display().to_string())
}

fn parse_label(s: &str) -> Option<Option<Label>> {
    let s = s.trim();
    if s.is_empty() {
        return Some(None);
    }
    Some(Some(match s.to_ascii_lowercase().as_str() {
        "pos" | "positive" | "+" => Label::Pos,
        "neg" | "negative" | "-" | "−" => Label::Neg,
        "neu" | "neutral" | "0" => Label::Neu,
        other => {
            let v: f32 = other.parse().ok()?;
            if !v.is_finite() {
                return None;
            }
            Label::of(v.signum() * v.abs().min(1.0))
        }
    }))
}

/// Parses parallel TSV from a string (`origin` names it in errors).
pub fn parse_pairs(text: &str, origin: &str) -> Result<Vec<Pair>, SentimentError> {
    let bad = |line: usize, reason: String| SentimentError::Parse {
        path: origin.to_owned(),
        line,
        reason,
    };
    let mut lines = text.lines().enumerate();
    let Some((_, header)) = lines.next() else {
        return Err(bad(
            1,
            "empty file: expected a header with zh and en".into(),
        ));
    };
    let cols: Vec<&str> = header
        .trim_start_matches('\u{feff}')
        .trim_end_matches('\r')
        .split('\t')
        .map(str::trim)
        .collect();
    let find = |name: &str| cols.iter().position(|c| c.eq_ignore_ascii_case(name));
    let (Some(zi), Some(ei)) = (find("zh"), find("en")) else {
        return Err(bad(1, "header must name the columns zh and en".into()));
    };
    let li = find("label");
    let mut out = Vec::new();
    for (no, line) in lines {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(zh), Some(en)) = (f.get(zi), f.get(ei)) else {
            return Err(bad(no + 1, "missing the zh or en column".into()));
        };
        let label = match li.and_then(|i| f.get(i)) {
            None => None,
            Some(l) => parse_label(l).ok_or_else(|| {
                bad(
                    no + 1,
                    format!("label {l:?} is not pos/neg/neu or a number"),
                )
            })?,
        };
        out.push(Pair {
            zh: (*zh).to_owned(),
            en: (*en).to_owned(),
            label,
        });
    }
    Ok(out)
}

/// Scores both sides of every pair (document score) and computes the figures.
pub fn evaluate(model: &SentimentModel, tokenizer: &Tokenizer, pairs: &[Pair]) -> CrossResult {
    let scores: Vec<(f32, f32)> = pairs
        .iter()
        .map(|p| {
            (
                model.score_text(tokenizer, &p.zh).score,
                model.score_text(tokenizer, &p.en).score,
            )
        })
        .collect();
    let labels: Vec<Option<Label>> = pairs.iter().map(|p| p.label).collect();
    CrossResult {
        metrics: metrics(&scores, &labels),
        scores,
    }
}

/// The figures from (zh, en) scores and optional gold labels (same order; missing
/// labels count as unlabelled).
pub fn metrics(scores: &[(f32, f32)], labels: &[Option<Label>]) -> CrossMetrics {
    let n = scores.len();
    let (mut same, mut opp) = (0usize, 0usize);
    let (mut sz, mut se) = (0f64, 0f64);
    let (mut nl, mut okz, mut oke) = (0usize, 0usize, 0usize);
    for (i, &(z, e)) in scores.iter().enumerate() {
        let (lz, le) = (Label::of(z), Label::of(e));
        same += usize::from(lz == le);
        opp += usize::from(lz.sign() * le.sign() < 0);
        sz += f64::from(z);
        se += f64::from(e);
        if let Some(Some(g)) = labels.get(i) {
            nl += 1;
            okz += usize::from(lz == *g);
            oke += usize::from(le == *g);
        }
    }
    let nf = n as f64;
    let share = |k: usize, of: usize| if of == 0 { 0.0 } else { k as f64 / of as f64 };
    let pearson_r = super::eval::pearson(
        scores.iter().map(|p| f64::from(p.0)),
        scores.iter().map(|p| f64::from(p.1)),
        n,
    );
    let (mean_zh, mean_en) = if n == 0 {
        (0.0, 0.0)
    } else {
        (sz / nf, se / nf)
    };
    CrossMetrics {
        pairs: n,
        same_polarity: share(same, n),
        pearson_r,
        bias: mean_zh - mean_en,
        opposite: share(opp, n),
        mean_zh,
        mean_en,
        labelled: nl,
        accuracy_zh: (nl > 0).then(|| share(okz, nl)),
        accuracy_en: (nl > 0).then(|| share(oke, nl)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_columns_labels_and_errors() {
        let t = "attribution\ten\tzh\tlabel\nx\tGood.\t好。\tpos\ny\tBad.\t差。\t\n";
        let p = parse_pairs(t, "f").unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].zh.as_str(), p[0].en.as_str()), ("好。", "Good."));
        assert_eq!((p[0].label, p[1].label), (Some(Label::Pos), None));
        let e = parse_pairs("zh\tfr\n", "f.tsv").unwrap_err().to_string();
        assert!(e.contains("f.tsv:1"), "{e}");
        let e = parse_pairs("zh\ten\tlabel\na\tb\twhat\n", "f.tsv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("f.tsv:2"), "{e}");
    }

    #[test]
    fn figures_follow_the_definitions() {
        // Pairs: agree pos; zh neutral vs en pos; opposite; agree neg.
        let s = [(0.5, 0.4), (0.0, 0.3), (-0.2, 0.2), (-0.6, -0.5)];
        let labels = [Some(Label::Pos), None, Some(Label::Pos), Some(Label::Neg)];
        let m = metrics(&s, &labels);
        assert_eq!(m.pairs, 4);
        assert!((m.same_polarity - 0.5).abs() < 1e-12);
        assert!((m.opposite - 0.25).abs() < 1e-12);
        assert!((m.bias - (-0.3 - 0.4) / 4.0).abs() < 1e-6);
        assert!(m.pearson_r > 0.5 && m.pearson_r <= 1.0);
        assert_eq!(m.labelled, 3);
        assert!((m.accuracy_zh.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.accuracy_en.unwrap() - 1.0).abs() < 1e-12);
        let empty = metrics(&[], &[]);
        assert_eq!(
            (empty.pairs, empty.pearson_r, empty.accuracy_zh),
            (0, 0.0, None)
        );
    }
}
