//! Bad input never crashes a batch, loses a document or lets a file escape the corpus
//! (issue #7). The corpus is generated at test time by `nasty_corpus`.
#![cfg(unix)]

mod nasty_corpus;

use assert_cmd::cargo::CommandCargoExt;
use nasty_corpus::{Expect, Nasty};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Exit code, stdout and stderr of a finished run.
struct Run {
    code: Option<i32>,
    stderr: String,
}

/// Runs `duibi` with `args`, killing it (and failing) after `limit`: a run that opened
/// a FIFO would block forever.
fn run_with_deadline(args: &[&std::ffi::OsStr], limit: Duration) -> Run {
    let logs = tempfile::tempdir().unwrap();
    let err_path = logs.path().join("stderr");
    let mut child = Command::cargo_bin("duibi")
        .unwrap()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("duibi {args:?} did not finish within {limit:?} (hang?)");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Run {
        code: status.code(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
    }
}

fn analyze(dir: &Path, out: &Path, extra: &[&str]) -> (Run, Option<Value>) {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "analyze".as_ref(),
        dir.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--quiet".as_ref(),
    ];
    args.extend(extra.iter().map(|s| std::ffi::OsStr::new(*s)));
    let run = run_with_deadline(&args, Duration::from_secs(600));
    let report = std::fs::read(out)
        .ok()
        .map(|b| serde_json::from_slice(&b).unwrap());
    (run, report)
}

fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_default()
}

fn check_nasty(n: &Nasty) {
    for note in &n.notes {
        eprintln!("note: {note}");
    }
    let out = n.tmp.path().join("nasty-report.json");
    let max = n.max_file_size.to_string();
    let (run, report) = analyze(&n.root, &out, &["--max-file-size", &max]);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    let r = report.expect("report written");
    let c = &r["corpus"];
    let discovered = c["files_discovered"].as_u64().unwrap();
    let analyzed = c["files_analyzed"].as_u64().unwrap();
    let skipped = c["files_skipped"].as_u64().unwrap();
    let metadata = c["metadata_files"].as_array().unwrap().len() as u64;
    assert_eq!(discovered, n.files_made() as u64, "files discovered");
    assert_eq!(analyzed + skipped + metadata, discovered, "accounting");

    // Every skipped file: expected, with its reason.
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for s in r["skipped"].as_array().unwrap() {
        let (path, reason) = (str_of(s, "path"), str_of(s, "reason"));
        assert!(!reason.contains('\n'), "one-line reason: {reason:?}");
        match n.expect.get(path) {
            Some(Expect::Skipped(want)) => {
                assert!(
                    reason.contains(want),
                    "{path}: reason {reason:?}, want {want:?}"
                )
            }
            other => panic!("{path} skipped ({reason}), expected {other:?}"),
        }
        assert!(seen.insert(path.to_string()), "{path} skipped twice");
    }
    // Every analysed file: expected, and no file both analysed and skipped.
    let docs = r["documents"].as_array().unwrap();
    let mut analyzed_paths: BTreeSet<String> = BTreeSet::new();
    for d in docs {
        let path = str_of(d, "path").to_string();
        assert_eq!(
            n.expect.get(&path),
            Some(&Expect::Analyzed),
            "{path} analysed"
        );
        assert!(!seen.contains(&path), "{path} both analysed and skipped");
        analyzed_paths.insert(path);
    }
    for (path, e) in &n.expect {
        match e {
            Expect::Analyzed => assert!(analyzed_paths.contains(path), "{path} not analysed"),
            Expect::Skipped(_) => assert!(seen.contains(path), "{path} not in skipped"),
            Expect::Metadata => assert!(
                c["metadata_files"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| m == path.as_str()),
                "{path} not a metadata file"
            ),
        }
    }
    assert_eq!(analyzed, analyzed_paths.len() as u64);

    // Warnings with line numbers.
    let warnings: Vec<(String, String)> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (str_of(w, "path").into(), str_of(w, "message").into()))
        .collect();
    for (path, want) in &n.warnings {
        assert!(
            warnings.iter().any(|(p, m)| p == path && m.contains(want)),
            "no warning on {path} containing {want:?}; warnings: {warnings:#?}"
        );
    }
    // Line number and message together, for the line-numbered ones.
    let by_line: Vec<&(String, &str)> = n.warnings.iter().collect();
    for w in by_line.windows(2) {
        let ((p1, a), (p2, b)) = (w[0], w[1]);
        if p1 == p2 && a.starts_with("line ") && !b.starts_with("line ") {
            assert!(
                warnings
                    .iter()
                    .any(|(p, m)| p == p1 && m.starts_with(a) && m.contains(b)),
                "no warning on {p1} starting {a:?} with {b:?}; warnings: {warnings:#?}"
            );
        }
    }

    // Text details.
    let doc = |id: &str| {
        docs.iter()
            .find(|d| str_of(d, "id") == id)
            .unwrap_or_else(|| panic!("no document {id}"))
    };
    assert_eq!(str_of(doc("nasty/bom-utf8.txt"), "encoding"), "UTF-8-BOM");
    assert_eq!(str_of(doc("nasty/bom-utf16le.txt"), "encoding"), "UTF-16LE");
    assert_eq!(str_of(doc("nasty/bom-utf16be.txt"), "encoding"), "UTF-16BE");
    assert_eq!(str_of(doc("nasty/gbk.txt"), "encoding"), "GB18030");
    let lone = doc("nasty/utf16-lone-surrogate.txt");
    assert_eq!(lone["replaced_chars"], 1);
    let bad = doc("nasty/invalid-utf8.txt");
    assert!(
        bad["replaced_chars"].as_u64().unwrap() > 0 || str_of(bad, "encoding") != "UTF-8",
        "invalid UTF-8 is either replaced and counted or decoded by detection: {bad}"
    );
    assert!(doc("nasty/han-run.txt")["tokens"].as_u64().unwrap() > 0);
    assert!(doc("nasty/long-line.txt")["tokens"].as_u64().unwrap() > 0);
    assert_eq!(
        str_of(doc("nasty/bad-front-matter.md"), "source"),
        "Kept Source"
    );
    for id in ["nasty/records.jsonl#L1", "nasty/records.jsonl#L5"] {
        doc(id);
    }
    assert_eq!(
        str_of(doc("nasty/records.jsonl#L7"), "date_iso"),
        "2021-06-21"
    );
    // Nothing outside the root was read.
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("secret text outside"));

    // The good documents' results equal those of a clean run.
    let clean_out = n.tmp.path().join("clean-report.json");
    let (run, clean) = analyze(&n.clean, &clean_out, &["--max-file-size", &max]);
    assert_eq!(run.code, Some(0), "clean run: {}", run.stderr);
    let clean = clean.unwrap();
    let good: BTreeSet<&str> = ["domestic", "overseas"].into();
    let in_good = |v: &Value| good.contains(str_of(v, "group"));
    let pick = |r: &Value, table: &str| -> Vec<Value> {
        r[table]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| in_good(v))
            .cloned()
            .collect()
    };
    let clean_docs = pick(&clean, "documents");
    assert_eq!(clean_docs.len(), nasty_corpus::good_documents().len());
    assert_eq!(pick(&r, "documents"), clean_docs, "good documents' records");
    assert_eq!(
        pick(&r, "terms"),
        pick(&clean, "terms"),
        "good groups' terms"
    );
    let pick_c = |r: &Value, table: &str| -> Vec<Value> {
        r["corpus"][table]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| in_good(v))
            .cloned()
            .collect()
    };
    assert_eq!(pick_c(&r, "groups"), pick_c(&clean, "groups"));
    assert_eq!(pick_c(&r, "languages"), pick_c(&clean, "languages"));
    let groups: BTreeMap<&str, u64> = r["corpus"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (str_of(g, "group"), g["documents"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        groups.keys().copied().collect::<Vec<_>>(),
        ["domestic", "nasty", "overseas"]
    );
}

#[test]
fn nasty_corpus_is_accounted_for() {
    let n = Nasty::build(2_000);
    check_nasty(&n);
}

#[test]
#[ignore = "slow: 50,000 tiny files (run with --ignored)"]
fn nasty_corpus_with_50k_tiny_files() {
    let n = Nasty::build(50_000);
    check_nasty(&n);
}

#[test]
fn follow_links_still_refuses_loops_and_broken_links() {
    let n = Nasty::build(0);
    let out = n.tmp.path().join("follow.json");
    let max = n.max_file_size.to_string();
    let (run, report) = analyze(&n.root, &out, &["--max-file-size", &max, "--follow-links"]);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    let r = report.unwrap();
    let reason = |p: &str| -> String {
        r["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| str_of(s, "path") == p)
            .map(|s| str_of(s, "reason").to_string())
            .unwrap_or_else(|| panic!("{p} not skipped"))
    };
    assert!(reason("nasty/broken-link.txt").contains("broken symbolic link"));
    assert!(reason("nasty/loop-a.txt").contains("loop"));
    assert!(reason("nasty/parent-loop").contains("loop"));
    assert!(reason("nasty/fifo.txt").contains("not a regular file"));
    let c = &r["corpus"];
    let total = c["files_analyzed"].as_u64().unwrap()
        + c["files_skipped"].as_u64().unwrap()
        + c["metadata_files"].as_array().unwrap().len() as u64;
    assert_eq!(total, c["files_discovered"].as_u64().unwrap());
}

#[test]
fn manifest_without_required_columns_is_refused_with_line_number() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("c");
    std::fs::create_dir_all(root.join("domestic")).unwrap();
    std::fs::write(root.join("domestic/a.txt"), "矿场关停").unwrap();
    std::fs::write(root.join("manifest.csv"), "file,label\ndomestic/a.txt,x\n").unwrap();
    let out = tmp.path().join("r.json");
    let (run, report) = analyze(&root, &out, &[]);
    assert_eq!(run.code, Some(2), "stderr: {}", run.stderr);
    assert!(report.is_none(), "no report on failure");
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("manifest.csv"), "{}", run.stderr);
    assert!(run.stderr.contains("line 1"), "{}", run.stderr);
}

/// Copies `from` into `to` creating files in a scrambled order (not the sorted or the
/// directory order), so any dependence on creation or listing order shows up.
fn scrambled_copy(from: &Path, to: &Path) {
    let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(from)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(from).unwrap().to_path_buf())
        .collect();
    // A fixed permutation: sort by a hash of the path.
    files.sort_by_key(|p| {
        p.to_string_lossy()
            .bytes()
            .fold(0xcbf29ce484222325u64, |h, b| {
                (h ^ b as u64).wrapping_mul(0x100000001b3)
            })
    });
    for rel in files {
        let dst = to.join(&rel);
        std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&rel), dst).unwrap();
    }
}

#[test]
fn reports_are_byte_identical_across_threads_and_file_order() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora");
    let tmp = tempfile::tempdir().unwrap();
    let shuffled = tmp.path().join("copy");
    scrambled_copy(&sample.join("mining-2021"), &shuffled.join("mining-2021"));
    let mut reports: Vec<(String, Vec<u8>)> = Vec::new();
    for (cwd, threads) in [
        (&sample, "1"),
        (&sample, "2"),
        (&sample, "8"),
        (&shuffled, "1"),
        (&shuffled, "8"),
    ] {
        let out = tmp
            .path()
            .join(format!("r-{threads}-{}.json", reports.len()));
        // The same relative corpus path, so `corpus.root` is the same string.
        let mut cmd = assert_cmd::Command::cargo_bin("duibi").unwrap();
        cmd.current_dir(cwd)
            .timeout(Duration::from_secs(600))
            .args(["analyze", "mining-2021", "--quiet", "-j", threads, "-o"])
            .arg(&out)
            .assert()
            .success();
        reports.push((
            format!("{} -j {threads}", cwd.display()),
            std::fs::read(&out).unwrap(),
        ));
    }
    let (first_name, first) = &reports[0];
    for (name, r) in &reports[1..] {
        assert!(r == first, "report of {name} differs from {first_name}");
    }
}
