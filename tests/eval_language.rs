//! Language identification evaluation on `../shared/eval/language` (lingua-rs test data).
//!
//! Skips (with a message) when the folder is absent, as on a fresh clone. Set
//! `DUIBI_EVAL_VERBOSE=1` to print the misclassified items.

use duibi::lang::{normalize, HanVariantCounts, Lang, LangDetector, ZhScript};
use std::path::{Path, PathBuf};

mod common;

fn data_dir() -> Option<PathBuf> {
    common::eval_data("language")
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

fn verbose() -> bool {
    std::env::var_os("DUIBI_EVAL_VERBOSE").is_some()
}

/// Share of `items` for which `ok` holds; prints up to 20 misses in verbose mode.
fn share(label: &str, items: &[String], ok: impl Fn(&str) -> bool) -> f64 {
    let mut hits = 0usize;
    let mut shown = 0usize;
    for it in items {
        if ok(it) {
            hits += 1;
        } else if verbose() && shown < 20 {
            eprintln!("  miss {label}: {it}");
            shown += 1;
        }
    }
    hits as f64 / items.len().max(1) as f64
}

fn accuracy(det: &LangDetector, label: &str, items: &[String], want: Lang) -> f64 {
    share(label, items, |t| det.detect(t) == want)
}

const CLASSES: [&str; 3] = ["sentences", "word-pairs", "single-words"];

#[test]
fn language_id_default_detector() {
    let Some(dir) = data_dir() else { return };
    let det = LangDetector::default();
    // (lang, class) → floor. Sentences and word pairs carry the ≥ 99.5% target; single
    // words have no target but measure 100% (ko sentences 99.9%: the one miss has no
    // Hangul at all), so the same floor guards them.
    let floors: &[(Lang, [f64; 3])] = &[
        (Lang::Zh, [0.995, 0.995, 0.995]),
        (Lang::En, [0.995, 0.995, 0.995]),
        (Lang::Ja, [0.995, 0.995, 0.995]),
        (Lang::Ko, [0.995, 0.995, 0.995]),
    ];
    eprintln!("language id, default detector (zh, en, ja, ko)");
    eprintln!(
        "{:<6} {:>10} {:>10} {:>12}",
        "lang", CLASSES[0], CLASSES[1], CLASSES[2]
    );
    let mut failures = Vec::new();
    for (lang, floor) in floors {
        let mut accs = [0.0; 3];
        for (k, class) in CLASSES.iter().enumerate() {
            let items = lines(&dir.join(lang.code()).join(format!("{class}.txt")));
            accs[k] = accuracy(&det, &format!("{lang}/{class}"), &items, *lang);
            if accs[k] < floor[k] {
                failures.push(format!("{lang}/{class}: {:.4} < {}", accs[k], floor[k]));
            }
        }
        eprintln!(
            "{:<6} {:>10.4} {:>10.4} {:>12.4}",
            lang.code(),
            accs[0],
            accs[1],
            accs[2]
        );
    }
    assert!(failures.is_empty(), "below floor: {failures:?}");
}

#[test]
fn chinese_script_variant() {
    let Some(dir) = data_dir() else { return };
    let det = LangDetector::default();
    let hant = lines(&dir.join("zh-hant/sentences.txt"));
    let hans = lines(&dir.join("zh/sentences.txt"));
    let hant_zh = accuracy(&det, "zh-hant/zh", &hant, Lang::Zh);
    let hant_script = share("zh-hant/Hant", &hant, |t| {
        HanVariantCounts::of(&normalize(t)).script() == ZhScript::Hant
    });
    let hans_script = share("zh/Hans", &hans, |t| {
        HanVariantCounts::of(&normalize(t)).script() == ZhScript::Hans
    });
    eprintln!("zh-hant sentences: detected zh {hant_zh:.4}, script Hant {hant_script:.4}");
    eprintln!("zh sentences: script Hans {hans_script:.4}");
    let short = dir.join("zh-hant/short4.txt");
    if short.is_file() {
        // The first four characters of each Traditional sentence: often digits only, so
        // only the items with at least one Han character are scored.
        let items: Vec<String> = lines(&short)
            .into_iter()
            .filter(|t| t.chars().any(|c| duibi::lang::script_of(c).is_some()))
            .collect();
        let acc = accuracy(&det, "zh-hant/short4", &items, Lang::Zh);
        eprintln!(
            "zh-hant short4 (with letters, n={}): zh {acc:.4}",
            items.len()
        );
        assert!(acc >= 0.99, "zh-hant short4 {acc}");
    }
    assert!(hant_zh >= 0.995, "zh-hant detected zh {hant_zh}");
    assert!(hant_script >= 0.995, "zh-hant script Hant {hant_script}");
    assert!(hans_script >= 0.995, "zh script Hans {hans_script}");
}

#[test]
fn japanese_kanji_runs() {
    let Some(dir) = data_dir() else { return };
    let det = LangDetector::default();
    let items = lines(&dir.join("ja-kanji-runs.txt"));
    let ja = accuracy(&det, "ja-kanji-runs", &items, Lang::Ja);
    let zh = items.iter().filter(|t| det.detect(t) == Lang::Zh).count() as f64 / items.len() as f64;
    eprintln!("ja kanji-only runs (no context): ja {ja:.4}, zh {zh:.4}");
    // Kanji-only runs with no kana around them are read as Chinese: the Japanese decision
    // is contextual (kana in the text). They must never come back Korean or English.
    assert!(ja + zh >= 0.999, "ja {ja} + zh {zh}");
}

#[test]
fn latin_languages_with_extended_detector() {
    let Some(dir) = data_dir() else { return };
    let det = LangDetector::builder()
        .languages(&[
            Lang::Zh,
            Lang::En,
            Lang::Ja,
            Lang::Ko,
            Lang::De,
            Lang::Fr,
            Lang::Es,
        ])
        .build();
    let floors: &[(Lang, [f64; 3])] = &[
        (Lang::En, [0.96, 0.995, 0.995]),
        (Lang::De, [0.985, 0.0, 0.0]),
        (Lang::Fr, [0.99, 0.0, 0.0]),
        (Lang::Es, [0.99, 0.0, 0.0]),
        (Lang::Zh, [0.995, 0.995, 0.995]),
    ];
    // No target here. Latin runs of one or two words keep the first configured Latin
    // language (English) without asking whatlang, so German, French and Spanish word
    // pairs and single words score 0 by design; only sentences are decided.
    eprintln!("language id, detector zh, en, ja, ko, de, fr, es");
    eprintln!(
        "{:<6} {:>10} {:>10} {:>12}",
        "lang", CLASSES[0], CLASSES[1], CLASSES[2]
    );
    let mut failures = Vec::new();
    for (lang, floor) in floors {
        let mut accs = [0.0; 3];
        for (k, class) in CLASSES.iter().enumerate() {
            let items = lines(&dir.join(lang.code()).join(format!("{class}.txt")));
            accs[k] = accuracy(&det, &format!("{lang}/{class}"), &items, *lang);
            if accs[k] < floor[k] {
                failures.push(format!("{lang}/{class}: {:.4} < {}", accs[k], floor[k]));
            }
        }
        eprintln!(
            "{:<6} {:>10.4} {:>10.4} {:>12.4}",
            lang.code(),
            accs[0],
            accs[1],
            accs[2]
        );
    }
    assert!(failures.is_empty(), "below floor: {failures:?}");
}

#[test]
fn fullwidth_never_korean() {
    let det = LangDetector::default();
    let cases = [
        ("ＮＦＴ市场", Lang::Zh),
        ("ＮＦＴ市場持續升溫", Lang::Zh),
        ("ＤｅＦｉ", Lang::En),
        ("ＵＳＤＴ", Lang::En),
        ("ＢＴＣ跌了３０％！", Lang::Zh),
        ("２０２１年，", Lang::Zh),
        ("，", Lang::Und),
        ("１２３４５", Lang::Und),
        ("ｈａｓｈ　ｒａｔｅ　ｅｘｏｄｕｓ", Lang::En),
        ("ＮＦＴ市場が拡大している", Lang::Ja),
        ("ｱﾙﾄｺｲﾝ", Lang::Ja),
    ];
    for (t, want) in cases {
        let got = det.detect(t);
        assert_ne!(got, Lang::Ko, "{t} came back Korean");
        assert_eq!(got, want, "{t}");
        for r in det.runs(&normalize(t)) {
            assert_ne!(r.lang, Lang::Ko, "{t}: run {r:?} is Korean");
        }
    }
}

#[test]
fn spliced_english_names_are_their_own_run() {
    let det = LangDetector::default();
    let cases: [(&str, &[&str]); 8] = [
        (
            "特斯拉CEO Elon Musk周三表示，公司将暂停接受比特币付款。",
            &["CEO Elon Musk"],
        ),
        (
            "据Bloomberg报道，矿机已运往Texas。",
            &["Bloomberg", "Texas"],
        ),
        (
            "贝莱德首席执行官Larry Fink认为加密货币值得关注。",
            &["Larry Fink"],
        ),
        (
            "萨尔瓦多总统Nayib Bukele宣布比特币为法定货币",
            &["Nayib Bukele"],
        ),
        (
            "美联储主席Jerome Powell表示，稳定币需要监管。",
            &["Jerome Powell"],
        ),
        (
            "（Michael Saylor）旗下的MicroStrategy公司本季度继续增持比特币",
            &["Michael Saylor", "MicroStrategy"],
        ),
        (
            "迈阿密市长Francis Suarez欢迎中国矿工前来。",
            &["Francis Suarez"],
        ),
        (
            "比特大陆創始人Jihan Wu接受CNBC採訪時說",
            &["Jihan Wu", "CNBC"],
        ),
    ];
    for (t, names) in cases {
        let t = normalize(t);
        let runs = det.runs(&t);
        let en: Vec<&str> = runs
            .iter()
            .filter(|r| r.lang == Lang::En)
            .map(|r| t[r.start..r.end].trim_matches(|c: char| !c.is_alphanumeric()))
            .collect();
        assert_eq!(en, names, "{t}: {runs:?}");
        // Every other letter-bearing run is Chinese.
        for r in &runs {
            if r.lang != Lang::En && r.script.is_some() {
                assert_eq!(r.lang, Lang::Zh, "{t}: {r:?}");
            }
        }
        assert_eq!(det.detect(&t), Lang::Zh, "{t}");
    }
}
