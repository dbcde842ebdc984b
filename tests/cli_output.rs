//! What the CLI writes and prints (issue 17 items 6, 8, 9, 10; issue 14 item 7): option
//! caps, special output files, outputs inside the corpus, control characters in names,
//! a closed output pipe. Inputs are generated here.

use assert_cmd::Command;
use std::path::Path;

fn duibi() -> Command {
    let mut c = Command::cargo_bin("duibi").unwrap();
    c.timeout(std::time::Duration::from_secs(300));
    c
}

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A small corpus: two groups of two documents.
fn corpus(root: &Path, groups: [&str; 2]) {
    let texts = [
        "监管部门要求清退虚拟货币挖矿项目，关停矿场。矿工很担心。",
        "比特币价格下跌，矿机托管业务受到打击。",
        "Miners are heading to Texas as the hash rate leaves China.",
        "Bitcoin miners welcome cheap power in Texas; investors are happy.",
    ];
    for (i, text) in texts.iter().enumerate() {
        write(&root.join(groups[i / 2]).join(format!("d{i}.txt")), text);
    }
}

/// Runs duibi; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = duibi().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const FAST: [&str; 4] = ["--evidence", "0", "--bootstrap", "100"];

#[test]
fn options_past_their_cap_are_refused_before_any_work() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("c");
    corpus(&root, ["domestic", "overseas"]);
    let out = t.path().join("r.json");
    let (d, o) = (root.to_str().unwrap(), out.to_str().unwrap());
    for (flag, value) in [
        ("--bootstrap", "50000"),
        ("--threads", "500"),
        ("--top", "20000"),
        ("--evidence", "200"),
        ("--max-file-size", "4294967296"),
    ] {
        let (code, _, err) = run(&["analyze", d, "-o", o, "--quiet", flag, value]);
        assert_eq!(code, 2, "{flag} {value}: {err}");
        let first = err.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error:") && first.contains(flag),
            "{flag}: {err}"
        );
        assert!(!out.exists(), "{flag}: a report was written");
    }
    // At the cap, a run goes through.
    let (code, _, err) = run(&["analyze", d, "-o", o, "--quiet", "--evidence", "100"]);
    assert_eq!(code, 0, "{err}");
}

#[cfg(unix)]
#[test]
fn special_output_files_are_written_in_place() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("c");
    corpus(&root, ["domestic", "overseas"]);
    let d = root.to_str().unwrap();

    // A symbolic link to a character device stays a link; the device gets the report.
    let link = t.path().join("null.json");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    let mut args = vec!["analyze", d, "--quiet", "-o", link.to_str().unwrap()];
    args.extend(FAST);
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("/dev/null"));

    // A FIFO is written to, not replaced by a regular file.
    let fifo = t.path().join("report.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let mut args = vec!["analyze", d, "--quiet", "-o", fifo.to_str().unwrap()];
    args.extend(FAST);
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let ft = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    use std::os::unix::fs::FileTypeExt;
    // (On failure the reader thread stays blocked; the test process ends anyway.)
    assert!(ft.is_fifo(), "the FIFO was replaced: {ft:?}");
    let got = reader.join().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&got).unwrap();
    assert_eq!(report["corpus"]["documents"], 4);
}

#[test]
fn an_output_that_is_a_corpus_file_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("c");
    corpus(&root, ["domestic", "overseas"]);
    let doc = root.join("domestic/d0.txt");
    let before = std::fs::read(&doc).unwrap();
    let d = root.to_str().unwrap();
    for flag in ["-o", "--html", "--documents-jsonl"] {
        let mut args = vec!["analyze", d, "--quiet", flag, doc.to_str().unwrap()];
        if flag != "-o" {
            args.extend(["-o", "-"]);
        }
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{flag}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{flag}: one line: {err}");
        assert!(err.starts_with("duibi: error: "), "{flag}: {err}");
        assert!(err.contains("d0.txt"), "{flag}: {err}");
        assert!(out.is_empty(), "{flag}: work was done");
        assert_eq!(
            std::fs::read(&doc).unwrap(),
            before,
            "{flag}: document changed"
        );
    }
    // Elsewhere inside the root: written, with a warning, and not read as a document.
    let inside = root.join("report.json");
    let mut args = vec!["analyze", d, "-o", inside.to_str().unwrap()];
    args.extend(FAST);
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("inside the corpus directory"), "{err}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&inside).unwrap()).unwrap();
    assert_eq!(report["corpus"]["documents"], 4);
    // --quiet silences the warning.
    args.push("--quiet");
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
}

/// No control character but the line feed.
fn assert_clean(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: control characters {bad:?} in {text:?}"
    );
}

#[cfg(unix)]
#[test]
fn control_characters_in_names_are_escaped_on_the_terminal() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("c");
    let evil_group = "over\u{1b}[2Jseas\u{7}";
    corpus(&root, ["domestic", evil_group]);
    // A skipped file whose name sets the window title and returns the cursor.
    write(
        &root.join("domestic/\u{1b}]0;pwned\u{7}\rnote.xyz"),
        "not a document",
    );
    let report = t.path().join("r.json");
    let mut args = vec![
        "analyze",
        root.to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
        "--summary",
    ];
    args.extend(FAST);
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("skipped"), "{err}");
    assert!(err.contains("\\u{1b}"), "escaped, not dropped: {err}");
    assert_clean("analyze stderr", &err);

    let (code, out, err) = run(&["summarize", report.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("over\\u{1b}[2Jseas"), "{out}");
    assert_clean("summarize", &out);

    // Errors naming a path too.
    let missing = t.path().join("no\u{1b}[31mdir");
    let (code, _, err) = run(&["analyze", missing.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert_clean("error", &err);
}

#[cfg(unix)]
#[test]
fn a_closed_output_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("c");
    corpus(&root, ["domestic", "overseas"]);
    let bin = assert_cmd::cargo::cargo_bin("duibi");
    let d = root.to_str().unwrap();
    let mut analyze = vec!["analyze", d, "-o", "-", "--quiet"];
    analyze.extend(FAST);
    // Enough item lines that printing them outlasts the pipe's buffer.
    let pairs = t.path().join("pairs.tsv");
    let mut tsv = String::from("zh\ten\n");
    let mut vader = String::new();
    for i in 0..5000 {
        tsv.push_str("这是好消息\tThis is good news\n");
        vader.push_str(&format!("{i}\t1.5\tgood news\n"));
    }
    std::fs::write(&pairs, tsv).unwrap();
    let items = t.path().join("items.tsv");
    std::fs::write(&items, vader).unwrap();
    let (p, i) = (pairs.to_str().unwrap(), items.to_str().unwrap());
    for args in [
        analyze,
        vec!["tokenize", "矿机托管业务", "hash rate"],
        vec!["eval", "crosslingual", "--data", p, "--items"],
        vec!["eval", "sentiment", "--data", i, "--items"],
    ] {
        let mut child = std::process::Command::new(&bin)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is written (loading takes a while).
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
            "{args:?}: {:?} {err}",
            out.status
        );
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

/// A language row with nothing to average (a Japanese document: no lexicon scores it)
/// holds `null` means; the report must still load in `summarize` and `render`, and the
/// summary prints `–` for them, never `NaN`.
#[test]
fn a_report_with_uncomputable_means_loads_in_every_view() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("c");
    corpus(&root, ["domestic", "overseas"]);
    write(
        &root.join("overseas/d9.txt"),
        "これはとても静かな町の話です。ここでは毎朝みんなで散歩をします。",
    );
    let out = t.path().join("r.json");
    let (d, o) = (root.to_str().unwrap(), out.to_str().unwrap());
    let mut args = vec!["analyze", d, "-o", o, "--quiet"];
    args.extend(FAST);
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(
        report.contains("\"sentence_mean\": null"),
        "no null mean to read back"
    );
    let (code, text, err) = run(&["summarize", o]);
    assert_eq!(code, 0, "{err}");
    let text = String::from_utf8_lossy(&text);
    assert!(text.contains("[ja] overseas"), "{text}");
    assert!(!text.contains("NaN"), "{text}");
    let html = t.path().join("r.html");
    let (code, _, err) = run(&["render", o, "--html", html.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(!std::fs::read_to_string(&html).unwrap().contains("NaN"));
}
