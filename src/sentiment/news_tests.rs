//! Tests of the news and commentary senses (`data/lexicons/news-senses.tsv`) and of the
//! weak-single-hit rule (issue 15, round 3): both act alike in Chinese and English.

use super::fixtures::{model, term_hits, tok};
use super::*;
use crate::config;
use std::sync::OnceLock;

fn without_senses() -> &'static SentimentModel {
    static M: OnceLock<SentimentModel> = OnceLock::new();
    M.get_or_init(|| {
        SentimentModel::builder()
            .news_senses(false)
            .build()
            .expect("model builds")
    })
}

/// The valences of the hits of `text` under `m`, by matched term.
fn hits(m: &SentimentModel, text: &str) -> Vec<(String, f32)> {
    term_hits(m, text)
        .into_iter()
        .map(|(t, h)| (t, h.valence))
        .collect()
}

/// Asserts that `word` is matched in `text` by the model without the news senses and
/// that the shipped model (senses on) no longer matches it.
fn assert_sense_removes(text: &str, word: &str) {
    let before = hits(without_senses(), text);
    assert!(
        before.iter().any(|(t, _)| t == word),
        "{text}: {word} should score without the senses: {before:?}"
    );
    let after = hits(model(), text);
    assert!(
        !after.iter().any(|(t, _)| t == word),
        "{text}: {word} still scores: {after:?}"
    );
}

#[test]
fn function_senses_lose_their_valence_in_both_languages() {
    for (text, word) in [
        ("A number of firms attended.", "number"),
        ("The certain outcome surprised them.", "certain"),
        // Not re-scored by the suffix fallback as `share` + `-d`.
        ("They shared the data with the authorities.", "shared"),
        ("他是一名专业记者。", "专业"),
        ("三艘舰艇驶入港口。", "舰艇"),
    ] {
        assert_sense_removes(text, word);
    }
    // An opinion word next to them still counts.
    assert!(model().score_text(tok(), "专业的服务，非常满意。").score > 0.3);
}

#[test]
fn topic_nouns_count_the_topic_weight_in_both_languages() {
    for (text, word) in [
        // (emergency and 隔离 carry no valence since session 7: none senses.)
        ("The disaster was declared on Monday.", "disaster"),
        ("Poverty is a topic of the report.", "poverty"),
        ("城市发生火灾。", "火灾"),
        ("他们生活贫困。", "贫困"),
        // Round 19: holidays, as festivals.
        (
            "People currently on holiday in Spain were advised to return.",
            "holiday",
        ),
        ("由于当天是假日，学校都关闭了。", "假日"),
    ] {
        let find = |m| {
            hits(m, text)
                .into_iter()
                .find(|(t, _)| t == word)
                .map(|(_, v)| v)
        };
        let (Some(full), Some(damped)) = (find(without_senses()), find(model())) else {
            panic!("{text}: {word} not matched");
        };
        assert!(full.abs() >= 0.5, "{text}: {full}");
        assert!(
            (damped - full * config::TOPIC_WEIGHT).abs() < 1e-5,
            "{text}: {damped} vs {full} × {}",
            config::TOPIC_WEIGHT
        );
    }
}

#[test]
fn a_weak_single_hit_is_neutral_but_keeps_its_sign() {
    // One mild word: inside the ±0.05 band, sign kept (labels by sign do not change).
    for (text, positive) in [("They reached the town.", true), ("价格一般。", false)] {
        let s = model().score_text(tok(), text);
        assert_eq!(s.sentences.len(), 1, "{text}");
        let v = s.sentences[0].score;
        assert!(v.abs() <= 0.05 && v != 0.0, "{text}: {v}");
        assert_eq!(v > 0.0, positive, "{text}: {v}");
        assert_eq!(s.label, Label::Neu, "{text}");
    }
    // Two weak hits, or one strong one, are not weak evidence.
    for text in ["味道一般，价格一般。", "The town was great."] {
        let v = model().score_text(tok(), text).score;
        assert!(v.abs() > 0.05, "{text}: {v}");
    }
    // The rule alone, on hits.
    let hit = |score: f32| TermHit {
        start: 0,
        end: 1,
        valence: score,
        score,
        negated: 0,
        degree: 0.0,
        caps: false,
        contrast_weight: 1.0,
        lang: crate::lang::Lang::En,
    };
    let mut one = [hit(0.5)];
    rules::damp_weak_single(&mut one);
    assert!((one[0].score - 0.5 * config::WEAK_HIT_WEIGHT).abs() < 1e-6);
    let mut strong = [hit(-1.5)];
    rules::damp_weak_single(&mut strong);
    assert_eq!(strong[0].score, -1.5);
    let mut two = [hit(0.5), hit(0.4)];
    rules::damp_weak_single(&mut two);
    assert_eq!((two[0].score, two[1].score), (0.5, 0.4));
}

#[test]
fn the_sense_file_names_the_line_of_a_bad_kind() {
    let mut zh = LangResources::new(LangParams::chinese());
    let mut en = LangResources::new(LangParams::english());
    let err = lexicon::apply_senses(&mut zh, &mut en, "# c\nnone\tnumber\nmaybe\tx\n", "f", 0.5)
        .expect_err("unknown kind");
    assert!(err.to_string().contains("f:3"), "{err}");
    assert!(en.neutral.contains("number"));
}

/// Round 19: words of size and degree say how large a thing is, not whether it is good.
/// A sentence and its translation stay neutral alike ("a huge challenge" had `huge`'s
/// +1.3 while 巨大的挑战 had nothing), and the opinion word they measure still counts.
#[test]
fn size_words_carry_no_valence_in_either_language() {
    for (text, word) in [
        ("Any hurricane is a huge challenge.", "huge"),
        (
            "The decision will have a significant impact on tourism.",
            "significant",
        ),
        (
            "Both figures are likely to be significantly smaller this year.",
            "significantly",
        ),
        (
            "It was the first quake of a magnitude greater than 9.",
            "greater",
        ),
        ("He lives in Greater Manchester.", "greater"),
        ("治疗取得了显著的变化。", "显著"),
    ] {
        assert_sense_removes(text, word);
        let s = model().score_text(tok(), text);
        assert!(
            s.score.abs() <= 0.05,
            "{text}: a size word alone should leave the sentence neutral: {s:?}"
        );
    }
    for (en, zh) in [
        (
            "Any hurricane is a huge challenge.",
            "任何飓风都是一个巨大的挑战。",
        ),
        (
            "The UK's decision will have a significant impact.",
            "英国的这一决定将产生显著影响。",
        ),
    ] {
        let (e, z) = (model().score_text(tok(), en), model().score_text(tok(), zh));
        assert!(
            e.score.abs() <= 0.05 && z.score.abs() <= 0.05,
            "{en} = {e:?} / {zh} = {z:?}: both should be neutral"
        );
    }
    // The thing measured keeps its own valence.
    assert!(model().score_text(tok(), "We made a huge mistake.").score < -0.3);
    assert!(model().score_text(tok(), "这是一个显著的进步。").score > 0.3);
}
