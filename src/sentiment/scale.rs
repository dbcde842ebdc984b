//! One scale for both languages: a per-language, per-sign linear map of a sentence's
//! raw sum, fitted on parallel text, so that a Chinese sentence and its English
//! translation land on the same score scale.
//!
//! The map multiplies a sentence's raw sum (lexicon contributions plus emphasis, before
//! the `x / sqrt(x² + α)` normalization) by one factor when it is positive and another
//! when it is negative. English is the reference (factors 1); the Chinese factors are
//! [`config::ZH_SCALE_POS`] and [`config::ZH_SCALE_NEG`], fitted on the Tatoeba
//! Chinese–English pairs by `tools/lexicon/fit_scale.py` (see its README). The map is
//! monotone and keeps the sign, so it never turns a positive sentence negative; it
//! changes magnitudes, the mean and which weak sentences fall in the ±0.05 neutral band.
//!
//! ```
//! use duibi::sentiment::{ScaleMap, SentimentModel};
//! use duibi::lang::Lang;
//! let on = ScaleMap::fitted();
//! assert_eq!(on.apply(Lang::En, 2.0), 2.0);
//! assert!(on.apply(Lang::Zh, 2.0) > 0.0 && on.apply(Lang::Zh, -2.0) < 0.0);
//! assert_eq!(ScaleMap::identity().apply(Lang::Zh, 2.0), 2.0);
//! let m = SentimentModel::builder().scale_map(ScaleMap::identity()).build().unwrap();
//! assert_eq!(m.scale_map(), ScaleMap::identity());
//! ```

use crate::config;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// Per-language factors of a sentence's raw sum: `[zh, en, other]` × `(positive,
/// negative)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScaleMap {
    factors: [(f32, f32); 3],
}

impl ScaleMap {
    /// No mapping: every factor 1.
    pub fn identity() -> Self {
        ScaleMap {
            factors: [(1.0, 1.0); 3],
        }
    }

    /// The shipped map: Chinese onto the English scale with the factors of
    /// [`config::ZH_SCALE_POS`] and [`config::ZH_SCALE_NEG`].
    pub fn fitted() -> Self {
        ScaleMap {
            factors: [
                (config::ZH_SCALE_POS, config::ZH_SCALE_NEG),
                (1.0, 1.0),
                (1.0, 1.0),
            ],
        }
    }

    /// A map with the given Chinese factors (positive, negative); English and other
    /// languages unchanged. Factors must be finite and positive, else 1 is used.
    pub fn chinese(pos: f32, neg: f32) -> Self {
        let ok = |f: f32| if f.is_finite() && f > 0.0 { f } else { 1.0 };
        ScaleMap {
            factors: [(ok(pos), ok(neg)), (1.0, 1.0), (1.0, 1.0)],
        }
    }

    /// True when every factor is 1.
    pub fn is_identity(&self) -> bool {
        *self == Self::identity()
    }

    /// The raw sum `raw` of a sentence in `lang`, mapped.
    #[inline]
    pub fn apply(&self, lang: Lang, raw: f32) -> f32 {
        self.apply_idx(super::engine::lang_index(lang), raw)
    }

    #[inline]
    pub(super) fn apply_idx(&self, idx: u8, raw: f32) -> f32 {
        let (p, n) = self.factors[usize::from(idx.min(2))];
        if raw > 0.0 {
            raw * p
        } else {
            raw * n
        }
    }

    /// How the report's settings name this map.
    pub fn describe(&self) -> String {
        if self.is_identity() {
            "none".into()
        } else {
            let (p, n) = self.factors[0];
            format!(
                "zh sentence raw sums onto the English scale: positive ×{p}, negative ×{n} (fitted on Tatoeba zh–en pairs)"
            )
        }
    }
}

impl Default for ScaleMap {
    fn default() -> Self {
        if config::SCALE_MAP {
            Self::fitted()
        } else {
            Self::identity()
        }
    }
}
