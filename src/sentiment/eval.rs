//! Evaluation of a [`SentimentModel`] on labelled data.
//!
//! Two formats (those of `../shared/eval/sentiment`):
//!
//! * [`Format::Vader`]: `id<TAB>rating<TAB>text`, rating = mean human valence (−4..+4).
//!   Reported: Pearson r of the document score vs the rating over all items; binary
//!   accuracy and macro-F1 over items with |rating| ≥ 0.05, predicting by the sign of the
//!   score (a zero score counts as wrong).
//! * [`Format::Csv`]: `label,text` with a header line; label `1`/`0`, `+`/`-`, or any
//!   number (> 0 positive). Predicted positive when the score is > 0, else negative
//!   (ties negative). Reported: accuracy and macro-F1 over positive/negative.

use super::{DocSentiment, SentimentError, SentimentModel};
use crate::tokenize::Tokenizer;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Format of a labelled file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `id<TAB>rating<TAB>text` (VADER ground truth).
    Vader,
    /// `label,text` CSV with a header.
    Csv,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "vader" => Ok(Format::Vader),
            "csv" => Ok(Format::Csv),
            o => Err(format!("unknown format {o:?} (vader or csv)")),
        }
    }
}

/// One labelled item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The text.
    pub text: String,
    /// Gold value: the human mean rating (vader) or +1/−1 (csv).
    pub gold: f32,
}

/// Evaluation figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Items read.
    pub n: usize,
    /// Items in the binary evaluation (vader: |rating| ≥ 0.05; csv: all).
    pub n_binary: usize,
    /// Pearson r of score vs rating (vader format only).
    pub pearson: Option<f64>,
    /// Binary accuracy.
    pub accuracy: f64,
    /// Macro-F1 over positive and negative.
    pub macro_f1: f64,
    /// Share of items with at least one lexicon match.
    pub coverage: f64,
}

/// Reads a labelled file. Errors name the file and line.
pub fn read_items(path: &Path, format: Format) -> Result<Vec<Item>, SentimentError> {
    let text = super::read_any_encoding(path)?;
    parse_items(&text, format, &path.display().to_string())
}

/// Parses labelled data from a string (`origin` names it in errors).
pub fn parse_items(text: &str, format: Format, origin: &str) -> Result<Vec<Item>, SentimentError> {
    let bad = |line: usize, reason: String| SentimentError::Parse {
        path: origin.to_owned(),
        line,
        reason,
    };
    let mut out = Vec::new();
    match format {
        Format::Vader => {
            for (no, line) in text.lines().enumerate() {
                let line = line.trim_end_matches('\r');
                if line.trim().is_empty() {
                    continue;
                }
                let mut cols = line.splitn(3, '\t');
                let (Some(_id), Some(r), Some(t)) = (cols.next(), cols.next(), cols.next()) else {
                    return Err(bad(no + 1, "expected id<TAB>rating<TAB>text".into()));
                };
                let gold: f32 = r
                    .trim()
                    .parse()
                    .map_err(|_| bad(no + 1, format!("rating {r:?} is not a number")))?;
                out.push(Item {
                    text: t.to_owned(),
                    gold,
                });
            }
        }
        Format::Csv => {
            for (rec_no, (line, rec)) in csv_records(text).into_iter().enumerate() {
                if rec_no == 0 {
                    continue; // header
                }
                if rec.len() < 2 {
                    if rec.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    return Err(bad(line, "expected label,text".into()));
                }
                let l = rec[0].trim();
                let gold = match l {
                    "+" | "pos" | "positive" => 1.0,
                    "-" | "−" | "neg" | "negative" => -1.0,
                    _ => match l.parse::<f32>() {
                        Ok(v) if v > 0.0 => 1.0,
                        Ok(_) => -1.0,
                        Err(_) => {
                            return Err(bad(
                                line,
                                format!("label {l:?} is not 0/1, +/- or a number"),
                            ))
                        }
                    },
                };
                out.push(Item {
                    text: rec[1..].join(","),
                    gold,
                });
            }
        }
    }
    Ok(out)
}

/// Minimal RFC 4180 reader: records with the 1-based line each starts on.
fn csv_records(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    let mut rec: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut line = 1usize;
    let mut rec_line = 1usize;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                in_quotes = true;
                any = true;
            }
            ',' => {
                rec.push(std::mem::take(&mut field));
                any = true;
            }
            '\r' => {}
            '\n' => {
                if any || !field.is_empty() {
                    rec.push(std::mem::take(&mut field));
                    out.push((rec_line, std::mem::take(&mut rec)));
                }
                any = false;
                line += 1;
                rec_line = line;
            }
            c => {
                field.push(c);
                any = true;
            }
        }
    }
    if any || !field.is_empty() {
        rec.push(field);
        out.push((rec_line, rec));
    }
    out
}

/// Scores items with `model` and computes the metrics of `format`, using `score` to
/// read the number compared (normally `|d| d.score`).
pub fn evaluate_with(
    model: &SentimentModel,
    tokenizer: &Tokenizer,
    items: &[Item],
    format: Format,
    score: impl Fn(&DocSentiment) -> f32,
) -> Metrics {
    let mut preds = Vec::with_capacity(items.len());
    let mut covered = 0usize;
    for it in items {
        let d = model.score_text(tokenizer, &it.text);
        if d.sentences.iter().any(|s| !s.terms.is_empty()) {
            covered += 1;
        }
        preds.push(score(&d));
    }
    metrics(items, &preds, format, covered)
}

/// [`evaluate_with`] on the document score.
pub fn evaluate(
    model: &SentimentModel,
    tokenizer: &Tokenizer,
    items: &[Item],
    format: Format,
) -> Metrics {
    evaluate_with(model, tokenizer, items, format, |d| d.score)
}

/// Reads `path` and evaluates the model on it.
pub fn evaluate_file(
    model: &SentimentModel,
    tokenizer: &Tokenizer,
    path: &Path,
    format: Format,
) -> Result<Metrics, SentimentError> {
    let items = read_items(path, format)?;
    Ok(evaluate(model, tokenizer, &items, format))
}

/// Metrics from gold items and predicted scores (same order).
pub fn metrics(items: &[Item], preds: &[f32], format: Format, covered: usize) -> Metrics {
    let n = items.len().min(preds.len());
    let pearson = match format {
        Format::Vader => Some(pearson(
            items.iter().map(|i| f64::from(i.gold)),
            preds.iter().map(|&p| f64::from(p)),
            n,
        )),
        Format::Csv => None,
    };
    // Confusion counts: tp/fp/fn per class.
    let (mut tp_p, mut fp_p, mut fn_p, mut tp_n, mut fp_n, mut fn_n, mut nb) =
        (0f64, 0f64, 0f64, 0f64, 0f64, 0f64, 0usize);
    for (it, &p) in items.iter().zip(preds.iter()) {
        let gold_pos = match format {
            Format::Vader => {
                if it.gold.abs() < 0.05 {
                    continue;
                }
                it.gold > 0.0
            }
            Format::Csv => it.gold > 0.0,
        };
        nb += 1;
        // Predicted class: None = no decision (vader: zero score counts as wrong).
        let pred_pos = match format {
            Format::Vader => {
                if p > 0.0 {
                    Some(true)
                } else if p < 0.0 {
                    Some(false)
                } else {
                    None
                }
            }
            Format::Csv => Some(p > 0.0),
        };
        match (gold_pos, pred_pos) {
            (true, Some(true)) => tp_p += 1.0,
            (false, Some(false)) => tp_n += 1.0,
            (true, Some(false)) => {
                fn_p += 1.0;
                fp_n += 1.0;
            }
            (false, Some(true)) => {
                fn_n += 1.0;
                fp_p += 1.0;
            }
            (true, None) => fn_p += 1.0,
            (false, None) => fn_n += 1.0,
        }
    }
    let f1 = |tp: f64, fp: f64, fneg: f64| {
        if tp == 0.0 {
            0.0
        } else {
            2.0 * tp / (2.0 * tp + fp + fneg)
        }
    };
    Metrics {
        n,
        n_binary: nb,
        pearson,
        accuracy: if nb == 0 {
            0.0
        } else {
            (tp_p + tp_n) / nb as f64
        },
        macro_f1: (f1(tp_p, fp_p, fn_p) + f1(tp_n, fp_n, fn_n)) / 2.0,
        coverage: if n == 0 {
            0.0
        } else {
            covered as f64 / n as f64
        },
    }
}

pub(super) fn pearson(a: impl Iterator<Item = f64>, b: impl Iterator<Item = f64>, n: usize) -> f64 {
    let (mut sa, mut sb, mut saa, mut sbb, mut sab) = (0f64, 0f64, 0f64, 0f64, 0f64);
    for (x, y) in a.zip(b).take(n) {
        sa += x;
        sb += y;
        saa += x * x;
        sbb += y * y;
        sab += x * y;
    }
    let nf = n as f64;
    let cov = sab - sa * sb / nf;
    let va = saa - sa * sa / nf;
    let vb = sbb - sb * sb / nf;
    if n < 2 || va <= 0.0 || vb <= 0.0 {
        0.0
    } else {
        cov / (va * vb).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_labels() {
        let t = "label,review\n1,\"好,很好\"\"真的\"\"\"\n0,差\n-,bad\n";
        let items = parse_items(t, Format::Csv, "x").unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].text, "好,很好\"真的\"");
        assert_eq!(items[0].gold, 1.0);
        assert_eq!(items[2].gold, -1.0);
    }

    #[test]
    fn metrics_rules() {
        let items = vec![
            Item {
                text: String::new(),
                gold: 2.0,
            },
            Item {
                text: String::new(),
                gold: -1.0,
            },
            Item {
                text: String::new(),
                gold: 0.01,
            },
            Item {
                text: String::new(),
                gold: 1.0,
            },
        ];
        let m = metrics(&items, &[0.5, -0.5, 0.9, 0.0], Format::Vader, 3);
        assert_eq!(m.n_binary, 3);
        assert!((m.accuracy - 2.0 / 3.0).abs() < 1e-9); // zero counts as wrong
        assert!(m.pearson.is_some());
        let bad = parse_items("1\tx\ttext\n", Format::Vader, "f.txt").unwrap_err();
        assert!(bad.to_string().contains("f.txt:1"));
    }
}
