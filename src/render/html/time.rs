//! Documents and mean sentiment per period and group.

use super::chart::*;
use super::format::*;
use super::Ctx;
use maud::{html, Markup};
use std::collections::BTreeSet;

pub(super) fn time(ctx: &Ctx) -> Markup {
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
            text class="tick" x=(c(l - 5.0)) y=(c(yd.at(tk) + 4.0)) text-anchor="end" { (tick_label(tk)) }
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
