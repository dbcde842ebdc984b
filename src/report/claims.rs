//! When a view may call out a difference: one rule per kind of record, said once here,
//! so the terminal summary, the HTML "in brief" and the tables all apply the same one.
//!
//! A difference is called out ([`Verdict::Clear`]) only when
//! 1. both sides have enough resampling units for an interval to mean anything
//!    ([`MIN_RESAMPLING_UNITS`]; with fewer, views show the interval as "n/a"),
//! 2. both sides have enough support (sentences for a tone, units mentioning a concept
//!    for a rate, documents for a term: [`MIN_TONE_SENTENCES`], [`MIN_TONE_UNITS`],
//!    [`MIN_RATE_UNITS`], [`MIN_TERM_DOCS`]),
//! 3. the interval of the difference excludes 0, and
//! 4. its multiple-testing adjusted p is below the comparison's `alpha`, and
//! 5. for a difference of the whole text's sentiment between groups whose language
//!    mixes differ by more than [`LANGUAGE_MIX_GAP`] ([`language_mix_distance`]), a
//!    per-language row of the same measure carries it: called out itself, with the
//!    same sign ([`Report::sentiment_verdict`]). Otherwise the Chinese and English
//!    lexicons' own difference could be the whole finding. A concept's tone has no
//!    per-language rows, so between such groups it is not called out at all
//!    ([`Report::tone_verdict`]).
//!
//! The interval and the p of a row come from the same resampling unit (the row's
//! `resampling_unit`, else the comparison's). Tables may list weaker rows, marked with
//! their [`Verdict`] and their counts.
//!
//! ```
//! use duibi::report::{interval_informative, Verdict};
//! assert!(!interval_informative(1)); // one author: a zero-width interval
//! assert!(interval_informative(12));
//! assert_eq!(Verdict::FewUnits { units: 1 }.to_string(), "n/a: 1 unit");
//! assert!(Verdict::Clear.is_clear());
//! ```

use super::{
    ConceptCompareRecord, KeynessRecord, Report, ResamplingUnit, SentimentDiffRecord,
    SentimentMeasure,
};
use crate::config::{
    LANGUAGE_MIX_GAP, MIN_RATE_UNITS, MIN_RESAMPLING_UNITS, MIN_TERM_DOCS, MIN_TONE_SENTENCES,
    MIN_TONE_UNITS,
};
use crate::lang::Lang;

/// Whether an interval over `units` resampling units is informative (at least
/// [`MIN_RESAMPLING_UNITS`]); views show the others as "n/a". 0 means the count was
/// not recorded (reports before 2.1.0): such intervals are shown as those reports'
/// views showed them (a group with no unit at all has no estimate to show).
pub fn interval_informative(units: u64) -> bool {
    units == 0 || units >= MIN_RESAMPLING_UNITS
}

/// Whether a view may call out a difference, and if not, the first reason why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Called out: enough units and support, interval excludes 0, adjusted p < alpha.
    Clear,
    /// A side has fewer than [`MIN_RESAMPLING_UNITS`] units (the fewer of the two).
    FewUnits {
        /// Units of the smaller side.
        units: u64,
    },
    /// A side has too few sentences, or sentences from too few units
    /// ([`MIN_TONE_SENTENCES`], [`MIN_TONE_UNITS`]).
    FewSentences,
    /// The side that mentions a concept more does so in fewer than
    /// [`MIN_RATE_UNITS`] units.
    FewMentions,
    /// The favoured side has a term in fewer than [`MIN_TERM_DOCS`] documents.
    FewDocuments,
    /// The interval of the difference includes 0.
    SpansZero,
    /// The adjusted p is not below alpha (or was not computed).
    NotSignificant,
    /// A difference of tone between groups whose language mixes differ by more than
    /// [`LANGUAGE_MIX_GAP`] that no per-language row carries (a concept's tone has
    /// none).
    LanguageMix,
}

impl Verdict {
    /// Whether the difference is called out.
    pub fn is_clear(self) -> bool {
        self == Verdict::Clear
    }

    /// The first failed condition of the rule, in the module's order (`units` 0: not
    /// recorded, and neither is the support: those conditions are skipped).
    fn of(units: u64, supported: Option<Verdict>, excludes_0: bool, p: f64, alpha: f64) -> Self {
        let supported = if units == 0 { None } else { supported };
        if !interval_informative(units) {
            Verdict::FewUnits { units }
        } else if let Some(v) = supported {
            v
        } else if !excludes_0 {
            Verdict::SpansZero
        } else if p.partial_cmp(&alpha) != Some(std::cmp::Ordering::Less) {
            Verdict::NotSignificant
        } else {
            Verdict::Clear
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Clear => f.write_str("clear"),
            Verdict::FewUnits { units: 1 } => f.write_str("n/a: 1 unit"),
            Verdict::FewUnits { units } => write!(f, "n/a: {units} units"),
            Verdict::FewSentences => f.write_str("weak: few sentences"),
            Verdict::FewMentions => f.write_str("weak: mentioned by few units"),
            Verdict::FewDocuments => f.write_str("weak: in few documents"),
            Verdict::SpansZero => f.write_str("weak: interval includes 0"),
            Verdict::NotSignificant => f.write_str("weak: adjusted p not below alpha"),
            Verdict::LanguageMix => {
                f.write_str("weak: the groups' languages differ and no per-language row carries it")
            }
        }
    }
}

impl Report {
    /// What the intervals of `group` (its documents in `lang`, or all of them)
    /// resample: each side of a comparison resamples its own units, and the views name
    /// them per side. `None` when the report has no such record or predates the field.
    pub fn resampling_unit_of(
        &self,
        group: &str,
        lang: Option<crate::lang::Lang>,
    ) -> Option<ResamplingUnit> {
        match lang {
            None => self
                .sentiment
                .iter()
                .find(|s| s.group == group)
                .and_then(|s| s.resampling_unit),
            Some(l) => self
                .sentiment_by_lang
                .iter()
                .find(|s| s.group == group && s.lang == l)
                .map(|s| s.resampling_unit),
        }
    }
}

/// How far apart two groups' language mixes are: half the sum over languages of the
/// difference of their token shares (`(language, share)` pairs; a language missing
/// from one side has share 0 there). 0 when the groups write alike, 1 when they share
/// no language; for groups writing only Chinese and English it is the difference of
/// their Chinese shares.
///
/// ```
/// use duibi::lang::Lang;
/// use duibi::report::language_mix_distance;
/// let domestic = [(Lang::Zh, 0.75), (Lang::En, 0.25)];
/// let overseas = [(Lang::Zh, 0.29), (Lang::En, 0.71)];
/// assert!((language_mix_distance(&domestic, &overseas) - 0.46).abs() < 1e-9);
/// assert_eq!(language_mix_distance(&domestic, &domestic), 0.0);
/// assert_eq!(language_mix_distance(&[(Lang::Zh, 1.0)], &[(Lang::En, 1.0)]), 1.0);
/// ```
pub fn language_mix_distance(a: &[(Lang, f64)], b: &[(Lang, f64)]) -> f64 {
    let share = |side: &[(Lang, f64)], l: Lang| -> f64 {
        side.iter().filter(|(x, _)| *x == l).map(|(_, s)| s).sum()
    };
    let mut langs: Vec<Lang> = a.iter().chain(b).map(|(l, _)| *l).collect();
    langs.sort();
    langs.dedup();
    langs
        .iter()
        .map(|&l| (share(a, l) - share(b, l)).abs())
        .sum::<f64>()
        / 2.0
}

impl Report {
    /// The token shares per language of `group`, as the corpus summary records them.
    fn language_shares(&self, group: &str) -> Vec<(Lang, f64)> {
        self.corpus
            .languages
            .iter()
            .filter(|l| l.group == group)
            .map(|l| (l.lang, l.token_share))
            .collect()
    }

    /// [`language_mix_distance`] of the compared pair (0 without a comparison).
    pub fn pair_language_mix(&self) -> f64 {
        self.comparison.as_ref().map_or(0.0, |c| {
            language_mix_distance(
                &self.language_shares(&c.group_a),
                &self.language_shares(&c.group_b),
            )
        })
    }

    /// Whether a view may call out the sentiment difference `d` of this report's
    /// comparison: [`SentimentDiffRecord::verdict`], and for a whole-text row (no
    /// `lang`) between groups whose language mixes differ by more than
    /// [`LANGUAGE_MIX_GAP`], a per-language row of the same measure that is called
    /// out with the same sign; else [`Verdict::LanguageMix`].
    pub fn sentiment_verdict(&self, d: &SentimentDiffRecord, alpha: f64) -> Verdict {
        let v = d.verdict(alpha);
        if !v.is_clear() || d.lang.is_some() || self.pair_language_mix() <= LANGUAGE_MIX_GAP {
            return v;
        }
        let carried = self.comparison.as_ref().is_some_and(|c| {
            c.sentiment_by_lang.iter().any(|l| {
                l.measure == d.measure
                    && l.lang.is_some()
                    && (l.diff > 0.0) == (d.diff > 0.0)
                    && l.verdict(alpha).is_clear()
            })
        });
        if carried {
            v
        } else {
            Verdict::LanguageMix
        }
    }

    /// Whether a view may call out the difference in a concept's tone:
    /// [`ConceptCompareRecord::tone_verdict`], and [`Verdict::LanguageMix`] instead of
    /// a clear verdict between groups whose language mixes differ by more than
    /// [`LANGUAGE_MIX_GAP`] (the tone pools each group's sentences over its languages,
    /// so the lexicons' difference is in it).
    pub fn tone_verdict(&self, k: &ConceptCompareRecord, alpha: f64) -> Verdict {
        match k.tone_verdict(alpha) {
            Verdict::Clear if self.pair_language_mix() > LANGUAGE_MIX_GAP => Verdict::LanguageMix,
            v => v,
        }
    }
}

/// Whether `[lo, hi]` excludes 0 (false when either bound is missing or NaN).
fn excludes_0(lo: Option<f64>, hi: Option<f64>) -> bool {
    matches!((lo, hi), (Some(lo), Some(hi)) if lo > 0.0 || hi < 0.0)
}

impl ConceptCompareRecord {
    /// Whether a view may call out a difference in the concept's rate: both groups
    /// have enough units, the side mentioning it more does so in at least
    /// [`MIN_RATE_UNITS`] units, the bootstrap interval of the rate difference
    /// excludes 0 and the adjusted p of the unit-level test is below `alpha`.
    pub fn rate_verdict(&self, alpha: f64) -> Verdict {
        let more = if self.log_ratio >= 0.0 {
            self.mention_units_a
        } else {
            self.mention_units_b
        };
        Verdict::of(
            self.units_a.min(self.units_b),
            (more < MIN_RATE_UNITS).then_some(Verdict::FewMentions),
            excludes_0(Some(self.rate_diff_lo), Some(self.rate_diff_hi)),
            self.p_adj,
            alpha,
        )
    }

    /// Whether a view may call out a difference in the rate ([`Self::rate_verdict`]).
    pub fn rate_differs(&self, alpha: f64) -> bool {
        self.rate_verdict(alpha).is_clear()
    }

    /// Whether a view may call out a difference in the tone of the sentences that
    /// mention the concept: both groups have enough units, each has at least
    /// [`MIN_TONE_SENTENCES`] such sentences from [`MIN_TONE_UNITS`] units, the
    /// interval excludes 0 and the permutation p adjusted over the concepts is below
    /// `alpha`. Views apply [`Report::tone_verdict`], which adds the rule of a
    /// language mix.
    pub fn tone_verdict(&self, alpha: f64) -> Verdict {
        let few = self.sentences_a.min(self.sentences_b) < MIN_TONE_SENTENCES
            || self.sentence_units_a.min(self.sentence_units_b) < MIN_TONE_UNITS;
        Verdict::of(
            self.units_a.min(self.units_b),
            few.then_some(Verdict::FewSentences),
            excludes_0(self.sentiment_diff_lo, self.sentiment_diff_hi),
            self.sentiment_p_adj.unwrap_or(f64::NAN),
            alpha,
        )
    }

    /// Whether a view may call out a difference in tone ([`Self::tone_verdict`]).
    pub fn tone_differs(&self, alpha: f64) -> bool {
        self.tone_verdict(alpha).is_clear()
    }
}

impl SentimentDiffRecord {
    /// Whether a view may call out this sentiment difference: both sides have at
    /// least [`MIN_RESAMPLING_UNITS`] units, the sentence mean rests on at least
    /// [`MIN_TONE_SENTENCES`] sentences a side, the interval excludes 0 and the
    /// adjusted permutation p (the unadjusted one in reports before 2.1.0) is below
    /// `alpha`. Views apply [`Report::sentiment_verdict`], which adds the rule of a
    /// language mix.
    pub fn verdict(&self, alpha: f64) -> Verdict {
        let few = self.measure == SentimentMeasure::SentenceMean
            && self.support_a.min(self.support_b) < MIN_TONE_SENTENCES;
        Verdict::of(
            self.units_a.min(self.units_b),
            few.then_some(Verdict::FewSentences),
            excludes_0(Some(self.diff_lo), Some(self.diff_hi)),
            self.p_adj.unwrap_or(self.p_permutation),
            alpha,
        )
    }

    /// Whether the difference is called out ([`Self::verdict`]).
    pub fn differs(&self, alpha: f64) -> bool {
        self.verdict(alpha).is_clear()
    }
}

impl KeynessRecord {
    /// Whether a view may call out the term as distinctive: its adjusted p is below
    /// `alpha`, its conservative Log Ratio is not 0 (the interval excludes 0) and the
    /// group it favours has it in at least [`MIN_TERM_DOCS`] documents. (Terms are
    /// tested over documents, so the unit count is the documents' and the test's
    /// degrees of freedom already count them.)
    pub fn verdict(&self, alpha: f64) -> Verdict {
        let docs = if self.log_ratio >= 0.0 {
            self.doc_freq_a
        } else {
            self.doc_freq_b
        };
        Verdict::of(
            MIN_RESAMPLING_UNITS,
            (docs < MIN_TERM_DOCS).then_some(Verdict::FewDocuments),
            self.lrc != 0.0,
            self.p_adj,
            alpha,
        )
    }

    /// Whether the term is called out ([`Self::verdict`]).
    pub fn differs(&self, alpha: f64) -> bool {
        self.verdict(alpha).is_clear()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn tone(sentences: (u64, u64), units: (u64, u64), p_adj: f64) -> ConceptCompareRecord {
        ConceptCompareRecord {
            concept: "oil".into(),
            label_en: "oil".into(),
            label_zh: "石油".into(),
            mentions_a: 20,
            mentions_b: 20,
            per_10k_a: 1.0,
            per_10k_b: 1.0,
            g2: 0.0,
            g2_p: 1.0,
            t: 0.0,
            p: 0.5,
            p_adj: 0.5,
            log_ratio: 0.0,
            lrc: 0.0,
            rate_diff_lo: -1.0,
            rate_diff_hi: 1.0,
            sentiment_diff: Some(1.46),
            sentiment_diff_lo: Some(1.2),
            sentiment_diff_hi: Some(1.7),
            sentiment_p: Some(p_adj),
            sentiment_p_adj: Some(p_adj),
            sentences_a: sentences.0,
            sentences_b: sentences.1,
            sentence_units_a: units.0,
            sentence_units_b: units.1,
            units_a: 30,
            units_b: 30,
            mention_units_a: 10,
            mention_units_b: 10,
        }
    }

    /// A tone "difference" on one sentence against one is not called out; the same
    /// difference with support is.
    #[test]
    fn tone_needs_sentences_units_and_a_low_adjusted_p() {
        assert_eq!(
            tone((1, 1), (1, 1), 0.001).tone_verdict(0.05),
            Verdict::FewSentences
        );
        assert_eq!(
            tone((40, 40), (2, 9), 0.001).tone_verdict(0.05),
            Verdict::FewSentences
        );
        assert_eq!(
            tone((40, 40), (9, 9), 0.2).tone_verdict(0.05),
            Verdict::NotSignificant
        );
        assert!(tone((40, 40), (9, 9), 0.001).tone_differs(0.05));
        let mut one_author = tone((40, 40), (9, 9), 0.001);
        one_author.units_a = 1;
        assert_eq!(
            one_author.tone_verdict(0.05),
            Verdict::FewUnits { units: 1 }
        );
    }

    #[test]
    fn a_rate_needs_mentions_from_several_units() {
        let mut r = tone((40, 40), (9, 9), 0.001);
        (r.p_adj, r.rate_diff_lo, r.rate_diff_hi, r.log_ratio) = (0.001, 0.5, 2.0, 1.5);
        assert!(r.rate_differs(0.05));
        r.mention_units_a = 2;
        assert_eq!(r.rate_verdict(0.05), Verdict::FewMentions);
        r.mention_units_a = 10;
        r.rate_diff_lo = -0.1;
        assert_eq!(r.rate_verdict(0.05), Verdict::SpansZero);
    }

    #[test]
    fn a_sentiment_difference_needs_units_on_both_sides() {
        let mut d = SentimentDiffRecord {
            measure: SentimentMeasure::SentenceMean,
            a: 0.13,
            b: 0.04,
            diff: 0.09,
            diff_lo: 0.05,
            diff_hi: 0.12,
            p_permutation: 0.61,
            p_adj: Some(0.61),
            lang: None,
            resampling_unit: None,
            units_a: 1,
            units_b: 63,
            support_a: 900,
            support_b: 800,
        };
        // One author: the interval excludes 0 only because it has zero width.
        assert_eq!(d.verdict(0.05), Verdict::FewUnits { units: 1 });
        // Reports before 2.1.0 record no units: the rest of the rule still applies.
        let mut old = d.clone();
        (old.units_a, old.units_b, old.support_a, old.p_adj) = (0, 0, 0, None);
        assert_eq!(old.verdict(0.05), Verdict::NotSignificant);
        old.p_permutation = 0.001;
        assert!(old.differs(0.05));
        d.units_a = 60;
        assert_eq!(d.verdict(0.05), Verdict::NotSignificant);
        d.p_adj = Some(0.01);
        assert!(d.differs(0.05));
        d.support_b = 2;
        assert_eq!(d.verdict(0.05), Verdict::FewSentences);
    }

    #[test]
    fn a_term_needs_documents_and_a_bound_away_from_0() {
        let mut k = KeynessRecord {
            lang: Lang::En,
            term: "binance".into(),
            favours: "a".into(),
            rank: 1,
            count_a: 60,
            count_b: 0,
            per_10k_a: 9.0,
            per_10k_b: 0.0,
            doc_freq_a: 60,
            doc_freq_b: 0,
            g2: 100.0,
            g2_p: 0.0,
            t: 9.0,
            p: 1e-9,
            p_adj: 1e-8,
            log_ratio: 6.0,
            lrc: 3.0,
            log_odds_z: 8.0,
        };
        assert!(k.differs(0.05));
        k.doc_freq_a = 2;
        assert_eq!(k.verdict(0.05), Verdict::FewDocuments);
        k.doc_freq_a = 60;
        k.lrc = 0.0;
        assert_eq!(k.verdict(0.05), Verdict::SpansZero);
    }
}
