//! Tokens as real corpora write them (issue 14 item 4): URLs, e-mail addresses,
//! handles, hashtags and wallet addresses are single tokens of their own kind, kept out
//! of term tables and keyness (a switch keeps them) and counted per group; numbers and
//! dates are single tokens (never 年/月/日 fragments); possessives fold; 伯克希尔・哈撒韦
//! is Chinese.

use assert_cmd::Command;
use duibi::corpus::{CorpusOptions, Source};
use duibi::lang::{Lang, LangDetector};
use duibi::report::Report;
use duibi::run::Pipeline;
use duibi::tokenize::{TokenKind, Tokenizer};
use std::path::Path;

fn tok() -> Tokenizer {
    Tokenizer::builder().build().unwrap()
}

fn terms(s: &str) -> Vec<(String, TokenKind)> {
    let (_, buf) = tok().tokenize(s);
    buf.iter()
        .map(|(t, term)| (term.to_owned(), t.kind))
        .collect()
}

#[test]
fn possessives_count_as_the_word() {
    let t = terms("bitcoin’s price, Bitcoin's miners and bitcoin");
    let bitcoin = t.iter().filter(|(x, _)| x == "bitcoin").count();
    assert_eq!(bitcoin, 3, "{t:?}");
    assert!(!t
        .iter()
        .any(|(x, _)| x.contains('s') && x.starts_with("bitcoin")));
}

#[test]
fn chinese_dates_and_numbers_are_single_tokens() {
    let t = terms("2021年1月2日，比特币涨了20%，达到3,000美元，市值1.5亿。");
    for (want, kind) in [
        ("2021年1月2日", TokenKind::Date),
        ("20%", TokenKind::Number),
        ("3,000", TokenKind::Number),
        ("1.5亿", TokenKind::Number),
    ] {
        assert!(t.contains(&(want.to_string(), kind)), "{want} in {t:?}");
    }
    for frag in ["年", "月", "日", "2021", "1", "2", "000", "亿"] {
        assert!(!t.iter().any(|(x, _)| x == frag), "{frag} in {t:?}");
    }
}

#[test]
fn web_tokens_are_single_tokens_of_their_kind() {
    let t = terms(
        "See https://www.example-exchange.com/register?ref=8848123, write to a.b@example.org, \
         follow @miner and #bitcoin; BTC bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh, \
         ETH 0x52908400098527886E0F7030069857D2E4169EE7 at laokuanggong.blog",
    );
    let kinds: Vec<(&str, TokenKind)> = t
        .iter()
        .filter(|(_, k)| k.is_special())
        .map(|(x, k)| (x.as_str(), *k))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "https://www.example-exchange.com/register?ref=8848123",
                TokenKind::Url
            ),
            ("a.b@example.org", TokenKind::Email),
            ("@miner", TokenKind::Handle),
            ("#bitcoin", TokenKind::Hashtag),
            (
                "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
                TokenKind::Hash
            ),
            (
                "0x52908400098527886e0f7030069857d2e4169ee7",
                TokenKind::Hash
            ),
            ("laokuanggong.blog", TokenKind::Url),
        ]
    );
    for frag in [
        "https",
        "www.example",
        "ref",
        "register",
        "8848123",
        "example.org",
    ] {
        assert!(!t.iter().any(|(x, _)| x == frag), "{frag} in {t:?}");
    }
}

#[test]
fn name_separators_between_han_stay_chinese() {
    let d = LangDetector::default();
    for s in [
        "伯克希尔・哈撒韦公司的股东大会在奥马哈举行",
        "伯克希尔·哈撒韦公司的股东大会在奥马哈举行",
        "伯克希尔･哈撒韦公司",
    ] {
        let norm = duibi::lang::normalize(s);
        assert_eq!(d.detect(s), Lang::Zh, "{s}");
        assert!(d.runs(&norm).iter().all(|r| r.lang == Lang::Zh), "{s}");
    }
    // One stray kana letter in a long Chinese paragraph does not make it Japanese …
    let stray = format!(
        "{}プ{}",
        "宝玉回到自己房中，换了衣服。".repeat(10),
        "袭人笑道。"
    );
    assert!(d.runs(&stray).iter().all(|r| r.lang == Lang::Zh));
    // … while Japanese stays Japanese.
    assert_eq!(d.detect("東京は日本の首都です。"), Lang::Ja);
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Twelve documents a side; every domestic one ends with the same footer (a referral
/// URL, a wallet address, the blog's domain, a date) that no overseas one has.
fn footer_corpus(root: &Path) {
    let zh = [
        "比特币矿工把矿机运往海外，电费上涨。",
        "监管部门要求清退挖矿项目，矿场关停。",
        "算力外流，哈萨克斯坦成为新的去处。",
        "虚拟货币交易受到打击，市场波动剧烈。",
    ];
    let en = [
        "Miners are moving their machines to Texas as power prices rise.",
        "The crackdown pushed the hash rate abroad within weeks.",
        "Kazakhstan welcomed the miners, then its grid strained.",
        "Regulators in Beijing tightened rules on crypto trading.",
    ];
    for i in 0..12 {
        write(
            root,
            &format!("domestic/d{i:02}.txt"),
            &format!(
                "{}{}\n\n交易所注册链接：https://www.example-exchange.com/register?ref=8848123\n\
                 打赏地址 bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh\n\
                 © 2021年1月2日 laokuanggong.blog 版权所有\n",
                zh[i % 4],
                zh[(i + 1) % 4]
            ),
        );
        write(
            root,
            &format!("overseas/o{i:02}.txt"),
            &format!("{} {}\n", en[i % 4], en[(i + 1) % 4]),
        );
    }
}

fn analyze(root: &Path, keep: bool) -> Report {
    Pipeline::builder()
        .bootstrap_reps(50)
        .evidence(0)
        .keep_special_tokens(keep)
        // The footer is on every document and the texts repeat every four documents,
        // so both would be set aside (tests/real_corpus.rs); here the tokens are counted.
        .keep_boilerplate(true)
        .keep_duplicates(true)
        .build()
        .unwrap()
        .analyze(Source::dir(root, CorpusOptions::default()))
        .unwrap()
        .into_report()
        .unwrap()
}

const FOOTER: [&str; 9] = [
    "https",
    "www.example",
    "exchange.com",
    "ref",
    "register",
    "8848123",
    "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
    "laokuanggong.blog",
    "年",
];

#[test]
fn footer_tokens_stay_out_of_terms_and_keyness_and_are_counted() {
    let t = tempfile::tempdir().unwrap();
    footer_corpus(t.path());
    let r = analyze(t.path(), false);
    let c = r.comparison.as_ref().unwrap();
    for f in FOOTER {
        assert!(!r.terms.iter().any(|x| x.term == f), "{f} in terms");
        assert!(!c.keyness.iter().any(|x| x.term == f), "{f} in keyness");
    }
    assert!(!r.terms.iter().any(|x| x.term.contains("http")));
    // No English tokens in the Chinese group: the footer's URL is no English word.
    let dom = |lang| {
        r.corpus
            .languages
            .iter()
            .any(|l| l.group == "domestic" && l.lang == lang)
    };
    assert!(dom(Lang::Zh) && !dom(Lang::En));
    let g = r
        .corpus
        .groups
        .iter()
        .find(|g| g.group == "domestic")
        .unwrap();
    assert_eq!(
        (g.special.urls, g.special.hashes, g.special.dates),
        (24, 12, 12)
    );
    assert!(!r.settings.keep_special_tokens);

    // The switch keeps them, whole.
    let r = analyze(t.path(), true);
    let url = "https://www.example-exchange.com/register?ref=8848123";
    assert!(r.terms.iter().any(|x| x.term == url && x.count == 12));
    assert!(!r.terms.iter().any(|x| x.term == "https"));
    assert!(r.settings.keep_special_tokens);
}

#[test]
fn cli_tokenize_names_special_kinds_and_analyze_keeps_them_on_request() {
    let out = Command::cargo_bin("duibi")
        .unwrap()
        .arg("tokenize")
        .write_stdin("mail a.b@example.org, 2021年1月2日 word\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<Option<&str>> = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str())
        .collect();
    assert_eq!(kinds, [None, Some("email"), Some("date"), None]);

    let t = tempfile::tempdir().unwrap();
    footer_corpus(t.path());
    let report = t.path().join("r.json");
    Command::cargo_bin("duibi")
        .unwrap()
        .args([
            "analyze",
            "--quiet",
            "--bootstrap",
            "100",
            "--keep-special-tokens",
            "--keep-boilerplate",
            "--keep-duplicates",
            "-o",
        ])
        .arg(&report)
        .arg(t.path())
        .assert()
        .success();
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["settings"]["keep_special_tokens"], true);
    assert_eq!(r["corpus"]["groups"][0]["urls"], 24);
}
