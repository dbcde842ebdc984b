//! A self-contained HTML rendering of a [`Report`]: inline CSS and SVG charts, no
//! scripts, no fonts or other resources fetched, printable.
//!
//! The page is built with [maud](https://maud.lambda.xyz/), which escapes every
//! interpolated string; the only unescaped text is this module's own style sheet. Every
//! string from the corpus (text, titles, sources, URLs, file names, group labels, terms)
//! therefore shows as text. Links are only made from `http:`/`https:` URLs; a
//! `Content-Security-Policy` meta tag additionally forbids scripts and remote loads.

mod chart;

use crate::lang::Lang;
use crate::report::{
    CompareOptions, ConceptCompareRecord, ConceptGroupRecord, DocRecord, EvidenceKind,
    EvidenceRecord, KeynessRecord, Report, SentimentGroupRecord, SentimentMeasure,
};
use chart::{c, fit, nice_max, svg, whisker, x_grid, Scale};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
/// The page has a corpus overview, the comparability warnings, a plain-language
/// summary, distinctive terms per language (a diverging Log Ratio chart and table),
/// concept rates and sentiment with intervals, the sentiment distribution per group,
/// a time series when documents are dated, keyword-in-context evidence, the document
/// list and the skipped files. It needs no network access, runs no scripts and prints
/// cleanly. All text from the corpus is HTML-escaped.
///
/// # Example
///
/// ```no_run
/// use duibi::corpus::CorpusOptions;
/// use duibi::pipeline::Pipeline;
///
/// let pipeline = Pipeline::builder().build()?;
/// let report = pipeline.analyze_dir("corpora/mining-2021", &CorpusOptions::default(), &|_| {})?;
/// std::fs::write("report.html", duibi::html::render(&report))?;
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
        html! { span class=(format!("chip {}", self.gc(group))) { (group) } }
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
                    (header(ctx, &title))
                    (warnings(ctx))
                    (findings(ctx))
                    (overview(ctx))
                    (terms(ctx))
                    (concepts(ctx))
                    (sentiment(ctx))
                    (time(ctx))
                    (evidence(ctx))
                    (frequent_terms(ctx))
                    (documents(ctx))
                    (skipped(ctx))
                    (footer(ctx))
                }
            }
        }
    }
}

// ---------------------------------------------------------------- formatting

/// A number with a real minus sign.
fn num(x: f64, d: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = format!("{x:.d$}");
    let zero = s
        .trim_start_matches('-')
        .chars()
        .all(|ch| ch == '0' || ch == '.');
    if zero {
        s.trim_start_matches('-').to_string()
    } else {
        s.replace('-', "−")
    }
}

/// A signed number (`+0.12`, `−0.12`).
fn signed(x: f64, d: usize) -> String {
    let s = num(x, d);
    if x > 0.0 && !s.chars().all(|ch| ch == '0' || ch == '.') {
        format!("+{s}")
    } else {
        s
    }
}

/// A significance level as given (`0.05`).
fn level(alpha: f64) -> String {
    format!("{alpha}")
}

fn opt_num(x: Option<f64>, d: usize) -> String {
    x.map(|v| signed(v, d)).unwrap_or_else(|| "–".into())
}

/// An estimate with its interval: `−0.05 [−0.11, −0.01]`.
fn interval(est: f64, lo: f64, hi: f64, d: usize) -> String {
    format!("{} [{}, {}]", signed(est, d), signed(lo, d), signed(hi, d))
}

/// An integer with thousands separators.
fn int(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn pct(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    format!("{:.0}%", x * 100.0)
}

/// A p-value.
fn pval(p: f64) -> String {
    if !p.is_finite() {
        "–".into()
    } else if p < 0.001 {
        "< 0.001".into()
    } else if p < 0.01 {
        format!("{p:.3}")
    } else {
        format!("{p:.2}")
    }
}

/// `p = 0.02` or `p < 0.001`.
fn p_phrase(p: f64) -> String {
    let v = pval(p);
    if v.starts_with('<') {
        format!("p {v}")
    } else {
        format!("p = {v}")
    }
}

fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Zh => "Chinese 中文",
        Lang::En => "English",
        Lang::Ja => "Japanese 日本語",
        Lang::Ko => "Korean 한국어",
        Lang::De => "German",
        Lang::Fr => "French",
        Lang::Es => "Spanish",
        Lang::Und => "undetermined",
    }
}

/// The `lang` attribute for text in `l`.
fn lang_attr(l: Lang) -> &'static str {
    match l {
        Lang::Zh => "zh-Hans",
        Lang::Und => "und",
        other => other.code(),
    }
}

/// Concept label: `挖矿 mining`, or the English label alone when the same.
fn concept_label(zh: &str, en: &str, id: &str) -> String {
    match (zh.trim().is_empty(), en.trim().is_empty()) {
        (true, true) => id.to_string(),
        (true, false) => en.to_string(),
        (false, true) => zh.to_string(),
        (false, false) if zh == en => en.to_string(),
        (false, false) => format!("{zh} {en}"),
    }
}

/// A URL usable as a link target: only plain `http(s)` URLs, anything else is shown as
/// text (so `javascript:` or `data:` URLs never become links).
fn safe_href(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && u.len() > 8
        && !u.chars().any(|ch| ch.is_control() || ch.is_whitespace());
    ok.then_some(u)
}

/// Short "how to read" note under a chart.
fn howto(body: Markup) -> Markup {
    html! { p.howto { b { "How to read this: " } (body) } }
}

// ---------------------------------------------------------------- header, warnings, summary

fn header(ctx: &Ctx, title: &str) -> Markup {
    let r = ctx.r;
    html! {
        header.top {
            h1 { (title) }
            p.sub {
                "Corpus " code { (r.corpus.root) } " · "
                (int(r.corpus.documents)) " documents · " (int(r.corpus.tokens)) " tokens · "
                (r.tool.name) " " (r.tool.version) " · report format " (r.schema_version)
            }
            p.sub {
                "Groups: "
                @for g in &ctx.groups { (ctx.chip(g)) " " }
                @if let Some(cmp) = &r.comparison {
                    span.muted { " (comparison: " (cmp.group_a) " vs " (cmp.group_b) ")" }
                }
            }
            nav.toc {
                a href="#overview" { "Overview" }
                a href="#terms" { "Distinctive terms" }
                a href="#concepts" { "Concepts" }
                a href="#sentiment" { "Sentiment" }
                @if !r.time.is_empty() { a href="#time" { "Over time" } }
                a href="#evidence" { "Evidence" }
                a href="#frequent" { "Frequent terms" }
                a href="#documents" { "Documents" }
                a href="#skipped" { "Skipped files" }
            }
        }
    }
}

fn warnings(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    let mut items: Vec<String> = r.checks.warnings.clone();
    if r.comparison.is_none() {
        items.push(
            "fewer than two groups: no comparison (distinctive terms and differences) was made"
                .into(),
        );
    }
    if r.corpus.files_skipped > 0 {
        items.push(format!(
            "{} file(s) were skipped and are not in any number below (see Skipped files)",
            r.corpus.files_skipped
        ));
    }
    if items.is_empty() {
        return html! {};
    }
    html! {
        section.warnings #warnings {
            h2 { "⚠ Comparability warnings" }
            ul { @for w in &items { li { (w) } } }
        }
    }
}

/// The top distinctive terms of each group and language, as short phrases.
fn findings(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    let Some(cmp) = &r.comparison else {
        return html! {};
    };
    let mut stress: Vec<(String, Lang, Vec<&KeynessRecord>)> = Vec::new();
    for g in [&cmp.group_a, &cmp.group_b] {
        for l in Lang::ALL {
            let mut ks: Vec<&KeynessRecord> = cmp
                .keyness
                .iter()
                .filter(|k| k.lang == l && &k.favours == g)
                .collect();
            ks.sort_by_key(|k| k.rank);
            ks.truncate(6);
            if !ks.is_empty() {
                stress.push((g.clone(), l, ks));
            }
        }
    }
    let mut more_a: Vec<&ConceptCompareRecord> = cmp
        .concepts
        .iter()
        .filter(|k| k.p_adj < ctx.alpha && k.log_ratio > 0.0)
        .collect();
    let mut more_b: Vec<&ConceptCompareRecord> = cmp
        .concepts
        .iter()
        .filter(|k| k.p_adj < ctx.alpha && k.log_ratio < 0.0)
        .collect();
    more_a.sort_by(|x, y| y.log_ratio.total_cmp(&x.log_ratio));
    more_b.sort_by(|x, y| x.log_ratio.total_cmp(&y.log_ratio));
    more_a.truncate(6);
    more_b.truncate(6);
    let sent = cmp
        .sentiment
        .iter()
        .find(|s| s.measure == SentimentMeasure::SentenceMean);
    let mut tone: Vec<&ConceptCompareRecord> = cmp
        .concepts
        .iter()
        .filter(|k| match (k.sentiment_diff_lo, k.sentiment_diff_hi) {
            (Some(lo), Some(hi)) => lo > 0.0 || hi < 0.0,
            _ => false,
        })
        .collect();
    tone.sort_by(|x, y| {
        let a = x.sentiment_diff.unwrap_or(0.0).abs();
        let b = y.sentiment_diff.unwrap_or(0.0).abs();
        b.total_cmp(&a)
    });
    tone.truncate(5);
    let concept_list = |v: &[&ConceptCompareRecord]| -> String {
        v.iter()
            .map(|k| concept_label(&k.label_zh, &k.label_en, &k.concept))
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        section.findings #summary {
            h2 { "In brief" }
            ul {
                @for (g, l, ks) in &stress {
                    li {
                        (ctx.chip(g)) " stresses, in " (lang_name(*l)) ": "
                        @for (i, k) in ks.iter().enumerate() {
                            @if i > 0 { ", " }
                            b { (k.term) }
                        }
                    }
                }
                @if stress.is_empty() {
                    li { "No term passed the significance filter in either direction." }
                }
                @if !more_a.is_empty() {
                    li { "Concepts mentioned clearly more by " (ctx.chip(&cmp.group_a)) ": " (concept_list(&more_a)) }
                }
                @if !more_b.is_empty() {
                    li { "Concepts mentioned clearly more by " (ctx.chip(&cmp.group_b)) ": " (concept_list(&more_b)) }
                }
                @if let Some(s) = sent {
                    li {
                        "Overall tone (mean sentiment of sentences with a lexicon match, −1…1): "
                        (ctx.chip(&cmp.group_a)) " " (signed(s.a, 3)) ", "
                        (ctx.chip(&cmp.group_b)) " " (signed(s.b, 3)) ". Difference "
                        (interval(s.diff, s.diff_lo, s.diff_hi, 3)) ", " (p_phrase(s.p_permutation)) ": "
                        @if s.diff_lo > 0.0 {
                            b { (cmp.group_a) " is more positive" }
                        } @else if s.diff_hi < 0.0 {
                            b { (cmp.group_a) " is more negative" }
                        } @else {
                            b { "no clear difference" }
                        }
                        "."
                    }
                }
                @if !tone.is_empty() {
                    li {
                        "Concepts whose tone clearly differs (" (cmp.group_a) " − " (cmp.group_b) "): "
                        @for (i, k) in tone.iter().enumerate() {
                            @if i > 0 { "; " }
                            b { (concept_label(&k.label_zh, &k.label_en, &k.concept)) }
                            " " (signed(k.sentiment_diff.unwrap_or(0.0), 2))
                            @if k.sentiment_diff.unwrap_or(0.0) < 0.0 {
                                " (" (cmp.group_a) " more negative)"
                            } @else {
                                " (" (cmp.group_a) " more positive)"
                            }
                        }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------- overview

fn overview(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    let cs = &r.corpus;
    html! {
        section #overview {
            h2 { "Corpus overview" }
            div.stats {
                div.stat { div.v { (int(cs.documents)) } div.k { "documents" } }
                div.stat { div.v { (int(cs.tokens)) } div.k { "word tokens" } }
                div.stat { div.v { (int(cs.files_analyzed)) } div.k { "files analysed" } }
                div.stat { div.v { (int(cs.files_skipped)) } div.k { "files skipped" } }
                div.stat { div.v { (cs.groups.len()) } div.k { "groups" } }
            }
            table {
                thead { tr {
                    th { "Group" } th.n { "Documents" } th.n { "Tokens" } th.n { "Characters" } th.n { "Bytes" }
                } }
                tbody {
                    @for g in &cs.groups {
                        tr {
                            td { (ctx.chip(&g.group)) }
                            td.n { (int(g.documents)) } td.n { (int(g.tokens)) }
                            td.n { (int(g.chars)) } td.n { (int(g.bytes)) }
                        }
                    }
                }
            }
            h3 { "Languages per group" }
            (lang_mix_chart(ctx))
            table {
                thead { tr {
                    th { "Group" } th { "Language" } th.n { "Tokens" } th.n { "Share" }
                    th.n { "Documents (main language)" } th.n { "Vocabulary" } th.n { "Chars / token" }
                } }
                tbody {
                    @for l in &cs.languages {
                        tr {
                            td { (ctx.chip(&l.group)) } td { (lang_name(l.lang)) }
                            td.n { (int(l.tokens)) } td.n { (pct(l.token_share)) }
                            td.n { (int(l.documents)) } td.n { (int(l.vocabulary)) }
                            td.n { (num(l.chars_per_token, 2)) }
                        }
                    }
                }
            }
            @if !r.coverage.is_empty() {
                h3 { "Sentiment lexicon coverage" }
                table {
                    thead { tr {
                        th { "Group" } th { "Language" } th.n { "Tokens" } th.n { "Tokens in a lexicon match" }
                        th.n { "Sentences" } th.n { "Sentences with a match" }
                    } }
                    tbody {
                        @for cv in &r.coverage {
                            tr {
                                td { (ctx.chip(&cv.group)) } td { (lang_name(cv.lang)) }
                                td.n { (int(cv.tokens)) } td.n { (pct(cv.token_coverage)) }
                                td.n { (int(cv.sentences)) } td.n { (pct(cv.sentence_coverage)) }
                            }
                        }
                    }
                }
            }
            @if !cs.metadata_files.is_empty() {
                p.muted { "Metadata read from: "
                    @for (i, m) in cs.metadata_files.iter().enumerate() {
                        @if i > 0 { ", " } code { (m) }
                    }
                }
            }
        }
    }
}

/// A segment of a stacked bar: shade index, language, x from, x to, share.
type Segment = (usize, Lang, f64, f64, f64);

/// One stacked bar per group: share of tokens per language.
fn lang_mix_chart(ctx: &Ctx) -> Markup {
    let cs = &ctx.r.corpus;
    let groups: Vec<&String> = ctx
        .groups
        .iter()
        .filter(|g| cs.languages.iter().any(|l| &l.group == *g))
        .collect();
    if groups.is_empty() {
        return html! {};
    }
    let langs: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|l| cs.languages.iter().any(|x| x.lang == *l))
        .collect();
    let shades = [
        "#3d4b5c", "#8d99a8", "#b9c2cc", "#d7dce2", "#5e6b7b", "#a3adb8", "#c9d0d8", "#e6e9ed",
    ];
    let (w, label_w, rh) = (960.0, 150.0, 26.0);
    let h = groups.len() as f64 * rh + 2.0;
    let x = Scale::new(0.0, 1.0, label_w, w - 20.0);
    let rows: Vec<(&String, Vec<Segment>)> = groups
        .iter()
        .map(|g| {
            let mut acc = 0.0;
            let segs = langs
                .iter()
                .enumerate()
                .filter_map(|(j, l)| {
                    let rec = cs
                        .languages
                        .iter()
                        .find(|x| &x.group == *g && x.lang == *l)?;
                    let x0 = x.at(acc);
                    acc += rec.token_share;
                    Some((j, *l, x0, x.at(acc), rec.token_share))
                })
                .collect();
            (*g, segs)
        })
        .collect();
    let body = html! {
        @for (i, (g, segs)) in rows.iter().enumerate() {
            @let y = 4.0 + i as f64 * rh;
            text class="lbl" style=(format!("fill:var(--{})", ctx.gc(g))) x=(c(label_w - 8.0)) y=(c(y + 14.0)) text-anchor="end" font-weight="600" {
                (fit(g, 12.5, label_w - 12.0))
            }
            @for (j, l, x0, x1, share) in segs {
                rect x=(c(*x0)) y=(c(y)) width=(c((x1 - x0).max(0.0))) height=(c(rh - 8.0)) fill=(shades[j % shades.len()]) {
                    title { (g) ", " (lang_name(*l)) ": " (pct(*share)) }
                }
                @if x1 - x0 > 90.0 {
                    text class="val" x=(c(x0 + 6.0)) y=(c(y + 13.0)) style=(if j % 4 == 0 { "fill:#fff" } else { "fill:#1f2933" }) {
                        (lang_name(*l)) " " (pct(*share))
                    }
                }
            }
        }
    };
    html! {
        figure {
            (svg(w, h, "Share of tokens per language in each group", body))
            div.legend {
                @for (j, l) in langs.iter().enumerate() {
                    span { span.sw style=(format!("background:{}", shades[j % shades.len()])) {} (lang_name(*l)) }
                }
            }
        }
        (howto(html! {
            "each bar is one group's word tokens split by language. Groups written in different languages are "
            "compared through different segmenters and lexicons, so prefer per-language rows and concepts."
        }))
    }
}

// ---------------------------------------------------------------- distinctive terms

fn terms(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    html! {
        section #terms {
            h2 { "Distinctive terms" }
            @if let Some(cmp) = &r.comparison {
                @let langs: Vec<Lang> = Lang::ALL.into_iter().filter(|l| cmp.keyness.iter().any(|k| k.lang == *l)).collect();
                @if langs.is_empty() {
                    p { "No term differs significantly between the groups (terms tested: "
                        @for (l, n) in &cmp.terms_tested { (lang_name(*l)) " " (int(*n)) "; " }
                        ")." }
                }
                @for l in &langs {
                    @let ks = keyness_rows(&cmp.keyness, *l);
                    h3 { (lang_name(*l)) " "
                        span.muted { "(" (ks.len()) " significant of "
                            (int(cmp.terms_tested.get(l).copied().unwrap_or(0))) " tested)" } }
                    (keyness_chart(ctx, &cmp.group_a, &cmp.group_b, *l, &ks))
                    (keyness_table(ctx, &cmp.group_a, &cmp.group_b, &ks))
                }
                (howto(html! {
                    b { "Log Ratio" } " is the binary logarithm of how much more often a term occurs (per token of "
                    "the same language) in one group than in the other: +1 means twice as often in "
                    (cmp.group_a) ", −1 twice as often in " (cmp.group_b) ", +3 eight times. Only terms that "
                    "are significant after Benjamini–Hochberg correction (log-likelihood G², α = "
                    (level(ctx.alpha)) ", in at least " (cmp.options.min_doc_freq) " documents) are listed; "
                    "solid bars have adjusted p < 0.001, lighter bars p < " (level(ctx.alpha)) ". "
                    b { "LRC" } " (conservative Log Ratio) is the end of the 95% interval nearer zero: a cautious effect size."
                }))
            } @else {
                p.muted { "A comparison needs two groups; see the most frequent terms per group below." }
            }
        }
    }
}

/// Significant terms of one language, most typical of A first, most typical of B last.
fn keyness_rows(all: &[KeynessRecord], l: Lang) -> Vec<&KeynessRecord> {
    let mut ks: Vec<&KeynessRecord> = all.iter().filter(|k| k.lang == l).collect();
    ks.sort_by(|a, b| {
        b.log_ratio
            .total_cmp(&a.log_ratio)
            .then_with(|| a.term.cmp(&b.term))
    });
    ks
}

fn keyness_chart(ctx: &Ctx, a: &str, b: &str, l: Lang, ks: &[&KeynessRecord]) -> Markup {
    let (w, rh, top) = (960.0, 22.0, 30.0);
    let cx = w / 2.0;
    let half = 340.0;
    let m = nice_max(
        ks.iter()
            .map(|k| k.log_ratio.abs())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max),
    );
    let x = Scale::new(-m, m, cx - half, cx + half);
    let h = top + ks.len() as f64 * rh + 24.0;
    let y_bottom = top + ks.len() as f64 * rh;
    let (ca, cb) = (ctx.gc(a), ctx.gc(b));
    let body = html! {
        text class="head" style=(format!("fill:var(--{cb})")) x=(c(cx - half)) y="14" { "◀ more in " (fit(b, 12.5, 200.0)) }
        text class="head" style=(format!("fill:var(--{ca})")) x=(c(cx + half)) y="14" text-anchor="end" { "more in " (fit(a, 12.5, 200.0)) " ▶" }
        (x_grid(&x, &x.ticks(8), top - 6.0, y_bottom))
        @for (i, k) in ks.iter().enumerate() {
            @let y = top + i as f64 * rh;
            @let lr = if k.log_ratio.is_finite() { k.log_ratio } else { 0.0 };
            @let x0 = x.at(0.0);
            @let x1 = x.at(lr);
            @let cls = if lr >= 0.0 { &ca } else { &cb };
            @let weak = k.p_adj >= STRONG_P;
            g {
                title {
                    (k.term) ": Log Ratio " (signed(k.log_ratio, 2)) ", counts " (k.count_a) " (" (a) ") vs "
                    (k.count_b) " (" (b) "), adjusted p " (pval(k.p_adj))
                }
                rect class=(format!("bar {cls}{}", if weak { " weak" } else { "" }))
                    x=(c(x0.min(x1))) y=(c(y + 3.0)) width=(c((x1 - x0).abs().max(1.0))) height=(c(rh - 6.0)) {}
                @if lr >= 0.0 {
                    text class="lbl" x=(c(x0 - 6.0)) y=(c(y + 15.5)) text-anchor="end" lang=(lang_attr(l)) { (fit(&k.term, 12.5, 150.0)) }
                    text class="val" x=(c(x1 + 5.0)) y=(c(y + 15.0)) { (signed(lr, 2)) }
                } @else {
                    text class="lbl" x=(c(x0 + 6.0)) y=(c(y + 15.5)) lang=(lang_attr(l)) { (fit(&k.term, 12.5, 150.0)) }
                    text class="val" x=(c(x1 - 5.0)) y=(c(y + 15.0)) text-anchor="end" { (signed(lr, 2)) }
                }
            }
        }
        text class="tick" x=(c(cx)) y=(c(h - 1.0)) text-anchor="middle" { "Log Ratio (log₂ of the ratio of relative frequencies)" }
    };
    html! {
        figure {
            (svg(w, h + 8.0, &format!("Distinctive {} terms: Log Ratio, {} vs {}", lang_name(l), a, b), body))
            div.legend {
                span { span class=(format!("sw {ca}")) {} (a) ", adjusted p < 0.001" }
                span { span class=(format!("sw weak {ca}")) {} (a) ", p < " (level(ctx.alpha)) }
                span { span class=(format!("sw {cb}")) {} (b) ", adjusted p < 0.001" }
                span { span class=(format!("sw weak {cb}")) {} (b) ", p < " (level(ctx.alpha)) }
            }
        }
    }
}

fn keyness_table(ctx: &Ctx, a: &str, b: &str, ks: &[&KeynessRecord]) -> Markup {
    html! {
        div.scroll { table {
            thead { tr {
                th { "Term" } th { "More in" }
                th.n { "Count" br; span.muted { (a) " / " (b) } }
                th.n { "Per 10k tokens" br; span.muted { (a) " / " (b) } }
                th.n { "Documents" br; span.muted { (a) " / " (b) } }
                th.n { "Log Ratio" } th.n { "LRC" } th.n { "G²" } th.n { "Adj. p" }
            } }
            tbody {
                @for k in ks {
                    tr.sig[k.p_adj < STRONG_P] {
                        td.term lang=(lang_attr(k.lang)) { (k.term) } td { (ctx.chip(&k.favours)) }
                        td.n { (int(k.count_a)) " / " (int(k.count_b)) }
                        td.n { (num(k.per_10k_a, 1)) " / " (num(k.per_10k_b, 1)) }
                        td.n { (k.doc_freq_a) " / " (k.doc_freq_b) }
                        td.n { (signed(k.log_ratio, 2)) } td.n { (signed(k.lrc, 2)) }
                        td.n { (num(k.g2, 1)) } td.n { (pval(k.p_adj)) }
                    }
                }
            }
        } }
    }
}

/// Top frequent terms per language, one column per group.
fn frequent_terms(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    const N: u32 = 15;
    let langs: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|l| r.terms.iter().any(|t| t.lang == *l))
        .collect();
    if langs.is_empty() {
        return html! {};
    }
    let groups = ctx.chart_groups();
    html! {
      section #frequent {
        h2 { "Most frequent terms" }
        p.muted { "Top " (N) " content words per group and language (stopwords excluded), per 10,000 tokens of that language." }
        @for l in &langs {
            h4 { (lang_name(*l)) }
            div.two {
                @for g in groups {
                    @let rows: Vec<_> = r.terms.iter().filter(|t| t.lang == *l && &t.group == g && t.rank <= N).collect();
                    @if !rows.is_empty() {
                        table {
                            thead { tr { th { (ctx.chip(g)) } th.n { "Count" } th.n { "Per 10k" } th.n { "Docs" } } }
                            tbody {
                                @for t in rows {
                                    tr { td.term lang=(lang_attr(*l)) { (t.term) } td.n { (int(t.count)) } td.n { (num(t.per_10k, 1)) } td.n { (t.doc_freq) } }
                                }
                            }
                        }
                    }
                }
            }
        }
      }
    }
}

// ---------------------------------------------------------------- concepts

/// Concept ids in chart order: most mentioned first.
fn chart_concepts(ctx: &Ctx) -> Vec<String> {
    let mut total: BTreeMap<&str, u64> = BTreeMap::new();
    for c in &ctx.r.concepts {
        *total.entry(c.concept.as_str()).or_default() += c.mentions;
    }
    let mut v: Vec<(&str, u64)> = total.into_iter().filter(|(_, n)| *n > 0).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    v.into_iter().map(|(k, _)| k.to_string()).collect()
}

fn concepts(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    let order = chart_concepts(ctx);
    if order.is_empty() {
        return html! {
            section #concepts { h2 { "Concepts" } p.muted { "No concept from the glossary was mentioned." } }
        };
    }
    let shown = &order[..order.len().min(CHART_CONCEPTS)];
    let cmp_by: HashMap<&str, &ConceptCompareRecord> = r
        .comparison
        .iter()
        .flat_map(|c| c.concepts.iter())
        .map(|c| (c.concept.as_str(), c))
        .collect();
    html! {
        section #concepts {
            h2 { "Concepts" }
            p { "How often each side mentions a concept of the bilingual glossary (Chinese and English wordings "
                "counted together), and how positive or negative the sentences mentioning it are. The "
                (shown.len()) " most mentioned of " (order.len()) " concepts are drawn." }
            (concept_chart(ctx, shown, &cmp_by))
            (howto(html! {
                b { "Left:" } " mentions per 10,000 tokens in each group; the black whisker is the 95% bootstrap "
                "interval (documents or sources resampled), so whiskers that do not overlap suggest a real difference. "
                b { "Right:" } " mean sentiment (−1 negative … +1 positive) of the sentences that mention the concept, "
                "with its 95% interval; 0 is neutral. "
                b { "*" } " after a label: the rate differs significantly (adjusted p < " (level(ctx.alpha)) "); "
                b { "*" } " at the right edge: the sentiment differs (interval of the difference excludes 0)."
            }))
            div.scroll {
                @if let Some(cmp) = &r.comparison {
                    (concept_table(ctx, &cmp.group_a, &cmp.group_b, &cmp.concepts, &order))
                } @else {
                    (concept_group_table(ctx, &order))
                }
            }
        }
    }
}

fn concept_chart(
    ctx: &Ctx,
    shown: &[String],
    cmp_by: &HashMap<&str, &ConceptCompareRecord>,
) -> Markup {
    let r = ctx.r;
    let groups = ctx.chart_groups();
    let recs: HashMap<(&str, &str), &ConceptGroupRecord> = r
        .concepts
        .iter()
        .map(|c| ((c.concept.as_str(), c.group.as_str()), c))
        .collect();
    let ng = groups.len().max(1) as f64;
    let (w, label_w, top) = (960.0, 210.0, 42.0);
    let bar_h = 8.0;
    let rh = ng * (bar_h + 2.0) + 10.0;
    let (r0, r1) = (label_w + 10.0, 590.0);
    let (s0, s1) = (640.0, 930.0);
    let max_rate = nice_max(
        shown
            .iter()
            .flat_map(|k| {
                groups
                    .iter()
                    .filter_map(|g| recs.get(&(k.as_str(), g.as_str())))
            })
            .map(|c| c.per_10k_hi.max(c.per_10k))
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max),
    );
    let max_sent = shown
        .iter()
        .flat_map(|k| {
            groups
                .iter()
                .filter_map(|g| recs.get(&(k.as_str(), g.as_str())))
        })
        .flat_map(|c| [c.sentiment, c.sentiment_lo, c.sentiment_hi])
        .flatten()
        .filter(|v| v.is_finite())
        .fold(0.2f64, |m, v| m.max(v.abs()));
    let sm = ((max_sent * 10.0).ceil() / 10.0).min(1.0);
    let xr = Scale::new(0.0, max_rate, r0, r1);
    let xs = Scale::new(-sm, sm, s0, s1);
    let y_bottom = top + shown.len() as f64 * rh;
    let h = y_bottom + 22.0;
    let body = html! {
        text class="head" x=(c(r0)) y="14" { "Mentions per 10,000 tokens" }
        text class="head" x=(c(s0)) y="14" { "Sentiment of sentences mentioning it" }
        text class="tick" x=(c(s0)) y="27" { "◀ negative" }
        text class="tick" x=(c(s1)) y="27" text-anchor="end" { "positive ▶" }
        (x_grid(&xr, &xr.ticks(6), top - 6.0, y_bottom))
        (x_grid(&xs, &xs.ticks(6), top - 6.0, y_bottom))
        @for (i, k) in shown.iter().enumerate() {
            @let y = top + i as f64 * rh;
            @let any = groups.iter().find_map(|g| recs.get(&(k.as_str(), g.as_str())));
            @let label = any.map(|c| concept_label(&c.label_zh, &c.label_en, &c.concept)).unwrap_or_else(|| k.clone());
            @let cmp = cmp_by.get(k.as_str());
            @let rate_sig = cmp.map(|c| c.p_adj < ctx.alpha).unwrap_or(false);
            @let sent_sig = cmp.and_then(|c| Some(c.sentiment_diff_lo? > 0.0 || c.sentiment_diff_hi? < 0.0)).unwrap_or(false);
            @if i % 2 == 1 {
                rect x="0" y=(c(y - 2.0)) width=(c(w)) height=(c(rh)) fill="#f6f7f9" {}
            }
            text class="lbl" x=(c(label_w)) y=(c(y + rh / 2.0 + 1.0)) text-anchor="end" font-weight=[rate_sig.then_some("600")] {
                (fit(&label, 12.5, label_w - 20.0)) @if rate_sig { " *" }
            }
            @if sent_sig {
                text class="head" x=(c(w - 14.0)) y=(c(y + rh / 2.0 + 1.0)) { "*" }
            }
            @for (j, g) in groups.iter().enumerate() {
                @if let Some(rec) = recs.get(&(k.as_str(), g.as_str())) {
                    @let by = y + 2.0 + j as f64 * (bar_h + 2.0);
                    @let cls = ctx.gc(g);
                    g {
                        title { (label) ", " (g) ": " (num(rec.per_10k, 1)) " per 10k [" (num(rec.per_10k_lo, 1)) ", "
                            (num(rec.per_10k_hi, 1)) "], " (rec.mentions) " mentions in " (rec.documents) " documents; sentiment "
                            (opt_num(rec.sentiment, 2)) }
                        rect class=(format!("bar {cls}")) x=(c(r0)) y=(c(by)) width=(c((xr.at(rec.per_10k) - r0).max(0.0))) height=(c(bar_h)) {}
                        (whisker(xr.at(rec.per_10k_lo), xr.at(rec.per_10k_hi), by + bar_h / 2.0, 3.0))
                        @if let (Some(s), Some(lo), Some(hi)) = (rec.sentiment, rec.sentiment_lo, rec.sentiment_hi) {
                            line class=(format!("ci {cls}")) x1=(c(xs.at(lo))) x2=(c(xs.at(hi))) y1=(c(by + bar_h / 2.0)) y2=(c(by + bar_h / 2.0)) {}
                            circle class=(cls) cx=(c(xs.at(s))) cy=(c(by + bar_h / 2.0)) r="3.6" stroke="#fff" stroke-width="1" {}
                        } @else if let Some(s) = rec.sentiment {
                            circle class=(cls) cx=(c(xs.at(s))) cy=(c(by + bar_h / 2.0)) r="3.6" {}
                        }
                    }
                }
            }
        }
    };
    html! {
        figure {
            (svg(w, h + 4.0, "Concept rates per 10,000 tokens and sentiment per group, with 95% intervals", body))
            div.legend {
                @for g in groups { span { span class=(format!("sw {}", ctx.gc(g))) {} (g) } }
            }
        }
    }
}

fn concept_table(
    ctx: &Ctx,
    a: &str,
    b: &str,
    rows: &[ConceptCompareRecord],
    order: &[String],
) -> Markup {
    let pos: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let mut rows: Vec<&ConceptCompareRecord> = rows
        .iter()
        .filter(|k| k.mentions_a + k.mentions_b > 0)
        .collect();
    rows.sort_by_key(|k| pos.get(k.concept.as_str()).copied().unwrap_or(usize::MAX));
    let total = rows.len();
    // The most mentioned concepts, plus any significant one further down.
    let rows: Vec<&ConceptCompareRecord> = rows
        .into_iter()
        .enumerate()
        .filter(|(i, k)| *i < TABLE_CONCEPTS || k.p_adj < ctx.alpha)
        .map(|(_, k)| k)
        .collect();
    html! {
        h3 { "Concept comparison table" }
        p.muted { "Bold rows differ significantly in rate (adjusted p < " (level(ctx.alpha)) "). Sentiment difference is "
            (a) " − " (b) " with its 95% bootstrap interval and permutation p."
            @if rows.len() < total {
                " The " (rows.len()) " most mentioned or significant of " (total) " mentioned concepts are listed; the JSON report has all."
            }
        }
        table {
            thead { tr {
                th { "Concept" }
                th.n { "Mentions" br; span.muted { (a) " / " (b) } }
                th.n { "Per 10k tokens" br; span.muted { (a) " / " (b) } }
                th.n { "Log Ratio" } th.n { "Adj. p" }
                th.n { "Sentiment difference" br; span.muted { "[95% interval]" } } th.n { "p" }
            } }
            tbody {
                @for k in rows {
                    tr.sig[k.p_adj < ctx.alpha] {
                        td { (concept_label(&k.label_zh, &k.label_en, &k.concept)) }
                        td.n { (int(k.mentions_a)) " / " (int(k.mentions_b)) }
                        td.n { (num(k.per_10k_a, 1)) " / " (num(k.per_10k_b, 1)) }
                        td.n { (signed(k.log_ratio, 2)) } td.n { (pval(k.p_adj)) }
                        td.n {
                            @match (k.sentiment_diff, k.sentiment_diff_lo, k.sentiment_diff_hi) {
                                (Some(d), Some(lo), Some(hi)) => { (interval(d, lo, hi, 2)) }
                                (Some(d), _, _) => { (signed(d, 2)) }
                                _ => { "–" }
                            }
                        }
                        td.n { (k.sentiment_p.map(pval).unwrap_or_else(|| "–".into())) }
                    }
                }
            }
        }
    }
}

fn concept_group_table(ctx: &Ctx, order: &[String]) -> Markup {
    let r = ctx.r;
    html! {
        table {
            thead { tr { th { "Concept" } th { "Group" } th.n { "Mentions" } th.n { "Per 10k [95% interval]" } th.n { "Sentiment [95% interval]" } } }
            tbody {
                @for k in order {
                    @for rec in r.concepts.iter().filter(|x| &x.concept == k && x.mentions > 0) {
                        tr {
                            td { (concept_label(&rec.label_zh, &rec.label_en, &rec.concept)) }
                            td { (ctx.chip(&rec.group)) }
                            td.n { (int(rec.mentions)) }
                            td.n { (num(rec.per_10k, 1)) " [" (num(rec.per_10k_lo, 1)) ", " (num(rec.per_10k_hi, 1)) "]" }
                            td.n {
                                @match (rec.sentiment, rec.sentiment_lo, rec.sentiment_hi) {
                                    (Some(s), Some(lo), Some(hi)) => { (interval(s, lo, hi, 2)) }
                                    (Some(s), _, _) => { (signed(s, 2)) }
                                    _ => { "–" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------- sentiment

fn sentiment(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    if r.sentiment.is_empty() {
        return html! {};
    }
    html! {
        section #sentiment {
            h2 { "Sentiment" }
            div.two {
                div {
                    h3 { "Document scores" }
                    (histogram(ctx))
                }
                div {
                    h3 { "Mean sentiment with 95% intervals" }
                    (means_chart(ctx))
                }
            }
            (howto(html! {
                "scores come from the sentiment lexicons (−1 most negative, +1 most positive). "
                b { "Left:" } " share of each group's documents per score band. "
                b { "Right:" } " dots are means, bars their 95% bootstrap intervals; the sentence mean averages "
                "the sentences that contain a lexicon word, the document mean averages whole-document scores. "
                "Intervals that do not overlap zero mean the tone leans clearly one way."
            }))
            div.scroll { table {
                thead { tr {
                    th { "Group" } th.n { "Sentence mean" br; span.muted { "[95% interval]" } }
                    th.n { "Document mean" br; span.muted { "[95% interval]" } }
                    th.n { "Median" br; span.muted { "document" } }
                    th.n { "Documents" br; span.muted { "positive / negative" } }
                    th.n { "Sentences" br; span.muted { "positive / negative" } }
                    th.n { "Sentences with" br; span.muted { "a lexicon word" } }
                } }
                tbody {
                    @for s in &r.sentiment {
                        tr {
                            td { (ctx.chip(&s.group)) }
                            td.n { (interval(s.sentence_mean, s.sentence_mean_lo, s.sentence_mean_hi, 3)) }
                            td.n { (interval(s.doc_mean, s.doc_mean_lo, s.doc_mean_hi, 2)) }
                            td.n { (signed(s.doc_median, 2)) }
                            td.n { (pct(s.share_positive_docs)) " / " (pct(s.share_negative_docs)) }
                            td.n { (pct(s.share_positive_sentences)) " / " (pct(s.share_negative_sentences)) }
                            td.n { (pct(s.sentence_coverage)) }
                        }
                    }
                }
            } }
            @if let Some(cmp) = &r.comparison {
                @if !cmp.sentiment.is_empty() {
                    h3 { "Difference between the groups" }
                    table {
                        thead { tr {
                            th { "Measure" } th.n { (cmp.group_a) } th.n { (cmp.group_b) }
                            th.n { "Difference (" (cmp.group_a) " − " (cmp.group_b) ") [95%]" } th.n { "Permutation p" } th { "Reading" }
                        } }
                        tbody {
                            @for d in &cmp.sentiment {
                                tr.sig[d.diff_lo > 0.0 || d.diff_hi < 0.0] {
                                    td { (measure_name(d.measure)) }
                                    td.n { (signed(d.a, 3)) } td.n { (signed(d.b, 3)) }
                                    td.n { (interval(d.diff, d.diff_lo, d.diff_hi, 3)) }
                                    td.n { (pval(d.p_permutation)) }
                                    td {
                                        @if d.diff_lo > 0.0 { (cmp.group_a) " more positive" }
                                        @else if d.diff_hi < 0.0 { (cmp.group_a) " more negative" }
                                        @else { "no clear difference" }
                                    }
                                }
                            }
                        }
                    }
                    p.muted { "Bootstrap and permutation resample " (cmp.resampling_unit.as_str()) "s ("
                        (cmp.options.reps) " replicates, seed " (cmp.options.seed) ")." }
                }
            }
        }
    }
}

fn measure_name(m: SentimentMeasure) -> &'static str {
    match m {
        SentimentMeasure::SentenceMean => "Sentence mean",
        SentimentMeasure::DocMean => "Document mean",
    }
}

/// Grouped histogram of document scores (share of each group's documents per bin).
fn histogram(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    let groups: Vec<&SentimentGroupRecord> = ctx
        .chart_groups()
        .iter()
        .filter_map(|g| r.sentiment.iter().find(|s| &s.group == g))
        .collect();
    let bins = groups
        .iter()
        .map(|s| s.doc_score_hist.len())
        .max()
        .unwrap_or(0);
    if bins == 0 {
        return html! {};
    }
    let (w, h, l, b, t) = (470.0, 250.0, 40.0, 40.0, 10.0);
    let shares: Vec<Vec<f64>> = groups
        .iter()
        .map(|s| {
            let tot: u64 = s.doc_score_hist.iter().sum();
            s.doc_score_hist
                .iter()
                .map(|&n| if tot == 0 { 0.0 } else { n as f64 / tot as f64 })
                .collect()
        })
        .collect();
    let ymax = nice_max(shares.iter().flatten().copied().fold(0.0, f64::max));
    let y = Scale::new(0.0, ymax, h - b, t);
    let bw = (w - l - 10.0) / bins as f64;
    let inner = (bw - 4.0) / groups.len().max(1) as f64;
    let width = 2.0 / bins as f64;
    let body = html! {
        @for tk in y.ticks(4) {
            line class=(if tk == 0.0 { "axis" } else { "grid" }) x1=(c(l)) x2=(c(w - 10.0)) y1=(c(y.at(tk))) y2=(c(y.at(tk))) {}
            text class="tick" x=(c(l - 5.0)) y=(c(y.at(tk) + 4.0)) text-anchor="end" { (pct(tk)) }
        }
        @for (gi, s) in groups.iter().enumerate() {
            @for (i, v) in shares[gi].iter().enumerate() {
                @let x = l + i as f64 * bw + 2.0 + gi as f64 * inner;
                rect class=(format!("bar {}", ctx.gc(&s.group))) x=(c(x)) y=(c(y.at(*v))) width=(c(inner.max(1.0))) height=(c((h - b - y.at(*v)).max(0.0))) {
                    title { (s.group) ": " (s.doc_score_hist.get(i).copied().unwrap_or(0)) " documents scoring "
                        (num(-1.0 + i as f64 * width, 1)) " to " (num(-1.0 + (i + 1) as f64 * width, 1)) }
                }
            }
        }
        @for i in 0..=bins {
            @if i % 2 == 0 {
                text class="tick" x=(c(l + i as f64 * bw)) y=(c(h - b + 14.0)) text-anchor="middle" { (num(-1.0 + i as f64 * width, 1)) }
            }
        }
        text class="tick" x=(c(l)) y=(c(h - 6.0)) { "◀ negative" }
        text class="tick" x=(c(w - 10.0)) y=(c(h - 6.0)) text-anchor="end" { "positive ▶" }
        text class="tick" x=(c((l + w) / 2.0)) y=(c(h - 6.0)) text-anchor="middle" { "document score" }
    };
    html! {
        figure {
            (svg(w, h, "Distribution of document sentiment scores per group", body))
            div.legend { @for s in &groups { span { span class=(format!("sw {}", ctx.gc(&s.group))) {} (s.group) " (" (s.documents) " documents)" } } }
        }
    }
}

/// Reads an estimate and its interval from a group's sentiment record.
type Measure = fn(&SentimentGroupRecord) -> (f64, f64, f64);

/// Dot-and-interval chart of sentence and document means per group.
fn means_chart(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    let groups: Vec<&SentimentGroupRecord> = ctx
        .chart_groups()
        .iter()
        .filter_map(|g| r.sentiment.iter().find(|s| &s.group == g))
        .collect();
    let (w, l, top, rh) = (470.0, 130.0, 16.0, 20.0);
    let block = groups.len() as f64 * rh + 22.0;
    let h = top + 2.0 * block + 30.0;
    let x = Scale::new(-1.0, 1.0, l, w - 16.0);
    let measures: [(&str, Measure); 2] = [
        ("Sentence mean", |s| {
            (s.sentence_mean, s.sentence_mean_lo, s.sentence_mean_hi)
        }),
        ("Document mean", |s| {
            (s.doc_mean, s.doc_mean_lo, s.doc_mean_hi)
        }),
    ];
    let body = html! {
        (x_grid(&x, &x.ticks(4), top - 6.0, h - 34.0))
        @for (mi, (name, f)) in measures.iter().enumerate() {
            @let y0 = top + mi as f64 * block;
            text class="head" x="0" y=(c(y0 + 10.0)) { (name) }
            @for (gi, s) in groups.iter().enumerate() {
                @let (est, lo, hi) = f(s);
                @let y = y0 + 24.0 + gi as f64 * rh;
                @let cls = ctx.gc(&s.group);
                text class="lbl" x=(c(l - 8.0)) y=(c(y + 4.0)) text-anchor="end" { (fit(&s.group, 12.5, l - 20.0)) }
                line class=(format!("ci {cls}")) x1=(c(x.at(lo))) x2=(c(x.at(hi))) y1=(c(y)) y2=(c(y)) stroke-width="3" {}
                circle class=(cls) cx=(c(x.at(est))) cy=(c(y)) r="5" stroke="#fff" stroke-width="1.2" {
                    title { (s.group) " " (name) ": " (interval(est, lo, hi, 3)) }
                }
                text class="val" x=(c(x.at(hi) + 6.0)) y=(c(y + 4.0)) { (signed(est, 2)) }
            }
        }
        text class="tick" x=(c(l)) y=(c(h - 1.0)) { "◀ negative" }
        text class="tick" x=(c(w - 16.0)) y=(c(h - 1.0)) text-anchor="end" { "positive ▶" }
    };
    svg_figure(w, h, "Mean sentiment per group with 95% intervals", body)
}

fn svg_figure(w: f64, h: f64, label: &str, body: Markup) -> Markup {
    html! { figure { (svg(w, h, label, body)) } }
}

// ---------------------------------------------------------------- time

fn time(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    if r.time.is_empty() {
        return html! {};
    }
    let periods: Vec<&str> = r
        .time
        .iter()
        .map(|t| t.period.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let groups: Vec<&String> = ctx
        .chart_groups()
        .iter()
        .filter(|g| r.time.iter().any(|t| &t.group == *g))
        .collect();
    let find = |p: &str, g: &str| r.time.iter().find(|t| t.period == p && t.group == g);
    let (w, h, l, b, t) = (470.0, 240.0, 44.0, 44.0, 12.0);
    let np = periods.len() as f64;
    let pw = (w - l - 10.0) / np.max(1.0);
    let label_every = ((periods.len() as f64 * 56.0) / (w - l)).ceil().max(1.0) as usize;
    let xlabels = html! {
        @for (i, p) in periods.iter().enumerate() {
            @if i % label_every == 0 {
                text class="tick" x=(c(l + (i as f64 + 0.5) * pw)) y=(c(h - b + 14.0)) text-anchor="middle" { (p) }
            }
        }
    };
    let max_docs = nice_max(
        r.time
            .iter()
            .map(|t| t.documents as f64)
            .fold(0.0, f64::max),
    );
    let yd = Scale::new(0.0, max_docs, h - b, t);
    let inner = (pw - 4.0).max(1.0) / groups.len().max(1) as f64;
    let docs_body = html! {
        @for tk in yd.ticks(4) {
            line class=(if tk == 0.0 { "axis" } else { "grid" }) x1=(c(l)) x2=(c(w - 10.0)) y1=(c(yd.at(tk))) y2=(c(yd.at(tk))) {}
            text class="tick" x=(c(l - 5.0)) y=(c(yd.at(tk) + 4.0)) text-anchor="end" { (chart::tick_label(tk)) }
        }
        @for (i, p) in periods.iter().enumerate() {
            @for (gi, g) in groups.iter().enumerate() {
                @if let Some(rec) = find(p, g) {
                    @let x = l + i as f64 * pw + 2.0 + gi as f64 * inner;
                    rect class=(format!("bar {}", ctx.gc(g))) x=(c(x)) y=(c(yd.at(rec.documents as f64)))
                        width=(c(inner.max(1.0))) height=(c((h - b - yd.at(rec.documents as f64)).max(0.0))) {
                        title { (g) ", " (p) ": " (rec.documents) " documents, " (int(rec.tokens)) " tokens" }
                    }
                }
            }
        }
        (xlabels)
        text class="tick" x=(c((l + w) / 2.0)) y=(c(h - 8.0)) text-anchor="middle" { "period" }
    };
    let ext = r
        .time
        .iter()
        .filter_map(|t| t.sentence_mean)
        .filter(|v| v.is_finite())
        .fold(0.2f64, |m, v| m.max(v.abs()));
    let sm = ((ext * 10.0).ceil() / 10.0).min(1.0);
    let ys = Scale::new(-sm, sm, h - b, t);
    let sent_body = html! {
        @for tk in ys.ticks(4) {
            line class=(if tk == 0.0 { "zero" } else { "grid" }) x1=(c(l)) x2=(c(w - 10.0)) y1=(c(ys.at(tk))) y2=(c(ys.at(tk))) {}
            text class="tick" x=(c(l - 5.0)) y=(c(ys.at(tk) + 4.0)) text-anchor="end" { (signed(tk, 1)) }
        }
        @for g in &groups {
            @let pts: Vec<(f64, f64, &str, u64)> = periods.iter().enumerate().filter_map(|(i, p)| {
                let rec = find(p, g)?;
                Some((l + (i as f64 + 0.5) * pw, rec.sentence_mean?, rec.period.as_str(), rec.documents))
            }).collect();
            @let cls = ctx.gc(g);
            polyline class=(format!("series {cls}")) style="fill:none"
                points=(pts.iter().map(|(x, v, _, _)| format!("{},{}", c(*x), c(ys.at(*v)))).collect::<Vec<_>>().join(" ")) {}
            @for (x, v, p, n) in &pts {
                circle class=(&cls) cx=(c(*x)) cy=(c(ys.at(*v))) r="3.5" stroke="#fff" stroke-width="1" {
                    title { (g) ", " (p) ": " (signed(*v, 3)) " (" (n) " documents)" }
                }
            }
        }
        (xlabels)
        text class="tick" x=(c((l + w) / 2.0)) y=(c(h - 8.0)) text-anchor="middle" { "mean sentence sentiment per period" }
    };
    html! {
        section #time {
            h2 { "Over time" }
            div.two {
                div { h3 { "Documents per period" } (svg_figure(w, h, "Documents per period and group", docs_body)) }
                div { h3 { "Mean sentiment per period" } (svg_figure(w, h, "Mean sentence sentiment per period and group", sent_body)) }
            }
            div.legend { @for g in &groups { span { span class=(format!("sw {}", ctx.gc(g))) {} (g) } } }
            (howto(html! {
                "only documents with a parsable date are counted. Periods with few documents give noisy means; "
                "hover a bar or point for its counts."
            }))
        }
    }
}

// ---------------------------------------------------------------- evidence

/// The sentence around the match, with the match (character offsets) marked.
fn kwic(sentence: &str, start: u64, end: u64) -> Markup {
    let chars: Vec<char> = sentence.chars().collect();
    let n = chars.len();
    let s = (start as usize).min(n);
    let e = (end as usize).clamp(s, n);
    let from = s.saturating_sub(KWIC_CONTEXT);
    let to = (e + KWIC_CONTEXT).min(n);
    let pre: String = chars[from..s].iter().collect();
    let mid: String = chars[s..e].iter().collect();
    let post: String = chars[e..to].iter().collect();
    html! {
        @if from > 0 { "…" }
        (pre) mark { (mid) } (post)
        @if to < n { "…" }
    }
}

/// What evidence is grouped by: kind and key (term or concept id).
type EvidenceKey<'a> = (EvidenceKind, &'a str);

fn evidence(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    if r.evidence.is_empty() {
        return html! {};
    }
    let mut by_key: BTreeMap<EvidenceKey, Vec<&EvidenceRecord>> = BTreeMap::new();
    for e in &r.evidence {
        by_key.entry((e.kind, e.key.as_str())).or_default().push(e);
    }
    // Terms in keyness order, concepts in chart order, then whatever else.
    let mut order: Vec<EvidenceKey> = Vec::new();
    if let Some(cmp) = &r.comparison {
        // Per language: A's terms, then B's, each most distinctive first.
        let mut ks: Vec<&KeynessRecord> = cmp.keyness.iter().collect();
        ks.sort_by(|a, b| {
            a.lang
                .cmp(&b.lang)
                .then_with(|| (a.log_ratio < 0.0).cmp(&(b.log_ratio < 0.0)))
                .then_with(|| b.log_ratio.abs().total_cmp(&a.log_ratio.abs()))
        });
        for k in ks {
            order.push((EvidenceKind::Term, k.term.as_str()));
        }
    }
    let concept_order = chart_concepts(ctx);
    for k in &concept_order {
        order.push((EvidenceKind::Concept, k.as_str()));
    }
    let mut seen = BTreeSet::new();
    let mut keys: Vec<EvidenceKey> = Vec::new();
    for k in order.into_iter().chain(by_key.keys().copied()) {
        if by_key.contains_key(&k) && seen.insert(k) {
            keys.push(k);
        }
    }
    let (terms, concepts): (Vec<_>, Vec<_>) =
        keys.into_iter().partition(|k| k.0 == EvidenceKind::Term);
    html! {
        section #evidence {
            h2 { "Evidence: keywords in context" }
            p.muted { "Example sentences for each distinctive term and concept, from each group; the match is highlighted and the "
                "number is the sentence's sentiment score." }
            @if !terms.is_empty() {
                h3 { "Distinctive terms" }
                @for k in &terms { (evidence_block(ctx, *k, &by_key[k])) }
            }
            @if !concepts.is_empty() {
                h3 { "Concepts" }
                @for k in &concepts { (evidence_block(ctx, *k, &by_key[k])) }
            }
        }
    }
}

fn evidence_block(ctx: &Ctx, key: EvidenceKey, recs: &[&EvidenceRecord]) -> Markup {
    let r = ctx.r;
    let head = if key.0 == EvidenceKind::Concept {
        let c = r.concepts.iter().find(|c| c.concept == key.1);
        html! {
            span.k { b { (c.map(|c| concept_label(&c.label_zh, &c.label_en, key.1)).unwrap_or_else(|| key.1.to_string())) } }
            " " span.muted.mono { (key.1) }
        }
    } else {
        let k = r
            .comparison
            .as_ref()
            .and_then(|cmp| cmp.keyness.iter().find(|k| k.term == key.1));
        html! {
            span.k lang=[k.map(|k| lang_attr(k.lang))] { b { (key.1) } }
            @if let Some(k) = k {
                " " span.muted { (lang_name(k.lang)) " · more in " } (ctx.chip(&k.favours))
                span.muted { " · Log Ratio " (signed(k.log_ratio, 2)) }
            }
        }
    };
    let mut recs: Vec<&&EvidenceRecord> = recs.iter().collect();
    recs.sort_by_key(|e| {
        ctx.groups
            .iter()
            .position(|g| g == &e.group)
            .unwrap_or(usize::MAX)
    });
    html! {
        div.ev {
            h4 { (head) }
            ul.kwic {
                @for e in recs {
                    @let doc = ctx.docs.get(e.doc_id.as_str());
                    @let title = doc.and_then(|d| d.meta.fields.title.as_deref()).filter(|t| !t.trim().is_empty());
                    @let source = doc.and_then(|d| d.meta.fields.source.as_deref()).filter(|t| !t.trim().is_empty());
                    li lang=(lang_attr(e.lang)) {
                        (ctx.chip(&e.group)) " "
                        (kwic(&e.sentence, e.match_start, e.match_end))
                        br;
                        span.meta {
                            @if let Some(t) = title { "“" (t) "” · " }
                            @if let Some(s) = source { (s) " · " }
                            span.mono { (e.doc_id) }
                            " · sentiment "
                            span class=(if e.sentence_sentiment > 0.05 { "pos" } else if e.sentence_sentiment < -0.05 { "neg" } else { "" }) {
                                (signed(e.sentence_sentiment, 2))
                            }
                        }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------- documents, skipped, footer

fn documents(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    let mut docs: Vec<&DocRecord> = r.documents.iter().collect();
    docs.sort_by_key(|d| {
        (
            ctx.groups
                .iter()
                .position(|g| g == &d.meta.group)
                .unwrap_or(usize::MAX),
            d.meta.id.as_str(),
        )
    });
    html! {
        section #documents {
            h2 { "Documents" }
            @if docs.len() > MAX_DOC_ROWS {
                p.muted { "The first " (MAX_DOC_ROWS) " of " (int(docs.len() as u64)) " documents; the JSON report lists all." }
            }
            table.docs {
                thead { tr {
                    th { "Group" } th { "Document" } th { "Source" } th { "Date" } th { "Language" }
                    th.n { "Tokens" } th.n { "Sentiment" }
                } }
                tbody {
                    @for d in docs.iter().take(MAX_DOC_ROWS) {
                        @let f = &d.meta.fields;
                        tr {
                            td { (ctx.chip(&d.meta.group)) }
                            td.wrap {
                                @if let Some(t) = f.title.as_deref().filter(|t| !t.trim().is_empty()) {
                                    @if let Some(href) = f.url.as_deref().and_then(safe_href) {
                                        a href=(href) rel="noopener noreferrer nofollow" { (t) }
                                    } @else {
                                        (t)
                                    }
                                    br;
                                }
                                span.mono.muted { (d.meta.id) }
                                @if let Some(u) = f.url.as_deref().filter(|u| safe_href(u).is_none() && !u.trim().is_empty()) {
                                    br; span.muted { "URL (not linked): " span.mono { (u) } }
                                }
                            }
                            td { (f.source.as_deref().unwrap_or("")) }
                            td.n { (d.meta.date_iso.as_deref().or(f.date.as_deref()).unwrap_or("")) }
                            td { (d.lang.code()) }
                            td.n { (int(d.tokens)) }
                            td.n class=(if d.sentiment_label == "pos" { "n pos" } else if d.sentiment_label == "neg" { "n neg" } else { "n" }) {
                                (signed(d.sentiment, 2))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn skipped(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    html! {
        section #skipped {
            h2 { "Skipped files" }
            @if r.skipped.is_empty() {
                p.muted { "No file was skipped." }
            } @else {
                p { (int(r.skipped.len() as u64)) " file(s) were not analysed:" }
                table {
                    thead { tr { th { "File" } th { "Reason" } } }
                    tbody {
                        @for s in r.skipped.iter().take(MAX_LIST_ROWS) {
                            tr { td.mono.wrap { (s.path) } td { (s.reason) } }
                        }
                    }
                }
            }
            @if !r.warnings.is_empty() {
                h3 { "Other problems (" (int(r.warnings.len() as u64)) ")" }
                table {
                    thead { tr { th { "File" } th { "Problem" } } }
                    tbody {
                        @for w in r.warnings.iter().take(MAX_LIST_ROWS) {
                            tr { td.mono.wrap { (w.path) } td { (w.message) } }
                        }
                    }
                }
            }
        }
    }
}

fn footer(ctx: &Ctx) -> Markup {
    let s = &ctx.r.settings;
    html! {
        footer {
            p { b { "Settings. " }
                "Segmenter: " (ctx.r.checks.segmenter) ". Normalization: " (s.normalization) ". "
                "Traditional Chinese: " (s.traditional_chinese) ". Rates: per 10,000 " (s.rate_denominator) ". "
                "Lexicons: " (s.lexicons.join(", ")) ". Glossaries: " (s.glossaries.join(", ")) " (" (s.concepts) " concepts)."
                @if !s.user_dicts.is_empty() { " User dictionaries: " (s.user_dicts.join(", ")) "." }
            }
            p { "Made by " (ctx.r.tool.name) " " (ctx.r.tool.version) " (report format " (ctx.r.schema_version)
                "). This page is self-contained: it loads nothing and runs no scripts." }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_marks_character_offsets() {
        let m = kwic("比特币挖矿 is <b>", 3, 5).into_string();
        assert_eq!(m, "比特币<mark>挖矿</mark> is &lt;b&gt;");
        // Out-of-range offsets are clamped, never panic.
        let m = kwic("abc", 5, 2).into_string();
        assert_eq!(m, "abc<mark></mark>");
    }

    #[test]
    fn only_http_urls_become_links() {
        assert_eq!(
            safe_href(" https://example.org/x "),
            Some("https://example.org/x")
        );
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href("JaVaScRiPt:alert(1)").is_none());
        assert!(safe_href("data:text/html,<script>").is_none());
        assert!(safe_href("http://a b").is_none());
    }

    #[test]
    fn numbers() {
        assert_eq!(signed(-0.0001, 2), "0.00");
        assert_eq!(signed(0.5, 2), "+0.50");
        assert_eq!(signed(-0.5, 2), "−0.50");
        assert_eq!(int(1234567), "1,234,567");
        assert_eq!(pval(0.0001), "< 0.001");
    }
}
