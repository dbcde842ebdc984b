use super::fixtures::{model, tok};
use super::*;
use crate::lang::Lang;
use std::io::Write;

fn score(s: &str) -> f32 {
    model().score_text(tok(), s).score
}

#[test]
fn model_is_send_sync() {
    fn check<T: Send + Sync>() {}
    check::<SentimentModel>();
}

#[test]
fn chinese_negation_flips() {
    assert!(score("好") > 0.0);
    assert!(score("不好") < 0.0);
    assert!(score("这家店不满意") < 0.0);
    assert!(score("服务不太好") < 0.0);
    // double negation
    assert!(score("不是不好") > 0.0);
}

#[test]
fn english_negation_flips() {
    assert!(score("good") > 0.0);
    assert!(score("not good") < 0.0);
    assert!(score("it isn't good") < 0.0);
    assert!(score("I don't find it good") < 0.0);
}

#[test]
fn negation_stops_at_clause_end() {
    // The negator is separated from the sentiment word by a comma: no flip.
    assert!(score("不，很好") > 0.0);
    assert!(score("no, it is good") > 0.0);
    let d = model().score_text(tok(), "not, good");
    let hit = d.sentences[0]
        .terms
        .iter()
        .find(|h| h.valence > 0.0)
        .expect("good matched");
    assert_eq!(hit.negated, 0);
}

#[test]
fn negator_with_own_valence_not_double_counted() {
    // "no" is in VADER (−1.2); when it negates "problem" its own valence is dropped.
    let d = model().score_text(tok(), "no problem");
    assert_eq!(d.sentences[0].terms.len(), 1);
    assert!(d.score > 0.0);
}

#[test]
fn degree_words_scale() {
    let (a, b, c) = (score("非常好"), score("好"), score("有点好"));
    assert!(a > b && b > c && c > 0.0, "{a} {b} {c}");
    let (a, b, c) = (score("very good"), score("good"), score("slightly good"));
    assert!(a > b && b > c && c > 0.0, "{a} {b} {c}");
    assert!(score("非常差") < score("差"));
}

#[test]
fn contrast_shifts_weight() {
    assert!(score("房间很干净，但是服务很差") < 0.0);
    assert!(score("服务很差，不过房间很干净") > 0.0);
    assert!(score("The room was nice, but the staff were rude") < 0.0);
}

#[test]
fn traditional_scores_like_simplified() {
    let pairs = [
        (
            "服务非常好，环境也不错，但是价格太贵了！",
            "服務非常好，環境也不錯，但是價格太貴了！",
        ),
        (
            "监管打压，币价暴跌，矿工很失望。",
            "監管打壓，幣價暴跌，礦工很失望。",
        ),
    ];
    for (s, t) in pairs {
        let (a, b) = (model().score_text(tok(), s), model().score_text(tok(), t));
        assert!(
            (a.score - b.score).abs() < 1e-6,
            "{s}: {} vs {}",
            a.score,
            b.score
        );
        assert_eq!(a.sentences.len(), b.sentences.len());
        assert!(a.score != 0.0);
    }
}

#[test]
fn emphasis_raises_magnitude() {
    assert!(score("好!!") > score("好"));
    assert!(score("好！！") > score("好"));
    assert!(score("great!!") > score("great"));
    assert!(score("This is GREAT") > score("This is great"));
    assert!(score("terrible!!!") < score("terrible"));
}

#[test]
fn coverage_counts() {
    // Tokens (jieba): 房间 / 很 / 干净 / , / 价格 / 一般  -> 5 word tokens;
    // lexicon hits: 干净, 一般 (2). One sentence, with hits.
    let d = model().score_text(tok(), "房间很干净，价格一般");
    let zh = d
        .coverage
        .iter()
        .find(|c| c.lang == Lang::Zh)
        .expect("zh coverage");
    assert_eq!(zh.tokens, 5);
    assert_eq!(zh.hit_tokens, 2);
    assert_eq!((zh.sentences, zh.hit_sentences), (1, 1));
    // English: "the weather is nice. the bus left." -> 7 tokens, 1 hit; 1 of 2 sentences.
    let d = model().score_text(tok(), "The weather is nice. The bus left.");
    let en = d
        .coverage
        .iter()
        .find(|c| c.lang == Lang::En)
        .expect("en coverage");
    assert_eq!((en.tokens, en.hit_tokens), (7, 1));
    assert_eq!((en.sentences, en.hit_sentences), (2, 1));
    assert!((d.sentence_coverage() - 0.5).abs() < 1e-9);
}

#[test]
fn sentences_and_counts() {
    let d = model().score_text(tok(), "Great product! Terrible support. The box is blue.");
    assert_eq!(d.sentences.len(), 3);
    assert_eq!((d.positive, d.negative, d.neutral), (1, 1, 1));
}

#[test]
fn emoticons_match() {
    assert!(score("see you tomorrow :)") > 0.0);
    assert!(score("see you tomorrow :(") < 0.0);
}

#[test]
fn aggregate_merges_associatively() {
    let texts = [
        "好极了！",
        "很差",
        "一般般",
        "The ban hurt miners.",
        "Welcome news, bullish!",
    ];
    let docs: Vec<DocSentiment> = texts.iter().map(|t| model().score_text(tok(), t)).collect();
    let mut all = SentimentAgg::new();
    docs.iter().for_each(|d| all.add(d));
    let (mut a, mut b, mut c) = (
        SentimentAgg::new(),
        SentimentAgg::new(),
        SentimentAgg::new(),
    );
    a.add(&docs[0]);
    a.add(&docs[1]);
    b.add(&docs[2]);
    c.add(&docs[3]);
    c.add(&docs[4]);
    let mut left = a.clone();
    left.merge(&b);
    left.merge(&c);
    let mut bc = b.clone();
    bc.merge(&c);
    let mut right = a.clone();
    right.merge(&bc);
    assert_eq!(left.docs, 5);
    assert_eq!(left.hist, all.hist);
    assert_eq!(left.coverage, all.coverage);
    assert_eq!(right.coverage, all.coverage);
    assert!((left.score_sum - right.score_sum).abs() < 1e-9);
    let s = all.summary();
    assert_eq!(s.docs, 5);
    assert!((s.share_pos + s.share_neg + s.share_neu - 1.0).abs() < 1e-9);
    assert!(s.median >= -1.0 && s.median <= 1.0);
    let json = serde_json::to_string(&all).expect("serializes");
    let back: SentimentAgg = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, all);
}

#[test]
fn histogram_median() {
    let mut agg = SentimentAgg::new();
    for s in [-0.9f32, 0.12, 0.15, 0.18, 0.8] {
        let mut d = model().score_text(tok(), "x");
        d.score = s;
        agg.add(&d);
    }
    let m = agg.median();
    assert!((0.1..0.2).contains(&m), "{m}");
}

fn temp_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(bytes).expect("write");
    f
}

#[test]
fn user_lexicon_extend_and_replace() {
    let f = temp_file("# user\n矿场\t2.5\n挖矿\t-1\tzh\nhodl\t1.5\ten\n".as_bytes());
    let m = SentimentModel::builder()
        .lexicon_file(f.path(), Mode::Extend)
        .build()
        .expect("builds");
    assert!(m.score_text(tok(), "矿场").score > 0.0);
    assert!(m.score_text(tok(), "hodl").score > 0.0);
    assert!(
        m.score_text(tok(), "好").score > 0.0,
        "extend keeps shipped entries"
    );
    let m = SentimentModel::builder()
        .lexicon_file(f.path(), Mode::Replace)
        .build()
        .expect("builds");
    assert!(m.score_text(tok(), "矿场").score > 0.0);
    assert_eq!(
        m.score_text(tok(), "好").score,
        0.0,
        "replace drops shipped zh entries"
    );
    assert_eq!(
        m.score_text(tok(), "good").score,
        0.0,
        "replace drops shipped en entries"
    );
    assert!(m.score_text(tok(), "不是矿场").score < 0.0, "negators stay");
}

#[test]
fn user_lexicon_errors_name_file_and_line() {
    let f = temp_file("好\t1\n坏\tabc\n".as_bytes());
    let err = SentimentModel::builder()
        .lexicon_file(f.path(), Mode::Extend)
        .build()
        .expect_err("bad score");
    let msg = err.to_string();
    assert!(
        msg.contains(&f.path().display().to_string()) && msg.contains(":2:"),
        "{msg}"
    );
    let err = SentimentModel::builder()
        .lexicon_file("/nonexistent/lexicon.tsv", Mode::Extend)
        .build()
        .expect_err("missing file");
    assert!(err.to_string().contains("/nonexistent/lexicon.tsv"));
}

#[test]
fn word_lists_any_encoding() {
    // GBK-encoded list with a Traditional entry (detection needs a few lines of text,
    // as real word lists have).
    let (gbk, _, _) =
        encoding_rs::GBK.encode("矿机\n挖礦\n比特币矿场\n利空消息\n监管部门\n电力短缺\n");
    let f = temp_file(&gbk);
    let m = SentimentModel::builder()
        .word_list(f.path(), Polarity::Negative, Lang::Zh)
        .build()
        .expect("builds");
    assert!(m.score_text(tok(), "矿机").score < 0.0);
    assert!(
        m.score_text(tok(), "挖矿").score < 0.0,
        "Traditional entry mapped to Simplified"
    );
    // UTF-16LE with BOM.
    let mut u16 = vec![0xFF, 0xFE];
    for c in "moonshot\r\n".encode_utf16() {
        u16.extend_from_slice(&c.to_le_bytes());
    }
    let f = temp_file(&u16);
    let m = SentimentModel::builder()
        .word_list(f.path(), Polarity::Positive, Lang::En)
        .build()
        .expect("builds");
    assert!(m.score_text(tok(), "a moonshot").score > 0.0);
    // Big5.
    let (big5, _, _) = encoding_rs::BIG5.encode("監管過度\n");
    assert_eq!(decode_any(&big5), "監管過度\n");
}

#[test]
fn explanation_lists_terms() {
    let e = model().explain_text(tok(), "服務非常好！但價格太貴。");
    let json = serde_json::to_string(&e).expect("serializes");
    assert!(
        json.contains("\"term\":\"好\"") || json.contains("\"term\":\"非常好\""),
        "{json}"
    );
    assert_eq!(e.lang, Lang::Zh);
    assert!(!e.sentences.is_empty());
}

#[test]
fn empty_and_odd_inputs() {
    for t in ["", "   ", "!!!", "12345", "🚀🚀🚀", ":)", "。。。"] {
        let d = model().score_text(tok(), t);
        assert!(d.score.is_finite() && (-1.0..=1.0).contains(&d.score));
    }
}

#[test]
fn english_inflection_fallback() {
    let en = model().resources(Lang::En).unwrap();
    // Neither VADER nor AFINN lists these; their bases are in VADER.
    for (w, base) in [("gloomily", "gloomy"), ("jokingly", "joking")] {
        assert!(!en.valence.contains_key(w), "{w} is in the lexicon");
        let v = en.valence[base];
        let got = model().score_text(tok(), w).sentences[0].terms[0].valence;
        assert!(
            (got - v * en.params.morphology).abs() < 1e-6,
            "{w}: {got} vs {v}"
        );
    }
    // Stems that mislead are not used, and -er is not stripped.
    assert!(!en.valence.contains_key("likely"));
    assert_eq!(score("likely"), 0.0);
    assert_eq!(score("banner"), 0.0);
    // Off switch.
    let mut p = LangParams::english();
    p.morphology = 0.0;
    let m = SentimentModel::builder()
        .params(Lang::En, p)
        .build()
        .unwrap();
    assert_eq!(m.score_text(tok(), "gloomily").score, 0.0);
}

#[test]
fn english_afinn_fills_gaps_only() {
    let en = model().resources(Lang::En).unwrap();
    // "atrocious" is AFINN-only (−3); "good" keeps VADER's 1.9.
    assert!((en.valence["atrocious"] - -3.0 * AFINN_EN_SCALE).abs() < 1e-6);
    assert!((en.valence["good"] - 1.9).abs() < 1e-6);
    let m = SentimentModel::builder().en_afinn(false).build().unwrap();
    assert!(!m
        .resources(Lang::En)
        .unwrap()
        .valence
        .contains_key("atrocious"));
}

#[test]
fn english_least_negates_except_at_least() {
    assert!(score("the least interesting film") < 0.0);
    assert!(score("at least it was interesting") > 0.0);
}

fn hit<'a>(d: &'a DocSentiment, text: &str, term: &str) -> &'a TermHit {
    d.sentences
        .iter()
        .flat_map(|s| s.terms.iter())
        .find(|h| text.get(h.start as usize..h.end as usize) == Some(term))
        .unwrap_or_else(|| panic!("{term} not matched in {text}"))
}

#[test]
fn concessive_clause_is_the_minor_one() {
    // Although/虽然 clause ×0.5, main clause ×1.5 (no contrast word present).
    let t = "Although the acting is good, the plot is awful";
    let d = model().score_text(tok(), t);
    assert_eq!(hit(&d, t, "good").contrast_weight, 0.5);
    assert_eq!(hit(&d, t, "awful").contrast_weight, 1.5);
    assert!(d.score < 0.0);
    assert!(score("虽然环境好，服务差") < 0.0);
    assert!(score("虽然服务差，环境好") > 0.0);
    // A contrast word takes precedence: 虽然…但是 is scored by 但是.
    assert!(score("虽然有点贵，但是很好吃") > 0.0);
}

#[test]
fn irrealis_damps_sentiment() {
    let t = "this would have been great";
    let d = model().score_text(tok(), t);
    assert_eq!(hit(&d, t, "great").score, hit(&d, t, "great").valence * 0.5);
    // Only later in the clause of the marker.
    let t = "great acting, if slow";
    let d = model().score_text(tok(), t);
    assert_eq!(hit(&d, t, "great").score, hit(&d, t, "great").valence);
    assert!(score("本以为很好吃") < score("很好吃"));
    assert!(score("如果服务好") < score("服务好"));
}

#[test]
fn excess_construction_is_negative() {
    assert!(score("房间太小了") < 0.0);
    assert!(score("味道偏咸") < 0.0);
    assert!(score("有点贵") < 0.0);
    assert!(score("the film is too long") < 0.0);
    // Negated excess is mildly positive; property words alone are neutral.
    assert!(score("不会太贵") > 0.0);
    assert_eq!(score("房间小"), 0.0);
    assert_eq!(score("a long film"), 0.0);
    // An evaluative word after 太 keeps its own valence.
    assert!(score("太好了") > 0.0);
}

#[test]
fn weak_negation_and_negated_boosters_damp() {
    // 不太好 / 不是很好 are mildly negative, milder than 不好.
    let (weak, plain, boosted) = (score("不太好"), score("不好"), score("不是很好"));
    assert!(weak < 0.0 && plain < weak, "{weak} {plain}");
    assert!(boosted < 0.0 && plain < boosted, "{boosted} {plain}");
    let d = model().score_text(tok(), "不太好");
    let h = &d.sentences[0].terms[0];
    assert_eq!(h.negated, 1);
    // A lone weak hit also counts ×WEAK_HIT_WEIGHT (rules::damp_weak_single).
    let mut want = h.valence * -0.3 * 1.2;
    if want.abs() < crate::config::WEAK_HIT {
        want *= crate::config::WEAK_HIT_WEIGHT;
    }
    assert!((h.score - want).abs() < 1e-5, "{h:?}");
}

#[test]
fn rhetorical_question_reverses() {
    assert!(score("难道不好吗？") > 0.0);
    assert!(score("难道这样就好吗") < 0.0);
    // Not a question: no reversal.
    assert!(score("难道不好") < 0.0);
}

#[test]
fn negative_weighting() {
    // SO-CAL's negative weighting: negative contributions ×1.2 in both languages.
    let d = model().score_text(tok(), "bad");
    let h = &d.sentences[0].terms[0];
    assert!((h.score - h.valence * 1.2).abs() < 1e-6);
    let d = model().score_text(tok(), "good");
    let h = &d.sentences[0].terms[0];
    assert_eq!(h.score, h.valence);
}

#[test]
fn vader_never_so_and_kind_of() {
    // VADER: "never so/this" intensifies rather than negates.
    assert!(score("never so happy") > score("so happy") * 0.9);
    assert!(score("never so happy") > 0.0);
    assert!(score("never happy") < 0.0);
    // "kind of", "sort of" are dampeners, not the valence of "kind".
    let (k, g) = (score("it was kind of good"), score("it was good"));
    assert!(k > 0.0 && k < g, "{k} {g}");
    assert!(score("sort of good") < g);
    // "without doubt" does not negate.
    assert!(score("without doubt the best") > score("the best"));
}

#[test]
fn hyphenated_entries_match() {
    let t = "a well-made, top-notch film";
    let d = model().score_text(tok(), t);
    assert!(hit(&d, t, "well-made").valence > 0.0);
    assert!(hit(&d, t, "top-notch").valence > 0.0);
    assert!(score("a half-baked plot") < 0.0);
}

#[test]
fn english_lengthening_and_negative_affixes() {
    // Lengthened words are found and emphasized.
    assert!(score("gooood") > score("good"));
    assert!(score("sooo good") > score("good"));
    assert!(score("loooove it") > 0.0);
    // un- and -less negate a lexicon stem VADER lacks the derived form of.
    assert!(score("uncompelling") < 0.0);
    assert!(score("a humorless and uncharming film") < 0.0);
    // Stems on the stop list and short stems are left alone.
    assert_eq!(score("unlike"), 0.0);
    assert_eq!(score("unless"), 0.0);
}

#[test]
fn chinese_morpheme_backoff() {
    // Unknown words inherit the damped mean of their sentiment characters.
    let m = model().resources(Lang::Zh).unwrap();
    for w in ["棒呆", "烂片儿"] {
        assert!(
            !m.valence.contains_key(w),
            "{w} is in the lexicon: pick another test word"
        );
    }
    assert!(score("棒呆") > 0.0);
    assert!(score("烂片儿") < 0.0);
    // Mixed signs, negating characters and neutral words stay unscored.
    assert_eq!(score("美国"), 0.0);
    assert_eq!(score("海鲜"), 0.0);
}
