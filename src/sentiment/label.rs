//! The sentiment label of a score: positive at or above +0.05, negative at or below
//! −0.05, neutral between (VADER's conventional band on the compound score). The one
//! place the rule is written.
//!
//! ```
//! use duibi::sentiment::Label;
//! assert_eq!(Label::of(0.05), Label::Pos);
//! assert_eq!(Label::of(-0.3), Label::Neg);
//! assert_eq!(Label::of(0.049), Label::Neu);
//! assert_eq!(Label::Neg.as_str(), "neg");
//! assert_eq!("pos".parse::<Label>(), Ok(Label::Pos));
//! ```

use serde::{Deserialize, Serialize};

/// Lowest score labelled positive; its negation is the highest labelled negative.
pub const LABEL_THRESHOLD: f32 = 0.05;

/// Sentence or document label: compound score ≥ 0.05 positive, ≤ −0.05 negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    /// Positive.
    Pos,
    /// Negative.
    Neg,
    /// Neutral (or no sentiment found).
    Neu,
}

impl Label {
    /// Label of a normalized score: `s ≥ 0.05` positive, `s ≤ −0.05` negative, neutral
    /// otherwise (also for NaN).
    #[inline]
    pub fn of(s: f32) -> Label {
        if s >= LABEL_THRESHOLD {
            Label::Pos
        } else if s <= -LABEL_THRESHOLD {
            Label::Neg
        } else {
            Label::Neu
        }
    }

    /// The serialized form: `pos`, `neg` or `neu`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Pos => "pos",
            Label::Neg => "neg",
            Label::Neu => "neu",
        }
    }

    /// +1 positive, −1 negative, 0 neutral.
    pub fn sign(self) -> i8 {
        match self {
            Label::Pos => 1,
            Label::Neg => -1,
            Label::Neu => 0,
        }
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not `pos`, `neg` or `neu`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown sentiment label {0:?} (expected pos, neg or neu)")]
pub struct ParseLabelError(pub String);

impl std::str::FromStr for Label {
    type Err = ParseLabelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pos" => Ok(Label::Pos),
            "neg" => Ok(Label::Neg),
            "neu" => Ok(Label::Neu),
            _ => Err(ParseLabelError(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_edges_and_round_trip() {
        for (s, l) in [
            (0.05, Label::Pos),
            (-0.05, Label::Neg),
            (0.0499, Label::Neu),
            (-0.0499, Label::Neu),
            (f32::NAN, Label::Neu),
            (1.0, Label::Pos),
        ] {
            assert_eq!(Label::of(s), l, "{s}");
        }
        for l in [Label::Pos, Label::Neg, Label::Neu] {
            assert_eq!(l.as_str().parse::<Label>(), Ok(l));
            assert_eq!(serde_json::to_string(&l).unwrap(), format!("\"{l}\""));
        }
        assert!("positive".parse::<Label>().is_err());
    }

    #[test]
    fn f32_band_equals_the_f64_band_on_f32_scores() {
        // The report labelled documents with `score as f64` against 0.05 in f64; on f32
        // scores the f32 band gives the same label.
        let mut x = 0.04f32;
        while x < 0.06 {
            for s in [x, -x] {
                let f64_rule = if s as f64 >= 0.05 {
                    Label::Pos
                } else if s as f64 <= -0.05 {
                    Label::Neg
                } else {
                    Label::Neu
                };
                assert_eq!(Label::of(s), f64_rule, "{s}");
            }
            x = f32::from_bits(x.to_bits() + 1);
        }
    }
}
