//! The HTML page shows what was set aside before counting (repeated passages with their
//! document counts per group, near-duplicates with the document they copy), escaped, and
//! says nothing of it when nothing was set aside.

use duibi::corpus::{Document, Source};
use duibi::report::Report;
use duibi::run::Pipeline;

const FOOTER: &str = "Subscribe to the <b>Weekly Hash</b> newsletter, free & independent.";

/// Eight overseas reports of one outlet, each ending in the same footer, one of them
/// reprinted; two domestic posts without footer.
fn corpus(with_footer: bool) -> Vec<Document> {
    let topics = [
        "Miners in Texas bought cheap power from the grid operator this spring.",
        "Hash rate fell by half in June as machines were shipped out of Sichuan.",
        "Kazakhstan welcomed the arrivals until its power stations ran short.",
        "Investors argued the move would make the network greener in the long run.",
        "Customs brokers in Chengdu reported record volumes of mining rigs.",
        "A Canadian utility said it could not promise new capacity before winter.",
        "Analysts expected the difficulty adjustment to bring profits back quickly.",
        "Officials in Inner Mongolia closed the last farms in the region in May.",
    ];
    let mut docs = Vec::new();
    for (i, t) in topics.iter().enumerate() {
        let body = format!("{t}\nThe report number {i} continues with details of its own.");
        let text = if with_footer {
            format!("{body}\n\n{FOOTER}\n")
        } else {
            body
        };
        let mut d = Document::in_memory(format!("overseas/{i}.txt"), "overseas", text.clone());
        d.meta.fields.source = Some("Example Wire".into());
        if i == 0 {
            let mut copy = Document::in_memory("overseas/reprint.txt", "overseas", text);
            copy.meta.fields.source = Some("Reprint outlet".into());
            docs.push(copy);
        }
        docs.push(d);
    }
    for i in 0..2 {
        docs.push(Document::in_memory(
            format!("domestic/{i}.txt"),
            "domestic",
            format!("矿工们把机器运往海外，第{i}批已经到达。\n电价上涨让利润变薄。"),
        ));
    }
    docs
}

fn report(docs: Vec<Document>) -> Report {
    Pipeline::builder()
        .bootstrap_reps(50)
        .evidence(0)
        .build()
        .unwrap()
        .analyze(Source::documents(docs))
        .unwrap()
        .into_report()
        .unwrap()
}

#[test]
fn the_page_lists_set_aside_passages_and_duplicates_with_their_counts() {
    let r = report(corpus(true));
    assert_eq!(r.set_aside.passages.len(), 1, "{:?}", r.set_aside);
    assert_eq!(r.set_aside.duplicates.len(), 1, "{:?}", r.set_aside);
    let html = duibi::render::html::render(&r);
    let section = html
        .split("<section id=\"set-aside\">")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("a set-aside section");
    // The footer, escaped, with the 8 documents that hold it.
    assert!(
        section.contains(
            "Subscribe to the &lt;b&gt;Weekly Hash&lt;/b&gt; newsletter, free &amp; independent."
        ),
        "{section}"
    );
    assert!(!section.contains("<b>"), "{section}");
    assert!(section.contains(">8</td>"), "{section}");
    // The reprint and the report it copies.
    assert!(section.contains("overseas/reprint.txt"), "{section}");
    assert!(section.contains("overseas/0.txt"), "{section}");
    assert!(
        section.contains("Near-duplicate documents (1)"),
        "{section}"
    );
}

#[test]
fn nothing_set_aside_means_no_section() {
    let mut docs = corpus(false);
    docs.retain(|d| d.meta.id != "overseas/reprint.txt");
    let r = report(docs);
    assert!(r.set_aside.passages.is_empty() && r.set_aside.duplicates.is_empty());
    let html = duibi::render::html::render(&r);
    assert!(!html.contains("id=\"set-aside\""));
}
