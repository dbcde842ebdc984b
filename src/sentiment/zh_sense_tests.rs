//! Tests of session 12 (issue 15, round 11), the Chinese side: Chinese words that scored
//! where their English translation carries no opinion (roles, institutions, things and
//! measures named in news; CC-CEDICT projections through a literal gloss sense), 卫生 and
//! 健康 as the noun "health" before an institution or a measure, and Chinese forms that
//! had no valence where the English has one (AABB reduplication, 赢 "win", 犯了错 "made
//! a mistake"). Each pair is a sentence and its translation; they must agree in sign.

use super::fixtures::{model, polarity, score, terms};

#[test]
fn health_before_an_institution_or_a_measure_is_no_opinion_in_both_languages() {
    // 卫生 / 健康 +1.2 / +1.6 fired in every mention of a health commission or a health
    // code; English `health` has no valence (VADER scores `healthy`).
    for (zh, en) in [
        (
            "卫生健康委副主任表示。",
            "The deputy director of the Health Commission said.",
        ),
        (
            "公司卫生官员正在联系客户。",
            "Corporation health officials are contacting the customers.",
        ),
        (
            "用人单位要配备健康管理人员。",
            "Employers should employ health staff.",
        ),
    ] {
        assert!(terms(zh).is_empty(), "{zh}: {:?}", terms(zh));
        assert!(terms(en).is_empty(), "{en}: {:?}", terms(en));
    }
    assert!(!terms("请出示健康码。").contains(&"健康".to_string()));
    // As a quality they keep their valence, in both languages.
    for (zh, en, sign) in [
        ("房间很卫生。", "The room is very clean.", 1),
        ("他们的饮食很健康。", "Their diet is very healthy.", 1),
    ] {
        assert_eq!(polarity(score(zh)), sign, "{zh}");
        assert_eq!(polarity(score(en)), sign, "{en}");
    }
    assert!(score("卫生条件很差。") < -0.05);
}

#[test]
fn roles_things_and_measures_named_in_news_carry_no_opinion_in_both_languages() {
    // Scored before by the CC-CEDICT projection through a literal gloss sense (星球
    // "heavenly body", 球迷 "fan", 嘉宾 "guest", 检察官 "prosecution"), by the character
    // back-off (消毒 through 毒, 参赞 through 赞) or by a wrong cut (爱奇艺 → 爱 "love").
    for (zh, en) in [
        ("当地检察官表示。", "The local prosecutor said."),
        ("原告是一家公司。", "The plaintiff is a company."),
        ("球迷们进入体育场。", "The fans entered the stadium."),
        ("嘉宾参观了展览。", "The guests visited the exhibition."),
        (
            "探测器飞向这颗红色星球。",
            "The probe flies to the red planet.",
        ),
        (
            "电影将在爱奇艺上线。",
            "The film will be released on iQIYI.",
        ),
        ("银行已经完成消毒。", "The bank has been disinfected."),
        ("参赞出席了仪式。", "The counsellor attended the ceremony."),
        (
            "警方在车内发现了尸体。",
            "Police found the bodies in the car.",
        ),
    ] {
        assert!(terms(zh).is_empty(), "{zh}: {:?}", terms(zh));
        assert!(terms(en).is_empty(), "{en}: {:?}", terms(en));
    }
    // A film festival is a topic in both languages: the same damped weak hit.
    let (zh, en) = ("电影节今天开幕。", "The film festival opens today.");
    assert_eq!(terms(zh), ["电影节"]);
    assert_eq!(polarity(score(zh)), 0);
    assert_eq!(polarity(score(en)), 0);
    assert!(
        (score(zh) - score(en)).abs() < 0.01,
        "{} {}",
        score(zh),
        score(en)
    );
}

#[test]
fn reduplicated_adjectives_take_their_base_word() {
    let li = super::engine::lang_index(crate::lang::Lang::Zh);
    let m = model();
    let (r, idx) = (m.res(li).expect("Chinese resources"), &m.idx[li as usize]);
    let look = |t: &str| super::morphology::compound_lookup(r, idx, t);
    assert!(idx.valence("干净").is_some_and(|v| v > 0.0));
    assert_eq!(look("干干净净"), idx.valence("干净"));
    assert_eq!(look("高高兴兴"), idx.valence("高兴"));
    // Only AABB of a scored base: not AAAA, and not an unscored base (来往 "contact").
    assert_eq!(look("哈哈哈哈"), None);
    assert!(idx.valence("来往").is_none());
    assert_eq!(look("来来往往"), None);
    for (zh, en) in [
        ("厨房收拾得干干净净。", "The kitchen was very clean."),
        ("大家高高兴兴地回家。", "Everyone went home happily."),
    ] {
        assert_eq!(polarity(score(zh)), 1, "{zh}: {}", score(zh));
        assert_eq!(polarity(score(en)), 1, "{en}");
    }
}

#[test]
fn winning_and_mistakes_score_as_their_translations() {
    for (zh, en, sign) in [
        ("我们赢了。", "We won.", 1),
        ("他犯了错。", "He made a mistake.", -1),
        ("这个计划天衣无缝。", "The plan was flawless.", 1),
    ] {
        assert_eq!(polarity(score(zh)), sign, "{zh}: {:?}", terms(zh));
        assert_eq!(polarity(score(en)), sign, "{en}");
    }
}
