//! The HTML report escapes everything that comes from the corpus: text, metadata, file
//! and directory names. Checked on a real analysis of a hostile corpus, and on a report
//! in which every string field carries a payload.

#[path = "browser/tags.rs"]
mod tags;

use duibi::corpus::{CorpusOptions, Source};
use duibi::report::Report;
use duibi::run::Pipeline;
use serde_json::Value;
use std::path::Path;

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=alert(1)>";
const SVG_BREAK: &str = "</svg><svg onload=alert(1)>";
const JS_URL: &str = "javascript:alert(1)";
const QUOTES: &str = "\"double\" 'single' & &amp; &lt;";

fn analyze(dir: &Path) -> Report {
    Pipeline::builder()
        .build()
        .unwrap()
        .analyze(Source::dir(dir, CorpusOptions::default()))
        .and_then(|r| r.into_report())
        .unwrap()
}

/// Asserts that `html` has no active content and that `needle` (escaped) is on the page.
fn assert_inert(html: &str) {
    let bad = tags::dangerous(html);
    assert!(bad.is_empty(), "active content: {bad:#?}");
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a <script substring");
    assert!(!lower.contains("<img"), "an <img substring");
    assert!(!lower.contains("<svg onload"), "an injected svg");
    assert!(!lower.contains("url("), "a CSS url()");
    assert!(!lower.contains("@import"), "a CSS import");
    // Every <svg> we open is closed by us: an injected `</svg>` would unbalance them.
    let opened = tags::tags(html).iter().filter(|t| t.name == "svg").count();
    assert_eq!(opened, html.matches("</svg>").count(), "unbalanced <svg>");
}

/// A small two-group corpus whose text, file names, directory names and front matter
/// carry payloads.
fn hostile_corpus(dir: &Path) {
    let dom = dir.join("domestic");
    let ovs = dir.join("overseas <b onmouseover=alert(1)>\"&'");
    std::fs::create_dir_all(&dom).unwrap();
    std::fs::create_dir_all(&ovs).unwrap();
    let body_zh = format!(
        "比特币挖矿遭到监管部门严厉打击 {SCRIPT}。虚拟货币交易炒作风险很大 {IMG}，矿场纷纷关停。\
         四川水电站附近的矿工担心损失 {SVG_BREAK}。请访问 {JS_URL} 了解详情 {QUOTES}。\n"
    );
    let body_en = format!(
        "Bitcoin miners welcome the exodus to Texas {SCRIPT}. The hash rate recovers quickly {IMG} \
         and investors are bullish on mining. <a href=\"{JS_URL}\">click</a> {SVG_BREAK} {QUOTES}.\n"
    );
    for i in 0..4 {
        std::fs::write(dom.join(format!("d{i} {IMG}.txt")), &body_zh).unwrap();
        std::fs::write(
            dom.join(format!("m{i}.md")),
            format!(
                "---\ntitle: \"{i} {SCRIPT} {QUOTES}\"\nsource: \"{IMG}\"\nurl: \"{JS_URL}\"\ndate: 2021-06-0{}\n---\n\n{body_zh}",
                i + 1
            ),
        )
        .unwrap();
        std::fs::write(ovs.join(format!("o{i} '\"&.txt")), &body_en).unwrap();
        std::fs::write(
            ovs.join(format!("p{i}.md")),
            format!(
                "---\ntitle: \"{SVG_BREAK} {i}\"\nsource: \"{QUOTES}\"\nurl: \"JaVaScRiPt:alert(1)\"\ndate: 2021-07-0{}\n---\n\n{body_en}",
                i + 1
            ),
        )
        .unwrap();
    }
    // A file that is skipped, with a payload in its name.
    std::fs::write(dom.join(format!("{IMG}.bin")), [0u8, 1, 2, 3, 0, 0, 0]).unwrap();
}

#[test]
fn hostile_corpus_renders_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    hostile_corpus(tmp.path());
    let report = analyze(tmp.path());
    assert!(
        report.corpus.groups.len() == 2,
        "{:?}",
        report.corpus.groups
    );
    let html = duibi::html::render(&report);
    assert_inert(&html);
    // The payloads are on the page, as text.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("overseas &lt;b onmouseover=alert(1)&gt;&quot;&amp;'"));
    // javascript: URLs are shown as text, never linked.
    assert!(html.contains("javascript:alert(1)") || html.contains("JaVaScRiPt:alert(1)"));
    assert!(!html.to_ascii_lowercase().contains("href=\"javascript"));
}

/// Appends `payload` to every string of the report's JSON (enum values, such as
/// language codes, evidence kinds and sentiment measures, are left alone so the report
/// still deserializes).
fn poison(v: &mut Value, key: &str, payload: &str) {
    match v {
        Value::String(s) => {
            if key == "url" {
                *s = JS_URL.to_string();
            } else if !matches!(
                key,
                "format" | "period" | "kind" | "measure" | "resampling_unit" | "date_from"
            ) && !matches!(
                s.as_str(),
                "zh" | "en" | "ja" | "ko" | "de" | "fr" | "es" | "und"
            ) {
                s.push_str(payload);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| poison(x, key, payload)),
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                poison(x, k, payload);
            }
        }
        _ => {}
    }
}

fn sample_report() -> Report {
    analyze(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/mining-2021"))
}

#[test]
fn every_string_field_is_escaped() {
    let report = sample_report();
    let mut json: Value = serde_json::from_slice(&report.to_json()).unwrap();
    let payload = format!(" {SCRIPT}{IMG}{SVG_BREAK}{QUOTES}");
    poison(&mut json, "", &payload);
    let mut poisoned: Report = serde_json::from_value(json).unwrap();
    poisoned.skipped.push(duibi::corpus::Skipped {
        path: format!("domestic/{IMG}.pdf"),
        reason: SCRIPT.into(),
    });
    poisoned.warnings.push(duibi::corpus::Warning {
        path: format!("{SVG_BREAK}.jsonl"),
        message: QUOTES.into(),
    });
    // Evidence offsets are characters: after the appended payload they still point at
    // the original match.
    let html = duibi::html::render(&poisoned);
    assert_inert(&html);
    assert!(
        html.matches("&lt;script&gt;alert(1)&lt;/script&gt;")
            .count()
            > 100
    );
    assert!(html.contains("&quot;double&quot; 'single' &amp; &amp;amp; &amp;lt;"));
}

#[test]
fn sample_report_has_every_section_and_is_small() {
    let report = sample_report();
    let html = duibi::html::render(&report);
    assert_inert(&html);
    assert!(html.len() < 1_000_000, "{} bytes", html.len());
    for id in [
        "id=\"warnings\"",
        "id=\"summary\"",
        "id=\"overview\"",
        "id=\"terms\"",
        "id=\"concepts\"",
        "id=\"sentiment\"",
        "id=\"time\"",
        "id=\"evidence\"",
        "id=\"frequent\"",
        "id=\"documents\"",
        "id=\"skipped\"",
    ] {
        assert!(html.contains(id), "missing {id}");
    }
    assert!(html.contains("挖矿") && html.contains("比特币"));
    assert!(html.contains("<mark>"), "evidence matches are highlighted");
    assert!(html.contains("How to read this"));
    // The report rendered from its own JSON (what `duibi render` does) is the same page.
    let back: Report = serde_json::from_slice(&report.to_json()).unwrap();
    assert_eq!(duibi::html::render(&back), html);
}

#[test]
fn degenerate_reports_render() {
    let mut report = sample_report();
    report.comparison = None;
    let one = duibi::html::render(&report);
    assert_inert(&one);
    assert!(one.contains("fewer than two groups"));
    report.terms.clear();
    report.documents.clear();
    report.concepts.clear();
    report.doc_concepts.clear();
    report.sentiment.clear();
    report.coverage.clear();
    report.time.clear();
    report.concept_time.clear();
    report.evidence.clear();
    report.corpus.groups.clear();
    report.corpus.languages.clear();
    let empty = duibi::html::render(&report);
    assert_inert(&empty);
    assert!(empty.contains("Corpus overview"));
}
