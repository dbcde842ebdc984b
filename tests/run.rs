//! The run's one way in (`Pipeline::analyze` / `analyze_partial` over a `Source`), the
//! old entry points it replaces, and what every source shares: the one `Document`
//! constructor (unparsable-date warnings) and typed errors the CLI words itself.

use assert_cmd::Command;
use duibi::corpus::{format::Fields, CorpusOptions, Document, Source};
use duibi::report::Report;
use duibi::run::{ErrorKind, Pipeline, PipelineError};
use std::path::Path;

fn sample() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/mining-2021"))
}

fn pipeline() -> Pipeline {
    Pipeline::builder()
        .bootstrap_reps(100)
        .threads(2)
        .build()
        .unwrap()
}

/// The sample corpus as documents, as a directory run loads them.
fn sample_docs() -> Vec<Document> {
    let corpus = duibi::corpus::Corpus::discover(sample(), &Default::default()).unwrap();
    let mut docs = Vec::new();
    for f in corpus.files() {
        docs.extend(corpus.load(f).unwrap().docs);
    }
    docs
}

fn json(r: &Report) -> String {
    String::from_utf8(r.to_json()).unwrap()
}

#[test]
fn old_entry_points_give_what_analyze_gives() {
    let p = pipeline();
    let opts = CorpusOptions::default();
    let new = p
        .analyze(Source::dir(sample(), opts.clone()))
        .unwrap()
        .into_report()
        .unwrap();
    let old = p.analyze_dir(sample(), &opts, &|_| {}).unwrap();
    assert_eq!(json(&new), json(&old));
    let new = p
        .analyze_partial(Source::dir(sample(), opts.clone()))
        .unwrap();
    let old = p.analyze_dir_partial(sample(), &opts, &|_| {}).unwrap();
    assert_eq!(new, old);
    let lines = r#"{"id":"a","group":"g","text":"挖矿被清退。"}"#;
    let new = p
        .analyze_partial(Source::json_lines(lines.as_bytes(), "-"))
        .unwrap();
    let old = p.analyze_jsonl(lines.as_bytes(), "-", &|_| {}).unwrap();
    assert_eq!(new, old);
}

#[test]
fn in_memory_documents_report_like_the_directory() {
    let p = pipeline();
    let progress = std::sync::atomic::AtomicUsize::new(0);
    let count = |_: &str| {
        progress.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let docs = sample_docs();
    let n = docs.len();
    let mem = p
        .analyze(Source::documents(docs).progress(&count))
        .unwrap()
        .into_report()
        .unwrap();
    assert_eq!(progress.into_inner(), n);
    let dir = p
        .analyze(Source::dir(sample(), CorpusOptions::default()))
        .unwrap()
        .into_report()
        .unwrap();
    assert_eq!(mem.corpus.root, "memory");
    assert_eq!(mem.corpus.documents, dir.corpus.documents);
    assert_eq!(mem.documents, dir.documents);
    // Everything but where the documents came from: the documents are in file order,
    // so the evidence (first documents of each target) is the same too.
    let v = |r: &Report| {
        let mut v = serde_json::to_value(r).unwrap();
        v.as_object_mut().unwrap().remove("corpus");
        v
    };
    assert!(!dir.evidence.is_empty());
    assert_eq!(v(&mem), v(&dir));
}

#[test]
fn in_memory_documents_with_fields() {
    let p = pipeline();
    let when = |d: &str| Fields {
        date: Some(d.into()),
        source: Some("outlet".into()),
        ..Fields::default()
    };
    let docs = vec![
        Document::in_memory("a", "domestic", "监管部门要求清退挖矿项目。")
            .with_fields(when("2021-05-21")),
        Document::in_memory("b", "overseas", "Miners are heading to Texas.")
            .with_fields(when("someday")),
    ];
    let r = p
        .analyze(Source::documents(docs))
        .unwrap()
        .into_report()
        .unwrap();
    assert_eq!(r.documents[0].meta.date_iso.as_deref(), Some("2021-05-21"));
    assert_eq!(r.documents[1].meta.date_iso, None);
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].path, "b");
    assert_eq!(
        r.warnings[0].message,
        "unparsable date \"someday\" (kept as text)"
    );
}

#[test]
fn errors_are_typed_and_free_of_cli_wording() {
    let p = pipeline();
    let empty = p.analyze(Source::documents(Vec::new())).unwrap_err();
    assert!(matches!(&empty, PipelineError::NoDocuments { path, skipped: 0 } if path == "memory"));
    assert_eq!(empty.kind(), ErrorKind::Input);
    assert!(!empty.to_string().contains("--quiet"), "{empty}");
    let twice = vec![
        Document::in_memory("x", "g", "one"),
        Document::in_memory("x", "h", "two"),
    ];
    let e = p.analyze(Source::documents(twice)).unwrap_err();
    assert!(
        matches!(&e, PipelineError::DuplicateId { id } if id == "x"),
        "{e:?}"
    );
    // A read error (not a bad record: those are skipped) ends the run, with its line.
    struct FailsAfterOneLine(bool);
    impl std::io::Read for FailsAfterOneLine {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let line = b"{\"group\":\"g\",\"text\":\"a\"}\n";
            if std::mem::replace(&mut self.0, true) {
                return Err(std::io::Error::other("device gone"));
            }
            buf[..line.len()].copy_from_slice(line);
            Ok(line.len())
        }
    }
    // Streamed (nothing set aside, no evidence: the input is not spooled).
    let streaming = Pipeline::builder()
        .keep_boilerplate(true)
        .keep_duplicates(true)
        .evidence(0)
        .build()
        .unwrap();
    let bad = std::io::BufReader::new(FailsAfterOneLine(false));
    let e = streaming
        .analyze(Source::json_lines(bad, "in"))
        .unwrap_err();
    assert!(
        matches!(&e, PipelineError::Read { name, line: 2, .. } if name == "in"),
        "{e:?}"
    );
    assert_eq!(e.to_string(), "in: line 2");
    // Spooled first (the default): the copy fails, typed, with no CLI wording.
    let bad = std::io::BufReader::new(FailsAfterOneLine(false));
    let e = p.analyze(Source::json_lines(bad, "in")).unwrap_err();
    assert!(matches!(&e, PipelineError::Spool(_)), "{e:?}");
    assert!(!e.to_string().contains("--"), "{e}");
}

fn duibi() -> Command {
    let mut c = Command::cargo_bin("duibi").unwrap();
    c.timeout(std::time::Duration::from_secs(300));
    c
}

fn warnings_of(report: &[u8]) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_slice(report).unwrap();
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let s = |k: &str| w[k].as_str().unwrap().to_string();
            (s("path"), s("message"))
        })
        .collect()
}

/// Drift fix: `--stdin-jsonl` used to build its documents without the
/// unparsable-date warning that a `.jsonl` file of a corpus directory raises.
#[test]
fn stdin_jsonl_warns_of_unparsable_dates_like_a_jsonl_file() {
    let lines = concat!(
        r#"{"id":"a","group":"domestic","date":"2021-05-21","text":"监管部门要求清退挖矿项目。"}"#,
        "\n",
        r#"{"id":"b","group":"overseas","date":"someday","text":"Miners are heading to Texas."}"#,
        "\n",
    );
    let expected = "line 2: unparsable date \"someday\" (kept as text)";
    let out = duibi()
        .args(["analyze", "--stdin-jsonl", "--bootstrap", "100", "-o", "-"])
        .write_stdin(lines)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        warnings_of(&out.stdout),
        vec![("-".to_string(), expected.to_string())]
    );
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("docs.jsonl"), lines).unwrap();
    let out = duibi()
        .args([
            "analyze",
            t.path().to_str().unwrap(),
            "--bootstrap",
            "100",
            "-o",
            "-",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        warnings_of(&out.stdout),
        vec![("docs.jsonl".to_string(), expected.to_string())]
    );
}

/// The CLI words the library's errors itself, with the exit codes of before.
#[test]
fn cli_wording_and_exit_codes_of_run_errors() {
    let out = duibi()
        .args([
            "analyze",
            sample().to_str().unwrap(),
            "--compare",
            "domestic,elsewhere",
        ])
        .args(["--bootstrap", "100", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "duibi: error: --compare: no group named \"elsewhere\" in the corpus (groups: domestic, overseas)\n"
    );
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("c");
    std::fs::create_dir_all(dir.join("domestic")).unwrap();
    std::fs::write(dir.join("domestic/b.txt"), b"").unwrap();
    let d = dir.to_str().unwrap();
    let out = duibi()
        .args(["analyze", d, "--quiet", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("duibi: error: {d}: no readable documents (1 file(s) skipped; rerun without --quiet to see why)\n")
    );
}
