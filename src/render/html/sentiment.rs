//! Sentiment: document-score histogram, means with intervals, and the differences of
//! the compared pair.

use super::chart::*;
use super::format::*;
use super::Ctx;
use crate::report::{Comparison, SentimentDiffRecord, SentimentGroupRecord, SentimentMeasure};
use maud::{html, Markup};

pub(super) fn sentiment(ctx: &Ctx) -> Markup {
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
                            td.n { (interval_n(s.sentence_mean, s.sentence_mean_lo, s.sentence_mean_hi, 3, s.units)) }
                            td.n { (interval_n(s.doc_mean, s.doc_mean_lo, s.doc_mean_hi, 2, s.units)) }
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
                    (diff_table(ctx, cmp, &cmp.sentiment))
                    p.muted { "Interval (bootstrap) and p (permutation) resample the same units: "
                        (cmp.resampling_unit.as_str()) "s (" (cmp.options.reps) " replicates, seed " (cmp.options.seed) "); "
                        "p is adjusted (Benjamini–Hochberg) over the rows of the table. A difference is called out only when both "
                        "sides have " (crate::config::MIN_RESAMPLING_UNITS) " units or more (else its interval is n/a), a sentence mean rests on "
                        (crate::config::MIN_TONE_SENTENCES) " sentences or more a side, the interval excludes 0 and the adjusted p is below "
                        (level(ctx.alpha)) "." }
                }
            }
            (by_language(ctx))
        }
    }
}

/// Sentiment differences, one row per measure (and language), marked by the one rule
/// of [`Report::sentiment_verdict`](crate::report::Report::sentiment_verdict).
fn diff_table(ctx: &Ctx, cmp: &Comparison, rows: &[SentimentDiffRecord]) -> Markup {
    html! {
        table {
            thead { tr {
                @if rows.iter().any(|d| d.lang.is_some()) { th { "Language" } }
                th { "Measure" } th.n { (cmp.group_a) } th.n { (cmp.group_b) }
                th.n { "Difference (" (cmp.group_a) " − " (cmp.group_b) ") [95%]" }
                th.n { "Permutation p" br; span.muted { "adjusted" } }
                th.n { "Units" br; span.muted { (cmp.group_a) " / " (cmp.group_b) } }
                th.n { "Support" br; span.muted { (cmp.group_a) " / " (cmp.group_b) } }
                th { "Reading" }
            } }
            tbody {
                @for d in rows {
                    @let v = ctx.r.sentiment_verdict(d, ctx.alpha);
                    tr.sig[v.is_clear()] {
                        @if let Some(l) = d.lang { td { (lang_name(l)) } }
                        td { (measure_name(d.measure)) }
                        td.n { (signed(d.a, 3)) } td.n { (signed(d.b, 3)) }
                        td.n { (interval_n(d.diff, d.diff_lo, d.diff_hi, 3, d.units_a.min(d.units_b))) }
                        td.n { (pval(d.p_permutation)) " / " (d.p_adj.map(pval).unwrap_or_else(|| "–".into())) }
                        @let unit = |g: &str| ctx.r.resampling_unit_of(g, d.lang).or(d.resampling_unit).unwrap_or(cmp.resampling_unit).as_str();
                        td.n { (d.units_a) " " (unit(&cmp.group_a)) "s / " (d.units_b) " " (unit(&cmp.group_b)) "s" }
                        td.n { (int(d.support_a)) " / " (int(d.support_b))
                            @if d.measure == SentimentMeasure::SentenceMean { " sentences" } @else { " documents" } }
                        td {
                            @if v.is_clear() && d.diff > 0.0 { (cmp.group_a) " more positive" }
                            @else if v.is_clear() { (cmp.group_a) " more negative" }
                            @else { "no clear difference (" (v.to_string()) ")" }
                        }
                    }
                }
            }
        }
    }
}

/// Sentiment per group × main language, and the per-language differences of the pair.
fn by_language(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    if r.sentiment_by_lang.is_empty() {
        return html! {};
    }
    html! {
        h3 #sentiment-by-language { "By language: like with like" }
        p { "Each document counted in its main language, so Chinese text is compared with Chinese text and English with "
            "English: a difference here is not a difference between the two languages' lexicons." }
        div.scroll { table {
            thead { tr {
                th { "Group" } th { "Language" } th.n { "Documents" } th.n { "Units" }
                th.n { "Sentence mean" br; span.muted { "[95% interval]" } }
                th.n { "Document mean" br; span.muted { "[95% interval]" } }
                th.n { "Sentences with" br; span.muted { "a lexicon word" } }
                th.n { "Lexicon coverage" br; span.muted { "tokens / sentences" } }
            } }
            tbody {
                @for s in &r.sentiment_by_lang {
                    tr {
                        td { (ctx.chip(&s.group)) } td { (lang_name(s.lang)) }
                        td.n { (int(s.documents)) } td.n { (s.units) " " (s.resampling_unit.as_str()) "s" }
                        td.n { (interval_n(s.sentence_mean, s.sentence_mean_lo, s.sentence_mean_hi, 3, s.units)) }
                        td.n { (interval_n(s.doc_mean, s.doc_mean_lo, s.doc_mean_hi, 2, s.units)) }
                        td.n { (int(s.sentences)) }
                        td.n { (pct(s.token_coverage)) " / " (pct(s.sentence_coverage)) }
                    }
                }
            }
        } }
        @if let Some(cmp) = &r.comparison {
            @if cmp.sentiment_by_lang.is_empty() {
                p.muted { "No language in which both " (cmp.group_a) " and " (cmp.group_b) " have documents: no per-language comparison." }
            } @else {
                (diff_table(ctx, cmp, &cmp.sentiment_by_lang))
                p.muted { "p adjusted over every language and measure of this table." }
            }
        }
    }
}

pub(super) fn measure_name(m: SentimentMeasure) -> &'static str {
    match m {
        SentimentMeasure::SentenceMean => "Sentence mean",
        SentimentMeasure::DocMean => "Document mean",
    }
}

/// Grouped histogram of document scores (share of each group's documents per bin).
pub(super) fn histogram(ctx: &Ctx) -> Markup {
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
pub(super) type Measure = fn(&SentimentGroupRecord) -> (f64, f64, f64);

/// Dot-and-interval chart of sentence and document means per group.
pub(super) fn means_chart(ctx: &Ctx) -> Markup {
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
                @let shown = crate::report::interval_informative(s.units);
                @if shown {
                    line class=(format!("ci {cls}")) x1=(c(x.at(lo))) x2=(c(x.at(hi))) y1=(c(y)) y2=(c(y)) stroke-width="3" {}
                }
                circle class=(cls) cx=(c(x.at(est))) cy=(c(y)) r="5" stroke="#fff" stroke-width="1.2" {
                    title { (s.group) " " (name) ": " (interval_n(est, lo, hi, 3, s.units)) }
                }
                text class="val" x=(c(x.at(if shown { hi } else { est }) + 6.0)) y=(c(y + 4.0)) {
                    (signed(est, 2)) @if !shown { " (interval n/a: " (s.units) " units)" }
                }
            }
        }
        text class="tick" x=(c(l)) y=(c(h - 1.0)) { "◀ negative" }
        text class="tick" x=(c(w - 16.0)) y=(c(h - 1.0)) text-anchor="end" { "positive ▶" }
    };
    svg_figure(w, h, "Mean sentiment per group with 95% intervals", body)
}
