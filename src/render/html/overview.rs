//! Corpus overview: sizes per group, the language mix chart and lexicon coverage.

use super::chart::*;
use super::format::*;
use super::Ctx;
use crate::lang::Lang;
use maud::{html, Markup};

pub(super) fn overview(ctx: &Ctx) -> Markup {
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
pub(super) type Segment = (usize, Lang, f64, f64, f64);

/// One stacked bar per group: share of tokens per language.
pub(super) fn lang_mix_chart(ctx: &Ctx) -> Markup {
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
            "compared through different segmenters and lexicons, so prefer per-language rows and concepts; "
            "where the mixes differ, a whole-text tone difference is called out only when a per-language row carries it."
        }))
    }
}
