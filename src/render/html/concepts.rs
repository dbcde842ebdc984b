//! Concepts: rates and sentiment per group with intervals (chart), and the comparison
//! table.

use super::chart::*;
use super::format::*;
use super::Ctx;
use super::{CHART_CONCEPTS, TABLE_CONCEPTS};
use crate::report::{interval_informative, ConceptCompareRecord, ConceptGroupRecord};
use maud::{html, Markup};
use std::collections::{BTreeMap, HashMap};

/// Concept ids in chart order: most mentioned first.
pub(super) fn chart_concepts(ctx: &Ctx) -> Vec<String> {
    let mut total: BTreeMap<&str, u64> = BTreeMap::new();
    for c in &ctx.r.concepts {
        *total.entry(c.concept.as_str()).or_default() += c.mentions;
    }
    let mut v: Vec<(&str, u64)> = total.into_iter().filter(|(_, n)| *n > 0).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    v.into_iter().map(|(k, _)| k.to_string()).collect()
}

pub(super) fn concepts(ctx: &Ctx) -> Markup {
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
                "Intervals over fewer than " (crate::config::MIN_RESAMPLING_UNITS) " units are not drawn. "
                b { "*" } " after a label: the rate is called out as different; "
                b { "*" } " at the right edge: the tone is called out as different (the rule is under the table)."
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

pub(super) fn concept_chart(
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
            @let rate_sig = cmp.map(|c| c.rate_differs(ctx.alpha)).unwrap_or(false);
            @let sent_sig = cmp.map(|c| ctx.r.tone_verdict(c, ctx.alpha).is_clear()).unwrap_or(false);
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
                        title { (label) ", " (g) ": " (interval_by(num, rec.per_10k, rec.per_10k_lo, rec.per_10k_hi, 1, rec.units))
                            " per 10k, " (rec.mentions) " mentions in " (rec.documents) " documents; sentiment "
                            (opt_num(rec.sentiment, 2)) " (" (rec.sentences) " sentences from " (rec.sentence_units) " units)" }
                        rect class=(format!("bar {cls}")) x=(c(r0)) y=(c(by)) width=(c((xr.at(rec.per_10k) - r0).max(0.0))) height=(c(bar_h)) {}
                        @if interval_informative(rec.units) {
                            (whisker(xr.at(rec.per_10k_lo), xr.at(rec.per_10k_hi), by + bar_h / 2.0, 3.0))
                        }
                        @if let (Some(s), Some(lo), Some(hi), true) = (rec.sentiment, rec.sentiment_lo, rec.sentiment_hi, interval_informative(rec.sentence_units)) {
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

pub(super) fn concept_table(
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
        p.muted { "Bold rows are called out as differing in rate. A difference (rate or tone) is called out only when both groups have "
            (crate::config::MIN_RESAMPLING_UNITS) " resampling units or more, the interval of the difference excludes 0, its p adjusted over the concepts "
            "(Benjamini–Hochberg) is below " (level(ctx.alpha)) ", and it has support: a rate mentioned in "
            (crate::config::MIN_RATE_UNITS) " units or more by the group that uses it more, a tone on "
            (crate::config::MIN_TONE_SENTENCES) " sentences or more from " (crate::config::MIN_TONE_UNITS) " units or more on each side. "
            "Other rows are weak: the Claim column says why. Sentiment difference is "
            (a) " − " (b) " with its 95% bootstrap interval and permutation p (adjusted), over the same units."
            @if rows.len() < total {
                " The " (rows.len()) " most mentioned or significant of " (total) " mentioned concepts are listed; the JSON report has all."
            }
        }
        table {
            thead { tr {
                th { "Concept" }
                th.n { "Mentions" br; span.muted { (a) " / " (b) } }
                th.n { "Units mentioning" br; span.muted { (a) " / " (b) } }
                th.n { "Per 10k tokens" br; span.muted { (a) " / " (b) } }
                th.n { "Log Ratio" } th.n { "Adj. p" }
                th.n { "Sentences" br; span.muted { (a) " / " (b) } }
                th.n { "Sentiment difference" br; span.muted { "[95% interval]" } } th.n { "Adj. p" }
                th { "Claim" br; span.muted { "rate; tone" } }
            } }
            tbody {
                @for k in rows {
                    tr.sig[k.rate_differs(ctx.alpha)] {
                        td { (concept_label(&k.label_zh, &k.label_en, &k.concept)) }
                        td.n { (int(k.mentions_a)) " / " (int(k.mentions_b)) }
                        td.n { (k.mention_units_a) " / " (k.mention_units_b) }
                        td.n { (num(k.per_10k_a, 1)) " / " (num(k.per_10k_b, 1)) }
                        td.n { (signed(k.log_ratio, 2)) } td.n { (pval(k.p_adj)) }
                        td.n { (int(k.sentences_a)) " / " (int(k.sentences_b)) }
                        td.n {
                            @match (k.sentiment_diff, k.sentiment_diff_lo, k.sentiment_diff_hi) {
                                (Some(d), Some(lo), Some(hi)) => { (interval(d, lo, hi, 2)) }
                                (Some(d), _, _) => { (signed(d, 2)) }
                                _ => { "–" }
                            }
                        }
                        td.n { (k.sentiment_p_adj.map(pval).unwrap_or_else(|| "–".into())) }
                        td { (k.rate_verdict(ctx.alpha).to_string()) "; "
                            @if k.sentiment_diff.is_some() { (ctx.r.tone_verdict(k, ctx.alpha).to_string()) } @else { "–" } }
                    }
                }
            }
        }
    }
}

pub(super) fn concept_group_table(ctx: &Ctx, order: &[String]) -> Markup {
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
                            td.n { (interval_by(num, rec.per_10k, rec.per_10k_lo, rec.per_10k_hi, 1, rec.units)) }
                            td.n {
                                @match (rec.sentiment, rec.sentiment_lo, rec.sentiment_hi) {
                                    (Some(s), Some(lo), Some(hi)) => { (interval_n(s, lo, hi, 2, rec.sentence_units)) }
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
