//! The scan pass's memory does not grow with the corpus (issue 16, item 2): a default
//! run (boilerplate and duplicates set aside) peaks within a fixed margin of the same
//! run without the scan pass, on 150,000 documents. Peak memory is read from the
//! kernel (`wait4`'s maximum resident set size).
//!
//! Ignored by default (a release build takes about a minute):
//! `cargo test --release --test scan_memory -- --ignored`.

#![cfg(target_os = "linux")]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Peak resident set size (MB) of `duibi ARGS < stdin`; the run must succeed.
fn peak_mb(args: &[&str], stdin: &Path) -> u64 {
    let child = Command::new(env!("CARGO_BIN_EXE_duibi"))
        .args(args)
        .stdin(Stdio::from(std::fs::File::open(stdin).unwrap()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let mut status = 0i32;
    // SAFETY: plain syscall on our own child's pid with valid out-pointers.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    assert_eq!(r, pid);
    std::mem::forget(child);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    (ru.ru_maxrss / 1024) as u64
}

/// `n` JSON lines: 3-6 lines of text each from a deterministic generator, a footer
/// per source, and a near-copy every tenth document.
fn corpus(path: &Path, n: usize) {
    let words = [
        "miners", "hash", "rate", "moved", "texas", "after", "the", "ban", "power", "grid",
        "cheap", "farms", "矿工", "算力", "迁移", "电价", "监管", "海外", "矿场", "政策",
    ];
    let mut s = 0x2545_f491_4f6c_dd1du64;
    let mut next = |m: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % m
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut last = String::new();
    for i in 0..n {
        let group = if i % 2 == 0 { "domestic" } else { "overseas" };
        let source = next(50);
        let text = if i % 10 == 9 {
            format!("Reprinted from wire {i}.\\n{last}")
        } else {
            let lines: Vec<String> = (0..3 + next(4))
                .map(|_| {
                    (0..10)
                        .map(|_| words[next(words.len() as u64) as usize])
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            lines.join("\\n")
        };
        last = text.clone();
        writeln!(
            out,
            r#"{{"id": "{group}/{i:07}", "group": "{group}", "source": "s{source}", "date": "2021-0{}-1{}", "text": "{text}\nFollow source {source} for more."}}"#,
            1 + next(9),
            next(10)
        )
        .unwrap();
    }
}

#[test]
#[ignore]
fn the_scan_pass_holds_no_memory_per_document() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus.jsonl");
    corpus(&input, 150_000);
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
    // Main held about 3 KB per document for the scan (450 MB here).
    assert!(
        b <= a + 64,
        "scan pass: {b} MB peak against {a} MB without it"
    );
}
