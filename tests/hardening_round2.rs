//! Hardening, round 2 (issue 17): items 1, 4 (views), 5, the user dictionary bound, with
//! inputs generated here. Peak memory is read from the kernel (`wait4`'s maximum
//! resident set size); a run is killed past a time or memory guard so a regression
//! fails quickly instead of taking the machine down.
//!
//! The full-size inputs of the issue (5 MB of Chinese without punctuation, 300 KB
//! hard-wrapped English files without periods, a 1.4 MB JSON-lines record of repeated
//! words) run in `hostile_inputs_full_size`, ignored by default and run by `.ci/run`
//! (release build): `cargo test --release --test hardening_round2 -- --ignored`.

#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// What a measured run gave.
struct Run {
    code: Option<i32>,
    /// Peak resident set size, MB.
    peak_mb: u64,
    elapsed: Duration,
    stderr: String,
}

/// Current resident set size of process `pid`, MB (0 when it is gone).
fn rss_mb(pid: i32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

/// Runs `duibi ARGS` (standard input from `stdin`), killed past `limit` or `max_mb` of
/// resident memory; returns its exit code, peak RSS, time and standard error.
fn measured(args: &[&str], stdin: Option<&Path>, limit: Duration, max_mb: u64) -> Run {
    let err = tempfile::NamedTempFile::new().unwrap();
    let input = match stdin {
        Some(p) => Stdio::from(std::fs::File::open(p).unwrap()),
        None => Stdio::null(),
    };
    let child = Command::new(env!("CARGO_BIN_EXE_duibi"))
        .args(args)
        .stdin(input)
        .stdout(Stdio::null())
        .stderr(err.reopen().unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let done = Arc::new(AtomicBool::new(false));
    let guard = {
        let done = done.clone();
        std::thread::spawn(move || {
            let start = Instant::now();
            while !done.load(Ordering::Relaxed) {
                if start.elapsed() > limit || rss_mb(pid) > max_mb {
                    // SAFETY: signalling our own child, not yet reaped (wait4 below
                    // reaps it only after `done` is set... or after this kill).
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    return true;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            false
        })
    };
    let start = Instant::now();
    let mut status = 0i32;
    // SAFETY: plain syscall on our child's pid with valid out-pointers.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    let elapsed = start.elapsed();
    done.store(true, Ordering::Relaxed);
    let killed = guard.join().unwrap();
    assert_eq!(r, pid);
    std::mem::forget(child);
    let stderr = std::fs::read_to_string(err.path()).unwrap_or_default();
    assert!(
        !killed,
        "duibi {args:?} killed: over {limit:?} or {max_mb} MB ({} MB peak, {elapsed:?}); {stderr}",
        ru.ru_maxrss / 1024
    );
    Run {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        peak_mb: (ru.ru_maxrss / 1024) as u64,
        elapsed,
        stderr,
    }
}

/// `n` bytes (about) of Chinese without any punctuation or line break.
fn chinese_unpunctuated(n: usize) -> String {
    let words = [
        "比特币",
        "矿工",
        "算力",
        "迁移",
        "电价",
        "矿场",
        "关停",
        "德州",
        "监管",
        "挖矿",
    ];
    let mut s = String::with_capacity(n + 16);
    let mut i = 0usize;
    while s.len() < n {
        s.push_str(words[(i * 7 + i / 10) % words.len()]);
        i += 1;
    }
    s
}

/// `n` bytes (about) of English hard-wrapped at 70 columns with no sentence end.
fn english_unpunctuated(n: usize, words: &[&str]) -> String {
    let mut s = String::with_capacity(n + 80);
    let mut col = 0;
    let mut i = 0usize;
    while s.len() < n {
        let w = words[(i * 5 + i / 7) % words.len()];
        if col + w.len() > 70 {
            s.push('\n');
            col = 0;
        } else if col > 0 {
            s.push(' ');
            col += 1;
        }
        s.push_str(w);
        col += w.len();
        i += 1;
    }
    s
}

const DOMESTIC: &[&str] = &[
    "miners",
    "relocated",
    "hashrate",
    "rigs",
    "hydropower",
    "tariffs",
    "bitcoin",
    "farms",
];
const OVERSEAS: &[&str] = &[
    "regulators",
    "banned",
    "exchanges",
    "lenders",
    "custody",
    "stablecoin",
    "bitcoin",
    "audits",
];

/// A corpus of two groups with the hostile files, plus a few ordinary documents so the
/// comparison has distinctive terms (and the evidence pass work to do).
fn hostile_corpus(root: &Path, zh: usize, en: usize) {
    write(root, "domestic/zh-big.txt", chinese_unpunctuated(zh));
    for k in 0..2 {
        write(
            root,
            &format!("domestic/en-big{k}.txt"),
            english_unpunctuated(en, DOMESTIC),
        );
        write(
            root,
            &format!("overseas/en-big{k}.txt"),
            english_unpunctuated(en, OVERSEAS),
        );
    }
    for k in 0..4 {
        write(
            root,
            &format!("domestic/n{k}.txt"),
            "Miners relocated rigs as hydropower tariffs rose. 矿工迁移矿场。",
        );
        write(
            root,
            &format!("overseas/n{k}.txt"),
            "Regulators banned exchanges. Lenders froze custody audits.",
        );
    }
}

fn analyze_args<'a>(dir: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "analyze",
        dir,
        "-o",
        out,
        "--quiet",
        "--bootstrap",
        "100",
        "-j",
        "2",
    ]
}

/// Item 1: text with no sentence ends no longer makes the evidence pass copy a huge
/// sentence per match (main: two 300 KB hard-wrapped English files per group reached
/// 4 GB in 1.7 s, 5 MB of Chinese 24 GB). Smaller sizes here, the same shape.
#[test]
fn text_without_sentence_ends_keeps_memory_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("c");
    hostile_corpus(&root, 400_000, 150_000);
    let out = tmp.path().join("r.json");
    let (d, o) = (root.to_str().unwrap(), out.to_str().unwrap());
    let r = measured(&analyze_args(d, o), None, Duration::from_secs(240), 1500);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.peak_mb < 700, "peak {} MB", r.peak_mb);
    let rep: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let ev = rep["evidence"].as_array().unwrap();
    assert!(!ev.is_empty());
    let longest = ev
        .iter()
        .map(|e| e["sentence"].as_str().unwrap().len())
        .max()
        .unwrap();
    assert!(longest <= duibi::config::MAX_SENTENCE_BYTES, "{longest}");
}

/// Item 5: records read from standard input get the limits of a corpus file, each bad
/// record is listed as `<stdin>:LINE` with its reason, and the batch goes on (main
/// held a record of any size, and one line of invalid UTF-8 ended the run).
#[test]
fn stdin_records_have_the_limits_of_files() {
    let tmp = tempfile::tempdir().unwrap();
    let mut input: Vec<u8> = Vec::new();
    let rec = |g: &str, t: &str| format!("{}\n", serde_json::json!({"group": g, "text": t}));
    input.extend(rec("domestic", "Miners relocated rigs.").bytes());
    input.extend(rec("domestic", &"hashrate ".repeat(500)).bytes()); // 4.5 KB > 2000
    input.extend(b"{\"group\":\"overseas\",\"text\":\"bad \xff byte\"}\n");
    let long_id = "i".repeat(duibi::config::MAX_ID_BYTES + 1);
    input.extend(
        format!(
            "{}\n",
            serde_json::json!({"group": "overseas", "text": "x", "id": long_id})
        )
        .bytes(),
    );
    input.extend(rec("overseas", "   ").bytes());
    input.extend(rec("overseas", "Regulators banned exchanges.").bytes());
    let inp = tmp.path().join("in.jsonl");
    std::fs::write(&inp, &input).unwrap();
    let out = tmp.path().join("r.json");
    let args = [
        "analyze",
        "--stdin-jsonl",
        "-o",
        out.to_str().unwrap(),
        "--max-file-size",
        "2000",
    ];
    let r = measured(&args, Some(&inp), Duration::from_secs(120), 1500);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for (line, reason) in [
        (2, "record longer than 2000 bytes"),
        (3, "not UTF-8"),
        (4, "id longer than 1024 bytes"),
        (5, "empty or whitespace-only text"),
    ] {
        let want = format!("duibi: skipped <stdin>:{line}: {reason}");
        assert!(
            r.stderr.lines().any(|l| l.starts_with(&want)),
            "{want}\n{}",
            r.stderr
        );
    }
    let rep: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(rep["corpus"]["documents"], 2);
    assert_eq!(rep["skipped"].as_array().unwrap().len(), 4);
}

/// The user dictionary bound: a frequency past `config::MAX_USER_DICT_FREQ` is refused
/// with the file and line (main accepted u64::MAX, which changes how unrelated words
/// are cut).
#[test]
fn user_dictionary_frequency_is_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let dict = tmp.path().join("user.dict");
    std::fs::write(&dict, "矿机托管 10 n\n比特 18446744073709551615 n\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_duibi"))
        .args([
            "tokenize",
            "--user-dict",
            dict.to_str().unwrap(),
            "比特币矿机托管",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("user.dict") && err.contains("line 2"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // The bound itself is accepted.
    let max = duibi::config::MAX_USER_DICT_FREQ;
    std::fs::write(&dict, format!("矿机托管 {max} n\n")).unwrap();
    let ok = Command::new(env!("CARGO_BIN_EXE_duibi"))
        .args([
            "tokenize",
            "--user-dict",
            dict.to_str().unwrap(),
            "矿机托管",
        ])
        .output()
        .unwrap();
    assert!(ok.status.success());
}

/// Item 4 in views: a huge title is printed cut to `config::VIEW_META_CHARS`
/// characters (main printed the 4 KB kept at reading in the documents table and in
/// every evidence card of the document).
#[test]
fn views_cut_long_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("c");
    let title = "T".repeat(1_000_000);
    for k in 0..4 {
        write(
            &root,
            &format!("domestic/d{k}.md"),
            format!("---\ntitle: {title}\nsource: {title}\n---\nMiners relocated rigs {k}. Hydropower tariffs rose {k}.\n"),
        );
        write(
            &root,
            &format!("overseas/o{k}.txt"),
            format!("Regulators banned exchanges {k}. Lenders froze custody {k}."),
        );
    }
    let out = tmp.path().join("r.json");
    let html = tmp.path().join("r.html");
    let mut args = analyze_args(root.to_str().unwrap(), out.to_str().unwrap());
    args.extend(["--html", html.to_str().unwrap()]);
    let r = measured(&args, None, Duration::from_secs(120), 1500);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let page = std::fs::read_to_string(&html).unwrap();
    let cap = duibi::config::VIEW_META_CHARS;
    assert!(page.contains(&format!("{}…", "T".repeat(cap))));
    assert!(!page.contains(&"T".repeat(cap + 1)));
}

/// The inputs at full size (release build; `.ci/run` runs it): 5 MB of Chinese
/// without punctuation, two 300 KB hard-wrapped English files per group, and a 1.4 MB
/// JSON-lines record of repeated words, each within the README's memory budget (peak
/// RSS ≤ 32 × (largest file × threads) + 150 MB) and 60 s per 10 MB.
#[test]
#[ignore]
fn hostile_inputs_full_size() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("c");
    hostile_corpus(&root, 5_000_000, 300_000);
    let out = tmp.path().join("r.json");
    let (d, o) = (root.to_str().unwrap(), out.to_str().unwrap());
    // The README's budget: 32 × (largest file × threads) + 150 MB, two threads.
    let budget_for = |largest_mb: f64, threads: f64| (32.0 * largest_mb * threads + 150.0) as u64;
    let budget = budget_for(5.0, 2.0);
    let r = measured(&analyze_args(d, o), None, Duration::from_secs(60), 4000);
    eprintln!(
        "directory, 5 MB zh + 4 x 300 KB en: {} MB peak, {:?}",
        r.peak_mb, r.elapsed
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.peak_mb <= budget, "{} MB > {budget} MB", r.peak_mb);

    // A 1.4 MB record of repeated words, in a corpus file and on standard input.
    let words = "mining hashrate bitcoin ".repeat(1_400_000 / 24);
    let rec = |g: &str, t: &str| format!("{}\n", serde_json::json!({"group": g, "text": t}));
    let mut lines = rec("domestic", &words);
    lines.push_str(&rec(
        "domestic",
        "Miners relocated rigs. Hydropower tariffs rose.",
    ));
    lines.push_str(&rec(
        "overseas",
        "Regulators banned exchanges. Lenders froze custody.",
    ));
    lines.push_str(&rec(
        "overseas",
        "Regulators banned lenders. Exchanges froze custody.",
    ));
    write(&root, "domestic/records.jsonl", &lines);
    let r = measured(&analyze_args(d, o), None, Duration::from_secs(60), 4000);
    eprintln!(
        "directory + 1.4 MB JSONL record: {} MB peak, {:?}",
        r.peak_mb, r.elapsed
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.peak_mb <= budget, "{} MB > {budget} MB", r.peak_mb);
    let inp = tmp.path().join("in.jsonl");
    std::fs::write(&inp, &lines).unwrap();
    let args = [
        "analyze",
        "--stdin-jsonl",
        "-o",
        o,
        "--quiet",
        "--bootstrap",
        "100",
    ];
    let r = measured(&args, Some(&inp), Duration::from_secs(60), 4000);
    eprintln!(
        "stdin, 1.4 MB record: {} MB peak, {:?}",
        r.peak_mb, r.elapsed
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.peak_mb <= budget_for(1.4, 2.0), "{} MB", r.peak_mb);
}
