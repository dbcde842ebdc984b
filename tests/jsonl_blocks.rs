//! A large JSON Lines file in a corpus directory is read a block of lines at a time
//! (`CorpusOptions::jsonl_block`), and the report is the one a whole read gives:
//! documents, warnings, duplicates set aside, evidence quoted from the file.

mod memory;

use duibi::corpus::{CorpusOptions, Source};
use duibi::run::Pipeline;
use std::path::Path;

fn report(dir: &Path, jsonl_block: usize, threads: usize) -> String {
    let opts = CorpusOptions {
        jsonl_block,
        ..CorpusOptions::default()
    };
    let p = Pipeline::builder().threads(threads).build().unwrap();
    let r = p
        .analyze(Source::dir(dir, opts))
        .unwrap()
        .into_report()
        .unwrap();
    serde_json::to_string(&r).unwrap()
}

#[test]
fn a_large_jsonl_file_gives_the_report_of_a_whole_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("domestic")).unwrap();
    let big = dir.path().join("domestic/big.jsonl");
    memory::corpus(&big, 12_000);
    // At the end of the file (lines 12,001 to 12,003): a malformed line, a record
    // without text, and one with no group of its own (the directory's applies) and an
    // impossible date; and a small file read whole beside it.
    let mut text = std::fs::read_to_string(&big).unwrap();
    text.push_str(
        "{not json\n{\"title\": \"no text\"}\n{\"text\": \"late\", \"date\": \"2021-13-40\"}\n",
    );
    std::fs::write(&big, text).unwrap();
    std::fs::write(
        dir.path().join("domestic/small.jsonl"),
        "{\"text\": \"Mining farms moved abroad.\", \"group\": \"overseas\"}\n",
    )
    .unwrap();
    let size = std::fs::metadata(&big).unwrap().len();
    assert!(
        size > 2 * duibi::config::JSONL_BLOCK_BYTES as u64,
        "the file ({size} bytes) is large enough to be read by blocks"
    );
    let whole = report(dir.path(), 0, 2);
    assert!(
        whole.contains("big.jsonl#L12003"),
        "the last record is a document"
    );
    assert!(whole.contains("line 12001: malformed JSON"));
    assert!(whole.contains("\"evidence\""));
    assert_eq!(
        report(dir.path(), duibi::config::JSONL_BLOCK_BYTES, 2),
        whole
    );
    // Small blocks (hundreds of them) and one thread.
    assert_eq!(report(dir.path(), 16 << 10, 1), whole);
}
