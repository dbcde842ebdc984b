//! Distinctive terms (diverging Log Ratio chart and table per language) and the most
//! frequent terms per group.

use super::chart::*;
use super::format::*;
use super::Ctx;
use super::STRONG_P;
use crate::lang::Lang;
use crate::report::KeynessRecord;
use maud::{html, Markup};

pub(super) fn terms(ctx: &Ctx) -> Markup {
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
pub(super) fn keyness_rows(all: &[KeynessRecord], l: Lang) -> Vec<&KeynessRecord> {
    let mut ks: Vec<&KeynessRecord> = all.iter().filter(|k| k.lang == l).collect();
    ks.sort_by(|a, b| {
        b.log_ratio
            .total_cmp(&a.log_ratio)
            .then_with(|| a.term.cmp(&b.term))
    });
    ks
}

pub(super) fn keyness_chart(ctx: &Ctx, a: &str, b: &str, l: Lang, ks: &[&KeynessRecord]) -> Markup {
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

pub(super) fn keyness_table(ctx: &Ctx, a: &str, b: &str, ks: &[&KeynessRecord]) -> Markup {
    html! {
        div.scroll { table {
            thead { tr {
                th { "Term" } th { "More in" }
                th.n { "Count" br; span.muted { (a) " / " (b) } }
                th.n { "Per 10k tokens" br; span.muted { (a) " / " (b) } }
                th.n { "Documents" br; span.muted { (a) " / " (b) } }
                th.n { "Log Ratio" } th.n { "LRC" } th.n { "G²" } th.n { "Adj. p" } th { "Claim" }
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
                        td { (k.verdict(ctx.alpha).to_string()) }
                    }
                }
            }
        } }
    }
}

/// Top frequent terms per language, one column per group.
pub(super) fn frequent_terms(ctx: &Ctx) -> Markup {
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
