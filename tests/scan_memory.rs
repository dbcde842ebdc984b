//! The scan pass's memory does not grow with the corpus (issue 16, item 2): a default
//! run (boilerplate and duplicates set aside) peaks within a fixed margin of the same
//! run without the scan pass, on 120,000 documents. Peak memory is read from the
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

/// `n` JSON lines: 6-9 lines of text each from a deterministic generator, a footer
/// per source, and a near-copy every tenth document.
fn corpus(path: &Path, n: usize) {
    let mut s = 0x2545_f491_4f6c_dd1du64;
    let mut next = |m: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % m
    };
    // A vocabulary of 5,000 made-up words, Latin and Han, so documents share words
    // the way real ones do rather than every shingle.
    let words: Vec<String> = (0..5000)
        .map(|i| {
            let n = 2 + next(6);
            (0..n)
                .map(|_| {
                    if i % 3 == 0 {
                        char::from_u32(0x4e00 + next(3000) as u32).unwrap_or('字')
                    } else {
                        (b'a' + next(26) as u8) as char
                    }
                })
                .collect()
        })
        .collect();
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    // The last text of each group: a copy stays in its group.
    let mut last = [String::new(), String::new()];
    for i in 0..n {
        let group = if i % 2 == 0 { "domestic" } else { "overseas" };
        let source = next(50);
        let text = if i % 10 == 9 {
            format!("Reprinted from wire {i}.\\n{}", last[i % 2])
        } else {
            let lines: Vec<String> = (0..6 + next(4))
                .map(|_| {
                    (0..10)
                        .map(|_| words[next(words.len() as u64) as usize].as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            lines.join("\\n")
        };
        last[i % 2] = text.clone();
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
