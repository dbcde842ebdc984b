//! Tests of the Chinese coverage added in issue 15, round 4: the compound back-off (a
//! Han token jieba cut as one word that is two words, one of them scored, takes that
//! word's valence), the entries fitted on Tatoeba (`zh-parallel-fit.tsv`) and 希望
//! "hope" scored like English `hope` instead of marking an irrealis clause. Round 5:
//! 美 "beautiful" only as a predicate (elsewhere it is the US), the session-7 news
//! senses in both languages, two-word function phrases (`with respect to`) and the
//! Chinese words valued by their English equivalent (`zh-equivalents.tsv`).

use super::fixtures::{model, tok};

/// The document score of `text` under the shipped model.
fn score(text: &str) -> f32 {
    let (norm, buf) = tok().tokenize(text);
    model().score_document(&norm, &buf).score
}

/// The tokens of `text`, so each case shows that jieba keeps the compound whole.
fn tokens(text: &str) -> Vec<String> {
    let (_, buf) = tok().tokenize(text);
    buf.iter().map(|(_, term)| term.to_string()).collect()
}

#[test]
fn compound_tokens_take_the_valence_of_their_scored_word() {
    for (text, compound, sign) in [
        ("工会积极参与疫情防控工作。", "积极参与", 1.0f32),
        ("前台态度恶劣。", "态度恶劣", -1.0),
    ] {
        assert!(
            tokens(text).iter().any(|t| t == compound),
            "jieba keeps {compound} whole: {:?}",
            tokens(text)
        );
        let s = score(text);
        assert!(s * sign > 0.05, "{text}: {s}");
    }
}

#[test]
fn compound_back_off_leaves_neutral_doubled_and_mixed_words_alone() {
    let li = super::engine::lang_index(crate::lang::Lang::Zh);
    let m = model();
    let (r, idx) = (m.res(li).expect("Chinese resources"), &m.idx[li as usize]);
    let look = |t: &str| super::morphology::compound_lookup(r, idx, t);
    // The scored part gives the value, whichever side it is on.
    assert_eq!(look("积极参与"), idx.valence("积极"));
    assert_eq!(look("态度恶劣"), idx.valence("恶劣"));
    // Too short for two words of two characters, or a negating character inside.
    assert_eq!(look("卫生间"), None);
    assert_eq!(look("不太满意"), None);
    // A doubled character is not a word of its own (清清楚楚 is not 清清 + 楚楚); since
    // session 12 the AABB form takes its base word's value (清楚).
    assert_eq!(look("清清楚楚"), idx.valence("清楚"));
    // Parts that disagree in sign cancel the guess.
    assert!(
        idx.valence("垃圾").is_some_and(|v| v < 0.0)
            && idx.valence("美味").is_some_and(|v| v > 0.0)
    );
    assert_eq!(look("美味垃圾"), None);
    // Non-Han text is not split.
    assert_eq!(look("good news"), None);
    // A `none` news sense is neutral: 有限公司 "Co., Ltd." is not 有限 "limited" + 公司.
    assert_eq!(look("有限公司"), None);
    assert_eq!(score("华为技术有限公司发布公告。"), 0.0);
}

#[test]
fn fitted_entries_score_words_their_translations_score() {
    // 哭 "cry", 死 "die", 笑 "laugh", 偷 "steal" had no valence; their
    // English translations do, so a sentence and its translation disagreed.
    for (zh, en) in [
        ("他哭了。", "He cried."),
        ("那条狗死了。", "The dog died."),
        ("孩子们都笑了。", "The children all laughed."),
        ("他偷了我的钱。", "He stole my money."),
    ] {
        let (z, e) = (score(zh), score(en));
        assert!(z.abs() > 0.05 && z * e > 0.0, "{zh} {z} vs {en} {e}");
    }
}

#[test]
fn hope_is_scored_in_both_languages() {
    // 希望 was an irrealis marker with no valence of its own, while English `hope`
    // scores: a hope with nothing else scored was neutral in Chinese only.
    let (z, e) = (
        score("希望水早点退吧。"),
        score("I hope the water recedes soon."),
    );
    assert!(z > 0.05 && e > 0.05, "{z} vs {e}");
}

#[test]
fn single_mei_is_the_united_states_unless_it_is_a_predicate() {
    // 美 opening a sentence or before a noun is the US, not "beautiful": no valence.
    assert_eq!(score("美将对华加征关税。"), 0.0);
    assert_eq!(score("对美出口增加。"), score("对日出口增加。"));
    // After a degree or linking word, or closing the sentence, it is "beautiful".
    for text in ["这里的风景很美。", "她长得美。", "这里风景美。"] {
        assert!(score(text) > 0.05, "{text}: {}", score(text));
    }
    // English verb-sense words still count opening a sentence ("Like it!").
    assert!(score("Like it!") > 0.05);
}

#[test]
fn session7_news_senses_carry_no_valence_in_either_language() {
    for text in [
        "The emergency meeting was held on Monday.",
        "周一召开了紧急会议。",
        "他被隔离了。",
        "The Supreme Court ruled on Monday.",
        "最高法院周一作出裁决。",
        "The report was prepared by the ministry.",
        "他罚进了点球。",
    ] {
        assert_eq!(score(text), 0.0, "{text}");
    }
    // 问题 "question, issue" as often as "problem": a topic word, damped.
    let li = super::engine::lang_index(crate::lang::Lang::Zh);
    let v = model().idx[li as usize].valence("问题");
    assert_eq!(v, Some(-crate::config::TOPIC_WEIGHT));
}

#[test]
fn function_phrases_take_the_valence_of_their_second_word_away() {
    assert_eq!(score("With respect to taxes, the plan changed."), 0.0);
    assert!(score("I respect him.") > 0.05);
    assert_eq!(score("It sits on top of the hill."), 0.0);
    assert!(score("She was the top scorer.") > 0.05);
    let mut r = super::LangResources::new(super::LangParams::english());
    let err = super::lexicon::load_modifiers(&mut r, "function\trespect\t0\n", "test");
    assert!(err.is_err(), "a function phrase needs two words");
    super::lexicon::load_modifiers(&mut r, "function\tWith  Respect\t0\n", "test")
        .expect("two words load");
    assert_eq!(r.function_after, vec![("with".into(), "respect".into())]);
}

#[test]
fn equivalents_score_chinese_words_as_their_english_words() {
    // 明智 "wise" and 袭击 "attack" had no valence; their translations did.
    for (zh, en) in [
        ("他是一个明智的人。", "He is a wise man."),
        ("武装分子袭击了村庄。", "Gunmen attacked the village."),
    ] {
        let (z, e) = (score(zh), score(en));
        assert!(z.abs() > 0.05 && z * e > 0.0, "{zh} {z} vs {en} {e}");
    }
    // Every generated entry is loaded with the value the file gives it.
    let li = super::engine::lang_index(crate::lang::Lang::Zh);
    let idx = &model().idx[li as usize];
    let text = include_str!("../../data/lexicons/zh-equivalents.tsv");
    let rows: Vec<(&str, f32)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (t, v) = l.split_once('\t')?;
            Some((t, v.parse().ok()?))
        })
        .collect();
    assert!(rows.len() >= 40, "{} entries", rows.len());
    // ×TOPIC_WEIGHT for a word news-senses.tsv lists as a topic (伤亡 "casualties").
    let senses = include_str!("../../data/lexicons/news-senses.tsv");
    for (t, v) in rows {
        let topic = senses.lines().any(|l| l == format!("topic\t{t}"));
        let want = if topic {
            v * crate::config::TOPIC_WEIGHT
        } else {
            v
        };
        assert_eq!(idx.valence(t), Some(want), "{t}");
    }
}
