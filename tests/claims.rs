//! Honest claims (issue 14 item 5, issue 15 item 4): a one-author group is resampled by
//! documents with a warning and shows no zero-width interval; a tone on a couple of
//! sentences is listed as weak and not called out; per-language comparisons appear
//! exactly when both groups have documents in the language; a real difference is
//! still called out.

use duibi::corpus::format::Fields;
use duibi::corpus::{Document, Source};
use duibi::lang::Lang;
use duibi::report::{Report, ResamplingUnit, SentimentMeasure, Verdict};
use duibi::run::Pipeline;

fn doc(id: String, group: &str, text: String, source: Option<String>) -> Document {
    let d = Document::in_memory(id, group, text);
    match source {
        Some(s) => d.with_fields(Fields {
            source: Some(s),
            ..Fields::default()
        }),
        None => d,
    }
}

fn run(docs: Vec<Document>) -> Report {
    Pipeline::builder()
        .compare_groups("domestic", "overseas")
        .bootstrap_reps(400)
        .evidence(0)
        // The documents are built from a few template sentences, so many are copies
        // of each other: keep them all (duplicates are tested in tests/real_corpus.rs).
        .keep_duplicates(true)
        .keep_boilerplate(true)
        .build()
        .and_then(|p| p.analyze(Source::documents(docs)))
        .and_then(|r| r.into_report())
        .expect("the corpus is analysed")
}

const ZH_GOOD: &str = "这是好消息，市场发展很好，大家非常高兴。";
const ZH_BAD: &str = "这是一场灾难，情况非常糟糕，令人失望。";
const ZH_PLAIN: &str = "矿场今天继续运行，工人照常上班。";
const EN_GOOD: &str = "This is great news and the market is doing wonderfully well.";
const EN_BAD: &str = "This is a terrible disaster and the situation is awful.";
const EN_PLAIN: &str = "The mining farm kept running today and the staff came to work.";

/// The text of document `i`: `good` and `bad` sentences in a proportion that varies
/// with `i` (so documents differ), plus a plain one.
fn text(i: usize, good: &str, bad: &str, plain: &str, lean_good: bool) -> String {
    let (g, b) = if lean_good {
        (2 + i % 3, i % 2)
    } else {
        (i % 2, 2 + i % 3)
    };
    let mut s = String::new();
    for _ in 0..g {
        s.push_str(good);
        s.push(' ');
    }
    for _ in 0..b {
        s.push_str(bad);
        s.push(' ');
    }
    s.push_str(plain);
    s
}

/// Every interval of the summary's form `[a, b]` with a == b (a zero-width interval).
fn zero_width(summary: &str) -> Vec<String> {
    summary
        .split('[')
        .skip(1)
        .filter_map(|rest| {
            let inner = rest.split(']').next()?;
            let (a, b) = inner.split_once(", ")?;
            (a == b && a.parse::<f64>().is_ok()).then(|| inner.to_string())
        })
        .collect()
}

#[test]
fn a_one_author_group_resamples_documents_with_a_warning_and_no_zero_width_interval() {
    let mut docs = Vec::new();
    for i in 0..30 {
        let t = text(i, ZH_GOOD, ZH_BAD, ZH_PLAIN, i % 2 == 0);
        docs.push(doc(
            format!("d/{i:02}"),
            "domestic",
            t,
            Some("老矿工".into()),
        ));
        let t = text(i, EN_GOOD, EN_BAD, EN_PLAIN, i % 3 == 0);
        let source = Some(format!("outlet{}", i % 10));
        docs.push(doc(format!("o/{i:02}"), "overseas", t, source));
    }
    let r = run(docs);
    assert!(
        r.checks
            .warnings
            .iter()
            .any(|w| w.contains("group domestic names only 1 source")
                && w.contains("resample its 30 documents")),
        "{:#?}",
        r.checks.warnings
    );
    let dom = r.sentiment.iter().find(|s| s.group == "domestic").unwrap();
    assert_eq!(dom.resampling_unit, Some(ResamplingUnit::Document));
    assert_eq!(dom.units, 30);
    assert!(dom.sentence_mean_lo < dom.sentence_mean_hi, "{dom:?}");
    let ovs = r.sentiment.iter().find(|s| s.group == "overseas").unwrap();
    assert_eq!(ovs.resampling_unit, Some(ResamplingUnit::Source));
    assert_eq!(ovs.units, 10);
    let c = r.comparison.as_ref().unwrap();
    for d in &c.sentiment {
        assert_eq!((d.units_a, d.units_b), (30, 10), "{d:?}");
        assert!(d.diff_lo < d.diff_hi);
    }
    let summary = duibi::render::summary::summary(&r);
    assert!(zero_width(&summary).is_empty(), "{summary}");
    assert!(summary.contains("(30 documents)") && summary.contains("(10 sources)"));
    let html = duibi::render::html::render(&r);
    assert!(html.contains("names only 1 source"));
}

#[test]
fn intervals_over_fewer_than_five_units_are_shown_as_not_available() {
    let mut docs = Vec::new();
    for i in 0..2 {
        let t = text(i, ZH_GOOD, ZH_BAD, ZH_PLAIN, true);
        docs.push(doc(format!("d/{i:02}"), "domestic", t, None));
    }
    for i in 0..12 {
        let t = text(i, ZH_GOOD, ZH_BAD, ZH_PLAIN, false);
        docs.push(doc(format!("o/{i:02}"), "overseas", t, None));
    }
    let r = run(docs);
    let summary = duibi::render::summary::summary(&r);
    assert!(
        summary.contains("[n/a: 2 units]"),
        "a 2-document group's interval is n/a:\n{summary}"
    );
    assert!(
        summary.contains("not called out (n/a: 2 units)"),
        "{summary}"
    );
    assert!(r
        .checks
        .warnings
        .iter()
        .any(|w| w.contains("group domestic has only 2 documents")));
    let html = duibi::render::html::render(&r);
    assert!(html.contains("[n/a: 2 units]"));
    assert!(!html.contains("domestic is more positive"));
}

#[test]
fn a_one_document_group_is_counted_in_the_singular() {
    let mut docs = vec![doc(
        "d/00".into(),
        "domestic",
        text(0, ZH_GOOD, ZH_BAD, ZH_PLAIN, true),
        None,
    )];
    for i in 0..12 {
        let t = text(i, ZH_GOOD, ZH_BAD, ZH_PLAIN, false);
        docs.push(doc(format!("o/{i:02}"), "overseas", t, None));
    }
    let summary = duibi::render::summary::summary(&run(docs));
    assert!(summary.contains("(1 document)"), "{summary}");
    assert!(
        summary.contains("; 1 document : 12 documents,"),
        "{summary}"
    );
    assert!(!summary.contains("1 documents"), "{summary}");
}

#[test]
fn a_tone_on_two_sentences_is_listed_as_weak_and_not_called_out() {
    let mut docs = Vec::new();
    for i in 0..12 {
        // Oil is mentioned once on each side: a very negative sentence against a very
        // positive one.
        let mut t = text(i, ZH_GOOD, ZH_BAD, ZH_PLAIN, i % 2 == 0);
        if i == 0 {
            t.push_str(" 石油行业前景非常糟糕，令人失望。");
        }
        docs.push(doc(format!("d/{i:02}"), "domestic", t, None));
        let mut t = text(i, ZH_GOOD, ZH_BAD, ZH_PLAIN, i % 2 == 1);
        if i == 0 {
            t.push_str(" 石油行业前景非常好，令人高兴。");
        }
        docs.push(doc(format!("o/{i:02}"), "overseas", t, None));
    }
    let r = run(docs);
    let c = r.comparison.as_ref().unwrap();
    let oil = c.concepts.iter().find(|k| k.concept == "oil").expect("oil");
    assert_eq!((oil.sentences_a, oil.sentences_b), (1, 1));
    assert!(oil.sentiment_diff.is_some_and(|d| d < -0.5), "{oil:?}");
    assert!(!oil.tone_differs(c.options.alpha));
    let summary = duibi::render::summary::summary(&r);
    let line = summary
        .lines()
        .find(|l| l.trim_start().starts_with("oil 石油"))
        .expect("oil is in the summary's concept table");
    assert!(line.contains("(1:1)"), "sentence counts beside: {line}");
    assert!(!line.trim_end().ends_with('*'), "{line}");
    let html = duibi::render::html::render(&r);
    let brief = html
        .split("id=\"summary\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or("");
    assert!(!brief.contains("石油"), "in brief makes no claim on oil");
    let row = html
        .split("<tr")
        .find(|r| r.contains("石油 oil</td>"))
        .expect("the concept table lists oil, marked weak");
    assert!(row.contains("weak: few sentences"), "{row}");
}

/// Documents of `group` in Chinese and English (sources none).
fn bilingual(group: &str, zh: usize, en: usize, good: bool) -> Vec<Document> {
    let mut v = Vec::new();
    for i in 0..zh {
        let t = text(i, ZH_GOOD, ZH_BAD, ZH_PLAIN, good ^ (i % 4 == 0));
        v.push(doc(format!("{group}/zh{i:02}"), group, t, None));
    }
    for i in 0..en {
        let t = text(i, EN_GOOD, EN_BAD, EN_PLAIN, good ^ (i % 4 == 0));
        v.push(doc(format!("{group}/en{i:02}"), group, t, None));
    }
    v
}

#[test]
fn per_language_comparisons_appear_when_both_groups_write_the_language() {
    let mut docs = bilingual("domestic", 8, 6, false);
    docs.extend(bilingual("overseas", 6, 8, true));
    let r = run(docs);
    let langs: Vec<(String, Lang)> = r
        .sentiment_by_lang
        .iter()
        .map(|s| (s.group.clone(), s.lang))
        .collect();
    assert_eq!(
        langs,
        [
            ("domestic".to_string(), Lang::Zh),
            ("domestic".to_string(), Lang::En),
            ("overseas".to_string(), Lang::Zh),
            ("overseas".to_string(), Lang::En),
        ]
        .into_iter()
        .filter(|x| langs.contains(x))
        .collect::<Vec<_>>()
    );
    assert_eq!(langs.len(), 4, "{langs:?}");
    let c = r.comparison.as_ref().unwrap();
    let compared: Vec<(Option<Lang>, SentimentMeasure)> = c
        .sentiment_by_lang
        .iter()
        .map(|d| (d.lang, d.measure))
        .collect();
    assert_eq!(compared.len(), 4, "{compared:?}");
    assert!(compared.contains(&(Some(Lang::Zh), SentimentMeasure::SentenceMean)));
    assert!(compared.contains(&(Some(Lang::En), SentimentMeasure::SentenceMean)));
    let zh = c
        .sentiment_by_lang
        .iter()
        .find(|d| d.lang == Some(Lang::Zh) && d.measure == SentimentMeasure::SentenceMean)
        .unwrap();
    assert_eq!((zh.units_a, zh.units_b), (8, 6));
    assert!(zh.p_adj.is_some());
    let summary = duibi::render::summary::summary(&r);
    assert!(summary.contains("[zh] domestic − overseas (sentence_mean)"));
    assert!(summary.contains("[en] domestic − overseas (sentence_mean)"));
    let html = duibi::render::html::render(&r);
    assert!(html.contains("Like with like:") && html.contains("By language: like with like"));

    // Chinese against English only: no language both groups write.
    let mut docs = bilingual("domestic", 10, 0, false);
    docs.extend(bilingual("overseas", 0, 10, true));
    let r = run(docs);
    let c = r.comparison.as_ref().unwrap();
    assert!(c.sentiment_by_lang.is_empty());
    assert_eq!(r.sentiment_by_lang.len(), 2);
    let summary = duibi::render::summary::summary(&r);
    assert!(summary.contains("no language in which both domestic and overseas have documents"));
    assert!(!summary.contains("[zh] domestic − overseas"));
}

#[test]
fn a_planted_difference_is_still_called_out() {
    let mut docs = Vec::new();
    for i in 0..20 {
        let t = format!(
            "{} 打击行动继续。",
            text(i, ZH_GOOD, ZH_BAD, ZH_PLAIN, false)
        );
        docs.push(doc(
            format!("d/{i:02}"),
            "domestic",
            t,
            Some(format!("s{i}")),
        ));
        let t = text(i, ZH_GOOD, ZH_BAD, ZH_PLAIN, true);
        docs.push(doc(
            format!("o/{i:02}"),
            "overseas",
            t,
            Some(format!("t{i}")),
        ));
    }
    let r = run(docs);
    let c = r.comparison.as_ref().unwrap();
    assert_eq!(c.resampling_unit, ResamplingUnit::Source);
    let sm = &c.sentiment[0];
    assert_eq!(sm.measure, SentimentMeasure::SentenceMean);
    assert!(sm.differs(c.options.alpha), "{sm:?}");
    let crackdown = c
        .concepts
        .iter()
        .find(|k| k.concept == "crackdown")
        .expect("crackdown");
    assert!(crackdown.rate_differs(c.options.alpha), "{crackdown:?}");
    let summary = duibi::render::summary::summary(&r);
    assert!(
        summary.contains("domestic − overseas (sentence_mean)")
            && summary
                .lines()
                .any(|l| l.contains("(sentence_mean)") && l.ends_with(": called out")),
        "{summary}"
    );
    let html = duibi::render::html::render(&r);
    assert!(html.contains("domestic is more negative"));
    assert!(html.contains("Concepts mentioned clearly more by"));
}

/// Toned sentences that mention the concept "crackdown" (打击).
const ZH_GOOD_CRACKDOWN: &str = "这次打击是好消息，大家非常高兴。";
const ZH_BAD_CRACKDOWN: &str = "这次打击是一场灾难，令人失望。";
const EN_GOOD_CRACKDOWN: &str = "The crackdown is great news and everyone is very happy.";
const EN_BAD_CRACKDOWN: &str = "The crackdown is a terrible disaster and an awful blow.";

/// Documents of `group`: `zh` in Chinese leaning positive when `zh_good` (else
/// negative), `en` in English leaning as `en_good` says, each with a toned sentence on
/// the crackdown leaning the same way; the same texts whichever group writes them.
fn desk(group: &str, zh: usize, zh_good: bool, en: usize, en_good: bool) -> Vec<Document> {
    let mut v = Vec::new();
    let crackdown = |good: bool, g: &str, b: &str| if good { g } else { b }.to_string();
    for i in 0..zh {
        let t = text(i, ZH_GOOD, ZH_BAD, ZH_PLAIN, zh_good)
            + &crackdown(zh_good, ZH_GOOD_CRACKDOWN, ZH_BAD_CRACKDOWN);
        v.push(doc(format!("{group}/zh{i:02}"), group, t, None));
    }
    for i in 0..en {
        let t = text(i, EN_GOOD, EN_BAD, EN_PLAIN, en_good)
            + " "
            + &crackdown(en_good, EN_GOOD_CRACKDOWN, EN_BAD_CRACKDOWN);
        v.push(doc(format!("{group}/en{i:02}"), group, t, None));
    }
    v
}

/// A newsroom's domestic desk writing mostly Chinese and its overseas desk mostly
/// English, saying the same in each language: the whole text differs only because the
/// languages do, so the difference is listed, warned of, and not called out.
#[test]
fn a_whole_text_difference_made_by_the_language_mix_is_not_called_out() {
    // Within each language the groups do not differ; the language alone sets the
    // tone, as a lexicon or a language's own content can.
    let mut docs = desk("domestic", 24, true, 6, false);
    docs.extend(desk("overseas", 6, true, 24, false));
    let r = run(docs);
    let mix = r.pair_language_mix();
    assert!(mix > 0.2 && mix < 0.8, "a partly shared mix: {mix}");
    assert!(
        r.checks
            .warnings
            .iter()
            .any(|w| w.contains("write in different language mixes")),
        "{:?}",
        r.checks.warnings
    );
    let c = r.comparison.as_ref().unwrap();
    let alpha = c.options.alpha;
    let sm = &c.sentiment[0];
    assert_eq!(sm.measure, SentimentMeasure::SentenceMean);
    // By the record's own rule it would be called out: the language made it.
    assert!(sm.differs(alpha) && sm.diff > 0.0, "{sm:?}");
    assert_eq!(r.sentiment_verdict(sm, alpha), Verdict::LanguageMix);
    for d in &c.sentiment_by_lang {
        assert!(!d.differs(alpha), "no difference within a language: {d:?}");
    }
    // The tone of the sentences on the crackdown pools the languages too.
    let crackdown = c
        .concepts
        .iter()
        .find(|k| k.concept == "crackdown")
        .expect("crackdown is compared");
    assert!(crackdown.tone_differs(alpha), "{crackdown:?}");
    assert_eq!(r.tone_verdict(crackdown, alpha), Verdict::LanguageMix);
    let summary = duibi::render::summary::summary(&r);
    let line = summary
        .lines()
        .find(|l| l.starts_with("  domestic − overseas (sentence_mean)"))
        .expect("the whole-text row is listed");
    assert!(line.ends_with("no per-language row carries it)"), "{line}");
    assert!(!summary.contains(": called out"), "{summary}");
    let html = duibi::render::html::render(&r);
    assert!(!html.contains("domestic is more positive"));
    assert!(html.contains("no per-language row carries it"));
    assert!(!html.contains("Concepts whose tone clearly differs"));
}

/// The same mix of languages with a real difference inside Chinese: the Chinese row
/// carries the whole text's difference, which is called out.
#[test]
fn a_difference_inside_a_language_is_called_out_across_a_language_mix() {
    let mut docs = desk("domestic", 15, false, 6, false);
    docs.extend(desk("overseas", 8, true, 15, false));
    let r = run(docs);
    assert!(r.pair_language_mix() > 0.2);
    let c = r.comparison.as_ref().unwrap();
    let alpha = c.options.alpha;
    let zh = c
        .sentiment_by_lang
        .iter()
        .find(|d| d.lang == Some(Lang::Zh) && d.measure == SentimentMeasure::SentenceMean)
        .expect("a Chinese row");
    assert!(zh.differs(alpha) && zh.diff < 0.0, "{zh:?}");
    let sm = &c.sentiment[0];
    assert_eq!(r.sentiment_verdict(sm, alpha), Verdict::Clear, "{sm:?}");
    let html = duibi::render::html::render(&r);
    assert!(html.contains("domestic is more negative"));
}
