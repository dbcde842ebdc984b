//! Shared by the sentiment tests: the shipped model and the default tokenizer, each
//! built once per test binary.

use super::{SentimentModel, TermHit};
use crate::tokenize::Tokenizer;
use std::sync::OnceLock;

/// The model with the shipped lexicons and default settings.
pub(super) fn model() -> &'static SentimentModel {
    static M: OnceLock<SentimentModel> = OnceLock::new();
    M.get_or_init(|| {
        SentimentModel::builder()
            .build()
            .expect("shipped lexicons load")
    })
}

/// The default tokenizer.
pub(super) fn tok() -> &'static Tokenizer {
    static T: OnceLock<Tokenizer> = OnceLock::new();
    T.get_or_init(|| Tokenizer::builder().build().expect("tokenizer builds"))
}

/// Every lexicon hit of `text` under `m`, in text order, with its matched text
/// lowercased.
pub(super) fn term_hits(m: &SentimentModel, text: &str) -> Vec<(String, TermHit)> {
    let (norm, buf) = tok().tokenize(text);
    let doc = m.score_document(&norm, &buf);
    doc.sentences
        .into_iter()
        .flat_map(|s| s.terms)
        .map(|h| (norm[h.start as usize..h.end as usize].to_lowercase(), h))
        .collect()
}

/// The document score of `text` under the shipped model.
pub(super) fn score(text: &str) -> f32 {
    model().score_text(tok(), text).score
}

/// The matched terms of `text` under the shipped model, in text order.
pub(super) fn terms(text: &str) -> Vec<String> {
    term_hits(model(), text)
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

/// Polarity by the ±0.05 band of `duibi eval crosslingual`.
pub(super) fn polarity(s: f32) -> i8 {
    if s > 0.05 {
        1
    } else if s < -0.05 {
        -1
    } else {
        0
    }
}

/// Asserts that `zh` and its translation `en` both have polarity `p` (see [`polarity`]),
/// naming the matched terms of the side that fails.
pub(super) fn assert_pair(zh: &str, en: &str, p: i8) {
    assert_eq!(polarity(score(zh)), p, "{zh}: {:?}", terms(zh));
    assert_eq!(polarity(score(en)), p, "{en}: {:?}", terms(en));
}

/// [`assert_pair`] for each (Chinese, English) pair of `pairs`.
pub(super) fn assert_pairs(pairs: &[(&str, &str)], p: i8) {
    for &(zh, en) in pairs {
        assert_pair(zh, en, p);
    }
}
