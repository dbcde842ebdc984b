//! Command-line argument errors and the text subcommands (issue #7).
//!
//! Exit codes: 0 success, 1 the run failed, 2 unusable arguments or input.

use assert_cmd::Command;
use std::path::Path;

fn duibi() -> Command {
    let mut c = Command::cargo_bin("duibi").unwrap();
    c.timeout(std::time::Duration::from_secs(300));
    c
}

/// A small good corpus.
fn corpus(root: &Path) {
    for (rel, text) in [
        (
            "domestic/a.txt",
            "监管部门要求清退虚拟货币挖矿项目，关停矿场。",
        ),
        (
            "overseas/b.txt",
            "Miners are heading to Texas as the hash rate leaves.",
        ),
    ] {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// Runs and returns (exit code, stderr).
fn run(args: &[&str]) -> (i32, String) {
    let out = duibi().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Exit 2 and a one-line message naming `needle` (usually the path).
fn assert_usage_error(args: &[&str], needle: &str) {
    let (code, err) = run(args);
    assert_eq!(code, 2, "{args:?}: stderr {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{args:?}: one line: {err}"
    );
    assert!(err.starts_with("duibi: error: "), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err} should name {needle}");
}

/// No report and no temporary file left in `dir`.
fn assert_no_report(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") || n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn missing_directory() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("nope");
    let out = t.path().join("out/report.json");
    std::fs::create_dir(t.path().join("out")).unwrap();
    let d = dir.to_str().unwrap();
    assert_usage_error(&["analyze", d, "-o", out.to_str().unwrap()], d);
    assert_no_report(&t.path().join("out"));
}

#[test]
fn file_where_a_directory_is_expected() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("file.txt");
    std::fs::write(&f, "text").unwrap();
    let f = f.to_str().unwrap();
    assert_usage_error(&["analyze", f], "not a directory");
    assert_usage_error(&["analyze", f], f);
}

#[test]
fn empty_directory_fails_without_report() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("empty");
    std::fs::create_dir(&dir).unwrap();
    let out = t.path().join("report.json");
    let d = dir.to_str().unwrap();
    assert_usage_error(&["analyze", d, "-o", out.to_str().unwrap()], d);
    // The run failed after the output was opened: no half-written report.
    assert_no_report(t.path());
}

#[test]
fn directory_without_supported_files_fails_without_report() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("c");
    std::fs::create_dir_all(dir.join("domestic")).unwrap();
    std::fs::write(dir.join("domestic/a.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    std::fs::write(dir.join("domestic/b.txt"), b"").unwrap();
    let out = t.path().join("report.json");
    let d = dir.to_str().unwrap();
    assert_usage_error(&["analyze", d, "-o", out.to_str().unwrap()], d);
    assert_no_report(t.path());
}

#[test]
fn unwritable_output_fails_before_work() {
    let t = tempfile::tempdir().unwrap();
    corpus(t.path());
    let d = t.path().to_str().unwrap();
    let out = t.path().join("no/such/dir/report.json");
    let o = out.to_str().unwrap();
    assert_usage_error(&["analyze", d, "-o", o], o);
    // A directory as output.
    assert_usage_error(&["analyze", d, "-o", d], d);
}

#[test]
fn out_of_range_options() {
    let t = tempfile::tempdir().unwrap();
    corpus(t.path());
    let d = t.path().to_str().unwrap();
    for (args, needle) in [
        (vec!["--threads", "0"], "--threads"),
        (vec!["-j", "0"], "--threads"),
        (vec!["--top", "0"], "--top"),
        // clap reads `-1` as an unknown flag here ("unexpected argument '-1'").
        (vec!["--top", "-1"], "-1"),
        (vec!["--top=-1"], "--top"),
        (vec!["--max-file-size=-5"], "--max-file-size"),
        (vec!["--langs", "xx"], "unknown language"),
    ] {
        let mut a = vec!["analyze", d];
        a.extend(args);
        let (code, err) = run(&a);
        assert_eq!(code, 2, "{a:?}: {err}");
        // clap's message: first line names the option, then a hint.
        let first = err.lines().next().unwrap_or_default();
        assert!(first.starts_with("error:"), "{a:?}: {err}");
        assert!(err.contains(needle), "{a:?}: {err}");
    }
}

#[test]
fn same_output_given_twice_is_refused() {
    // clap refuses a repeated single-value option: exit 2, nothing written.
    let t = tempfile::tempdir().unwrap();
    corpus(&t.path().join("c"));
    let d = t.path().join("c");
    let o = t.path().join("r.json");
    let (code, err) = run(&[
        "analyze",
        d.to_str().unwrap(),
        "-o",
        o.to_str().unwrap(),
        "-o",
        o.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--output"), "{err}");
    assert!(!o.exists());
}

#[test]
fn successful_run_replaces_output_atomically() {
    let t = tempfile::tempdir().unwrap();
    let c = t.path().join("c");
    corpus(&c);
    let o = t.path().join("r.json");
    std::fs::write(&o, "old report").unwrap();
    duibi()
        .args([
            "analyze",
            c.to_str().unwrap(),
            "-o",
            o.to_str().unwrap(),
            "--quiet",
        ])
        .assert()
        .success()
        .stderr("");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&o).unwrap()).unwrap();
    assert_eq!(v["corpus"]["documents"], 2);
    // A failing run (no documents) leaves the previous report untouched.
    let empty = t.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (code, _) = run(&[
        "analyze",
        empty.to_str().unwrap(),
        "-o",
        o.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    let again: serde_json::Value = serde_json::from_slice(&std::fs::read(&o).unwrap()).unwrap();
    assert_eq!(again, v);
    let tmp_left = std::fs::read_dir(t.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    assert_eq!(tmp_left, 0);
}

#[test]
fn report_to_stdout() {
    let t = tempfile::tempdir().unwrap();
    corpus(t.path());
    let out = duibi()
        .args(["analyze", t.path().to_str().unwrap(), "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["corpus"]["documents"], 2);
}

fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const STDIN_LINES: &str = "比特币矿场关停 as miners head to Texas\n\
                           \n\
                           監管趨嚴，礦工把礦機運往海外。\r\n\
                           日本語のマイニング\n\
                           👨‍👩‍👧‍👦 emoji ZWJ, Cafe\u{301}, التعدين, \u{7}bell\n\
                           last line without newline";

#[test]
fn tokenize_stdin_one_json_line_per_input_line() {
    let out = duibi()
        .arg("tokenize")
        .write_stdin(STDIN_LINES)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), STDIN_LINES.lines().count());
    assert_eq!(lines[1]["tokens"].as_array().unwrap().len(), 0);
    for l in &lines {
        let text = l["text"].as_str().unwrap();
        for t in l["tokens"].as_array().unwrap() {
            let (s, e) = (
                t["start"].as_u64().unwrap() as usize,
                t["end"].as_u64().unwrap() as usize,
            );
            // Offsets count characters (as evidence offsets do).
            let surface: String = text.chars().skip(s).take(e - s).collect();
            assert_eq!(Some(surface.as_str()), t["surface"].as_str());
        }
    }
}

#[test]
fn detect_stdin_one_json_line_per_input_line() {
    let out = duibi()
        .arg("detect")
        .write_stdin(STDIN_LINES)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), STDIN_LINES.lines().count());
    assert_eq!(lines[0]["lang"], "zh");
    assert_eq!(lines[2]["zh_script"], "zh-Hant");
    assert_eq!(lines[3]["lang"], "ja");
}

#[test]
fn text_commands_on_invalid_utf8_stdin_do_not_panic() {
    for cmd in ["tokenize", "detect"] {
        let out = duibi()
            .arg(cmd)
            .write_stdin(&b"ok line\nbad \xff\xfe byte\n"[..])
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        let err = String::from_utf8_lossy(&out.stderr);
        // Either decoded lossily (0, one JSON line per input line) or refused (1, one line).
        match code {
            0 => assert_eq!(json_lines(&out.stdout).len(), 2),
            1 => assert_eq!(err.trim_end().lines().count(), 1, "{err}"),
            _ => panic!("{cmd}: exit {code}: {err}"),
        }
    }
}

/// A lexicon score beyond ±100 (issue 17, item 12: ±3e38 passed validation and the run
/// failed at the very end on an infinite sum) is refused up front, naming file and line,
/// by every command that loads lexicons.
#[test]
fn lexicon_scores_out_of_range_are_refused() {
    let t = tempfile::tempdir().unwrap();
    corpus(t.path());
    let lex = t.path().join("huge.tsv");
    std::fs::write(&lex, "bullish\t2.5\nmoon\t3e38\n").unwrap();
    let lex = lex.to_str().unwrap();
    let root = t.path().to_str().unwrap();
    let out = t.path().join("r.json");
    for args in [
        vec!["score", "--lexicon", lex, "to the moon"],
        vec![
            "analyze",
            root,
            "--lexicon",
            lex,
            "-o",
            out.to_str().unwrap(),
            "--quiet",
        ],
    ] {
        let (code, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(&format!("{lex}:2")), "{args:?}: {err}");
        assert!(err.contains("outside"), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
    assert!(!out.exists());
    // In range, the same file loads.
    std::fs::write(t.path().join("huge.tsv"), "bullish\t2.5\nmoon\t3.0\n").unwrap();
    let (code, err) = run(&["score", "--lexicon", lex, "to the moon"]);
    assert_eq!(code, 0, "{err}");
}
