//! A self-contained HTML rendering of a [`Report`]: inline CSS and SVG charts, no
//! scripts, no fonts or other resources fetched, printable.
//!
//! The page is built with [maud](https://maud.lambda.xyz/), which escapes every
//! interpolated string; the only unescaped text is this module's own style sheet. Every
//! string from the corpus (text, titles, sources, URLs, file names, group labels, terms)
//! therefore shows as text. Links are only made from `http:`/`https:` URLs; a
//! `Content-Security-Policy` meta tag additionally forbids scripts and remote loads.

mod brief;
mod chart;
mod concepts;
mod documents;
mod evidence;
mod format;
mod overview;
mod sentiment;
mod set_aside;
mod terms;
mod time;

use crate::report::{CompareOptions, DocRecord, Report};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::collections::HashMap;

const STYLE: &str = include_str!("style.css");

/// Content-Security-Policy of the page: nothing but its own inline styles (defence in
/// depth; escaping alone already keeps corpus text inert).
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// Concepts drawn in the concept chart.
const CHART_CONCEPTS: usize = 20;
/// Concepts listed in the comparison table (significant ones are always added).
const TABLE_CONCEPTS: usize = 40;
/// Rows of the documents table.
const MAX_DOC_ROWS: usize = 500;
/// Rows of the skipped-files and warnings lists.
const MAX_LIST_ROWS: usize = 1000;
/// Characters of context kept on each side of an evidence match.
const KWIC_CONTEXT: usize = 90;
/// Keyness p_adj below which a term is drawn solid.
const STRONG_P: f64 = 0.001;

/// Renders `report` as one self-contained HTML page.
///
/// The page has a corpus overview, what was set aside (repeated passages, near-duplicate
/// documents), the comparability warnings, a plain-language
/// summary, distinctive terms per language (a diverging Log Ratio chart and table),
/// concept rates and sentiment with intervals, the sentiment distribution per group,
/// a time series when documents are dated, keyword-in-context evidence, the document
/// list and the skipped files. It needs no network access, runs no scripts and prints
/// cleanly. All text from the corpus is HTML-escaped.
///
/// # Example
///
/// ```no_run
/// use duibi::corpus::{CorpusOptions, Source};
/// use duibi::run::Pipeline;
///
/// let pipeline = Pipeline::builder().build()?;
/// let source = Source::dir("corpora/mining-2021", CorpusOptions::default());
/// let report = pipeline.analyze(source)?.into_report()?;
/// std::fs::write("report.html", duibi::render::html::render(&report))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render(report: &Report) -> String {
    let ctx = Ctx::new(report);
    page(&ctx).into_string()
}

/// What the sections share: the report, the group order (which fixes each group's
/// colour), document titles for evidence lines and the significance level.
struct Ctx<'a> {
    r: &'a Report,
    groups: Vec<String>,
    docs: HashMap<&'a str, &'a DocRecord>,
    /// Significance level of the comparison (the default level without one).
    alpha: f64,
}

impl<'a> Ctx<'a> {
    fn new(r: &'a Report) -> Ctx<'a> {
        let mut groups: Vec<String> = Vec::new();
        if let Some(cmp) = &r.comparison {
            groups.push(cmp.group_a.clone());
            groups.push(cmp.group_b.clone());
        }
        let others = r
            .corpus
            .groups
            .iter()
            .map(|g| &g.group)
            .chain(r.sentiment.iter().map(|s| &s.group))
            .chain(r.concepts.iter().map(|s| &s.group))
            .chain(r.documents.iter().map(|d| &d.meta.group));
        for g in others {
            if !groups.contains(g) {
                groups.push(g.clone());
            }
        }
        let docs = r
            .documents
            .iter()
            .map(|d| (d.meta.id.as_str(), d))
            .collect();
        let alpha = r
            .comparison
            .as_ref()
            .map_or(CompareOptions::default().alpha, |c| c.options.alpha);
        Ctx {
            r,
            groups,
            docs,
            alpha,
        }
    }

    /// Colour class of a group (`g0`, `g1` …).
    fn gc(&self, group: &str) -> String {
        let i = self.groups.iter().position(|g| g == group).unwrap_or(0);
        format!("g{}", i % 6)
    }

    fn chip(&self, group: &str) -> Markup {
        html! { span class=(format!("chip {}", self.gc(group))) { (format::clip(group)) } }
    }

    /// Groups drawn side by side in per-group charts (the compared pair first).
    fn chart_groups(&self) -> &[String] {
        &self.groups[..self.groups.len().min(6)]
    }
}

fn page(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    let title = match &r.comparison {
        Some(cmp) => format!("duibi report: {} vs {}", cmp.group_a, cmp.group_b),
        None => "duibi report".to_string(),
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                meta name="generator" content=(format!("{} {}", r.tool.name, r.tool.version));
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    (brief::header(ctx, &title))
                    (brief::warnings(ctx))
                    (brief::findings(ctx))
                    (overview::overview(ctx))
                    (set_aside::set_aside(ctx))
                    (terms::terms(ctx))
                    (concepts::concepts(ctx))
                    (sentiment::sentiment(ctx))
                    (time::time(ctx))
                    (evidence::evidence(ctx))
                    (terms::frequent_terms(ctx))
                    (documents::documents(ctx))
                    (documents::skipped(ctx))
                    (documents::footer(ctx))
                }
            }
        }
    }
}
