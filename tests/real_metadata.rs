//! Metadata as real corpora write it (issue 14 item 3): dates from Jekyll/Hugo file
//! names, directories and front-matter date keys (`published: true` is a flag), titles
//! from the first Markdown heading or an HTML `<h1>`, and where each date came from.

use duibi::corpus::metadata::DateFrom;
use duibi::corpus::{CorpusOptions, Source};
use duibi::report::Report;
use duibi::run::Pipeline;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn analyze(root: &Path) -> Report {
    Pipeline::builder()
        .bootstrap_reps(50)
        .evidence(0)
        .build()
        .unwrap()
        .analyze(Source::dir(root, CorpusOptions::default()))
        .unwrap()
        .into_report()
        .unwrap()
}

/// (date_iso, date_from, title) of the document with id `id`.
fn doc(r: &Report, id: &str) -> (Option<String>, Option<DateFrom>, Option<String>) {
    let d = r
        .documents
        .iter()
        .find(|d| d.meta.id == id)
        .unwrap_or_else(|| panic!("no document {id}"));
    (
        d.meta.date_iso.clone(),
        d.meta.date_from,
        d.meta.fields.title.clone(),
    )
}

const ZH: &str = "比特币矿工把矿机运往海外，电费上涨，监管收紧。";
const EN: &str = "Miners are moving their machines abroad as power prices rise.";

#[test]
fn jekyll_posts_get_the_file_name_date_and_no_warning() {
    let t = tempfile::tempdir().unwrap();
    let fm = "---\ntitle: 文章\nauthor: 老矿工\npublished: true\n---\n";
    write(
        t.path(),
        "domestic/2021-01-02-post-1.md",
        &format!("{fm}{ZH}\n"),
    );
    write(
        t.path(),
        "domestic/2021-02-03-post-2.md",
        &format!("{fm}{ZH}\n"),
    );
    write(
        t.path(),
        "overseas/report-1.md",
        &format!("# Report 1\n\n{EN}\n"),
    );
    write(
        t.path(),
        "overseas/report-2.md",
        &format!("Report two\n==========\n\n{EN}\n"),
    );
    let r = analyze(t.path());
    assert!(
        r.warnings.iter().all(|w| !w.message.contains("date")),
        "{:?}",
        r.warnings
    );
    assert_eq!(
        doc(&r, "domestic/2021-01-02-post-1.md"),
        (
            Some("2021-01-02".into()),
            Some(DateFrom::FileName),
            Some("文章".into())
        )
    );
    // `# Title` and a setext heading give the title.
    assert_eq!(
        doc(&r, "overseas/report-1.md").2.as_deref(),
        Some("Report 1")
    );
    assert_eq!(
        doc(&r, "overseas/report-2.md").2.as_deref(),
        Some("Report two")
    );
    // The dated documents reach the time table.
    assert!(r.time.iter().any(|p| p.period == "2021-01"), "{:?}", r.time);
}

#[test]
fn front_matter_date_keys_by_rank_then_path_then_change_dates() {
    let t = tempfile::tempdir().unwrap();
    // A publication key beats the file name, whatever the key order.
    write(
        t.path(),
        "domestic/2021-01-01-a.md",
        &format!("---\nupdated: 2021-09-09\npublished_at: 2021-03-04\n---\n{ZH}\n"),
    );
    // A change date loses to the file name …
    write(
        t.path(),
        "domestic/2021-01-01-b.md",
        &format!("---\nupdated: 2021-09-09\n---\n{ZH}\n"),
    );
    // … but is used when nothing else gives a date.
    write(
        t.path(),
        "domestic/c.md",
        &format!("---\nlastmod: 2021-09-09\npubDate: someday\n---\n{ZH}\n"),
    );
    // Directories YYYY/MM/DD.
    write(t.path(), "overseas/2021/06/21/post.md", &format!("{EN}\n"));
    // `<h1>` when the page has no `<title>`.
    write(
        t.path(),
        "overseas/page.html",
        &format!("<html><body><h1>Miners  move</h1><p>{EN}</p></body></html>"),
    );
    let r = analyze(t.path());
    let fm = Some(DateFrom::FrontMatter);
    assert_eq!(
        doc(&r, "domestic/2021-01-01-a.md").0.as_deref(),
        Some("2021-03-04")
    );
    assert_eq!(doc(&r, "domestic/2021-01-01-a.md").1, fm);
    assert_eq!(
        doc(&r, "domestic/2021-01-01-b.md").0.as_deref(),
        Some("2021-01-01")
    );
    assert_eq!(doc(&r, "domestic/c.md").0.as_deref(), Some("2021-09-09"));
    assert_eq!(doc(&r, "domestic/c.md").1, fm);
    assert_eq!(
        doc(&r, "overseas/2021/06/21/post.md"),
        (Some("2021-06-21".into()), Some(DateFrom::Directory), None)
    );
    assert_eq!(
        doc(&r, "overseas/page.html").2.as_deref(),
        Some("Miners move")
    );
    // An unparsable `pubDate` is not a date, and not a warning either.
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn json_lines_published_flag_is_not_a_date() {
    let input = concat!(
        "{\"text\":\"比特币矿工把矿机运往海外。\",\"group\":\"domestic\",\"published\":true,\"date\":\"2021-05-21\"}\n",
        "{\"text\":\"Miners move abroad.\",\"group\":\"overseas\",\"published\":\"true\"}\n",
    );
    let r = Pipeline::builder()
        .bootstrap_reps(50)
        .build()
        .unwrap()
        .analyze(Source::json_lines(input.as_bytes(), "-"))
        .unwrap()
        .into_report()
        .unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let dated: Vec<_> = r
        .documents
        .iter()
        .map(|d| (d.meta.date_iso.as_deref(), d.meta.date_from))
        .collect();
    assert_eq!(
        dated,
        [(Some("2021-05-21"), Some(DateFrom::Metadata)), (None, None)]
    );
}

/// Hugo's and Zola's default front matter is TOML between `+++` lines: its fields are
/// metadata (source, date, title; arrays and tables skipped), and none of it is text.
#[test]
fn toml_front_matter_is_metadata_not_text() {
    let t = tempfile::tempdir().unwrap();
    let fm = "+++\ntitle = \"矿场停机记\"\ndate = 2021-06-10T08:00:00+08:00\nauthor = \"能源评论\"\n\
              draft = false\ntags = [\"挖矿\", \"比特币\"]\n\n[taxonomies]\ncategories = [\"财经\"]\n+++\n";
    write(t.path(), "domestic/hugo.md", &format!("{fm}{ZH}\n"));
    write(t.path(), "domestic/bare.md", &format!("{ZH}\n"));
    // Malformed: a warning naming the line, the body still without the block, and
    // the simple lines salvaged.
    write(
        t.path(),
        "domestic/broken.md",
        &format!("+++\nsource = \"矿业观察\"\ndate = 2021-06-12\ntitle = [unclosed\n+++\n{ZH}\n"),
    );
    write(t.path(), "overseas/post.md", &format!("{EN}\n"));
    let r = analyze(t.path());
    let d = |id: &str| r.documents.iter().find(|d| d.meta.id == id).unwrap();
    let hugo = d("domestic/hugo.md");
    assert_eq!(hugo.meta.fields.source.as_deref(), Some("能源评论"));
    assert_eq!(hugo.meta.date_iso.as_deref(), Some("2021-06-10"));
    assert_eq!(hugo.meta.date_from, Some(DateFrom::FrontMatter));
    assert_eq!(hugo.meta.fields.title.as_deref(), Some("矿场停机记"));
    assert_eq!(hugo.tokens, d("domestic/bare.md").tokens);
    let broken = d("domestic/broken.md");
    assert_eq!(broken.tokens, d("domestic/bare.md").tokens);
    assert_eq!(broken.meta.fields.source.as_deref(), Some("矿业观察"));
    assert_eq!(broken.meta.date_iso.as_deref(), Some("2021-06-12"));
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    let w = &r.warnings[0];
    assert_eq!(w.path, "domestic/broken.md");
    assert!(
        w.message
            .starts_with("front matter: malformed TOML at line 4:"),
        "{}",
        w.message
    );
}
