//! The scan pass's memory does not grow with the corpus (issue 16, item 2): a default
//! run (boilerplate and duplicates set aside) peaks within a fixed margin of the same
//! run without the scan pass, on 120,000 documents. Peak memory is read from the
//! kernel (`wait4`'s maximum resident set size).
//!
//! Ignored by default (a release build takes about a minute):
//! `cargo test --release --test scan_memory -- --ignored`.

#![cfg(target_os = "linux")]

mod memory;

use memory::{corpus, peak_mb};

#[test]
#[ignore]
fn the_scan_pass_holds_no_memory_per_document() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus.jsonl");
    corpus(&input, 120_000);
    let out = dir.path().join("r.json");
    let o = out.to_str().unwrap();
    let base = [
        "analyze",
        "--stdin-jsonl",
        "-j",
        "2",
        "--quiet",
        "--evidence",
        "0",
        "-o",
        o,
    ];
    let without: Vec<&str> = base
        .iter()
        .copied()
        .chain(["--keep-boilerplate", "--keep-duplicates"])
        .collect();
    let a = peak_mb(&without, &input);
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(!report.contains("\"duplicate_of\""));
    let b = peak_mb(&base, &input);
    let report = std::fs::read_to_string(&out).unwrap();
    // The scan pass did set something aside: copies and footers.
    assert!(report.contains("\"duplicate_of\""));
    eprintln!("peak RSS: {a} MB without the scan pass, {b} MB with it");
    // Main held about 3 KB per document for the scan (about 350 MB here).
    assert!(
        b <= a + 64,
        "scan pass: {b} MB peak against {a} MB without it"
    );
}
