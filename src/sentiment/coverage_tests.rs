//! Tests of the Chinese coverage added in issue 15, round 4: the compound back-off (a
//! Han token jieba cut as one word that is two words, one of them scored, takes that
//! word's valence), the entries fitted on Tatoeba (`zh-parallel-fit.tsv`) and 希望
//! "hope" scored like English `hope` instead of marking an irrealis clause.

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
    // A doubled character is not a word of its own (清清楚楚 is not 清清 + 楚楚).
    assert_eq!(look("清清楚楚"), None);
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
