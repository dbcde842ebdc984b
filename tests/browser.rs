//! The HTML report in a real browser: headless Chromium loads the sample corpus report
//! (plus an injection document), and the test checks the DOM, the console and saves a
//! screenshot to `target/html-report.png` (and the page to `target/html-report.html`).
//!
//! Skips (passing) when Chromium is not installed; CI installs Debian's `chromium`.

#[path = "browser/tags.rs"]
mod tags;

use duibi::corpus::{CorpusOptions, Source};
use duibi::run::Pipeline;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);

const INJECTION_TEXT: &str = "Overseas miners keep hashing. <script>document.title='PWNED'</script>\
<img src=x onerror=\"document.title='PWNED'\"> 比特币挖矿 continues in Texas.\n\
Read more at <a href=\"javascript:document.title='PWNED'\">this link</a> </svg><svg onload=\"document.title='PWNED'\">.\n";

/// The Chromium binary, if any.
fn chromium() -> Option<PathBuf> {
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// `target/` of this build.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target tmp dir has a parent")
        .to_path_buf()
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}

struct Run {
    stdout: String,
    stderr: String,
}

/// Runs headless Chromium on `url` with `extra` flags, a fresh profile and a timeout.
fn run_chromium(bin: &Path, extra: &[String], url: &str) -> Run {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .arg(url)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start chromium");
    // Drain the pipes on threads so a chatty browser cannot block on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let run = Run {
                stdout: t_out.join().unwrap(),
                stderr: t_err.join().unwrap(),
            };
            assert!(
                status.success(),
                "chromium failed ({status}):\n{}",
                run.stderr
            );
            return run;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Console messages and uncaught errors Chromium logged for the page.
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.canonicalize().unwrap().display())
}

/// The text of the first `<title>` element of serialized HTML.
fn title_of(dom: &str) -> &str {
    let start = dom
        .find("<title>")
        .map(|i| i + "<title>".len())
        .unwrap_or(0);
    let end = dom[start..]
        .find("</title>")
        .map(|i| start + i)
        .unwrap_or(start);
    &dom[start..end]
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(bin) = chromium() else {
        eprintln!("skipping: chromium not installed");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/mining-2021"),
        &corpus,
    );
    std::fs::write(corpus.join("overseas/zz-injection.txt"), INJECTION_TEXT).unwrap();
    // Metadata with payloads too: source, title and a javascript: URL.
    let mut manifest = std::fs::read_to_string(corpus.join("manifest.csv")).unwrap();
    if !manifest.ends_with('\n') {
        manifest.push('\n');
    }
    manifest.push_str(
        "overseas/zz-injection.txt,overseas,\"<script>document.title='PWNED'</script>\",2021-06-30,\
         \"<img src=x onerror=\"\"document.title='PWNED'\"\"> & 'quotes'\",javascript:document.title='PWNED',\n",
    );
    std::fs::write(corpus.join("manifest.csv"), manifest).unwrap();

    let report = Pipeline::builder()
        .build()
        .unwrap()
        .analyze(Source::dir(&corpus, CorpusOptions::default()))
        .and_then(|r| r.into_report())
        .unwrap();
    assert!(report
        .documents
        .iter()
        .any(|d| d.meta.id.ends_with("zz-injection.txt")));
    let html = duibi::html::render(&report);
    assert!(
        html.contains("&lt;script&gt;document.title="),
        "the payload should be on the page, escaped"
    );
    let target = target_dir();
    std::fs::create_dir_all(&target).unwrap();
    let page = target.join("html-report.html");
    std::fs::write(&page, &html).unwrap();
    let url = file_url(&page);

    // Positive control: this Chromium does report console errors on stderr as we parse them.
    let control = tmp.path().join("control.html");
    std::fs::write(
        &control,
        "<!doctype html><title>c</title><script>console.error('control-error')</script>",
    )
    .unwrap();
    let run = run_chromium(&bin, &["--dump-dom".into()], &file_url(&control));
    assert!(
        console_lines(&run.stderr)
            .iter()
            .any(|l| l.contains("control-error")),
        "could not see console output of the control page; stderr:\n{}",
        run.stderr
    );

    // (a) DOM and console.
    let run = run_chromium(&bin, &["--dump-dom".into()], &url);
    let dom = &run.stdout;
    assert!(dom.len() > 10_000, "DOM too small:\n{dom}");
    for heading in [
        "Comparability warnings",
        "In brief",
        "Corpus overview",
        "Distinctive terms",
        "Concepts",
        "Sentiment",
        "Over time",
        "Evidence: keywords in context",
        "Documents",
        "Skipped files",
    ] {
        assert!(dom.contains(heading), "missing section {heading:?}");
    }
    assert!(
        dom.contains("挖矿") && dom.contains("比特币"),
        "CJK text missing"
    );
    assert!(dom.contains("<svg"), "charts missing");
    let title = title_of(dom);
    assert!(title.starts_with("duibi report"), "title: {title:?}");
    assert!(!dom.contains("PWNED</title>"), "injected script ran");
    let bad = tags::dangerous(dom);
    assert!(bad.is_empty(), "active content in the DOM: {bad:#?}");
    assert!(
        !dom.to_ascii_lowercase().contains("<script"),
        "a script element exists in the DOM"
    );
    assert!(
        dom.contains("&lt;script&gt;document.title='PWNED'&lt;/script&gt;"),
        "the payload should show as text"
    );
    let console = console_lines(&run.stderr);
    assert!(console.is_empty(), "console output: {console:#?}");

    // (b) Screenshot as a CI artifact.
    let shot = target.join("html-report.png");
    let _ = std::fs::remove_file(&shot);
    let run = run_chromium(
        &bin,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,4000".into(),
        ],
        &url,
    );
    let console = console_lines(&run.stderr);
    assert!(console.is_empty(), "console output: {console:#?}");
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000);
    eprintln!("screenshot: {}", shot.display());
}
