//! Evidence (issue 14 item 6): examples spread over documents and sources, no sentence
//! shown twice, quoted as written in the source, character offsets everywhere, and
//! evidence from `.jsonl` corpus files and documents in memory.

use duibi::corpus::{CorpusOptions, Document, Source};
use duibi::report::Report;
use duibi::run::Pipeline;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn write(dir: &Path, rel: &str, content: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

fn pipeline() -> Pipeline {
    Pipeline::builder().bootstrap_reps(50).build().unwrap()
}

fn run(dir: &Path) -> Report {
    pipeline()
        .analyze(Source::dir(dir, CorpusOptions::default()))
        .and_then(|r| r.into_report())
        .unwrap()
}

/// Sentence `i` of a domestic document: each different, all about the same terms.
fn domestic_sentence(doc: usize, i: usize) -> String {
    format!("Hashrate operators relocated rig batch {doc}-{i} while hydropower tariffs climbed in valley {i}.")
}

/// Twenty domestic documents from ten sources: the first three repeat one footer
/// sentence that holds the distinctive terms.
fn spread_corpus(d: &Path) {
    for k in 0..20 {
        let mut text = String::new();
        for i in 0..4 {
            text.push_str(&domestic_sentence(k, i));
            text.push(' ');
        }
        if k < 3 {
            text.push_str(
                "\n\nFollow hashrate operators hydropower tariffs relocated rig newsletter.\n",
            );
        }
        write(
            d,
            &format!("domestic/d{k:02}.md"),
            &format!("---\nsource: outlet{}\n---\n{text}", k % 10),
        );
        write(
            d,
            &format!("overseas/o{k:02}.txt"),
            &format!(
                "Regulators banned exchanges and lenders {k} froze withdrawals. Custodians audited stablecoin reserves {k} again. \
                 Lawmakers debated custody rules {k} for weeks."
            ),
        );
    }
}

#[test]
fn examples_spread_over_documents_without_repeats() {
    let tmp = tempfile::tempdir().unwrap();
    spread_corpus(tmp.path());
    let r = run(tmp.path());
    let ev: Vec<_> = r
        .evidence
        .iter()
        .filter(|e| e.group == "domestic")
        .collect();
    assert!(ev.len() >= 9, "{}", ev.len());
    // No key shows a sentence twice, and few sentences are shown under two keys (main
    // showed each of the first three documents' first sentence under every key).
    let mut sentences = BTreeSet::new();
    let mut key_sentences = BTreeSet::new();
    for e in &ev {
        assert!(
            key_sentences.insert((e.key.as_str(), e.sentence.as_str())),
            "{e:?}"
        );
        sentences.insert(e.sentence.as_str());
    }
    assert!(
        sentences.len() * 10 >= ev.len() * 9,
        "{} sentences for {} examples",
        sentences.len(),
        ev.len()
    );
    // One document per key, and the examples of all keys spread over documents: the
    // first three files in name order no longer give every example.
    let mut per_key: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut per_doc: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &ev {
        assert!(per_key
            .entry(e.key.as_str())
            .or_default()
            .insert(e.doc_id.as_str()));
        *per_doc.entry(e.doc_id.as_str()).or_default() += 1;
    }
    let first3 = ["domestic/d00.md", "domestic/d01.md", "domestic/d02.md"];
    let from_first3: usize = first3
        .iter()
        .map(|d| per_doc.get(d).copied().unwrap_or(0))
        .sum();
    assert!(
        from_first3 * 2 < ev.len(),
        "{from_first3} of {} examples from the first three files: {per_doc:?}",
        ev.len()
    );
    assert!(per_doc.len() >= 9, "{per_doc:?}");
    // The same bytes whatever the thread count.
    let one = Pipeline::builder()
        .bootstrap_reps(50)
        .threads(1)
        .build()
        .unwrap();
    let r1 = one
        .analyze(Source::dir(tmp.path(), CorpusOptions::default()))
        .and_then(|r| r.into_report())
        .unwrap();
    assert_eq!(r1.evidence, r.evidence);
}

/// Chinese with full-width punctuation and letters, in a `.jsonl` corpus file.
const ZH: &str = "矿工说：“ＢＴＣ矿场迁往德州，电费更低。”监管部门表示，挖矿耗电严重！";

fn zh_doc(i: usize) -> String {
    format!("{ZH}第{i}批矿机已经运走，矿场空了。")
}

fn check_as_written(r: &Report, raw_texts: &[String]) {
    let zh: Vec<_> = r
        .evidence
        .iter()
        .filter(|e| e.group == "domestic")
        .collect();
    assert!(!zh.is_empty());
    for e in &zh {
        // The sentence is found in a source text as written (full-width ，：“ kept).
        assert!(
            raw_texts.iter().any(|t| t.contains(&e.sentence)),
            "not in the source: {:?}",
            e.sentence
        );
        // Offsets are characters of that sentence and cover the match as written.
        let m: String = e
            .sentence
            .chars()
            .skip(e.match_start as usize)
            .take((e.match_end - e.match_start) as usize)
            .collect();
        let norm = duibi::text::normalize(&m).to_lowercase();
        assert!(
            !m.is_empty()
                && (norm.contains(&e.key) || e.kind == duibi::report::EvidenceKind::Concept),
            "{e:?}"
        );
    }
    assert!(
        zh.iter()
            .any(|e| e.sentence.contains('，') || e.sentence.contains('：')),
        "{zh:?}"
    );
}

fn english(i: usize) -> String {
    format!("Regulators banned exchanges {i}. Lawmakers debated custody rules {i}. Lenders froze withdrawals {i}.")
}

#[test]
fn evidence_from_jsonl_files_is_quoted_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let mut raw = Vec::new();
    let mut lines = String::new();
    for i in 0..8 {
        let t = zh_doc(i);
        lines.push_str(&serde_json::json!({ "text": t }).to_string());
        lines.push('\n');
        raw.push(t);
        write(tmp.path(), &format!("overseas/o{i}.txt"), &english(i));
    }
    write(tmp.path(), "domestic/records.jsonl", &lines);
    let r = run(tmp.path());
    check_as_written(&r, &raw);
    assert!(r
        .evidence
        .iter()
        .any(|e| e.doc_id.starts_with("domestic/records.jsonl#L")));
}

#[test]
fn evidence_from_documents_in_memory_is_quoted_as_written() {
    let mut docs = Vec::new();
    let mut raw = Vec::new();
    for i in 0..8 {
        raw.push(zh_doc(i));
        docs.push(Document::in_memory(format!("zh{i}"), "domestic", zh_doc(i)));
        docs.push(Document::in_memory(
            format!("en{i}"),
            "overseas",
            english(i),
        ));
    }
    let r = pipeline()
        .analyze(Source::documents(docs))
        .and_then(|r| r.into_report())
        .unwrap();
    check_as_written(&r, &raw);
}

#[test]
fn tokenize_and_score_offsets_are_characters() {
    let bin = env!("CARGO_BIN_EXE_duibi");
    let out = std::process::Command::new(bin)
        .args(["tokenize", "比特币 rose"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rose = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["term"] == "rose")
        .unwrap();
    assert_eq!(
        (rose["start"].as_u64(), rose["end"].as_u64()),
        (Some(4), Some(8))
    );
    let out = std::process::Command::new(bin)
        .args(["score", "比特币暴跌。Prices fell."])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = v["sentences"].as_array().unwrap();
    assert_eq!(
        (s[1]["start"].as_u64(), s[1]["end"].as_u64()),
        (Some(6), Some(18))
    );
}

#[test]
fn evidence_from_a_stream_is_read_back_from_the_spool() {
    // More records than one batch of the stream reader, the Chinese ones (the only
    // domestic mentions of the mining concepts) in the second batch: their examples
    // must be read back from the spooled stream, quoted as written, with their line ids.
    let mut raw = Vec::new();
    let mut lines = String::new();
    for i in 0..1500 {
        let (group, t) = if i < 1100 {
            if i % 2 == 0 {
                (
                    "domestic",
                    format!("Weather note {i}. Rain fell on the harbour."),
                )
            } else {
                ("overseas", english(i))
            }
        } else if i % 2 == 0 {
            ("domestic", zh_doc(i))
        } else {
            ("overseas", english(i))
        };
        lines.push_str(&serde_json::json!({ "group": group, "text": t }).to_string());
        lines.push('\n');
        if group == "domestic" {
            raw.push(t);
        }
    }
    let r = pipeline()
        .analyze(Source::json_lines(lines.as_bytes(), "-"))
        .and_then(|r| r.into_report())
        .unwrap();
    check_as_written(&r, &raw);
    let late = r.evidence.iter().filter(|e| {
        e.doc_id
            .strip_prefix("-#L")
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n > 1100)
    });
    assert!(late.count() > 0, "{:?}", r.evidence);
}
