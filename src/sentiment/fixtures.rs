//! Shared by the sentiment tests: the shipped model and the default tokenizer, each
//! built once per test binary.

use super::SentimentModel;
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
