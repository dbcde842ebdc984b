//! The top of the page: header, comparability warnings and the "in brief" findings.

use super::format::*;
use super::Ctx;
use crate::lang::Lang;
use crate::report::{
    Comparison, ConceptCompareRecord, KeynessRecord, SentimentDiffRecord, SentimentMeasure,
};
use maud::{html, Markup};

pub(super) fn header(ctx: &Ctx, title: &str) -> Markup {
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

pub(super) fn warnings(ctx: &Ctx) -> Markup {
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
            @if let Some(cmp) = &r.comparison {
                @if !cmp.sentiment_by_lang.is_empty() {
                    p { b { "Like with like:" } " the tone of each group's documents in one language against the other's ("
                        "sentence mean, −1…1; each document counted in its main language):" }
                    ul {
                        @for d in cmp.sentiment_by_lang.iter().filter(|d| d.measure == SentimentMeasure::SentenceMean) {
                            li { (tone_sentence(ctx, cmp, d)) }
                        }
                    }
                }
            }
        }
    }
}

/// What a sentiment difference says, by the one rule of
/// [`Report::sentiment_verdict`](crate::report::Report::sentiment_verdict): the estimates, the interval and the adjusted p
/// over the same units, the counts behind them, and the reading.
pub(super) fn tone_sentence(ctx: &Ctx, cmp: &Comparison, d: &SentimentDiffRecord) -> Markup {
    let v = ctx.r.sentiment_verdict(d, ctx.alpha);
    let unit = |g: &str| {
        ctx.r
            .resampling_unit_of(g, d.lang)
            .or(d.resampling_unit)
            .unwrap_or(cmp.resampling_unit)
            .as_str()
    };
    html! {
        @if let Some(l) = d.lang { b { (lang_name(l)) } ": " }
        (ctx.chip(&cmp.group_a)) " " (signed(d.a, 3)) " (" (int(d.support_a)) " sentences), "
        (ctx.chip(&cmp.group_b)) " " (signed(d.b, 3)) " (" (int(d.support_b)) " sentences). Difference "
        (interval_n(d.diff, d.diff_lo, d.diff_hi, 3, d.units_a.min(d.units_b))) ", "
        (p_phrase(d.p_adj.unwrap_or(d.p_permutation))) " adjusted (permutation over "
        (d.units_a) " " (unit(&cmp.group_a)) "s : " (d.units_b) " " (unit(&cmp.group_b)) "s): "
        @if v.is_clear() && d.diff > 0.0 {
            b { (cmp.group_a) " is more positive" }
        } @else if v.is_clear() {
            b { (cmp.group_a) " is more negative" }
        } @else {
            b { "no clear difference" } " (" (v.to_string()) ")"
        }
        "."
    }
}

/// The top distinctive terms of each group and language, as short phrases.
pub(super) fn findings(ctx: &Ctx) -> Markup {
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
                .filter(|k| k.lang == l && &k.favours == g && k.differs(ctx.alpha))
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
        .filter(|k| k.rate_differs(ctx.alpha) && k.log_ratio > 0.0)
        .collect();
    let mut more_b: Vec<&ConceptCompareRecord> = cmp
        .concepts
        .iter()
        .filter(|k| k.rate_differs(ctx.alpha) && k.log_ratio < 0.0)
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
        .filter(|k| ctx.r.tone_verdict(k, ctx.alpha).is_clear())
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
                    li { "No term is called out in either direction (significant after adjustment, interval away from 0, in "
                        (crate::config::MIN_TERM_DOCS) " documents or more of the group it favours)." }
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
                        (tone_sentence(ctx, cmp, s))
                    }
                }
                @for s in cmp.sentiment_by_lang.iter().filter(|d| d.measure == SentimentMeasure::SentenceMean) {
                    li { "Tone, like with like, in " (tone_sentence(ctx, cmp, s)) }
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
