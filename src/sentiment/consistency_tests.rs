//! Tests of the cross-language consistency work (issue 15): length-independent document
//! scores, the scale map, compounds, negation across measure words, commentary senses.

use super::fixtures::{model, tok};
use super::*;

fn score(s: &str) -> f32 {
    model().score_text(tok(), s).score
}

#[test]
fn document_score_does_not_grow_with_length() {
    for text in [
        "The rollout was slow and a bit disappointing. Some users were annoyed. Support answered.",
        "矿场关停让矿工有些失望。电价上涨，利润下降。",
        "Prices fell and traders were worried. 市场有点担忧。",
    ] {
        let one = score(text);
        assert!(one.abs() > 0.05, "{text}: {one}");
        for k in [4, 16] {
            let long = vec![text; k].join(" ");
            let s = score(&long);
            assert!((s - one).abs() < 0.1, "{text} ×{k}: {s} vs {one}");
        }
    }
    // A text with one matching sentence, repeated, scores as the text once: a repeated
    // sentence is counted once (it grew to the two-sentence compound before).
    for text in [
        "Prices fell. 市场有点担忧。",
        "The outlook is a bit disappointing.",
    ] {
        let one = score(text);
        assert!(one.abs() > 0.05, "{text}: {one}");
        for k in [2, 4, 16] {
            let s = score(&vec![text; k].join(" "));
            assert!((s - one).abs() < 1e-6, "{text} ×{k}: {s} vs {one}");
        }
    }
    // Distinct sentences still add up to two: "Bad. Bad." is one sentence's worth,
    // "Bad. Awful." two.
    let (same, two) = (
        score("It was bad. It was bad."),
        score("It was bad. It was awful."),
    );
    assert!(two < same && same < 0.0, "{same} {two}");
}

#[test]
fn document_score_is_the_sum_up_to_two_sentences_then_the_scaled_mean() {
    let norm = |x: f32| x / (x * x + 15.0).sqrt();
    // Two sentences with a match: the summed compound (VADER's, as tweets are rated).
    let d = model().score_text(tok(), "Great news. Good news.");
    assert!((d.score - norm(d.raw)).abs() < 1e-6, "{d:?}");
    // Three: the mean raw sum times config::DOC_SCORE_SENTENCES.
    let d = model().score_text(tok(), "Great news. Terrible news. Awful, awful news.");
    let hit = d.sentences.iter().filter(|s| !s.terms.is_empty()).count() as f32;
    assert_eq!(hit, 3.0);
    let m = d.raw / hit * crate::config::DOC_SCORE_SENTENCES;
    assert!((d.score - norm(m)).abs() < 1e-6, "{d:?}");
    assert_eq!(d.score < 0.0, d.raw < 0.0);
}

#[test]
fn scale_map_changes_only_chinese_and_can_be_turned_off() {
    let map = ScaleMap::chinese(2.0, 0.5);
    let on = SentimentModel::builder().scale_map(map).build().unwrap();
    let off = SentimentModel::builder()
        .scale_map(ScaleMap::identity())
        .build()
        .unwrap();
    let (zh_on, zh_off) = (
        on.score_text(tok(), "很好。"),
        off.score_text(tok(), "很好。"),
    );
    assert!(
        (zh_on.raw - 2.0 * zh_off.raw).abs() < 1e-4,
        "{zh_on:?} {zh_off:?}"
    );
    let neg = |m: &SentimentModel| m.score_text(tok(), "很糟糕。").raw;
    assert!((neg(&on) - 0.5 * neg(&off)).abs() < 1e-4);
    let en = |m: &SentimentModel| m.score_text(tok(), "Very good.").raw;
    assert_eq!(en(&on), en(&off));
    assert!(ScaleMap::identity().describe() == "none");
    assert!(ScaleMap::fitted().describe().contains("Tatoeba"));
    assert_eq!(ScaleMap::chinese(f32::NAN, -1.0), ScaleMap::identity());
}

#[test]
fn compounds_and_negation_across_measure_words() {
    assert!(score("这是好消息") > 0.05);
    assert!(score("这并不是一个好消息") < -0.05);
    assert!(score("投资者对市场充满信心") > 0.05);
}

#[test]
fn commentary_words_that_are_not_opinions() {
    for w in ["大户", "当然", "科普"] {
        assert_eq!(score(w), 0.0, "{w}");
    }
    // A feature, not approval; a political rally is not good news.
    assert!(score("The wallet supports Lightning payments.") < 0.15);
    assert!(score("A rally in the capital.") < 0.2);
    assert!(score("Bitcoin hit all-time highs.") > 0.05);
}

#[test]
fn zero_in_an_extending_lexicon_removes_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.tsv");
    std::fs::write(&p, "good\t0\n").unwrap();
    let m = SentimentModel::builder()
        .lexicon_file(&p, Mode::Extend)
        .build()
        .unwrap();
    let d = m.score_text(tok(), "good");
    assert_eq!(d.score, 0.0);
    assert!(d.sentences[0].terms.is_empty());
}

#[test]
fn like_counts_only_as_a_verb() {
    assert!(score("I like the new rules.") > 0.05);
    assert!(score("Like it!") > 0.05);
    assert!(score("I don't like the new rules.") < -0.05);
    // Not a verb: a faint lean inside the neutral band (config::NON_VERB_WEIGHT).
    for t in ["It looks like rain.", "Countries like China mine bitcoin."] {
        let d = model().score_text(tok(), t);
        assert!(d.score > 0.0 && d.score < 0.05, "{t}: {d:?}");
        assert_eq!(d.label, Label::Neu, "{t}");
    }
    // A verb at the end of a sentence or before `to`.
    assert!(score("Me like.") > 0.3);
    assert!(score("Cats like to sleep.") > 0.3);
}

#[test]
fn news_senses_and_names_are_not_opinions() {
    // English: a political party, United Nations, the Security Council, "each", a surname;
    // `routes` is not a rout.
    for t in [
        "The party met.",
        "The United Nations met.",
        "The Security Council met.",
        "They met respectively.",
        "Mr Fu met them.",
        "Two new routes.",
    ] {
        assert_eq!(score(t), 0.0, "{t}");
    }
    // Chinese: `neutral` words the decomposition or the character back-off scored
    // (太空 = 太 "too" + 空 "empty", 爱尔兰 holds 爱 "love"), and projected entries
    // whose news sense is neutral.
    for t in ["太空", "爱尔兰", "有限公司", "强调"] {
        assert_eq!(score(t), 0.0, "{t}");
    }
    // The fallbacks still work on other words.
    assert!(score("太贵") < -0.05);
}
