//! Tests of sessions 8 and 9 (issue 15, rounds 6 and 7): negation and contrast scope where the two
//! languages mark it differently ("not only … but also" is additive as 不仅 … 而且;
//! 不过 / 只是 inside a clause are "merely", not "but"), and the
//! Chinese words valued by their English equivalent or given a news sense.

use super::fixtures::{model, term_hits, tok};
use super::*;

/// (term, negated, contrast weight, score) of every hit of `text`, in text order.
fn hits(text: &str) -> Vec<(String, u8, f32, f32)> {
    term_hits(model(), text)
        .into_iter()
        .map(|(t, h)| (t, h.negated, h.contrast_weight, h.score))
        .collect()
}

fn hit(text: &str, word: &str) -> (u8, f32, f32) {
    let hs = hits(text);
    hs.iter()
        .find(|h| h.0 == word)
        .map(|h| (h.1, h.2, h.3))
        .unwrap_or_else(|| panic!("{text}: no hit {word:?} in {hs:?}"))
}

#[test]
fn not_only_but_also_adds_as_chinese_does() {
    // Before: `protect` negated (-0.71) and `help` weighted as after a contrast.
    let en = "They not only protect the wildlife but also help the farmers.";
    assert_eq!(hit(en, "protect").0, 0, "not only does not negate");
    assert_eq!(hit(en, "protect").1, 1.0, "but also is no contrast");
    assert_eq!(hit(en, "help").1, 1.0);
    let zh = "他们不仅保护野生动物，而且帮助农民。";
    assert_eq!(hit(zh, "保护").0, 0);
    assert_eq!(hit(zh, "保护").1, 1.0);
    assert!(model().score_text(tok(), en).score > 0.3);
    assert!(model().score_text(tok(), "Not just a great show.").score > 0.3);
    // Plain negation and plain contrast are unchanged.
    assert!(model().score_text(tok(), "It is not safe.").score < -0.05);
    let c = "It was a success, but the cost was terrible.";
    assert_eq!(hit(c, "success").1, 0.5);
    assert_eq!(hit(c, "terrible").1, 1.5);
}

#[test]
fn merely_and_still_are_no_contrast_inside_a_clause() {
    // 不过 / 只是 inside a clause mean "merely" (English "only" is no contrast word).
    for (text, word) in [
        ("这不过是一个成功的开始。", "成功"),
        ("这只是成功的第一步。", "成功"),
    ] {
        assert_eq!(hit(text, word).1, 1.0, "{text}");
    }
    // Opening a clause they are "but" and split the sentence as before.
    for (text, before, after) in [
        ("失败了，不过是成功的。", "失败", "成功"),
        ("价格贵，只是服务很好。", "贵", "很好"),
        ("It failed, yet it was a success.", "failed", "success"),
        ("不过，这是一个成功。", "", "成功"),
    ] {
        if !before.is_empty() {
            assert_eq!(hit(text, before).1, 0.5, "{text}");
        }
        assert_eq!(hit(text, after).1, 1.5, "{text}");
    }
}

#[test]
fn modifier_kinds_of_session_8_load() {
    let mut r = LangResources::new(LangParams::english());
    lexicon::load_modifiers(
        &mut r,
        "contrast-initial\tyet\t0\nneg-additive\tonly\t0\ncontrast-additive\talso\t0\n",
        "test",
    )
    .expect("kinds parse");
    assert!(r.contrast.contains("yet") && r.contrast_initial.contains("yet"));
    assert!(r.neg_additive.contains("only"));
    assert!(r.contrast_additive.contains("also"));
}

#[test]
fn chinese_equivalents_of_session_8_carry_their_english_sign() {
    // Unscored on main (English side scored, Chinese side neutral).
    for (zh, sign) in [
        ("黑客发动攻击。", -1.0),
        ("那里是地狱。", -1.0),
        ("全面建成小康社会。", 1.0),
        ("当地人伸出援手。", 1.0),
        ("她在比赛中夺冠。", 1.0),
        ("飞机在山区坠毁。", -1.0),
    ] {
        let s = model().score_text(tok(), zh).score;
        assert!(s * sign > 0.05, "{zh}: {s}");
    }
}

#[test]
fn quarantine_and_money_senses_are_neutral_in_english() {
    // 隔离 is `none`; its English renderings and `interest` (rates) now too (on main
    // each was a hit: isolate −0.8, isolation −1.7, interest +2.0).
    for (text, word) in [
        ("He must isolate for 14 days.", "isolate"),
        ("They opened isolation facilities.", "isolation"),
        ("Interest rates were unchanged.", "interest"),
    ] {
        let hs = hits(text);
        assert!(!hs.iter().any(|h| h.0 == word), "{text}: {hs:?}");
    }
    assert!(hits("他在家隔离14天。").is_empty());
}

#[test]
fn negation_reaches_past_a_person_as_in_english() {
    // 一个人 "a person" had the projection's "alone" (−1): as a hit it took the
    // negation of 没有 (first sentiment word only), so "nobody was satisfied" scored
    // +0.6 on main; English "Nobody was satisfied." is negative.
    let s = model().score_text(tok(), "没有一个人满意。").score;
    assert!(s < -0.05, "{s}");
    assert!(model().score_text(tok(), "Nobody was satisfied.").score < -0.05);
}

// Session 9 (issue 15, round 7).

#[test]
fn a_bound_prefix_negates_only_its_own_word() {
    // 非 and `non` are prefixes tokenized apart from their word (非 应届 毕业生, non
    // violently). On main 非 reached 感动 two words on ("moved non-graduates" scored
    // −0.44) and `non` negated nothing (non-violently scored as "violently").
    let (neg, _, score) = hit("也让非应届毕业生感动。", "感动");
    assert_eq!(neg, 0, "非 is not a predicate negator");
    assert!(score > 0.0);
    assert_eq!(hit("They protested non-violently.", "violently").0, 1);
    assert_eq!(hit("They protested non violently.", "violently").0, 1);
    // Further on it does not: `fair` is inside the negation window of a plain negator.
    assert_eq!(hit("A non-partisan and fair review.", "fair").0, 0);
}

#[test]
fn non_profit_is_neutral_in_both_languages() {
    // On main: 非营利 −1.69 (the back-off negated 营利), and `non profit` would have
    // been a negated `profit` once `non` negates.
    for text in [
        "这是一家非营利组织。",
        "这是一家非盈利机构。",
        "It is a non-profit group.",
    ] {
        let hs = hits(text);
        assert!(hs.is_empty(), "{text}: {hs:?}");
    }
}

#[test]
fn rites_and_relief_measures_carry_no_valence() {
    // Each was a hit on main (追悼会 −1.8, 悼念 −1.9, 抢险 −1.4, 减免 −1.4, 低于 −1.2,
    // mourn −1.8).
    for (text, word) in [
        ("他们举行了追悼会。", "追悼会"),
        ("人们悼念遇难者。", "悼念"),
        ("政府减免企业税费。", "减免"),
        ("增速低于预期。", "低于"),
        ("People mourn the victims.", "mourn"),
        ("Crowds were mourning the victims.", "mourning"),
    ] {
        let hs = hits(text);
        assert!(!hs.iter().any(|h| h.0 == word), "{text}: {hs:?}");
    }
    // 抗洪抢险 "flood relief" had 抢险's valence through the compound back-off.
    let hs = hits("部队参加抗洪抢险。");
    assert!(hs.is_empty(), "{hs:?}");
}

#[test]
fn heart_attack_is_an_illness() {
    // On main `heart` (+3.2, the love sense) fired: "died of a heart attack" had a
    // positive hit beside died and attack.
    let hs = hits("He had a heart attack.");
    assert!(!hs.iter().any(|h| h.0 == "heart"), "{hs:?}");
    assert!(
        hs.iter().any(|h| h.0 == "heart attack" && h.3 < 0.0),
        "{hs:?}"
    );
}

#[test]
fn neg_raising_verbs_carry_the_negation_to_the_opinion() {
    // On main the opinion sat outside the 3-token window: 好事 and 很好 were not negated.
    assert_eq!(hit("我不认为这是好事。", "好事").0, 1);
    assert_eq!(hit("我不觉得这个方案很好。", "很好").0, 1);
    // Not past the clause, and not without the verb.
    assert_eq!(hit("我不认为，这个方案很好。", "很好").0, 0);
    assert_eq!(hit("我不去上班，因为这个方案很好。", "很好").0, 0);
    // Session 10: English as Chinese, in the same frame (first-person subject, present
    // negator, the verb, a clause).
    assert_eq!(hit("I do not think this plan is good.", "good").0, 1);
    assert_eq!(hit("We don't believe this plan is good.", "good").0, 1);
}

#[test]
fn neg_raising_only_in_the_narrow_frame() {
    // Session 9 took any negator before the verb in Chinese only; now both languages
    // need a first-person subject and a present negator (the broad English rule cost
    // tweets and amazon F1: past "didn't think … would be that good" is praise).
    assert_eq!(
        hit("I didn't think that the 3D would be that good.", "good").0,
        0
    );
    assert_eq!(hit("He does not think this plan is good.", "good").0, 0);
    assert_eq!(
        hit("I can't believe the new phone is this good.", "good").0,
        0
    );
    assert_eq!(hit("I don't think about the good old days.", "good").0, 0);
    assert_eq!(hit("他不认为这个方案很好。", "很好").0, 0);
    assert_eq!(hit("我没认为这个方案会很好。", "很好").0, 0);
    // The frame, with `do` between subject and negator.
    assert_eq!(hit("I do not believe that the plan is good.", "good").0, 1);
    assert_eq!(hit("我们不相信这个方案很好。", "很好").0, 1);
}

#[test]
fn i_do_not_think_scores_alike_in_both_languages() {
    // On main the Chinese of each pair scored negative (-0.43 for the first) and the
    // English positive (+0.44): a rule in one language only.
    let pairs = [
        ("我不认为这是好消息", "I do not think this is good news"),
        (
            "我不觉得这个计划会成功",
            "I don't think this plan will succeed",
        ),
        (
            "我们不相信他们会赢得这场比赛",
            "We don't believe they will win this game",
        ),
        (
            "我不认为这部电影值得推荐",
            "I don't think this movie is worth recommending",
        ),
    ];
    for (zh, en) in pairs {
        let z = model().score_text(tok(), zh).score;
        let e = model().score_text(tok(), en).score;
        assert!(z < -0.05 && e < -0.05, "{zh} {z} / {en} {e}");
    }
}

#[test]
fn english_tweet_words_of_session_10() {
    let score = |t: &str| model().score_text(tok(), t).score;
    // On main: `D:` took the tongue face's +1.2 (+0.33), "wish" as an irrealis marker
    // lost its valence (0, while 希望 scores +1.2), `nope` negated `help` a second time
    // (+0.23), `ruining` lost to `thanks` (+0.18), "can't wait" negated nothing (0).
    assert!(score("I'm so sorry! D: D: D:") < -0.05);
    assert!(score("I wish I could be there!") > 0.05);
    assert!(score("我希望我能去那里！") > 0.05);
    assert!(score("Nope... doesn't help.") < -0.05);
    assert!(score("Thanks Hermine for ruining my week.") < -0.05);
    assert!(score("can't wait.") > 0.05);
    assert!(score("just found out the coolest tool combo") > 0.05);
    // Still irrealis after `wish`: the wished clause is damped, not asserted.
    let (_, _, could_good) = hit("I wish it could be good.", "good");
    let (_, _, is_good) = hit("It is good.", "good");
    assert!(could_good < is_good);
}

// Session 11 (issue 15, round 9): words whose opinion depends on the word beside them,
// decided alike in both languages.

fn score(text: &str) -> f32 {
    model().score_text(tok(), text).score
}

#[test]
fn adverbial_success_is_an_event_report_in_both_languages() {
    // 成功 before a verb is "successfully" / "managed to": no opinion, as `successfully`.
    for (zh, en) in [
        (
            "客机在机场成功紧急降落。",
            "The plane successfully made an emergency landing at the airport.",
        ),
        ("他成功当选主席。", "He was successfully elected chairman."),
    ] {
        assert!(
            hits(zh).iter().all(|h| h.0 != "成功"),
            "{zh}: {:?}",
            hits(zh)
        );
        assert!(hits(en).is_empty(), "{en}: {:?}", hits(en));
        assert!(
            score(zh).abs() <= 0.05 && score(en).abs() <= 0.05,
            "{zh} / {en}"
        );
    }
    // The noun and the adjective keep their valence: 取得成功, 成功的经验, 成功。
    for zh in ["这次活动取得了成功。", "这是成功的经验。", "我们成功了。"] {
        assert!(hit(zh, "成功").2 > 1.0, "{zh}");
        assert!(score(zh) > 0.3, "{zh}");
    }
    assert!(score("The event was a success.") > 0.3);
    assert!(score("It was a successful campaign.") > 0.3);
}

#[test]
fn test_results_carry_no_opinion_in_both_languages() {
    for (zh, en) in [
        (
            "部长病毒检测呈阳性。",
            "The minister tested positive for the virus.",
        ),
        (
            "两次检测的结果仍为阴性。",
            "The results of both tests were still negative.",
        ),
        (
            "新增阳性病例三例。",
            "Three new positive cases were reported.",
        ),
        (
            "他六日进行的检测结果为阳性。",
            "The result of his test on July 6th was positive.",
        ),
    ] {
        assert!(hits(zh).is_empty(), "{zh}: {:?}", hits(zh));
        assert!(hits(en).is_empty(), "{en}: {:?}", hits(en));
    }
    // Without a test, result or case word beside them they are opinions, as before;
    // a clause break ends the context.
    assert!(score("The reviews were positive.") > 0.3);
    assert!(score("The test is done, and the mood is positive.") > 0.3);
    assert!(score("His outlook is negative.") < -0.3);
}

#[test]
fn virus_and_casualties_mean_the_same_in_both_languages() {
    // English `virus` has no valence; 病 no longer lends 病毒 one by the back-off.
    for text in [
        "病毒在传播。",
        "新冠病毒检测已经完成。",
        "The virus is spreading.",
    ] {
        assert!(hits(text).is_empty(), "{text}: {:?}", hits(text));
    }
    // 伤亡 "casualties" is scored (by its English equivalent) and, like `casualties`, a topic.
    let (zh, en) = (
        hit("飓风造成大量伤亡。", "伤亡").2,
        hit("The hurricane caused heavy casualties.", "casualties").2,
    );
    assert!(zh < 0.0 && en < 0.0, "{zh} {en}");
    assert!(
        zh.abs() < 0.8 && en.abs() < 0.8,
        "both topic-weighted: {zh} {en}"
    );
}

#[test]
fn modifier_kinds_of_session_11_load() {
    let mut r = LangResources::new(LangParams::chinese());
    lexicon::load_modifiers(
        &mut r,
        "adverbial\t成功\t0\nadverbial-stop\t的\t0\nresult-word\t阳性\t0\nresult-cue\t检测\t0\n",
        "test",
    )
    .expect("kinds parse");
    assert!(r.adverbial.contains("成功") && r.adverbial_stop.contains("的"));
    assert!(r.result_words.contains("阳性") && r.result_cues.contains("检测"));
}

#[test]
fn special_before_an_office_or_report_is_no_opinion_in_both_languages() {
    // Round 10: `special` / `specially` before an institution, an office, a report or a
    // made thing name a kind, as the Chinese compounds do (特别法庭 unscored; 特使, 特刊,
    // 专题 were +1.7 through the CC-CEDICT projection of "special" and are `none`).
    for (zh, en) in [
        (
            "审判仍在特别法庭进行。",
            "The trial continues in a special court.",
        ),
        (
            "特使抵达了首都。",
            "The special envoy arrived in the capital.",
        ),
        (
            "论文作为特刊发表。",
            "The papers were published as a special issue.",
        ),
        (
            "他们专门准备了一个工作组。",
            "They specially prepared a working group.",
        ),
        ("新华社微特稿", "Xinhua News Agency Special WeChat Report"),
    ] {
        assert!(hits(zh).is_empty(), "{zh}: {:?}", hits(zh));
        assert!(hits(en).is_empty(), "{en}: {:?}", hits(en));
    }
    // As an opinion it keeps its valence, also when negated; a clause break or a
    // head more than two tokens on ends the context.
    assert!(score("It was a special day for us.") > 0.3);
    assert!(score("Special thanks to the court.") > 0.3);
    assert!(score("Nothing special.") < -0.3);
    assert!(score("She is special, and the court knows it.") > 0.3);
}

#[test]
fn attributive_kinds_load() {
    let mut r = LangResources::new(LangParams::english());
    lexicon::load_modifiers(
        &mut r,
        "attributive\tspecial\t0\nattributive-head\tcourt\t0\n",
        "test",
    )
    .expect("kinds parse");
    assert!(r.attributive.contains_key("special") && r.context_words.contains("special"));
    assert!(r.attributive_heads.contains_key("court"));
}

#[test]
fn determiner_no_in_a_report_is_no_opinion_in_both_languages() {
    // Session 12 (round 11): `no` before a count or report word is a determiner, as
    // 无 / 没有 are plain negators with no valence of their own (both sides were
    // −0.30 / 0 before).
    for (zh, en) in [
        (
            "大连市无新增确诊病例。",
            "There were no new confirmed cases in Dalian.",
        ),
        (
            "目前没有证据表明这一点。",
            "There is no evidence of this so far.",
        ),
        (
            "该国没有公布进一步的细节。",
            "The country gave no further details.",
        ),
    ] {
        assert!(hits(zh).is_empty(), "{zh}: {:?}", hits(zh));
        assert!(hits(en).is_empty(), "{en}: {:?}", hits(en));
    }
    // Standing alone, before another word, or past a clause break it keeps its valence
    // (a missing feature is a complaint in reviews), and it still negates.
    assert!(score("No.") < -0.05);
    assert!(score("There was no picture.") < -0.05);
    assert!(score("I have no idea.") < -0.05);
    assert!(score("No, new cases are coming.") < -0.05);
    assert_eq!(hit("The plan is no good.", "good").0, 1);
}

#[test]
fn as_well_as_opening_a_clause_is_a_conjunction_in_both_languages() {
    // Session 12: ", as well as" and "As well as …" are 以及 / 除了…还: no praise in `well`.
    for (zh, en) in [
        (
            "这座城市有博物馆，以及两个公园。",
            "The city has museums, as well as two parks.",
        ),
        (
            "除了博物馆，这座城市还有两个公园。",
            "As well as the museum, the city has two parks.",
        ),
    ] {
        assert!(hits(zh).is_empty(), "{zh}: {:?}", hits(zh));
        assert!(hits(en).is_empty(), "{en}: {:?}", hits(en));
    }
    // Mid-clause it compares quality and keeps its valence.
    assert!(score("It works as well as the old one.") > 0.05);
}

#[test]
fn critical_as_crucial_is_no_opinion_in_both_languages() {
    // Session 12: `critical` (VADER −1.3) before a moment, a role or a component is
    // 关键, which carries no valence (was −0.37 in English, 0 in Chinese).
    for (zh, en) in [
        (
            "形势正处于关键时刻。",
            "The situation is at a critical juncture.",
        ),
        (
            "必须立即更换这一关键部件。",
            "This critical component must be replaced immediately.",
        ),
        (
            "关键基础设施需要维护。",
            "Critical infrastructure needs maintenance.",
        ),
    ] {
        assert!(hits(zh).is_empty(), "{zh}: {:?}", hits(zh));
        assert!(hits(en).is_empty(), "{en}: {:?}", hits(en));
    }
    // Criticism and a critical condition (危重) keep it; the groups stay apart:
    // `special` before a moment is still praise.
    assert!(score("He is in critical condition.") < -0.05);
    assert!(score("The review was critical of the film.") < -0.05);
    assert!(score("It was a special moment.") > 0.3);
}

#[test]
fn session_12_kinds_load() {
    let mut r = LangResources::new(LangParams::english());
    lexicon::load_modifiers(
        &mut r,
        "attributive\tcritical\t1\nattributive\tcritical\t3\nattributive-head\tjuncture\t1\n\
         determiner\tno\t0\ndeterminer-head\tnew\t0\nfunction-initial\tas well\t0\n",
        "test",
    )
    .expect("kinds parse");
    assert_eq!(r.attributive.get("critical"), Some(&0b1010));
    assert_eq!(r.attributive_heads.get("juncture"), Some(&0b10));
    assert!(r.determiners.contains("no") && r.determiner_heads.contains("new"));
    assert_eq!(r.function_initial, vec![("as".into(), "well".into())]);
    for bad in [
        "attributive\tx\t1.5\n",
        "attributive-head\tx\t32\n",
        "function-initial\tas\t0\n",
    ] {
        let mut r = LangResources::new(LangParams::english());
        assert!(
            lexicon::load_modifiers(&mut r, bad, "test").is_err(),
            "{bad}"
        );
    }
}

#[test]
fn negation_distributes_over_coordinated_words_in_both_languages() {
    // Session 16 (round 16): not (A or B) = not A and not B. English `injured` stood
    // five tokens after `no`, past VADER's window; Chinese negated only the first word
    // (受伤 / 欺骗 were −2.2 / −3.2 before, opposite to their English side).
    assert_eq!(hit("No one died or was injured.", "injured").0, 1);
    assert_eq!(hit("没有人死亡或受伤。", "受伤").0, 1);
    assert_eq!(hit("他们没有撒谎或欺骗。", "欺骗").0, 1);
    assert_eq!(hit("救援队没有发现伤者和遇难者。", "遇难者").0, 1);
    // A coordinator after a word the negator did not negate joins other words: 不
    // negates 喜欢, 和 joins 生意 and 快乐; 与 is "with"; 不 inside 不平等 "inequality"
    // negates no scored word, so 暴力 keeps its sign.
    assert_eq!(hit("我不喜欢把生意和快乐混在一起。", "快乐").0, 0);
    assert_eq!(hit("他毫无理由地与人斗争。", "斗争").0, 0);
    assert_eq!(hit("因种族不平等和警察暴力而引发抗议。", "暴力").0, 0);
    // Outside a coordination the windows are as before.
    assert_eq!(
        hit("No one was there and the food was terrible.", "terrible").0,
        0
    );
}

#[test]
fn adverb_negator_words_negate() {
    // Session 16: jieba keeps 尚无 "not yet any", 并未 "did not" whole; they negated
    // nothing (尚无死亡报告 read 死亡 as a death, English "no deaths" as none).
    assert_eq!(hit("目前尚无死亡报告。", "死亡").0, 1);
    assert_eq!(hit("他并未失败。", "失败").0, 1);
}

#[test]
fn neg_coord_kind_loads() {
    let mut r = LangResources::new(LangParams::chinese());
    lexicon::load_modifiers(&mut r, "neg-coord\t或\t0\nneg-coord\t和\t0\n", "test")
        .expect("kind parses");
    assert!(r.neg_coord.contains("或") && r.neg_coord.contains("和"));
    assert!(!r.negators.contains("或"));
}

#[test]
fn a_negated_report_denies_the_telling_not_the_event_in_both_languages() {
    // Session 17 (round 17): 没有提及无人机坠落的原因 negated 坠落 (+1.26, the drone
    // "did not fall") while its English side kept `crashed` negative; a negator does
    // not reach past a reporting verb (`neg-report`), the same in both languages.
    assert_eq!(hit("声明没有提及无人机坠落的原因。", "坠落").0, 0);
    assert_eq!(
        hit("The statement did not mention problems.", "problems").0,
        0
    );
    assert_eq!(hit("报告没有提到失败。", "失败").0, 0);
    assert!(
        model()
            .score_text(tok(), "声明没有提及无人机坠落的原因。")
            .score
            < -0.05
    );
    // Without a reporting verb between them the negator reaches the word as before,
    // also where the verb comes after the word (尚无死亡报告; `report` is no
    // `neg-report` word: "did not report any deaths" says there were none).
    assert_eq!(
        hit(
            "The statement did not mention that there were no problems.",
            "problems"
        )
        .0,
        1
    );
    assert_eq!(hit("They did not report any deaths.", "deaths").0, 1);
    assert_eq!(hit("目前尚无死亡报告。", "死亡").0, 1);
    assert_eq!(hit("他们没有失败。", "失败").0, 1);
}

#[test]
fn neg_report_kind_loads() {
    let mut r = LangResources::new(LangParams::english());
    lexicon::load_modifiers(&mut r, "neg-report\tmention\t0\n", "test").expect("kind parses");
    assert!(r.neg_report.contains("mention"));
    assert!(!r.negators.contains("mention"));
}

#[test]
fn a_negating_subject_reaches_its_predicate_past_a_phrase_in_both_languages() {
    // Session 22 (round 22): "No one in the car was injured" scored -0.64 (the window
    // of `no` ended in the phrase "in the car", so `injured` stood and `no` counted
    // -1.2 itself), and 没有人在这次事故中受伤 -0.78 the same way. A negating subject
    // (`neg-subject`) followed by a phrase (`neg-subject-prep` … `neg-subject-end`)
    // reaches the predicate past it, and leaves the phrase's own words alone
    // (车上无人在事故中受伤 had negated 事故, the accident, and left 受伤).
    for (text, word, negated) in [
        ("No one in the car was injured.", "injured", 1),
        ("None of the passengers on board were hurt.", "hurt", 1),
        ("没有人在这次事故中受伤。", "受伤", 1),
        ("车上无人在事故中受伤。", "受伤", 1),
        ("车上无人在事故中受伤。", "事故", 0),
        ("No one in the accident was injured.", "accident", 0),
    ] {
        assert_eq!(hit(text, word).0, negated, "{text}: {word}");
    }
    for text in ["No one in the car was injured.", "没有人在这次事故中受伤。"] {
        assert!(
            hits(text).iter().all(|h| h.0 != "no"),
            "{text}: {:?}",
            hits(text)
        );
    }
    assert!(
        model()
            .score_text(tok(), "Nobody in the village was happy.")
            .score
            < -0.05
    );
    // No phrase, no reach: the window ends as before ("No one knows … terrible"), a
    // conjunct is no phrase ("has none of these flaws and will …" keeps `flaws`
    // negated by the plain window).
    assert_eq!(
        hit(
            "No one knows what happened in the terrible crash.",
            "terrible"
        )
        .0,
        0
    );
    assert_eq!(
        hit(
            "this camera has none of these flaws and will be something you'll use all the time.",
            "flaws"
        )
        .0,
        1
    );
}

#[test]
fn a_negator_in_a_comparisons_standard_negates_nothing_in_both_languages() {
    // Session 22 (round 22): 谈比不谈好 "talking is better than not talking" scored
    // -0.41 (不 negated 好) while English "better" stood; a negator right after a
    // `neg-compare` word (比, than) belongs to the standard.
    assert_eq!(hit("谈比不谈好。", "好").0, 0);
    assert!(model().score_text(tok(), "谈比不谈好。").score > 0.05);
    assert_eq!(hit("半个面包总比没有好。", "好").0, 0);
    // Elsewhere the negator negates as before.
    assert_eq!(hit("结果不会好。", "好").0, 1);
}

#[test]
fn neg_subject_and_compare_kinds_load() {
    let mut r = LangResources::new(LangParams::english());
    let text = "neg-subject\tone\t0\nneg-subject-prep\tin\t0\nneg-subject-end\twas\t0\n\
                neg-subject-stop\tand\t0\nneg-compare\tthan\t0\n";
    lexicon::load_modifiers(&mut r, text, "test").expect("kinds parse");
    assert!(r.neg_subject.contains("one") && r.neg_subject_prep.contains("in"));
    assert!(r.neg_subject_end.contains("was") && r.neg_subject_stop.contains("and"));
    assert!(r.neg_compare.contains("than") && !r.negators.contains("than"));
}

#[test]
fn a_negator_in_a_comparisons_standard_has_no_valence_of_its_own() {
    // "Talks are better than no talks" scored +0.18: `no` negated nothing and counted
    // its own -1.2, while 谈判比不谈好 has no such word.
    let en = "Talks are better than no talks.";
    assert!(hits(en).iter().all(|h| h.0 != "no"), "{:?}", hits(en));
    // Elsewhere a lone `no` keeps it ("No.", "oh no!").
    assert!(hits("Oh no, the talks failed.").iter().any(|h| h.0 == "no"));
}
