//! A whole run's memory does not grow with the corpus (issue 16, item 2): a default
//! run with `--tables` (the scan pass, the analysis, the comparison, the tables and
//! the report) over 480,000 documents peaks within 1.3× of the same run over 120,000,
//! documents naming their source (50 per group). Peak memory is read from the kernel
//! (`wait4`'s maximum resident set size).
//!
//! Ignored by default (a release build takes a few minutes); `DUIBI_BIN=path` measures
//! another build:
//! `cargo test --release --test run_memory -- --ignored`.

#![cfg(target_os = "linux")]

mod memory;

use memory::{corpus, peak_mb};
use std::path::Path;

#[test]
#[ignore]
fn a_whole_run_holds_no_memory_per_document() {
    let dir = tempfile::tempdir().unwrap();
    let mut peaks = Vec::new();
    for n in [120_000usize, 480_000] {
        let input = dir.path().join(format!("corpus-{n}.jsonl"));
        corpus(&input, n);
        let out = dir.path().join(format!("r-{n}.json"));
        let tables = dir.path().join(format!("tables-{n}"));
        std::fs::create_dir_all(&tables).unwrap();
        let args = [
            "analyze",
            "--stdin-jsonl",
            "-j",
            "2",
            "--quiet",
            "-o",
            out.to_str().unwrap(),
            "--tables",
            tables.to_str().unwrap(),
        ];
        peaks.push(peak_mb(&args, &input));
        let report = std::fs::read_to_string(&out).unwrap();
        assert!(report.contains("\"tables\""), "the report names its tables");
        let rows = std::fs::read_to_string(tables.join("documents.jsonl")).unwrap();
        assert!(
            rows.lines().count() > n / 2,
            "the documents table is written"
        );
        std::fs::remove_file(&input).unwrap();
    }
    let (small, large) = (peaks[0], peaks[1]);
    eprintln!("peak RSS: {small} MB at 120,000 documents, {large} MB at 480,000");
    // Main held about 0.4 KB per document for the comparison (about 140 MB more here).
    assert!(
        large * 10 <= small * 13,
        "8× the documents: {large} MB peak against {small} MB"
    );
}

/// A directory holding one large JSON Lines file (120,000 documents, 60 MB) is read
/// a block of lines at a time: its peak stays within 1.3× of the same lines through
/// `--stdin-jsonl` (read whole, it took 480 MB against 133 MB).
#[test]
#[ignore]
fn a_large_jsonl_file_in_a_directory_is_not_held_whole() {
    let dir = tempfile::tempdir().unwrap();
    let corpus_dir = dir.path().join("corpus");
    std::fs::create_dir_all(corpus_dir.join("domestic")).unwrap();
    let input = corpus_dir.join("domestic/all.jsonl");
    corpus(&input, 120_000);
    let (out_stdin, out_dir) = (dir.path().join("stdin.json"), dir.path().join("dir.json"));
    let stdin = peak_mb(
        &[
            "analyze",
            "--stdin-jsonl",
            "-j",
            "2",
            "--quiet",
            "-o",
            out_stdin.to_str().unwrap(),
            "--max-file-size",
            "200000000",
        ],
        &input,
    );
    let in_dir = peak_mb(
        &[
            "analyze",
            corpus_dir.to_str().unwrap(),
            "-j",
            "2",
            "--quiet",
            "-o",
            out_dir.to_str().unwrap(),
            "--max-file-size",
            "200000000",
        ],
        Path::new("/dev/null"),
    );
    // Read only now: a child's peak counts the memory of this process when it starts.
    let from_dir = std::fs::read_to_string(&out_dir).unwrap();
    assert!(from_dir.contains("all.jsonl#L120000"), "every line is read");
    eprintln!("peak RSS: {stdin} MB through standard input, {in_dir} MB as a directory");
    assert!(
        in_dir * 10 <= stdin * 13,
        "the directory run took {in_dir} MB, standard input {stdin} MB"
    );
}
