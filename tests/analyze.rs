//! Integration tests of `analyze` on the sample corpus and on a small hand-checked fixture.

use duibi::corpus::{CorpusOptions, Source};
use duibi::lang::Lang;
use duibi::report::Report;
use duibi::run::Pipeline;
use std::path::Path;

fn sample() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/mining-2021"))
}

fn analyze(dir: &Path, threads: usize) -> Report {
    let p = Pipeline::builder().threads(threads).build().unwrap();
    p.analyze(Source::dir(dir, CorpusOptions::default()))
        .unwrap()
        .into_report()
        .unwrap()
}

#[test]
fn sample_corpus_groups_languages_and_accounting() {
    let r = analyze(sample(), 2);
    let groups: Vec<&str> = r.corpus.groups.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(groups, vec!["domestic", "overseas"]);
    for g in &r.corpus.groups {
        assert!(
            g.documents >= 16,
            "{} has {} documents",
            g.group,
            g.documents
        );
    }
    // zh and en term tables for both groups.
    for g in ["domestic", "overseas"] {
        for l in [Lang::Zh, Lang::En] {
            assert!(
                r.terms.iter().any(|t| t.group == g && t.lang == l),
                "no {l} terms for {g}"
            );
        }
    }
    // Every file accounted for.
    assert_eq!(
        r.corpus.files_discovered,
        r.corpus.files_analyzed + r.corpus.files_skipped + r.corpus.metadata_files.len() as u64
    );
    assert_eq!(r.corpus.files_skipped, r.skipped.len() as u64);
    // Traditional pieces are zh-Hant, Simplified ones zh-Hans.
    let doc = |prefix: &str| {
        r.documents
            .iter()
            .find(|d| d.meta.id.contains(prefix))
            .unwrap_or_else(|| panic!("{prefix} missing"))
    };
    for id in ["o04-", "o05-", "o06-", "o07-"] {
        assert_eq!(doc(id).zh_script.as_deref(), Some("zh-Hant"), "{id}");
        assert_eq!(doc(id).lang, Lang::Zh);
        assert_eq!(doc(id).meta.group, "overseas");
    }
    assert_eq!(doc("d01-").zh_script.as_deref(), Some("zh-Hans"));
    // Encodings detected and decoded.
    assert_eq!(doc("d05-").meta.encoding, "GB18030");
    assert_eq!(doc("o04-").meta.encoding, "Big5");
    assert_eq!(doc("d18-").meta.encoding, "UTF-16LE");
    assert_eq!(doc("d02-").meta.encoding, "UTF-8-BOM");
    for d in &r.documents {
        assert_eq!(
            d.meta.replaced_chars, 0,
            "{} had undecodable bytes",
            d.meta.id
        );
    }
    // English-language domestic pieces stay domestic; manifest metadata is attached.
    assert_eq!(doc("d08-").lang, Lang::En);
    assert_eq!(doc("d08-").meta.group, "domestic");
    assert_eq!(doc("d08-").meta.group_from, "manifest");
    assert!(doc("d08-").meta.fields.source.is_some());
    assert!(doc("d08-").meta.date_iso.is_some());
    // Markdown front matter and HTML titles.
    assert!(doc("o03-")
        .meta
        .fields
        .title
        .as_deref()
        .unwrap_or("")
        .contains(':'));
    // Script and style contents never leak into counts: o08 hides these words in a <script>.
    let o08 = doc("o08-");
    assert!(o08.tokens > 100);
}

#[test]
fn gbk_document_terms_are_decoded() {
    let r = analyze(sample(), 1);
    // The GBK editorial is about carbon neutrality: its Chinese terms must be counted.
    assert!(r
        .terms
        .iter()
        .any(|t| t.group == "domestic" && t.lang == Lang::Zh && t.term == "碳中和"));
}

#[test]
fn report_is_identical_across_thread_counts() {
    let a = analyze(sample(), 1).to_json();
    let b = analyze(sample(), 2).to_json();
    let c = analyze(sample(), 4).to_json();
    assert!(a == b && b == c, "reports differ across thread counts");
}

fn write(dir: &Path, rel: &str, content: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

#[test]
fn hand_checked_counts_on_a_small_fixture() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "domestic/a.txt",
        "挖矿被清退。挖矿的风险很大！".as_bytes(),
    );
    write(d, "domestic/b.txt", "监管部门清退挖矿".as_bytes());
    write(
        d,
        "overseas/c.txt",
        b"Mining moves to Texas. Mining, mining!",
    );
    write(d, "overseas/logo.png", b"\x89PNG\r\n\x1a\n\0\0");
    let r = analyze(d, 2);
    let term = |g: &str, l: Lang, t: &str| {
        r.terms
            .iter()
            .find(|x| x.group == g && x.lang == l && x.term == t)
            .unwrap_or_else(|| panic!("{g}/{l}/{t} missing"))
    };
    // 挖矿 ×3 in 2 documents; 清退 ×2 in 2 documents.
    let w = term("domestic", Lang::Zh, "挖矿");
    assert_eq!((w.count, w.doc_freq, w.rank), (3, 2, 1));
    assert_eq!(term("domestic", Lang::Zh, "清退").count, 2);
    // Tokens: 挖矿 被 清退 挖矿 的 风险 很 大 | 监管部门? — count via the language summary.
    let zh = r
        .corpus
        .languages
        .iter()
        .find(|l| l.group == "domestic" && l.lang == Lang::Zh)
        .unwrap();
    assert!((w.per_10k - 3.0 * 10_000.0 / zh.tokens as f64).abs() < 1e-3);
    // English: mining ×3 (case folded), texas ×1; "to" is a stopword, not counted but a token.
    let m = term("overseas", Lang::En, "mining");
    assert_eq!((m.count, m.doc_freq), (3, 1));
    assert_eq!(term("overseas", Lang::En, "texas").count, 1);
    assert!(!r.terms.iter().any(|t| t.term == "to"));
    let en = r
        .corpus
        .languages
        .iter()
        .find(|l| l.group == "overseas" && l.lang == Lang::En)
        .unwrap();
    assert_eq!(en.tokens, 6); // mining moves to texas mining mining
    assert_eq!(m.per_10k, 5000.0);
    // The image is listed as skipped, with a reason.
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].path, "overseas/logo.png");
    assert!(r.skipped[0].reason.contains("unsupported"));
    assert_eq!(r.corpus.files_discovered, 4);
}

#[test]
fn front_matter_and_manifest_decide_groups() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "misc/a.md",
        "---\ngroup: overseas\nsource: Harbour\ndate: 2021-06-01\n---\n# 礦場\n\n礦場遷往[海外](https://example.org)。\n".as_bytes(),
    );
    write(d, "misc/b.txt", b"Regulators closed mining farms.");
    write(
        d,
        "misc/c.txt",
        b"No manifest entry, so the directory names the group.",
    );
    write(
        d,
        "manifest.csv",
        b"path,group,source\nmisc/b.txt,domestic,State Daily\n",
    );
    let r = analyze(d, 1);
    let g = |id: &str| {
        let doc = r.documents.iter().find(|x| x.meta.id == id).unwrap();
        (doc.meta.group.as_str(), doc.meta.group_from.as_str())
    };
    assert_eq!(g("misc/a.md"), ("overseas", "front_matter"));
    assert_eq!(g("misc/b.txt"), ("domestic", "manifest"));
    assert_eq!(g("misc/c.txt"), ("misc", "directory"));
    // Link text is kept, the URL is not.
    assert!(r.terms.iter().any(|t| t.term == "海外"));
    assert!(!r.terms.iter().any(|t| t.term.contains("example")));
}

#[test]
fn jsonl_documents_carry_their_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "feed.jsonl",
        "{\"text\":\"算力外流\",\"group\":\"domestic\",\"source\":\"X\"}\n{bad\n{\"text\":\"hash rate exodus\",\"group\":\"overseas\"}\n".as_bytes(),
    );
    let r = analyze(d, 1);
    let ids: Vec<&str> = r.documents.iter().map(|x| x.meta.id.as_str()).collect();
    assert_eq!(ids, vec!["feed.jsonl#L1", "feed.jsonl#L3"]);
    assert_eq!(r.warnings.len(), 1);
    assert!(r.warnings[0].message.starts_with("line 2:"));
}

#[test]
fn streamed_report_and_documents_match_the_report_in_memory() {
    // One thread formats the documents itself; more format them on the pool.
    for threads in [1, 2] {
        streamed_report_matches(threads);
    }
}

fn streamed_report_matches(threads: usize) {
    let p = Pipeline::builder().threads(threads).build().unwrap();
    let lazy = p
        .analyze(Source::dir(sample(), CorpusOptions::default()))
        .unwrap();
    assert!(lazy.head().documents.is_empty() && lazy.head().doc_concepts.is_empty());
    let mut streamed = Vec::new();
    lazy.write_json(&mut streamed).unwrap();
    let mut lines = Vec::new();
    lazy.write_documents_jsonl(&mut lines).unwrap();
    let report = lazy.into_report().unwrap();
    assert!(!report.doc_concepts.is_empty());
    assert_eq!(
        String::from_utf8(streamed).unwrap(),
        String::from_utf8(report.to_json()).unwrap()
    );
    let mut expected = Vec::new();
    for d in &report.documents {
        serde_json::to_writer(&mut expected, d).unwrap();
        expected.push(b'\n');
    }
    assert_eq!(lines, expected);
    // The in-memory report is the one into_report returns, down to the fields the JSON
    // leaves out (a document's group field as read).
    let direct = analyze(sample(), 1);
    assert_eq!(report.documents, direct.documents);
    assert_eq!(report.doc_concepts, direct.doc_concepts);
    assert_eq!(report.to_json(), direct.to_json());
}
